"""forecast(history, horizon): one demand series (ds, y) -> ds, yhat, yhat_lower, yhat_upper, with documented fallbacks.

The default (method="auto") is the choice the catalogue batch makes (forecasting.engine): with at least one
backtest window of the horizon, statsforecast's seasonal naive, moving average, AutoETS, AutoTheta and MSTL and
Prophet (daily series also TSB and the moving average times the series' weekday profile; intermittent daily
series: TSB, moving average and Croston SBA times that profile; intermittent weekly series: moving average,
Croston SBA, ADIDA, IMAPA, TSB, seasonal naive) forecast from up to three rolling origins, and the best model or
a combination of the top three ships, with a split-conformal 80% band from those backtest errors. Series too
short for that, and method="rules", use the fixed rules below (the name used is in ``result.attrs["model"]``):

- ``zero``: every known value is zero (nothing ever sold): the forecast and its band are zero.
- ``recent_mean``: fewer than two seasons of known values (14 days / 8 weeks), or every value censored: the mean
  of the recent known values (of the sales when all are censored: a lower bound), band = their 10th-90th percentile.
- ``croston_sba``: daily and intermittent (more than half of the last 56 known days are zero): Croston's method
  with the Syntetos-Boylan correction; band = 10th-90th percentile of the recent days.
- ``prophet_ensemble``: weekly series with at least a year plus a quarter of history: the equal-weight mean of
  Prophet and the level-adjusted seasonal naive (last year's value x this quarter's level / last year's same
  quarter); the band is Prophet's, centred on the combination. Chosen on in-sample backtests (bench/walmart.py).
- ``prophet``: daily series and shorter weekly ones: Prophet alone, with weekly seasonality for daily data,
  yearly from a year of history, and the holidays (default: China's public holidays and the shop events 618,
  Double 11, Double 12, Spring Festival). Tuned for speed: MAP fit (no MCMC), 200 uncertainty samples.
- If Prophet raises, the seasonal naive with an empirical band is used instead (``attrs["fallback_reason"]``).

Censored demand: days flagged in ``censored`` (or a ``censored`` column) sold only what the stock allowed, so
their y is treated as unknown: Prophet never sees them and the baselines skip them or use an estimate from the
days before (baselines.impute_censored). Gaps in the dates are unknown too, never zero. Forecasts are never
negative. Weekly data is labelled by the first day of each week; holidays are moved onto the week holding them.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting import baselines, engine, metrics
from forecasting.shop_calendar import calendar_for, campaign_events

METHODS = ("auto", "rules", "prophet", "seasonal_naive", "moving_average")
#: Rolling backtest origins the "auto" choice scores its candidates on (fewer when the history is short).
CHOICE_WINDOWS = 3
INTERVAL_WIDTH = 0.8
UNCERTAINTY_SAMPLES = 200
#: Share of zero days among the last 56 known days above which a daily series counts as intermittent.
INTERMITTENT_ZERO_SHARE = 0.5

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Frequency:
    """What a series' spacing implies: its season, yearly lag, level window, moving-average window, minimum length."""

    step_days: int
    season: int
    yearly_lag: int
    level_window: int
    ma_window: int
    min_points: int


DAILY = Frequency(1, 7, 364, 91, 28, 14)
WEEKLY = Frequency(7, 52, 52, 13, 8, 8)


def frequency_of(ds: pd.Series) -> Frequency:
    """DAILY or WEEKLY from the median spacing of the dates (other spacings are not supported)."""
    if len(ds) < 2:
        return DAILY
    step = int(round(pd.Series(ds).sort_values().diff().dt.days.median()))
    if step == 1:
        return DAILY
    if step == 7:
        return WEEKLY
    raise ValueError(f"history must be daily or weekly; its dates are {step} days apart")


def quiet_prophet() -> None:
    """Keep Prophet and cmdstanpy to errors (they log every fit at INFO and warn on short yearly histories, which
    we decide on ourselves); failures still raise. cmdstanpy configures its logger on first use, so do that first."""
    from cmdstanpy.utils import get_logger

    logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)  # "plotly failed": we never plot with it
    get_logger().setLevel(logging.ERROR)
    # Prophet 1.5 still passes pandas' deprecated inplace= arguments: theirs to change, not a fault here. A global
    # filter (limited to Prophet's module) because catch_warnings is not thread-safe under Dask's threads.
    warnings.filterwarnings("ignore", message=".*inplace keyword.*", module="prophet")
    for name in ("prophet", "prophet.models"):
        logging.getLogger(name).setLevel(logging.ERROR)


