"""The small demo shop with one forecast batch run and a user per role (shared by the inventory tests)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data_access.accounts import users
from data_access.demo import build
from data_access.engine import create_engine
from forecasting import batch, catalogue
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


def small_catalogue(n_days=200, seed=5) -> catalogue.Catalogue:
    """Four store x SKU series of 200 days: A sells by weekday, B flat with a stock-out, C never sold, D
    intermittent; A, B, D in category x, C in y."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2025-01-01", periods=n_days, freq="D")
    weekday = np.array([1, 1, 1, 1, 1.5, 3, 3.5])[days.day_of_week]
    units = np.vstack([rng.poisson(weekday * 2), rng.poisson(np.full(n_days, 4.0)), np.zeros(n_days),
                       rng.poisson(weekday * 0.3)]).astype(float)
    censored = np.zeros_like(units, dtype=bool)
    censored[1, 100:130] = True
    units[1, 100:130] = 0
    return catalogue.Catalogue(days=days, store_id=np.array(["S1", "S1", "S2", "S2"]),
                               sku=np.array(["A", "B", "C", "D"]), category=np.array(["x", "x", "y", "x"]),
                               units=units, censored=censored)
