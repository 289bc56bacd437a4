"""estimate_effect is never more confident than the data allows: holidays the pre-period cannot support, shop events
inside the post-period, pre-periods too short to judge, the state-space model's interval, the series' own placebo
windows, the minimum detectable lift, and how the page words all of it in both languages."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from components.marketing.verdict import effect_facts, overlap_text, verdict_text
from forecasting.campaign import estimate_effect
from forecasting.campaign_events import plan_events
from forecasting.campaign_state_space import state_space_forecast
from forecasting.demand import DAILY
from forecasting.shop_calendar import china_holidays

WEEKLY_SHAPE = np.array([1.0, 0.95, 0.9, 0.95, 1.05, 1.3, 1.25])


def shop_series(start: str, days: int, seed: int, lift: float = 0.0, post_from: int | None = None,
                events: dict[str, float] | None = None) -> pd.DataFrame:
    """ds, y: a weekly pattern with 8% noise; `events` multiply the days of those shop events (peak days) by
    1 + size; `lift` multiplies the rows from post_from on."""
    rng = np.random.default_rng(seed)
    ds = pd.date_range(start, periods=days)
    y = 200 * WEEKLY_SHAPE[ds.day_of_week] * (1 + rng.normal(0, 0.08, days))
    for row in china_holidays(ds[0].date(), ds[-1].date()).itertuples(index=False):
        if events and row.holiday in events:
            peak = (ds >= row.ds - pd.Timedelta(days=3)) & (ds <= row.ds + pd.Timedelta(days=int(row.upper_window)))
            y[peak] *= 1 + events[row.holiday]
    if post_from is not None:
        y[post_from:] *= 1 + lift
    return pd.DataFrame({"ds": ds, "y": y})


def test_a_holiday_seen_once_is_not_a_regressor_and_one_seen_twice_is():
    calendar = china_holidays(pd.Timestamp("2023-01-01").date(), pd.Timestamp("2024-12-31").date())
    frame = pd.DataFrame({"ds": pd.date_range("2023-01-01", "2024-12-31")}).assign(y=1.0)
    pre, post = frame.iloc[:-30], frame.iloc[-30:]
    plan = plan_events(calendar, DAILY, pre, post, max_holidays=50)
    kept = set(plan.calendar["holiday"])
    assert {"spring_festival", "618", "double_11"} <= kept  # two of each in 2023-2024's first 700 days
    assert "double_12" not in kept and "double_12" in plan.dropped  # 2024's falls in the post-period
    # Double 12 2024's window lies in the post-period: those days are left out, named
    assert plan.post_events == ("double_12",) and plan.post_blank.sum() == 6
    small = plan_events(calendar, DAILY, pre, post, max_holidays=2)
    assert len(set(small.calendar["holiday"])) == 2  # the parameter budget caps the holidays


def test_a_january_pre_period_holding_the_spring_festival_gets_no_zero_width_interval_and_no_verdict():
    """28 days before a campaign in January 2023 hold the Spring Festival slump once: its dummy would fit those days
    exactly, so it is no regressor. The interval stays wide, and the one placebo window that fits cannot check the
    model: too short to judge, with the Spring Festival days of the post-period left out, named."""
    series = shop_series("2023-01-01", 42, seed=3, events={"spring_festival": -0.5})
    r = estimate_effect(series, ("2023-01-01", "2023-01-28"), ("2023-01-29", "2023-02-11"))
    assert r.standard_error > 0 and r.cumulative_upper - r.cumulative_lower > 0.5 * r.predicted_total
    assert r.n_backtests == 1 and r.too_short and r.verdict == "too_short"
    assert [n.values for n in r.note_details if n.code == "few_placebos"] == [{"count": 1, "span": 1.0}]
    assert r.excluded_events == ("spring_festival",) and r.minimum_detectable_lift > 0.5
    # 14 days before it leave no room for a placebo window: too short to judge
    short = estimate_effect(series, ("2023-01-15", "2023-01-28"), ("2023-01-29", "2023-02-11"))
    assert short.n_backtests == 0 and short.too_short and short.verdict == "too_short"
    assert math.isfinite(r.p_value)  # the numbers are still shown, only the verdict is withheld


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_july_28_day_pre_period_with_no_calendar_event_gets_a_verdict_with_a_wider_interval(seed):
    """28 days before a campaign in July hold no holiday or shop event: the one placebo window that fits is judged
    by (a verdict), with an interval at least twice as wide as 119 days before the same campaign give. Nothing
    planted: no effect; +30% planted: found and covered."""
    pre, post = ("2023-07-01", "2023-07-28"), ("2023-07-29", "2023-08-18")
    r = estimate_effect(shop_series("2023-07-01", 49, seed=seed), pre, post)
    long = estimate_effect(shop_series("2023-04-01", 140, seed=seed), ("2023-04-01", "2023-07-28"), post)
    assert r.n_backtests == 1 and not r.too_short and r.verdict == "no_clear_effect"
    assert not any(n.code == "few_placebos" for n in r.note_details)
    assert r.relative_upper - r.relative_lower > 2 * (long.relative_upper - long.relative_lower)
    lifted = estimate_effect(shop_series("2023-07-01", 49, seed=seed, lift=0.3, post_from=28), pre, post)
    assert lifted.verdict == "increase" and lifted.relative_lower <= 0.3 <= lifted.relative_upper


def test_one_candidate_model_is_not_widened_for_a_selection_it_did_not_make(monkeypatch):
    """The selection widening pays for keeping the best of several candidates on the windows that calibrate the
    interval; with the level model alone (the default) it is not applied, with two candidates it is."""
    from forecasting import campaign_regression

    series = shop_series("2023-03-01", 141, seed=4)
    pre, post = ("2023-03-01", "2023-06-28"), ("2023-06-29", "2023-07-19")
    monkeypatch.setattr(campaign_regression, "SELECTION_WIDENING", 1.0)
    plain = estimate_effect(series, pre, post)
    monkeypatch.setattr(campaign_regression, "SELECTION_WIDENING", 3.0)
    assert estimate_effect(series, pre, post).standard_error == pytest.approx(plain.standard_error)
    monkeypatch.setattr(campaign_regression, "CANDIDATES", ("level", "trend"))
    assert estimate_effect(series, pre, post).standard_error > 2 * plain.standard_error


def test_a_double_11_spike_in_the_post_period_is_not_read_as_the_campaign():
    """Double 11 doubles sales for its peak days; the pre-period (120 days from July) never saw one. Without a
    campaign the estimate must not call the spike an effect: the event's days are left out and named."""
    series = shop_series("2023-07-01", 150, seed=5, events={"double_11": 1.0})
    post = ("2023-10-29", "2023-11-27")
    r = estimate_effect(series, ("2023-07-01", "2023-10-28"), post)
    assert r.excluded_events == ("double_11",)
    assert r.verdict == "no_clear_effect" and not r.significant
    assert r.n_post == 30 - 15  # Oct 29 .. Nov 12 (the run-up and the day after) are left out
    lifted = shop_series("2023-07-01", 150, seed=5, lift=0.3, post_from=120, events={"double_11": 1.0})
    r = estimate_effect(lifted, ("2023-07-01", "2023-10-28"), post)
    assert r.verdict == "increase" and r.relative_lower <= 0.3 <= r.relative_upper


