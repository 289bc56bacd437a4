"""refresh(engine): rebuild the derived sales tables (data_access.rollup_tables) from orders, lines and products.

Every write path of orders, order lines or products calls it after its transaction (the demo load, the
Olist import; the CSV ingest should too). Until then the queries see a stale stamp and read the source
tables, so results never depend on whether it ran. Idempotent; a full rebuild (seconds at large scale).
Run by hand: python -m data_access.rollups --url URL
"""

from __future__ import annotations

import argparse
from datetime import datetime

import sqlalchemy as sa

from data_access.engine import cli_errors
from data_access.filters import Filters
from data_access.jobs import locks
from data_access.rollup_tables import (
    ROLLUPS,
    STATE_NAME,
    category_daily,
    current,
    customer_first,
    customer_orders,
    customer_store_first,
    rollup_metadata,
    rollup_state,
    sales_daily,
    sku_daily,
    source_stamp,
)
from data_access.sales.core import sales_rows
from data_access.sales.sku_totals import CATEGORY_KEY
from data_access.schema import create_schema, order_items, orders

#: The lock every writer of the rollups' sources takes for its transaction (imports, rebuilds): see jobs.locks.
SALES_WRITES_LOCK = "shop.sales.writes"
_MEASURES = ("net_sales", "costed_sales", "cogs", "units", "orders", "returned_orders")


def _cells() -> dict[str, sa.ColumnElement]:
    return {"day": sa.cast(orders.c.ordered_at, sa.Date), "store_id": orders.c.store_id,
            "channel": orders.c.channel}


def _sales_daily_select(everything: Filters) -> sa.Select:
    """day, store_id, channel and the measures of sales_daily, summed from the source tables."""
    cells = _cells()
    keys = list(cells)
    sold = sales_rows(everything, cells).subquery("sold")
    zero = sa.literal(0)
    sales = sa.select(*[sold.c[k] for k in keys], sa.func.sum(sold.c.net).label("net_sales"),
                      sa.func.sum(sold.c.costed).label("costed_sales"), sa.func.sum(sold.c.cogs).label("cogs"),
                      sa.func.sum(sold.c.units).label("units"), zero.label("orders"), zero.label("returned_orders")
                      ).group_by(*[sold.c[k] for k in keys])
    # A return: status returned, a returned line, or a refund on an order without lines (as customer_kpis counts).
    lines = (sa.select(order_items.c.order_id, sa.func.count().label("n_lines"),
                       sa.func.max(sa.case((order_items.c.returned, 1), else_=0)).label("any_returned"))
             .group_by(order_items.c.order_id).subquery("lines"))
    is_return = sa.or_(orders.c.status == "returned", lines.c.any_returned == 1,
                       sa.and_(lines.c.n_lines.is_(None), sa.func.coalesce(orders.c.refund_total, 0) > 0))
    counted = (sa.select(*[e.label(k) for k, e in cells.items()], zero.label("net_sales"),
                         zero.label("costed_sales"), zero.label("cogs"), zero.label("units"),
                         sa.func.count().label("orders"),
                         sa.func.sum(sa.case((is_return, 1), else_=0)).label("returned_orders"))
               .select_from(orders.outerjoin(lines, lines.c.order_id == orders.c.order_id))
               .where(orders.c.status != "cancelled").group_by(*cells.values()))
    stacked = sa.union_all(sales, counted).subquery("stacked")
    return sa.select(*[stacked.c[k] for k in keys],
                     *[sa.func.coalesce(sa.func.sum(stacked.c[m]), 0).label(m) for m in _MEASURES]
                     ).group_by(*[stacked.c[k] for k in keys]).order_by(stacked.c.day)


def _category_daily_select(everything: Filters) -> sa.Select:
    """day, store_id, channel, category and the measures of category_daily, from the sold lines."""
    cells = {**_cells(), "category": CATEGORY_KEY}
    sold = sales_rows(everything, {**cells, "order_id": orders.c.order_id}).subquery("sold")
    keys = [sold.c[k] for k in cells]
    return sa.select(*keys, sa.func.sum(sold.c.net).label("net_sales"),
                     sa.func.sum(sold.c.costed).label("costed_sales"),
                     sa.func.coalesce(sa.func.sum(sold.c.cogs), 0).label("cogs"),
                     sa.func.sum(sold.c.units).label("units"),
                     sa.func.count(sa.distinct(sold.c.order_id)).label("orders")).group_by(*keys).order_by(keys[0])


def _sku_daily_select(everything: Filters) -> sa.Select:
    """day, store_id, channel, sku and the measures of sku_daily, from the sold lines."""
    cells = {**_cells(), "sku": order_items.c.sku}
    sold = sales_rows(everything, {**cells, "order_id": orders.c.order_id}).subquery("sold")
    keys = [sold.c[k] for k in cells]
    return sa.select(*keys, sa.func.sum(sold.c.net).label("net_sales"),
                     sa.func.sum(sold.c.costed).label("costed_sales"), sa.func.sum(sold.c.cogs).label("cogs"),
                     sa.func.sum(sold.c.units).label("units"),
                     sa.func.count(sa.distinct(sold.c.order_id)).label("orders")).group_by(*keys).order_by(keys[0])


