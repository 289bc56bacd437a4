"""The overview's cards get the KPI rows' comparison choice (issue 21 point 6): same weekday last week by
default (the morning reading unchanged), the day before, the same date last year or a picked day, each through
periods.comparison_periods, kept in the filter state and the link."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.kpi import change_text
from components.overview.logic import day_filters
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.periods import comparison_periods
from data_access.sales import queries
from tests.support import apptest_helpers as h

DAY = date(2025, 3, 5)  # the tiny shop's newest day with orders: O9, S1, 5 x P1 at 10


def overview(username: str = "admin", **params):
    at = h.logged_in("pages/overview.py", username)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def metric(at, label: str):
    return next(m for m in at.metric if m.label == label)


def test_each_choice_is_a_period_of_comparison_periods():
    f = Filters(date(2025, 1, 1), date(2025, 3, 31), stores=("S1",))
    for mode, picked, row, compared in (("last_week", None, "previous", date(2025, 2, 26)),
                                        ("previous", None, "previous", date(2025, 3, 4)),
                                        ("last_year", None, "last_year", date(2024, 3, 5)),
                                        ("custom", date(2025, 3, 1), "previous", date(2025, 3, 1))):
        one_day, got_row = day_filters(f, DAY, mode, picked)
        periods = comparison_periods(one_day)
        assert (one_day.start, one_day.end, one_day.stores) == (DAY, DAY, ("S1",)), mode
        assert got_row == row and periods[row].start == periods[row].end == compared, mode


def test_the_default_is_the_same_weekday_last_week(tiny_env):
    at = overview()
    assert not at.exception, at.exception
    assert "Yesterday vs same weekday last week" in h.all_text(at)
    box = at.selectbox(key="fb_day_compare_en")
    assert box.value == "last_week" and "day_compare" not in at.query_params
    assert metric(at, "Net sales").value == "¥50.00"
    assert "vs same weekday last week" in h.all_text(at) and "+84.2% vs 7-day average" in h.all_text(at)


def test_a_picked_day_measures_the_cards_against_it_and_stays_in_the_link(tiny_env):
    at = overview()
    at.selectbox(key="fb_day_compare_en").set_value("custom").run()
    assert not at.exception, at.exception
    assert at.query_params["day_compare"] in ("custom", ["custom"])
    at.date_input(key="fb_day_compare_custom_en").set_value(date(2025, 3, 3)).run()
    assert not at.exception, at.exception
    # 3 Mar: O5 only, an order without lines: paid 55.50 less 5.50 refunded = 50 -> net sales unchanged, and
    # one order each day -> orders unchanged; the units (5 vs none: O5 has no lines) cannot be compared.
    assert metric(at, "Net sales").delta == "0.0%" and metric(at, "Orders").delta == "0.0%"
    assert "vs Mar 3, 2025" in h.all_text(at) and "Yesterday vs Mar 3, 2025" in h.all_text(at)
    assert at.query_params["day_cmp"] in ("2025-03-03", ["2025-03-03"])
    # A new session from that link opens the same comparison.
    again = overview(day_compare="custom", day_cmp="2025-03-03")
    assert metric(again, "Net sales").delta == "0.0%" and "vs Mar 3, 2025" in h.all_text(again)


def test_a_day_without_data_shows_no_change_and_says_why(tiny_env):
    at = overview(day_compare="last_year")
    assert not at.exception, at.exception
    assert not metric(at, "Net sales").delta  # 5 Mar 2024 had no orders (O8 of 2 Mar 2024 is the only one)
    assert "vs same date last year" in h.all_text(at) and "no data for that period" not in h.all_text(at)
    before = overview(day_compare="custom", day_cmp="2024-01-01")  # before the data starts
    assert not metric(before, "Net sales").delta
    assert "Comparison period: no data for that period, so no change is shown." in h.all_text(before)
    zh = overview(day_compare="last_year", lang="zh")
    assert "昨日较去年同日" in h.all_text(zh)


def day_bar_script():
    """The overview's bar (stores and the day comparison), or a page that has no such widget."""
    from datetime import date

    import streamlit as st

    from components.auth import CurrentUser
    from components.filter_bar import DAY_COMPARISON_KEY, filter_bar

    user = CurrentUser("u", "U", "admin", None, "en")
    if st.session_state.get("other_page"):  # like the sales page: dates, no day comparison
        filter_bar(user, today=date(2025, 3, 6))
    else:
        filter_bar(user, dates=False, channels=False, categories=False, day_comparison=True, today=date(2025, 3, 6))
        st.text(str(st.session_state[DAY_COMPARISON_KEY]))


def test_the_choice_survives_a_page_without_it_and_rides_in_the_link(tiny_env):
    at = AppTest.from_function(day_bar_script, default_timeout=30).run()
    assert at.text[0].value == "('last_week', None)"
    at.selectbox(key="fb_day_compare_en").set_value("custom").run()
    assert at.text[0].value == "('custom', datetime.date(2025, 2, 26))"  # a week before the last day with data
    at.session_state["other_page"] = True
    at.run()  # Streamlit drops the state of the widgets this run does not draw
    assert at.query_params["day_compare"] in ("custom", ["custom"])  # the sales page's link keeps it too
    at.selectbox(key="fb_preset_en").set_value("last_7_days").run()
    at.session_state["other_page"] = False
    at.run()
    assert at.text[0].value == "('custom', datetime.date(2025, 2, 26))"
    assert at.query_params["day_cmp"] in ("2025-02-26", ["2025-02-26"])


@pytest.mark.slow
def test_the_demos_morning_reading_does_not_change(demo_app, monkeypatch):
    """On the demo: the default cards' changes are the day against the same weekday a week earlier, as the
    overview wrote them before the choice (from the day's and the week-earlier day's daily sales)."""
    h.configure(monkeypatch, *demo_app)
    at = h.logged_in("pages/overview.py", "admin").run()
    assert not at.exception, at.exception
    engine = create_engine(demo_app[0])
    try:
        day = queries.daily_sales(engine, Filters(date(2025, 6, 1), date(2025, 6, 30)))
    finally:
        engine.dispose()
    daily = day.set_index(pd.to_datetime(day["day"]).dt.date)
    last, week_ago = date(2025, 6, 30), date(2025, 6, 30) - timedelta(days=7)
    for kpi, label in (("net_sales", "Net sales"), ("orders", "Orders"), ("aov", "AOV"), ("units", "Units"),
                       ("conversion_rate", "Conversion rate")):
        expected = change_text(kpi, daily.at[last, kpi], daily.at[week_ago, kpi], "en").replace("\u2212", "-")
        assert metric(at, label).delta == expected, kpi
