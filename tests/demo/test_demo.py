"""Tests for the demo shop generator (data_access.demo): determinism, schema fit, planted realism, build, CLI."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import calendar, schema
from data_access.demo import build, demo_present, generate
from data_access.demo.__main__ import main as cli_main
from data_access.engine import create_engine

END = date(2025, 6, 30)


@pytest.fixture(scope="module")
def shop() -> dict[str, pd.DataFrame]:
    return generate("small", seed=42, end_date=END)


@pytest.fixture(scope="module")
def daily_net(shop) -> pd.Series:
    """Net sales per day by the metric definition: sold statuses, returned lines taken out."""
    orders, items = shop["orders"], shop["order_items"]
    sold = orders[orders["status"].isin(schema.SOLD_STATUSES)]
    lines = items[~items["returned"]].merge(sold[["order_id", "ordered_at"]], on="order_id")
    net = lines["quantity"] * lines["unit_price"] - lines["discount"]
    daily = net.groupby(lines["ordered_at"].dt.normalize()).sum()
    return daily.reindex(pd.date_range(pd.Timestamp(END) - pd.Timedelta(days=729), END), fill_value=0.0)


def _non_cancelled(shop) -> pd.DataFrame:
    return shop["orders"][shop["orders"]["status"] != "cancelled"]


def test_deterministic_for_seed_and_end_date(shop):
    again = generate("small", seed=42, end_date=END)
    assert set(again) == set(shop)
    for name, frame in shop.items():
        pd.testing.assert_frame_equal(again[name], frame, obj=name)
    other = generate("small", seed=7, end_date=END)
    assert not other["orders"].equals(shop["orders"])
    assert shop["orders"]["ordered_at"].max().date() == END
    assert shop["orders"]["ordered_at"].min().date() == date(2023, 7, 2)  # 730 days of history


def test_frames_fit_the_schema(shop):
    for name, frame in shop.items():
        table = schema.metadata.tables[name]
        assert list(frame.columns) == [c.name for c in table.columns], name
        key = [c.name for c in table.primary_key.columns]
        assert not frame.duplicated(key).any(), name
        for column in table.columns:
            if not column.nullable:
                assert frame[column.name].notna().all(), f"{name}.{column.name}"


def test_foreign_keys_hold(shop):
    stores, skus = set(shop["stores"]["store_id"]), set(shop["products"]["sku"])
    orders, items = shop["orders"], shop["order_items"]
    order_ids, customers = set(orders["order_id"]), set(shop["customers"]["customer_id"])
    campaigns = set(shop["campaigns"]["campaign_id"])
    assert set(orders["store_id"]) <= stores and set(orders["customer_id"]) <= customers
    assert set(orders["channel"]) <= set(schema.CHANNELS) and set(orders["status"]) <= set(schema.ORDER_STATUSES)
    assert set(orders["campaign_id"].dropna()) <= campaigns
    assert set(items["order_id"]) == order_ids and set(items["sku"]) <= skus  # every order has lines
    assert set(shop["inventory"]["store_id"]) == stores and set(shop["inventory"]["sku"]) == skus
    assert set(shop["traffic"]["store_id"]) <= stores and set(shop["traffic"]["channel"]) <= set(schema.CHANNELS)
    spend = shop["marketing_spend"]
    assert spend["campaign_id"].notna().all() and set(spend["campaign_id"]) - {""} <= campaigns
    assert set(shop["reviews"]["order_id"].dropna()) <= order_ids
    assert set(shop["tickets"]["order_id"].dropna()) <= order_ids
    assert set(shop["tickets"]["customer_id"].dropna()) <= customers
    assert set(shop["campaign_truth"]["campaign_id"]) == campaigns


def test_order_totals_and_lifecycle(shop):
    orders, items = shop["orders"], shop["order_items"]
    net = (items["quantity"] * items["unit_price"] - items["discount"]).groupby(items["order_id"]).sum()
    refunds = (items["quantity"] * items["unit_price"] - items["discount"]).where(items["returned"], 0.0)
    paid = orders.set_index("order_id")
    counted = paid["paid_at"].notna()
    assert np.allclose(paid.loc[counted, "paid_total"], net[paid.index[counted]], atol=0.011)
    assert np.allclose(paid.loc[counted, "refund_total"], refunds.groupby(items["order_id"]).sum()[paid.index[counted]],
                       atol=0.011)
    cancelled = paid[paid["status"] == "cancelled"]
    assert 0.01 < len(cancelled) / len(paid) < 0.06 and cancelled["paid_at"].isna().all()
    returned = paid[paid["status"] == "returned"]
    assert 0.01 < len(returned) / len(paid) < 0.06
    assert (returned["refund_total"] == returned["paid_total"]).all()
    partial = paid[(paid["status"] == "delivered") & (paid["refund_total"] > 0)]
    assert len(partial) > 0 and (partial["refund_total"] < partial["paid_total"]).all()
    assert {"pending", "paid", "shipped"} <= set(paid.loc[paid["ordered_at"] > pd.Timestamp(END) - pd.Timedelta(days=3),
                                                          "status"])
    days = (paid["promised_at"] - paid["ordered_at"]).dt.days
    assert days.between(2, 4).all()
    customers = shop["customers"].set_index("customer_id")
    first = orders.sort_values("ordered_at", kind="stable").groupby("customer_id").first()
    assert (customers["first_order_at"] == first["ordered_at"][customers.index]).all()
    assert (customers["acquisition_channel"] == first["channel"][customers.index]).all()


def test_shopping_calendar_peaks_and_dips(daily_net):
    def around(day: pd.Timestamp, days: int = 14) -> pd.Series:
        return daily_net[day - pd.Timedelta(days=days) : day + pd.Timedelta(days=days)].drop(day)

    for year in (2023, 2024):
        d11 = pd.Timestamp(year, 11, 11)
        assert daily_net[d11] > 2 * around(d11).median()
    for year in (2024, 2025):
        d618 = pd.Timestamp(year, 6, 18)
        assert daily_net[d618] > 1.5 * around(d618, 12).median()
    for new_year in calendar.spring_festival_dates([2024, 2025]):
        day = pd.Timestamp(new_year)
        week = daily_net[day - pd.Timedelta(days=3) : day + pd.Timedelta(days=3)].mean()
        before = daily_net[day - pd.Timedelta(days=42) : day - pd.Timedelta(days=14)].median()
        assert week < 0.7 * before


def test_weekly_pattern(shop):
    per_day = _non_cancelled(shop).groupby(shop["orders"]["ordered_at"].dt.normalize()).size()
    by_weekday = per_day.groupby(per_day.index.day_of_week).mean()
    assert by_weekday[[5, 6]].mean() > 1.1 * by_weekday[[1, 2]].mean()


def test_late_deliveries_get_lower_ratings(shop):
    orders = shop["orders"]
    late = (orders["delivered_at"] - orders["promised_at"]).dt.total_seconds() / 86400
    reviews = shop["reviews"].merge(orders[["order_id"]].assign(late=late), on="order_id")
    on_time = reviews.loc[reviews["late"] <= 0, "rating"].mean()
    very_late = reviews.loc[reviews["late"] >= 1, "rating"].mean()
    assert on_time > 4.0 and very_late < on_time - 0.7
    share = reviews["order_id"].nunique() / orders["delivered_at"].notna().sum()
    assert 0.15 <= share <= 0.25
    nps = shop["reviews"]["nps"].dropna()
    assert 0.2 < len(nps) / len(shop["reviews"]) < 0.4 and nps.between(0, 10).all()


def test_stock_outs_exist_but_are_few(shop):
    zero = (shop["inventory"]["on_hand"] == 0).mean()
    assert 0.002 < zero < 0.08


def test_inventory_identity(shop):
    """on_hand(d) = on_hand(d-1) + received(d) - sold(d); sold = units of non-cancelled orders' lines that day."""
    inv = shop["inventory"].assign(day=pd.to_datetime(shop["inventory"]["snapshot_date"]))
    assert len(inv) == 730 * len(shop["stores"]) * len(shop["products"])
    orders = _non_cancelled(shop)[["order_id", "store_id", "ordered_at"]]
    lines = shop["order_items"].merge(orders, on="order_id")
    sold = lines.groupby([lines["ordered_at"].dt.normalize().rename("day"), "store_id", "sku"])["quantity"].sum()
    key = ["day", "store_id", "sku"]
    inv = inv.set_index(key).sort_index()
    inv["sold"] = sold.reindex(inv.index, fill_value=0)
    assert inv["sold"].sum() == lines["quantity"].sum()  # every sale happened at a stocked store x SKU
    grouped = inv.groupby(level=["store_id", "sku"])
    received = inv["on_hand"] - grouped["on_hand"].shift() + inv["sold"]
    previous_on_order = grouped["on_order"].shift()
    received, previous_on_order = received.dropna(), previous_on_order.dropna()
    assert (inv["on_hand"] >= 0).all() and (inv["on_order"] >= 0).all()
    assert (received >= 0).all()  # stock never appears from nowhere nor sells below zero
    assert (received <= previous_on_order).all()  # only what was on order arrives
    assert 0.005 < (received > 0).mean() < 0.3  # deliveries are events, not daily trickles


