"""The fitting core of the campaign regression (forecasting.campaign_regression): least squares with AR(1) errors
(Prais-Winsten, two passes) or a local level on the residuals, its forecast with the covariance of the forecast
errors, and the way back from the log scale."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: AR(1) coefficient bounds: negative autocorrelation is not trusted to narrow the interval.
PHI_MAX = 0.95


@dataclass
class Fit:
    beta: np.ndarray
    phi: float
    sigma: float  # innovation sd
    cov_beta: np.ndarray
    last_error: float
    last_row: int  # index (in the fitted rows' frame) of the last known row
    #: smoothing weight of a local level on the residuals (None: AR(1) errors)
    smoothing: float | None = None


def fit(x: np.ndarray, z: np.ndarray, index: np.ndarray, local_level: bool = False) -> Fit:
    """Least squares, then two Prais-Winsten passes for AR(1) errors (pairs of rows one grid step apart); or, with
    local_level, least squares and a local level (simple exponential smoothing) on its residuals."""
    known = np.isfinite(z)
    xs, zs, ix = x[known], z[known], index[known]
    beta = np.linalg.lstsq(xs, zs, rcond=None)[0]
    if local_level:
        return _local_level_fit(xs, zs, ix, beta)
    phi = 0.0
    consecutive = np.concatenate([[False], np.diff(ix) == 1])
    for _ in range(2):
        e = zs - xs @ beta
        if consecutive.sum() >= 3:
            prev, cur = e[:-1][consecutive[1:]], e[1:][consecutive[1:]]
            denom = float(np.dot(prev, prev))
            phi = float(np.clip(np.dot(prev, cur) / denom, 0.0, PHI_MAX)) if denom > 0 else 0.0
        xt, zt = _prais(xs, zs, consecutive, phi)
        beta = np.linalg.lstsq(xt, zt, rcond=None)[0]
    xt, zt = _prais(xs, zs, consecutive, phi)
    u = zt - xt @ beta
    rank = int(np.linalg.matrix_rank(xt)) if xt.size else 0
    dof = max(len(zs) - rank - (1 if phi > 0 else 0), 1)
    sigma = float(np.sqrt(np.dot(u, u) / dof))
    cov = sigma ** 2 * np.linalg.pinv(xt.T @ xt)
    e = zs - xs @ beta
    return Fit(beta, phi, sigma, cov, float(e[-1]), int(ix[-1]))


#: Smoothing weights tried for the residuals' local level (one-step squared error picks one).
SMOOTHING = np.array([0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.45, 0.6])


def _local_level_fit(xs: np.ndarray, zs: np.ndarray, ix: np.ndarray, beta: np.ndarray) -> Fit:
    """The regression's residuals as a local level plus noise (ARIMA(0,1,1)): the smoothing weight with the smallest
    one-step error, the level at the end carried into the forecast."""
    e = zs - xs @ beta
    levels = np.zeros(SMOOTHING.size)
    sse = np.zeros(SMOOTHING.size)
    burn = min(7, e.size // 4)
    for t, value in enumerate(e):
        miss = value - levels
        if t >= burn:
            sse += miss ** 2
        levels = levels + SMOOTHING * miss
    best = int(np.argmin(sse))
    rank = int(np.linalg.matrix_rank(xs))
    sigma = float(np.sqrt(sse[best] / max(e.size - burn - rank - 1, 1)))
    cov = float(np.dot(e, e)) / max(e.size - rank, 1) * np.linalg.pinv(xs.T @ xs)
    return Fit(beta, 0.0, sigma, cov, float(levels[best]), int(ix[-1]), float(SMOOTHING[best]))


def _prais(x: np.ndarray, z: np.ndarray, consecutive: np.ndarray, phi: float) -> tuple[np.ndarray, np.ndarray]:
    if phi == 0:
        return x, z
    xt, zt = x.copy(), z.copy()
    lagged = np.flatnonzero(consecutive)
    xt[lagged] = x[lagged] - phi * x[lagged - 1]
    zt[lagged] = z[lagged] - phi * z[lagged - 1]
    first = np.flatnonzero(~consecutive)
    factor = math.sqrt(1 - phi ** 2)
    xt[first] *= factor
    zt[first] *= factor
    return xt, zt


def forecast(f: Fit, x: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean on the model scale, covariance of the forecast errors) over rows x at grid positions index."""
    h = index - f.last_row
    if f.smoothing is not None:
        # y_{T+h} - level_T = eps_{T+h} + a (eps_{T+1} + ... + eps_{T+h-1})
        a = f.smoothing
        lo = np.minimum.outer(h, h)
        cov = f.sigma ** 2 * ((lo - 1) * a ** 2 + np.where(np.equal.outer(h, h), 1.0, a))
        return x @ f.beta + f.last_error, cov + x @ f.cov_beta @ x.T
    mean = x @ f.beta + f.last_error * f.phi ** h
    # AR(1) forecast errors: e_{T+h} = sum_{m=1..h} phi^(h-m) u_{T+m}
    lo = np.minimum.outer(h, h)
    diff = np.abs(np.subtract.outer(h, h))
    if f.phi > 0:
        geometric = (1 - f.phi ** (2 * lo)) / (1 - f.phi ** 2)
        cov = f.sigma ** 2 * f.phi ** diff * geometric
    else:
        cov = f.sigma ** 2 * (diff == 0)
    cov = cov + x @ f.cov_beta @ x.T
    return mean, cov


def back(mean: np.ndarray, cov: np.ndarray, offset: float, logged: bool) -> np.ndarray:
    """The forecast on the original scale (the log-normal mean)."""
    if not logged:
        return mean
    return np.exp(mean + 0.5 * np.diag(cov)) - offset
