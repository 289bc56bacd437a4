"""Rolling-origin backtests of one series and the per-series model choice that ships the best of them.

Origins are the last `origins` multiples of the horizon before the end of the history: at each, every method
forecasts the next `horizon` periods from the history before it, and MASE (scaled by the in-sample seasonal naive
error: lag 7 for daily data, 52 for weekly), sMAPE, bias and interval coverage are measured on the known
(uncensored) periods. The choice is the method with the lowest mean MASE; a baseline wins a tie, so the shipped
forecast is never worse on the backtest than the best baseline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting import metrics
from forecasting.demand import forecast, prepare

#: Baselines first: on equal MASE the simpler model is kept.
CANDIDATES = ("moving_average", "seasonal_naive", "auto")
BASELINES = ("moving_average", "seasonal_naive")


def rolling_origin(history: pd.DataFrame, horizon: int, origins: int = 2, methods=CANDIDATES,
                   **forecast_kwargs) -> pd.DataFrame:
    """Backtest each method from `origins` rolling origins.

    Columns: origin (last date of the training part), method, model (what forecast() used), mase, smape, bias,
    coverage, mae, n (known periods scored). Origins without enough history before them are left out.
    """
    frame, freq = prepare(history)
    rows = []
    for k in range(origins, 0, -1):
        cut = len(frame) - k * horizon
        if cut < freq.min_points:
            continue
        train, test = frame.iloc[:cut], frame.iloc[cut:cut + horizon]
        actual = test["y"].to_numpy(float)
        scale = metrics.naive_scale(train["y"].to_numpy(float), freq.season)
        for method in methods:
            fc = forecast(train[["ds", "sold", "censored"]].rename(columns={"sold": "y"}), len(test),
                          method=method, **forecast_kwargs)
            yhat, lo, hi = (fc[c].to_numpy(float) for c in ("yhat", "yhat_lower", "yhat_upper"))
            rows.append({
                "origin": train["ds"].iloc[-1], "method": method, "model": fc.attrs.get("model", method),
                "mase": float(metrics.mase(actual, yhat, scale)[0]), "smape": float(metrics.smape(actual, yhat)[0]),
                "bias": float(metrics.bias(actual, yhat)[0]), "coverage": float(metrics.coverage(actual, lo, hi)[0]),
                "mae": float(metrics.mae(actual, yhat)[0]), "n": int(metrics.known_points(actual)[0]),
            })
    return pd.DataFrame(rows, columns=["origin", "method", "model", "mase", "smape", "bias", "coverage", "mae", "n"])


def choose(backtest: pd.DataFrame, methods=CANDIDATES) -> str:
    """The method with the lowest mean MASE over the origins (first in `methods` order on a tie);
    the first method when no MASE could be computed (a flat or too short history)."""
    if backtest.empty:
        return methods[0]
    mean = backtest.groupby("method")["mase"].mean()
    scored = [(mean.get(m, np.nan), i, m) for i, m in enumerate(methods) if np.isfinite(mean.get(m, np.nan))]
    return min(scored)[2] if scored else methods[0]


def forecast_best(history: pd.DataFrame, horizon: int, origins: int = 2, methods=CANDIDATES,
                  **forecast_kwargs) -> tuple[pd.DataFrame, str, pd.DataFrame]:
    """The forecast of the method the backtest chose: (forecast frame, chosen method, backtest table)."""
    table = rolling_origin(history, horizon, origins, methods, **forecast_kwargs)
    chosen = choose(table, methods)
    return forecast(history, horizon, method=chosen, **forecast_kwargs), chosen, table
