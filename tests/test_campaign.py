"""Campaign effect: the contract, planted lifts and placebos on seeded series, controls, odd inputs, the demo shop's
planted campaigns (the done-when check), the real Robyn weekly file, and the series query on both backends."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from forecasting import campaign_model
from forecasting.campaign import CampaignEffect, estimate_effect, incremental_roas

DAYS = pd.date_range("2024-01-01", periods=161, freq="D")
PRE = (date(2024, 1, 1), date(2024, 4, 29))  # 120 days
POST = (date(2024, 4, 30), date(2024, 5, 20))  # 21 days, both ends included
WEEKLY_SHAPE = np.array([1.0, 0.95, 0.9, 0.95, 1.05, 1.3, 1.25])  # Monday .. Sunday


def seeded_series(seed: int, lift: float = 0.0, level: float = 200.0, noise: float = 0.06, ar: float = 0.0,
                  days: pd.DatetimeIndex = DAYS, post: tuple[date, date] = POST) -> tuple[pd.DataFrame, float]:
    """(ds, y) with a weekly pattern, a gentle trend and multiplicative AR(1) noise (sd `noise`), plus `lift` x the
    baseline over the post-period; and the planted cumulative effect (sum of lift x baseline over it)."""
    rng = np.random.default_rng(seed)
    base = level * WEEKLY_SHAPE[days.day_of_week] * (1 + 0.0005 * np.arange(days.size))
    shocks = rng.normal(0, noise * math.sqrt(1 - ar ** 2), days.size)
    error = np.zeros(days.size)
    for t in range(days.size):
        error[t] = (ar * error[t - 1] if t else 0.0) + shocks[t]
    in_post = (days >= pd.Timestamp(post[0])) & (days <= pd.Timestamp(post[1]))
    y = base * (1 + error) + lift * base * in_post
    return pd.DataFrame({"ds": days, "y": y}), float((lift * base * in_post).sum())


@pytest.fixture(scope="module")
def lifted() -> tuple[CampaignEffect, float]:
    series, truth = seeded_series(1, lift=0.2)
    return estimate_effect(series, PRE, POST), truth


# ---------------------------------------------------------------- contract


def test_result_carries_every_field_with_ordered_95_percent_intervals(lifted):
    r, truth = lifted
    assert r.alpha == 0.05 and r.method == "prophet" and r.frequency == "daily"
    assert r.n_pre == 120 and r.n_post == 21 and r.n_backtests >= campaign_model.MIN_BACKTESTS
    assert r.pre_period == (pd.Timestamp(PRE[0]), pd.Timestamp(PRE[1]))
    assert r.post_period == (pd.Timestamp(POST[0]), pd.Timestamp(POST[1]))
    for name in ("cumulative_effect", "cumulative_lower", "cumulative_upper", "relative_lift", "relative_lower",
                 "relative_upper", "p_value", "actual_total", "predicted_total", "standard_error"):
        assert isinstance(getattr(r, name), float) and math.isfinite(getattr(r, name)), name
    assert r.cumulative_lower <= r.cumulative_effect <= r.cumulative_upper
    assert r.relative_lower <= r.relative_lift <= r.relative_upper
    assert r.predicted_total_lower <= r.predicted_total <= r.predicted_total_upper
    # 95%: the half-width is 1.959964 standard errors.
    assert r.cumulative_upper - r.cumulative_effect == pytest.approx(1.959964 * r.standard_error, rel=1e-6)
    assert r.cumulative_effect == pytest.approx(r.actual_total - r.predicted_total)
    assert r.average_effect == pytest.approx(r.cumulative_effect / 21)
    assert r.relative_lift == pytest.approx(r.actual_total / r.predicted_total - 1)
    assert r.notes == ()
    with pytest.raises(AttributeError):
        r.p_value = 0.5  # frozen


def test_daily_frame_covers_both_periods_with_both_ends_included(lifted):
    r, _ = lifted
    d = r.daily
    assert list(d.columns) == ["ds", "period", "actual", "predicted", "predicted_lower", "predicted_upper", "effect",
                               "effect_lower", "effect_upper", "cumulative_effect", "cumulative_lower",
                               "cumulative_upper"]
    assert pd.api.types.is_datetime64_any_dtype(d["ds"])
    assert (d["period"] == "pre").sum() == 120 and (d["period"] == "post").sum() == 21
    post = r.post
    assert post["ds"].iloc[0] == pd.Timestamp(POST[0]) and post["ds"].iloc[-1] == pd.Timestamp(POST[1])
    assert (d["predicted_lower"] <= d["predicted"]).all() and (d["predicted"] <= d["predicted_upper"]).all()
    assert np.allclose(d["effect"], d["actual"] - d["predicted"])
    assert np.allclose(post["cumulative_effect"], post["effect"].cumsum())
    assert post["cumulative_effect"].iloc[-1] == pytest.approx(r.cumulative_effect)
    assert post["cumulative_lower"].iloc[-1] == pytest.approx(r.cumulative_lower)
    assert (post["cumulative_lower"] <= post["cumulative_effect"]).all()
    assert d.loc[d["period"] == "pre", "cumulative_effect"].isna().all()
    # The band of a cumulative sum widens as the sum grows.
    width = (post["cumulative_upper"] - post["cumulative_lower"]).to_numpy()
    assert width[-1] > width[0]


def test_p_value_agrees_with_the_interval_at_any_alpha():
    series, _ = seeded_series(3, lift=0.03)
    for alpha in (0.05, 0.2, 0.5):
        r = estimate_effect(series, PRE, POST, alpha=alpha)
        assert r.alpha == alpha
        excludes_zero = r.cumulative_lower > 0 or r.cumulative_upper < 0
        assert (r.p_value < alpha) == excludes_zero == r.significant
        # Two-sided normal test: p = 2 (1 - Phi(|effect| / se)).
        assert r.p_value == pytest.approx(2 * stats.norm.sf(abs(r.cumulative_effect) / r.standard_error))
        half = stats.norm.ppf(1 - alpha / 2) * r.standard_error
        assert r.cumulative_upper == pytest.approx(r.cumulative_effect + half)


# ---------------------------------------------------------------- planted lifts and placebos


def test_planted_lift_is_recovered_within_the_interval(lifted):
    r, truth = lifted
    # 20% of the baseline over 21 days: the truth is known exactly.
    assert r.cumulative_lower <= truth <= r.cumulative_upper
    assert r.relative_lower <= 0.2 <= r.relative_upper
    assert r.p_value < 0.001
    assert r.relative_lift == pytest.approx(0.2, abs=0.05)


def test_placebo_window_without_a_lift_is_not_significant():
    series, _ = seeded_series(2, lift=0.0)
    r = estimate_effect(series, PRE, POST)
    assert r.p_value >= 0.05
    assert r.cumulative_lower <= 0 <= r.cumulative_upper


@pytest.mark.slow
def test_intervals_are_calibrated_on_autocorrelated_noise():
    """AR(1) noise (phi 0.6): per-day bands summed as if independent would be 2x too narrow (the variance of a
    21-day sum is ~4x the independent one). Over 12 seeded series, placebo windows are rarely significant and
    planted 10% lifts are covered."""
    false_positives, covered = 0, 0
    for seed in range(12):
        placebo, _ = seeded_series(100 + seed, lift=0.0, ar=0.6)
        false_positives += estimate_effect(placebo, PRE, POST).p_value < 0.05
        series, truth = seeded_series(200 + seed, lift=0.1, ar=0.6)
        r = estimate_effect(series, PRE, POST)
        covered += r.cumulative_lower <= truth <= r.cumulative_upper
    # Nominal: 5% false positives (0.6 of 12), 95% coverage (11.4 of 12); the bounds allow sampling noise.
    assert false_positives <= 2
    assert covered >= 10


def test_control_series_explains_a_market_wide_shock():
    """A shock hits the whole market in the post-period (+25% on the control and, through it, on the series), with
    no campaign. Without the control it looks like a lift; with it the effect is near zero."""
    rng = np.random.default_rng(5)
    in_post = (DAYS >= pd.Timestamp(POST[0])) & (DAYS <= pd.Timestamp(POST[1]))
    market = 1000 * WEEKLY_SHAPE[DAYS.day_of_week] * (1 + 0.1 * np.sin(np.arange(DAYS.size) / 9))
    market = market * (1 + 0.25 * in_post) * (1 + rng.normal(0, 0.02, DAYS.size))
    y = 0.2 * market * (1 + rng.normal(0, 0.03, DAYS.size))
    series = pd.DataFrame({"ds": DAYS, "y": y})
    controls = pd.DataFrame({"ds": DAYS, "market": market})
    alone = estimate_effect(series, PRE, POST)
    assert alone.significant and alone.relative_lift > 0.15
    with_control = estimate_effect(series, PRE, POST, controls=controls)
    assert with_control.controls == ("market",)
    assert with_control.p_value >= 0.05
    assert abs(with_control.relative_lift) < 0.05
    # A real 15% campaign on top of the shock is still found, and its size recovered.
    lifted = series.assign(y=y * (1 + 0.15 * in_post))
    truth = float((0.15 * y * in_post).sum())
    r = estimate_effect(lifted, PRE, POST, controls=controls)
    assert r.significant and r.cumulative_lower <= truth <= r.cumulative_upper


# ---------------------------------------------------------------- odd inputs


def test_gaps_are_unknown_not_zero_and_are_left_out_of_the_sums():
    series, _ = seeded_series(4, lift=0.2)
    holes = series.drop(index=[10, 11, 50, 125, 126]).reset_index(drop=True)  # 3 pre days, 2 post days
    r = estimate_effect(holes, PRE, POST)
    assert r.n_pre == 117 and r.n_post == 19
    post = r.post
    assert post["actual"].isna().sum() == 2
    assert r.actual_total == pytest.approx(series["y"].iloc[120:141].drop(index=[125, 126]).sum())
    assert r.predicted_total == pytest.approx(post.loc[post["actual"].notna(), "predicted"].sum())
    assert any("2 post-period periods have no value" in note for note in r.notes)
    assert r.cumulative_lower <= r.cumulative_effect <= r.cumulative_upper


def test_post_period_past_the_data_is_clipped_with_a_note():
    series, _ = seeded_series(4)
    r = estimate_effect(series, PRE, (POST[0], date(2024, 6, 30)))
    assert r.post_period[1] == pd.Timestamp("2024-06-09")  # the last day of the series
    assert r.n_post == 41
    assert any("clipped" in note for note in r.notes)


@pytest.mark.parametrize(("pre_days", "method"), [(20, "weekday_mean"), (9, "mean")])
def test_short_pre_period_falls_back_to_the_mean_with_a_wider_interval(pre_days, method):
    series, _ = seeded_series(6)
    pre = (date(2024, 4, 30) - pd.Timedelta(days=pre_days), date(2024, 4, 29))
    r = estimate_effect(series, pre, POST)
    assert r.method == method and r.n_pre == pre_days and r.n_backtests == 0
    assert any("Prophet needs 28" in note for note in r.notes)
    assert r.cumulative_lower <= r.cumulative_effect <= r.cumulative_upper
    known = series.set_index("ds")["y"]
    window = known[pd.Timestamp(pre[0]):pd.Timestamp(pre[1])]
    if method == "mean":
        assert r.predicted_total == pytest.approx(window.mean() * 21)
    # Widened: 1.5x the residual-based error of a 21-day sum (at least the independent-noise one).
    residual_sd = math.sqrt(np.mean((window - (window.mean() if method == "mean" else
                                               window.groupby(window.index.day_of_week).transform("mean"))) ** 2))
    assert r.standard_error >= 1.5 * residual_sd * math.sqrt(21 * (1 + 21 / pre_days)) * 0.999


def test_single_pre_period_value_gives_no_interval_but_no_crash():
    series, _ = seeded_series(6)
    r = estimate_effect(series, (date(2024, 4, 29), date(2024, 4, 29)), POST)
    assert r.method == "mean" and r.n_pre == 1
    assert math.isnan(r.p_value) and math.isnan(r.cumulative_lower) and not r.significant
    assert any("too little pre-period data" in note for note in r.notes)


def test_all_zero_series_has_no_effect_and_no_relative_lift():
    series = pd.DataFrame({"ds": DAYS, "y": 0.0})
    r = estimate_effect(series, PRE, POST)
    assert r.method == "zero"
    assert r.cumulative_effect == 0 and r.cumulative_lower == 0 and r.cumulative_upper == 0
    assert r.p_value == 1.0 and not r.significant
    assert math.isnan(r.relative_lift) and math.isnan(r.relative_lower) and math.isnan(r.relative_upper)
    assert any("counterfactual total is about zero" in note for note in r.notes)


def test_sales_after_an_all_zero_pre_period_are_an_effect_without_a_relative_lift():
    y = np.where(DAYS >= pd.Timestamp(POST[0]), 3.0, 0.0)
    r = estimate_effect(pd.DataFrame({"ds": DAYS, "y": y}), PRE, POST)
    assert r.cumulative_effect == pytest.approx(63.0)
    assert r.p_value == 0.0 and r.significant
    assert math.isnan(r.relative_lift)


def test_prophet_failure_falls_back_with_the_reason(monkeypatch):
    def broken(*args):
        def fit_predict(train, future):
            raise RuntimeError("stan exploded")
        return fit_predict

    monkeypatch.setattr(campaign_model, "_prophet_fit_predict", broken)
    series, _ = seeded_series(7)
    r = estimate_effect(series, PRE, POST)
    assert r.method == "weekday_mean"
    assert any("prophet failed (stan exploded)" in note for note in r.notes)


@pytest.mark.parametrize(("pre", "post", "message"), [
    (PRE, (date(2024, 4, 29), date(2024, 5, 5)), "overlap"),
    ((date(2024, 3, 1), date(2024, 4, 1)), (date(2024, 2, 1), date(2024, 2, 10)), "overlap"),
    ((date(2024, 4, 1), date(2024, 3, 1)), POST, "starts (2024-04-01) after it ends"),
    (PRE, (date(2024, 7, 1), date(2024, 7, 9)), "after the data ends"),
    ((date(2023, 1, 1), date(2023, 2, 1)), POST, "before the data starts"),
    (PRE, ("2024-05-01",), "pair of dates"),
    (PRE, "2024-05-01", "pair of dates"),
    (PRE, ("not a date", "2024-05-02"), "pair of dates"),
])
def test_bad_periods_raise_clear_errors(pre, post, message):
    series, _ = seeded_series(8)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        estimate_effect(series, pre, post)


def test_bad_series_and_controls_raise_clear_errors():
    series, _ = seeded_series(8)
    with pytest.raises(ValueError, match=r"missing \['y'\]"):
        estimate_effect(series.rename(columns={"y": "orders"}), PRE, POST)
    bad_date = series.astype({"ds": object})
    bad_date.loc[5, "ds"] = "yesterday"
    with pytest.raises(ValueError, match="row 5: ds 'yesterday' is not a date"):
        estimate_effect(bad_date, PRE, POST)
    bad_value = series.astype({"y": object})
    bad_value.loc[7, "y"] = "n/a"
    with pytest.raises(ValueError, match="row 7: y 'n/a' is not a number"):
        estimate_effect(bad_value, PRE, POST)
    monthly = pd.DataFrame({"ds": pd.date_range("2020-01-01", periods=30, freq="MS"), "y": 1.0})
    with pytest.raises(ValueError, match="daily or weekly"):
        estimate_effect(monthly, ("2020-01-01", "2021-12-31"), ("2022-01-01", "2022-06-30"))
    short_control = pd.DataFrame({"ds": DAYS[:130], "market": np.arange(130.0)})
    with pytest.raises(ValueError, match="control 'market' has no value on 2024-05-10"):
        estimate_effect(series, PRE, POST, controls=short_control)
    with pytest.raises(ValueError, match="alpha"):
        estimate_effect(series, PRE, POST, alpha=1.5)


def test_constant_control_is_left_out_with_a_note():
    series, _ = seeded_series(9)
    r = estimate_effect(series, PRE, POST, controls=pd.DataFrame({"ds": DAYS, "flat": 5.0}))
    assert r.controls == ()
    assert any("control 'flat' is constant" in note for note in r.notes)


@pytest.mark.parametrize(("revenue", "spend", "expected"), [
    (5000.0, 2000.0, 2.5), (-300, 600, -0.5), (100, 0, math.nan), (100, -5, math.nan), (None, 100, math.nan),
    (100, None, math.nan), (math.nan, 100, math.nan), ("abc", 100, math.nan),
])
def test_incremental_roas(revenue, spend, expected):
    result = incremental_roas(revenue, spend)
    assert (math.isnan(result) and math.isnan(expected)) or result == pytest.approx(expected)
