"""The small demo shop with one forecast batch run and a user per role (shared by the inventory tests)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from data_access.accounts import users
from data_access.demo import build
from data_access.engine import create_engine
from forecasting import batch
from tests.support import apptest_helpers as h

DEMO_END = date(2026, 6, 30)


def build_demo_app(folder: Path) -> dict:
    """8 stores x 60 SKUs in a DuckDB file with a batch run on local processes; users incl. store01 (S01 only).

    Returns url, credentials, summary (batch.RunSummary) and progress (the job's progress lines).
    """
    url = f"duckdb:///{folder / 'shop.duckdb'}"
    engine = create_engine(url)
    build(engine, scale="small", seed=42, end_date=DEMO_END)
    lines: list[str] = []
    summary = batch.run_batch(engine, workers=2, progress=lines.append)
    engine.dispose()  # the page and the browser test open the file themselves
    credentials = folder / "credentials.yaml"
    h.write_users(credentials)
    users.add_user(credentials, "store01", h.PASSWORD, "manager", stores=["S01"], name="Store one")
    return {"url": url, "credentials": credentials, "summary": summary, "progress": lines}
