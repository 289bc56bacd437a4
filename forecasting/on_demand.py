"""Forecast one store x SKU on request (the inventory page's "forecast now"), with the same backtested choice."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data_access import shop_settings
from data_access.filters import Filters
from data_access.inventory import queries
from data_access.marketing.queries import campaigns_in_period
from forecasting import demand

HISTORY_DAYS = 730


def forecast_cell(engine: sa.Engine, f: Filters, store_id: str, sku: str, horizon: int = 28) -> pd.DataFrame:
    """demand.forecast's choice (forecasting.engine: the models backtested from rolling origins on the series' own
    daily history, stock-out days censored, the best or a combination shipped, as the catalogue batch does).

    Columns: ds, yhat, yhat_lower, yhat_upper, model (what was used), method (the backtest's choice).
    Empty when the series has no history in the scope.
    """
    history = queries.cell_history(engine, f, store_id, sku, days=HISTORY_DAYS)
    columns = ["ds", "yhat", "yhat_lower", "yhat_upper", "model", "method"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    frame = history.rename(columns={"units": "y"})[["ds", "y", "censored"]]
    # forecast() backtests its candidates itself: wrapping it in backtest.forecast_best would fit each one again
    # per origin (three times the Prophet fits for the same choice).
    # The shop's campaigns that reach this store, past and planned, are calendar events of the forecast.
    campaigns = campaigns_in_period(engine, Filters.all_time((store_id,)))
    result = demand.forecast(frame, horizon, holidays=shop_settings.shop_country(engine), campaigns=campaigns)
    return result.assign(model=result.attrs.get("model", "auto"), method="auto")[columns]
