"""Campaign effect (CausalImpact-style): actual minus a counterfactual fitted on the pre-period, with honest intervals.

`estimate_effect(series, pre_period, post_period, controls=None)` fits the counterfactual on the pre-period only
(forecasting.campaign_model: Prophet with the control series as regressors, or a documented fallback), predicts
the post-period, and reports the pointwise and cumulative effect, the relative lift and a two-sided p-value. The
intervals come from the calibrated standard error of the counterfactual's sums (rolling-origin backtests and
autocorrelated residuals of the pre-period), and the p-value is the same normal test, so p < alpha exactly when
the cumulative interval excludes zero.

Odd inputs: gaps are unknown periods (not zeros) and are left out of the sums; a post-period reaching past the
data is clipped (noted); pre/post periods that overlap, are reversed or hold no data raise ValueError.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from forecasting.campaign_inputs import CONTROL_PREFIX, check_controls, merge_controls, prepare_series, resolve_periods
from forecasting.campaign_model import Counterfactual, counterfactual
from forecasting.campaign_notes import Note
from forecasting.demand import DAILY, Frequency

#: Predicted totals below this share of the pre-period's mean absolute level count as zero for the relative lift.
ZERO_TOTAL_SHARE = 1e-6
#: The power the minimum detectable lift is stated at.
POWER = 0.8


@dataclass(frozen=True)
class CampaignEffect:
    """The effect of a campaign over its post-period (sums over the post-period's known periods).

    daily: one row per period of the pre- and post-period, columns ds (datetime64), period ("pre" | "post"),
    actual, predicted, predicted_lower, predicted_upper, effect (= actual - predicted), effect_lower, effect_upper,
    and over the post rows cumulative_effect, cumulative_lower, cumulative_upper (NaN on pre rows).
    relative_*: effect / counterfactual total (NaN, with a note, when the counterfactual total is about zero;
    relative_upper +inf when the interval's counterfactual total reaches zero). Intervals are (1 - alpha).
    notes: what the estimate had to assume or leave out, in English; note_details: the same as Note(code, text,
    values) for a page to word in the user's language (codes in forecasting.campaign_notes.CODES).
    """

    cumulative_effect: float
    cumulative_lower: float
    cumulative_upper: float
    relative_lift: float
    relative_lower: float
    relative_upper: float
    p_value: float
    actual_total: float
    predicted_total: float
    predicted_total_lower: float
    predicted_total_upper: float
    average_effect: float
    average_lower: float
    average_upper: float
    standard_error: float
    alpha: float
    method: str
    frequency: str
    pre_period: tuple[pd.Timestamp, pd.Timestamp]
    post_period: tuple[pd.Timestamp, pd.Timestamp]
    n_pre: int
    n_post: int
    controls: tuple[str, ...]
    n_backtests: int
    notes: tuple[str, ...]
    note_details: tuple[Note, ...]
    daily: pd.DataFrame
    #: The smallest relative lift this estimate would call significant 80% of the time (NaN without an interval).
    minimum_detectable_lift: float = math.nan
    #: Placebo windows inside the pre-period the chosen method called significant, out of n_placebos.
    false_alarms: int = 0
    n_placebos: int = 0
    #: True when the pre-period is too short to check the model on even one placebo window: no verdict is given.
    too_short: bool = False
    #: Shop events in the post-period left out of the effect (the pre-period cannot tell them from the campaign).
    excluded_events: tuple[str, ...] = ()

    @property
    def significant(self) -> bool:
        """True when the two-sided p-value is below alpha (the cumulative interval excludes zero). The verdict
        still withholds judgement when the pre-period is too short to check the model (too_short)."""
        return bool(np.isfinite(self.p_value) and self.p_value < self.alpha)

    @property
    def verdict(self) -> str:
        """For the page's plain-language verdict: "increase" or "decrease" when significant, "no_clear_effect" when
        not, "too_short" when the pre-period cannot check the model, "unknown" when there is no interval."""
        if not np.isfinite(self.p_value):
            return "unknown"
        if self.too_short:
            return "too_short"
        if not self.significant:
            return "no_clear_effect"
        return "increase" if self.cumulative_effect > 0 else "decrease"

    @property
    def post(self) -> pd.DataFrame:
        """The post-period rows of `daily`."""
        return self.daily[self.daily["period"] == "post"].reset_index(drop=True)


def incremental_roas(effect_revenue, spend) -> float:
    """Incremental ROAS = incremental revenue / campaign spend; NaN when either is missing or spend is not > 0."""
    try:
        revenue, cost = float(effect_revenue), float(spend)
    except (TypeError, ValueError):
        return math.nan
    if not (math.isfinite(revenue) and math.isfinite(cost)) or cost <= 0:
        return math.nan
    return revenue / cost


def estimate_effect(series: pd.DataFrame, pre_period, post_period, controls: pd.DataFrame | None = None,
                    alpha: float = 0.05, *, holidays: pd.DataFrame | str | None = "china",
                    model: str = "regression") -> CampaignEffect:
    """Estimate the effect of a campaign on `series` (columns ds, y; daily or weekly).

    pre_period, post_period: (start, end) dates, both ends included; the pre-period must end before the
    post-period starts. controls: optional DataFrame with ds and one numeric column per control series (other
    stores or channels the campaign did not touch), covering both periods; they become Prophet regressors.
    holidays: "china" (public holidays + shop events), a frame in Prophet's holiday format, or None.
    model: "regression" (the default: a log-scale regression with AR(1) errors, well under a second) or "prophet"
    (Prophet against the state-space model; seconds per call). See forecasting.campaign_model.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha}")
    notes: list[Note] = []
    frame, freq = prepare_series(series)
    names = merge_controls(frame, controls, notes)
    columns = [f"{CONTROL_PREFIX}{i}" for i in range(len(names))]
    pre_period, post_period = resolve_periods(frame, freq, pre_period, post_period, notes)
    pre = frame[frame["ds"].between(*pre_period)].reset_index(drop=True)
    post = frame[frame["ds"].between(*post_period)].reset_index(drop=True)
    pre = check_controls(pre, post, names, notes)
    if pre["y"].notna().sum() == 0:
        raise ValueError(f"the pre-period {pre_period[0].date()} .. {pre_period[1].date()} has no known values"
                         + (" with every control known" if names else ""))
    if post["y"].notna().sum() == 0:
        raise ValueError(f"the post-period {post_period[0].date()} .. {post_period[1].date()} has no known values")
    unknown = int(post["y"].isna().sum())
    if unknown:
        notes.append(Note("post_gaps", f"{unknown} post-period periods have no value and are left out of the sums",
                          {"periods": unknown}))
    gap = int(round((post["ds"].iloc[0] - pre["ds"].iloc[-1]).days / freq.step_days)) - 1
    model = counterfactual(pre, post, freq, columns, holidays, gap, model, alpha)  # the name, then the fit
    notes.extend(model.notes)
    # post rows of a shop event the pre-period cannot support are left out of the sums, like gaps; when that
    # leaves nothing the estimate stands but gives no verdict (too little to tell the event from the campaign)
    excluded = model.excluded if model.excluded is not None else np.zeros(len(post), bool)
    event_only = bool(excluded.any() and post["y"].where(~excluded).notna().sum() == 0)
    if excluded.any() and not event_only:
        post = post.copy()
        post.loc[excluded, "y"] = np.nan
    known_pre = pre["y"].dropna().to_numpy(float)
    daily = _daily(pre, post, model, alpha, nonnegative=bool(known_pre.min() >= 0))
    return _summarise(daily, model, alpha, freq, pre_period, post_period, names, notes,
                      level=float(np.mean(np.abs(known_pre))), n_pre=known_pre.size, event_only=event_only)


def _daily(pre: pd.DataFrame, post: pd.DataFrame, model: Counterfactual, alpha: float,
           nonnegative: bool) -> pd.DataFrame:
    """The rows of CampaignEffect.daily (see its docstring)."""
    z = float(stats.norm.ppf(1 - alpha / 2))
    predicted = np.concatenate([model.fitted, model.predicted])
    half = z * model.point_se
    lower, upper = predicted - half, predicted + half
    if nonnegative:  # a series that never went negative (orders, revenue) has no negative counterfactual
        predicted, lower, upper = (np.maximum(v, 0.0) for v in (predicted, lower, upper))
    actual = np.concatenate([pre["y"].to_numpy(float), post["y"].to_numpy(float)])
    daily = pd.DataFrame({
        "ds": pd.concat([pre["ds"], post["ds"]], ignore_index=True),
        "period": ["pre"] * len(pre) + ["post"] * len(post),
        "actual": actual,
        "predicted": predicted,
        "predicted_lower": lower,
        "predicted_upper": upper,
        "effect": actual - predicted,
        "effect_lower": actual - upper,
        "effect_upper": actual - lower,
    })
    post_effect = daily["effect"].to_numpy()[len(pre):]
    cumulative = np.cumsum(np.nan_to_num(post_effect))
    half_cumulative = z * model.cumulative_se
    for name, values in (("cumulative_effect", cumulative), ("cumulative_lower", cumulative - half_cumulative),
                         ("cumulative_upper", cumulative + half_cumulative)):
        daily[name] = np.concatenate([np.full(len(pre), np.nan), values])
    return daily


def _summarise(daily: pd.DataFrame, model: Counterfactual, alpha: float, freq: Frequency, pre_period, post_period,
               names: list[str], notes: list[Note], level: float, n_pre: int,
               event_only: bool = False) -> CampaignEffect:
    post = daily[(daily["period"] == "post") & daily["actual"].notna()]
    actual, predicted = float(post["actual"].sum()), float(post["predicted"].sum())
    effect = actual - predicted
    se = float(model.cumulative_se[-1]) if model.cumulative_se.size else math.nan
    z = float(stats.norm.ppf(1 - alpha / 2))
    if not np.isfinite(se):
        p_value = math.nan
        notes.append(Note("no_interval", "too little pre-period data for an interval"))
    elif se == 0:
        p_value = 1.0 if abs(effect) <= 1e-9 * max(1.0, abs(actual)) else 0.0
    else:
        p_value = float(2 * stats.norm.sf(abs(effect) / se))
    lower, upper = effect - z * se, effect + z * se
    relative, rel_lower, rel_upper = _relative(actual, predicted, z * se, level * len(post), notes)
    k = max(len(post), 1)
    return CampaignEffect(
        cumulative_effect=effect, cumulative_lower=lower, cumulative_upper=upper,
        relative_lift=relative, relative_lower=rel_lower, relative_upper=rel_upper, p_value=p_value,
        actual_total=actual, predicted_total=predicted,
        predicted_total_lower=predicted - z * se, predicted_total_upper=predicted + z * se,
        average_effect=effect / k, average_lower=lower / k, average_upper=upper / k, standard_error=se,
        alpha=alpha, method=model.method, frequency="daily" if freq is DAILY else "weekly",
        pre_period=tuple(pre_period), post_period=tuple(post_period), n_pre=n_pre, n_post=len(post),
        controls=tuple(names), n_backtests=model.n_backtests, notes=tuple(n.text for n in notes),
        note_details=tuple(notes), daily=daily,
        minimum_detectable_lift=_minimum_detectable(se, predicted, alpha),
        false_alarms=model.false_alarms, n_placebos=model.n_placebos,
        too_short=event_only or (model.method != "zero" and (model.n_backtests == 0 or not model.judgeable)),
        excluded_events=tuple(dict.fromkeys(
            name for n in notes if n.code == "events_excluded" for name in n.values["events"].split(", "))),
    )


def _minimum_detectable(se: float, predicted: float, alpha: float, power: float = POWER) -> float:
    """The relative lift a two-sided test at alpha finds with probability `power`: (z_alpha/2 + z_power) x se over
    the counterfactual total (NaN when either is missing or the total is not positive)."""
    if not (np.isfinite(se) and np.isfinite(predicted)) or predicted <= 0:
        return math.nan
    return float((stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * se / predicted)


def _relative(actual: float, predicted: float, half: float, scale: float,
              notes: list[Note]) -> tuple[float, float, float]:
    """Relative lift actual / counterfactual - 1 and its interval from the counterfactual total's interval."""
    if predicted <= ZERO_TOTAL_SHARE * max(scale, 1e-12):
        notes.append(Note("no_relative_lift", "the counterfactual total is about zero (or negative): no relative lift"))
        return math.nan, math.nan, math.nan
    if not np.isfinite(half):
        return actual / predicted - 1, math.nan, math.nan
    lower = actual / (predicted + half) - 1
    if predicted - half <= 0:
        notes.append(Note("relative_unbounded",
                          "the counterfactual total's interval reaches zero: the relative lift has no upper bound"))
        return actual / predicted - 1, lower, math.inf
    return actual / predicted - 1, lower, actual / (predicted - half) - 1
