"""The demo shop behaves like a well-run one (figures in bands, README's demo section), its planted events, the
stock projection with on-order arrivals, and the urgency order of the "needs attention" lists."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from components.attention import top_rows
from components.inventory import logic as inventory_logic
from components.overview import logic as overview_logic
from components.tables import has_default_index
from data_access.demo import generate, text
from data_access.demo.catalog import make_catalog
from data_access.demo.tickets import BACKLOG_DAYS, BACKLOG_SURGE_PER_DAY
from data_access.satisfaction.sla import DEFAULT_SLA_TARGETS
from forecasting import shop_health

END = date(2026, 12, 1)


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return generate("small", seed=42, end_date=END)


@pytest.fixture(scope="module")
def default_shop() -> dict[str, pd.DataFrame]:
    return generate("default", seed=42, end_date=END)


# ---------------------------------------------------------------- distribution (README, "Demo data")

@pytest.mark.slow
def test_default_demo_looks_like_a_well_run_shop(default_shop):
    """The inventory page's three counts each stay under 10% of series; most tickets meet their SLA; the open
    backlog is days old (a few forgotten tickets reach into weeks)."""
    figures = shop_health.stock_figures(shop_health.stock_plan(default_shop))
    assert figures["series"] == 12 * 400
    assert 0.0005 <= figures["share_at_risk"] < 0.03
    assert 0.01 <= figures["share_reorder"] < 0.10
    assert 0.01 <= figures["share_overstock"] < 0.10
    service = shop_health.service_figures(default_shop["tickets"], DEFAULT_SLA_TARGETS)
    assert 0.70 <= service["sla_attainment"] <= 0.90
    assert 1 <= service["backlog_median_days"] <= 5
    assert service["backlog_max_days"] <= 60


def test_small_demo_stock_is_mostly_healthy(small):
    figures = shop_health.stock_figures(shop_health.stock_plan(small))
    # The small shop is all slow movers: a unit on the shelf is weeks of cover, so overstock runs higher.
    assert figures["share_at_risk"] < 0.06 and figures["share_reorder"] < 0.25 and figures["share_overstock"] < 0.35
    assert figures["share_out_of_stock"] < 0.05


def test_expected_arrival_is_there_exactly_when_stock_is_on_order(small):
    inv = small["inventory"]
    on_order = inv["on_order"] > 0
    assert inv.loc[on_order, "expected_arrival"].notna().all()
    assert inv.loc[~on_order, "expected_arrival"].isna().all()
    arrival = pd.to_datetime(inv.loc[on_order, "expected_arrival"])
    placed_at_least = pd.to_datetime(inv.loc[on_order, "snapshot_date"]) - pd.Timedelta(days=60)
    assert (arrival > placed_at_least).all()


# ---------------------------------------------------------------- planted events (alerts rely on this contract)

def test_demo_events_contract(small):
    events = small["demo_events"]
    assert list(events.columns) == ["id", "kind", "store_id", "sku", "day", "what"]
    assert list(events["what"]) == ["conversion_drop", "stockout_soon", "ticket_backlog", "shipping_stall"]
    assert list(events["kind"]) == ["sales", "stock", "service", "fulfilment"]
    days_before_end = (pd.Timestamp(END) - pd.to_datetime(events["day"])).dt.days
    assert days_before_end.between(0, 7).all()
    assert events["sku"].isna().tolist() == [True, False, True, True]
    assert events["store_id"].nunique() >= len(events) - 1  # only the stock-out may share a store
    assert set(events["store_id"]) <= set(small["stores"]["store_id"])


def test_conversion_drops_on_the_last_day(small):
    """A checkout outage in the event store's online shop: its visitors come, a fraction of them buy."""
    event = small["demo_events"].iloc[0]
    orders = small["orders"][(small["orders"]["status"] != "cancelled") & (small["orders"]["channel"] != "offline")]
    traffic = small["traffic"]
    rates = {}
    for name, day in (("last", END), ("before", date(2026, 11, 24))):
        mine = orders[orders["ordered_at"].dt.date == day].groupby("store_id").size()
        sessions = traffic[pd.to_datetime(traffic["day"]).dt.date == day].groupby("store_id")["sessions"].sum()
        rates[name] = mine.reindex(sessions.index, fill_value=0) / sessions
    ratio = rates["last"] / rates["before"]
    assert ratio[event["store_id"]] < 0.3  # its conversion falls to a fraction
    assert ratio.drop(event["store_id"]).median() > 0.5  # the other stores' does not
    visitors = traffic[traffic["store_id"] == event["store_id"]].groupby("day")["sessions"].sum()
    assert visitors.iloc[-1] > 0.5 * visitors.iloc[-29:-1].median()  # the visitors still came


