"""The choosable comparison of the KPI rows (issue 21 points 5 and 6): the comparison queries honour a custom
period, the cards put the chosen comparison first, periods the data covers only in part are marked, and the
colour of a change follows whether it is good."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from components.kpi import Card, Comparison, Slot, coverage_notes, error_change_color, slot_text, slots
from data_access.filters import Filters
from data_access.marketing import queries as mq
from data_access.sales import customers, queries

PERIOD = Filters(date(2025, 3, 1), date(2025, 3, 4))
CUSTOM = (date(2025, 1, 1), date(2025, 2, 28))


def test_a_custom_comparison_is_part_of_the_filter():
    f = Filters(PERIOD.start, PERIOD.end, compare_with=(CUSTOM[1], CUSTOM[0]))  # given in any order
    assert f.compare_with == CUSTOM and f != PERIOD and hash(f) != hash(PERIOD)
    assert (f.comparison_period().start, f.comparison_period().end) == CUSTOM
    assert f.comparison_period().compare_with is None  # a derived period carries no comparison of its own
    assert PERIOD.comparison_period() == PERIOD.previous_period()
    assert f.last_year() == PERIOD.last_year()


def test_comparison_queries_measure_against_the_custom_period(tiny_engine):
    """kpi_totals, customer_kpis and marketing_totals: the 'previous' row is the custom period, with the same
    figures as that period asked for on its own."""
    f = Filters(PERIOD.start, PERIOD.end, compare_with=CUSTOM)
    alone = Filters(*CUSTOM)
    for query, columns in ((queries.kpi_totals, ["net_sales", "orders", "units"]),
                           (customers.customer_kpis, ["customers", "orders", "returned_orders"]),
                           (mq.marketing_totals, ["revenue", "orders", "new_customers"])):
        got = query(tiny_engine, f).set_index("period")
        expected = query(tiny_engine, alone).set_index("period")
        assert got.loc["previous", columns].tolist() == expected.loc["current", columns].tolist(), query.__name__
        assert got.loc["current", columns].tolist() == query(tiny_engine, PERIOD).set_index("period").loc[
            "current", columns].tolist()
    totals = queries.kpi_totals(tiny_engine, f).set_index("period")
    assert (totals.at["previous", "start"], totals.at["previous", "end"]) == CUSTOM
    assert totals.at["previous", "orders"] > 0  # January and February have orders: the check is not 0 == 0


CARD = Card("net_sales", 150.0, 100.0, "vs previous period", 50.0, "vs same period last year")


def test_cards_put_the_chosen_comparison_first():
    assert [s.label for s in slots(CARD, None)] == ["vs previous period", "vs same period last year"]
    last_year = slots(CARD, Comparison("last_year", "vs same period last year", 1.0, 1.0))
    assert [s.name for s in last_year] == ["last_year", "previous"]
    assert slot_text(CARD, last_year[0], "en") == "+200.0%"  # 150 vs 50
    assert slot_text(CARD, last_year[1], "en") == "+50.0%"  # 150 vs 100
    custom = slots(CARD, Comparison("custom", "vs Jan 1, 2025 – Feb 28, 2025", 1.0, 1.0))
    assert [s.label for s in custom] == ["vs Jan 1, 2025 – Feb 28, 2025", "vs same period last year"]
    only_one = Card("orders", 3, 2, "vs same weekday last week")
    assert [s.label for s in slots(only_one, None)] == ["vs same weekday last week"]


def test_partly_covered_periods_are_marked_and_empty_ones_hidden():
    shown = slots(CARD, Comparison("previous", "vs previous period", 1.0, 0.47))
    assert coverage_notes(shown, "en") == ["Last year: data covers 47% of the period."]
    assert coverage_notes(shown, "zh") == ["去年同期：数据只覆盖该期间的 47%。"]
    assert slot_text(CARD, shown[1], "en") == "+200.0%"  # shown, with the note
    none = slots(CARD, Comparison("last_year", "vs same period last year", 1.0, 0.0))
    assert slot_text(CARD, none[0], "en") == "—" and slot_text(CARD, none[1], "zh") == "+50.0%"
    rate = Card("margin_pct", 0.30, 0.25, "vs previous period", 0.40, "vs same period last year")
    assert slot_text(rate, slots(rate, None)[0], "en") == "+5.0 pts"  # rates change in points
    assert slot_text(rate, Slot(None, "vs previous period", 1.0, "previous"), "en") == "—"  # nothing to compare
    assert coverage_notes(none, "en") == ["Last year: no data for that period, so no change is shown."]


def kpi_script():
    import streamlit as st

    from components.kpi import COMPARISON_KEY, Card, Comparison, kpi_row

    st.session_state[COMPARISON_KEY] = Comparison(st.session_state["mode"], "vs previous period", 1.0,
                                                  st.session_state["last_year_coverage"])
    kpi_row([Card("net_sales", 150.0, 100.0, "vs previous period", 50.0, "vs same period last year"),
             Card("return_rate", 0.10, 0.05, "vs previous period", 0.2, "vs same period last year")])


def run_kpis(mode: str, last_year_coverage: float) -> AppTest:
    at = AppTest.from_function(kpi_script, default_timeout=30)
    at.session_state["mode"], at.session_state["last_year_coverage"] = mode, last_year_coverage
    return at.run()


def test_kpi_row_in_apptest_follows_the_choice_and_marks_coverage():
    at = run_kpis("last_year", 0.47)
    assert not at.exception, at.exception
    # against last year first; a rate changes in points (10% after 20%), not relative
    assert [m.delta for m in at.metric] == ["+200.0%", "-10.0 pts"]
    # a rise of sales and a fall of the return rate are both good news: both green
    assert [m.proto.DESCRIPTOR.fields_by_name["color"].enum_type.values_by_number[m.proto.color].name
            for m in at.metric] == ["GREEN", "GREEN"]
    assert at.caption[0].value.startswith("+200.0% vs same period last year*")
    assert at.caption[-1].value == "* Last year: data covers 47% of the period."
    at = run_kpis("previous", 0.0)
    assert [m.delta for m in at.metric] == ["+50.0%", "+5.0 pts"]
    assert "— vs same period last year*" in at.caption[0].value
    assert at.caption[-1].value == "* Last year: no data for that period, so no change is shown."


def test_a_forecast_error_above_one_is_never_green():
    assert error_change_color(1.20, -0.10) == "off"  # better than the baseline, still worse than naive
    assert error_change_color(1.20, None) == "off"
    assert error_change_color(1.20, 0.10) == "inverse"  # worse: red
    assert error_change_color(0.80, -0.10) == "inverse"  # below 1 and better: green


def compared_script():
    from datetime import date

    import streamlit as st

    from components.kpi import COMPARISON_KEY, Comparison, compared_period
    from data_access.filters import Filters

    if st.session_state.get("mode"):
        label = {"custom": "vs Jan 1, 2025 – Feb 28, 2025", "previous": "vs previous period",
                 "last_year": "vs same period last year"}[st.session_state["mode"]]  # as the bar names them
        st.session_state[COMPARISON_KEY] = Comparison(st.session_state["mode"], label, 1.0, 1.0)
    f = Filters(date(2025, 3, 1), date(2025, 3, 4),
                compare_with=(date(2025, 1, 1), date(2025, 2, 28)) if st.session_state.get("mode") == "custom"
                else None)
    period, label = compared_period(f)
    st.text(f"{period.start}|{period.end}|{label}")


@pytest.mark.parametrize(("mode", "expected"), [
    (None, "2025-02-25|2025-02-28|vs previous period"),
    ("previous", "2025-02-25|2025-02-28|vs previous period"),
    ("last_year", "2024-03-01|2024-03-04|vs same period last year"),
    ("custom", "2025-01-01|2025-02-28|vs Jan 1, 2025 – Feb 28, 2025"),
])
def test_the_sales_trend_compares_with_the_chosen_period(mode, expected):
    at = AppTest.from_function(compared_script, default_timeout=30)
    at.session_state["mode"] = mode
    at.run()
    assert at.text[0].value == expected