def test_the_state_space_interval_of_a_sum_covers_local_level_data():
    """A random walk plus noise is the state-space model's own shape: its 95% interval of a 21-day sum covers the
    truth about 95% of the time (the exact variance of a sum, not a per-day band)."""
    rng = np.random.default_rng(11)
    covered, trials = 0, 30
    for _ in range(trials):
        n = 141
        y = 100 + np.cumsum(rng.normal(0, 1, n)) + rng.normal(0, 4, n)
        frame = pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=n), "y": y})
        mean, se = state_space_forecast(frame.iloc[:120], frame.iloc[120:], [], daily=False)
        assert se.size == 21 and np.all(np.diff(se) > 0)  # the error of a running sum grows
        covered += abs(y[120:].sum() - mean.sum()) <= 1.96 * se[-1]
    assert covered >= 25  # 95% of 30 is 28.5; the bound allows sampling noise


def test_the_series_own_placebo_windows_and_the_minimum_detectable_lift():
    series = shop_series("2024-01-01", 141, seed=8)
    r = estimate_effect(series, ("2024-01-01", "2024-04-29"), ("2024-04-30", "2024-05-20"))
    assert r.method == "regression" and r.n_placebos == r.n_backtests >= 3
    assert 0 <= r.false_alarms <= r.n_placebos
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    assert r.minimum_detectable_lift == pytest.approx(z * r.standard_error / r.predicted_total)
    # a lift of twice that is found; the verdict on no lift is noise
    assert r.verdict == "no_clear_effect"
    lifted = shop_series("2024-01-01", 141, seed=8, lift=2 * r.minimum_detectable_lift, post_from=120)
    assert estimate_effect(lifted, ("2024-01-01", "2024-04-29"), ("2024-04-30", "2024-05-20")).verdict == "increase"


def test_the_verdict_text_in_both_languages():
    series = shop_series("2024-01-01", 141, seed=8)
    noise = estimate_effect(series, ("2024-01-01", "2024-04-29"), ("2024-04-30", "2024-05-20"))
    mde = f"{noise.minimum_detectable_lift * 100:.0f}%"
    en, zh = verdict_text(noise, "orders", "en"), verdict_text(noise, "orders", "zh")
    assert "not distinguishable from noise" in en and f"only a lift of about {mde} or more" in en
    assert "与随机波动无法区分" in zh and f"只有约 {mde} 或更大的提升" in zh
    facts = effect_facts(noise, "en")
    assert f"of {noise.n_placebos} stretches before the campaign" in facts[0] and "cries wolf" in facts[0]
    assert "误报" in effect_facts(noise, "zh")[0]
    short = estimate_effect(series, ("2024-04-10", "2024-04-29"), ("2024-04-30", "2024-05-20"))
    assert short.verdict == "too_short"
    assert verdict_text(short, "orders", "en").startswith("Too short to judge")
    assert verdict_text(short, "orders", "zh").startswith("时间太短，无法判断")
    assert "only a lift" not in verdict_text(short, "orders", "en")


def test_events_left_out_and_overlapping_campaigns_are_named():
    series = shop_series("2023-07-01", 150, seed=5, events={"double_11": 1.0})
    r = estimate_effect(series, ("2023-07-01", "2023-10-28"), ("2023-10-29", "2023-11-27"))
    assert any("Double 11" in line for line in effect_facts(r, "en"))
    assert any("双十一" in line for line in effect_facts(r, "zh"))
    others = pd.DataFrame({"name": ["Spring sale", "Search push"]})
    assert overlap_text(others, "en") == ("Other campaigns ran during these dates: Spring sale, Search push. Their "
                                          "effect cannot be told apart from this one's.")
    assert "Spring sale" in overlap_text(others, "zh") and overlap_text(others.iloc[:0], "en") is None
