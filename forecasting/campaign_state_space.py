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
    model = StateSpace(train, controls, daily)
    return model.forecast(train, future)


class StateSpace:
    """The model fitted (maximum likelihood) on `pre`; forecast() filters any stretch of the same series with
    those parameters, which makes a backtest one Kalman filter pass instead of a refit (the four or five variance
    parameters are hardly moved by the rows a backtest holds out)."""

    def __init__(self, pre: pd.DataFrame, controls: list[str], daily: bool):
        y = pre["y"].to_numpy(float)
        self.controls, self.daily = controls, daily
        self.scale = float(np.nanstd(y)) or 1.0
        self.centre = float(np.nanmean(y))
        if controls:
            a = pre[controls].to_numpy(float)
            self.exog_mean, self.exog_sd = a.mean(axis=0), a.std(axis=0)
            self.exog_sd[self.exog_sd == 0] = 1.0
        with warnings.catch_warnings():
            # convergence warnings of a small model: the backtests judge the fit, not the optimiser
            warnings.simplefilter("ignore")
            self.params = self._model(pre).fit(disp=False, maxiter=MAX_ITERATIONS).params

    def _exog(self, frame: pd.DataFrame):
        if not self.controls:
            return None
        return (frame[self.controls].to_numpy(float) - self.exog_mean) / self.exog_sd

    def _model(self, frame: pd.DataFrame):
        from statsmodels.tsa.statespace.structural import UnobservedComponents  # slow import, used on demand

        y = (frame["y"].to_numpy(float) - self.centre) / self.scale
        return UnobservedComponents(y, level="llevel", seasonal=7 if self.daily else None, exog=self._exog(frame))

    def forecast(self, train: pd.DataFrame, future: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """(mean over future's rows, standard error of their running sum), filtering train with the fitted
        parameters; also the one-step-ahead predictions over train as self.fitted."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = self._model(train).filter(self.params)
            forecast = result.get_forecast(len(future), exog=self._exog(future))
        self.fitted = np.asarray(result.fittedvalues, float) * self.scale + self.centre
        mean = np.asarray(forecast.predicted_mean, float) * self.scale + self.centre
        return mean, _sum_se(result, len(future)) * self.scale


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