def _customer_orders_select(everything: Filters) -> sa.Select:
    """The columns of customer_orders: non-cancelled orders with a customer, with their net."""
    rows = sales_rows(everything, {"order_id": orders.c.order_id}).subquery("rows")
    net = sa.select(rows.c.order_id, sa.func.sum(rows.c.net).label("net")).group_by(rows.c.order_id).subquery("net")
    day = sa.cast(orders.c.ordered_at, sa.Date)
    return (sa.select(orders.c.order_id, day.label("day"), orders.c.store_id, orders.c.channel, orders.c.customer_id,
                      orders.c.ordered_at, sa.func.coalesce(net.c.net, 0).label("net_sales"))
            .select_from(orders.outerjoin(net, net.c.order_id == orders.c.order_id))
            .where(orders.c.status != "cancelled", orders.c.customer_id.is_not(None)).order_by(day))


def _customer_first_select(*by: sa.ColumnElement) -> sa.Select:
    """customer_id, *by, first_at: the first non-cancelled order of each customer (in each `by` group), in
    `by` then first_at order (a store scope then reads its stores' rows only)."""
    first_at = sa.func.min(orders.c.ordered_at)
    return (sa.select(orders.c.customer_id, *by, first_at.label("first_at"))
            .where(orders.c.status != "cancelled", orders.c.customer_id.is_not(None))
            .group_by(orders.c.customer_id, *by).order_by(*by, first_at, orders.c.customer_id))


# Every select is ordered by day (first_at; store, first_at): rows inserted in that order let a date range (a
# store scope) skip the rest.


def _empty(conn: sa.Connection, tables: list[sa.Table]) -> None:
    # Deleting millions of rows one by one is slow in DuckDB; recreating the table is not (as the demo load does).
    if conn.engine.url.get_backend_name() == "duckdb":
        for table in tables:
            table.drop(conn, checkfirst=True)
            table.create(conn)
    else:
        for table in tables:
            conn.execute(table.delete())


def refresh(engine: sa.Engine) -> dict[str, int]:
    """Rebuild the rollup tables in one transaction and stamp them; returns their row counts. Rebuilds and imports
    run in turn (SALES_WRITES_LOCK): every table and the stamp come from the same state of the sources."""
    with locks.write_transaction(engine, SALES_WRITES_LOCK) as conn:
        rollup_metadata.create_all(conn, checkfirst=True)
        _empty(conn, list(ROLLUPS))
        conn.execute(rollup_state.delete())
        span = conn.execute(sa.select(sa.func.min(orders.c.ordered_at), sa.func.max(orders.c.ordered_at))).one()
        if span[0] is not None:
            everything = Filters(span[0].date(), span[1].date())
            conn.execute(sa.insert(sales_daily).from_select(["day", "store_id", "channel", *_MEASURES],
                                                            _sales_daily_select(everything)))
            conn.execute(sa.insert(category_daily).from_select(
                ["day", "store_id", "channel", "category", "net_sales", "costed_sales", "cogs", "units", "orders"],
                _category_daily_select(everything)))
            conn.execute(sa.insert(sku_daily).from_select(
                ["day", "store_id", "channel", "sku", "net_sales", "costed_sales", "cogs", "units", "orders"],
                _sku_daily_select(everything)))
            conn.execute(sa.insert(customer_orders).from_select(
                ["order_id", "day", "store_id", "channel", "customer_id", "ordered_at", "net_sales"],
                _customer_orders_select(everything)))
            conn.execute(sa.insert(customer_first).from_select(["customer_id", "first_at"],
                                                               _customer_first_select()))
            conn.execute(sa.insert(customer_store_first).from_select(["customer_id", "store_id", "first_at"],
                                                                     _customer_first_select(orders.c.store_id)))
        conn.execute(sa.insert(rollup_state).values(name=STATE_NAME, stamp=source_stamp(conn),
                                                    refreshed_at=datetime.now()))
        return {table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
                for table in ROLLUPS}


@cli_errors
def main(argv: list[str] | None = None) -> int:
    """Refresh the rollups; a database that cannot be reached or opened is one line on stderr, exit status 2."""
    from data_access.engine import configured_url, create_engine

    parser = argparse.ArgumentParser(prog="python -m data_access.rollups", description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="SQLAlchemy database URL (default: DATABASE_URL, secrets.toml, data/shop.duckdb)")
    parser.add_argument("--if-stale", action="store_true", help="only when the rollups are missing or out of date")
    args = parser.parse_args(argv)
    engine = create_engine(args.url or configured_url())
    try:
        create_schema(engine)  # a new, empty database gets its tables (and empty rollups) instead of an error
        if args.if_stale and current(engine):
            print("the sales rollups are current; nothing to do")
            return 0
        for name, rows in refresh(engine).items():
            print(f"{name}: {rows:,} rows")
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
