"""Customer and structure queries against hand-worked figures of the tiny shop, on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from data_access.filters import Filters
from data_access.sales import customers as cq
from data_access.sales import segments
from tests.support import tiny_shop

CURRENT = Filters(*tiny_shop.PERIOD)  # 1-4 Mar 2025
FEB_MAR = Filters(date(2025, 2, 1), date(2025, 3, 4))
Q1 = Filters(date(2025, 1, 1), date(2025, 3, 4))


@pytest.fixture(scope="module")
def engine(tiny_engine):
    return tiny_engine


def by(df: pd.DataFrame, key: str) -> dict:
    return df.set_index(key).to_dict("index")


def test_customer_kpis_current_period(engine):
    cur = by(cq.customer_kpis(engine, CURRENT), "period")["current"]
    # customers C1, C2 (O2 + pending O6), C3, C4; only C2 ordered twice; C1 first bought on 5 Jan
    assert (cur["customers"], cur["repeat_customers"], cur["returning_customers"]) == (4, 1, 1)
    assert cur["repurchase_rate"] == pytest.approx(0.25) and cur["returning_customer_rate"] == pytest.approx(0.25)
    # returns: O2 (a returned line), O4 (returned), O5 (line-less with a refund) of 5 orders
    assert (cur["orders"], cur["returned_orders"], cur["return_rate"]) == (5, 3, pytest.approx(0.6))


def test_customer_kpis_longer_period_and_scope(engine):
    got = by(cq.customer_kpis(engine, FEB_MAR), "period")["current"]
    assert (got["customers"], got["repeat_customers"], got["returning_customers"]) == (5, 2, 2)
    assert (got["orders"], got["returned_orders"]) == (7, 3)
    s2 = by(cq.customer_kpis(engine, Filters(FEB_MAR.start, FEB_MAR.end, stores=["S2"])), "period")["current"]
    # S2 only: C6 (O14; first S2 order O11 in Jan), C2 (O2), C4 (O5)
    assert (s2["customers"], s2["repeat_customers"], s2["returning_customers"]) == (3, 0, 1)


def test_sales_trend_grains(engine):
    monthly = cq.sales_trend(engine, Q1, "month")
    assert list(monthly["period_start"]) == list(pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]))
    assert list(monthly["net_sales"]) == pytest.approx([150.0, 40.0, 180.0])
    assert list(monthly["orders"]) == [3, 2, 5]
    weekly = cq.sales_trend(engine, CURRENT, "week")
    assert list(weekly["period_start"]) == list(pd.to_datetime(["2025-02-24", "2025-03-03"]))  # Mondays
    assert list(weekly["net_sales"]) == pytest.approx([130.0, 50.0])
    daily = cq.sales_trend(engine, CURRENT, "day")
    assert daily["net_sales"].sum() == pytest.approx(180.0)
    with pytest.raises(ValueError):
        cq.sales_trend(engine, CURRENT, "hour; drop table orders")


def test_sales_trend_of_a_comparison_period_on_the_current_calendar(engine):
    previous = CURRENT.previous_period()  # 25-28 Feb: O7 on Fri 28 Feb 18:00, net 10
    assert list(cq.sales_trend(engine, previous, "week")["period_start"]) == [pd.Timestamp("2025-02-24")]
    shifted = cq.sales_trend(engine, previous, "week", shift_days=4)  # read as Tue 4 Mar: the week of 3 Mar
    assert list(shifted["period_start"]) == [pd.Timestamp("2025-03-03")]
    assert list(shifted["net_sales"]) == pytest.approx([10.0]) and list(shifted["orders"]) == [1]
    monthly = cq.sales_trend(engine, previous, "month", shift_days=4)
    assert list(monthly["period_start"]) == [pd.Timestamp("2025-03-01")]


def test_product_abc(engine):
    df = cq.product_abc(engine, CURRENT)
    assert list(df["sku"]) == ["P3", "P1", "P2"]
    # P3 90 of 130 (nothing before it: A), P1 (69% before it: A), P2 (85% before it: B)
    assert list(df["abc_class"]) == ["A", "A", "B"]
    assert list(df["cumulative_share"]) == pytest.approx([90 / 130, 110 / 130, 1.0])
    assert df.iloc[0]["gross_margin"] == pytest.approx(40.0)


def test_product_weekly_sales(engine):
    df = cq.product_weekly_sales(engine, Q1, ["P1", "P3"])
    p1 = df[df["sku"] == "P1"].set_index("week")["net_sales"]
    assert p1[pd.Timestamp("2025-02-24")] == pytest.approx(30.0)  # O7 10 + O1 20
    assert p1[pd.Timestamp("2025-01-27")] == pytest.approx(30.0)  # O14 on Sunday 2 Feb
    assert set(df["sku"]) == {"P1", "P3"}


def test_funnel_by_channel(engine):
    df = by(cq.funnel_by_channel(engine, CURRENT), "channel")
    assert df["direct"] == {"sessions": 100, "product_views": 60, "add_to_carts": 20, "checkouts": 8, "orders": 3}
    assert df["paid_search"]["orders"] == 1 and df["marketplace"]["checkouts"] == 2
    assert list(cq.funnel_by_channel(engine, Filters(CURRENT.start, CURRENT.end, stores=["S2"]))["channel"]) == \
        ["paid_search", "marketplace"]


def test_new_vs_returning(engine):
    df = cq.new_vs_returning(engine, Q1, "month")
    assert df[["new_customers", "returning_customers"]].values.tolist() == [[2, 0], [0, 2], [3, 1]]


def test_rfm_customers_and_segments(engine):
    df = by(segments.rfm_customers(engine, FEB_MAR), "customer_id")
    assert {c: (v["recency_days"], v["frequency"], v["monetary"]) for c, v in df.items()} == {
        "C1": (3, 2, 120.0), "C2": (0, 2, 20.0), "C3": (2, 1, 0.0), "C4": (1, 1, 50.0), "C6": (30, 1, 30.0)}
    assert {c: (v["r_score"], v["f_score"], v["m_score"]) for c, v in df.items()} == {
        "C1": (2, 4, 5), "C2": (5, 4, 2), "C3": (3, 1, 1), "C4": (4, 1, 4), "C6": (1, 1, 3)}
    assert {c: v["segment"] for c, v in df.items()} == {
        "C1": "cant_lose", "C2": "potential_loyalists", "C3": "promising", "C4": "potential_loyalists",
        "C6": "lost"}
    seg = segments.rfm_segments(engine, FEB_MAR)
    assert list(seg["segment"]) == ["cant_lose", "potential_loyalists", "lost", "promising"]
    assert list(seg["customers"]) == [1, 2, 1, 1]
    assert list(seg["revenue_share"]) == pytest.approx([120 / 220, 70 / 220, 30 / 220, 0.0])


def test_cohort_retention(engine):
    df = segments.cohort_retention(engine, Q1)
    jan = df[df["cohort_month"] == pd.Timestamp("2025-01-01")]
    # January cohort: C1 and C6; both back in February, C1 again in March
    assert jan[["month_index", "customers", "cohort_size"]].values.tolist() == [[0, 2, 2], [1, 2, 2], [2, 1, 2]]
    assert list(jan["retention"]) == pytest.approx([1.0, 1.0, 0.5])
    mar = df[df["cohort_month"] == pd.Timestamp("2025-03-01")]
    assert mar[["month_index", "customers"]].values.tolist() == [[0, 3]]


def test_empty_scope_is_empty_everywhere(engine):
    nothing = Filters(Q1.start, Q1.end, stores=[])
    assert by(cq.customer_kpis(engine, nothing), "period")["current"]["customers"] == 0
    for fn in (cq.product_abc, cq.funnel_by_channel, segments.rfm_customers, segments.rfm_segments,
               segments.cohort_retention):
        assert fn(engine, nothing).empty, fn.__name__
