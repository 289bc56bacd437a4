"""What the forecast batch job reads (daily demand, stock-out days) and writes (runs and their results)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from data_access.bulk import bulk_insert
from data_access.sales.queries import _read
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

#: Statuses of a run that produced forecasts (partial = some series failed and were skipped).
FINISHED = ("ok", "partial")
RESULT_TABLES = (forecasts, forecast_series, forecast_backtests, forecast_failures)


def store_scope(column, stores: tuple[str, ...] | None) -> list:
    """The store-scope condition on a store_id column as a list (empty for None = every store)."""
    return [column.in_(stores)] if stores is not None else []


def _read_many(engine: sa.Engine, stmt) -> pd.DataFrame:
    """Like queries._read, for results of many rows: DuckDB hands its result over as a DataFrame in one piece
    (building a Python row per result row costs seconds at default scale); other backends go row by row."""
    with engine.connect() as conn:
        result = conn.execute(stmt)
        if conn.engine.url.get_backend_name() == "duckdb":
            return result.cursor.df()  # duckdb-engine's cursor passes this to DuckDB's own connection
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def history_end(engine: sa.Engine, stores: tuple[str, ...] | None = None) -> date | None:
    """The last day of history: the latest inventory snapshot, else the last order day (None when neither)."""
    with engine.connect() as conn:
        snap = conn.execute(sa.select(sa.func.max(inventory.c.snapshot_date))
                            .where(*store_scope(inventory.c.store_id, stores))).scalar()
        if snap is None:
            snap = conn.execute(sa.select(sa.func.max(orders.c.ordered_at))
                                .where(*store_scope(orders.c.store_id, stores))).scalar()
    return pd.Timestamp(snap).date() if snap is not None else None


def daily_units(engine: sa.Engine, start: date, end: date, stores: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Units demanded per store, SKU and day: quantity of every line of non-cancelled orders (returned lines
    included: they were demand). Columns: store_id, sku, day (date), units (int)."""
    day = sa.cast(orders.c.ordered_at, sa.Date)
    stmt = (sa.select(orders.c.store_id, order_items.c.sku, day.label("day"),
                      sa.cast(sa.func.sum(order_items.c.quantity), sa.BigInteger).label("units"))
            .select_from(orders.join(order_items, order_items.c.order_id == orders.c.order_id))
            .where(orders.c.ordered_at >= datetime.combine(start, datetime.min.time()),
                   orders.c.ordered_at < datetime.combine(end + timedelta(days=1), datetime.min.time()),
                   orders.c.status != "cancelled", *store_scope(orders.c.store_id, stores))
            .group_by(orders.c.store_id, order_items.c.sku, day))
    return _read_many(engine, stmt)


def stockout_days(engine: sa.Engine, start: date, end: date, stores: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Days that ended with nothing on hand (demand that day is censored). Columns: store_id, sku, day (date)."""
    inv = inventory.c
    stmt = (sa.select(inv.store_id, inv.sku, inv.snapshot_date.label("day"))
            .where(inv.snapshot_date >= start, inv.snapshot_date <= end, inv.on_hand <= 0,
                   *store_scope(inv.store_id, stores)))
    return _read_many(engine, stmt)


def catalogue_cells(engine: sa.Engine, start: date, end: date,
                    stores: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every store x SKU to forecast: stocked at the last snapshot or sold in [start, end].

    Columns: store_id, sku, category ('' when the product is unknown). Sorted by store and SKU.
    """
    stocked = sa.select(inventory.c.store_id, inventory.c.sku).where(
        inventory.c.snapshot_date == sa.select(sa.func.max(inventory.c.snapshot_date))
        .where(inventory.c.snapshot_date <= end, *store_scope(inventory.c.store_id, stores)).scalar_subquery(),
        *store_scope(inventory.c.store_id, stores))
    sold = (sa.select(orders.c.store_id, order_items.c.sku)
            .select_from(orders.join(order_items, order_items.c.order_id == orders.c.order_id))
            .where(orders.c.ordered_at >= datetime.combine(start, datetime.min.time()),
                   orders.c.ordered_at < datetime.combine(end + timedelta(days=1), datetime.min.time()),
                   orders.c.status != "cancelled", *store_scope(orders.c.store_id, stores)))
    cells = sa.union(stocked, sold).subquery("cells")
    stmt = (sa.select(cells.c.store_id, cells.c.sku, sa.func.coalesce(products.c.category, "").label("category"))
            .select_from(cells.outerjoin(products, products.c.sku == cells.c.sku))
            .order_by(cells.c.store_id, cells.c.sku))
    return _read(engine, stmt)


# ---------------------------------------------------------------- runs


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
    runs = _read(engine, sa.select(forecast_runs.c.run_id).where(forecast_runs.c.status.in_(FINISHED))
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
    return _read(engine, stmt)
