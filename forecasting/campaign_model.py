"""The counterfactual of a campaign: a model fitted on the pre-period and the calibrated error of its sums.

Models, in order of what the pre-period allows (the name is ``Counterfactual.method``):

- ``zero``: every known pre-period value is zero: the counterfactual is zero, with no error.
- ``mean`` / ``weekday_mean``: fewer than MIN_PROPHET known pre-period values (4 weeks of days, 13 weeks of
  weeks): the pre-period mean (per weekday for daily data with 2+ weeks). Its error is the residual spread,
  widened by FALLBACK_WIDENING because there is too little history to backtest it.
- ``regression`` (the default, model="regression"): forecasting.campaign_regression, a log-scale regression with
  AR(1) errors whose interval comes from the series' own placebo windows; too short to judge when fewer than 21
  known values or under 1.5 placebo windows' worth fit (1 when no calendar event touches either period).
- ``prophet`` (model="prophet"): Prophet (MAP fit, a stiff trend, weekly seasonality for daily data, yearly
  from two years of history, China's holidays and the shop events), with the control series as extra
  regressors. If Prophet raises, the weekday mean is used instead (the reason is in the notes).

Calibration (why: Prophet's per-day bands ignore autocorrelation and the trend's extrapolation error, so their
sum is far too narrow). The standard error of the cumulative effect after t post periods is the larger of

1. the in-sample estimate: t x the one-period error variance (the larger of the residuals' and the backtests'),
   plus what the residuals' positive autocorrelation adds to a sum of t, times (1 + t / n + t d^2 / Sxx) for the
   error of the fitted level and slope (a least-squares line's prediction variance), and
2. the out-of-sample estimate: the root mean square of the cumulative error after t periods over rolling-origin
   backtests inside the pre-period (windows as long as the post-period, after the same gap).

Long because it holds both counterfactual paths (the regression default and the opt-in Prophet / state-space
path) beside the fallback and the calendar handling they share.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from forecasting import campaign_regression as regression
from forecasting.campaign_events import covered_rows, plan_events
from forecasting.campaign_notes import Note
from forecasting.campaign_state_space import StateSpace
from forecasting.demand import DAILY, Frequency, align_holidays, quiet_prophet
from forecasting.shop_calendar import calendar_for

#: The counterfactual models estimate_effect can be asked for (the first is the default).
MODELS = ("regression", "prophet")
#: Known pre-period values needed for Prophet, by period length in days.
MIN_PROPHET = {1: 28, 7: 13}
#: Shortest training part of a backtest, by period length in days.
MIN_BACKTEST_TRAIN = {1: 28, 7: 13}
MAX_BACKTESTS = 6
#: Backtests needed before their errors are trusted; with fewer the in-sample estimate is widened instead.
MIN_BACKTESTS = 3
FALLBACK_WIDENING = 1.5
#: Prophet's trend flexibility: stiffer than its default (0.05), as the trend is extrapolated over the campaign.
CHANGEPOINT_PRIOR_SCALE = 0.02
#: Known pre-period rows per fitted parameter: holidays beyond that budget (after the controls and the weekly
#: seasonality) are left out, the most rarely seen first.
ROWS_PER_PARAMETER = 8
#: Widening of a backtest-calibrated interval: the error is estimated from a handful of placebo windows, and the
#: method is picked as the one that erred less on them (both make the estimate optimistic).
SELECTION_WIDENING = 1.1
Z95 = 1.959963984540054

log = logging.getLogger(__name__)


@dataclass
class Counterfactual:
    """What the campaign's periods would have been without it, and how wrong that can be.

    fitted: the model over the pre-period rows; predicted: over the post rows. point_se: the standard error of one
    period's prediction; cumulative_se[i]: of the sum over the known post rows up to row i. excluded: post rows
    left out of the effect (covered by a shop event the pre-period cannot support). false_alarms / n_placebos: of
    the placebo windows inside the pre-period (the backtests), how many the chosen method would have called
    significant with an interval calibrated on the others (how often it cries wolf on this series).
    """

    method: str
    fitted: np.ndarray
    predicted: np.ndarray
    point_se: float
    cumulative_se: np.ndarray
    n_backtests: int = 0
    notes: list[Note] = field(default_factory=list)
    excluded: np.ndarray | None = None
    false_alarms: int = 0
    n_placebos: int = 0
    #: False when the placebo windows are too few to judge by (a verdict is withheld)
    judgeable: bool = True


FitPredict = Callable[[pd.DataFrame, pd.DataFrame], np.ndarray]


def counterfactual(pre: pd.DataFrame, post: pd.DataFrame, freq: Frequency, controls: list[str],
                   holidays, gap: int, model: str = "regression", alpha: float = 0.05) -> Counterfactual:
    """Fit on `pre` (ds, y, control columns; y NaN = unknown) and predict `post` (ds, y, controls).

    gap: periods between the pre-period's end and the post-period's start (backtests keep the same gap).
    model: "regression" (forecasting.campaign_regression, the default) or "prophet" (Prophet or the state-space
    model, whichever erred less on the placebo windows; seconds per call).
    """
    if model not in MODELS:
        raise ValueError(f"unknown counterfactual model {model!r}; use one of {', '.join(MODELS)}")
    y = pre["y"].to_numpy(float)
    known = np.isfinite(y)
    notes: list[Note] = []
    if np.all(y[known] == 0):
        return Counterfactual("zero", np.zeros(len(pre)), np.zeros(len(post)), 0.0, np.zeros(len(post)),
                              notes=[Note("zero_history", "every pre-period value is zero: the counterfactual is "
                                          "zero")])
    calendar = _calendar(holidays, pre["ds"].iloc[0], post["ds"].iloc[-1])
    budget = int(known.sum()) // ROWS_PER_PARAMETER - len(controls) - (6 if freq is DAILY else 0)
    plan = plan_events(calendar, freq, pre, post, max(budget, 0))
    post_known = np.isfinite(post["y"].to_numpy(float)) & ~plan.post_blank
    if plan.post_events:
        notes.append(Note("events_excluded", f"{int(plan.post_blank.sum())} post-period periods of "
                          f"{', '.join(plan.post_events)} are left out of the effect: the pre-period holds too few "
                          "of them to tell the event from the campaign",
                          {"events": ", ".join(plan.post_events), "periods": int(plan.post_blank.sum())}))
    if model == "prophet":
        fitted = _fit(pre, post, freq, controls, plan.calendar, gap, post_known, notes)
    else:
        fitted = _regression(pre, post, freq, controls, plan.calendar, gap, post_known, notes, alpha, plan.quiet)
    fitted.excluded = plan.post_blank
    return fitted


def _regression(pre: pd.DataFrame, post: pd.DataFrame, freq: Frequency, controls: list[str], calendar, gap: int,
                post_known: np.ndarray, notes: list[Note], alpha: float, quiet: bool = False) -> Counterfactual:
    """The log-scale regression with AR(1) errors, its interval from the placebo windows (the weekday mean when
    the pre-period is too short to fit it). quiet: no calendar event touches the pre- or post-period (a short
    pre-period is then judged, see campaign_regression.judgeable)."""
    y = pre["y"].to_numpy(float)
    n_known = int(np.isfinite(y).sum())
    # fewer rows than one placebo window needs (training plus the shortest window): nothing can check the model
    needed = regression.MIN_TRAIN[freq.step_days] + regression.MIN_WINDOW[freq.step_days]
    if n_known < needed:
        notes.append(Note("short_pre_period", f"only {n_known} known pre-period values: the pre-period mean is the "
                          f"counterfactual (the model needs {needed}); its interval is widened",
                          {"known": n_known, "needed": needed}))
        return _fallback(pre, post, freq, controls, gap, notes)
    timeline = pd.concat([pre["ds"], post["ds"]], ignore_index=True)
    holiday_rows = {}
    if calendar is not None and not calendar.empty:
        covered = covered_rows(calendar, freq, timeline.iloc[0], timeline.iloc[-1])
        for name, rows in covered.groupby("holiday"):
            holiday_rows[str(name)] = timeline.isin(set(rows["ds"])).to_numpy()
    result = regression.estimate(pre, post, freq.step_days, controls, holiday_rows, gap, post_known, alpha)
    z = float(stats.norm.ppf(1 - alpha / 2))
    running = np.cumsum(np.where(post_known, result.predicted, 0.0))
    cumulative_se = result.half / z * np.abs(running)
    n_placebos = int(result.errors.shape[0])
    if n_placebos == 0:
        notes.append(Note("few_backtests", "no placebo window fits in the pre-period: the model's own interval is "
                          "used, widened", {"count": 0, "widening": FALLBACK_WIDENING}))
        cumulative_se = cumulative_se * FALLBACK_WIDENING
    level = float(np.nanmean(np.abs(result.predicted))) if result.predicted.size else 0.0
    point_se = max(result.residual_sd, level * float(np.nanmax(result.model_half)) / z if result.model_half.size
                   else 0.0)
    out = Counterfactual("regression", result.fitted, result.predicted, point_se, cumulative_se, n_placebos, notes)
    out.false_alarms, out.n_placebos = int(result.false_alarms), n_placebos
    if n_placebos and not regression.judgeable(result.k_eff, quiet):
        out.judgeable = False
        span = math.floor(result.k_eff * 10) / 10  # 1.95 is shown as 1.9, not as the 2 it falls short of
        notes.append(Note("few_placebos", f"the {n_placebos} placebo windows of the campaign's length span only "
                          f"{span} such windows of the pre-period: too few to judge the model by",
                          {"count": n_placebos, "span": span}))
    return out


def _fit(pre: pd.DataFrame, post: pd.DataFrame, freq: Frequency, controls: list[str], calendar, gap: int,
         post_known: np.ndarray, notes: list[Note]) -> Counterfactual:
    """Prophet and the state-space model, each backtested on placebo windows inside the pre-period; the one whose
    placebo sums erred less is the counterfactual (the weekday mean when the pre-period is too short)."""
    y = pre["y"].to_numpy(float)
    n_known = int(np.isfinite(y).sum())
    if n_known < MIN_PROPHET[freq.step_days]:
        needed = MIN_PROPHET[freq.step_days]
        notes.append(Note("short_pre_period", f"only {n_known} known pre-period values: the pre-period mean is the "
                          f"counterfactual (Prophet needs {needed}); its interval is widened",
                          {"known": n_known, "needed": needed}))
        return _fallback(pre, post, freq, controls, gap, notes)
    fit_predict = _prophet_fit_predict(freq, controls, calendar, pre["ds"].iloc[0], post["ds"].iloc[-1])
    try:
        whole = fit_predict(pre, pd.concat([pre, post], ignore_index=True))
    except Exception as exc:  # noqa: BLE001 - any Stan/Prophet failure falls back, the reason is kept
        log.warning("prophet failed, weekday mean used instead: %s", exc)
        return _fallback(pre, post, freq, controls, gap,
                         [*notes, Note("prophet_failed", f"prophet failed ({exc}): the pre-period mean is the "
                                       "counterfactual", {"error": str(exc)})])
    fitted, predicted = whole[: len(pre)], whole[len(pre):]
    errors = _backtests(pre, fit_predict, len(post), gap, freq)
    prophet_notes: list[Note] = []
    point_se, cumulative_se = _calibrate(y - fitted, errors, post_known, gap, prophet_notes)
    best = Counterfactual("prophet", fitted, predicted, point_se, cumulative_se, len(errors), prophet_notes)
    best.false_alarms, best.n_placebos = _false_alarms(errors, y - fitted, gap)
    rival = _state_space(pre, post, freq, controls, gap, post_known)
    if rival is not None and (len(errors) < MIN_BACKTESTS or _placebo_error(rival[1]) < _placebo_error(errors)):
        # without placebo windows to judge Prophet by, the state-space model's own error of the sums (its state
        # and noise) is the better-founded interval than Prophet's widened residuals
        best = rival[0]
    best.cumulative_se = best.cumulative_se * SELECTION_WIDENING if best.n_backtests >= MIN_BACKTESTS \
        else best.cumulative_se
    best.notes = notes + best.notes
    return best


def _placebo_error(errors: list[np.ndarray]) -> float:
    """Root mean square of the placebo windows' summed error (inf without windows)."""
    if not errors:
        return math.inf
    return float(np.sqrt(np.mean([np.nansum(e) ** 2 for e in errors])))


