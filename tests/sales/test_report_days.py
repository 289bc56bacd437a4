"""Daily reports (daily_metrics) on the sales, overview and marketing figures: a mixed shop whose days come some
from orders, some only from reports, worked out by hand, on DuckDB and on real PostgreSQL, read from the source
tables and from the rollups."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from components.kpi import format_value
from data_access import lookups, rollup_tables, rollups, schema
from data_access.bulk import bulk_insert
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.ingest import service
from data_access.marketing import queries as marketing
from data_access.sales import queries
from tests.conftest import REAL_DATA
from tests.support import apptest_helpers as h
from tests.support import fixtures

PERIOD = Filters(date(2025, 5, 1), date(2025, 5, 4))

STORES = pd.DataFrame([{"store_id": "S1", "name": "One"}, {"store_id": "S2", "name": "Two"}])
PRODUCTS = pd.DataFrame([{"sku": "P1", "name": "Cup", "category": "A", "unit_cost": 20, "unit_price": 50}])
ORDERS = pd.DataFrame([
    # O1 has a line (2 x 50); O2 and O3 are order-level (paid - refund).
    {"order_id": "O1", "store_id": "S1", "channel": "direct", "ordered_at": datetime(2025, 5, 1, 10),
     "status": "delivered", "customer_id": "C1", "paid_total": 100, "refund_total": 0},
    {"order_id": "O2", "store_id": "S1", "channel": "direct", "ordered_at": datetime(2025, 5, 2, 11),
     "status": "paid", "customer_id": "C2", "paid_total": 50, "refund_total": 10},
    {"order_id": "O3", "store_id": "S1", "channel": "marketplace", "ordered_at": datetime(2025, 5, 3, 9),
     "status": "paid", "customer_id": "C1", "paid_total": 30, "refund_total": 0},
])
ORDER_ITEMS = pd.DataFrame([{"order_id": "O1", "line_no": 1, "sku": "P1", "quantity": 2, "unit_price": 50,
                             "discount": 0, "returned": False}])
TRAFFIC = pd.DataFrame([{"day": date(2025, 5, 3), "store_id": "S1", "channel": "direct", "sessions": 40}])


def _report(name, store, channel, day, net, orders=None, buyers=None, visitors=None, days=1):
    return {"report": name, "store_id": store, "channel": channel, "day": date.fromisoformat(day), "days": days,
            "net_sales": net, "orders": orders, "buyers": buyers, "visitors": visitors}


REPORTS = pd.DataFrame([
    # R1: S1 has an order on 2 May (any channel, and this row is of all channels): the orders give the day.
    _report("R1", "S1", "", "2025-05-02", 999, orders=9, visitors=90),
    # R2: no order of S1 on 4 May: the report gives the day.
    _report("R2", "S1", "", "2025-05-04", 200, orders=4, visitors=100),
    # R3: S1's only order on 3 May is a marketplace one, so the direct channel's day is the report's; the cell
    # has traffic (40 sessions), so its 50 visitors are not counted again.
    _report("R3", "S1", "direct", "2025-05-03", 70, orders=2, buyers=3, visitors=50),
    # R4: covered by O3 (same store, day and channel).
    _report("R4", "S1", "marketplace", "2025-05-03", 500, orders=5),
    # R5: a weekly row of S2 (no orders at all): its orders are its buyers.
    _report("R5", "S2", "marketplace", "2025-05-01", 700, buyers=7, days=7),
    # R6: the week before the period.
    _report("R6", "S2", "marketplace", "2025-04-24", 650, buyers=6, days=7),
]).astype({"orders": "Int64", "buyers": "Int64", "visitors": "Int64"})

# By hand, 1-4 May: orders O1 100 + O2 40 + O3 30; reports R2 200 + R3 70 + R5 700 (R1, R4 covered, R6 before).
NET_SALES = 100 + 40 + 30 + 200 + 70 + 700
ORDERS_COUNT = 3 + 4 + 2 + 7
SESSIONS = 40 + 100  # traffic of S1 direct 3 May, R2's visitors (R3's cell has traffic, R5 has no visitors)
TRAFFIC_ORDERS = 4 + 2  # R2's orders over its visitors, R3's in its traffic cell (no order of O1-O3 has traffic)


def load(engine) -> None:
    """The mixed shop: schema, stores, one product, three orders, one traffic cell and the reports."""
    schema.create_schema(engine)
    with engine.begin() as conn:
        for table, frame in [(schema.stores, STORES), (schema.products, PRODUCTS), (schema.orders, ORDERS),
                             (schema.order_items, ORDER_ITEMS), (schema.traffic, TRAFFIC),
                             (schema.daily_metrics, REPORTS.drop(columns="report"))]:
            bulk_insert(conn, table, frame)


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def engine(request, database_url_factory):
    engine = create_engine(database_url_factory(request.param))
    load(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["source tables", "rollups"])
def read_from(request, engine):
    """The same engine with the rollups stale (the queries read orders and lines) or current."""
    if request.param == "rollups":
        rollups.refresh(engine)
        assert rollup_tables.current(engine)
    else:
        with engine.begin() as conn:
            rollup_tables.invalidate(conn)
        assert not rollup_tables.current(engine)
    return engine


def test_kpi_totals_take_each_day_from_orders_or_else_from_its_report(read_from):
    cur = queries.kpi_totals(read_from, PERIOD).set_index("period").loc["current"]
    assert cur.net_sales == pytest.approx(NET_SALES)
    assert cur.orders == ORDERS_COUNT
    assert cur.units == 2  # from O1's line only: a report has no units
    assert cur.customers == 2  # C1, C2: a report has no customers
    assert cur.sessions == SESSIONS
    assert cur.conversion_rate == pytest.approx(TRAFFIC_ORDERS / SESSIONS)
    assert cur.aov == pytest.approx(NET_SALES / ORDERS_COUNT)
    assert cur.gross_margin == pytest.approx(100 - 2 * 20)  # margin from costed lines only
    # A weekly row counts in the period that holds its day: R6 (24 April) in 21-30 April, R5 not.
    april = queries.kpi_totals(read_from, Filters(date(2025, 4, 21), date(2025, 4, 30))).set_index("period")
    assert (april.at["current", "net_sales"], april.at["current", "orders"]) == (pytest.approx(650), 6)


def test_the_daily_series_and_splits_add_the_report_days(read_from):
    daily = queries.daily_sales(read_from, PERIOD).set_index("day")
    assert daily["net_sales"].tolist() == pytest.approx([100 + 700, 40, 30 + 70, 200])
    assert daily["orders"].tolist() == [1 + 7, 1, 1 + 2, 4]
    by_store = queries.sales_by(read_from, PERIOD, "store").set_index("key")
    assert by_store["net_sales"].to_dict() == pytest.approx({"S1": 440, "S2": 700})
    by_channel = queries.sales_by(read_from, PERIOD, "channel").set_index("key")
    assert by_channel["net_sales"].to_dict() == pytest.approx({"direct": 210, "marketplace": 730, "": 200})
    trend = queries.daily_sales(read_from, PERIOD)["net_sales"].sum()
    assert trend == pytest.approx(NET_SALES)


def test_scope_and_picks_apply_to_the_reports(read_from):
    def totals(**kwargs):
        return queries.kpi_totals(read_from, Filters(PERIOD.start, PERIOD.end, **kwargs)).set_index(
            "period").loc["current"]

    s2 = totals(stores=("S2",))
    assert (s2.net_sales, s2.orders) == (pytest.approx(700), 7)
    assert totals(stores=()).net_sales == 0
    # A row of all channels has no channel to pick: only R3 of the reports is direct.
    direct = totals(channels=("direct",))
    assert (direct.net_sales, direct.orders) == (pytest.approx(100 + 40 + 70), 4)
    # A report has no products, so a category pick leaves every report out.
    assert totals(categories=("A",)).net_sales == pytest.approx(100)


def test_marketing_totals_and_channels_count_the_report_days(read_from):
    cur = marketing.marketing_totals(read_from, PERIOD).set_index("period").loc["current"]
    assert cur.revenue == pytest.approx(NET_SALES) and cur.orders == ORDERS_COUNT
    channels = marketing.channel_comparison(read_from, PERIOD).set_index("channel")
    assert channels["attributed_revenue"].to_dict() == pytest.approx({"direct": 210, "marketplace": 730, "": 200})
    trend = marketing.channel_trend(read_from, PERIOD, grain="day")
    assert trend["attributed_revenue"].sum() == pytest.approx(NET_SALES)


def test_report_days_name_the_days_that_come_from_reports(engine):
    days = queries.report_days(engine, PERIOD)
    assert days[["store_id", "channel"]].values.tolist() == [["S1", ""], ["S1", "direct"], ["S2", "marketplace"]]
    assert days["first_day"].tolist() == [date(2025, 5, 4), date(2025, 5, 3), date(2025, 5, 1)]
    assert days["reports"].tolist() == [1, 1, 1] and days["days"].tolist() == [1, 1, 7]
    assert queries.report_days(engine, Filters(PERIOD.start, PERIOD.end, stores=("S1",)))["store_id"].tolist() == [
        "S1", "S1"]
    assert queries.report_days(engine, Filters(date(2025, 6, 1), date(2025, 6, 30))).empty
    assert queries.report_dates(engine, PERIOD).values.tolist() == [[1, 2], [7, 1]]  # R2, R3; R5
    assert queries.report_dates(engine, Filters(date(2025, 4, 5), date(2025, 5, 4))).values.tolist() == [
        [1, 2], [7, 2]]  # R6 too


def test_the_date_range_includes_report_days(engine):
    assert lookups.order_date_range(engine, Filters.all_time()) == (date(2025, 4, 24), date(2025, 5, 4))
    # S2 imported only reports: its default period is not empty.
    assert lookups.order_date_range(engine, Filters.all_time(("S2",))) == (date(2025, 4, 24), date(2025, 5, 1))
    assert lookups.order_date_range(engine, Filters.all_time(("S9",))) is None


# ---------------------------------------------------------------- the three pages (AppTest)

CAPTION_EN = ("2 days and 1 week from daily reports: One (all channels) May 4, 2025; One (Direct) May 3, 2025; "
              "Two (Marketplace) May 1, 2025.")
CAPTION_ZH = ("2 天和 1 周的数据来自经营日报：店铺 One（全部渠道）2025年5月4日；店铺 One（直接访问）2025年5月3日；"
              "店铺 Two（电商平台）2025年5月1日。")


mixed_app = fixtures.shop_app(load, "mixed")
mixed_env = fixtures.app_env("mixed_app")


def _page(script: str, username: str = "admin", **params):
    at = h.logged_in(script, username)
    at.query_params.update(params)
    return at.run()


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize(("lang", "caption", "net_sales"), [("en", CAPTION_EN, "Net sales"),
                                                             ("zh", CAPTION_ZH, "净销售额")])
def test_the_sales_page_shows_the_report_days_and_counts_them(mixed_env, lang, caption, net_sales):
    at = _page("pages/sales.py", preset="custom", **{"from": "2025-05-01", "to": "2025-05-04"}, lang=lang)
    assert not at.exception, at.exception
    assert _metric(at, net_sales) == "¥1,140"
    assert any(c.value.startswith(caption) for c in at.caption), [c.value for c in at.caption]


def test_the_sales_page_of_order_days_only_has_no_report_caption(mixed_env):
    at = _page("pages/sales.py", preset="custom", **{"from": "2025-05-02", "to": "2025-05-02"})
    assert not at.exception, at.exception
    assert _metric(at, "Net sales") == "¥40.00"  # O2 only: R1 of that day is covered by it
    assert not any("daily reports" in c.value for c in at.caption)


def test_the_overview_shows_the_last_report_day_and_its_caption(mixed_env):
    at = _page("pages/overview.py")
    assert not at.exception, at.exception
    assert "May 4, 2025" in h.all_text(at)  # the last day with data is a report day
    assert _metric(at, "Net sales") == "¥200.00"  # R2
    # The overview's trend covers the 30 days to 4 May: R6 (24 April) is one more weekly row.
    captions = [c.value for c in at.caption]
    assert any(c.startswith("2 days and 2 weeks from daily reports:") for c in captions), captions


def test_the_marketing_page_shows_the_report_days(mixed_env):
    at = _page("pages/marketing.py", preset="custom", **{"from": "2025-05-01", "to": "2025-05-04"})
    assert not at.exception, at.exception
    assert any(c.value.startswith(CAPTION_EN) for c in at.caption), [c.value for c in at.caption]


@pytest.fixture(scope="module")
def walmart_app(tmp_path_factory):
    def imported(engine):
        outcome = service.ingest(engine, REAL_DATA / WALMART, WALMART, username="admin")
        assert outcome.prepared.kind == "daily_metrics"

    return h.shop_app(tmp_path_factory.mktemp("walmart"), imported)


WALMART = "walmart_weekly_sales_45stores.csv"


@pytest.mark.slow
def test_walmart_imported_as_daily_metrics_shows_its_analysis_on_the_sales_page(walmart_app, monkeypatch):
    h.configure(monkeypatch, *walmart_app)
    file = pd.read_csv(REAL_DATA / WALMART)
    file["day"] = pd.to_datetime(file["Date"], format="%d/%m/%y")
    # The default period (the last 30 days up to the last week of the file) is not empty.
    at = _page("pages/sales.py")
    assert not at.exception, at.exception
    last = file["day"].max()
    in_default = file[file["day"] > last - pd.Timedelta(days=30)]["Weekly_Sales"].sum()
    assert _metric(at, "Net sales") == format_value("net_sales", in_default, "en")
    # The whole file: every week of the 45 stores, from the report.
    at = _page("pages/sales.py", preset="custom", **{"from": "2010-02-05", "to": "2012-10-26"},
               sales_section="Breakdowns", sales_breakdown="By store")
    assert not at.exception, at.exception
    assert _metric(at, "Net sales") == format_value("net_sales", file["Weekly_Sales"].sum(), "en")
    engine = create_engine(walmart_app[0])
    try:
        cur = queries.kpi_totals(engine, Filters(date(2010, 2, 5), date(2012, 10, 26))).set_index("period")
    finally:
        engine.dispose()
    assert cur.at["current", "net_sales"] == pytest.approx(file["Weekly_Sales"].sum(), rel=1e-12)
    caption = next(c.value for c in at.caption if "daily reports" in c.value)
    assert caption.startswith(f"{file['day'].nunique()} weeks from daily reports:") and "42 more" in caption
    by_store = next(df.value for df in at.dataframe if len(df.value) == 45)
    assert len(by_store) == 45
