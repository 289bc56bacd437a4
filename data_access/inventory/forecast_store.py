"""What the forecast batch job reads (daily demand, stock-out days) and writes (runs and their results)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa

from data_access.bulk import bulk_insert
from data_access.filters import Filters
from data_access.read import read_frame
from data_access.schema import (
    forecast_backtests,
    forecast_failures,
    forecast_runs,
    forecast_series,
    forecasts,
    inventory,
    order_items,
    orders,
    products,
)
from data_access.scope import in_scope

#: Statuses of a run that produced forecasts (partial = some series failed and were skipped).
FINISHED = ("ok", "partial")
RESULT_TABLES = (forecasts, forecast_series, forecast_backtests, forecast_failures)


def history_end(engine: sa.Engine, f: Filters) -> date | None:
    """The last day of history in f's stores (f's dates are not used): the latest inventory snapshot, else the
    last order day (None when neither)."""
    with engine.connect() as conn:
        snap = conn.execute(sa.select(sa.func.max(inventory.c.snapshot_date))
                            .where(in_scope(inventory.c.store_id, f))).scalar()
        if snap is None:
            snap = conn.execute(sa.select(sa.func.max(orders.c.ordered_at))
                                .where(in_scope(orders.c.store_id, f))).scalar()
    return pd.Timestamp(snap).date() if snap is not None else None


def _demand_conditions(f: Filters) -> list:
    """Non-cancelled orders of f's days and stores (channels and categories do not apply to demand)."""
    return [orders.c.ordered_at >= f.start_at, orders.c.ordered_at < f.end_before, orders.c.status != "cancelled",
            in_scope(orders.c.store_id, f)]


def daily_units(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Units demanded per store, SKU and day of f: quantity of every line of non-cancelled orders (returned lines
    included: they were demand). Columns: store_id, sku, day (date), units (int)."""
    day = sa.cast(orders.c.ordered_at, sa.Date)
    stmt = (sa.select(orders.c.store_id, order_items.c.sku, day.label("day"),
                      sa.cast(sa.func.sum(order_items.c.quantity), sa.BigInteger).label("units"))
            .select_from(orders.join(order_items, order_items.c.order_id == orders.c.order_id))
            .where(*_demand_conditions(f))
            .group_by(orders.c.store_id, order_items.c.sku, day))
    return read_frame(engine, stmt, bulk=True)


def stockout_days(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Days of f that ended with nothing on hand (demand that day is censored). Columns: store_id, sku, day (date)."""
    inv = inventory.c
    stmt = (sa.select(inv.store_id, inv.sku, inv.snapshot_date.label("day"))
            .where(inv.snapshot_date >= f.start, inv.snapshot_date <= f.end, inv.on_hand <= 0,
                   in_scope(inv.store_id, f)))
    return read_frame(engine, stmt, bulk=True)


def catalogue_cells(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Every store x SKU of f's stores to forecast: stocked at the last snapshot up to f.end or sold in f's days.

    Columns: store_id, sku, category ('' when the product is unknown). Sorted by store and SKU.
    """
    stocked = sa.select(inventory.c.store_id, inventory.c.sku).where(
        inventory.c.snapshot_date == sa.select(sa.func.max(inventory.c.snapshot_date))
        .where(inventory.c.snapshot_date <= f.end, in_scope(inventory.c.store_id, f)).scalar_subquery(),
        in_scope(inventory.c.store_id, f))
    sold = (sa.select(orders.c.store_id, order_items.c.sku)
            .select_from(orders.join(order_items, order_items.c.order_id == orders.c.order_id))
            .where(*_demand_conditions(f)))
    cells = sa.union(stocked, sold).subquery("cells")
    stmt = (sa.select(cells.c.store_id, cells.c.sku, sa.func.coalesce(products.c.category, "").label("category"))
            .select_from(cells.outerjoin(products, products.c.sku == cells.c.sku))
            .order_by(cells.c.store_id, cells.c.sku))
    return read_frame(engine, stmt)


def start_run(engine: sa.Engine, run_id: str, *, history_end: date, horizon: int, scheduler: str | None,
              params: dict) -> None:
    with engine.begin() as conn:
        conn.execute(forecast_runs.insert().values(
            run_id=run_id, started_at=datetime.now(), status="running", history_end=history_end,
            horizon_days=horizon, scheduler=scheduler, params=json.dumps(params, sort_keys=True)))


def save_results(engine: sa.Engine, run_id: str, frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Bulk-insert a run's results in one transaction: frames keyed by table name (forecasts, forecast_series,
    forecast_backtests, forecast_failures), each without run_id. Returns rows written per table."""
    written = {}
    with engine.begin() as conn:
        for table in RESULT_TABLES:
            frame = frames.get(table.name)
            if frame is None or frame.empty:
                written[table.name] = 0
                continue
            written[table.name] = bulk_insert(conn, table, frame.assign(run_id=run_id))
    return written


def finish_run(engine: sa.Engine, run_id: str, *, status: str, duration_s: float, n_series: int, n_failed: int,
               message: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(forecast_runs.update().where(forecast_runs.c.run_id == run_id).values(
            status=status, finished_at=datetime.now(), duration_s=duration_s, n_series=n_series,
            n_failed=n_failed, message=message))


def prune_runs(engine: sa.Engine, keep: int) -> list[str]:
    """Delete the results (not the run rows) of all but the newest `keep` finished runs; returns their ids."""
    runs = read_frame(engine, sa.select(forecast_runs.c.run_id).where(forecast_runs.c.status.in_(FINISHED))
                 .order_by(forecast_runs.c.started_at.desc()))
    old = list(runs["run_id"])[keep:]
    if old:
        with engine.begin() as conn:
            for table in RESULT_TABLES:
                conn.execute(table.delete().where(table.c.run_id.in_(old)))
    return old


def latest_run(engine: sa.Engine) -> dict | None:
    """The newest finished run as a dict of forecast_runs columns (None when there is none)."""
    stmt = (sa.select(forecast_runs).where(forecast_runs.c.status.in_(FINISHED))
            .order_by(forecast_runs.c.started_at.desc()).limit(1))
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().first()
    return dict(row) if row else None


def list_runs(engine: sa.Engine, limit: int = 10) -> pd.DataFrame:
    """The newest runs, finished or not. Columns: run_id, started_at, finished_at, duration_s, status, n_series,
    n_failed, history_end, horizon_days, scheduler, message."""
    r = forecast_runs.c
    stmt = (sa.select(r.run_id, r.started_at, r.finished_at, r.duration_s, r.status, r.n_series, r.n_failed,
                      r.history_end, r.horizon_days, r.scheduler, r.message)
            .order_by(r.started_at.desc()).limit(sa.bindparam("limit", int(limit))))
    return read_frame(engine, stmt)
