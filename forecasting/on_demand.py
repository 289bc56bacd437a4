"""Forecast one store x SKU on request (the inventory page's "forecast now"), with the same backtested choice."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.inventory import queries
from forecasting import backtest

HISTORY_DAYS = 730


def forecast_cell(engine: sa.Engine, f: Filters, store_id: str, sku: str, horizon: int = 28) -> pd.DataFrame:
    """Backtest the candidates (forecasting.backtest: moving average, seasonal naive, demand.forecast's model) on
    the series' own daily history (stock-out days censored) and forecast with the best.

    Columns: ds, yhat, yhat_lower, yhat_upper, model (what was used), method (the backtest's choice).
    Empty when the series has no history in the scope.
    """
    history = queries.cell_history(engine, f, store_id, sku, days=HISTORY_DAYS)
    columns = ["ds", "yhat", "yhat_lower", "yhat_upper", "model", "method"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    frame = history.rename(columns={"units": "y"})[["ds", "y", "censored"]]
    result, chosen, _ = backtest.forecast_best(frame, horizon, origins=2)
    return result.assign(model=result.attrs.get("model", chosen), method=chosen)[columns]
