"""Listing snapshots: which rows are our own items (the shop name is one of our stores), the snapshot day and
source of a file that names neither."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from data_access import schema


def store_names(engine: sa.Engine | None) -> dict[str, str]:
    """Our stores by every name a marketplace export may show them under (store id, English and Chinese name,
    compared case-blind and trimmed) -> store_id; empty without a database or a stores table."""
    if engine is None or not sa.inspect(engine).has_table("stores"):
        return {}
    table = schema.stores
    with engine.connect() as conn:
        rows = conn.execute(sa.select(table.c.store_id, table.c.name, table.c.name_zh)).all()
    names: dict[str, str] = {}
    for store_id, *labels in rows:
        for label in (store_id, *labels):
            if label:
                names.setdefault(_key(label), store_id)
    return names


def with_own_stores(typed: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """typed with store_id set on the rows whose shop is one of our stores (None on competitors' rows)."""
    out = typed.copy()
    shops = out["shop"] if "shop" in out.columns else pd.Series(None, index=out.index, dtype=object)
    out["store_id"] = shops.map(lambda shop: names.get(_key(shop)) if isinstance(shop, str) else None)
    return out


def _key(name: str) -> str:
    return str(name).strip().casefold()


def snapshot_day(filename: str, today: date | None = None) -> date:
    """The snapshot day of a listing export without a date column: a date in its file name
    (keepa_2026-05-01.csv, 竞品20260501.xlsx), else today (an export shows the listings as they are when taken)."""
    found = re.search(r"(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])", Path(filename).name)
    if found:
        try:
            return date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            pass
    return today or date.today()


def source_of(filename: str | None) -> str:
    """A listing file's source when it names none: its file name without extension, in word characters."""
    stem = re.sub(r"[^\w\-]+", "_", Path(str(filename or "")).stem).strip("_")
    return stem[:64] or "import"
