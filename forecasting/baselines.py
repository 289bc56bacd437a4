"""Vectorised baseline forecasts on 2-D arrays (one row per series, one column per period; NaN = unknown).

Every function takes the history matrix and returns a (series, horizon) matrix of point forecasts, so a
whole catalogue is forecast in one call. Unknown values (stock-out days, gaps) never count as zero demand.
"""

from __future__ import annotations

import numpy as np


def _rows(values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[None, :] if array.ndim == 1 else array


def _row_fill(y: np.ndarray) -> np.ndarray:
    """Per row: the mean of its known values, 0 when it has none (what an unknown slot falls back to)."""
    known = np.isfinite(y)
    total = np.where(known, y, 0.0).sum(axis=1)
    count = known.sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


def moving_average(history, horizon: int, window: int) -> np.ndarray:
    """The mean of the last `window` known values, flat over the horizon (the whole row's mean if none are known)."""
    y = _rows(history)
    recent = y[:, -window:]
    known = np.isfinite(recent)
    count = known.sum(axis=1)
    mean = np.where(count > 0, np.where(known, recent, 0.0).sum(axis=1) / np.maximum(count, 1), _row_fill(y))
    return np.repeat(mean[:, None], horizon, axis=1)


def seasonal_naive(history, horizon: int, season: int) -> np.ndarray:
    """The last full season repeated over the horizon; unknown slots take the row's mean."""
    y = _rows(history)
    if y.shape[1] < season:
        return moving_average(y, horizon, season)
    last = y[:, -season:].copy()
    unknown = ~np.isfinite(last)
    last[unknown] = np.broadcast_to(_row_fill(y)[:, None], last.shape)[unknown]
    reps = -(-horizon // season)
    return np.tile(last, (1, reps))[:, :horizon]


def level_adjusted_seasonal_naive(history, horizon: int, lag: int, level_window: int) -> np.ndarray:
    """Last year's values (lag periods back) scaled by how this year's recent level compares with last year's.

    yhat(T + k) = y(T + k - lag) * sum(y over the last level_window periods) / sum(y over the same periods a lag
    earlier). Needs lag + level_window periods of history and horizon <= lag; the ratio is 1 when last year's
    level is zero or unknown. Unknown values of last year fall back to the row's mean.
    """
    y = _rows(history)
    n = y.shape[1]
    if n < lag + level_window or horizon > lag:
        raise ValueError(f"needs {lag + level_window} periods of history and a horizon of at most {lag}")
    base = y[:, n - lag:n - lag + horizon].copy()
    unknown = ~np.isfinite(base)
    base[unknown] = np.broadcast_to(_row_fill(y)[:, None], base.shape)[unknown]
    now = np.nansum(y[:, n - level_window:], axis=1)
    then = np.nansum(y[:, n - lag - level_window:n - lag], axis=1)
    ratio = np.where(then > 0, now / np.where(then > 0, then, 1.0), 1.0)
    return base * ratio[:, None]


def croston_sba(history, horizon: int, alpha: float = 0.1) -> np.ndarray:
    """Croston's method with the Syntetos-Boylan bias correction, for intermittent demand (flat forecast).

    Demand size and the interval between demands are smoothed separately; the rate is
    (1 - alpha / 2) * size / interval. Rows without any demand forecast zero.
    """
    y = _rows(history)
    out = np.zeros(y.shape[0])
    for row, values in enumerate(y):
        values = values[np.isfinite(values)]
        positive = np.flatnonzero(values > 0)
        if positive.size == 0:
            continue
        size, interval = values[positive[0]], float(positive[0] + 1)
        for previous, current in zip(positive[:-1], positive[1:], strict=True):
            size += alpha * (values[current] - size)
            interval += alpha * ((current - previous) - interval)
        out[row] = (1 - alpha / 2) * size / interval
    return np.repeat(out[:, None], horizon, axis=1)


def impute_censored(units, censored, window: int = 28, events=None) -> np.ndarray:
    """Demand estimate for stock-out days: max(units sold, mean of the known days in the `window` days before).

    units and censored are (series, days); censored days sold what the stock allowed, so their sales are a lower
    bound. Only past days are used (no look-ahead), so the result is safe for backtests. Days with no known day
    before them keep their sales.
    events: (series, days) days of the shop's own campaigns, left out of level estimation: they get the mean of
    the ordinary known days before them (not the max: their sales are above the level, not below it).
    """
    y = _rows(units)
    mask = np.asarray(censored, dtype=bool).reshape(y.shape) | ~np.isfinite(y)
    event = np.zeros(y.shape, bool) if events is None else np.asarray(events, dtype=bool).reshape(y.shape)
    mask = mask | event
    known = np.where(mask, 0.0, y)
    cum_sum = np.concatenate([np.zeros((y.shape[0], 1)), np.cumsum(known, axis=1)], axis=1)
    cum_cnt = np.concatenate([np.zeros((y.shape[0], 1)), np.cumsum(~mask, axis=1)], axis=1)
    idx = np.arange(y.shape[1])
    lo = np.maximum(idx - window, 0)
    total = cum_sum[:, idx] - cum_sum[:, lo]
    count = cum_cnt[:, idx] - cum_cnt[:, lo]
    trailing = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    sold = np.where(np.isfinite(y), y, 0.0)
    estimate = np.where(np.isfinite(trailing), np.where(event, trailing, np.maximum(sold, trailing)), sold)
    return np.where(mask, estimate, y)


def row_quantile(values: np.ndarray, q: float) -> np.ndarray:
    """np.nanquantile(values, q, axis=1) (linear interpolation) for a 2-D array, by one sort instead of a Python
    call per row (the batch takes thousands of them per chunk); NaN for rows with nothing known."""
    v = np.sort(np.asarray(values, dtype=float), axis=1)  # NaN sort last
    count = np.isfinite(v).sum(axis=1)
    pos = q * np.maximum(count - 1, 0)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, np.maximum(count - 1, 0))
    rows = np.arange(v.shape[0])
    out = v[rows, lo] + (pos - lo) * (v[rows, hi] - v[rows, lo])
    return np.where(count > 0, out, np.nan)


def residual_band(residuals, forecast, width: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
    """Interval from earlier forecast errors (split-conformal): forecast + the errors' (1-width)/2 and (1+width)/2
    quantiles per row, clipped at zero. residuals is (series, n) of actual - forecast with NaN for unknown."""
    r = _rows(residuals)
    f = _rows(forecast)
    low_q, high_q = (1 - width) / 2, (1 + width) / 2
    known = np.isfinite(r).any(axis=1)
    filled = np.where(known[:, None], r, 0.0)
    low = row_quantile(filled, low_q)
    high = row_quantile(filled, high_q)
    lower = np.maximum(f + np.minimum(low, 0.0)[:, None], 0.0)
    upper = np.maximum(f + np.maximum(high, 0.0)[:, None], 0.0)
    return lower, upper
