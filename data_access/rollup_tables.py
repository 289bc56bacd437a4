"""Derived tables the sales queries read instead of raw order lines, and the stamp that says whether they are current.

The tables are a cache of facts in orders, order_items and products: `data_access.rollups.refresh` rebuilds
them and records a stamp of the source tables; a query uses them only while the stamp still matches
(`current`), and otherwise reads the source tables as before, so a write path that forgot to refresh
makes the page slower, never wrong (within what the stamp sees: row counts, order-time range, the catalogue).
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from data_access.schema import order_items, orders, products

rollup_metadata = sa.MetaData()

#: Exact money sums (no float rounding in the rollup, so totals match the line-level queries to the cent).
EXACT_MONEY = sa.Numeric(20, 2)

#: One row per day x store x channel that has orders: the line-level measures of core.sales_rows summed,
#: plus the order counts the KPI cards need. Only views without a category filter can read it.
sales_daily = sa.Table(
    "rollup_sales_daily",
    rollup_metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("store_id", sa.String(32), primary_key=True),
    sa.Column("channel", sa.String(32), primary_key=True),
    sa.Column("net_sales", EXACT_MONEY, nullable=False),
    # net of lines whose product cost is known, and their cost: margin never counts a line without a cost
    sa.Column("costed_sales", EXACT_MONEY, nullable=False),
    sa.Column("cogs", EXACT_MONEY, nullable=False),
    sa.Column("units", sa.BigInteger, nullable=False),
    # non-cancelled orders, and those of them that are returns (status, a returned line, or a refund without lines)
    sa.Column("orders", sa.BigInteger, nullable=False),
    sa.Column("returned_orders", sa.BigInteger, nullable=False),
)

#: One row per day x store x channel x category key (sku_totals.CATEGORY_KEY: '' for none) with sold lines: the
#: sums of queries._product_split's rows, and the orders holding such a line (an order lies in one cell, so
#: they add up over days, stores and channels within a category).
category_daily = sa.Table(
    "rollup_category_daily",
    rollup_metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("store_id", sa.String(32), primary_key=True),
    sa.Column("channel", sa.String(32), primary_key=True),
    sa.Column("category", sa.String(100), primary_key=True),
    sa.Column("net_sales", EXACT_MONEY, nullable=False),
    sa.Column("costed_sales", EXACT_MONEY, nullable=False),
    sa.Column("cogs", EXACT_MONEY, nullable=False),
    sa.Column("units", sa.BigInteger, nullable=False),
    sa.Column("orders", sa.BigInteger, nullable=False),
)

#: One row per day x store x channel x SKU with sold lines: the sums of sku_totals.product_totals' rows and the
#: orders holding the SKU. The product's category is not in it (joined when read), so category filters apply.
sku_daily = sa.Table(
    "rollup_sku_daily",
    rollup_metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("store_id", sa.String(32), primary_key=True),
    sa.Column("channel", sa.String(32), primary_key=True),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("net_sales", EXACT_MONEY, nullable=False),
    sa.Column("costed_sales", EXACT_MONEY, nullable=False),
    sa.Column("cogs", EXACT_MONEY),  # NULL when no line of the cell has a cost, as the line sums give
    sa.Column("units", sa.BigInteger, nullable=False),
    sa.Column("orders", sa.BigInteger, nullable=False),
)

#: Every non-cancelled order with a customer and its net (the sum of core.sales_rows' rows for the order,
#: 0 for a pending one): RFM reads each customer's orders and money from it without the order lines.
customer_orders = sa.Table(
    "rollup_customer_orders",
    rollup_metadata,
    sa.Column("order_id", sa.String(64), primary_key=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("store_id", sa.String(32), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("ordered_at", sa.DateTime, nullable=False),
    sa.Column("net_sales", EXACT_MONEY, nullable=False),
)

#: Each customer's first non-cancelled order over all stores and channels (the "first order" of a user whose
#: scope is every store, with no channel filter). Rows are inserted in first_at order, so a date range reads few.
customer_first = sa.Table(
    "rollup_customer_first",
    rollup_metadata,
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("first_at", sa.DateTime, nullable=False),
)

#: Each customer's first non-cancelled order in each store: a store scope's first order of a customer is the
#: least first_at over the scope's stores (no channel filter).
customer_store_first = sa.Table(
    "rollup_customer_store_first",
    rollup_metadata,
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(32), primary_key=True),
    sa.Column("first_at", sa.DateTime, nullable=False),
)

#: The stamp of the source tables at the last refresh (one row).
rollup_state = sa.Table(
    "rollup_state",
    rollup_metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("stamp", sa.String(1000), nullable=False),
    sa.Column("refreshed_at", sa.DateTime, nullable=False),
)

#: Every rollup table, in refresh order.
ROLLUPS = (sales_daily, category_daily, sku_daily, customer_orders, customer_first, customer_store_first)
STATE_NAME = "sales"
#: Part of the stamp, so rollups built by an older version of these tables read as stale: bump it when what a
#: rollup holds changes (its table and column names are in the stamp already).
VERSION = 1


def source_stamp(conn: sa.Connection) -> str:
    """A cheap fingerprint of the rollups' sources (order count and time range, line count, every product's
    category and cost) and of the rollups' own shape (VERSION, table and column names).

    Counts and min/max come from table metadata in DuckDB (about a millisecond); it sees inserts, deletes,
    new orders, category and cost changes, not an in-place edit of an order's status or a line's values
    (write paths call rollups.refresh for those).
    """
    o = conn.execute(sa.select(sa.func.count(), sa.func.min(orders.c.ordered_at),
                               sa.func.max(orders.c.ordered_at))).one()
    lines = conn.execute(sa.select(sa.func.count()).select_from(order_items)).scalar()
    # The catalogue is small; its categories and costs are baked into the rollups, so all of it is in the stamp.
    catalogue = conn.execute(sa.select(products.c.sku, products.c.category, products.c.unit_cost)
                             .order_by(products.c.sku)).all()
    p = (len(catalogue), hashlib.sha256(repr([tuple(row) for row in catalogue]).encode()).hexdigest())
    shape = ";".join(f"{t.name}({','.join(t.columns.keys())})" for t in ROLLUPS)
    return "|".join(str(v) for v in (VERSION, shape, *o, lines, *p))


def invalidate(conn: sa.Connection) -> None:
    """Mark the rollups stale inside the caller's transaction, so queries read the source tables from the moment
    it commits (the stamp cannot see in-place edits, e.g. an imported status change) until the next refresh."""
    rollup_state.create(conn, checkfirst=True)
    conn.execute(rollup_state.delete())


def current(engine: sa.Engine) -> bool:
    """True when the rollups exist and were refreshed after the last change their stamp can see."""
    try:
        with engine.connect() as conn:
            stored = conn.execute(sa.select(rollup_state.c.stamp)
                                  .where(rollup_state.c.name == STATE_NAME)).scalar()
            return stored is not None and stored == source_stamp(conn)
    except sa.exc.DBAPIError:  # no rollup tables (never refreshed) or no source tables yet
        return False
