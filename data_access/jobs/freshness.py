"""How fresh the data is: last import, last forecast run, whether the rollups are current, the newest order."""

from __future__ import annotations

import sqlalchemy as sa

from data_access import rollup_tables
from data_access.audit import IMPORT
from data_access.inventory import forecast_store
from data_access.schema import audit_log, orders


def freshness(engine: sa.Engine) -> dict:
    """last_import (datetime|None), last_forecast (datetime|None), rollups_current (bool), newest_order
    (datetime|None). Not store-level: when data arrived, not what it holds."""
    with engine.connect() as conn:
        last_import = conn.execute(sa.select(sa.func.max(audit_log.c.at)).where(audit_log.c.action == IMPORT)).scalar()
        newest = conn.execute(sa.select(sa.func.max(orders.c.ordered_at))).scalar()
    run = forecast_store.latest_run(engine)
    return {"last_import": last_import, "last_forecast": run["finished_at"] if run else None,
            "rollups_current": rollup_tables.current(engine), "newest_order": newest}