def test_planted_stockout_runs_out_before_its_delivery(small):
    event = small["demo_events"].iloc[1]
    inv = small["inventory"]
    cell = inv[(inv["store_id"] == event["store_id"]) & (inv["sku"] == event["sku"])]
    last = cell.iloc[-1]
    assert last["on_order"] > 0 and last["on_hand"] > 0
    lines = small["order_items"].merge(small["orders"][["order_id", "store_id", "ordered_at", "status"]],
                                       on="order_id")
    recent = lines["ordered_at"] >= pd.Timestamp(END) - pd.Timedelta(days=27)
    mine = lines[(lines["store_id"] == event["store_id"]) & (lines["sku"] == event["sku"])
                 & (lines["status"] != "cancelled") & recent]
    rate = mine["quantity"].sum() / 28
    days_left = last["on_hand"] / rate
    arrives_in = (pd.Timestamp(last["expected_arrival"]) - pd.Timestamp(END)).days
    assert days_left < arrives_in, "the stock runs out before the postponed delivery is expected"
    plan = shop_health.stock_plan(small).set_index(["store_id", "sku"])
    row = plan.loc[(event["store_id"], event["sku"])]
    assert row["days_to_stockout"] <= row["lead_time"]  # the inventory page lists it as at risk


def test_backlog_store_leaves_its_recent_tickets_unanswered(small):
    event = small["demo_events"].iloc[2]
    tickets = small["tickets"]
    since = pd.Timestamp(event["day"])
    mine = tickets[(tickets["store_id"] == event["store_id"]) & (tickets["created_at"] >= since)]
    others = tickets[(tickets["store_id"] != event["store_id"]) & (tickets["created_at"] >= since)]
    assert mine["first_response_at"].isna().all() and mine["resolved_at"].isna().all()
    per_day = mine.groupby(mine["created_at"].dt.date).size()
    assert len(per_day) == BACKLOG_DAYS and (per_day >= BACKLOG_SURGE_PER_DAY).all()  # it grows every day
    assert others["first_response_at"].notna().mean() > 0.8


def test_stalled_warehouse_ships_nothing_paid_since_its_day(small):
    event = small["demo_events"].iloc[3]
    orders = small["orders"]
    since = pd.Timestamp(event["day"])
    online = orders["channel"] != "offline"
    mine = orders[(orders["store_id"] == event["store_id"]) & (orders["paid_at"] >= since) & online
                  & (orders["status"] != "returned")]
    assert len(mine) >= 5 and (mine["status"] == "paid").all() and mine["shipped_at"].isna().all()
    assert mine["carrier"].isna().all()
    others = orders[(orders["store_id"] != event["store_id"]) & (orders["paid_at"] >= since)
                    & (orders["paid_at"] < pd.Timestamp(END) - pd.Timedelta(days=2)) & online]
    assert others["shipped_at"].notna().mean() > 0.95


def test_couriers_differ_in_speed_and_price(small):
    orders = small["orders"]
    shipped = orders[orders["shipped_at"].notna() & (orders["channel"] != "offline")]
    assert shipped["carrier"].notna().all() and shipped["shipping_cost"].gt(0).all()
    assert orders.loc[orders["channel"] == "offline", "carrier"].isna().all()
    done = shipped[shipped["delivered_at"].notna()]
    transit = ((done["delivered_at"] - done["shipped_at"]).dt.total_seconds() / 86400).groupby(done["carrier"])
    cost = shipped.groupby("carrier")["shipping_cost"].mean()
    assert transit.median()["SF Express"] < transit.median()["ZTO Express"] < transit.median()["China Post EMS"]
    assert cost["SF Express"] > cost["JD Logistics"] > cost["China Post EMS"] > cost["ZTO Express"]


def test_product_names_make_sense():
    names = make_catalog(15, 500, np.random.default_rng(42)).products["name"]
    assert names.is_unique
    assert not names.str.contains("Hair Dryer.*10000mAh|Yoga Mat.*Size|Sheet Mask.*ml|Diapers.*Pink").any()
    for cat, fits in text.ITEM_SPECS.items():
        items, specs = text.PRODUCT_WORDS[cat]
        assert len(fits) == len(items) and all(0 <= s < len(specs) for f in fits for s in f), cat


# ---------------------------------------------------------------- projection with arrivals (by hand)

def _forecast(values, start="2026-12-02") -> pd.DataFrame:
    return pd.DataFrame({"ds": pd.date_range(start, periods=len(values)), "yhat": values})


SNAP = pd.Timestamp("2026-12-01")


def test_projection_takes_the_arrival_on_its_expected_day():
    fc = _forecast([3.0] * 5)
    # 7 on hand, 10 arriving on day 3: 4, 1, 1 + 10 - 3 = 8, 5, 2
    got = inventory_logic.stock_projection(fc, 7, SNAP, on_order=10, expected_arrival="2026-12-04")
    assert got["on_hand_projected"].tolist() == [4.0, 1.0, 8.0, 5.0, 2.0]
    assert pd.isna(inventory_logic.projected_stockout(fc, 7, SNAP, 10, "2026-12-04"))
    # 5 on hand, 10 arriving on day 4: 2, 0 (one unit of demand lost), 0, 10 - 3 = 7, 4; out on day 2
    got = inventory_logic.stock_projection(fc, 5, SNAP, on_order=10, expected_arrival="2026-12-05")
    assert got["on_hand_projected"].tolist() == [2.0, 0.0, 0.0, 7.0, 4.0]
    assert inventory_logic.projected_stockout(fc, 5, SNAP, 10, "2026-12-05") == pd.Timestamp("2026-12-03")


