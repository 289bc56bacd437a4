"""forecasting.engine and the choice demand.forecast ships: statsforecast under the pinned pandas, the contract,
fallbacks, intermittent scoring, bias factor, conformal coverage on simulated series, and holidays by country."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting import catalogue, demand, engine, shop_calendar
from tests.support.inventory_shop import small_catalogue

ROOT = Path(__file__).resolve().parents[2]


def _pinned(name: str) -> str:
    for path in ("requirements.txt", "requirements-nodeps.txt"):
        for line in (ROOT / path).read_text().splitlines():
            if line.lower().startswith(f"{name}=="):
                return line.split("==")[1].strip()
    raise AssertionError(f"{name} is not pinned")


def test_statsforecast_models_run_under_the_pinned_pandas():
    import statsforecast

    assert pd.__version__ == _pinned("pandas") and statsforecast.__version__ == _pinned("statsforecast")
    rng = np.random.default_rng(0)
    t = np.arange(140)
    weekly = 10 + 5 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 0.5, t.size)
    for name in engine.FAST + engine.FITTED:
        out = engine.forecast_one(name, weekly, 14, 7)
        assert out.shape == (14,) and np.isfinite(out).all() and (out >= 0).all()
    # the seasonal models really fit (the moving-average fallback would be flat)
    for name in ("seasonal_naive", "auto_ets", "auto_theta", "mstl"):
        assert np.ptp(engine.forecast_one(name, weekly, 7, 7)) > 5, name
    # the native interval API works under pandas 3 too
    from statsforecast.models import AutoETS

    fitted = AutoETS(season_length=7).forecast(y=weekly, h=7, level=[80])
    assert (fitted["lo-80"] < fitted["mean"]).all() and (fitted["mean"] < fitted["hi-80"]).all()


def test_a_model_that_raises_gives_the_moving_average(monkeypatch):
    def broken(*_args):
        raise RuntimeError("no fit")

    monkeypatch.setattr(engine, "_model", broken)
    y = np.arange(1, 61, dtype=float)
    assert engine.forecast_one("auto_ets", y, 3, 7, window=4).tolist() == [58.5] * 3
    assert engine.forecast_one("croston_sba", np.zeros(30), 2, 7).tolist() == [0.0, 0.0]


def _daily(values, start="2024-01-01") -> pd.DataFrame:
    return pd.DataFrame({"ds": pd.date_range(start, periods=len(values), freq="D"), "y": values})


def test_auto_forecast_contract_and_choice():
    rng = np.random.default_rng(3)
    days = pd.date_range("2024-01-01", periods=160, freq="D")
    weekday = np.array([10, 10, 10, 10, 14, 20, 22], dtype=float)
    history = pd.DataFrame({"ds": days, "y": rng.poisson(weekday[days.day_of_week])})
    fc = demand.forecast(history, 14, holidays=None)
    assert list(fc.columns) == ["ds", "yhat", "yhat_lower", "yhat_upper"]
    assert list(fc["ds"]) == list(pd.date_range(days[-1] + pd.Timedelta(days=1), periods=14, freq="D"))
    assert fc.attrs["model"] in {"combination", "seasonal_naive", "auto_ets", "auto_theta", "mstl", "prophet",
                                 *engine.WEEKDAY}
    assert (fc["yhat_lower"] >= 0).all() and (fc["yhat_lower"] <= fc["yhat"]).all()
    assert (fc["yhat"] <= fc["yhat_upper"]).all()
    by_day = fc.groupby(fc["ds"].dt.day_of_week)["yhat"].mean()
    assert by_day[6] > by_day[1] + 8  # the weekly pattern survives the choice
    pd.testing.assert_frame_equal(fc, demand.forecast(history, 14, holidays=None))


def test_auto_forecast_falls_back_when_prophet_fails(monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("stan exploded")

    monkeypatch.setattr(demand, "_prophet", broken)
    rng = np.random.default_rng(4)
    fc = demand.forecast(_daily(rng.poisson(8, 150)), 7, holidays=None)
    assert "prophet failed" in fc.attrs["fallback_reason"] and fc.attrs["model"] != "prophet"
    assert abs(fc["yhat"].mean() - 8) < 1.5


def test_auto_forecast_short_or_intermittent_series():
    assert demand.forecast(_daily([4, 6, 5, 7, 3]), 3).attrs["model"] == "recent_mean"  # no backtest window
    rng = np.random.default_rng(5)
    sparse = np.where(rng.random(300) < 0.1, rng.integers(1, 4, 300), 0).astype(float)
    fc = demand.forecast(_daily(sparse), 28)
    assert fc.attrs["model"] in {*engine.WEEKDAY, "combination"}  # daily: the level models x weekday profile
    # the lead-time total is what the reorder point uses: close to the true rate (0.1 x mean size 2)
    assert 0.1 < fc["yhat"].mean() < 0.35


def test_intermittent_series_are_judged_on_cumulative_demand():
    rng = np.random.default_rng(6)
    actual = np.where(rng.random((200, 28)) < 0.15, 1.0, 0.0)
    zero = np.zeros_like(actual)
    rate = np.full_like(actual, 0.15)
    scale = np.ones(200)
    smooth = np.zeros(200, bool)
    # daily MASE prefers forecasting nothing on a series that mostly sells nothing ...
    assert engine.scores(actual, zero, scale, smooth).mean() < engine.scores(actual, rate, scale, smooth).mean()
    # ... the lead-time cumulative measure prefers the rate, which gets the order quantity right
    lumpy = ~smooth
    assert engine.scores(actual, rate, scale, lumpy).mean() < engine.scores(actual, zero, scale, lumpy).mean()


def _simulate(n, days, rng):
    level = rng.uniform(3, 30, n)[:, None]
    weekday = np.array([1, 1, 1, 1, 1.2, 1.6, 1.8])[np.arange(days) % 7]
    return rng.poisson(level * weekday).astype(float)


def test_bias_factor_removes_a_steady_over_forecast():
    rng = np.random.default_rng(7)
    y = _simulate(300, 28 * 4, rng)  # window 0 sets the level, 1-2 calibrate, 3 is unseen
    mean = y[:, :28].mean(axis=1, keepdims=True)
    windows = [slice(28 * w, 28 * (w + 1)) for w in range(1, 3)]
    # one candidate, 30% too high everywhere
    backtests = [{"moving_average": np.repeat(1.3 * mean, 28, axis=1)} for _ in windows]
    pick = engine.select([y[:, w] for w in windows], backtests, np.ones(300), np.zeros(300, bool),
                         ("moving_average",), engine.Rules(correct_bias=True))
    default = engine.select([y[:, w] for w in windows], backtests, np.ones(300), np.zeros(300, bool),
                            ("moving_average",))
    assert (default.factor == 1.0).all()  # off unless asked for: it did not hold on the real panels
    corrected = np.repeat(1.3 * mean, 28, axis=1) * pick.factor[:, None]
    before = (1.3 * mean.sum() * 28 - y[:, 84:].sum()) / y[:, 84:].sum()
    after = (corrected.sum() - y[:, 84:].sum()) / y[:, 84:].sum()  # scored on a fourth window nobody saw
    assert before > 0.2 and abs(after) < 0.03


def test_conformal_band_covers_80_percent_of_unseen_days():
    """Poisson series with a weekly pattern: candidates chosen and calibrated on three windows, the band scored on
    a fourth nobody saw. Known distribution, so the right answer is 80% (discreteness allows a few points)."""
    rng = np.random.default_rng(8)
    h, n = 28, 400
    y = _simulate(n, 28 * 12, rng)
    filled = y
    models = ("moving_average", "seasonal_naive")
    origins = [y.shape[1] - (4 - i) * h for i in range(4)]
    cands = [{m: engine.forecast_rows(m, filled[:, :o], h, 7) for m in models} for o in origins]
    pick = engine.select([y[:, o:o + h] for o in origins[:3]], cands[:3], np.ones(n), np.zeros(n, bool), models)
    point, lower, upper = pick.apply(cands[3])
    held_out = y[:, origins[3]:origins[3] + h]
    coverage = ((held_out >= lower) & (held_out <= upper)).mean()
    assert 0.75 <= coverage <= 0.88
    assert abs((point - held_out).sum() / held_out.sum()) < 0.03  # unbiased pooled


def test_combination_where_no_model_is_clearly_best():
    actual = [np.array([[1.0, 2.0, 3.0, 4.0]])]
    backtests = [{"a": np.array([[1.5, 2.5, 3.5, 4.5]]), "b": np.array([[0.5, 1.5, 2.5, 3.5]]),
                  "c": np.array([[5.0, 5.0, 5.0, 5.0]])}]
    pick = engine.select(actual, backtests, np.ones(1), np.zeros(1, bool), ("a", "b", "c"),
                         engine.Rules(top_k=2))
    assert pick.label()[0] == "combination" and pick.weights[0].tolist() == pytest.approx([0.5, 0.5, 0.0])
    point = pick.apply({"a": np.array([[3.0]]), "b": np.array([[1.0]]), "c": np.array([[9.0]])})[0]
    assert point[0, 0] == pytest.approx(2.0 * pick.factor[0])


# ---------------------------------------------------------------- the shop's calendar


def test_holidays_by_country():
    us = shop_calendar.country_holidays("us", date(2024, 1, 1), date(2024, 12, 31))
    assert {"us_thanksgiving_day", "us_independence_day"} <= set(us["holiday"])
    br = shop_calendar.country_holidays("BR", date(2024, 1, 1), date(2024, 12, 31))
    assert pd.Timestamp("2024-04-21") in set(br["ds"])  # Tiradentes
    gb = shop_calendar.shop_calendar(date(2024, 1, 1), date(2024, 12, 31), "GB",
                                     events=shop_calendar.black_friday(date(2024, 1, 1), date(2024, 12, 31)))
    assert pd.Timestamp("2024-11-29") in set(gb.loc[gb["holiday"] == "black_friday", "ds"])
    assert not gb["holiday"].isin(["618", "double_11"]).any()  # China's shop events are not a British shop's
    cn = shop_calendar.shop_calendar(date(2024, 1, 1), date(2024, 12, 31))
    pd.testing.assert_frame_equal(cn, shop_calendar.china_holidays(date(2024, 1, 1), date(2024, 12, 31)))
    with pytest.raises(ValueError, match="unknown country"):
        shop_calendar.country_holidays("XX", date(2024, 1, 1), date(2024, 12, 31))
    campaign = pd.DataFrame({"holiday": ["spring_sale"], "ds": ["2024-03-05"]})
    own = shop_calendar.shop_calendar(date(2024, 1, 1), date(2024, 12, 31), "US", events=campaign)
    assert own.loc[own["holiday"] == "spring_sale", ["lower_window", "upper_window"]].values.tolist() == [[0, 0]]


def test_forecast_uses_the_country_given():
    frame = demand._holiday_frame("US", demand.DAILY, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"))
    # the US public holidays and Black Friday (a shop outside China has it), none of China's shop events
    assert (frame["holiday"].str.startswith("us_") | frame["holiday"].eq("black_friday")).all()
    assert {"us_thanksgiving_day", "black_friday"} <= set(frame["holiday"])
    assert pd.Timestamp("2024-11-29") in set(frame.loc[frame["holiday"] == "black_friday", "ds"])
    china = demand._holiday_frame("china", demand.DAILY, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"))
    assert {"double_11", "618", "cn_national_day"} <= set(china["holiday"])
    assert "black_friday" not in set(china["holiday"])
    given = pd.DataFrame({"holiday": ["sale"], "ds": [pd.Timestamp("2024-05-01")], "lower_window": [0],
                          "upper_window": [0]})
    assert shop_calendar.calendar_for(given, date(2024, 1, 1), date(2024, 12, 31)) is given
    assert shop_calendar.calendar_for(None, date(2024, 1, 1), date(2024, 12, 31)) is None


def test_vectorised_models_equal_statsforecast():
    """The batch's vectorised moving average, seasonal naive, Croston SBA and TSB give statsforecast's numbers."""
    from statsforecast import models as sf

    rng = np.random.default_rng(9)
    y = np.vstack([rng.poisson(0.3, (20, 120)), rng.poisson(6, (3, 120)), np.zeros((1, 120))]).astype(float)
    y[2, :100] = 0  # demand starts late
    reference = {"moving_average": sf.WindowAverage(window_size=28), "seasonal_naive": sf.SeasonalNaive(7),
                 "croston_sba": sf.CrostonSBA(), "tsb": sf.TSB(alpha_d=0.1, alpha_p=0.1)}
    for name, model in reference.items():
        expected = np.vstack([model.forecast(y=row, h=9)["mean"] for row in y])
        np.testing.assert_allclose(engine.forecast_rows(name, y, 9, 7), expected, atol=1e-12, err_msg=name)
    rates = engine.intermittent_rates(y, [60, 90, 120])
    for k, cut in enumerate([60, 90, 120]):
        expected = [sf.CrostonSBA().forecast(y=row[:cut], h=1)["mean"][0] for row in y]
        np.testing.assert_allclose(rates["croston_sba"][k], expected, atol=1e-12)


def test_weekday_profile_recovers_a_known_pattern():
    """Poisson days with a known weekday pattern: the profile of a year of one series finds it (mean 1), lines
    it up with the days after the end, and is flat where nothing sold or the history is short."""
    rng = np.random.default_rng(11)
    pattern = np.array([0.6, 0.8, 1.0, 1.0, 1.1, 1.2, 1.3])
    days = 400  # ends on weekday 400 % 7 = 1: the first forecast day is weekday 1
    y = rng.poisson(200 * pattern[np.arange(days) % 7], (50, days)).astype(float)
    y[3, 10:20] = np.nan  # unknown days are left out, not read as zero
    profile = engine.weekday_profile(y, 14)
    truth = pattern / pattern.mean()
    np.testing.assert_allclose(profile, np.tile(truth[(days + np.arange(14)) % 7], (50, 1)), atol=0.04)
    assert (engine.weekday_profile(np.zeros((1, days)), 7) == 1).all()
    assert (engine.weekday_profile(y[:, :50], 7) == 1).all()  # under eight weeks
    # the weekday models: the level model's total, spread by the profile; vectorised == one by one
    rows = engine.forecast_rows("tsb_weekday", y[:5, :380], 14, 7)
    one = np.vstack([engine.forecast_one("tsb_weekday", row, 14, 7) for row in y[:5, :380]])
    np.testing.assert_allclose(rows, one, rtol=1e-9)
    level = engine.forecast_rows("tsb", y[:5, :380], 14, 7)
    assert np.allclose(rows.sum(axis=1), level.sum(axis=1), rtol=0.05)


def test_category_shape_candidates_follow_the_category_and_drop_out_without_it():
    cat = small_catalogue()
    settings = catalogue.Settings(horizon=14)
    bump = np.array([1.0] * 10 + [3.0, 1.0, 1.0, 1.0])  # an event on day 11 of the category's forecast
    results = [catalogue.CategoryResult(c, i, 50.0 * bump) for c in ("x", "y") for i in range(4)]
    task = catalogue.chunk_tasks(cat, settings, results)[0]
    estimate = catalogue.estimated_demand(task.series)
    origins = task.series.origins(settings)
    rates = engine.intermittent_rates(estimate, origins)
    rows = np.arange(task.series.n_series)
    cands = catalogue._candidates(task, rows, estimate, estimate, 3, origins[3], rates)
    np.testing.assert_allclose(cands["tsb_category_shape"], cands["tsb"] * bump / bump.mean(), rtol=1e-9)
    np.testing.assert_allclose(cands["moving_average_category_shape"].sum(axis=1),
                               cands["moving_average"].sum(axis=1))  # the series' level, the category's shape
    task.category_forecast["x"][3] = np.nan  # that category's fit failed: no shaped candidate
    cands = catalogue._candidates(task, rows, estimate, estimate, 3, origins[3], rates)
    assert np.isnan(cands["tsb_category_shape"]).all() and np.isfinite(cands["tsb"]).all()


def test_row_quantile_equals_numpy():
    from forecasting import baselines

    r = np.random.default_rng(10).normal(size=(40, 25))
    r[r > 1.0] = np.nan
    r[5] = np.nan
    for q in (0.1, 0.5, 0.9):
        got = baselines.row_quantile(r, q)
        assert np.isnan(got[5])
        with np.errstate(invalid="ignore"), __import__("warnings").catch_warnings():
            __import__("warnings").simplefilter("ignore", RuntimeWarning)
            np.testing.assert_allclose(np.delete(got, 5), np.delete(np.nanquantile(r, q, axis=1), 5), atol=1e-12)
