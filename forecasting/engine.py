"""statsforecast models on (series, days) matrices and the choice that ships: backtest scores, combination, bias
factor and conformal band. Used by the catalogue batch and by demand.forecast, so both choose the same way.

Models (statsforecast 2.1, called through its model classes on numpy arrays, which needs no pandas):
seasonal_naive, moving_average (WindowAverage), croston_sba, adida, imapa, tsb (cheap: every series),
tsb_weekday, moving_average_weekday, croston_sba_weekday (the level model times the series' day-of-week
profile: weekday_profile) and auto_ets, auto_theta, mstl (a fit each: single series and category totals).
Unknown days (stock-outs, gaps) must be filled by the caller (baselines.impute_censored); a model that raises
gives the moving average instead.

Choice (select): every candidate's forecasts from several rolling origins are scored against the known actuals.
Smooth series are scored on MASE; intermittent ones on MASE of the cumulative demand over each lead time
1..h (what a reorder point needs), so a model that forecasts sales on days that sell nothing but gets the total
right is not punished the way daily MASE punishes it. Per-series scores are noisy (two or three windows), so
each is shrunk half-way to its group's (smooth / intermittent) relative score of the model. Where the best
model is not clearly best (its score more than `clear_margin` below the next), the top `top_k` are combined
with weights inversely proportional to their scores. Optionally (Rules.correct_bias, off by default: it did
not hold on unseen windows) the combination's backtest total is compared with the actual total and a bias
factor (shrunk towards 1 for series that sold a few units) scales the forecast. The 80% band is
split-conformal: the forecast plus the 10th and 90th percentile of the backtest errors, taken relative to
each window's forecast level and scaled to the shipped forecast's level.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from forecasting import baselines

#: Cheap models; the others fit a model per series.
FAST = ("moving_average", "seasonal_naive", "croston_sba", "adida", "imapa", "tsb")
#: What the catalogue batch runs on every store x SKU (vectorised; ADIDA and IMAPA cost ~1 s per 400 series and
#: origin, which would double the batch: they stay in the single-series choice).
BATCH = ("moving_average", "seasonal_naive", "croston_sba", "tsb")
FITTED = ("auto_ets", "auto_theta", "mstl")
INTERMITTENT_MODELS = ("moving_average", "croston_sba", "adida", "imapa", "tsb")
#: A level model times the series' own day-of-week profile (WEEKDAY_DAYS of history, mean 1): daily series only.
WEEKDAY = ("tsb_weekday", "moving_average_weekday", "croston_sba_weekday")
WEEKDAY_DAYS = 364
#: Share of zero days among recent known days above which a series counts as intermittent.
INTERMITTENT_ZERO_SHARE = 0.5


def preload() -> None:
    """Import statsforecast's models now (seconds: it pulls in statsmodels and dask.dataframe), so forked worker
    processes inherit the import instead of each paying for it."""
    import statsforecast.models  # noqa: F401


def _model(name: str, season: int, window: int):
    from statsforecast import models as sf  # imported on use: statsforecast's import pulls in fugue

    if name == "moving_average":
        return sf.WindowAverage(window_size=window)
    if name == "seasonal_naive":
        return sf.SeasonalNaive(season_length=season)
    if name == "croston_sba":
        return sf.CrostonSBA()
    if name == "adida":
        return sf.ADIDA()
    if name == "imapa":
        return sf.IMAPA()
    if name == "tsb":
        return sf.TSB(alpha_d=0.1, alpha_p=0.1)
    if name == "auto_ets":
        # ETS supports seasons up to 24 periods: weekly data's yearly season goes to MSTL and Theta instead.
        return sf.AutoETS(season_length=season if season <= 24 else 1)
    if name == "auto_theta":
        return sf.AutoTheta(season_length=season)
    if name == "mstl":
        return sf.MSTL(season_length=season, trend_forecaster=sf.AutoETS(model="ZZN"))
    raise ValueError(f"unknown model {name!r}")


def _fallback(y: np.ndarray, h: int, window: int) -> np.ndarray:
    recent = y[-window:]
    return np.full(h, float(recent.mean()) if recent.size else 0.0)


def forecast_one(name: str, y: np.ndarray, h: int, season: int, window: int = 28) -> np.ndarray:
    """One model's point forecast of a filled series (no NaN); the moving average if the model cannot fit it."""
    y = np.asarray(y, dtype=float)
    if y.size == 0:
        return np.zeros(h)
    if name in WEEKDAY:
        level = forecast_one(name.removesuffix("_weekday"), y, h, season, window)
        return level * weekday_profile(y[None, :], h, season)[0]
    too_short = (name == "seasonal_naive" and y.size < season) or (
        name in FITTED and y.size < 2 * season + 2) or (name in ("adida", "imapa") and not (y > 0).any())
    if too_short or (name in ("croston_sba", "tsb") and not (y > 0).any()):
        return _fallback(y, h, window)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # statsmodels/statsforecast warn on flat series; the result is checked
            out = np.asarray(_model(name, season, window).forecast(y=y, h=h)["mean"], dtype=float)
    except Exception:  # noqa: BLE001 - any fit failure: the flat recent mean, which always exists
        return _fallback(y, h, window)
    if out.shape != (h,) or not np.isfinite(out).all():
        return _fallback(y, h, window)
    return np.maximum(out, 0.0)