def _false_alarms(errors: list[np.ndarray], residual: np.ndarray, gap: int) -> tuple[int, int]:
    """(placebo windows called significant, windows): each window's summed error against a 95% interval
    calibrated, as the estimate is, on the other windows and the residuals."""
    if len(errors) < MIN_BACKTESTS:
        return 0, 0
    alarms = 0
    for j, e in enumerate(errors):
        others = [x for i, x in enumerate(errors) if i != j]
        known = np.isfinite(e)
        se = _calibrate(residual, others, known, gap, [])[1]
        if np.isfinite(se[-1]) and abs(np.nansum(e)) > Z95 * se[-1] * SELECTION_WIDENING:
            alarms += 1
    return alarms, len(errors)


def _state_space(pre: pd.DataFrame, post: pd.DataFrame, freq: Frequency, controls: list[str], gap: int,
                 post_known: np.ndarray) -> tuple[Counterfactual, list[np.ndarray]] | None:
    """The state-space counterfactual with its placebo errors, or None when statsmodels cannot fit it."""
    try:
        model = StateSpace(pre, controls, daily=freq is DAILY)
        future = pd.concat([post.iloc[:0], _gap_rows(pre, post, gap), post], ignore_index=True)
        mean, sum_se = model.forecast(pre, future)
    except Exception as exc:  # noqa: BLE001 - the Prophet counterfactual stands on its own
        log.warning("state-space model failed: %s", exc)
        return None
    predicted = mean[gap:]
    fitted = model.fitted

    def fit_predict(train: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
        # train and test are slices of pre: the rows between them (a washout gap) are forecast over, not shown
        skip = test.index[0] - train.index[-1] - 1
        return model.forecast(train, pre.iloc[train.index[-1] + 1: test.index[-1] + 1])[0][skip:]

    errors = _backtests(pre, fit_predict, len(post), gap, freq)
    notes: list[Note] = []
    y = pre["y"].to_numpy(float)
    point_se, cumulative_se = _calibrate(y - fitted, errors, post_known, gap, notes)
    # the model's own error of the sums (its state and noise), over the known post rows only
    model_se = _masked_sum_se(sum_se[gap:], post_known)
    cumulative_se = np.maximum(cumulative_se, model_se)
    out = Counterfactual("state_space", fitted, predicted, point_se, cumulative_se, len(errors), notes)
    out.false_alarms, out.n_placebos = _false_alarms(errors, y - fitted, gap)
    return out, errors


def _gap_rows(pre: pd.DataFrame, post: pd.DataFrame, gap: int) -> pd.DataFrame:
    """The washout rows between the periods (controls carried over from the post-period's first row)."""
    if gap <= 0:
        return post.iloc[:0]
    rows = post.iloc[[0] * gap].copy()
    rows["y"] = np.nan
    return rows


def _masked_sum_se(sum_se: np.ndarray, known: np.ndarray) -> np.ndarray:
    """A running sum's standard error over the known rows only: the error of the rows summed so far, scaled
    from the model's sum of that many rows (a conservative stand-in for the exact masked sum)."""
    counts = np.cumsum(known)
    return np.array([sum_se[max(c - 1, 0)] if c else 0.0 for c in counts])


def _calibrate(residual: np.ndarray, errors: list[np.ndarray], post_known: np.ndarray, gap: int,
               notes: list[Note]) -> tuple[float, np.ndarray]:
    """Point and cumulative standard errors (one per post row: of the sum over the known rows up to it).

    The point error is the larger of the residuals' and the backtests' root mean square error (in-sample residuals
    of a flexible fit understate it); the cumulative one the larger of the in-sample and the backtest estimate."""
    point = _point_sd(residual)
    if len(errors) < MIN_BACKTESTS:
        notes.append(Note("few_backtests", f"only {len(errors)} backtests fit in the pre-period: the in-sample "
                          f"interval is widened {FALLBACK_WIDENING}x",
                          {"count": len(errors), "widening": FALLBACK_WIDENING}))
        in_sample = _in_sample_se(residual, post_known, gap, point ** 2, trend=True)
        return point * FALLBACK_WIDENING, in_sample * FALLBACK_WIDENING
    matrix = np.vstack(errors)
    flat = matrix[np.isfinite(matrix)]
    if flat.size:
        point = max(point, float(np.sqrt(np.mean(flat ** 2))))
    in_sample = _in_sample_se(residual, post_known, gap, point ** 2, trend=True)
    backtest = np.sqrt(np.mean(np.cumsum(np.nan_to_num(matrix), axis=1) ** 2, axis=0))
    window = backtest.size
    if window < post_known.size:
        # Windows shorter than the post-period: the error is taken to keep growing linearly (the worst case, an
        # error that persists), so the shortfall widens the interval rather than narrowing it.
        rows = np.arange(window + 1, post_known.size + 1)
        backtest = np.concatenate([backtest, backtest[-1] * rows / window])
        notes.append(Note("short_backtests", f"backtest windows are {window} periods, shorter than the "
                          "post-period: their error is extrapolated linearly", {"window": window}))
    return point, np.maximum(in_sample, backtest)


def _point_sd(residual: np.ndarray) -> float:
    r = residual[np.isfinite(residual)]
    return float(np.sqrt(np.mean(r ** 2))) if r.size >= 2 else math.nan


def _in_sample_se(residual: np.ndarray, post_known: np.ndarray, gap: int, variance: float,
                  trend: bool) -> np.ndarray:
    """Per post row, the in-sample standard error of the sum over the known post rows up to it: t periods of error
    variance `variance`, plus the error of the fitted level (t / n) and, for a model with a trend, of its slope
    (t d^2 / Sxx, d = distance from the pre-period's centre to the summed periods' centre): the prediction
    variance of a least-squares line, a lower bound for Prophet's piecewise trend."""
    known_pre = np.flatnonzero(np.isfinite(residual))
    n = known_pre.size
    centre = known_pre.mean() if n else 0.0
    sxx = float(((known_pre - centre) ** 2).sum())
    positions = residual.size + gap + np.arange(post_known.size)
    out = np.full(post_known.size, np.nan)
    for i in range(post_known.size):
        summed = positions[: i + 1][post_known[: i + 1]]
        t = max(summed.size, 1)
        distance = summed.mean() - centre if summed.size else 0.0
        factor = 1 + t / max(n, 1) + (t * distance ** 2 / sxx if trend and sxx > 0 else 0.0)
        out[i] = _sum_se(residual, t, variance, factor)
    return out


def _sum_se(residual: np.ndarray, t: int, variance: float, factor: float) -> float:
    """Standard error of a sum of t consecutive errors of one-period variance `variance`, plus what the residuals'
    positive autocorrelation adds (sum over 0 < |k| < t of (t - |k|) x gamma_k), times `factor` for the fitted
    model's own error. Negative autocorrelation is not trusted to narrow it: the sample autocovariances of
    residuals are biased low. Gaps count as missing pairs, not zeros."""
    r = residual - np.nanmean(residual)
    n = int(np.isfinite(r).sum())
    if n < 2 or not np.isfinite(variance):
        return math.nan
    extra = 0.0
    for k in range(1, min(t, n // 3 + 1)):
        products = r[k:] * r[:-k]
        if np.isfinite(products).sum() < 2:
            break
        extra += 2 * (t - k) * float(np.nanmean(products))
    return float(np.sqrt((t * variance + max(extra, 0.0)) * factor))


def _backtests(pre: pd.DataFrame, fit_predict: FitPredict, horizon: int, gap: int,
               freq: Frequency) -> list[np.ndarray]:
    """Errors (actual - prediction, NaN where unknown) of rolling-origin backtests inside the pre-period: windows
    of up to `horizon` rows, half-overlapping, ending at the pre-period's end and stepping back MAX_BACKTESTS
    times while the training part keeps MIN_BACKTEST_TRAIN rows."""
    n = len(pre)
    min_train = MIN_BACKTEST_TRAIN[freq.step_days]
    window = min(horizon, n - min_train - gap)
    if window < 1:
        return []
    step = max(1, math.ceil(window / 2))
    errors = []
    for j in range(MAX_BACKTESTS):
        test_start = n - window - j * step
        train = pre.iloc[: test_start - gap]
        if train["y"].notna().sum() < min_train:
            break
        test = pre.iloc[test_start: test_start + window]
        try:
            errors.append(test["y"].to_numpy(float) - fit_predict(train, test))
        except Exception as exc:  # noqa: BLE001 - a failed backtest is left out, the rest still calibrate
            log.warning("backtest fit failed: %s", exc)
    return errors


def _prophet_fit_predict(freq: Frequency, controls: list[str], holidays, first: pd.Timestamp,
                         last: pd.Timestamp) -> FitPredict:
    """fit_predict(train, future): Prophet fitted on train's known rows, its yhat over future's rows (all within
    [first, last]: the holiday calendar is built once for that range, not per fit)."""
    calendar = _calendar(holidays, first, last)
    quiet_prophet()
    from prophet import Prophet  # imported on use: it is slow to import and nothing fits at import time

    quiet_prophet()  # again: importing prophet.forecaster sets its logger to INFO

    def fit_predict(train: pd.DataFrame, future: pd.DataFrame) -> np.ndarray:
        rows = train.dropna(subset=["y", *controls])
        span_days = (rows["ds"].iloc[-1] - rows["ds"].iloc[0]).days
        model = Prophet(
            growth="linear",
            n_changepoints=min(10, len(rows) // 14),
            changepoint_prior_scale=CHANGEPOINT_PRIOR_SCALE,
            yearly_seasonality=span_days >= 730,
            weekly_seasonality=freq is DAILY,
            daily_seasonality=False,
            holidays=_aligned(calendar, freq, rows["ds"].iloc[0], future["ds"].iloc[-1]),
            uncertainty_samples=0,  # the bands are calibrated here, not sampled
        )
        for name in controls:
            model.add_regressor(name)
        model.fit(rows[["ds", "y", *controls]])
        return model.predict(future[["ds", *controls]].reset_index(drop=True))["yhat"].to_numpy(float)

    return fit_predict


def _calendar(holidays, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame | None:
    """holidays (a country code, "china", a frame in Prophet's format, or None) as a frame (or None)."""
    return calendar_for(holidays, first.date(), last.date())


def _aligned(calendar: pd.DataFrame | None, freq: Frequency, first: pd.Timestamp,
             last: pd.Timestamp) -> pd.DataFrame | None:
    """The calendar's holidays within [first, last], on the series' grid (None when there are none)."""
    if calendar is None or calendar.empty:
        return None
    aligned = align_holidays(calendar, freq, first, last)
    return aligned if not aligned.empty else None


def _fallback(pre: pd.DataFrame, post: pd.DataFrame, freq: Frequency, controls: list[str], gap: int,
              notes: list[Note]) -> Counterfactual:
    """The pre-period mean (per weekday for daily data with two weeks of known days), interval widened."""
    y = pre["y"].to_numpy(float)
    known = np.isfinite(y)
    mean = float(np.mean(y[known]))
    if freq is DAILY and known.sum() >= 14:
        method = "weekday_mean"
        by_day = pd.Series(y[known]).groupby(pre["ds"].dt.day_of_week.to_numpy()[known]).mean()
        fitted = pre["ds"].dt.day_of_week.map(by_day).fillna(mean).to_numpy(float)
        predicted = post["ds"].dt.day_of_week.map(by_day).fillna(mean).to_numpy(float)
    else:
        method = "mean"
        fitted, predicted = np.full(len(pre), mean), np.full(len(post), mean)
    if controls:
        notes.append(Note("fallback_ignores_controls", "the fallback does not use the control series"))
    residual = y - fitted
    point = _point_sd(residual)
    post_known = np.isfinite(post["y"].to_numpy(float))
    cumulative = _in_sample_se(residual, post_known, gap, point ** 2, trend=False) * FALLBACK_WIDENING
    return Counterfactual(method, fitted, predicted, point * FALLBACK_WIDENING, cumulative,
                          notes=notes)
