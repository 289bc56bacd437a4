"""The sales page in AppTest on the tiny shop: every KPI card, breakdowns, drill-down, funnel, customers."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tests.support import apptest_helpers as h


@pytest.fixture
def env(tiny_env):
    return tiny_env


def sales(username="admin", start="2025-03-01", end="2025-03-04", **params):
    at = h.logged_in("pages/sales.py", username)
    at.query_params.update({"preset": "custom", "from": start, "to": end, **params})
    return at.run()


def metric(at, label: str):
    return next(m for m in at.metric if m.label == label)


def test_kpi_cards_for_the_period(env):
    at = sales()
    assert not at.exception, at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["Net sales"] == "¥180.00" and values["Orders"] == "5" and values["AOV"] == "¥36.00"
    assert values["Units"] == "4" and values["Gross margin"] == "¥60.00"
    assert values["Margin %"] == "46.15%"  # 60 / 130
    assert values["Conversion rate"] == "1.67%"  # 3 orders in cells with traffic / 180 sessions
    assert values["Repurchase rate"] == "25.00%" and values["Returning-customer rate"] == "25.00%"
    assert values["Return rate"] == "60.00%"
    # previous period (25-28 Feb): 10 -> +1,700.0%
    assert metric(at, "Net sales").delta.startswith("+1,700.0%")
    # A rate's change is in points: 60.00% before (6 / 10), 46.15% now; ASCII minus, so Streamlit shows a fall
    assert metric(at, "Margin %").delta == "-13.8 pts"


def tables(at) -> list:
    return [df.value for df in at.dataframe]


def test_breakdowns_open_on_the_category_tab_and_run_only_what_is_shown(env):
    at = sales(start="2025-01-01")
    assert not at.exception, at.exception
    labels = [tab.label for tab in at.tabs]
    assert {"Breakdowns", "Products", "Conversion funnel", "Customers", "By category", "By store"} <= set(labels)
    # Only the open tabs ran: the category chart is there, no table of another tab is.
    assert "Click a category" in h.all_text(at)
    assert not any("ABC" in t.columns or "Segment" in t.columns or "Weakest step" in t.columns for t in tables(at))


@pytest.mark.parametrize("dim,label", [("By store", "Shanghai Flagship"), ("By region", "East"),
                                       ("By channel", "Marketplace")])
def test_breakdown_tabs(env, dim, label):
    at = sales(start="2025-01-01", sales_breakdown=dim)
    assert not at.exception, at.exception
    joined = "\n".join(t.to_string() for t in tables(at))
    assert label in joined


def test_products_tab(env):
    at = sales(start="2025-01-01", sales_section="Products")
    assert not at.exception, at.exception
    products = next(t for t in tables(at) if "ABC" in t.columns)
    assert list(products["SKU"]) == ["P3", "P1", "P2"] and list(products["ABC"]) == ["A", "A", "B"]
    assert list(products.iloc[0]["Weekly trend"][-2:]) == [90.0, 0.0]  # weeks of 24 Feb (O1 on 1 Mar) and 3 Mar


def test_funnel_tab(env):
    at = sales(start="2025-01-01", sales_section="Conversion funnel")
    assert not at.exception, at.exception
    funnel = next(t for t in tables(at) if "Weakest step" in t.columns)
    assert set(funnel["Channel"]) == {"Direct", "Paid search", "Marketplace"}


def test_customers_tab(env):
    at = sales(start="2025-01-01", sales_section="Customers")
    assert not at.exception, at.exception
    rfm = next(t for t in tables(at) if "Segment" in t.columns)
    assert rfm["Customers"].sum() == 5  # C1, C2, C3, C4, C6 ordered 1 Jan - 4 Mar


def test_weekly_trend_marks_the_cut_weeks(env):
    at = sales(start="2025-01-01")  # 63 days: weekly grain by default
    assert not at.exception, at.exception
    # 1 Jan 2025 is a Wednesday and 4 Mar a Tuesday: the first and last weeks are partial.
    assert "Open rings mark weeks or months" in h.all_text(at)


def test_manager_scope_on_sales(env):
    at = sales("manager")
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Net sales"] == "¥110.00"
    assert "Beijing Sanlitun" not in "\n".join(df.value.to_string() for df in at.dataframe)


def test_empty_period(env):
    at = sales(start="2020-01-01", end="2020-01-31")
    assert not at.exception, at.exception
    assert "No data for this selection" in h.all_text(at) and len(at.metric) == 0


def test_sales_in_chinese(env):
    at = sales(lang="zh")
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["复购率"] == "25.00%"


def test_demo_trend_shows_the_double_11_peak_and_event_markers(demo_app, monkeypatch):
    h.configure(monkeypatch, *demo_app)
    at = h.logged_in("pages/sales.py", "admin")
    at.query_params.update({"preset": "custom", "from": "2024-10-15", "to": "2024-12-20"})
    at.session_state["sales_grain"] = "day"
    at.run()
    assert not at.exception, at.exception
    trend = next(frames for spec, frames in h.charts(at)
                 if any("label" in df.columns and "Double 11" in set(df["label"]) for df in frames.values()))
    markers = next(df for df in trend.values() if "label" in df.columns)
    assert dict(zip(markers["label"], pd.to_datetime(markers["ds"]).dt.strftime("%Y-%m-%d"), strict=True)) == {
        "Double 11": "2024-11-11", "Double 12": "2024-12-12"}
    lines = next(df for df in trend.values() if "series" in df.columns)
    current = lines[lines["series"] == "This period"].reset_index(drop=True)
    peak_day = pd.to_datetime(current.loc[current["net_sales"].idxmax(), "day"]).date()
    assert date(2024, 11, 1) <= peak_day <= date(2024, 11, 11)  # the pre-sale and the day itself
    median = current["net_sales"].median()
    assert current["net_sales"].max() > 2.5 * median
