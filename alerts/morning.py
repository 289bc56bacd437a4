"""The morning job: evaluate the day's rules for every store and store the alerts that are not repeats.

A repeat is the same rule for the same store and SKU raised within cooldown_days before (whatever its state),
so a lasting problem is raised once a week, not every morning. The job runner calls run(engine, day).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from alerts import rules
from alerts import settings as alert_settings
from data_access.alerts import queries as q
from data_access.schema import create_schema


def alert_key(day: date, alert: dict) -> str:
    return "|".join([day.isoformat(), alert["rule"], alert["store_id"] or "", alert["sku"] or "",
                     str(alert["values"].get("channel") or alert["values"].get("campaign_id") or "")])


def _repeat_key(key: str) -> str:
    """The alert key without its day: rule, store, SKU and channel or campaign."""
    return key.split("|", 1)[1]


def run(engine: sa.Engine, day: date | None = None) -> list[dict]:
    """Evaluate and store `day`'s alerts (default yesterday); returns the alerts stored by this run.

    Idempotent: running a day again stores nothing new.
    """
    day = day or date.today() - timedelta(days=1)
    create_schema(engine)  # the alerts tables (defined in data_access.alerts.queries) on an older database
    cfg = alert_settings.load(engine)
    found = rules.evaluate(engine, day, None, cfg)
    cooldown = int(cfg["cooldown_days"])
    recent = q.recent_alert_keys(engine, day - timedelta(days=cooldown), day)
    seen = {_repeat_key(k) for k in recent["alert_key"]}
    now = datetime.now()
    rows, kept = [], []
    for alert in found:
        if _repeat_key(alert_key(day, alert)) in seen:
            continue
        kept.append(alert)
        rows.append({"alert_key": alert_key(day, alert), "day": day, "kind": alert["kind"], "rule": alert["rule"],
                     "store_id": alert["store_id"], "sku": alert["sku"], "severity": alert["severity"],
                     "title": alert["title"], "alert_values": json.dumps({"what": alert["what"], **alert["values"]}),
                     "link": json.dumps(alert["link"]), "state": "new", "created_at": now})
    q.save_alerts(engine, rows)
    q.record_check(engine, day, len(kept), now)
    return kept
