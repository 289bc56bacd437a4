"""Campaign effect: the contract, planted lifts and placebos on seeded series, controls, odd inputs, the demo shop's
planted campaigns (the done-when check), the real Robyn weekly file, and the series query on both backends."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from data_access import schema
from data_access.bulk import bulk_insert
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.marketing.campaign_series import channel_series, daily_channel_orders, planted_campaigns
from forecasting import campaign_model
from forecasting.campaign import CampaignEffect, estimate_effect, incremental_roas
from forecasting.campaign_notes import CODES
from tests.conftest import BACKENDS, REAL_DATA
from tests.support import campaign_demo, tiny_shop

DAYS = pd.date_range("2024-01-01", periods=161, freq="D")
PRE = (date(2024, 1, 1), date(2024, 4, 29))  # 120 days
POST = (date(2024, 4, 30), date(2024, 5, 20))  # 21 days, both ends included
#: The counterfactual models estimate_effect fits when the pre-period allows (forecasting.campaign_model): the
#: default regression, or with model="prophet" Prophet or the state-space model, picked by placebo backtests.
MODELS = ("regression", "prophet", "state_space")
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
    assert r.alpha == 0.05 and r.method in MODELS and r.frequency == "daily"
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
    assert r.verdict == "increase"


def test_a_planted_drop_is_a_significant_decrease():
    series, truth = seeded_series(12, lift=-0.15)
    r = estimate_effect(series, PRE, POST)
    assert truth < 0 and r.cumulative_lower <= truth <= r.cumulative_upper
    assert r.relative_lower <= -0.15 <= r.relative_upper
    assert r.verdict == "decrease"


def test_placebo_window_without_a_lift_is_not_significant():
    series, _ = seeded_series(2, lift=0.0)
    r = estimate_effect(series, PRE, POST)
    assert r.p_value >= 0.05
    assert r.cumulative_lower <= 0 <= r.cumulative_upper
    assert r.verdict == "no_clear_effect"


@pytest.mark.slow
def test_intervals_are_calibrated_on_autocorrelated_noise():
    """AR(1) noise (phi 0.6): per-day bands summed as if independent would be 2x too narrow (the variance of a
    21-day sum is ~4x the independent one). Over 10 seeded series, placebo windows are rarely significant and
    planted 10% lifts are covered."""
    false_positives, covered = 0, 0
    for seed in range(10):
        placebo, _ = seeded_series(100 + seed, lift=0.0, ar=0.6)
        false_positives += estimate_effect(placebo, PRE, POST).p_value < 0.05
        series, truth = seeded_series(200 + seed, lift=0.1, ar=0.6)
        r = estimate_effect(series, PRE, POST)
        covered += r.cumulative_lower <= truth <= r.cumulative_upper
    # Nominal: 5% false positives (0.5 of 10), 95% coverage (9.5 of 10); the bounds allow sampling noise.
    assert false_positives <= 2
    assert covered >= 8


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
    # 41 days, less June 1-9: the run-up to 618, which the pre-period never saw, is left out, not read as effect
    assert r.n_post == 41 - 9 and r.excluded_events == ("618",)
    assert any("clipped" in note for note in r.notes)
    # The same note as a code and values, for the page to word in the user's language.
    note, event = r.note_details
    assert note.code == "post_clipped" and note.code in CODES
    assert note.values == {"end": date(2024, 6, 9), "requested": date(2024, 6, 30)}
    assert str(note) == r.notes[0]
    assert event.code == "events_excluded" and event.values == {"events": "618", "periods": 9}
    assert not r.too_short  # 41-day windows from the first third of 120 days on are worth 1.95 windows


@pytest.mark.parametrize(("pre_days", "method"), [(20, "weekday_mean"), (9, "mean")])
def test_short_pre_period_falls_back_to_the_mean_with_a_wider_interval(pre_days, method):
    series, _ = seeded_series(6)
    pre = (date(2024, 4, 30) - pd.Timedelta(days=pre_days), date(2024, 4, 29))
    r = estimate_effect(series, pre, POST)
    assert r.method == method and r.n_pre == pre_days and r.n_backtests == 0
    assert any("the model needs 21" in note for note in r.notes)
    assert [(n.code, n.values) for n in r.note_details] == [("short_pre_period", {"known": pre_days, "needed": 21})]
    assert r.too_short  # nothing before it can check the model
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
    assert r.verdict == "unknown"
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
    r = estimate_effect(series, PRE, POST, model="prophet")
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


def test_pre_period_rows_without_a_control_are_left_out_of_the_fit():
    series, _ = seeded_series(9)
    market = pd.DataFrame({"ds": DAYS, "market": np.linspace(100, 140, DAYS.size)}).iloc[10:]
    r = estimate_effect(series, PRE, POST, controls=market)
    assert r.controls == ("market",) and r.n_pre == 110
    assert any("10 pre-period rows without every control value" in note for note in r.notes)
    assert (r.daily["period"] == "pre").sum() == 120  # the grid stays whole; those days are unknown
    with pytest.raises(ValueError, match="no known values with every control known"):
        estimate_effect(series, PRE, POST, controls=market.iloc[110:])


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


# ---------------------------------------------------------------- the series query, both backends


def _orders_by(frame: pd.DataFrame) -> dict[str, list[int]]:
    return {ch: g.sort_values("ds")["orders"].tolist() for ch, g in frame.groupby("channel")}


def test_daily_channel_orders_counts_non_cancelled_orders_in_scope(tiny_engine):
    # The tiny shop, 1-4 March 2025. Store S1: O1 direct (1st), O3 paid_search cancelled (2nd, not counted),
    # O4 direct returned (2nd, counted: only cancelled orders are not), O6 direct pending (4th, 00:00).
    start, end = tiny_shop.PERIOD
    s1 = daily_channel_orders(tiny_engine, Filters(start, end, stores=("S1",)))
    assert list(s1.columns) == ["ds", "channel", "orders"]
    assert s1["ds"].tolist() == list(pd.date_range(start, end))
    assert _orders_by(s1) == {"direct": [1, 1, 0, 1]}
    # S2: O2 paid_search (1st), O5 marketplace at 23:59:59 on the 3rd.
    s2 = daily_channel_orders(tiny_engine, Filters(start, end, stores=("S2",)))
    assert _orders_by(s2) == {"marketplace": [0, 0, 1, 0], "paid_search": [1, 0, 0, 0]}
    both = daily_channel_orders(tiny_engine, Filters(start, end, stores=("S1", "S2"),
                                                     channels=("direct", "paid_search", "email")))
    assert _orders_by(both) == {"direct": [1, 1, 0, 1], "email": [0, 0, 0, 0], "paid_search": [1, 0, 0, 0]}
    assert both["orders"].dtype == "int64"


def test_daily_channel_orders_with_an_empty_scope_is_empty_not_everything(tiny_engine):
    start, end = tiny_shop.PERIOD
    nothing = daily_channel_orders(tiny_engine, Filters(start, end, stores=()))
    assert nothing.empty and list(nothing.columns) == ["ds", "channel", "orders"]
    zeros = daily_channel_orders(tiny_engine, Filters(start, end, stores=(), channels=("direct",)))
    assert zeros["orders"].tolist() == [0, 0, 0, 0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_planted_campaigns_reads_the_truth_within_the_scope(fresh_engine, backend):
    engine = fresh_engine(backend)
    schema.create_schema(engine)
    campaigns = pd.DataFrame([
        {"campaign_id": "CMP01", "name": "a", "channel": "kol", "start_date": date(2025, 4, 1),
         "end_date": date(2025, 4, 14), "budget": 3000.0, "objective": "acquisition"},
        {"campaign_id": "CMP02", "name": "b", "channel": "display", "start_date": date(2025, 5, 1),
         "end_date": date(2025, 5, 7), "budget": 2000.0, "objective": "awareness"},
    ])
    truth = pd.DataFrame([
        {"campaign_id": "CMP01", "channel": "kol", "store_ids": "S1,S2", "true_channel_lift": 0.5,
         "expected_incremental_orders": 10.5, "incremental_orders": 11, "incremental_net_sales": 1234.5},
        {"campaign_id": "CMP02", "channel": "display", "store_ids": "S2", "true_channel_lift": 0.0,
         "expected_incremental_orders": 0.0, "incremental_orders": 0, "incremental_net_sales": 0.0},
    ])
    with engine.begin() as conn:
        bulk_insert(conn, schema.campaigns, campaigns)
        bulk_insert(conn, schema.campaign_truth, truth)
    found = planted_campaigns(engine, Filters.all_time())
    assert found["campaign_id"].tolist() == ["CMP01", "CMP02"]
    assert found["store_ids"].tolist() == [("S1", "S2"), ("S2",)]
    assert found["start_date"].tolist() == [date(2025, 4, 1), date(2025, 5, 1)]
    assert found["true_channel_lift"].tolist() == [0.5, 0.0]
    assert found["budget"].tolist() == [3000.0, 2000.0]
    assert planted_campaigns(engine, Filters.all_time(("S2",)))["campaign_id"].tolist() == ["CMP02"]
    assert planted_campaigns(engine, Filters.all_time(())).empty


# ---------------------------------------------------------------- the demo shop's planted campaigns (done-when)


def _check_recovery(table: pd.DataFrame) -> None:
    """>= 90% of planted lifts inside their relative interval; >= 90% of placebos (shifted windows and zero-lift
    campaigns) with p >= 0.05."""
    campaigns = table[table["kind"] == "campaign"]
    placebos = table[(table["kind"] == "placebo") | (table["true_lift"] == 0)]
    assert len(campaigns) >= 10 and len(placebos) >= len(campaigns)
    assert campaigns["covered"].mean() >= 0.9, campaigns.to_string()
    assert (placebos["p_value"] >= 0.05).mean() >= 0.9, placebos.to_string()
    assert campaigns["method"].isin(MODELS).all()


@pytest.mark.slow
def test_demo_small_planted_lifts_are_recovered_and_placebos_not_significant(demo_app):
    """The small demo shop (8 stores, 13 campaigns): a campaign's channel has a few orders a day in its stores, so
    the intervals are wide; the check is that they are honest."""
    engine = create_engine(demo_app[0])
    try:
        table = campaign_demo.evaluate(engine, with_controls=True, placebos=1)
    finally:
        engine.dispose()
    _check_recovery(table)


@pytest.fixture(scope="module")
def default_demo_url(tmp_path_factory) -> str:
    """The default-scale demo shop (12 stores, 1.25 million orders), built once for this module."""
    from data_access.demo import build

    url = f"duckdb:///{tmp_path_factory.mktemp('campaign_default') / 'shop.duckdb'}"
    build(url, scale="default", seed=42, end_date=date(2025, 6, 30))
    return url


@pytest.mark.slow
def test_demo_default_planted_lifts_are_recovered_and_placebos_not_significant(default_demo_url):
    """THE DONE-WHEN CHECK: every campaign of the default demo shop (orders of its channel in its stores, the other
    channels of those stores as the control) and two placebo windows before each."""
    engine = create_engine(default_demo_url)
    try:
        table = campaign_demo.evaluate(engine, with_controls=True, placebos=2)
    finally:
        engine.dispose()
    _check_recovery(table)
    # At this scale strong lifts are clearly measured, not only covered by a wide interval.
    strong = table[(table["kind"] == "campaign") & (table["true_lift"] >= 0.5)]
    assert strong["significant"].mean() >= 0.8, strong.to_string()


# ---------------------------------------------------------------- real weekly data


def test_robyn_weekly_revenue_with_a_competitor_control():
    raw = pd.read_csv(REAL_DATA / "robyn_dt_simulated_weekly.csv")
    series = pd.DataFrame({"ds": raw["DATE"], "y": raw["revenue"]})
    controls = pd.DataFrame({"ds": raw["DATE"], "competitor_sales_B": raw["competitor_sales_B"]})
    # The first nine weeks of 2019 against the three years before them.
    r = estimate_effect(series, ("2015-11-23", "2018-12-31"), ("2019-01-07", "2019-03-04"), controls=controls,
                        holidays=None)
    assert r.frequency == "weekly" and r.method in MODELS
    assert r.n_pre == 163 and r.n_post == 9 and r.controls == ("competitor_sales_B",)
    assert r.n_backtests >= campaign_model.MIN_BACKTESTS
    assert r.cumulative_lower <= r.cumulative_effect <= r.cumulative_upper
    assert r.relative_lower <= r.relative_lift <= r.relative_upper
    assert 0 <= r.p_value <= 1
    weeks = raw.set_index(pd.to_datetime(raw["DATE"]))["revenue"]
    assert r.actual_total == pytest.approx(weeks["2019-01-07":"2019-03-04"].sum())
    # A sane counterfactual: within 30% of the actual revenue of a quiet stretch.
    assert abs(r.relative_lift) < 0.3
    assert r.post["ds"].diff().dropna().dt.days.eq(7).all()


def test_unknown_holiday_calendar_is_an_error_not_a_fallback():
    series, _ = seeded_series(8)
    with pytest.raises(ValueError, match="unknown country 'xx'"):
        estimate_effect(series, PRE, POST, holidays="xx")
    with pytest.raises(ValueError, match="country code"):
        estimate_effect(series, PRE, POST, holidays=7)


def test_a_us_shops_black_friday_is_its_calendars_event_not_the_campaigns_effect():
    # A US shop with no campaign: Black Friday 2024 (29 November) to Cyber Monday doubles sales inside the
    # post-period, as every November. Given the shop's country the event is known and not read as an effect;
    # given China's calendar (what the page passed for every shop before) the same days look like a campaign.
    days = pd.date_range("2024-07-01", "2024-12-15")
    pre, post = (date(2024, 7, 1), date(2024, 11, 17)), (date(2024, 11, 18), date(2024, 12, 15))
    series, _ = seeded_series(3, days=days, post=post)
    spike = series["ds"].between("2024-11-28", "2024-12-02")
    series.loc[spike, "y"] *= 2.0
    us = estimate_effect(series, pre, post, holidays="US")
    assert "black_friday" in us.excluded_events
    assert not us.significant
    china = estimate_effect(series, pre, post, holidays="china")
    assert "black_friday" not in china.excluded_events
    assert china.significant and china.relative_lift > 0


def test_channel_series_pairs_a_channel_with_the_other_channels_from_the_first_order(tiny_engine):
    # Stores S1 + S2, 1-4 March: direct O1 (1st), O4 (2nd, returned but not cancelled), O6 (4th); the others:
    # O2 paid_search (1st), O3 paid_search cancelled (2nd, not counted), O5 marketplace (3rd).
    start, end = tiny_shop.PERIOD
    frame = channel_series(tiny_engine, Filters(start, end, stores=("S1", "S2"), channels=("email",)), "direct")
    assert list(frame.columns) == ["ds", "y", "other_channels"]
    assert frame["ds"].tolist() == list(pd.date_range(start, end))
    assert frame["y"].tolist() == [1.0, 1.0, 0.0, 1.0]
    assert frame["other_channels"].tolist() == [1.0, 0.0, 1.0, 0.0]
    # S1's first order is O10 on 5 January 2025: days before it are not the shop's history, so not zeros.
    early = channel_series(tiny_engine, Filters(date(2024, 12, 1), date(2025, 1, 6), stores=("S1",)), "direct")
    assert early["ds"].tolist() == [pd.Timestamp("2025-01-05"), pd.Timestamp("2025-01-06")]
    assert early["y"].tolist() == [1.0, 0.0]
    assert channel_series(tiny_engine, Filters(start, end, stores=()), "direct").empty


def test_a_washout_gap_between_the_periods_is_forecast_over_but_not_reported():
    series, truth = seeded_series(13, lift=0.2, post=(date(2024, 5, 7), date(2024, 5, 20)))
    r = estimate_effect(series, PRE, (date(2024, 5, 7), date(2024, 5, 20)))  # a week after the pre-period ends
    assert (r.daily["period"] == "pre").sum() == 120 and r.n_post == 14
    assert r.post["ds"].iloc[0] == pd.Timestamp("2024-05-07")
    assert r.cumulative_lower <= truth <= r.cumulative_upper


def test_short_weekly_history_uses_the_mean():
    weeks = pd.date_range("2024-01-01", periods=14, freq="7D")
    y = np.array([100.0, 104, 98, 101, 97, 103, 99, 102, 100, 98, 130, 128, 131, 129])
    r = estimate_effect(pd.DataFrame({"ds": weeks, "y": y}), (weeks[0], weeks[9]), (weeks[10], weeks[13]))
    assert r.frequency == "weekly" and r.method == "mean" and (r.n_pre, r.n_post) == (10, 4)
    # The counterfactual is the pre-period mean, 100.2 a week: 400.8 over four weeks against 518 sold.
    assert r.predicted_total == pytest.approx(400.8)
    assert r.cumulative_effect == pytest.approx(518 - 400.8)
    assert r.significant and r.relative_lower <= 518 / 400.8 - 1 <= r.relative_upper