def test_campaign_truth_and_schedule(shop):
    truth, campaigns = shop["campaign_truth"], shop["campaigns"]
    assert 10 <= len(campaigns) <= 16
    assert truth[["true_channel_lift", "expected_incremental_orders", "incremental_orders",
                  "incremental_net_sales"]].notna().all().all()
    assert (truth["true_channel_lift"] == 0).sum() in (1, 2) and truth["true_channel_lift"].max() >= 0.6
    assert (truth.loc[truth["true_channel_lift"] == 0, "incremental_orders"] == 0).all()
    assert truth["incremental_orders"].sum() > 0
    # the campaign list names the stores the planted lift ran in
    assert dict(zip(campaigns["campaign_id"], campaigns["store_ids"], strict=True)) == dict(
        zip(truth["campaign_id"], truth["store_ids"], strict=True))
    start, end = pd.to_datetime(campaigns["start_date"]), pd.to_datetime(campaigns["end_date"])
    assert ((end - start).dt.days + 1).between(7, 21).all()
    assert (start >= pd.Timestamp(END) - pd.Timedelta(days=729 - 56)).all()
    stores = truth["store_ids"].str.split(",")
    for i in range(len(campaigns)):
        window = pd.date_range(start[i], end[i])
        assert not calendar.event_mask(window, margin=20).any()
        assert not calendar.event_mask(pd.date_range(start[i] - pd.Timedelta(days=56), start[i])).any()
        for j in range(i + 1, len(campaigns)):
            if set(stores[i]) & set(stores[j]):
                assert end[i] + pd.Timedelta(days=56) < start[j] or end[j] + pd.Timedelta(days=56) < start[i]


