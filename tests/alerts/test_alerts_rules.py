"""Alert rules on a shop with planted events: each event alerted, store scope kept, quiet weeks quiet."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest

from alerts import morning, rules
from alerts import settings as alert_settings
from data_access.alerts import queries as q
from data_access.filters import Filters
from tests.support import alerts_shop, fixtures

shop = fixtures.shop_engine(alerts_shop.load)


def _found(alerts):
    return {(a["kind"], a["store_id"], a["sku"], a["what"]) for a in alerts}


def test_every_planted_event_is_alerted(shop):
    found = rules.evaluate(shop, alerts_shop.LAST)
    assert set(alerts_shop.PLANTED) <= _found(found)
    for a in found:
        assert {"kind", "store_id", "sku", "severity", "title", "values"} <= set(a)
        assert a["kind"] in ("stock", "sales", "service", "marketing")
    drop = next(a for a in found if a["what"] == "conversion_drop")
    assert drop["values"]["value"] < 0.7 * drop["values"]["expected"]
    assert drop["values"]["basis"] == "same_weekday_history"


def test_store_scope_is_respected(shop):
    found = rules.evaluate(shop, alerts_shop.LAST, stores=("S1",))
    assert found and {a["store_id"] for a in found} == {"S1"}
    assert rules.evaluate(shop, alerts_shop.LAST, stores=()) == []


def test_thresholds_are_settings(shop):
    cfg = alert_settings.load(shop)
    cfg["sales.min_orders"] = 10_000  # every store is too small to be checked now
    assert not [a for a in rules.evaluate(shop, alerts_shop.LAST, cfg=cfg) if a["kind"] == "sales"]
    with pytest.raises(ValueError, match="unknown alert setting"):
        alert_settings.save(shop, "nope", 1)
    with pytest.raises(ValueError, match="needs a number"):
        alert_settings.save(shop, "sales.z", "high")
    alert_settings.save(shop, "marketing.no_order_spend", 5000, "admin")
    try:
        assert alert_settings.load(shop)["marketing.no_order_spend"] == 5000
        found = rules.evaluate(shop, alerts_shop.LAST)
        assert ("marketing", None, None, "spend_no_orders") not in _found(found)
    finally:
        alert_settings.save(shop, "marketing.no_order_spend", alert_settings.DEFAULTS["marketing.no_order_spend"][0])


def test_quiet_weeks_raise_at_most_about_one_alert_per_store_per_week(shop):
    last_quiet = alerts_shop.LAST - timedelta(days=7)
    days = [last_quiet - timedelta(days=k) for k in range(27, -1, -1)]
    stored = [a for d in days for a in morning.run(shop, d)]
    per_store = Counter(a["store_id"] for a in stored)
    weeks = len(days) / 7
    assert all(n / weeks <= 1.0 for n in per_store.values()), per_store
    # running a day again stores nothing new
    assert morning.run(shop, days[-1]) == []


def test_morning_run_stores_and_states(shop):
    stored = morning.run(shop, alerts_shop.LAST)
    assert set(alerts_shop.PLANTED) <= _found(stored)
    s1 = q.list_alerts(shop, Filters.all_time(("S1",)), states=("new",), since=alerts_shop.LAST)
    assert set(s1["store_id"]) == {"S1"}
    alert_id = int(s1["id"].iloc[0])
    # another store's manager cannot touch it
    assert not q.set_alert_state(shop, Filters.all_time(("S2",)), alert_id, "acknowledged", "bob")
    assert q.set_alert_state(shop, Filters.all_time(("S1",)), alert_id, "snoozed", "ann",
                             snoozed_until=alerts_shop.LAST)
    later = q.list_alerts(shop, Filters.all_time(("S1",)), as_of=alerts_shop.LAST + timedelta(days=1))
    assert later.loc[later["id"] == alert_id, "state"].item() == "new"  # the snooze ran out
    assert q.set_alert_state(shop, Filters.all_time(), alert_id, "resolved", "admin")
    assert q.list_alerts(shop, Filters.all_time(("S1",))).set_index("id").loc[alert_id, "state"] == "resolved"
    with pytest.raises(ValueError):
        q.set_alert_state(shop, Filters.all_time(), alert_id, "gone")


def test_cli_lists_alerts_without_storing(fresh_engine):
    engine = fresh_engine("duckdb")
    alerts_shop.load(engine)
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    done = subprocess.run([sys.executable, "-m", "alerts", "--url", url, "--day", alerts_shop.LAST.isoformat(),
                           "--json"], capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    assert set(alerts_shop.PLANTED) <= _found(found)
    from data_access.engine import create_engine

    engine = create_engine(url)
    try:
        assert q.list_alerts(engine, Filters.all_time()).empty
    finally:
        engine.dispose()


def test_stock_gap_is_the_days_without_stock_before_the_next_delivery():
    import pandas as pd

    day = alerts_shop.LAST
    ts = pd.Timestamp(day)
    rows = pd.DataFrame({
        # late delivery on order; an in-time one; nothing on order; an overdue one
        "on_hand": [17, 10, 4, 2], "on_order": [31, 20, 0, 10], "mean_daily_demand": [2.0, 2.0, 1.0, 1.0],
        "stockout_date": [ts + pd.Timedelta(days=d) for d in (8, 5, 4, 2)],
        "expected_arrival": [ts + pd.Timedelta(days=13), ts + pd.Timedelta(days=3), pd.NaT,
                             ts - pd.Timedelta(days=2)],
        "lead_time": [9, 9, 9, 5], "no_forecast": [True] * 4,
    })
    gap = pd.DataFrame(rules.stock_gap(rows, day))
    assert gap["gap_days"].tolist() == [5, 9 - 15, 5, 5 - 12]
    assert gap["delivery_on_order"].tolist() == [True, False, False, False]
    assert gap["next_delivery"].iloc[0] == day + timedelta(days=13)
    assert gap["days_to_stockout"].tolist() == [8, 15, 4, 12]  # what is on order in time counts


def test_morning_run_records_the_day_it_checked_even_when_quiet(fresh_engine):
    from data_access.schema import create_schema

    engine = fresh_engine("duckdb")
    create_schema(engine)
    assert q.last_checked_day(engine) is None
    assert morning.run(engine, alerts_shop.LAST) == []  # an empty shop: nothing to raise, but the day is checked
    assert q.last_checked_day(engine) == alerts_shop.LAST
    morning.run(engine, alerts_shop.LAST - timedelta(days=3))  # an older day does not move it back
    assert q.last_checked_day(engine) == alerts_shop.LAST
