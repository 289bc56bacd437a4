"""Helpers for AppTest: a tiny-shop DuckDB, a credentials file with one user per role, logged-in sessions."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access.accounts import users
from data_access.engine import dispose_engine

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-1"
TEST_USERS = {  # username: (role, stores)
    "admin": ("admin", "all"),
    "manager": ("manager", ["S1"]),
    "marketer": ("marketer", "all"),
    "analyst": ("analyst", "all"),
    "nostores": ("manager", ["S9"]),
}


def write_users(path: Path) -> None:
    for name, (role, stores) in TEST_USERS.items():
        users.add_user(path, name, PASSWORD, role, stores=stores, name=f"Test {name}")


def shop_app(folder: Path, load) -> tuple[str, Path]:
    """(url, credentials): a DuckDB file in folder filled by load(engine), and a credentials file with TEST_USERS."""
    from data_access.engine import create_engine

    url = f"duckdb:///{folder / 'shop.duckdb'}"
    engine = create_engine(url)
    load(engine)
    engine.dispose()  # a server process may need to be the only one holding the file
    credentials = folder / "credentials.yaml"
    write_users(credentials)
    return url, credentials


def configure(monkeypatch: pytest.MonkeyPatch, db_url: str, credentials: Path) -> None:
    """Point the app at a database and a credentials file, with a cookie key, for this test."""
    dispose_engine()
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("SHOP_CREDENTIALS", str(credentials))
    monkeypatch.setenv("SHOP_COOKIE_KEY", "test-cookie-key-0123456789abcdef")
    monkeypatch.delenv("SHOP_DEMO", raising=False)


def app(script: str = "app.py", timeout: float = 60) -> AppTest:
    return AppTest.from_file(str(ROOT / script), default_timeout=timeout)


def logged_in(script: str, username: str, timeout: float = 60) -> AppTest:
    """An AppTest whose session is already authenticated as username (as after a login): a live server-side
    session in the configured database and its token in the session state."""
    from components.auth import SID_KEY
    from data_access.accounts import sessions
    from data_access.engine import ready_engine

    at = app(script, timeout)
    engine = ready_engine()
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state[SID_KEY] = sessions.start(engine, username, users.session_epoch(None, username) or "")
    return at


def login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    submit = [b for b in at.button if b.proto.is_form_submitter]
    submit[0].click()
    return at.run()


def all_text(at: AppTest) -> str:
    """Every piece of visible text, to check what a page shows."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                                  "error", "success") for e in getattr(at, kind)]
    parts += [m.label + " " + m.value for m in at.metric]
    return "\n".join(str(p) for p in parts)


def is_logged_in(at: AppTest) -> bool:
    try:
        return bool(at.session_state["authentication_status"])
    except KeyError:
        return False


def charts(at: AppTest) -> list[tuple[dict, dict[str, pd.DataFrame]]]:
    """Every Altair/Vega-Lite chart on the page as (spec, {dataset name: DataFrame}), in page order."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    found = []
    for element in at.main:
        if getattr(element, "type", "") != "vega_lite_chart":
            continue
        datasets = {d.name: convert_arrow_bytes_to_pandas_df(d.data.data) for d in element.proto.datasets}
        found.append((json.loads(element.proto.spec), datasets))
    return found
