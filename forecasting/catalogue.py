"""Forecasting every store x SKU daily series: statsforecast's models per series, Prophet per category shared
down, and a backtested choice or combination per series (forecasting.engine).

Why this shape: a store x SKU series of the demo shop sells about one unit a day or less, so Prophet fitted to
each of the 4,800 series would be slow (minutes) and mostly fit noise. Prophet (forecasting.demand's Prophet
with China's holidays and the shop events) is fitted per category on the category's total daily demand, where
the weekly pattern, yearly season and the 618 / Double 11 spikes are clear, and allocated down to each store x
SKU by its share of the category's demand over the last 56 days ("prophet_topdown"). statsforecast's cheap
models run on every series, vectorised: seasonal naive (lag 7), 28-day moving average (WindowAverage), Croston
SBA and TSB (the intermittent-demand models; ADIDA and IMAPA would double the run time, forecast() has them).

Backtest: three rolling origins 3, 2 and 1 horizons before the end. forecasting.engine.select scores every
candidate on them (MASE for smooth series, MASE of the lead-time cumulative demand for intermittent ones; no
pooling across series, so a series' forecast does not depend on its chunk), ships the best model or, where
none is clearly best, an inverse-score-weighted combination of the top three, scaled by a bias factor from
its backtest total, with a split-conformal 80% band from its backtest errors. The backtest table stores every
candidate's MASE, sMAPE, bias and coverage on windows two and three (intervals calibrated on the windows
before each, on in-stock days only) and a "selected" row per series for the forecast shipped (in-sample: the
choice saw these windows).
Series that never sold ship zero; series without a usable score ship the moving average.
Each forecast row also carries the lead-time demand distribution (forecasting.lead_time): conformal quantiles at
90 / 95 / 97.5 / 99% of demand summed over steps 1..step, from the shipped forecast's backtest errors of
cumulative demand, pooled over the chunk's (store's) intermittent or smooth series and scaled by each series'
spread; the inventory reorder point reads them at the SKU's lead time (forecasting.policy).

Censored demand: a day that ended with zero stock (inventory snapshot on_hand = 0) sold only what was there.
Such days are unknown in the scores, and carry an estimate (max of sales and the mean of the 28 days before:
baselines.impute_censored) in the model inputs, the category totals and the shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting import baselines, engine, lead_time, metrics
from forecasting.demand import forecast
from forecasting.shop_calendar import campaign_mask

#: A level model (statsforecast's numbers) times the shape of its category's Prophet forecast over the horizon
#: (the category forecast over its own mean): the series' level, the category's weekdays and events.
CATEGORY_SHAPE = ("tsb_category_shape", "moving_average_category_shape", "croston_sba_category_shape")
#: Every model backtested per series (the backtest table shows them all); the moving average first: it ships
#: where nothing could be scored.
MODELS = engine.BATCH + ("prophet_topdown",) + CATEGORY_SHAPE
#: What the choice picks from. Seasonal naive, plain Croston and plain TSB stay in the table as references: on
#: the demo catalogue's five rolling origins, choosing among them as well lost on the unseen window
#: (notes/forecast.md).
CANDIDATES = ("moving_average", "prophet_topdown") + CATEGORY_SHAPE
#: Backtest rows of the forecast each series ships (one model or a combination, after the bias factor).
SHIPPED = "selected"


@dataclass(frozen=True)
class Settings:
    horizon: int = 28
    windows: int = 3  # backtest windows; the first only calibrates the second's intervals
    share_window: int = 56
    ma_window: int = 28
    season: int = 7
    sigma_window: int = 56
    interval_width: float = 0.8
    #: The shop's country (data_access.shop_settings): its public holidays in the category fits; CN adds 618,
    #: Double 11, Double 12 and the Spring Festival.
    country: str = "CN"


@dataclass
class Catalogue:
    """Daily history of every store x SKU series: units (series, days) with censored (series, days) stock-out days."""

    days: pd.DatetimeIndex
    store_id: np.ndarray
    sku: np.ndarray
    category: np.ndarray
    units: np.ndarray
    censored: np.ndarray
    #: The shop's campaigns, past and planned (start_date, end_date, stores: None = shop-wide), or None: calendar
    #: events of the category fits, and days left out of each series' level (forecasting.shop_calendar).
    campaigns: pd.DataFrame | None = None

    @property
    def n_series(self) -> int:
        return len(self.sku)

    def origins(self, settings: Settings) -> list[int]:
        """Column index where each backtest window starts, then the end of history (the shipped forecast)."""
        n = len(self.days)
        return [n - (settings.windows - i) * settings.horizon for i in range(settings.windows)] + [n]

    def check(self, settings: Settings) -> None:
        needed = settings.windows * settings.horizon + settings.share_window
        if len(self.days) < needed:
            raise ValueError(f"need at least {needed} days of history for {settings.windows} backtest windows of "
                             f"{settings.horizon} days; have {len(self.days)}")


@dataclass
class CategoryTask:
    category: str
    origin_index: int
    history: pd.DataFrame  # ds, y: the category's daily demand (censored days estimated) before the origin


@dataclass
class CategoryResult:
    category: str
    origin_index: int
    yhat: np.ndarray | None
    model: str = ""
    error: str = ""


@dataclass
class ChunkTask:
    """The series of one store (or any slice): their history and what the top-down candidate needs."""

    label: str
    series: Catalogue
    #: category -> (origins, horizon) category forecasts (rows missing as NaN when a fit failed)
    category_forecast: dict[str, np.ndarray]
    #: category -> per origin, the category's estimated demand over the share window before it
    category_total: dict[str, np.ndarray]
    settings: Settings


@dataclass
class ChunkResult:
    label: str
    forecasts: pd.DataFrame
    series: pd.DataFrame
    backtests: pd.DataFrame
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (store_id, sku, error)


def estimated_demand(cat: Catalogue) -> np.ndarray:
    """Units with stock-out days replaced by the demand estimate (the category totals and shares use this)."""
    return baselines.impute_censored(cat.units, cat.censored)


def category_tasks(cat: Catalogue, settings: Settings, estimate: np.ndarray | None = None) -> list[CategoryTask]:
    """One Prophet task per category and origin."""
    estimate = estimated_demand(cat) if estimate is None else estimate
    tasks = []
    for category in sorted(set(cat.category)):
        total = estimate[cat.category == category].sum(axis=0)
        for i, origin in enumerate(cat.origins(settings)):
            tasks.append(CategoryTask(category, i, pd.DataFrame({"ds": cat.days[:origin], "y": total[:origin]})))
    return tasks


def fit_category(task: CategoryTask, horizon: int, interval_width: float = 0.8, country: str = "CN",
                 campaigns: pd.DataFrame | None = None) -> CategoryResult:
    """Prophet (forecasting.demand.forecast with the country's holidays; CN: with the shop events) on one category
    total; a failure is returned, not raised, so the run goes on without this category's top-down candidate."""
    try:
        # The fixed rules (Prophet on a category total): the series-level choice happens below, and the rolling
        # "auto" choice here would fit Prophet four times per category and origin.
        fc = forecast(task.history, horizon, holidays=country, interval_width=interval_width, method="rules",
                      campaigns=campaigns)
        return CategoryResult(task.category, task.origin_index, fc["yhat"].to_numpy(float), fc.attrs["model"])
    except Exception as exc:  # noqa: BLE001 - recorded in forecast_failures; the series fall back to baselines
        return CategoryResult(task.category, task.origin_index, None, error=f"{type(exc).__name__}: {exc}")


def chunk_tasks(cat: Catalogue, settings: Settings, results: list[CategoryResult],
                estimate: np.ndarray | None = None) -> list[ChunkTask]:
    """One task per store, carrying the category forecasts and totals the top-down candidate needs."""
    estimate = estimated_demand(cat) if estimate is None else estimate
    origins = cat.origins(settings)
    forecasts: dict[str, np.ndarray] = {}
    totals: dict[str, np.ndarray] = {}
    for category in sorted(set(cat.category)):
        forecasts[category] = np.full((len(origins), settings.horizon), np.nan)
        total = estimate[cat.category == category].sum(axis=0)
        totals[category] = np.array([total[o - settings.share_window:o].sum() for o in origins])
    for r in results:
        if r.yhat is not None:
            forecasts[r.category][r.origin_index] = r.yhat
    tasks = []
    for store in pd.unique(cat.store_id):
        rows = np.flatnonzero(cat.store_id == store)
        part = Catalogue(cat.days, cat.store_id[rows], cat.sku[rows], cat.category[rows], cat.units[rows],
                         cat.censored[rows], cat.campaigns)
        tasks.append(ChunkTask(str(store), part, forecasts, totals, settings))
    return tasks


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Backtest, choose and forecast the chunk's series together; if that fails, series one by one so a bad one
    is recorded and skipped instead of taking the others down."""
    try:
        return _forecast_series(task, np.arange(task.series.n_series))
    except Exception:  # noqa: BLE001 - retried per series below; each failure is recorded there
        parts, failures = [], []
        for row in range(task.series.n_series):
            try:
                parts.append(_forecast_series(task, np.array([row])))
            except Exception as exc:  # noqa: BLE001 - a failing series is recorded and skipped
                failures.append((str(task.series.store_id[row]), str(task.series.sku[row]),
                                 f"{type(exc).__name__}: {exc}"))
        merged = [pd.concat([getattr(p, name) for p in parts], ignore_index=True) if parts else pd.DataFrame()
                  for name in ("forecasts", "series", "backtests")]
        return ChunkResult(task.label, *merged, failures=failures + [f for p in parts for f in p.failures])


def _candidates(task: ChunkTask, rows: np.ndarray, estimate: np.ndarray, level: np.ndarray, origin_index: int,
                origin: int, rates: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every model's forecast from one origin: the level models on `level` (demand with the campaign days left
    out), the series' share of its category on `estimate` (demand, stock-outs estimated)."""
    s = task.settings
    h = s.horizon
    share_num = estimate[:, origin - s.share_window:origin].sum(axis=1)
    category_fc = np.vstack([task.category_forecast[c][origin_index] for c in task.series.category[rows]])
    category_total = np.array([task.category_total[c][origin_index] for c in task.series.category[rows]])
    share = np.where(category_total > 0, share_num / np.where(category_total > 0, category_total, 1.0), 0.0)
    out = {m: engine.forecast_rows(m, level[:, :origin], h, s.season, s.ma_window)
           for m in engine.BATCH if m not in rates}
    out.update({m: np.repeat(r[origin_index][:, None], h, axis=1) for m, r in rates.items()})
    out["prophet_topdown"] = np.maximum(share[:, None] * category_fc, 0.0)
    level = category_fc.mean(axis=1, keepdims=True)
    shape = np.where(level > 0, np.maximum(category_fc, 0.0) / np.where(level > 0, level, 1.0), 1.0)
    shape = np.where(np.isfinite(level), shape, np.nan)  # no category forecast: no shaped candidate either
    for name in CATEGORY_SHAPE:
        out[name] = out[name.removesuffix("_category_shape")] * shape
    return out


def _forecast_series(task: ChunkTask, rows: np.ndarray) -> ChunkResult:
    s = task.settings
    h = s.horizon
    units = task.series.units[rows].astype(float)
    censored = task.series.censored[rows]
    if not np.isfinite(units).all() or (units < 0).any():
        raise ValueError("units must be finite and not negative")
    known = np.where(censored, np.nan, units)
    estimate = baselines.impute_censored(units, censored)
    # The shop's campaign days are left out of the level models' input (a campaign's uplift is not the level);
    # the category forecasts know them as events, so the shaped candidates carry planned campaigns.
    events = campaign_mask(task.series.campaigns, task.series.days, task.series.store_id[rows])
    level = baselines.impute_censored(units, censored, events=events) if events.any() else estimate
    n = units.shape[1]
    origins = [n - (s.windows - i) * h for i in range(s.windows)] + [n]
    rates = engine.intermittent_rates(level, origins)  # one pass over the days for every origin
    cands = [_candidates(task, rows, estimate, level, i, o, rates) for i, o in enumerate(origins)]
    actual = [known[:, o:o + h] for o in origins[:-1]]
    # A model without a final forecast (its category fit failed at the last origin) cannot be shipped.
    shippable = {m: np.isfinite(cands[-1][m]).all(axis=1) for m in MODELS}
    intermittent = engine.is_intermittent(known[:, :origins[-1]])
    scale = metrics.naive_scale(known, s.season)
    pick = engine.select(actual, [{m: np.where(shippable[m][:, None], c[m], np.nan) for m in CANDIDATES}
                                  for c in cands[:-1]], scale, intermittent, CANDIDATES,
                         # No pooling across series: a series' forecast must not depend on which others share its
                         # chunk (a failing chunk is redone series by series; both backends must agree).
                         engine.Rules(width=s.interval_width, group_weight=0.0))
    final, lower, upper = pick.apply(cands[-1])
    label = pick.label()
    # The shipped forecast's own backtest (in-sample: the choice saw these windows), beside every candidate's.
    shipped = [engine.combine(pick.weights, CANDIDATES, c) * pick.factor[:, None] for c in cands[:-1]]
    residual = {m: [actual[w] - cands[w][m] for w in range(s.windows)] for m in MODELS}
    residual[SHIPPED] = [actual[w] - shipped[w] for w in range(s.windows)]
    for w in range(s.windows):
        cands[w][SHIPPED] = shipped[w]
    scored = range(1, s.windows)
    scores = {}
    for m in MODELS + (SHIPPED,):
        bands = [baselines.residual_band(np.hstack(residual[m][:w]), cands[w][m], s.interval_width) for w in scored]
        a = np.hstack([actual[w] for w in scored])
        f = np.hstack([cands[w][m] for w in scored])
        mase = np.vstack([metrics.mase(actual[w], cands[w][m], metrics.naive_scale(known[:, :origins[w]], s.season))
                          for w in scored])
        mase = metrics.row_nanmean(mase.T)
        scores[m] = {
            "mase": mase, "smape": metrics.smape(a, f), "bias": metrics.bias(a, f),
            "actual_mean": metrics.actual_mean(a), "n_points": metrics.known_points(a),
            "coverage": metrics.coverage(a, np.hstack([b[0] for b in bands]), np.hstack([b[1] for b in bands])),
        }
    for m in MODELS:
        scores[m]["mase"] = np.where(shippable[m], scores[m]["mase"], np.nan)
    never_sold = np.nansum(units, axis=1) == 0
    final[never_sold] = lower[never_sold] = upper[never_sold] = 0.0
    # The lead-time demand distribution (forecasting.lead_time) from the shipped forecast's backtest errors of
    # cumulative demand, pooled over the chunk's intermittent / smooth series where a series' three windows are
    # too few for the level.
    errors = lead_time.normalised_errors(
        [estimate[:, o:o + h] for o in origins[:-1]], shipped,
        [_row_std(known[:, max(o - s.sigma_window, 0):o]) for o in origins[:-1]])
    sigma_final = _row_std(known[:, -s.sigma_window:])
    cum_q = lead_time.cumulative_quantiles(final, sigma_final, lead_time.error_quantiles(errors, intermittent))
    model = np.where(never_sold, "zero", label)
    bad = ~(np.isfinite(final).all(axis=1) & np.isfinite(lower).all(axis=1) & np.isfinite(upper).all(axis=1))
    failures = [(str(task.series.store_id[rows][i]), str(task.series.sku[rows][i]), "non-finite forecast")
                for i in np.flatnonzero(bad)]
    return _frames(task, rows, ~bad, model, final, lower, upper, cum_q, scores, known, censored, failures)


def _frames(task, rows, ok, model, final, lower, upper, cum_q, scores, known, censored, failures) -> ChunkResult:
    s = task.settings
    store, sku = task.series.store_id[rows], task.series.sku[rows]
    future = task.series.days[-1] + pd.to_timedelta(np.arange(1, s.horizon + 1), unit="D")
    keep = np.flatnonzero(ok)
    forecasts = pd.DataFrame({
        "store_id": np.repeat(store[keep], s.horizon), "sku": np.repeat(sku[keep], s.horizon),
        "ds": np.tile(future, len(keep)), "yhat": final[keep].ravel(), "yhat_lower": lower[keep].ravel(),
        "yhat_upper": upper[keep].ravel(), "model": np.repeat(model[keep], s.horizon),
        "step": np.tile(np.arange(1, s.horizon + 1), len(keep)),
        **{column: cum_q[keep, :, j].ravel() for j, column in enumerate(lead_time.COLUMNS.values())},
    })
    sigma = _row_std(known[:, -s.sigma_window:])
    mean = metrics.row_nanmean(known[:, -s.ma_window:])
    series = pd.DataFrame({"store_id": store, "sku": sku, "model": model,
                           **{k: scores[SHIPPED][k] for k in ("mase", "smape", "bias", "coverage")},
                           "sigma_daily": sigma, "mean_daily": mean,
                           "censored_days": censored[:, -s.sigma_window:].sum(axis=1)}).iloc[keep]
    backtests = pd.concat([pd.DataFrame({"store_id": store, "sku": sku, "model": m,
                                         **{k: scores[m][k] for k in ("mase", "smape", "bias", "actual_mean",
                                                                      "coverage", "n_points")},
                                         "chosen": m == SHIPPED}).iloc[keep] for m in MODELS + (SHIPPED,)],
                          ignore_index=True)
    return ChunkResult(task.label, forecasts, series.reset_index(drop=True), backtests, failures)


def _row_std(values: np.ndarray) -> np.ndarray:
    """Sample standard deviation of each row's known values (NaN with fewer than two)."""
    mean = metrics.row_nanmean(values)
    known = np.isfinite(values)
    count = known.sum(axis=1)
    squares = np.where(known, (values - mean[:, None]) ** 2, 0.0).sum(axis=1)
    return np.where(count > 1, np.sqrt(squares / np.maximum(count - 1, 1)), np.nan)
