"""The sales rollups on the tiny shop, on DuckDB and PostgreSQL: their rows by hand, the queries that read them
give the figures the source tables give, and a change the stamp sees sends the queries back to the sources."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import rollup_tables, rollups, schema
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.rollup_tables import (
    category_daily,
    customer_first,
    customer_orders,
    customer_store_first,
    sales_daily,
    sku_daily,
)
from data_access.sales import customers as cq
from data_access.sales import queries, segments
from tests.conftest import BACKENDS
from tests.support import tiny_shop

CURRENT = Filters(*tiny_shop.PERIOD)  # 1-4 Mar 2025
VIEWS = {
    "period": CURRENT,
    "quarter": Filters(date(2025, 1, 1), date(2025, 3, 31)),
    "S2": Filters(date(2025, 1, 1), date(2025, 3, 4), stores=("S2",)),
    "S1 in March": Filters(date(2025, 3, 1), date(2025, 3, 31), stores=("S1",)),
    "S1 and S2 since February": Filters(date(2025, 2, 1), date(2025, 3, 4), stores=("S1", "S2")),
    "no store": Filters(date(2025, 1, 1), date(2025, 3, 4), stores=()),
    "direct and email": Filters(date(2025, 1, 1), date(2025, 3, 4), channels=("direct", "email")),
    "year": Filters(date(2024, 3, 1), date(2025, 3, 5)),
    "category B": Filters(date(2025, 1, 1), date(2025, 3, 4), categories=("B",)),
    "no category, A": Filters(date(2025, 1, 1), date(2025, 3, 4), categories=("", "A")),
}


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request, database_url_factory):
    """The tiny shop with its rollups refreshed."""
    engine = create_engine(database_url_factory(request.param))
    tiny_shop.load(engine)
    rollups.refresh(engine)
    yield engine
    engine.dispose()


def _rows(engine, table: sa.Table, order_by) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(table).order_by(*order_by))]


def test_sales_daily_rows_by_hand(engine):
    rows = {(r[0], r[1], r[2]): r[3:] for r in _rows(engine, sales_daily, [sales_daily.c.day, sales_daily.c.store_id,
                                                                          sales_daily.c.channel])}
    d = Decimal
    # net, costed net, cogs, units, non-cancelled orders, returns
    assert rows[(date(2025, 3, 1), "S1", "direct")] == (d("110"), d("110"), d("58"), 3, 1, 0)  # O1: 2 x 10 + 90
    assert rows[(date(2025, 3, 1), "S2", "paid_search")] == (d("20"), d("20"), d("12"), 1, 1, 1)  # O2: line returned
    assert rows[(date(2025, 3, 2), "S1", "direct")] == (0, 0, 0, 0, 1, 1)  # O4: status returned
    assert rows[(date(2025, 3, 3), "S2", "marketplace")] == (d("50"), 0, 0, 0, 1, 1)  # O5: line-less, refunded
    assert rows[(date(2025, 3, 4), "S1", "direct")] == (0, 0, 0, 0, 1, 0)  # O6: pending
    # O3 and O13 are cancelled and alone in their cells: no row; 12 cells in all
    assert (date(2025, 3, 2), "S1", "paid_search") not in rows and len(rows) == 12


def test_category_daily_rows_by_hand(engine):
    rows = {(r[0], r[1], r[2], r[3]): r[4:] for r in _rows(engine, category_daily, [category_daily.c.day,
                                                                                   category_daily.c.category])}
    d = Decimal
    # O1: P1 (A) 2 x 10 at cost 4, P3 (B) 100 - 10 at cost 50; O2: only P2 (A) sold, its P1 line returned
    assert rows[(date(2025, 3, 1), "S1", "direct", "A")] == (d("20"), d("20"), d("8"), 2, 1)
    assert rows[(date(2025, 3, 1), "S1", "direct", "B")] == (d("90"), d("90"), d("50"), 1, 1)
    assert rows[(date(2025, 3, 1), "S2", "paid_search", "A")] == (d("20"), d("20"), d("12"), 1, 1)
    # sold lines only: not O4 (returned), O5 (no lines), O6 (pending), O3 and O13 (cancelled)
    assert len(rows) == 10


def test_category_split_without_customers(engine):
    split = queries.sales_by(engine, CURRENT, "category", with_customers=False).set_index("key")
    assert "customers" not in split.columns
    assert (split.at["A", "net_sales"], split.at["A", "orders"], split.at["A", "units"]) == (40.0, 2, 3)
    assert (split.at["B", "net_sales"], split.at["B", "orders"]) == (90.0, 1)
    assert split.at["A", "gross_margin"] == pytest.approx(20.0)  # 40 - (8 + 12)


def test_sku_daily_rows_by_hand(engine):
    rows = {(r[0], r[1], r[2], r[3]): r[4:] for r in _rows(engine, sku_daily, [sku_daily.c.day, sku_daily.c.sku])}
    d = Decimal
    assert rows[(date(2025, 3, 1), "S1", "direct", "P1")] == (d("20"), d("20"), d("8"), 2, 1)
    assert rows[(date(2025, 3, 1), "S1", "direct", "P3")] == (d("90"), d("90"), d("50"), 1, 1)
    assert rows[(date(2025, 2, 2), "S2", "email", "P1")] == (d("30"), d("30"), d("12"), 3, 1)  # O14
    assert len(rows) == 10


def test_kpis_and_trend_without_customers(engine):
    kpi = queries.kpi_totals(engine, CURRENT, with_customers=False).set_index("period")
    assert "customers" not in kpi.columns
    assert (kpi.at["current", "net_sales"], kpi.at["current", "orders"]) == (pytest.approx(180.0), 5)
    trend = cq.sales_trend(engine, CURRENT, "week", with_customers=False)
    assert "customers" not in trend.columns and list(trend["net_sales"]) == pytest.approx([130.0, 50.0])


def test_customer_orders_rows_by_hand(engine):
    net = {r[0]: r[6] for r in _rows(engine, customer_orders, [customer_orders.c.order_id])}
    # O1 2 x 10 + 90; O2 without its returned line; O4 returned; O5 line-less 55.5 - 5.5; O6 pending
    assert {k: net[k] for k in ("O1", "O2", "O4", "O5", "O6")} == {"O1": 110, "O2": 20, "O4": 0, "O5": 50, "O6": 0}
    assert len(net) == 12  # every order but the cancelled O3 and O13


def test_customer_first_rows_by_hand(engine):
    assert _rows(engine, customer_first, [customer_first.c.customer_id]) == [
        ("C1", datetime(2025, 1, 5, 10)), ("C2", datetime(2025, 3, 1, 15)), ("C3", datetime(2025, 3, 2, 12)),
        ("C4", datetime(2025, 3, 3, 23, 59, 59)), ("C5", datetime(2024, 3, 2, 11)),
        ("C6", datetime(2025, 1, 10, 10))]  # C7 only ever cancelled


def test_customer_store_first_rows_by_hand(engine):
    rows = _rows(engine, customer_store_first, [customer_store_first.c.customer_id, customer_store_first.c.store_id])
    assert [r for r in rows if r[0] in ("C2", "C6")] == [
        ("C2", "S1", datetime(2025, 3, 4)), ("C2", "S2", datetime(2025, 3, 1, 15)),  # O6 pending counts
        ("C6", "S1", datetime(2025, 1, 20, 10)), ("C6", "S2", datetime(2025, 1, 10, 10))]
    assert len(rows) == 8  # C1, C3, C4, C5 in one store each; C7 never


def test_hand_worked_figures_through_the_rollups(engine):
    assert rollup_tables.current(engine)
    kpi = queries.kpi_totals(engine, CURRENT).set_index("period")
    # O1 110 + O2 20 + O5 50; orders O1 O2 O4 O5 O6, of which O1, O2 and O5 fall in cells with traffic
    assert kpi.at["current", "net_sales"] == pytest.approx(180.0) and kpi.at["current", "orders"] == 5
    assert kpi.at["current", "conversion_rate"] == pytest.approx(3 / 180)
    assert kpi.at["current", "customers"] == 4 and kpi.at["current", "gross_margin"] == pytest.approx(60.0)
    cur = cq.customer_kpis(engine, CURRENT).set_index("period").loc["current"]
    assert (cur["customers"], cur["repeat_customers"], cur["returning_customers"]) == (4, 1, 1)
    assert (cur["orders"], cur["returned_orders"]) == (5, 3)
    # S2 in Feb-Mar: C6 (first S2 order O11 in January), C2, C4 (test_customer_queries works it out)
    s2 = cq.customer_kpis(engine, Filters(date(2025, 2, 1), date(2025, 3, 4), stores=["S2"])).set_index("period")
    assert (s2.at["current", "customers"], s2.at["current", "returning_customers"]) == (3, 1)


def _compare(engine, call, f: Filters, monkeypatch) -> None:
    fast = call(engine, f)
    with monkeypatch.context() as m:
        m.setattr(rollup_tables, "current", lambda engine: False)
        slow = call(engine, f)
    pd.testing.assert_frame_equal(fast.reset_index(drop=True), slow.reset_index(drop=True), check_exact=False,
                                  rtol=1e-12)


CALLS = {
    "kpi_totals": queries.kpi_totals,
    "kpi_totals without customers": lambda e, f: queries.kpi_totals(e, f, with_customers=False),
    "sales_trend without customers": lambda e, f: cq.sales_trend(e, f, "week", 4, with_customers=False),
    "daily_sales": queries.daily_sales,
    "customer_kpis": cq.customer_kpis,
    **{f"sales_by {d}": (lambda e, f, d=d: queries.sales_by(e, f, d)) for d in ("store", "region", "channel")},
    "sales_by category": lambda e, f: queries.sales_by(e, f, "category", with_customers=False),
    **{f"sales_trend {g} {s}": (lambda e, f, g=g, s=s: cq.sales_trend(e, f, g, s))
       for g in ("day", "week", "month") for s in (0, 4)},
    "product_abc": cq.product_abc,
    "top_products": lambda e, f: queries.top_products(e, f, 2, "gross_margin"),
    "product_weekly_sales": lambda e, f: cq.product_weekly_sales(e, f, ("P1", "P3", "P9")),
    "rfm_customers": segments.rfm_customers,
    "rfm_segments": segments.rfm_segments,
    "new_vs_returning": lambda e, f: cq.new_vs_returning(e, f, "week"),
    "cohort_retention": segments.cohort_retention,
}


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("name", list(CALLS))
def test_rollups_give_the_source_tables_figures(engine, name, view, monkeypatch):
    _compare(engine, CALLS[name], VIEWS[view], monkeypatch)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_change_the_stamp_sees_reads_the_sources_until_refreshed(fresh_engine, backend):
    engine = fresh_engine(backend)
    tiny_shop.load(engine)
    assert not rollup_tables.current(engine)  # never refreshed: the queries read the source tables
    assert rollups.refresh(engine) == {"rollup_sales_daily": 12, "rollup_category_daily": 10,
                                     "rollup_sku_daily": 10, "rollup_customer_orders": 12,
                                     "rollup_customer_first": 6,
                                     "rollup_customer_store_first": 8}
    assert rollups.refresh(engine) == {"rollup_sales_daily": 12, "rollup_category_daily": 10,
                                     "rollup_sku_daily": 10, "rollup_customer_orders": 12,
                                     "rollup_customer_first": 6,
                                     "rollup_customer_store_first": 8}  # idempotent
    assert rollup_tables.current(engine)
    with engine.begin() as conn:
        conn.execute(schema.orders.insert().values(order_id="O99", store_id="S1", channel="direct", customer_id="C9",
                                                   ordered_at=datetime(2025, 3, 2, 8), status="paid"))
        conn.execute(schema.order_items.insert().values(order_id="O99", line_no=1, sku="P2", quantity=2,
                                                        unit_price=20, discount=0, returned=False))
    assert not rollup_tables.current(engine)
    kpi = queries.kpi_totals(engine, CURRENT).set_index("period")
    assert (kpi.at["current", "net_sales"], kpi.at["current", "orders"]) == (pytest.approx(220.0), 6)
    assert cq.customer_kpis(engine, CURRENT).set_index("period").at["current", "customers"] == 5
    rollups.refresh(engine)
    assert rollup_tables.current(engine)
    assert queries.kpi_totals(engine, CURRENT).set_index("period").at["current", "net_sales"] == pytest.approx(220.0)
    with engine.begin() as conn:  # a cost change moves the margin: stale again
        conn.execute(schema.products.update().where(schema.products.c.sku == "P1").values(unit_cost=5))
    assert not rollup_tables.current(engine)
    # 130 + 40 of costed net - (2 x 5 + 50 + 12 + 2 x 12)
    assert queries.kpi_totals(engine, CURRENT).set_index("period").at["current", "gross_margin"] == pytest.approx(74.0)
    rollups.refresh(engine)
    with engine.begin() as conn:  # a product moved to another category: the category split must follow
        conn.execute(schema.products.update().where(schema.products.c.sku == "P3").values(category="A"))
    assert not rollup_tables.current(engine)
    split = queries.sales_by(engine, CURRENT, "category", with_customers=False)
    assert list(split["key"]) == ["A"] and split.at[0, "net_sales"] == pytest.approx(170.0)  # 40 + 90 + O99 40


def test_rollups_of_another_version_read_as_stale(tiny_engine, monkeypatch):
    rollups.refresh(tiny_engine)
    assert rollup_tables.current(tiny_engine)
    monkeypatch.setattr(rollup_tables, "VERSION", rollup_tables.VERSION + 1)
    assert not rollup_tables.current(tiny_engine)


@pytest.mark.parametrize("backend", BACKENDS)
def test_refresh_of_an_empty_database(fresh_engine, backend):
    engine = fresh_engine(backend)
    schema.create_schema(engine)
    assert rollups.refresh(engine) == {"rollup_sales_daily": 0, "rollup_category_daily": 0,
                                     "rollup_sku_daily": 0, "rollup_customer_orders": 0,
                                     "rollup_customer_first": 0,
                                     "rollup_customer_store_first": 0}
    assert rollup_tables.current(engine)
    kpi = queries.kpi_totals(engine, CURRENT).set_index("period")
    assert (kpi.at["current", "net_sales"], kpi.at["current", "orders"]) == (0.0, 0)
    assert cq.customer_kpis(engine, CURRENT).set_index("period").at["current", "customers"] == 0
    assert cq.sales_trend(engine, CURRENT, "week").empty


def test_cli_if_stale_builds_once_then_leaves_current_rollups_alone(tmp_path, capsys):
    url = f"duckdb:///{tmp_path / 'new.duckdb'}"
    assert rollups.main(["--url", url, "--if-stale"]) == 0  # a new database: tables created, rollups built
    assert "rollup_sales_daily: 0 rows" in capsys.readouterr().out
    assert rollups.main(["--url", url, "--if-stale"]) == 0
    assert "nothing to do" in capsys.readouterr().out