def weekday_profile(y: np.ndarray, h: int, season: int = 7, days: int = WEEKDAY_DAYS) -> np.ndarray:
    """(series, h) multiplicative day-of-week factors of the h days after each row's end: the mean of each weekday
    over the last `days` days over the mean of those days (1 where a row sold nothing, or has under eight weeks).

    Why: a level model (moving average, Croston, TSB) forecasts every day alike; a shop's weekdays differ, and a
    year of one series' history estimates the pattern far more steadily than last week's value (seasonal naive)
    does. On the Olist panel TSB times this profile scored MASE 1.196 against TSB's 1.206 (notes/forecast.md)."""
    y = np.atleast_2d(np.asarray(y, dtype=float))
    n, t = y.shape
    if t < 8 * season:
        return np.ones((n, h))
    recent = y[:, -min(days, t):]
    first = t - recent.shape[1]
    phase = (first + np.arange(recent.shape[1])) % season
    known = np.isfinite(recent)
    values = np.where(known, recent, 0.0)
    sums = np.stack([values[:, phase == p].sum(axis=1) for p in range(season)], axis=1)
    counts = np.stack([known[:, phase == p].sum(axis=1) for p in range(season)], axis=1)
    means = sums / np.maximum(counts, 1)
    overall = means.mean(axis=1, keepdims=True)
    factors = np.where(overall > 0, means / np.where(overall > 0, overall, 1.0), 1.0)
    return factors[:, (t + np.arange(h)) % season]


#: Campaign uplift per series: (campaign-day demand + prior) / (its level estimate + prior), within limits.
UPLIFT_PRIOR_UNITS = 5.0
UPLIFT_LIMITS = (0.5, 3.0)


def event_uplift(y: np.ndarray, level: np.ndarray, events: np.ndarray) -> np.ndarray:
    """(series,) multiplicative uplift of the shop's campaign days: what the series sold on its past campaign
    days over what its level (the campaign days left out: baselines.impute_censored(events=...)) says it would
    have sold, shrunk towards 1 by UPLIFT_PRIOR_UNITS units (a few campaign days of a slow series say little);
    1 for a series that has seen no campaign. y: known demand (NaN unknown), level: the estimate, both
    (series, days); events: (series, days) campaign days.

    Why: the statistical models have no exogenous input; with the campaign days out of their level and this
    factor on the campaign days ahead, a past campaign is not extrapolated as level and a planned one is known."""
    y, level = np.atleast_2d(y), np.atleast_2d(level)
    on = np.atleast_2d(events) & np.isfinite(y) & np.isfinite(level)
    sold = np.where(on, y, 0.0).sum(axis=1)
    base = np.where(on, level, 0.0).sum(axis=1)
    factor = (sold + UPLIFT_PRIOR_UNITS) / np.maximum(base + UPLIFT_PRIOR_UNITS, 1e-12)
    return np.where(on.any(axis=1), np.clip(factor, *UPLIFT_LIMITS), 1.0)


