"""Alerts on the demo data set against its planted truth (demo_events).

NEEDS MERGE: demo_events is added by the demo engineer's branch, so test_every_demo_event_is_alerted_and_explained
fails on the alerts branch alone (no such table) and passes once both are merged. The quiet-stretch test runs on
the demo as it is.
"""

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
    events = _events(demo)
    assert not events.empty
    for day, planted in events.groupby("day"):
        day = pd.Timestamp(day).date()
        found = {(a["kind"], a["store_id"], a["sku"], a["what"]) for a in rules.evaluate(demo, day)}
        for e in planted.itertuples():
            sku = e.sku if isinstance(e.sku, str) else None
            assert (e.kind, e.store_id, sku, e.what) in found, (e, sorted(found, key=str))
            if e.kind == "sales" and e.what in FACTOR_OF:
                own = explain_day(demo, day, (e.store_id,))
                top = min(own["factors"], key=lambda f: f["contribution"])
                assert top["name"] == FACTOR_OF[e.what], own["factors"]
                shop = explain_day(demo, day)
                stores = [c for c in shop["contributors"] if c["dimension"] == "store"]
                assert min(stores, key=lambda c: c["contribution"])["key"] == e.store_id


def test_quiet_weeks_on_the_demo(demo):
    """Four weeks ending five weeks before the demo's last day (before any planted event): at most about one
    alert per store per week once repeats are held back."""
    with demo.connect() as conn:
        last = conn.execute(sa.text("SELECT max(CAST(ordered_at AS DATE)) FROM orders")).scalar()
    end = pd.Timestamp(last).date() - timedelta(days=35)
    days = [end - timedelta(days=k) for k in range(27, -1, -1)]
    stored = [a for d in days for a in morning.run(demo, d)]
    per_store = Counter(a["store_id"] for a in stored if a["store_id"] is not None)
    weekly = {s: n / 4 for s, n in per_store.items()}
    print("alerts per store per week on the demo:", weekly)
    assert all(v <= 1.5 for v in weekly.values()), weekly