def prepare(history: pd.DataFrame, censored=None) -> tuple[pd.DataFrame, Frequency]:
    """history on a regular grid: ds, y (NaN = unknown or censored), sold (the raw value), censored (bool)."""
    missing = {"ds", "y"} - set(history.columns)
    if missing:
        raise ValueError(f"history needs columns ds and y; missing {sorted(missing)}")
    frame = pd.DataFrame({"ds": pd.to_datetime(history["ds"]).dt.normalize(),
                          "y": pd.to_numeric(history["y"], errors="coerce")})
    if censored is None and "censored" in history.columns:
        censored = history["censored"]
    frame["censored"] = (np.asarray(censored, dtype=bool) if censored is not None
                         else np.zeros(len(frame), dtype=bool))
    frame = frame.dropna(subset=["ds"])
    if frame.empty:
        raise ValueError("history has no dated rows to forecast from")
    # Duplicate dates are one period: their units add up; a period is censored if any row of it is.
    frame = frame.groupby("ds", as_index=False).agg(y=("y", lambda s: s.sum(min_count=1)),
                                                     censored=("censored", "any"))
    freq = frequency_of(frame["ds"])
    grid = pd.date_range(frame["ds"].iloc[0], frame["ds"].iloc[-1], freq=f"{freq.step_days}D")
    frame = frame.set_index("ds").reindex(grid).rename_axis("ds").reset_index()
    frame["censored"] = frame["censored"].fillna(False).astype(bool)
    frame["sold"] = frame["y"].clip(lower=0)
    frame["y"] = frame["sold"].where(~frame["censored"])
    return frame, freq


