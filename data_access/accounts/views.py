"""Saved views: named filter sets per user (table saved_views), stored as the query parameters of their link.

The parameters are kept as given (short strings only); the filter bar reads them back through the same
checks as any link, so a saved view can never widen a user's store scope.
"""

from __future__ import annotations

import json

import pandas as pd
import sqlalchemy as sa

from data_access.audit import utc_now
from data_access.schema import saved_views

MAX_NAME = saved_views.c.name.type.length
MAX_VALUE = 400
#: A user keeps at most this many views (the picker stays usable).
MAX_VIEWS = 50
COLUMNS = ["name", "page", "params", "saved_at"]


class ViewError(ValueError):
    """A view that cannot be saved; `code` names the reason for the caller's message (name, too_many, params)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def clean_name(name: str) -> str:
    """The view's name trimmed; ViewError("name") when empty or longer than MAX_NAME."""
    text = " ".join(str(name or "").split())
    if not text or len(text) > MAX_NAME:
        raise ViewError("name")
    return text


def _clean_params(params: dict) -> dict[str, str]:
    out = {str(k): str(v) for k, v in dict(params).items() if v not in (None, "")}
    if any(len(k) > 32 or len(v) > MAX_VALUE for k, v in out.items()):
        raise ViewError("params")
    return out


def save_view(engine: sa.Engine, username: str, name: str, page: str, params: dict) -> str:
    """Store (or replace) the user's view called name; returns the cleaned name."""
    name, params = clean_name(name), _clean_params(params)
    row = {"username": username, "name": name, "page": str(page)[:64], "saved_at": utc_now(),
           "params": json.dumps(params, ensure_ascii=False, sort_keys=True)}
    mine = saved_views.c.username == username
    with engine.begin() as conn:
        exists = conn.execute(sa.select(sa.func.count()).where(mine, saved_views.c.name == name)).scalar()
        if not exists and conn.execute(sa.select(sa.func.count()).where(mine)).scalar() >= MAX_VIEWS:
            raise ViewError("too_many")
        conn.execute(saved_views.delete().where(mine, saved_views.c.name == name))
        conn.execute(saved_views.insert().values(**row))
    return name


def list_views(engine: sa.Engine, username: str) -> pd.DataFrame:
    """The user's views by name. Columns: name, page, params (dict), saved_at (naive UTC)."""
    query = (sa.select(saved_views.c.name, saved_views.c.page, saved_views.c.params, saved_views.c.saved_at)
             .where(saved_views.c.username == username).order_by(saved_views.c.name))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["params"] = [json.loads(p) for p in frame["params"]]
    return frame


def delete_view(engine: sa.Engine, username: str, name: str) -> bool:
    """Forget one of the user's views; True if it existed."""
    with engine.begin() as conn:
        result = conn.execute(saved_views.delete().where(saved_views.c.username == username,
                                                         saved_views.c.name == name))
    return bool(result.rowcount)
