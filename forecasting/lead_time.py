"""The lead-time demand distribution: conformal quantiles of cumulative demand over the next 1..h days.

What the reorder point needs is not a daily band but the distribution of the demand summed over the lead time.
For each backtest window w, lead time L (1..h) and series, the error of the cumulative forecast is normalised by
the series' spread at that window's origin:

    e(w, L) = (actual demand over days 1..L - forecast over days 1..L) / (sigma_w x sqrt(L))

sigma_w = standard deviation of the series' in-stock daily demand over the `sigma_window` days before the origin
(the same sigma as the z x sigma x sqrt(L) safety stock). The q-quantile of cumulative demand over L days after
the final origin is then

    Q_q(L) = forecast over days 1..L + e_q(L) x sigma x sqrt(L)

with e_q(L) the split-conformal quantile (the ceil((n + 1) q)-th smallest of n errors) of the series' own errors
where it has enough windows for that (n >= ceil((n + 1) q)), else of all errors of its group (e.g. intermittent or
smooth series of the same chunk), each scaled by its own series' sigma. With normal, independent daily errors
e_q(L) is z_q and Q_q(L) the textbook reorder point; the conformal factor takes over the skew of intermittent
demand and errors that grow faster than sqrt(L) (level shifts the forecast missed). Quantiles are made
non-decreasing in L and in q and never negative.
"""

from __future__ import annotations

import math

import numpy as np

#: Service levels whose lead-time demand quantile each forecast row stores (schema: forecasts.cum_q90 ...);
#: forecasting.policy interpolates between them.
LEVELS = (0.90, 0.95, 0.975, 0.99)
COLUMNS = {0.90: "cum_q90", 0.95: "cum_q95", 0.975: "cum_q975", 0.99: "cum_q99"}


def conformal_rank(n: int, q: float) -> int | None:
    """1-based rank of the split-conformal q-quantile among n errors; None when n is too few for q."""
    k = math.ceil((n + 1) * q - 1e-9)
    return k if 1 <= k <= n else None


def _conformal(values: np.ndarray, q: float) -> float:
    values = np.sort(values[np.isfinite(values)])
    k = conformal_rank(values.size, q)
    return float(values[k - 1]) if k else np.nan


def normalised_errors(actuals: list[np.ndarray], forecasts: list[np.ndarray],
                      sigmas: list[np.ndarray]) -> np.ndarray:
    """(series, windows, h) cumulative errors over lead times 1..h, divided by sigma_w x sqrt(L).

    actuals[w] and forecasts[w]: (series, h) demand (censored days estimated by the caller) and forecast of
    window w; sigmas[w]: (series,) spread before its origin. NaN where sigma is unknown or zero."""
    h = actuals[0].shape[1]
    root = np.sqrt(np.arange(1, h + 1))
    out = []
    for a, f, s in zip(actuals, forecasts, sigmas, strict=True):
        err = np.cumsum(np.asarray(a, float) - np.asarray(f, float), axis=1)
        s = np.asarray(s, float)
        ok = np.isfinite(s) & (s > 0)
        out.append(np.where(ok[:, None], err / (np.where(ok, s, 1.0)[:, None] * root), np.nan))
    return np.stack(out, axis=1)


def error_quantiles(errors: np.ndarray, groups: np.ndarray, levels=LEVELS) -> np.ndarray:
    """(series, h, levels) conformal quantiles e_q(L): a series' own errors where its windows suffice for q,
    else its group's pooled errors (NaN where even the group has too few)."""
    n, w, h = errors.shape
    out = np.full((n, h, len(levels)), np.nan)
    groups = np.asarray(groups)
    for j, q in enumerate(levels):
        own = conformal_rank(w, q)
        if own is not None:
            ranked = np.sort(np.where(np.isfinite(errors), errors, np.inf), axis=1)
            complete = np.isfinite(errors).all(axis=1)
            out[:, :, j] = np.where(complete, ranked[:, own - 1, :], np.nan)
        for g in np.unique(groups):
            rows = np.flatnonzero(groups == g)
            pooled = np.array([_conformal(errors[rows, :, step].ravel(), q) for step in range(h)])
            missing = ~np.isfinite(out[rows, :, j])
            out[rows, :, j] = np.where(missing, pooled[None, :], out[rows, :, j])
    return out


def cumulative_quantiles(forecast: np.ndarray, sigma: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """(series, h, levels) quantiles of cumulative demand over days 1..L after the final origin.

    Rows without a spread (sigma unknown or zero: never sold, or constant) get the cumulative forecast itself;
    rows whose factor is unknown (group too small) stay NaN: the inventory policy then uses z x sigma x sqrt(L)."""
    forecast = np.asarray(forecast, float)
    h = forecast.shape[1]
    cum = np.cumsum(forecast, axis=1)
    sigma = np.asarray(sigma, float)
    spread = np.where(np.isfinite(sigma) & (sigma > 0), sigma, 0.0)[:, None] * np.sqrt(np.arange(1, h + 1))
    out = cum[:, :, None] + np.where(spread[:, :, None] > 0, factors, 0.0) * spread[:, :, None]
    out = np.maximum(out, 0.0)
    # Cumulative demand never falls as the lead time grows, and a higher level never has a lower quantile.
    known = np.isfinite(out)
    out = np.maximum.accumulate(np.where(known, out, -np.inf), axis=1)
    out = np.maximum.accumulate(out, axis=2)
    return np.where(known, out, np.nan)