def forecast(history: pd.DataFrame, horizon: int, *, holidays: pd.DataFrame | str | None = "china",
             censored=None, interval_width: float = INTERVAL_WIDTH, method: str = "auto",
             campaigns: pd.DataFrame | None = None) -> pd.DataFrame:
    """Forecast `horizon` periods after the last date of `history` (daily or weekly `ds`, `y`).

    holidays: "china" (public holidays + shop events), a country code the `holidays` library knows ("US", "BR",
    "GB": that country's public holidays), a frame in Prophet's holiday format, or None.
    campaigns: the shop's own campaigns that reach this series (start_date, end_date: the campaigns table), past
    and planned. They are calendar events (shop_calendar.CAMPAIGN_EVENT): Prophet gets them as a holiday; the
    statistical models get their days left out of level estimation and the series' past campaign uplift on the
    campaign days ahead (engine.event_uplift).
    censored: booleans aligned with history's rows (or a `censored` column): stock-out periods.
    method: "auto" (statsforecast models and Prophet scored on rolling origins and chosen or combined the way the
    catalogue batch does: forecasting.engine), "rules" (the fixed rules in the module docstring), "prophet"
    (Prophet alone where the series allows it), "seasonal_naive" or "moving_average". Returns ds, yhat,
    yhat_lower, yhat_upper (non-negative) with attrs["model"] naming the model used ("combination" when the
    choice combined several).
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
    if int(horizon) < 1:
        raise ValueError("horizon must be at least 1")
    horizon = int(horizon)
    frame, freq = prepare(history, censored)
    future = frame["ds"].iloc[-1] + pd.to_timedelta(freq.step_days * np.arange(1, horizon + 1), unit="D")
    holidays, events = _with_campaigns(holidays, campaigns, freq, pd.DatetimeIndex(frame["ds"]).append(future))
    model, (yhat, lower, upper), reason = _choose_and_run(frame, freq, future, horizon, holidays, interval_width,
                                                          method, events)
    yhat = np.maximum(np.nan_to_num(np.asarray(yhat, dtype=float)), 0.0)
    lower = np.minimum(np.maximum(np.nan_to_num(np.asarray(lower, dtype=float)), 0.0), yhat)
    upper = np.maximum(np.nan_to_num(np.asarray(upper, dtype=float)), yhat)
    result = pd.DataFrame({"ds": future, "yhat": yhat, "yhat_lower": lower, "yhat_upper": upper})
    result.attrs["model"] = model
    if reason:
        result.attrs["fallback_reason"] = reason
    return result


def _with_campaigns(holidays, campaigns, freq: Frequency, dates: pd.DatetimeIndex):
    """(holidays with the campaign days added, campaign flag per date of history + horizon or None)."""
    first, last = dates[0], dates[-1]
    rows = campaign_events(campaigns, first.date(), (last + pd.Timedelta(days=freq.step_days - 1)).date())
    if rows.empty:
        return holidays, None
    holidays = calendar_for(holidays, first.date(), last.date())
    holidays = rows if holidays is None or holidays.empty else pd.concat([holidays, rows], ignore_index=True)
    flagged = align_holidays(rows, freq, first, last)["ds"]
    return holidays, np.asarray(dates.isin(pd.DatetimeIndex(flagged)), bool)


def _choose_and_run(frame, freq, future, horizon, holidays, width, method, events=None):
    y = frame["y"].to_numpy(float)
    known = y[np.isfinite(y)]
    if known.size == 0:
        sold = frame["sold"].to_numpy(float)
        if np.nansum(sold) == 0:
            return "zero", _flat(0.0, 0.0, 0.0, horizon), ""
        return "recent_mean", _recent_mean(sold, freq, horizon, width), "every period censored: sales are a lower bound"
    if np.all(known == 0):
        return "zero", _flat(0.0, 0.0, 0.0, horizon), ""
    if known.size < freq.min_points:
        return "recent_mean", _recent_mean(y, freq, horizon, width), ""
    if method == "seasonal_naive":
        return method, _baseline(frame, freq, horizon, width, seasonal=True), ""
    if method == "moving_average":
        return method, _baseline(frame, freq, horizon, width, seasonal=False), ""
    if method == "auto":
        chosen = _engine_choice(frame, freq, future, horizon, holidays, width, events)
        if chosen is not None:
            return chosen
        method = "rules"  # too short for a backtest: the fixed rules below
    recent = known[-56:]
    if method == "rules" and freq is DAILY and np.mean(recent == 0) > INTERMITTENT_ZERO_SHARE:
        return "croston_sba", _croston(y, horizon, width), ""
    try:
        prophet = _prophet(frame, future, freq, holidays, width)
    except Exception as exc:  # noqa: BLE001 - any Stan/Prophet failure falls back, the reason is kept
        log.warning("prophet failed, seasonal naive used instead: %s", exc)
        return "seasonal_naive", _baseline(frame, freq, horizon, width, seasonal=True), f"prophet failed: {exc}"
    if method == "rules" and _ensemble_possible(frame, freq, horizon):
        filled = baselines.impute_censored(frame["sold"].to_numpy(float), frame["censored"].to_numpy())[0]
        filled = np.where(np.isfinite(y) | frame["censored"].to_numpy(), filled, np.nan)
        naive = baselines.level_adjusted_seasonal_naive(filled, horizon, freq.yearly_lag, freq.level_window)[0]
        centre = 0.5 * prophet[0] + 0.5 * naive
        return "prophet_ensemble", (centre, centre - (prophet[0] - prophet[1]), centre + (prophet[2] - prophet[0])), ""
    return "prophet", prophet, ""


def _engine_choice(frame: pd.DataFrame, freq: Frequency, future, horizon: int, holidays, width: float,
                   events: np.ndarray | None = None):
    """Rolling-origin choice over the statsforecast models and Prophet (forecasting.engine.select), or None when
    the history holds no backtest window. Intermittent series get the intermittent models and no Prophet.
    events: campaign flags over history + horizon (the statistical models' level leaves them out; their
    forecasts get the series' campaign uplift on the flagged days ahead)."""
    n = len(frame)
    floor = max(2 * freq.min_points, freq.season + freq.min_points)
    windows = min(CHOICE_WINDOWS, max(0, (n - floor) // horizon))
    if windows < 1:
        return None
    y = frame["y"].to_numpy(float)
    flags = np.zeros(n + horizon, bool) if events is None else np.asarray(events, bool)
    filled = baselines.impute_censored(y, frame["censored"].to_numpy() | ~np.isfinite(y), events=flags[:n])[0]
    intermittent = bool(engine.is_intermittent(y[None, :])[0])
    if intermittent:
        models = engine.INTERMITTENT_MODELS + ("seasonal_naive",)
    else:
        models = ("moving_average", "seasonal_naive") + engine.FITTED + ("prophet",)
    if freq is DAILY:
        # Daily series: the level models times the series' weekday profile. Intermittent ones choose among those
        # alone: on the Olist panel every wider set lost to TSB once the choice met unseen windows.
        models = engine.WEEKDAY if intermittent else models + engine.WEEKDAY[:2]
    origins = [n - (windows - i) * horizon for i in range(windows)] + [n]
    cands, failed = [], ""
    for origin in origins:
        uplift = engine.event_uplift(y[:origin], filled[:origin], flags[:origin])[0]
        ahead = np.where(flags[origin:origin + horizon], uplift, 1.0)
        out = {m: ahead * engine.forecast_one(m, filled[:origin], horizon, freq.season, freq.ma_window)[None, :]
               for m in models if m != "prophet"}
        if "prophet" in models:
            part = frame.iloc[:origin]
            dates = part["ds"].iloc[-1] + pd.to_timedelta(freq.step_days * np.arange(1, horizon + 1), unit="D")
            try:
                out["prophet"] = _prophet_or_ensemble(part, freq, dates, horizon, holidays, width)[None, :]
            except Exception as exc:  # noqa: BLE001 - Prophet dropped from the candidates, the reason kept
                log.warning("prophet failed, left out of the choice: %s", exc)
                failed = f"prophet failed: {exc}"
                models = tuple(m for m in models if m != "prophet")
                cands = [{k: v for k, v in c.items() if k != "prophet"} for c in cands]
        cands.append(out)
    actuals = [y[None, o:o + horizon] for o in origins[:-1]]
    scale = metrics.naive_scale(y[None, :], freq.season)
    pick = engine.select(actuals, cands[:-1], scale, np.array([intermittent]), models,
                         engine.Rules(width=width))
    point, lower, upper = pick.apply(cands[-1])
    return str(pick.label()[0]), (point[0], lower[0], upper[0]), failed


def _prophet_or_ensemble(part: pd.DataFrame, freq: Frequency, dates, horizon: int, holidays, width: float):
    """Prophet's point forecast; for weekly series with a year and a quarter of history, its equal-weight mean with
    the level-adjusted seasonal naive (the rules' prophet_ensemble)."""
    yhat = _prophet(part, dates, freq, holidays, width)[0]
    if not _ensemble_possible(part, freq, horizon):
        return yhat
    y = part["y"].to_numpy(float)
    filled = baselines.impute_censored(part["sold"].to_numpy(float), part["censored"].to_numpy())[0]
    filled = np.where(np.isfinite(y) | part["censored"].to_numpy(), filled, np.nan)
    naive = baselines.level_adjusted_seasonal_naive(filled, horizon, freq.yearly_lag, freq.level_window)[0]
    return 0.5 * yhat + 0.5 * naive


def _flat(yhat: float, lower: float, upper: float, horizon: int):
    return np.full(horizon, yhat), np.full(horizon, lower), np.full(horizon, upper)


def _recent_band(values: np.ndarray, width: float) -> tuple[float, float]:
    values = values[np.isfinite(values)]
    return float(np.quantile(values, (1 - width) / 2)), float(np.quantile(values, (1 + width) / 2))


def _recent_mean(y: np.ndarray, freq: Frequency, horizon: int, width: float):
    recent = y[np.isfinite(y)][-freq.ma_window:]
    return _flat(float(recent.mean()), *_recent_band(recent, width), horizon)


def _croston(y: np.ndarray, horizon: int, width: float):
    rate = float(baselines.croston_sba(y[np.isfinite(y)], 1)[0, 0])
    return _flat(rate, *_recent_band(y[np.isfinite(y)][-56:], width), horizon)


def _baseline(frame: pd.DataFrame, freq: Frequency, horizon: int, width: float, *, seasonal: bool):
    """Seasonal naive or moving average with a band from the same rule's past errors (actual - forecast)."""
    y = frame["y"].to_numpy(float)
    if seasonal:
        point = baselines.seasonal_naive(y, horizon, freq.season)[0]
        past = np.concatenate([np.full(freq.season, np.nan), y[:-freq.season]])
    else:
        point = baselines.moving_average(y, horizon, freq.ma_window)[0]
        past = pd.Series(y).shift(1).rolling(freq.ma_window, min_periods=1).mean().to_numpy()
    lower, upper = baselines.residual_band(y - past, point, width)
    return point, lower[0], upper[0]


def _ensemble_possible(frame: pd.DataFrame, freq: Frequency, horizon: int) -> bool:
    """Weekly series with a year and a quarter of history. Daily series stay with Prophet alone: last year's
    same weekday misses fixed-date events by a day or two, and on in-sample backtests of the demo categories the
    combination doubled Prophet's error (relative MAE 11.7% vs 6.8%)."""
    return freq is WEEKLY and len(frame) >= freq.yearly_lag + freq.level_window and horizon <= freq.yearly_lag


def align_holidays(holidays: pd.DataFrame, freq: Frequency, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Holidays within [first, last] for Prophet: daily as given; weekly moved onto the week (labelled by its
    first day, counted from `first`) that holds each day of the holiday's window, one row per holiday and week."""
    if holidays is None or holidays.empty:
        return pd.DataFrame(columns=["holiday", "ds", "lower_window", "upper_window"])
    h = holidays.copy()
    h["ds"] = pd.to_datetime(h["ds"])
    for col in ("lower_window", "upper_window"):
        if col not in h:
            h[col] = 0
    if freq is DAILY:
        inside = (h["ds"] + pd.to_timedelta(h["upper_window"], unit="D") >= first) & (
            h["ds"] + pd.to_timedelta(h["lower_window"], unit="D") <= last)
        return h.loc[inside, ["holiday", "ds", "lower_window", "upper_window"]].reset_index(drop=True)
    rows = []
    for row in h.itertuples(index=False):
        for offset in range(int(row.lower_window), int(row.upper_window) + 1):
            day = row.ds + pd.Timedelta(days=offset)
            label = first + pd.Timedelta(days=freq.step_days * ((day - first).days // freq.step_days))
            if first <= label <= last:
                rows.append((row.holiday, label))
    weekly = pd.DataFrame(rows, columns=["holiday", "ds"]).drop_duplicates()
    return weekly.assign(lower_window=0, upper_window=0).reset_index(drop=True)


def _holiday_frame(holidays, freq: Frequency, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame | None:
    holidays = calendar_for(holidays, first.date(), last.date())
    aligned = align_holidays(holidays, freq, first, last) if holidays is not None else None
    return aligned if aligned is not None and not aligned.empty else None


def _prophet(frame: pd.DataFrame, future: pd.DatetimeIndex, freq: Frequency, holidays, width: float):
    """Prophet's yhat, yhat_lower, yhat_upper over the future dates (fit on the known periods only)."""
    quiet_prophet()
    from prophet import Prophet  # imported on use: it is slow to import and nothing fits at import time

    quiet_prophet()  # again: importing prophet.forecaster sets its logger to INFO

    train = frame.loc[frame["y"].notna(), ["ds", "y"]]
    span_days = (train["ds"].iloc[-1] - train["ds"].iloc[0]).days
    model = Prophet(
        growth="linear",
        yearly_seasonality=span_days >= 365,
        weekly_seasonality=freq is DAILY and span_days >= 14,
        daily_seasonality=False,
        holidays=_holiday_frame(holidays, freq, frame["ds"].iloc[0], future[-1]),
        interval_width=width,
        uncertainty_samples=UNCERTAINTY_SAMPLES,
    )
    model.fit(train)
    state = np.random.get_state()
    np.random.seed(0)  # the band is sampled: the same history gives the same forecast
    try:
        predicted = model.predict(pd.DataFrame({"ds": future}))
    finally:
        np.random.set_state(state)
    return (predicted["yhat"].to_numpy(), predicted["yhat_lower"].to_numpy(), predicted["yhat_upper"].to_numpy())
