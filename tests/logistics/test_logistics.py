"""Logistics (物流履约): every figure against hand-computed values on both backends, the stuck-order alert rule, the
Olist sample against its CSV, platform imports carrying carriers and costs, and the page in AppTest (en and zh).

The hand-made shop is tests/support/logistics_shop.py: period 1-7 Mar 2025, the times of each order in its comments.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from alerts import morning, rules
from alerts import settings as alert_settings
from components.i18n import region_label, translate
from components.logistics import logic
from data_access.alerts import queries as alert_queries
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.ingest import service
from data_access.logistics import delay, queries, stuck
from data_access.sources import olist
from tests.conftest import BACKENDS, REAL_DATA
from tests.support import apptest_helpers as h
from tests.support import fixtures
from tests.support import logistics_shop as shop

AS_OF = shop.AS_OF


def period(**kw) -> Filters:
    return Filters(*shop.PERIOD, **kw)


engine = fixtures.shop_engine(shop.load)


# ---------------------------------------------------------------- durations and on-time rates


def test_fulfilment_kpis_by_hand(engine):
    k = queries.fulfilment_kpis(engine, period()).set_index("period")
    cur = k.loc["current"]
    # L1..L6 and L8 (L7 is cancelled); L6 has no payment time, L4 never shipped, L4 and L5 not delivered
    assert (cur["orders"], cur["paid"], cur["shipped"], cur["delivered"]) == (7, 6, 6, 5)
    # order -> payment hours 0.5, 0, 1, 0, 1/6, 0 -> median (0 + 1/6) / 2; P90 at rank 4.5 between 0.5 and 1
    assert cur["pay_hours_median"] == pytest.approx(1 / 12)
    assert cur["pay_hours_p90"] == pytest.approx(0.75)
    # payment -> shipment hours 22, 72, 24, 17/6, 24 (L6 from its order time), 72
    assert cur["ship_hours_median"] == pytest.approx(24) and cur["ship_hours_p90"] == pytest.approx(72)
    # shipment -> delivery days 1.5, 2.5, 4, 1, 1; P90 at rank 3.6: 2.5 + 0.6 x 1.5
    assert cur["transit_days_median"] == pytest.approx(1.5) and cur["transit_days_p90"] == pytest.approx(3.4)
    # order -> delivery days 58.5/24, 5.5, 121/24, 2, 4
    assert cur["delivery_days_median"] == pytest.approx(4)
    assert cur["delivery_days_p90"] == pytest.approx(121 / 24 + 0.6 * (5.5 - 121 / 24))
    # shipped within 48 h of payment: L1, L3, L5, L6 of the six shipped
    assert cur["shipped_on_time"] == 4 and cur["on_time_shipment_rate"] == pytest.approx(4 / 6)
    # delivered with a promise: L1 (on time), L2 (2 days late), L3 (4), L8 (1)
    assert (cur["with_promise"], cur["delivered_on_time"], cur["late_deliveries"]) == (4, 1, 3)
    assert cur["on_time_delivery_rate"] == pytest.approx(0.25) and cur["avg_days_late"] == pytest.approx(7 / 3)
    # costs 12, 6, 5, 14, 15, 12 (L4 has none)
    assert cur["costed_orders"] == 6 and cur["shipping_cost"] == pytest.approx(64)
    assert cur["avg_shipping_cost"] == pytest.approx(64 / 6)
    prev, last_year = k.loc["previous"], k.loc["last_year"]
    assert (prev["start"], prev["end"]) == (date(2025, 2, 22), date(2025, 2, 28))
    assert prev["orders"] == 1 and prev["on_time_delivery_rate"] == 1 and prev["ship_hours_median"] == 10
    assert prev["delivery_days_median"] == pytest.approx(46 / 24)
    assert last_year["orders"] == 0 and pd.isna(last_year["on_time_delivery_rate"])
    assert pd.isna(last_year["delivery_days_median"])


def test_the_on_time_shipment_window_is_a_parameter(engine):
    cur = queries.fulfilment_kpis(engine, period(), ship_within_hours=12).set_index("period").loc["current"]
    assert cur["shipped_on_time"] == 1  # only L5 (2 h 50 min)


def test_picks_and_scope(engine):
    s1 = queries.fulfilment_kpis(engine, period(stores=("S1",))).set_index("period").loc["current"]
    assert s1["orders"] == 4 and s1["late_deliveries"] == 2  # L1, L2, L5, L8: L2 and L8 late
    none = queries.fulfilment_kpis(engine, period(stores=())).set_index("period").loc["current"]
    assert none["orders"] == 0
    direct = queries.fulfilment_kpis(engine, period(channels=("direct",))).set_index("period").loc["current"]
    assert direct["orders"] == 4  # L1, L4, L5, L8
    kettles = queries.fulfilment_kpis(engine, period(categories=("B",))).set_index("period").loc["current"]
    assert kettles["orders"] == 2  # L2 and L5 hold the kettle


def test_by_carrier_store_region_and_channel(engine):
    by = queries.fulfilment_by(engine, period(), "carrier")
    assert by["key"].tolist()[:2] == ["ZTO", "SF Express"] and pd.isna(by["key"].iloc[2])  # worst on-time first
    rows = by.set_index(by["key"].fillna("none"))
    assert rows.loc["SF Express", "orders"] == 4 and rows.loc["SF Express", "on_time_delivery_rate"] == 0.5
    assert rows.loc["ZTO", "on_time_delivery_rate"] == 0 and rows.loc["ZTO", "avg_shipping_cost"] == 5.5
    assert rows.loc["none", "orders"] == 1 and pd.isna(rows.loc["none", "on_time_delivery_rate"])
    stores = queries.fulfilment_by(engine, period(), "store").set_index("key")
    assert stores.loc["S1", "orders"] == 4 and stores.loc["S2", "name_zh"] == "北京三里屯店"
    assert stores.loc["S2", "delivery_days_median"] == pytest.approx((121 / 24 + 2) / 2)  # L3 and L6
    regions = queries.fulfilment_by(engine, period(), "region").set_index("key")
    assert regions.loc["North", "orders"] == 3
    channels = queries.fulfilment_by(engine, period(), "channel").set_index("key")
    assert channels.loc["direct", "orders"] == 4 and channels.loc["email", "with_promise"] == 0
    with pytest.raises(ValueError):
        queries.fulfilment_by(engine, period(), "category")


def test_trend_by_order_day(engine):
    trend = queries.fulfilment_trend(engine, period()).set_index("period_start")
    assert len(trend) == 7 and trend["orders"].sum() == 7
    assert trend.loc["2025-03-01", "orders"] == 2  # L1, L5
    assert trend.loc["2025-03-01", "on_time_delivery_rate"] == 1.0  # L1 (L5 not delivered)
    assert trend.loc["2025-03-07", "orders"] == 0 and pd.isna(trend.loc["2025-03-07", "on_time_shipment_rate"])


# ---------------------------------------------------------------- stuck orders


def test_stuck_orders_at_the_end_of_the_period(engine):
    found = stuck.stuck_orders(engine, period(), AS_OF)
    # L4 paid 4 Mar 08:00, never shipped: 88 h at 8 Mar 00:00; L8 (38 h) and L5 (156 h in transit) are under
    assert found["order_id"].tolist() == ["L4"]
    row = found.iloc[0]
    assert row["stage"] == "awaiting_shipment" and row["waiting_hours"] == 88 and bool(row["past_promise"])
    assert row["store_name"] == "Beijing Sanlitun"


def test_stuck_thresholds_and_what_happened_after_the_cut(engine):
    found = stuck.stuck_orders(engine, period(), AS_OF, ship_after_hours=24, deliver_after_days=5)
    # L5 in transit 156 h; L4 88 h; L8 shipped after the cut, so awaiting shipment at it (38 h), no shipment time
    assert found["order_id"].tolist() == ["L5", "L4", "L8"]
    assert found["stage"].tolist() == ["in_transit", "awaiting_shipment", "awaiting_shipment"]
    assert found["waiting_hours"].tolist() == [156, 88, 38] and pd.isna(found["shipped_at"].iloc[2])
    assert found["past_promise"].tolist() == [True, True, False]
    # two days: L3 too (shipped 4 Mar 13:00, delivered after the cut: 59 h on its way)
    two = stuck.stuck_orders(engine, period(), AS_OF, ship_after_hours=24, deliver_after_days=2)
    assert set(two["order_id"]) == {"L5", "L4", "L8", "L3"}
    counts = stuck.stuck_counts(engine, period(), AS_OF, ship_after_hours=24, deliver_after_days=5)
    assert counts.to_dict("records") == [  # placed: S1 L1, L2, L5, L8; S2 L3, L4, L6
        {"store_id": "S1", "stage": "awaiting_shipment", "orders": 1, "past_promise": 0, "oldest_hours": 38.0,
         "placed_orders": 4},
        {"store_id": "S1", "stage": "in_transit", "orders": 1, "past_promise": 1, "oldest_hours": 156.0,
         "placed_orders": 4},
        {"store_id": "S2", "stage": "awaiting_shipment", "orders": 1, "past_promise": 1, "oldest_hours": 88.0,
         "placed_orders": 3}]


def test_stuck_is_judged_at_an_earlier_moment_and_in_scope(engine):
    earlier = stuck.stuck_orders(engine, period(), datetime(2025, 3, 6, 12, 0))
    assert earlier["order_id"].tolist() == ["L4"] and earlier["waiting_hours"].iloc[0] == 52
    assert stuck.stuck_orders(engine, period(stores=("S1",)), AS_OF).empty
    assert stuck.stuck_orders(engine, period(), AS_OF, limit=0).empty


def test_stuck_alert_rule(engine):
    cfg = {**alert_settings.load(engine), "logistics.stuck_min_orders": 1, "logistics.ship_after_hours": 24,
           "logistics.deliver_after_days": 5}
    found = rules.fulfilment_alerts(engine, date(2025, 3, 7), None, cfg)
    assert {(a["kind"], a["store_id"], a["what"]) for a in found} == {
        ("fulfilment", "S1", "shipping_stall"), ("fulfilment", "S1", "delivery_stall"),
        ("fulfilment", "S2", "shipping_stall")}
    stall = next(a for a in found if a["store_id"] == "S2")
    assert stall["values"]["orders"] == 1 and stall["values"]["past_promise"] == 1
    assert stall["link"]["page"] == "logistics"
    assert stall["title"] == "S2: 1 paid orders not shipped after 24 hours (1 past their promised date)"
    assert rules.fulfilment_alerts(engine, date(2025, 3, 7), ("S2",), {**cfg, "logistics.stuck_min_orders": 2}) == []
    # one stuck order is a third of S2's three orders of the window, a quarter of S1's four
    shared = {**cfg, "logistics.stuck_min_share": 0.3}
    assert {a["store_id"] for a in rules.fulfilment_alerts(engine, date(2025, 3, 7), None, shared)} == {"S2"}
    assert [a["store_id"] for a in rules.fulfilment_alerts(engine, date(2025, 3, 7), ("S2",), cfg)] == ["S2"]
    assert "fulfilment" in {a["kind"] for a in rules.evaluate(engine, date(2025, 3, 7), cfg=cfg)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_morning_run_stores_fulfilment_alerts_with_their_settings(fresh_engine, backend):
    engine = fresh_engine(backend)
    shop.load(engine)
    for key, value in (("logistics.stuck_min_orders", 1), ("logistics.ship_after_hours", 24),
                       ("logistics.deliver_after_days", 5)):
        alert_settings.save(engine, key, value, "admin")
    stored = morning.run(engine, date(2025, 3, 7))
    assert {(a["rule"], a["store_id"]) for a in stored if a["kind"] == "fulfilment"} == {
        ("fulfilment.shipping_stall", "S1"), ("fulfilment.delivery_stall", "S1"), ("fulfilment.shipping_stall", "S2")}
    listed = alert_queries.list_alerts(engine, Filters.all_time(("S2",)))
    assert listed["rule"].tolist() == ["fulfilment.shipping_stall"]


# ---------------------------------------------------------------- delay effects


def test_delay_effects_on_rating_and_repeat_purchase(engine):
    got = delay.delay_effects(engine, period()).set_index("bucket")
    assert list(got.index) == list(delay.ORDER_BUCKETS)
    assert got.loc["on_time", ["orders", "reviews", "avg_rating", "repeat_orders"]].tolist() == [1, 1, 5.0, 1]
    late = got.loc["late_1_2"]  # L2 (C2 ordered again: L8) and L8; R2 rated L2 2 stars
    assert (late["orders"], late["reviews"], late["avg_rating"], late["repeat_rate"]) == (2, 1, 2.0, 0.5)
    worse = got.loc["late_3_7"]  # L3 rated 1 and 3
    assert (worse["reviews"], worse["avg_rating"], worse["low_share"], worse["repeat_rate"]) == (2, 2.0, 0.5, 0.0)
    assert got.loc["not_delivered", "orders"] == 2 and got.loc["late_over_7", "orders"] == 0
    assert got.loc["no_promise", "with_customer"] == 0 and pd.isna(got.loc["no_promise", "repeat_rate"])
    # C1's later order L3 is in S2: out of an S1 scope, so L1 was not followed there
    s1 = delay.delay_effects(engine, period(stores=("S1",))).set_index("bucket")
    assert s1.loc["on_time", "repeat_orders"] == 0
    finding = logic.effects_finding(got.reset_index())
    assert finding == {"on_time_rating": 5.0, "late_rating": pytest.approx(6 / 3), "on_time_repeat": 1.0,
                       "late_repeat": pytest.approx(1 / 3)}


# ---------------------------------------------------------------- page logic


def test_labels_tables_and_findings():
    by = pd.DataFrame({"key": ["S1", None], "name": ["Shanghai", None], "name_zh": ["上海", None],
                       "with_promise": [20, 30], "on_time_delivery_rate": [0.9, 0.5], "late_deliveries": [2, 15]})
    assert logic.key_label("store", by.iloc[0], "zh") == "上海 (S1)"
    assert logic.key_label("carrier", by.iloc[1], "en") == "No carrier (in store or not shipped)"
    assert logic.key_label("region", by.iloc[1], "zh") == "未记录"
    assert logic.key_label("channel", pd.Series({"key": "live_stream"}), "zh") == "直播带货"
    assert logic.key_label("carrier", pd.Series({"key": "SF Express"}), "zh") == "顺丰速运"  # the demo's couriers
    assert logic.key_label("carrier", pd.Series({"key": "Correios"}), "zh") == "Correios"  # as imported
    assert logic.slowest(by, "carrier", "en") == {"name": "No carrier (in store or not shipped)", "rate": 0.5,
                                                  "late": 15, "n": 30}
    assert logic.slowest(by.iloc[:1], "carrier", "en") is None  # nothing to compare with
    assert logic.slowest(by.assign(with_promise=[5, 5]), "carrier", "en") is None  # too few to judge


def test_stuck_table_labels_each_order_in_the_users_language():
    # Labels are worked out once per distinct value: repeated and missing values must still land on their rows.
    found = pd.DataFrame({
        "order_id": ["A", "B", "C", "D"], "store_id": ["S1", "S2", "S1", "S3"],
        "store_name": ["Shanghai", "Beijing", "Shanghai", None], "store_name_zh": ["上海", None, "上海", None],
        "channel": ["live_stream", "direct", "new_channel", "live_stream"],
        "region": ["East", "North", "East", None], "carrier": ["SF Express", None, "Correios", "SF Express"],
        "stage": ["in_transit", "awaiting_shipment", "awaiting_shipment", "in_transit"],
        "ordered_at": pd.Timestamp("2025-03-01"), "paid_at": pd.Timestamp("2025-03-01"), "shipped_at": pd.NaT,
        "promised_at": pd.Timestamp("2025-03-03"), "waiting_hours": [10.0, 20.0, 30.0, 40.0],
        "past_promise": [True, False, False, True]})
    zh = logic.stuck_table(found, "zh")
    assert zh.columns.tolist() == logic.STUCK_COLUMNS and zh["order_id"].tolist() == ["A", "B", "C", "D"]
    assert zh["store"].tolist() == ["上海 (S1)", "Beijing (S2)", "上海 (S1)", "S3"]  # no Chinese name: the English
    assert zh["stage"].tolist() == ["运输超时", "待发货超时", "待发货超时", "运输超时"]
    assert zh["channel"].tolist() == ["直播带货", translate("channel.direct", "zh"), "new_channel", "直播带货"]
    assert zh["carrier"].tolist() == ["顺丰速运", "无（门店自提或未发货）", "Correios", "顺丰速运"]
    assert zh["past_promise"].tolist() == ["是", "否", "否", "是"]
    en = logic.stuck_table(found, "en")
    assert en["store"].tolist() == ["Shanghai (S1)", "Beijing (S2)", "Shanghai (S1)", "S3"]
    assert en["carrier"].tolist() == ["SF Express", "No carrier (in store or not shipped)", "Correios", "SF Express"]
    assert en["region"].tolist() == ["East", "North", "East", "—"]
    east, north = region_label("East", "zh"), region_label("North", "zh")
    assert zh["region"].tolist() == [east, north, east, "—"] and east != "East"
    assert en["past_promise"].tolist() == ["yes", "no", "no", "yes"]
    assert logic.stuck_table(found.iloc[:0], "en").empty


# ---------------------------------------------------------------- real data: Olist


@pytest.fixture(scope="module")
def olist_truth() -> dict:
    """On-time delivery and delivery time computed straight from the Olist orders CSV."""
    raw = pd.read_csv(REAL_DATA / "olist4k_orders.csv")
    kept = raw[~raw["order_status"].isin(["canceled", "unavailable"])]
    bought = pd.to_datetime(kept["order_purchase_timestamp"])
    delivered = pd.to_datetime(kept["order_delivered_customer_date"])
    promised = pd.to_datetime(kept["order_estimated_delivery_date"])
    judged = delivered.notna() & promised.notna()
    on_time = (delivered.dt.normalize() <= promised.dt.normalize()) & judged
    days = ((delivered - bought).dt.total_seconds() / 86400).dropna()
    freight = pd.read_csv(REAL_DATA / "olist4k_order_items.csv").groupby("order_id")["freight_value"].sum()
    return {"orders": len(kept), "delivered": int(delivered.notna().sum()), "with_promise": int(judged.sum()),
            "on_time_rate": on_time.sum() / judged.sum(), "median_days": float(days.median()),
            "p90_days": float(days.quantile(0.9)),
            "avg_freight": float(freight.reindex(kept["order_id"]).dropna().round(2).mean())}


OLIST_YEARS = Filters(date(2016, 1, 1), date(2018, 12, 31))


@pytest.fixture(scope="module")
def olist_url(tmp_path_factory):
    url = f"duckdb:///{tmp_path_factory.mktemp('olist') / 'olist.duckdb'}"
    engine = create_engine(url)
    olist.load(engine, REAL_DATA)
    engine.dispose()
    return url


def test_olist_on_time_rate_and_delivery_time_equal_the_csv(olist_url, olist_truth):
    engine = create_engine(olist_url)
    cur = queries.fulfilment_kpis(engine, OLIST_YEARS).set_index("period").loc["current"]
    engine.dispose()
    assert cur["orders"] == olist_truth["orders"] and cur["delivered"] == olist_truth["delivered"]
    assert cur["with_promise"] == olist_truth["with_promise"]
    assert cur["on_time_delivery_rate"] == pytest.approx(olist_truth["on_time_rate"], rel=1e-12)
    assert 0.85 < olist_truth["on_time_rate"] < 0.97  # Olist's known ~92%: most parcels beat the estimate
    assert cur["delivery_days_median"] == pytest.approx(olist_truth["median_days"], rel=1e-9)
    assert cur["delivery_days_p90"] == pytest.approx(olist_truth["p90_days"], rel=1e-9)
    assert cur["avg_shipping_cost"] == pytest.approx(olist_truth["avg_freight"], rel=1e-9)


TAOBAO = ("订单编号,买家会员名,买家实际支付金额,总金额,订单状态,收货地址,订单创建时间,订单付款时间,退款金额,店铺Id,"
          "物流公司,买家应付邮费\n"
          "T1,u1,79.00,79.00,交易成功,浙江省,2025-05-01 10:00:00,2025-05-01 10:01:00,0,TB,中通快递,6.00\n"
          "T2,u2,30.00,30.00,交易成功,江苏省,2025-05-02 10:00:00,2025-05-02 10:05:00,0,TB,顺丰速运,12.00\n"
          "T3,u3,45.00,45.00,交易成功,江苏省,2025-05-03 10:00:00,2025-05-03 10:05:00,0,TB,顺丰速运,0\n")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_taobao_report_brings_its_carrier_and_postage(fresh_engine, backend):
    engine = fresh_engine(backend)
    outcome = service.ingest(engine, TAOBAO.encode("gbk"), "订单报表.csv", username="ana")
    assert outcome.prepared.detection.profile == "taobao_orders"
    mapping = outcome.prepared.detection.mapping
    assert (mapping["carrier"], mapping["shipping_cost"]) == ("物流公司", "买家应付邮费")
    by = queries.fulfilment_by(engine, Filters(date(2025, 5, 1), date(2025, 5, 31)), "carrier").set_index("key")
    assert by["orders"].to_dict() == {"中通快递": 1, "顺丰速运": 2}
    assert by.loc["顺丰速运", "avg_shipping_cost"] == 6.0 and by.loc["中通快递", "shipping_cost"] == 6.0
    # the report has no shipment times: nothing can be stuck, however long ago it was paid
    assert stuck.stuck_orders(engine, Filters(date(2025, 5, 1), date(2025, 5, 31)), datetime(2025, 7, 1)).empty


# ---------------------------------------------------------------- the page in AppTest


logistics_app = fixtures.shop_app(shop.load, "logistics")


TABS = {"stuck": "logistics.tab_stuck", "where": "logistics.tab_breakdown", "trend": "logistics.tab_trend",
        "effects": "logistics.tab_effects"}


def page(username="admin", start="2025-03-01", end="2025-03-07", tab=None, session=None, **params):
    at = h.logged_in("pages/logistics.py", username, timeout=120)
    at.query_params.update({"preset": "custom", "from": start, "to": end, **params})
    for key, value in (session or {}).items():
        at.session_state[key] = value
    if tab:
        at.session_state[f"logistics_tab_{params.get('lang', 'en')}"] = translate(TABS[tab], params.get("lang", "en"))
    return at.run()


def values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at, column: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_page_shows_speed_promise_and_stuck_orders(logistics_app, monkeypatch):
    h.configure(monkeypatch, *logistics_app)
    at = page(session={"logistics_ship_after": 24.0, "logistics_deliver_after": 5.0})
    assert not at.exception, at.exception
    got = values(at)
    assert got["On-time delivery"] == "25.00%" and got["On-time shipment"] == "66.67%"
    assert got["Order → delivery (days)"] == "4.00" and got["Payment → shipment"] == "24.0 h"
    assert got["Order → delivery P90 (days)"] == "5.32" and got["Payment → shipment P90"] == "3.0 d"
    assert got["Order → payment"] == "0.1 h" and got["Shipment → delivery (days)"] == "1.50"
    assert got["Late deliveries"] == "3" and got["Shipping cost / order"] == "¥10.67" and len(got) == 13
    text = h.all_text(at)
    assert "1 awaiting shipment" not in text and "2 awaiting shipment, 1 stuck in transit; 2 already past" in text
    stuck_rows = table_with(at, "Stuck at")
    assert stuck_rows["Order"].tolist() == ["L5", "L4", "L8"]
    assert stuck_rows["Stuck at"].tolist() == ["Stuck in transit", "Awaiting shipment", "Awaiting shipment"]


def test_page_tabs_in_chinese(logistics_app, monkeypatch):
    h.configure(monkeypatch, *logistics_app)
    at = page(tab="where", lang="zh")
    assert not at.exception, at.exception
    assert values(at)["准时送达率"] == "25.00%"
    table = table_with(at, "准时送达率")
    assert table["物流公司"].tolist() == ["ZTO", "顺丰速运", "无（门店自提或未发货）"]  # the demo courier, in Chinese
    at = page(tab="effects", lang="zh")
    assert not at.exception, at.exception
    assert "准时送达：5.00 星，复购 100.0% · 晚到：2.00 星，复购 33.3%。" in h.all_text(at)
    at = page(tab="trend", lang="zh")
    assert not at.exception, at.exception and len(at.get("arrow_vega_lite_chart")) == 2


def test_page_scope_and_empty_states(logistics_app, monkeypatch):
    h.configure(monkeypatch, *logistics_app)
    at = page("manager")  # S1 only: L4 (S2) is not listed
    assert not at.exception, at.exception
    assert values(at)["Late deliveries"] == "2" and "No order is stuck." in h.all_text(at)
    assert "No data for this selection" in h.all_text(page("nostores"))
    assert "No data for this selection" in h.all_text(page(start="2024-06-01", end="2024-06-07"))
    refused = page("marketer")  # not a role of this page
    assert translate("msg.access_denied", "en") in h.all_text(refused) and not refused.metric


def test_the_page_on_the_olist_sample(olist_url, olist_truth, tmp_path, monkeypatch):
    credentials = tmp_path / "credentials.yaml"
    h.write_users(credentials)
    h.configure(monkeypatch, olist_url, credentials)
    at = page(start="2016-01-01", end="2018-12-31")
    assert not at.exception, at.exception
    got = values(at)
    assert got["On-time delivery"] == f"{100 * olist_truth['on_time_rate']:.2f}%"
    assert got["Order → delivery (days)"] == f"{olist_truth['median_days']:.2f}"