def test_big_lift_campaigns_raise_their_channel(shop):
    orders = _non_cancelled(shop)
    day = orders["ordered_at"].dt.normalize()
    actual = expected = 0.0
    big = shop["campaign_truth"][shop["campaign_truth"]["true_channel_lift"] >= 0.5]
    for row in big.itertuples():
        campaign = shop["campaigns"].set_index("campaign_id").loc[row.campaign_id]
        start, end = pd.Timestamp(campaign["start_date"]), pd.Timestamp(campaign["end_date"])
        mine = (orders["channel"] == row.channel) & orders["store_id"].isin(row.store_ids.split(","))
        pre_rate = (mine & (day >= start - pd.Timedelta(days=56)) & (day < start)).sum() / 56
        actual += (mine & (day >= start) & (day <= end)).sum()
        expected += pre_rate * ((end - start).days + 1)
    assert len(big) >= 1 and actual > 1.1 * expected


def test_traffic_funnel_and_spend(shop):
    traffic, orders = shop["traffic"], shop["orders"]
    counted = orders.groupby([orders["ordered_at"].dt.normalize(), "store_id", "channel"]).size()
    key = pd.MultiIndex.from_arrays([pd.to_datetime(traffic["day"]), traffic["store_id"], traffic["channel"]])
    assert set(counted.index) <= set(key)
    # traffic without an order: only the planted checkout outage's cells (their visitors came, none could buy)
    outage = shop["demo_events"].iloc[0]
    assert {(d, s) for d, s, _ in set(key) - set(counted.index)} <= {(pd.Timestamp(outage["day"]), outage["store_id"])}
    n_orders = counted.reindex(key).fillna(0).to_numpy()
    assert (traffic["sessions"] > traffic["product_views"]).all()
    assert (traffic["product_views"] > traffic["add_to_carts"]).all()
    assert (traffic["add_to_carts"] > traffic["checkouts"]).all()
    assert (traffic["checkouts"].to_numpy() >= n_orders).all()
    assert 0.01 < n_orders.sum() / traffic["sessions"].sum() < 0.06
    spend, campaigns = shop["marketing_spend"], shop["campaigns"].set_index("campaign_id")
    always_on = spend[spend["campaign_id"] == ""]
    assert len(always_on) == 730 * always_on["channel"].nunique() and (always_on["spend"] > 0).all()
    by_campaign = spend[spend["campaign_id"] != ""].groupby("campaign_id")["spend"].sum()
    assert np.allclose(by_campaign, campaigns.loc[by_campaign.index, "budget"], atol=0.1)
    assert (spend["clicks"] <= spend["impressions"]).all()


