"""Marketing queries against hand-computed values on both backends, the Robyn import, and the page's pure helpers.

The hand-made shop (SHOP below): period 1-10 Mar 2025, previous 19-28 Feb 2025, last year 1-10 Mar 2024.
Net sales per order: O1 20, O2 8 (10 - 2 discount), O3 20 (a returned line left out), O4 10, O5 cancelled,
O6 45 (line-less: paid 50 - refund 5), O7 40, O8 10, O9 10 (previous period), O10 30 (last year), O11 10
(after the period), O12 10, O13 10.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from data_access import rollup_tables, rollups, schema
from data_access.bulk import bulk_insert
from data_access.filters import Filters
from data_access.marketing import queries as mq
from data_access.sources import robyn
from tests.conftest import BACKENDS, REAL_DATA
from tests.support import fixtures

PERIOD = (date(2025, 3, 1), date(2025, 3, 10))

STORES = pd.DataFrame([
    {"store_id": "S1", "name": "Shanghai Flagship", "name_zh": "上海旗舰店", "region": "East", "city": "Shanghai"},
    {"store_id": "S2", "name": "Beijing Sanlitun", "name_zh": "北京三里屯店", "region": "North", "city": "Beijing"},
])
PRODUCTS = pd.DataFrame([{"sku": "P1", "name": "Cup", "category": "A", "unit_cost": 4, "unit_price": 10}])


def _order(order_id, store, channel, customer, at, status="delivered", campaign=None, paid=None, refund=None):
    return {"order_id": order_id, "store_id": store, "channel": channel, "campaign_id": campaign,
            "customer_id": customer, "ordered_at": datetime.fromisoformat(at), "status": status,
            "paid_total": paid, "refund_total": refund}


ORDERS = pd.DataFrame([
    _order("O01", "S1", "paid_search", "A", "2025-03-02 10:00", campaign="C1"),
    _order("O02", "S1", "paid_search", "B", "2025-03-03 10:00", status="paid"),
    _order("O03", "S2", "paid_social", "C", "2025-03-04 10:00", campaign="C2"),
    _order("O04", "S1", "paid_social", "C", "2025-03-06 10:00"),
    _order("O05", "S2", "direct", "D", "2025-03-05 10:00", status="cancelled"),
    _order("O06", "S1", "email", "D", "2025-03-07 10:00", paid=50, refund=5),
    _order("O07", "S2", "direct", "E", "2025-03-08 10:00", status="shipped"),
    _order("O08", "S1", "paid_search", "F", "2025-03-10 23:00", campaign="C1"),
    _order("O09", "S2", "direct", "B", "2025-02-20 10:00"),
    _order("O10", "S1", "paid_search", "G", "2024-03-05 10:00"),
    _order("O11", "S1", "paid_search", "A", "2025-03-11 09:00"),
    _order("O12", "S1", "direct", "H", "2025-03-05 12:00"),
    _order("O13", "S1", "paid_search", "H", "2025-03-09 12:00"),
])
# (order, line, quantity, discount, returned); every unit is 10.
LINES = [("O01", 1, 2, 0, False), ("O02", 1, 1, 2, False), ("O03", 1, 2, 0, False), ("O03", 2, 1, 0, True),
         ("O04", 1, 1, 0, False), ("O05", 1, 5, 0, False), ("O07", 1, 4, 0, False), ("O08", 1, 1, 0, False),
         ("O09", 1, 1, 0, False), ("O10", 1, 3, 0, False), ("O11", 1, 1, 0, False), ("O12", 1, 1, 0, False),
         ("O13", 1, 1, 0, False)]
ORDER_ITEMS = pd.DataFrame([{"order_id": o, "line_no": n, "sku": "P1", "quantity": q, "unit_price": 10,
                             "discount": d, "returned": r} for o, n, q, d, r in LINES])


def _spend(day, channel, campaign, spend, impressions, clicks, conversions):
    return {"day": date.fromisoformat(day), "channel": channel, "campaign_id": campaign, "spend": spend,
            "impressions": impressions, "clicks": clicks, "conversions": conversions}


SPEND = pd.DataFrame([
    _spend("2025-03-01", "paid_search", "", 30, 1000, 50, 4),
    _spend("2025-03-05", "paid_search", "C1", 20, 1000, 30, 2),
    _spend("2025-03-11", "paid_search", "", 99, 1000, 10, 1),  # after the period
    _spend("2025-03-03", "paid_social", "", 40, 4000, 20, None),
    _spend("2025-03-04", "paid_social", "C2", 20, 1000, 10, None),
    _spend("2025-03-06", "paid_social", "FB1", 5, 200, 4, 1),  # an ad report's campaign, not in `campaigns`
    _spend("2025-03-02", "display", "", 10, 5000, 5, 0),
    _spend("2025-02-25", "paid_search", "", 25, 500, 10, 1),  # previous period
    _spend("2024-03-05", "paid_search", "", 15, None, None, None),  # last year
]).astype({"impressions": "Int64", "clicks": "Int64", "conversions": "Int64"})

CAMPAIGNS = pd.DataFrame([
    {"campaign_id": "C1", "name": "Spring search", "channel": "paid_search", "start_date": date(2025, 3, 1),
     "end_date": date(2025, 3, 10), "budget": 100, "objective": "acquisition"},
    {"campaign_id": "C2", "name": "Social push", "channel": "paid_social", "start_date": date(2025, 3, 4),
     "end_date": date(2025, 3, 6), "budget": 50, "objective": "conversion"},
    {"campaign_id": "C3", "name": "January mail", "channel": "email", "start_date": date(2025, 1, 1),
     "end_date": date(2025, 1, 31), "budget": 10, "objective": "retention"},
])

# Sessions per day x store x channel: O01 and O02 have traffic cells, O08 (10 Mar) does not; O03 (S2) does,
# O04 is in S1 while paid_social traffic of 6 Mar is in S2.
TRAFFIC = pd.DataFrame([
    {"day": date(2025, 3, 2), "store_id": "S1", "channel": "paid_search", "sessions": 40},
    {"day": date(2025, 3, 3), "store_id": "S1", "channel": "paid_search", "sessions": 60},
    {"day": date(2025, 3, 4), "store_id": "S2", "channel": "paid_social", "sessions": 100},
    {"day": date(2025, 3, 6), "store_id": "S2", "channel": "paid_social", "sessions": 50},
])


def load_shop(engine) -> None:
    schema.create_schema(engine)
    with engine.begin() as conn:
        for name, frame in (("stores", STORES), ("products", PRODUCTS), ("orders", ORDERS),
                            ("order_items", ORDER_ITEMS), ("marketing_spend", SPEND), ("campaigns", CAMPAIGNS),
                            ("traffic", TRAFFIC)):
            bulk_insert(conn, schema.metadata.tables[name], frame)


engine = fixtures.shop_engine(load_shop)


def period(**kw) -> Filters:
    return Filters(*PERIOD, **kw)


@pytest.mark.parametrize("backend", BACKENDS)
def test_marketing_figures_read_from_the_rollups_equal_the_order_history(fresh_engine, backend, monkeypatch):
    # B first bought in S2 (O09, before the period): new to S1 in the period, not new to the shop.
    engine = fresh_engine(backend)
    load_shop(engine)
    rollups.refresh(engine)
    assert rollup_tables.current(engine)
    views = (period(), period(stores=["S1"]), period(stores=["S2"]), period(channels=["paid_search"]),
             period(stores=[]))
    queries = (mq.channel_comparison, mq.marketing_totals, mq.campaign_performance,
               lambda e, f: mq.channel_trend(e, f, grain="day"), lambda e, f: mq.channel_trend(e, f, grain="week"))
    for f in views:
        with_rollups = [q(engine, f) for q in queries]
        with monkeypatch.context() as m:
            m.setattr(rollup_tables, "current", lambda engine: False)
            from_history = [q(engine, f) for q in queries]
        for got, want in zip(with_rollups, from_history, strict=True):
            pd.testing.assert_frame_equal(got, want, check_dtype=False)
    s1 = mq.marketing_totals(engine, period(stores=["S1"])).set_index("period")
    everywhere = mq.marketing_totals(engine, period()).set_index("period")
    # S1 gains B (first bought in S2, before the period) and loses E (bought only in S2): 6 either way
    assert s1.at["current", "new_customers"] == everywhere.at["current", "new_customers"] == 6


def by_channel(engine, f=None) -> pd.DataFrame:
    return mq.channel_comparison(engine, f or period()).set_index("channel")


# ---------------------------------------------------------------- channel comparison


def test_channel_comparison_every_metric_by_hand(engine):
    got = by_channel(engine)
    assert list(got.index) == ["paid_social", "paid_search", "display", "direct", "email"]  # spend, then revenue
    ps = got.loc["paid_search"]
    # spend rows of 1 and 5 Mar (11 Mar is after the period); orders O01 20, O02 8, O08 10, O13 10
    assert (ps["spend"], ps["impressions"], ps["clicks"], ps["platform_conversions"]) == (50, 2000, 80, 6)
    assert (ps["orders"], ps["attributed_revenue"], ps["sessions"]) == (4, 48, 100)
    assert ps["new_customers"] == 2  # A and F; B ordered before (O09), H first came through direct (O12)
    assert ps["ctr"] == pytest.approx(80 / 2000) and ps["cpc"] == pytest.approx(50 / 80)
    assert ps["cpm"] == pytest.approx(50 / 2000 * 1000) and ps["roas"] == pytest.approx(48 / 50)
    assert ps["cpa"] == pytest.approx(50 / 4) and ps["cac"] == pytest.approx(50 / 2)
    assert ps["conversion_rate"] == pytest.approx(2 / 100)  # O01 and O02 have traffic cells, O08 and O13 not
    social = got.loc["paid_social"]
    # conversions unknown on two rows, 1 on FB1's: the platform reported 1
    assert (social["spend"], social["impressions"], social["clicks"], social["platform_conversions"]) == (
        65, 5200, 34, 1)
    assert (social["orders"], social["attributed_revenue"], social["new_customers"]) == (2, 30, 1)
    assert social["ctr"] == pytest.approx(34 / 5200) and social["cpc"] == pytest.approx(65 / 34)
    assert social["cpm"] == pytest.approx(12.5) and social["roas"] == pytest.approx(30 / 65)
    assert social["cpa"] == pytest.approx(32.5) and social["cac"] == pytest.approx(65.0)
    assert social["conversion_rate"] == pytest.approx(1 / 150)  # O03 in S2 matches; O04 (S1) has no cell
    display = got.loc["display"]
    assert (display["spend"], display["orders"], display["roas"]) == (10, 0, 0.0)
    assert display["ctr"] == pytest.approx(0.001) and display["cpm"] == pytest.approx(2.0)
    assert np.isnan(display["cpa"]) and np.isnan(display["cac"]) and np.isnan(display["conversion_rate"])


def test_unpaid_channels_get_revenue_but_no_spend(engine):
    got = by_channel(engine)
    direct, email = got.loc["direct"], got.loc["email"]
    assert (direct["orders"], direct["attributed_revenue"], direct["new_customers"]) == (2, 50, 2)  # O05 cancelled
    assert (email["orders"], email["attributed_revenue"], email["new_customers"]) == (1, 45, 1)  # line-less 50 - 5
    for row in (direct, email):
        assert row["spend"] == 0 and np.isnan(row["impressions"]) and np.isnan(row["clicks"])
        assert all(np.isnan(row[c]) for c in ("ctr", "cpc", "cpm", "roas", "cpa", "cac"))


def test_shares_of_spend_and_revenue(engine):
    got = by_channel(engine)
    assert got["spend"].sum() == 125 and got["attributed_revenue"].sum() == 173
    assert got["spend_share"].to_dict() == pytest.approx(
        {"paid_social": 65 / 125, "paid_search": 50 / 125, "display": 10 / 125, "direct": 0.0, "email": 0.0})
    assert got.at["direct", "revenue_share"] == pytest.approx(50 / 173)
    assert got["revenue_share"].sum() == pytest.approx(1.0)


def test_a_store_selection_gets_no_shop_wide_spend(engine):
    got = by_channel(engine, period(stores=["S1"]))
    assert list(got.index) == ["paid_search", "email", "direct", "paid_social"]  # by revenue: 48, 45, 10, 10
    assert got.loc["paid_search", ["orders", "attributed_revenue", "new_customers"]].tolist() == [4, 48, 3]  # + B
    assert got.loc["paid_social", ["orders", "attributed_revenue", "new_customers"]].tolist() == [1, 10, 1]
    assert np.isnan(got.loc["paid_social", "conversion_rate"])  # no paid-social traffic in S1
    for col in ("spend", "impressions", "clicks", "roas", "cpa", "cac", "cpc", "ctr", "spend_share"):
        assert got[col].isna().all(), col
    assert mq.spend_applies(period()) and not mq.spend_applies(period(stores=["S1", "S2"]))


def test_channel_pick_and_new_customers_by_first_order(engine):
    got = by_channel(engine, period(channels=["paid_search"]))
    assert list(got.index) == ["paid_search"]
    assert got.loc["paid_search", ["spend", "orders", "attributed_revenue", "new_customers"]].tolist() == [
        50, 4, 48, 2]
    # H's first order was direct (O12): picking direct finds H, picking paid_search does not
    assert by_channel(engine, period(channels=["direct"])).at["direct", "new_customers"] == 2


def test_category_pick_does_not_apply(engine):
    picked = mq.channel_comparison(engine, period(categories=["B"]))
    pd.testing.assert_frame_equal(picked, mq.channel_comparison(engine, period()))


def test_empty_selections(engine):
    for f in (Filters(date(2020, 1, 1), date(2020, 1, 31)), period(stores=())):
        got = mq.channel_comparison(engine, f)
        assert got.empty and list(got.columns) == mq.CHANNEL_COLUMNS
        assert mq.channel_trend(engine, f).empty and mq.campaign_performance(engine, f).empty
    totals = mq.marketing_totals(engine, Filters(date(2020, 1, 1), date(2020, 1, 31))).set_index("period")
    assert totals.at["current", "spend"] == 0 and np.isnan(totals.at["current", "blended_roas"])


# ---------------------------------------------------------------- totals, trend, campaigns


def test_totals_with_blended_roas_and_comparisons(engine):
    got = mq.marketing_totals(engine, period()).set_index("period")
    cur = got.loc["current"]
    assert (cur["spend"], cur["revenue"], cur["orders"], cur["new_customers"]) == (125, 173, 9, 6)
    assert cur["blended_roas"] == pytest.approx(173 / 125) and cur["cac"] == pytest.approx(125 / 6)
    assert cur["cpa"] == pytest.approx(125 / 9) and cur["conversion_rate"] == pytest.approx(3 / 250)
    prev, ly = got.loc["previous"], got.loc["last_year"]
    assert (prev["start"], prev["end"]) == (date(2025, 2, 19), date(2025, 2, 28))
    assert (prev["spend"], prev["revenue"], prev["new_customers"]) == (25, 10, 1)
    assert prev["blended_roas"] == pytest.approx(0.4) and prev["cac"] == pytest.approx(25.0)
    assert (ly["spend"], ly["revenue"], ly["blended_roas"], ly["cac"]) == (15, 30, 2.0, 15.0)
    scoped = mq.marketing_totals(engine, period(stores=["S1"])).set_index("period").loc["current"]
    assert scoped["revenue"] == 48 + 10 + 45 + 10 and np.isnan(scoped["spend"]) and np.isnan(scoped["blended_roas"])


def test_channel_trend_by_week(engine):
    got = mq.channel_trend(engine, period(), grain="week")
    ps = got[got["channel"] == "paid_search"].set_index("period_start")
    assert list(ps.index) == list(pd.to_datetime(["2025-02-24", "2025-03-03", "2025-03-10"]))
    assert ps["spend"].tolist() == [30, 20, 0] and ps["attributed_revenue"].tolist() == [20, 18, 10]
    assert ps["orders"].tolist() == [1, 2, 1]
    assert ps["roas"].iloc[0] == pytest.approx(20 / 30) and np.isnan(ps["roas"].iloc[2])
    daily = mq.channel_trend(engine, period(), grain="day")
    assert daily["attributed_revenue"].sum() == 173 and daily["spend"].sum() == 125


def test_campaign_performance(engine):
    got = mq.campaign_performance(engine, period()).set_index("campaign_id")
    assert list(got.index) == ["C1", "C2", "FB1"]  # spend 20, 20 (C1 has more revenue), 5
    c1 = got.loc["C1"]
    assert (c1["name"], c1["channel"], c1["budget"], c1["start_date"]) == (
        "Spring search", "paid_search", 100, pd.Timestamp("2025-03-01"))
    assert (c1["spend"], c1["impressions"], c1["clicks"], c1["platform_conversions"]) == (20, 1000, 30, 2)
    assert (c1["orders"], c1["attributed_revenue"], c1["new_customers"]) == (2, 30, 2)  # O01, O08
    assert c1["ctr"] == pytest.approx(0.03) and c1["cpc"] == pytest.approx(20 / 30)
    assert c1["cpm"] == pytest.approx(20.0) and c1["platform_conversion_rate"] == pytest.approx(2 / 30)
    assert c1["roas"] == pytest.approx(1.5) and c1["cpa"] == pytest.approx(10.0)
    c2 = got.loc["C2"]
    assert (c2["orders"], c2["attributed_revenue"], c2["roas"], c2["cpa"]) == (1, 20, 1.0, 20.0)
    assert np.isnan(c2["platform_conversions"]) and np.isnan(c2["platform_conversion_rate"])
    fb = got.loc["FB1"]  # only in the spend table: the spend's channel, no name or dates
    assert fb["channel"] == "paid_social" and pd.isna(fb["name"]) and pd.isna(fb["start_date"])
    assert fb["platform_conversion_rate"] == pytest.approx(1 / 4) and fb["ctr"] == pytest.approx(4 / 200)
    assert fb["orders"] == 0 and fb["roas"] == 0 and np.isnan(fb["cpa"])
    one = mq.campaign_performance(engine, period(), campaign_id="C2")
    assert one["campaign_id"].tolist() == ["C2"] and one.at[0, "spend"] == 20
    scoped = mq.campaign_performance(engine, period(stores=["S1"])).set_index("campaign_id")
    assert list(scoped.index) == ["C1"] and np.isnan(scoped.at["C1", "spend"])  # C2's order is in S2


def test_campaigns_in_period(engine):
    got = mq.campaigns_in_period(engine, period())
    assert got["campaign_id"].tolist() == ["C2", "C1"]  # newest first; C3 ran in January
    assert got.at[0, "end_date"] == pd.Timestamp("2025-03-06") and got.at[0, "budget"] == 50
    assert mq.campaigns_in_period(engine, period(channels=["email"])).empty
    assert mq.campaigns_in_period(engine, Filters(date(2025, 1, 20), date(2025, 2, 1)))["campaign_id"].tolist() == [
        "C3"]


# ---------------------------------------------------------------- Robyn weekly marketing-mix data

ROBYN_FILE = REAL_DATA / "robyn_dt_simulated_weekly.csv"


@pytest.fixture(scope="module")
def robyn_truth() -> dict:
    """Figures computed straight from the CSV with the csv module (independent of the import)."""
    import csv

    with ROBYN_FILE.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    money = {c: sum(round(float(r[c]), 2) for r in rows) for c in ("revenue", "search_S", "facebook_S")}
    offline = sum(round(float(r["tv_S"]) + float(r["ooh_S"]) + float(r["print_S"]), 2) for r in rows)
    return {"weeks": len(rows), "first": rows[0]["DATE"], "last": rows[-1]["DATE"], "revenue": money["revenue"],
            "spend": {"offline": offline, "paid_search": money["search_S"], "paid_social": money["facebook_S"]},
            "clicks": sum(round(float(r["search_clicks_P"])) for r in rows),
            "impressions": sum(round(float(r["facebook_I"])) for r in rows),
            "event2": next(r for r in rows if r["events"] == "event2")}


robyn_engine = fixtures.shop_engine(lambda engine: robyn.load(engine, ROBYN_FILE))


def robyn_period(truth) -> Filters:
    return Filters(date.fromisoformat(truth["first"]), date.fromisoformat(truth["last"]))


def test_robyn_channel_table_matches_the_file(robyn_engine, robyn_truth):
    got = by_channel(robyn_engine, robyn_period(robyn_truth))
    assert list(got.index) == ["offline", "paid_search", "paid_social", "direct"]
    for channel, spend in robyn_truth["spend"].items():
        assert got.at[channel, "spend"] == pytest.approx(spend, abs=0.01)
    assert got.at["paid_search", "clicks"] == robyn_truth["clicks"]
    assert got.at["paid_social", "impressions"] == robyn_truth["impressions"]
    assert got.at["paid_search", "cpc"] == pytest.approx(robyn_truth["spend"]["paid_search"] / robyn_truth["clicks"])
    assert np.isnan(got.at["paid_search", "ctr"])  # search impressions are not in the file: unknown, not 0%
    assert (got.at["direct", "orders"], got.at["direct", "attributed_revenue"]) == (
        robyn_truth["weeks"], pytest.approx(robyn_truth["revenue"], abs=0.01))
    totals = mq.marketing_totals(robyn_engine, robyn_period(robyn_truth)).set_index("period").loc["current"]
    assert totals["blended_roas"] == pytest.approx(robyn_truth["revenue"] / sum(robyn_truth["spend"].values()))


def test_robyn_import_is_idempotent_and_makes_the_event_campaigns(robyn_engine, robyn_truth):
    before = mq.channel_comparison(robyn_engine, robyn_period(robyn_truth))
    counts = robyn.load(robyn_engine, ROBYN_FILE)
    assert counts == {"stores": 1, "orders": robyn_truth["weeks"], "marketing_spend": 3 * robyn_truth["weeks"],
                      "campaigns": 2}
    pd.testing.assert_frame_equal(mq.channel_comparison(robyn_engine, robyn_period(robyn_truth)), before)
    events = mq.campaigns_in_period(robyn_engine, robyn_period(robyn_truth))
    assert events["campaign_id"].tolist() == ["ROBYN-event2", "ROBYN-event1"]
    assert events.at[0, "start_date"] == pd.Timestamp(robyn_truth["event2"]["DATE"])


def test_robyn_errors_name_line_and_column(tmp_path):
    text = ROBYN_FILE.read_text(encoding="utf-8-sig").splitlines()
    bad = tmp_path / "robyn.csv"
    bad.write_text("\n".join([text[0], text[1], text[2].replace("2015-11-30", "30/11/2015")]), encoding="utf-8")
    with pytest.raises(robyn.RobynError, match=r"robyn.csv, line 3, column DATE: not a date"):
        robyn.read_file(bad)
    bad.write_text("DATE,revenue\n2015-11-23,1\n", encoding="utf-8")
    with pytest.raises(robyn.RobynError, match="missing columns"):
        robyn.read_file(bad)


@pytest.mark.slow
def test_robyn_effect_estimate_runs_on_the_weekly_revenue(robyn_engine, robyn_truth):
    from data_access.sales.customers import sales_trend
    from forecasting.campaign import estimate_effect

    weeks = sales_trend(robyn_engine, robyn_period(robyn_truth), grain="week")
    series = weeks.rename(columns={"period_start": "ds", "net_sales": "y"})[["ds", "y"]]
    controls = robyn.competitor_series(robyn.read_file(ROBYN_FILE)).rename(columns={"y": "competitor"})
    event = pd.Timestamp(robyn_truth["event2"]["DATE"])
    effect = estimate_effect(series, (event - pd.Timedelta(weeks=40), event - pd.Timedelta(days=1)),
                             (event, event + pd.Timedelta(days=6)), controls=controls, holidays=None)
    assert effect.actual_total == pytest.approx(round(float(robyn_truth["event2"]["revenue"]), 2), abs=0.01)
    assert effect.n_post == 1 and effect.n_pre == 40
    assert np.isfinite(effect.cumulative_effect) and effect.cumulative_lower < effect.cumulative_upper
    assert 0 <= effect.p_value <= 1


# ---------------------------------------------------------------- an ad-platform report at campaign level

FB_FILE = REAL_DATA / "fb_ads_KAG_conversion_data.csv"


@pytest.mark.parametrize("backend", BACKENDS)
def test_facebook_report_campaign_ctr_cpc_and_conversion_rate_match_the_file(fresh_engine, backend):
    """The Facebook ads report (one row per ad, no dates) as spend rows, one day per ad of a campaign, the way an
    import may land it; campaign_performance must give each campaign's CTR, CPC and conversion rate (platform
    conversions / clicks) as ratios of the file's sums, computed here with the csv module."""
    import csv
    from collections import defaultdict

    with FB_FILE.open(encoding="utf-8-sig") as fh:
        ads = list(csv.DictReader(fh))
    sums = defaultdict(lambda: defaultdict(float))
    rows, per_campaign = [], defaultdict(int)
    for ad in ads:
        campaign = ad["xyz_campaign_id"]
        for key, column in (("impressions", "Impressions"), ("clicks", "Clicks"), ("conversions", "Total_Conversion")):
            sums[campaign][key] += int(ad[column])
        sums[campaign]["spend"] += round(float(ad["Spent"]), 2)
        rows.append({"day": date(2010, 1, 1) + pd.Timedelta(days=per_campaign[campaign]).to_pytimedelta(),
                     "channel": "paid_social", "campaign_id": campaign, "spend": round(float(ad["Spent"]), 2),
                     "impressions": int(ad["Impressions"]), "clicks": int(ad["Clicks"]),
                     "conversions": int(ad["Total_Conversion"])})
        per_campaign[campaign] += 1
    engine = fresh_engine(backend)
    schema.create_schema(engine)
    with engine.begin() as conn:
        bulk_insert(conn, schema.marketing_spend, pd.DataFrame(rows))
    got = mq.campaign_performance(engine, Filters(date(2010, 1, 1), date(2012, 12, 31))).set_index("campaign_id")
    assert sorted(got.index) == sorted(sums) == ["1178", "916", "936"]
    for campaign, s in sums.items():
        row = got.loc[campaign]
        assert (row["impressions"], row["clicks"], row["platform_conversions"]) == (
            s["impressions"], s["clicks"], s["conversions"])
        assert row["ctr"] == pytest.approx(s["clicks"] / s["impressions"], rel=1e-12)
        assert row["cpc"] == pytest.approx(s["spend"] / s["clicks"], rel=1e-9)
        assert row["platform_conversion_rate"] == pytest.approx(s["conversions"] / s["clicks"], rel=1e-12)
        assert row["channel"] == "paid_social" and pd.isna(row["name"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_facebook_report_imported_through_the_ingest_path_matches_the_file(fresh_engine, backend):
    """Issue 6, point 4: the report goes in the way a marketer brings it (data_access.ingest: detected as
    marketing spend, day and channel given since the file has none) and campaign_performance reads back each
    campaign's CTR, CPC and conversion rate as the file's own ratios (computed here with pandas from the CSV)."""
    from data_access.ingest import service

    engine = fresh_engine(backend)
    schema.create_schema(engine)
    constants = {"day": "2017-08-17", "channel": "paid_social"}
    assert service.prepare(engine, FB_FILE, FB_FILE.name, constants=constants).detection.kind == "marketing_spend"
    service.ingest(engine, FB_FILE, FB_FILE.name, "marketing_spend", None, constants, username="marketer")
    raw = pd.read_csv(FB_FILE, encoding="utf-8-sig")
    sums = raw.groupby(raw["xyz_campaign_id"].astype(str))[["Impressions", "Clicks", "Spent", "Total_Conversion"]].sum()
    got = mq.campaign_performance(engine, Filters(date(2017, 8, 17), date(2017, 8, 17))).set_index("campaign_id")
    assert sorted(got.index) == sorted(sums.index)
    for campaign, s in sums.iterrows():
        row = got.loc[campaign]
        assert row["ctr"] == pytest.approx(s["Clicks"] / s["Impressions"], rel=1e-12)
        assert row["cpc"] == pytest.approx(s["Spent"] / s["Clicks"], abs=0.005 / s["Clicks"])  # cents stored
        assert row["platform_conversion_rate"] == pytest.approx(s["Total_Conversion"] / s["Clicks"], rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_local_campaigns_are_listed_for_their_stores_and_read_there(fresh_engine, backend):
    engine = fresh_engine(backend)
    load_shop(engine)
    with engine.begin() as conn:  # C2 was a local promotion of S2 (listed with spaces and twice, as typed)
        conn.execute(schema.campaigns.update().where(schema.campaigns.c.campaign_id == "C2")
                     .values(store_ids=" S2, S2 "))
    listed = mq.campaigns_in_period(engine, period()).set_index("campaign_id")
    assert listed.at["C2", "stores"] == ("S2",) and listed.at["C1", "stores"] is None
    assert list(mq.campaigns_in_period(engine, period(stores=["S1"]))["campaign_id"]) == ["C1"]
    assert sorted(mq.campaigns_in_period(engine, period(stores=["S2"]))["campaign_id"]) == ["C1", "C2"]
    everywhere = Filters.all_time()
    assert mq.effect_stores(("S2",), everywhere) == ("S2",)
    assert mq.effect_stores(None, Filters.all_time(("S1",))) == ("S1",)
    assert mq.effect_stores(("S1", "S2"), Filters.all_time(("S2", "S3"))) == ("S2",)
    assert mq.effect_stores(None, everywhere) is None
    assert mq.campaign_stores("") is None and mq.campaign_stores("S3,S1") == ("S1", "S3")


def test_channel_trend_applies_the_store_scope(engine):
    got = mq.channel_trend(engine, period(stores=["S2"]), grain="day")
    assert got[["channel", "attributed_revenue", "orders"]].values.tolist() == [
        ["paid_social", 20.0, 1], ["direct", 40.0, 1]]  # O03 on 4 Mar, O07 on 8 Mar
    assert got["spend"].isna().all() and got["roas"].isna().all()


# ---------------------------------------------------------------- the page's pure helpers


def test_campaign_frames_series_and_controls():
    from components.marketing.logic import campaign_frames

    days = pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-04", "2025-03-01", "2025-03-02", "2025-03-03",
                           "2025-03-04", "2025-03-02"])
    trend = pd.DataFrame({"period_start": days,
                          "channel": ["kol"] * 3 + ["direct"] * 4 + ["sms"],
                          "attributed_revenue": [10.0, 20.0, 40.0, 1.0, 2.0, 3.0, 4.0, 9.0],
                          "orders": [1, 2, 4, 1, 1, 1, 1, 1]})
    series, controls = campaign_frames(trend, "kol", "net_sales", date(2025, 3, 1), date(2025, 3, 4))
    assert series["y"].tolist() == [10.0, 20.0, 0.0, 40.0]  # 3 Mar had no kol orders: a zero day
    # direct sells every day and is a control; sms (1 day in 4) is too sparse
    assert list(controls.columns) == ["ds", "direct"] and controls["direct"].tolist() == [1.0, 2.0, 3.0, 4.0]
    total, none = campaign_frames(trend, None, "orders", date(2025, 3, 1), date(2025, 3, 4))
    assert total["y"].tolist() == [2.0, 4.0, 1.0, 5.0] and none is None  # an event campaign: all channels


def test_weekly_data_is_recognised():
    from components.marketing.logic import is_weekly

    mondays = pd.DataFrame({"period_start": pd.date_range("2025-01-06", periods=5, freq="W-MON")})
    assert is_weekly(mondays)
    assert not is_weekly(pd.DataFrame({"period_start": pd.date_range("2025-01-06", periods=20, freq="D")}))
    assert not is_weekly(mondays.head(2))


def test_effect_window():
    from components.marketing.logic import effect_window

    pre, post = effect_window(date(2025, 3, 10), date(2025, 3, 20), 56, date(2025, 3, 15))
    assert pre == (date(2025, 1, 13), date(2025, 3, 9)) and post == (date(2025, 3, 10), date(2025, 3, 15))
    assert effect_window(date(2025, 3, 10), date(2025, 3, 20), 56, date(2025, 3, 9)) is None


def test_cells_and_verdicts_in_both_languages():
    from types import SimpleNamespace

    from components.marketing import logic
    from components.tables import format_cell
    from forecasting.ab_test import ABInputError, two_proportion_test

    assert format_cell(np.nan, "money", "en") == "—" and format_cell(np.inf, "ratio", "en") == "—"
    assert format_cell(0.0123, "ratio", "en") == "1.23%" and format_cell(2.5, "decimal", "en") == "2.50"
    effect = SimpleNamespace(cumulative_effect=1234.5, cumulative_lower=200.0, cumulative_upper=2269.0,
                             relative_lift=0.125, p_value=0.0004, significant=True)
    assert logic.verdict(effect, "net_sales", "en") == (
        "Incremental sales of about ¥1,234.50 (+12.5% lift; 95% interval ¥200.00 to ¥2,269.00): likely real "
        "(p < 0.001).")
    noise = SimpleNamespace(cumulative_effect=-3.0, cumulative_lower=-9.0, cumulative_upper=3.0, relative_lift=-0.05,
                            p_value=0.31, significant=False)
    assert logic.verdict(noise, "orders", "zh") == (
        "增量订单约 -3（提升 -5.0%；95% 区间 -9 至 3）：与随机波动无法区分（p = 0.310）。")
    result = two_proportion_test(500, 10000, 560, 10000)
    assert logic.ab_summary(result, "en").startswith(
        "B converts at 5.60% vs A's 5.00%: a difference of +0.60 pts (95% interval -0.02 pts to +1.22 pts), p = 0.058")
    with pytest.raises(ABInputError) as raised:
        two_proportion_test(5, 10, 11, 10)
    assert logic.ab_error(raised.value, "zh") == "请检查B 组转化数：转化数不能超过访客数"
