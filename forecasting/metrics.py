"""Forecast accuracy measures on 2-D arrays (one row per series); NaN actuals (censored or missing days) are skipped.

MASE   = mean |actual - forecast| / scale, scale = in-sample mean |y(t) - y(t - lag)| (seasonal naive error)
sMAPE  = mean 2|actual - forecast| / (|actual| + |forecast|), a day with both zero counts as 0
bias   = mean (forecast - actual), in the series' units (positive = over-forecast)
coverage = share of actuals inside [lower, upper]
"""

from __future__ import annotations

import numpy as np


def _rows(values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[None, :] if array.ndim == 1 else array


def naive_scale(history, lag: int) -> np.ndarray:
    """Per row: mean |y(t) - y(t - lag)| over pairs where both values are known (NaN when there are none)."""
    y = _rows(history)
    if y.shape[1] <= lag:
        return np.full(y.shape[0], np.nan)
    diff = np.abs(y[:, lag:] - y[:, :-lag])
    with np.errstate(invalid="ignore"):
        return row_nanmean(diff)


def row_nanmean(values: np.ndarray) -> np.ndarray:
    """Row means ignoring NaN; NaN (no warning) for rows with nothing known."""
    known = np.isfinite(values)
    count = known.sum(axis=1)
    total = np.where(known, values, 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def mae(actual, forecast) -> np.ndarray:
    return row_nanmean(np.abs(_rows(actual) - _rows(forecast)))


def mase(actual, forecast, scale) -> np.ndarray:
    """MAE / scale per row; NaN where the scale is zero or unknown (a flat history has no naive error)."""
    scale = np.asarray(scale, dtype=float)
    error = mae(actual, forecast)
    return np.where(scale > 0, error / np.where(scale > 0, scale, 1.0), np.nan)


def smape(actual, forecast) -> np.ndarray:
    a, f = _rows(actual), _rows(forecast)
    denominator = np.abs(a) + np.abs(f)
    with np.errstate(invalid="ignore", divide="ignore"):
        term = np.where(denominator > 0, 2 * np.abs(a - f) / np.where(denominator > 0, denominator, 1.0), 0.0)
    return row_nanmean(np.where(np.isfinite(a), term, np.nan))


def bias(actual, forecast) -> np.ndarray:
    return row_nanmean(_rows(forecast) - _rows(actual))


def coverage(actual, lower, upper) -> np.ndarray:
    a = _rows(actual)
    inside = ((a >= _rows(lower)) & (a <= _rows(upper))).astype(float)
    return row_nanmean(np.where(np.isfinite(a), inside, np.nan))


def actual_mean(actual) -> np.ndarray:
    """Mean of the known actuals per row (to turn the bias into a share of demand)."""
    return row_nanmean(_rows(actual))


def known_points(actual) -> np.ndarray:
    return np.isfinite(_rows(actual)).sum(axis=1)