def test_customers_repeat_but_most_buy_once(shop):
    orders = _non_cancelled(shop)
    per_customer = shop["orders"].groupby("customer_id").size()
    assert (per_customer >= 2).sum() > 1000 and (per_customer == 1).mean() > 0.55
    month = orders["ordered_at"].dt.to_period("M")
    counts = orders.groupby([month, "customer_id"]).size()
    repurchase = (counts >= 2).groupby(level=0).mean()
    assert 0.08 < repurchase.iloc[6:].median() < 0.25


def test_service_data(shop):
    tickets, reviews = shop["tickets"], shop["reviews"]
    assert 0.03 <= tickets["order_id"].notna().sum() / len(shop["orders"]) <= 0.06
    assert tickets["resolved_at"].isna().any() and tickets["first_response_at"].isna().any()
    assert set(tickets.loc[tickets["resolved_at"].isna(), "status"]) <= {"open", "pending"}
    answered = tickets[tickets["first_response_at"].notna()]
    assert (answered["first_response_at"] >= answered["created_at"]).all()
    assert tickets["csat"].dropna().between(1, 5).all() and tickets["order_id"].isna().any()
    assert reviews["order_id"].isna().any() and reviews["rating"].between(1, 5).all()
    chinese = reviews["comment"].str.contains(r"[\u4e00-\u9fff]")
    assert 0.7 < chinese.mean() < 0.95


def test_build_loads_every_table_and_rebuilds(shop, tmp_path):
    url = f"duckdb:///{tmp_path}/t.duckdb"
    empty = create_engine(f"duckdb:///{tmp_path}/empty.duckdb")
    try:
        assert not demo_present(empty)
        schema.create_schema(empty)
        assert not demo_present(empty)
    finally:
        empty.dispose()
    counts = build(url, scale="small", seed=42, end_date=END)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            in_db = {name: conn.execute(sa.select(sa.func.count()).select_from(schema.metadata.tables[name])).scalar()
                     for name in counts}
        assert in_db == counts
        assert {name: len(frame) for name, frame in shop.items() if name != "demo_meta"} == {
            name: n for name, n in counts.items() if name != "demo_meta"}
        assert counts["demo_meta"] == len(shop["demo_meta"]) + 1  # plus generated_at
        assert demo_present(engine)
    finally:
        engine.dispose()
    assert build(url, scale="small", seed=42, end_date=END) == counts


def test_cli_bad_url_is_one_line_and_exit_2():
    done = subprocess.run([sys.executable, "-m", "data_access.demo", "--url", "bad://x", "--scale", "small"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")


def test_cli_if_missing_skips_a_built_database(tmp_path, capsys):
    url = f"duckdb:///{tmp_path}/cli.duckdb"
    assert cli_main(["--url", url, "--scale", "small", "--end-date", "2025-06-30"]) == 0
    assert "order_items" in capsys.readouterr().out
    assert cli_main(["--url", url, "--scale", "small", "--if-missing"]) == 0
    assert "nothing to do" in capsys.readouterr().out


@pytest.mark.postgres
def test_build_into_postgresql(database_url_factory, shop):
    url = database_url_factory("postgresql")
    counts = build(url, scale="small", seed=42, end_date=END)
    assert counts["orders"] == len(shop["orders"]) and counts["inventory"] == len(shop["inventory"])
    assert build(url, scale="small", seed=42, end_date=END) == counts  # rebuild replaces, never appends
    engine = create_engine(url)
    try:
        assert demo_present(engine)
        with engine.connect() as conn:
            spend = conn.execute(sa.select(sa.func.count()).where(schema.marketing_spend.c.campaign_id == "")).scalar()
            nulls = conn.execute(sa.select(sa.func.count()).where(schema.reviews.c.order_id.is_(None))).scalar()
            comment = conn.execute(sa.select(schema.reviews.c.comment).where(schema.reviews.c.review_id == "R0000001"))
            comment = comment.scalar()
        assert spend == (shop["marketing_spend"]["campaign_id"] == "").sum()
        assert nulls == shop["reviews"]["order_id"].isna().sum()
        assert comment == shop["reviews"]["comment"].iloc[0]
    finally:
        engine.dispose()