def _vectorised(name: str, y: np.ndarray, h: int, season: int, window: int) -> np.ndarray | None:
    """statsforecast's WindowAverage, SeasonalNaive, CrostonSBA and TSB computed for all rows at once (the same
    numbers: tests/inventory/test_forecast_engine.py compares them); None for a model without a vectorised form.

    Why: the batch runs these on 4,800 series x 4 origins; one statsforecast call per series costs ~40 s more
    than the whole batch took before. Croston and TSB walk the days once for every row together."""
    n, t = y.shape
    if name in WEEKDAY:
        level = _vectorised(name.removesuffix("_weekday"), y, h, season, window)
        return None if level is None else level * weekday_profile(y, h, season)
    if name == "moving_average":
        return np.repeat(y[:, -window:].mean(axis=1, keepdims=True), h, axis=1)
    if name == "seasonal_naive":
        if t < season:
            return None
        return np.tile(y[:, -season:], (1, -(-h // season)))[:, :h]
    if name not in ("croston_sba", "tsb"):
        return None
    return np.repeat(intermittent_rates(y, [t])[name][0][:, None], h, axis=1)


def intermittent_rates(y: np.ndarray, cuts: list[int], alpha: float = 0.1) -> dict[str, np.ndarray]:
    """Croston SBA and TSB (alpha_d = alpha_p = alpha) daily rates of every row fitted on y[:, :cut], for each cut
    (ascending), in one pass over the days: {"croston_sba": (cuts, rows), "tsb": (cuts, rows)}."""
    n, t = y.shape
    size = np.zeros(n)
    interval = np.zeros(n)
    last = np.zeros(n)
    started = np.zeros(n, dtype=bool)
    prob = (y[:, 0] > 0).astype(float) if t else np.zeros(n)
    out = {"croston_sba": np.zeros((len(cuts), n)), "tsb": np.zeros((len(cuts), n))}

    def record(k: int, col: int) -> None:
        previous = y[:, col - 1] if col else np.zeros(n)
        out["croston_sba"][k] = np.where(started, 0.95 * size / np.where(interval > 0, interval, 1.0), previous)
        out["tsb"][k] = np.where(started, prob * size, 0.0)

    k = 0
    for col in range(t + 1):
        while k < len(cuts) and cuts[k] == col:
            record(k, col)
            k += 1
        if col == t:
            break
        demand = y[:, col] > 0
        new = demand & ~started
        old = demand & started
        size[new], interval[new] = y[new, col], col + 1
        size[old] = alpha * y[old, col] + (1 - alpha) * size[old]
        interval[old] = alpha * (col - last[old]) + (1 - alpha) * interval[old]
        last[demand] = col
        started |= demand
        if col:
            prob = alpha * demand + (1 - alpha) * prob
    for name in out:
        out[name] = np.maximum(out[name], 0.0)
    return out


def forecast_rows(name: str, filled: np.ndarray, h: int, season: int, window: int = 28) -> np.ndarray:
    """(series, h) forecasts of one model: vectorised where the model allows, else statsforecast row by row."""
    filled = np.atleast_2d(np.asarray(filled, dtype=float))
    if filled.shape[1] and np.isfinite(filled).all():
        out = _vectorised(name, filled, h, season, window)
        if out is not None:
            return out
    return np.vstack([forecast_one(name, row, h, season, window) for row in filled]) if len(filled) else \
        np.zeros((0, h))


def is_intermittent(known: np.ndarray, recent: int = 56) -> np.ndarray:
    """Per row: more than half of the last `recent` known values are zero."""
    known = np.atleast_2d(known)[:, -recent:]
    have = np.isfinite(known)
    zeros = (np.where(have, known, 1.0) == 0).sum(axis=1)
    return zeros > INTERMITTENT_ZERO_SHARE * np.maximum(have.sum(axis=1), 1)


@dataclass(frozen=True)
class Rules:
    # Best must beat the next by this share to ship alone. Backtest scores from three windows are noisy: on the
    # demo catalogue and Olist panels, combining the top three unless one halves the next one's error held up
    # better on unseen windows than the 5% margin did (notes/forecast.md).
    clear_margin: float = 0.5
    top_k: int = 3
    group_weight: float = 0.5  # how far a series' relative scores are pulled towards its group's
    # Bias factor = (actual + prior) / (forecast + prior) over the backtest days: a series that sold a few units
    # keeps most of its forecast (its total is mostly noise); one that sold hundreds gets its measured ratio.
    # Off by default: measured on windows the choice never saw, it moved the Olist panel's pooled bias from
    # +1.6% to +5.9% and raised the demo catalogue's MASE (the backtest's bias does not carry over).
    correct_bias: bool = False
    bias_prior_units: float = 5.0
    bias_limits: tuple[float, float] = (0.5, 2.0)
    width: float = 0.8


@dataclass
class Selection:
    models: tuple[str, ...]
    weights: np.ndarray  # (series, models): the combination shipped; rows sum to 1
    score: np.ndarray  # (series, models): backtest score per model (NaN where it could not be scored)
    factor: np.ndarray  # (series,): bias factor applied to the combination
    low: np.ndarray  # (series,): conformal error quantiles added to the forecast
    high: np.ndarray
    intermittent: np.ndarray
    relative: np.ndarray  # (series,): low/high are shares of the forecast's mean level (else units)

    def label(self) -> np.ndarray:
        """What each series ships: one model's name or 'combination'."""
        single = (self.weights > 0).sum(axis=1) == 1
        return np.where(single, np.array(self.models)[self.weights.argmax(axis=1)], "combination")

    def apply(self, candidates: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """yhat, lower, upper (series, h) from the final origin's candidate forecasts."""
        point = combine(self.weights, self.models, candidates) * self.factor[:, None]
        unit = np.where(self.relative, point.mean(axis=1), 1.0)[:, None]
        lower = np.maximum(point + self.low[:, None] * unit, 0.0)
        upper = np.maximum(point + self.high[:, None] * unit, point)
        return point, np.minimum(lower, point), upper


def combine(weights: np.ndarray, models, candidates: dict[str, np.ndarray]) -> np.ndarray:
    out = 0.0
    for j, m in enumerate(models):
        w = weights[:, j][:, None]
        out = out + np.where(w > 0, w * np.nan_to_num(candidates[m]), 0.0)
    return np.asarray(out, dtype=float)


def scores(actual: np.ndarray, forecast: np.ndarray, scale: np.ndarray, intermittent: np.ndarray) -> np.ndarray:
    """Per row: MASE (smooth) or the MASE of cumulative demand over lead times 1..h (intermittent)."""
    known = np.isfinite(actual)
    err = np.where(known, forecast - np.where(known, actual, 0.0), 0.0)
    daily = np.abs(err).sum(axis=1) / np.maximum(known.sum(axis=1), 1)
    cum = np.abs(np.cumsum(err, axis=1)) / np.maximum(np.cumsum(known, axis=1), 1)
    cumulative = cum.mean(axis=1)
    value = np.where(intermittent, cumulative, daily)
    ok = (scale > 0) & known.any(axis=1)
    return np.where(ok, value / np.where(scale > 0, scale, 1.0), np.nan)


def select(actuals: list[np.ndarray], backtests: list[dict[str, np.ndarray]], scale: np.ndarray,
           intermittent: np.ndarray, models: tuple[str, ...], rules: Rules = Rules(),
           groups: np.ndarray | None = None) -> Selection:
    """Choose per series from the backtest windows (actuals[w] (series, h) with NaN unknown, backtests[w][model]).

    groups: an id per series whose relative scores are pooled (default: intermittent vs smooth)."""
    n, m = len(scale), len(models)
    per_window = np.stack([np.column_stack([scores(a, b[k], scale, intermittent) for k in models])
                           for a, b in zip(actuals, backtests, strict=True)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: handled below
        score = np.nanmean(per_window, axis=0)
        row_mean = np.nanmean(score, axis=1)
    relative = score / np.where(row_mean > 0, row_mean, np.nan)[:, None]
    groups = intermittent.astype(int) if groups is None else np.asarray(groups)
    pooled = relative.copy()
    for g in np.unique(groups):
        rows = groups == g
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            centre = np.nanmean(relative[rows], axis=0)
        pooled[rows] = (1 - rules.group_weight) * relative[rows] + rules.group_weight * centre
    filled = np.where(np.isfinite(pooled), pooled, np.inf)
    order = np.argsort(filled, axis=1, kind="stable")
    ranked = np.take_along_axis(filled, order, axis=1)
    weights = np.zeros((n, m))
    rows = np.arange(n)
    clear = ~np.isfinite(ranked[:, 1]) if m > 1 else np.ones(n, bool)
    if m > 1:
        clear |= ranked[:, 0] <= (1 - rules.clear_margin) * ranked[:, 1]
    weights[rows[clear], order[clear, 0]] = 1.0
    k = min(rules.top_k, m)
    for r in rows[~clear]:
        top = order[r, :k][np.isfinite(ranked[r, :k])]
        inv = 1.0 / np.maximum(filled[r, top], 1e-9)
        weights[r, top] = inv / inv.sum()
    unscored = ~np.isfinite(ranked[:, 0])
    fallback = models.index("moving_average") if "moving_average" in models else 0
    weights[unscored] = 0.0
    weights[unscored, fallback] = 1.0
    # Bias factor and conformal band from the shipped combination's own backtest errors.
    combos = [combine(weights, models, b) for b in backtests]
    actual = np.hstack(actuals)
    fc = np.hstack(combos)
    known = np.isfinite(actual)
    total_a = np.where(known, actual, 0.0).sum(axis=1)
    total_f = np.where(known, fc, 0.0).sum(axis=1)
    prior = rules.bias_prior_units
    factor = np.where(total_f > 0, (total_a + prior) / np.maximum(total_f + prior, 1e-12), 1.0)
    factor = np.clip(factor, *rules.bias_limits) if rules.correct_bias else np.ones(n)
    # Errors relative to the window's forecast level, so a series that grew (or shrank) since the backtest gets a
    # band of its current size; series whose backtest forecast was zero somewhere keep absolute errors.
    h = actuals[0].shape[1]
    level = np.hstack([np.repeat(c.mean(axis=1, keepdims=True) * factor[:, None], h, axis=1) for c in combos])
    relative = (level > 0).all(axis=1)
    residual = np.where(known, actual - fc * factor[:, None], np.nan)
    residual = np.where(relative[:, None], residual / np.where(level > 0, level, 1.0), residual)
    low_q, high_q = (1 - rules.width) / 2, (1 + rules.width) / 2
    has = known.any(axis=1)
    low = np.where(has, baselines.row_quantile(np.where(has[:, None], residual, 0.0), low_q), 0.0)
    high = np.where(has, baselines.row_quantile(np.where(has[:, None], residual, 0.0), high_q), 0.0)
    return Selection(tuple(models), weights, score, factor, np.minimum(low, 0.0), np.maximum(high, 0.0),
                     np.asarray(intermittent, bool), relative)