def test_projection_without_a_date_or_with_a_late_delivery():
    fc = _forecast([4.0] * 4)
    unknown = inventory_logic.stock_projection(fc, 10, SNAP, on_order=16, expected_arrival=None)
    assert unknown["on_hand_projected"].tolist() == [6.0, 2.0, 0.0, 0.0]  # not counted without a date
    assert inventory_logic.projected_stockout(fc, 10, SNAP, 16, None) == pd.Timestamp("2026-12-04")
    late = inventory_logic.stock_projection(fc, 10, SNAP, on_order=16, expected_arrival="2026-11-28")
    assert late["on_hand_projected"].tolist() == [22.0, 18.0, 14.0, 10.0]  # overdue: counted from tomorrow
    assert inventory_logic.projected_stockout(fc, 0, SNAP, 16, "2026-12-03") == SNAP  # nothing on hand now


def test_flat_stockout_step_matches_the_projection():
    # rate 3/day: 7 on hand and 10 arriving on day 3 last until 17 / 3 -> day 6; arriving on day 4 with 5 on hand,
    # it is out on day 2 first
    steps = shop_health.flat_stockout_step([3, 3, 3, 3], [7, 5, 0, 7], [10, 10, 5, 10], [3, 4, 1, np.nan])
    assert steps[:3].tolist() == [6.0, 2.0, 0.0] and steps[3] == 3.0


# ---------------------------------------------------------------- urgency order

def test_tickets_past_sla_lead_with_todays_urgent_breaches_and_group_the_old():
    as_of = datetime(2026, 12, 2)
    tickets = pd.DataFrame({
        "ticket_id": ["T1", "T2", "T3", "T4", "T5"],
        "priority": ["normal", "urgent", "low", "high", "urgent"],
        "created_at": pd.to_datetime(["2026-12-01 09:00", "2026-12-01 20:00", "2026-11-25 00:00", "2024-12-01 00:00",
                                      "2026-11-20 00:00"]),
        "overdue_hours": [5.0, 3.0, 100.0, 17000.0, 250.0],
    })
    recent, old = overview_logic.tickets_by_urgency(tickets, as_of)
    # breached in the last day, urgent first; then the rest by newest breach; the two-year-old one apart
    assert recent["ticket_id"].tolist() == ["T2", "T1", "T3", "T5"]
    assert old["ticket_id"].tolist() == ["T4"]
    assert has_default_index(recent) and has_default_index(old)


def test_overview_stockout_risk_soonest_first_and_skips_deliveries_in_time():
    stock = pd.DataFrame({
        "snapshot_date": pd.Timestamp("2026-12-01"), "store_id": ["S1", "S1", "S2", "S2"],
        "sku": ["A", "B", "C", "D"], "on_hand": [2, 9, 4, 4], "on_order": [0, 0, 20, 20],
        "expected_arrival": pd.to_datetime([None, None, "2026-12-03", "2026-12-20"]),
        "avg_daily_units": [1.0, 3.0, 1.0, 1.0], "days_of_cover": [2.0, 3.0, 4.0, 4.0],
        "lead_time_days": [7, 7, 7, 7],
    })
    risk = overview_logic.stockout_risk(stock.iloc[::-1])
    assert risk["sku"].tolist() == ["A", "B", "D"]  # C's delivery comes before its stock is gone
    assert has_default_index(risk)


def test_overstock_list_puts_the_most_excess_stock_first():
    rows = pd.DataFrame({
        "store_id": ["S1", "S1", "S2"], "sku": ["A", "B", "C"], "name": "x", "category": "Home", "abc_class": "C",
        "on_hand": [100, 40, 12], "avg_daily_units": [1.0, 0.0, 0.1], "days_of_cover": [100.0, np.nan, 120.0],
        "target_cover_days": [14, 14, 14], "overstock": True,
    })
    out = inventory_logic.overstock_list(rows)
    # excess over 3 x 14 x rate: A 100 - 42 = 58, B all 40 (sold nothing), C 12 - 4 = 8
    assert out["sku"].tolist() == ["A", "B", "C"] and out["excess_units"].tolist() == [58, 40, 8]


def test_top_rows_and_filtered_frames_show_no_index():
    df = pd.DataFrame({"x": range(30)}).iloc[5:]
    assert has_default_index(df)  # what is left of 0..n-1 after filtering is still row positions
    assert top_rows(df, show_all=False)["x"].tolist() == list(range(5, 15))
    assert len(top_rows(df, show_all=True)) == 25
    assert not has_default_index(df.set_index("x"))
