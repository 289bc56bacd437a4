"""Alerts on the demo data set against its planted truth (demo_events): every event alerted and explained, quiet
weeks quiet (issue 16, "Done when")."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pandas as pd
import pytest
import sqlalchemy as sa

from alerts import morning, rules
from alerts.explain import explain_day
from data_access.engine import create_engine

pytestmark = pytest.mark.slow

#: The factor a planted sales event must come out as, per its what code.
FACTOR_OF = {"conversion_drop": "conversion", "traffic_drop": "visitors", "aov_drop": "aov"}


@pytest.fixture(scope="module")
def demo(demo_app, tmp_path_factory):
    # A copy: morning.run writes alerts, and the session's demo_app is shared with other modules.
    import shutil

    source = demo_app[0].removeprefix("duckdb:///")
    copy = tmp_path_factory.mktemp("alerts_demo") / "shop.duckdb"
    shutil.copyfile(source, copy)
    engine = create_engine(f"duckdb:///{copy}")
    yield engine
    engine.dispose()


def _events(engine) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT kind, store_id, sku, day, what FROM demo_events ORDER BY day")).fetchall()
    return pd.DataFrame(rows, columns=["kind", "store_id", "sku", "day", "what"])


def test_every_demo_event_is_alerted_and_explained(demo):
    """An event's day is the first day it is in the data; it is alerted on one of the days from then to the end
    of the data (a stock-out becomes news once it is nearer than a delivery, a backlog once it has grown)."""
    events = _events(demo)
    assert not events.empty
    with demo.connect() as conn:
        last = pd.Timestamp(conn.execute(sa.text("SELECT max(CAST(ordered_at AS DATE)) FROM orders")).scalar()).date()
    found_on = {}
    for e in events.itertuples():
        first = pd.Timestamp(e.day).date()
        sku = e.sku if isinstance(e.sku, str) else None
        days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
        for day in days:
            if day not in found_on:
                found_on[day] = {(a["kind"], a["store_id"], a["sku"], a["what"]): a for a in rules.evaluate(demo, day)}
        hits = [found_on[d][(e.kind, e.store_id, sku, e.what)] for d in days
                if (e.kind, e.store_id, sku, e.what) in found_on[d]]
        assert hits, (e, days)
        if e.kind == "stock":  # the postponed delivery is the one it runs out before
            v = hits[0]["values"]
            assert v["delivery_on_order"] and v["gap_days"] > 0 and v["stockout_date"] < v["next_delivery"], v
    for e in events[events["kind"] == "sales"].itertuples():
        if e.what in FACTOR_OF:  # explained on its own day: the top factor and the top store
            day = pd.Timestamp(e.day).date()
            own = explain_day(demo, day, (e.store_id,))
            top = min(own["factors"], key=lambda f: f["contribution"])
            assert top["name"] == FACTOR_OF[e.what], own["factors"]
            shop = explain_day(demo, day)
            stores = [c for c in shop["contributors"] if c["dimension"] == "store"]
            assert min(stores, key=lambda c: c["contribution"])["key"] == e.store_id


def test_quiet_weeks_on_the_demo(demo):
    """Four weeks ending five weeks before the demo's last day (before any planted event): at most about one
    alert per store per week once repeats are held back (the issue's bound: about one, so one)."""
    with demo.connect() as conn:
        last = conn.execute(sa.text("SELECT max(CAST(ordered_at AS DATE)) FROM orders")).scalar()
    end = pd.Timestamp(last).date() - timedelta(days=35)
    days = [end - timedelta(days=k) for k in range(27, -1, -1)]
    stored = [a for d in days for a in morning.run(demo, d)]
    per_store = Counter(a["store_id"] for a in stored if a["store_id"] is not None)
    weekly = {s: n / 4 for s, n in per_store.items()}
    print("alerts per store per week on the demo:", weekly)
    assert all(v <= 1.0 for v in weekly.values()), weekly
    # and the shop as a whole is not flooded either: under half an alert per store and week on average
    assert sum(per_store.values()) / 4 / len(pd.read_sql("SELECT store_id FROM stores", demo)) < 0.5, per_store
