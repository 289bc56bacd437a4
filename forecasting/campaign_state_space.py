"""A Bayesian-structural-time-series-style counterfactual: statsmodels' UnobservedComponents (local level, weekly
seasonality for daily data, the control series as regression), as Google's CausalImpact fits it.

`state_space_forecast(train, future, controls, daily)` fits on train's rows (y NaN = unknown, handled by the Kalman
filter) and returns the forecast over future's rows with the model's own standard error of each running sum (the
exact variance of a sum of a linear Gaussian state-space forecast: the end state's uncertainty carried forward,
every later state shock and the observation noise). That model-based error ignores the parameters' estimation
error, which is why forecasting.campaign_model still floors it at backtests.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

#: Optimiser iterations: the likelihood of these small models is flat near its optimum; more iterations cost time
#: without moving the forecast.
MAX_ITERATIONS = 60


def state_space_forecast(train: pd.DataFrame, future: pd.DataFrame, controls: list[str],
                         daily: bool) -> tuple[np.ndarray, np.ndarray]:
    """(forecast over future's rows, standard error of the running sum of future's rows). train, future: ds, y and
    the control columns (controls known on every row). Raises what statsmodels raises on a model it cannot fit."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents  # slow import, used on demand

    y = train["y"].to_numpy(float)
    scale = float(np.nanstd(y)) or 1.0
    centre = float(np.nanmean(y))
    exog = _standardised(train, future, controls)
    with warnings.catch_warnings():
        # convergence and frequency warnings of a small model: the backtests judge the fit, not the optimiser
        warnings.simplefilter("ignore")
        model = UnobservedComponents((y - centre) / scale, level="llevel", seasonal=7 if daily else None,
                                     exog=exog[0] if exog else None)
        result = model.fit(disp=False, maxiter=MAX_ITERATIONS)
        forecast = result.get_forecast(len(future), exog=exog[1] if exog else None)
        mean = np.asarray(forecast.predicted_mean, float) * scale + centre
    return mean, _sum_se(result, len(future)) * scale


def _standardised(train: pd.DataFrame, future: pd.DataFrame, controls: list[str]):
    """Controls scaled by the training rows' mean and spread (the optimiser works on comparable numbers)."""
    if not controls:
        return None
    a, b = train[controls].to_numpy(float), future[controls].to_numpy(float)
    mean, sd = a.mean(axis=0), a.std(axis=0)
    sd[sd == 0] = 1.0
    return (a - mean) / sd, (b - mean) / sd


def _sum_se(result, horizon: int) -> np.ndarray:
    """Standard error of the running sum of the forecast, per horizon step (regression coefficients taken as known).

    With a_1 the state after the data (covariance P), a_{k+1} = T a_k + R e_k and y_k = Z a_k + noise (variance H),
    the sum of y_1..y_t is (sum_{k<t} Z T^k) a_1 + sum_j (sum_{k<t-1-j} Z T^k) R e_j + noise."""
    model = result.model.ssm
    design = np.asarray(model["design"])[:, :, 0] if np.ndim(model["design"]) == 3 else np.asarray(model["design"])
    transition = _matrix(model["transition"])
    selection = _matrix(model["selection"])
    state_cov = _matrix(model["state_cov"])
    obs_var = float(_matrix(model["obs_cov"])[0, 0])
    p = np.asarray(result.filter_results.predicted_state_cov)[:, :, -1]
    shock = selection @ state_cov @ selection.T
    z = design[0]
    powers = [z]  # Z T^k
    for _ in range(1, horizon):
        powers.append(powers[-1] @ transition)
    partial = np.cumsum(np.vstack(powers), axis=0)  # row m: sum_{k<=m} Z T^k
    start = np.einsum("ti,ij,tj->t", partial, p, partial)  # the end state's uncertainty, per running sum
    shocks = np.einsum("ti,ij,tj->t", partial, shock, partial)  # q[m]: one shock feeding m + 1 later periods
    later = np.concatenate([[0.0], np.cumsum(shocks)[:-1]])  # sum over m < t - 1 of q[m]
    steps = np.arange(1, horizon + 1)
    return np.sqrt(np.maximum(start + later + steps * obs_var, 0.0))


def _matrix(value) -> np.ndarray:
    array = np.asarray(value, float)
    return array[:, :, 0] if array.ndim == 3 else array
