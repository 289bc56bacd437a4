"""Every named query against hand-worked figures of the tiny shop, on DuckDB and on real PostgreSQL."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import lookups
from data_access.engine import create_engine
from data_access.filters import UNCATEGORISED, Filters
from data_access.inventory import stock
from data_access.sales import core, queries
from data_access.satisfaction import service
from tests.support import tiny_shop

START, END = tiny_shop.PERIOD


@pytest.fixture(scope="module")
def engine(tiny_engine):
    return tiny_engine


def period(**kwargs) -> Filters:
    return Filters(START, END, **kwargs)


def row(df: pd.DataFrame, **match) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for col, value in match.items():
        mask &= df[col] == value
    assert mask.sum() == 1, f"expected one row for {match}, got {mask.sum()}"
    return df[mask].iloc[0]


def test_kpi_totals_current_previous_last_year(engine):
    df = queries.kpi_totals(engine, period())
    assert list(df["period"]) == ["current", "previous", "last_year"]
    cur = row(df, period="current")
    # O1 110 + O2 20 (returned P1 line out) + O4 0 (returned) + O5 55.5-5.5 (no lines) + O6 pending 0
    assert cur.net_sales == pytest.approx(180.0)
    assert cur.orders == 5  # O3 cancelled is not an order; O4 returned and O6 pending are
    assert cur.units == 4  # O1 2+1, O2 1
    assert cur.customers == 4  # C1, C2, C3, C4
    assert cur.sessions == 180
    assert cur.aov == pytest.approx(36.0)
    # margin only where cost is known (line orders): 130 - (2*4 + 50 + 12)
    assert cur.gross_margin == pytest.approx(60.0)
    assert cur.margin_pct == pytest.approx(60 / 130)
    # only orders whose day, store and channel have traffic: O1, O2, O5 (not O4, O6)
    assert cur.conversion_rate == pytest.approx(3 / 180)
    assert (cur.start, cur.end) == (date(2025, 3, 1), date(2025, 3, 4))
    prev = row(df, period="previous")
    assert (prev.start, prev.end) == (date(2025, 2, 25), date(2025, 2, 28))
    assert (prev.net_sales, prev.orders, prev.sessions) == (pytest.approx(10.0), 1, 40)
    ly = row(df, period="last_year")
    assert (ly.start, ly.end) == (date(2024, 3, 1), date(2024, 3, 4))
    assert (ly.net_sales, ly.orders, ly.units) == (pytest.approx(200.0), 1, 2)
    assert math.isnan(ly.conversion_rate)  # no traffic recorded then


def test_store_scope_is_applied(engine):
    s1 = row(queries.kpi_totals(engine, period(stores=["S1"])), period="current")
    assert (s1.net_sales, s1.orders, s1.sessions) == (pytest.approx(110.0), 3, 100)
    nothing = row(queries.kpi_totals(engine, period(stores=[])), period="current")
    assert (nothing.net_sales, nothing.orders, nothing.sessions) == (0.0, 0, 0)
    assert queries.daily_sales(engine, period(stores=[]))["net_sales"].sum() == 0
    assert queries.sales_by(engine, period(stores=[]), "store").empty
    assert queries.top_products(engine, period(stores=[])).empty
    assert stock.stock_on_hand(engine, period(stores=[])).empty


def test_channel_and_category_filters(engine):
    direct = row(queries.kpi_totals(engine, period(channels=["direct"])), period="current")
    assert (direct.net_sales, direct.orders, direct.sessions) == (pytest.approx(110.0), 3, 100)
    cat_a = row(queries.kpi_totals(engine, period(categories=["A"])), period="current")
    # sold A lines: O1 P1 20, O2 P2 20; orders holding an A line: O1, O2, O4, O6
    assert (cat_a.net_sales, cat_a.orders, cat_a.units) == (pytest.approx(40.0), 4, 3)
    assert cat_a.gross_margin == pytest.approx(40 - 8 - 12)
    assert cat_a.sessions == 0 and math.isnan(cat_a.conversion_rate)


def test_daily_sales(engine):
    df = queries.daily_sales(engine, period())
    assert list(df["day"]) == list(pd.date_range(START, END))
    assert list(df["net_sales"]) == pytest.approx([130.0, 0.0, 50.0, 0.0])
    assert list(df["orders"]) == [2, 1, 1, 1]
    assert list(df["sessions"]) == [150, 0, 30, 0]
    assert df.loc[0, "aov"] == pytest.approx(65.0)
    assert df.loc[0, "conversion_rate"] == pytest.approx(2 / 150)
    assert math.isnan(df.loc[1, "conversion_rate"])


def test_daily_sales_empty_range_has_zero_days(engine):
    df = queries.daily_sales(engine, Filters(date(2020, 1, 1), date(2020, 1, 3)))
    assert len(df) == 3 and df["net_sales"].sum() == 0 and df["orders"].sum() == 0
    assert df["aov"].isna().all()


def test_sales_by_store_region_channel(engine):
    by_store = queries.sales_by(engine, period(), "store")
    assert list(by_store["key"]) == ["S1", "S2"]
    s1, s2 = by_store.iloc[0], by_store.iloc[1]
    assert (s1.label, s1.net_sales, s1.orders, s1.sessions) == ("Shanghai Flagship", 110.0, 3, 100)
    assert (s2.net_sales, s2.orders, s2.sessions) == (pytest.approx(70.0), 2, 80)
    assert s1.share == pytest.approx(110 / 180)
    by_region = queries.sales_by(engine, period(), "region")
    assert dict(zip(by_region["key"], by_region["net_sales"], strict=True)) == {"East": 110.0, "North": 70.0}
    by_channel = queries.sales_by(engine, period(), "channel")
    got = {r.key: (r.net_sales, r.orders, r.sessions) for r in by_channel.itertuples()}
    assert got == {"direct": (110.0, 3, 100), "marketplace": (50.0, 1, 30), "paid_search": (20.0, 1, 50)}


def test_sales_by_category_and_product(engine):
    by_cat = queries.sales_by(engine, period(), "category")
    got = {r.key: (r.net_sales, r.orders, r.units, r.gross_margin) for r in by_cat.itertuples()}
    assert got == {"B": (90.0, 1, 1, 40.0), "A": (40.0, 2, 3, 20.0)}
    assert list(by_cat["key"]) == ["B", "A"]
    by_product = queries.sales_by(engine, period(), "product")
    assert list(by_product["key"]) == ["P3", "P1", "P2"]
    assert list(by_product["label"]) == ["Kettle", "Cup", "Mug"]
    assert by_product["share"].sum() == pytest.approx(1.0)


def test_sales_by_rejects_unknown_dimension(engine):
    with pytest.raises(ValueError, match="unknown dimension"):
        queries.sales_by(engine, period(), "colour")


def test_top_products(engine):
    by_sales = queries.top_products(engine, period(), limit=2)
    assert list(by_sales["sku"]) == ["P3", "P1"]
    assert list(by_sales["rank"]) == [1, 2]
    p3 = by_sales.iloc[0]
    assert (p3["name"], p3.category, p3.units, p3.net_sales, p3.gross_margin) == ("Kettle", "B", 1, 90.0, 40.0)
    by_units = queries.top_products(engine, period(), limit=3, by="units")
    assert list(by_units["sku"]) == ["P1", "P2", "P3"]
    with pytest.raises(ValueError):
        queries.top_products(engine, period(), by="sku; drop table orders")


def test_stock_on_hand_uses_latest_snapshot_and_cover(engine):
    df = stock.stock_on_hand(engine, period())
    assert set(df["snapshot_date"].dt.date) == {date(2025, 3, 4)}
    p1 = row(df, store_id="S1", sku="P1")
    # sold in the 28 days to 4 Mar: O1 2 + O7 1 (O4's line was returned)
    assert p1.avg_daily_units == pytest.approx(3 / 28)
    assert p1.days_of_cover == pytest.approx(6 / (3 / 28))
    assert (p1.on_order, p1.lead_time_days, p1["name"]) == (10, 7, "Cup")
    p3 = row(df, store_id="S1", sku="P3")
    assert p3.on_hand == 0 and p3.days_of_cover == 0
    scoped = stock.stock_on_hand(engine, period(stores=["S2"]))
    assert list(scoped["sku"]) == ["P2"] and scoped.iloc[0].days_of_cover == pytest.approx(5 / (1 / 28))
    assert stock.stock_on_hand(engine, Filters(date(2020, 1, 1), date(2020, 1, 2))).empty


def test_product_movers(engine):
    df = queries.product_movers(engine, period(), limit=5)
    # current: P3 90, P1 20, P2 20; previous (25-28 Feb): P1 10
    assert list(zip(df["sku"], df["direction"], strict=True)) == [("P3", "up"), ("P2", "up"), ("P1", "up")]
    p1 = row(df, sku="P1")
    assert (p1.net_sales, p1.previous_net_sales, p1.change) == (20.0, 10.0, 10.0)
    assert p1.change_pct == pytest.approx(1.0) and math.isnan(row(df, sku="P3").change_pct)
    later = queries.product_movers(engine, Filters(date(2025, 3, 5), date(2025, 3, 8)))
    # 5-8 Mar: O9 P1 50; previous 1-4 Mar: P3 90, P1 20, P2 20
    assert list(zip(later["sku"], later["direction"], strict=True)) == [("P1", "up"), ("P3", "down"),
                                                                         ("P2", "down")]
    assert queries.product_movers(engine, period(stores=[])).empty


def test_pickers(engine):
    assert list(lookups.list_stores(engine, Filters.all_time())["store_id"]) == ["S1", "S2"]
    assert list(lookups.list_stores(engine, Filters.all_time(("S2",)))["name_zh"]) == ["北京三里屯店"]
    assert lookups.list_categories(engine) == ["A", "B"]
    assert lookups.order_date_range(engine, Filters.all_time()) == (date(2024, 3, 2), date(2025, 3, 5))


def test_open_tickets_past_sla(engine):
    as_of = datetime(2025, 3, 4, 12)
    df = service.open_tickets_past_sla(engine, Filters.all_time(), as_of)
    # Newest breach first: T1 went past its 4 h first-response target 2 h ago, T3 past 48 h resolution 27 h ago.
    assert list(df["ticket_id"]) == ["T1", "T3"]
    assert list(df["breach"]) == ["first_response", "resolution"]
    assert df["age_hours"].tolist() == pytest.approx([6.0, 75.0])
    assert df["overdue_hours"].tolist() == pytest.approx([2.0, 27.0])
    assert list(service.open_tickets_past_sla(engine, Filters.all_time(("S2",)), as_of)["ticket_id"]) == ["T3"]
    assert service.open_tickets_past_sla(engine, Filters.all_time(()), as_of).empty


def test_lowest_recent_reviews(engine):
    df = service.lowest_recent_reviews(engine, period())
    assert list(df["review_id"]) == ["R3", "R2", "R1"]  # 1-star newest first, then 2-star
    assert row(df, review_id="R2").store_name == "Beijing Sanlitun"
    assert row(df, review_id="R1").product_name == "Cup"
    assert list(service.lowest_recent_reviews(engine, period(stores=["S1"]))["review_id"]) == ["R3", "R1"]


def test_pandas_reference_agrees_with_the_hand_figures():
    """The pandas reference used on the demo data set must itself get the hand-worked figures right."""
    from tests.support import pandas_reference as ref

    frames = {"orders": tiny_shop.ORDERS, "order_items": tiny_shop.ORDER_ITEMS, "products": tiny_shop.PRODUCTS,
              "stores": tiny_shop.STORES, "traffic": tiny_shop.TRAFFIC, "inventory": tiny_shop.INVENTORY}
    got = ref.totals(frames, period())
    assert (got["net_sales"], got["orders"], got["units"], got["sessions"]) == (180.0, 5, 4, 180)
    assert got["gross_margin"] == pytest.approx(60.0)
    assert ref.totals(frames, period(categories=["A"]))["orders"] == 4
    assert list(ref.daily_sales(frames, period())["net_sales"]) == [130.0, 0.0, 50.0, 0.0]
    stock = ref.stock_on_hand(frames, period()).set_index(["store_id", "sku"])
    assert stock.loc[("S1", "P1"), "days_of_cover"] == pytest.approx(56.0)


def test_margin_leaves_out_lines_without_a_cost(database_url_factory):
    """A product without a unit cost must not read as 100% margin (nor lift the total margin %)."""
    from data_access.bulk import bulk_insert
    from data_access.schema import products as products_table

    engine = create_engine(database_url_factory("duckdb"))
    tiny_shop.load(engine)
    with engine.begin() as conn:
        bulk_insert(conn, products_table, tiny_shop.PRODUCTS.iloc[:1].assign(sku="P9", name="No cost", unit_cost=None))
        conn.execute(sa.text("UPDATE order_items SET sku = 'P9' WHERE order_id = 'O2' AND line_no = 1"))
    cur = queries.kpi_totals(engine, period()).set_index("period").loc["current"]
    # costed sales: O1 only (110, cost 58); O2's 20 is sold but its cost is unknown
    assert cur.net_sales == pytest.approx(180.0)
    assert cur.margin_pct == pytest.approx((110 - 58) / 110)
    by_product = queries.sales_by(engine, period(), "product").set_index("key")
    assert np.isnan(by_product.at["P9", "margin_pct"]) and by_product.at["P9", "gross_margin"] == 0
    engine.dispose()


def test_stock_snapshot_is_the_scopes_own_latest(engine):
    # S2 has a snapshot on 6 Mar, S1 only up to 4 Mar: S1's manager still sees S1's stock on 6 Mar.
    df = stock.stock_on_hand(engine, Filters(date(2025, 3, 6), date(2025, 3, 6), stores=["S1"]))
    assert set(df["sku"]) == {"P1", "P3"} and set(df["snapshot_date"].dt.date) == {date(2025, 3, 4)}
    assert lookups.order_date_range(engine, Filters.all_time(("S2",))) == (date(2024, 3, 2), date(2025, 3, 3))


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_products_without_a_category_are_one_drillable_group(backend, fresh_engine):
    engine = fresh_engine(backend)
    tiny_shop.load(engine)
    with engine.begin() as conn:  # a product with no category, and a line of a SKU missing from the catalogue
        conn.execute(sa.text("INSERT INTO products (sku, name, unit_cost, unit_price) VALUES ('P9', 'Loose', 1, 5)"))
        conn.execute(sa.text("INSERT INTO orders (order_id, store_id, customer_id, channel, ordered_at, status) "
                             "VALUES ('O99', 'S1', 'C9', 'direct', '2025-03-02 10:00', 'paid')"))
        conn.execute(sa.text("INSERT INTO order_items (order_id, line_no, sku, quantity, unit_price, discount, "
                             "returned) VALUES ('O99', 1, 'P9', 2, 5, 0, false), ('O99', 2, 'GHOST', 1, 7, 0, false)"))
    by_cat = queries.sales_by(engine, period(), "category").set_index("key")
    assert by_cat.loc["", "net_sales"] == pytest.approx(17.0) and by_cat.loc["", "units"] == 3
    assert by_cat.loc["A", "net_sales"] == pytest.approx(40.0)  # unchanged by the new rows
    loose = queries.sales_by(engine, period(categories=[UNCATEGORISED]), "product")
    assert set(loose["key"]) == {"P9", "GHOST"} and loose["net_sales"].sum() == pytest.approx(17.0)
    mixed = queries.kpi_totals(engine, period(categories=[UNCATEGORISED, "B"])).set_index("period")
    assert mixed.at["current", "net_sales"] == pytest.approx(17.0 + 90.0)
    assert mixed.at["current", "orders"] == 2  # O99 and O1 (the kettle)


def test_order_id_ranges_are_a_hint_that_never_changes_the_filter(engine):
    f, before = core.with_order_ranges(engine, period(), Filters(date(2020, 1, 1), date(2020, 1, 2)))
    # Orders of 1-4 March: O1, O2, O4, O5, O6 and the cancelled O3; ids compare as text ("O10" < "O2").
    assert f.order_id_range == ("O1", "O6") and before.order_id_range is None  # no orders, no hint
    assert f == period() and hash(f) == hash(period())
    assert f.previous_period().order_id_range is None  # other dates, other orders: the hint goes
