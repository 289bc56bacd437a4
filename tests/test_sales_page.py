"""The sales page in AppTest on the tiny shop: every KPI card, breakdowns, drill-down, funnel, customers."""

from __future__ import annotations

import pytest

from tests import apptest_helpers as h


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
    assert metric(at, "Margin %").delta == "-23.1%"  # ASCII minus, so Streamlit shows a fall


def test_breakdowns_products_funnel_customers(env):
    at = sales(start="2025-01-01")
    assert not at.exception, at.exception
    tables = [df.value for df in at.dataframe]
    joined = "\n".join(t.to_string() for t in tables)
    assert "Shanghai Flagship" in joined and "Beijing Sanlitun" in joined
    products = next(t for t in tables if "ABC" in t.columns)
    assert list(products["SKU"]) == ["P3", "P1", "P2"] and list(products["ABC"]) == ["A", "A", "B"]
    assert list(products.iloc[0]["Weekly trend"][-2:]) == [90.0, 0.0]  # weeks of 24 Feb (O1 on 1 Mar) and 3 Mar
    funnel = next(t for t in tables if "Weakest step" in t.columns)
    assert set(funnel["Channel"]) == {"Direct", "Paid search", "Marketplace"}
    rfm = next(t for t in tables if "Segment" in t.columns)
    assert rfm["Customers"].sum() == 5  # C1, C2, C3, C4, C6 ordered 1 Jan - 4 Mar


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
