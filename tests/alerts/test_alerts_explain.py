"""The sales-change decomposition: exact LMDI factors, zero visitors, a new store, contributors with mix vs rate."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import date, datetime

import pandas as pd
import pytest

from alerts import explain
from alerts.decompose import log_mean, shapley, split
from data_access import schema
from data_access.bulk import bulk_insert
from tests.support import fixtures

DAY = date(2025, 6, 10)
BASE = date(2025, 6, 3)


# ---------------------------------------------------------------- pure maths


def test_log_mean_hand_values():
    assert log_mean(1000, 500) == pytest.approx(500 / math.log(2), rel=1e-12)
    assert log_mean(7.0, 7.0) == 7.0
    with pytest.raises(ValueError):
        log_mean(0, 1)


def test_lmdi_three_factors_hand_computed():
    # V: 100 visitors x 2% x 50 = 100 -> 120 x 1.5% x 55 = 99; L(99, 100) = 1 / ln(100/99) = 99.4992
    parts = split([100, 0.02, 50], [120, 0.015, 55])
    assert parts == pytest.approx([18.1408422, -28.6241253, 9.4832831], abs=1e-6)  # L x ln 1.2, ln 0.75, ln 1.1
    assert sum(parts) == pytest.approx(-1.0, abs=1e-12)


def test_shapley_when_a_factor_is_zero():
    # 0 visitors -> 10 visitors x 0.5 x 4: only visitors moved, so the whole change (20) is theirs
    assert split([0, None, None], [10, 0.5, 4]) == pytest.approx([20, 0, 0])
    # two factors both moving from zero share the change evenly by symmetry
    assert shapley([0, 0], [2, 3]) == pytest.approx([3, 3])


def test_negative_net_sales_still_add_up():
    parts = split([10, -5.0], [12, 3.0])
    assert sum(parts) == pytest.approx(12 * 3.0 - 10 * -5.0)


def test_cell_with_zero_visitors_uses_orders_times_aov():
    # a traffic row with 0 sessions but orders: conversion is undefined, so orders x AOV
    parts = explain.cell_factors({"net_sales": 100.0, "orders": 4, "sessions": 0},
                                 {"net_sales": 150.0, "orders": 5, "sessions": 0})
    assert set(parts) == {"orders", "aov"}
    lm = log_mean(150, 100)
    assert parts["orders"] == pytest.approx(lm * math.log(5 / 4))
    assert parts["aov"] == pytest.approx(lm * math.log(30 / 25))
    assert sum(parts.values()) == pytest.approx(50.0)


def test_new_cell_with_traffic_is_all_visitors():
    parts = explain.cell_factors(explain.EMPTY, {"net_sales": 90.0, "orders": 3, "sessions": 60})
    assert parts == pytest.approx({"visitors": 90.0, "conversion": 0.0, "aov": 0.0})


def test_refund_without_orders_is_an_aov_change():
    parts = explain.cell_factors({"net_sales": 0.0, "orders": 0, "sessions": 10},
                                 {"net_sales": -20.0, "orders": 0, "sessions": 10})
    assert sum(parts.values()) == pytest.approx(-20.0)
    assert parts["aov"] == pytest.approx(-20.0)


# ---------------------------------------------------------------- a planted shop on both backends


def _orders(prefix, day, store, channel, n, sku, qty, price):
    orders, lines = [], []
    for i in range(n):
        oid = f"{prefix}{i:03d}"
        orders.append({"order_id": oid, "store_id": store, "channel": channel, "customer_id": f"C{prefix}{i}",
                       "ordered_at": datetime.combine(day, datetime.min.time()).replace(hour=10),
                       "status": "delivered", "paid_total": qty * price, "refund_total": 0})
        lines.append({"order_id": oid, "line_no": 1, "sku": sku, "quantity": qty, "unit_price": price,
                      "discount": 0, "returned": False})
    return orders, lines


def load_change_shop(engine) -> None:
    """Base day: S1 direct 1000 visitors, 20 orders x 50; S1 live_stream 500 visitors, 10 orders x 20; S2 nothing.
    Day: S1 direct 1000 visitors, 10 orders x 50 (conversion 2% -> 1%); S1 live_stream 600 visitors, 12 x 20
    (visitors only); S2 (new, no traffic data) 3 orders x 10."""
    schema.create_schema(engine)
    parts = [_orders("A", BASE, "S1", "direct", 20, "P2", 1, 50),
             _orders("B", BASE, "S1", "live_stream", 10, "P1", 2, 10),
             _orders("C", DAY, "S1", "direct", 10, "P2", 1, 50),
             _orders("D", DAY, "S1", "live_stream", 12, "P1", 2, 10),
             _orders("E", DAY, "S2", "direct", 3, "P1", 1, 10)]
    traffic = pd.DataFrame([
        {"day": BASE, "store_id": "S1", "channel": "direct", "sessions": 1000},
        {"day": BASE, "store_id": "S1", "channel": "live_stream", "sessions": 500},
        {"day": DAY, "store_id": "S1", "channel": "direct", "sessions": 1000},
        {"day": DAY, "store_id": "S1", "channel": "live_stream", "sessions": 600},
    ])
    with engine.begin() as conn:
        bulk_insert(conn, schema.stores, pd.DataFrame([{"store_id": "S1", "name": "One"},
                                                       {"store_id": "S2", "name": "Two"}]))
        bulk_insert(conn, schema.products, pd.DataFrame([
            {"sku": "P1", "name": "Cup", "category": "A", "unit_price": 10},
            {"sku": "P2", "name": "Kettle", "category": "B", "unit_price": 50}]))
        bulk_insert(conn, schema.orders, pd.DataFrame([o for os_, _ in parts for o in os_]))
        bulk_insert(conn, schema.order_items, pd.DataFrame([li for _, ls in parts for li in ls]))
        bulk_insert(conn, schema.traffic, traffic)


change_engine = fixtures.shop_engine(load_change_shop)


def _by(rows, dimension):
    return {r["key"]: r for r in rows if r["dimension"] == dimension}


def test_day_factors_add_up_and_match_hand_values(change_engine):
    out = explain.explain_day(change_engine, DAY)
    assert out["compare_day"] == BASE.isoformat()
    assert out["change"] == pytest.approx(770 - 1200)
    factors = {f["name"]: f["contribution"] for f in out["factors"]}
    # S1's channels together: 1500 -> 1600 visitors, 30 -> 22 orders, 1200 -> 740; weight L(740, 1200);
    # S2 (no traffic): orders 0 -> 3 at 10 each, all orders (AOV takes the other period's value)
    weight = (740 - 1200) / (math.log(740) - math.log(1200))
    assert factors == pytest.approx({"visitors": weight * math.log(1600 / 1500),
                                     "conversion": weight * math.log((22 / 1600) / (30 / 1500)),
                                     "orders": 30.0, "aov": weight * math.log((740 / 22) / (1200 / 30))}, abs=1e-9)
    assert factors["conversion"] == pytest.approx(-356.536, abs=0.001)
    assert sum(factors.values()) == pytest.approx(out["change"], abs=1e-9)
    assert out["traffic"] == "partial"
    head = out["headline"]
    assert (head["store_id"], head["channel"], head["factor"]) == ("S1", "direct", "conversion")
    assert head["before"] == pytest.approx(0.02) and head["after"] == pytest.approx(0.01)


def test_contributors_mix_and_rate(change_engine):
    out = explain.explain_day(change_engine, DAY)
    stores = _by(out["contributors"], "store")
    assert stores["S1"]["contribution"] == pytest.approx(-460) and stores["S2"]["contribution"] == pytest.approx(30)
    # S2 is new and has no traffic rows: its sales are a mix change
    assert stores["S2"]["mix"] == pytest.approx(30) and stores["S2"]["rate"] == pytest.approx(0)
    assert list(stores) == ["S1", "S2"]  # a fall lists the biggest fall first
    cats = _by(out["contributors"], "category")
    # B: 20 units x 50 -> 10 units x 50, of 40 -> 37 units: activity L(500,1000) ln(37/40), the rest is mix
    assert cats["B"]["rate"] == pytest.approx(0, abs=1e-9)
    assert cats["B"]["activity"] == pytest.approx(-56.2373646, abs=1e-6)
    assert cats["B"]["mix"] == pytest.approx(-443.7626354, abs=1e-6)
    for row in out["contributors"]:
        assert row["activity"] + row["mix"] + row["rate"] == pytest.approx(row["contribution"], abs=1e-9)
    channels = _by(out["contributors"], "channel")
    assert sum(r["contribution"] for r in channels.values()) == pytest.approx(out["change"])
    products = _by(out["contributors"], "product")
    assert products["P2"]["contribution"] == pytest.approx(-500)


def test_store_scope_and_no_traffic(change_engine):
    only_new = explain.explain_day(change_engine, DAY, stores=("S2",))
    assert only_new["traffic"] == "none" and only_new["basis"] == "orders"
    assert [f["name"] for f in only_new["factors"]] == ["orders", "aov"]
    assert only_new["change"] == pytest.approx(30) and only_new["change_pct"] is None
    assert {r["key"] for r in only_new["contributors"] if r["dimension"] == "store"} == {"S2"}
    nothing = explain.explain_day(change_engine, DAY, stores=())
    assert nothing["change"] == 0 and nothing["headline"] is None
    assert sum(f["contribution"] for f in nothing["factors"]) == 0


def test_cli_prints_the_contract(fresh_engine):
    engine = fresh_engine("duckdb")
    load_change_shop(engine)
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()  # DuckDB lets one process hold the file
    done = subprocess.run([sys.executable, "-m", "alerts.explain", "--url", url, "--day", DAY.isoformat(),
                           "--store", "S1", "--json"], capture_output=True, text=True, check=True)
    out = json.loads(done.stdout)
    assert out["change"] == pytest.approx(740 - 1200)
    assert sum(f["contribution"] for f in out["factors"]) == pytest.approx(out["change"])
    assert {"dimension", "key", "contribution"} <= set(out["contributors"][0])


def test_waterfall_bars_end_at_the_new_total():
    from components.alerts.charts import waterfall, waterfall_frame

    frame = waterfall_frame(1200.0, [("visitors", 40.0), ("conversion", -500.0), ("aov", 30.0)], "before", "after")
    assert list(frame["label"]) == ["before", "visitors", "conversion", "aov", "after"]
    assert frame["end"].iloc[-1] == pytest.approx(770.0)
    assert list(frame["kind"]) == ["total", "up", "down", "up", "total"]
    # each factor bar starts where the previous ended
    assert (frame["start"].iloc[1:-1].to_numpy() == frame["end"].iloc[:-2].to_numpy()).all()
    assert waterfall(frame, "Net sales").to_dict()["mark"]["type"] == "bar"


def test_a_small_store_hopping_channels_is_read_as_conversion():
    """Two orders from 40 visitors on one channel last week, one from 40 on another today: conversion halved.
    Cell by cell it would read as one channel's visitors lost and another's won."""
    before = {("S", "direct"): {"net_sales": 200.0, "orders": 2, "sessions": 40}}
    after = {("S", "display"): {"net_sales": 100.0, "orders": 1, "sessions": 40}}
    sums = explain.store_factors(before, after, {("S", "direct"): True, ("S", "display"): True})
    assert sums == pytest.approx({"visitors": 0.0, "conversion": -100.0, "aov": 0.0}, abs=1e-9)


def test_any_period_against_the_one_before(change_engine):
    """The sales page's comparison: the week up to DAY against the seven days before it (which hold BASE)."""
    from datetime import timedelta

    from data_access.filters import Filters

    out = explain.explain_vs_previous(change_engine, Filters(DAY - timedelta(days=6), DAY))
    assert (out["compare_start"], out["compare_end"]) == ((DAY - timedelta(days=13)).isoformat(), BASE.isoformat())
    assert out["change"] == pytest.approx(770 - 1200)
    assert sum(f["contribution"] for f in out["factors"]) == pytest.approx(out["change"], abs=1e-9)
    day = explain.explain_day(change_engine, DAY)
    assert out["factors"] == day["factors"]
