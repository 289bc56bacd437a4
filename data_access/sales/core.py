"""The sales SQL kernel: the building blocks every sales, customer, marketing and rollup query is made of.

Net sales follow DESIGN.md: line net (quantity x unit_price - discount) of paid/shipped/delivered orders minus
returned lines; orders imported without lines count paid_total - refund_total. The blocks:

- `order_conditions(f)`: the filter's dates, store scope and channels on orders; `line_range(f)` the order-id
  pruning hint on order lines (`with_order_ranges` sets it);
- `sales_rows(f, dims)`: one row per sold line (and per line-less order) with net, costed, cogs and units;
- `counted_orders(f, dims)`: one row per non-cancelled order, for order and customer counts;
- `measures(f, dims, traffic_dims)`: MEASURES summed by dims from the source tables (sessions and the
  orders of cells with traffic included); `rollup_measures` the same from the daily rollup, and
  `cell_measures` picks one of the two for dimensions of the day x store x channel cell (`use_rollup`);
- `report_rows(f, dims)`: the rows of aggregated daily reports (daily_metrics) that stand in for orders, by the
  one rule of which source gives a day's figures (`reported_cell`); `measures` and `rollup_measures` add them;

Each returns an SQLAlchemy statement with bound parameters; reading it is data_access.read.read_frame. The ratios
derived from the sums are in `data_access.sales.ratios`, the per-SKU totals in `data_access.sales.sku_totals`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.sql import visitors

from data_access import rollup_tables
from data_access.filters import UNCATEGORISED, Filters
from data_access.rollup_tables import sales_daily
from data_access.schema import (
    ORDER_LEVEL_STATUSES,
    SOLD_STATUSES,
    daily_metrics,
    order_items,
    orders,
    products,
    traffic,
)
from data_access.scope import in_scope

FLOAT = sa.Double  # DuckDB FLOAT is 32-bit: money sums need DOUBLE

MEASURES = ("net_sales", "costed_sales", "cogs", "units", "orders", "customers", "sessions", "traffic_orders")


def order_conditions(f: Filters) -> list:
    o = orders.c
    conds = [o.ordered_at >= f.start_at, o.ordered_at < f.end_before]
    conds.append(in_scope(o.store_id, f))
    if f.channels is not None:
        conds.append(o.channel.in_(f.channels))
    return conds


def category_condition(column: sa.ColumnElement, categories: tuple[str, ...]) -> sa.ColumnElement:
    """column IN categories, where UNCATEGORISED stands for products without a category (or not in the catalogue)."""
    named = [c for c in categories if c != UNCATEGORISED]
    conds = [column.in_(named)] if named else []
    if UNCATEGORISED in categories:
        conds.append(column.is_(None))
    return sa.or_(*conds) if conds else sa.false()


def sku_in_categories(sku: sa.ColumnElement, categories: tuple[str, ...]) -> sa.ColumnElement:
    """sku belongs to one of categories (UNCATEGORISED: no category, or not in the catalogue)."""
    category = sa.select(products.c.category).where(products.c.sku == sku).scalar_subquery()
    return category_condition(category, categories)


def with_order_ranges(engine: sa.Engine, *filters: Filters) -> list[Filters]:
    """The filters with their order-id range hint (the least and greatest id of the orders each selects), in one
    statement.

    Joining a period's orders to their lines otherwise reads every line ever sold: DuckDB hashes the
    (compressed) string keys and cannot skip row groups, PostgreSQL scans the whole table. A range on
    order_items.order_id, which every matching line satisfies, lets both read only the lines near the
    period when ids grow with time (sequential order numbers), and costs nothing when they do not.
    """
    parts = [sa.select(sa.literal(i).label("i"), sa.func.min(orders.c.order_id).label("lo"),
                       sa.func.max(orders.c.order_id).label("hi")).where(*order_conditions(f))
             for i, f in enumerate(filters)]
    with engine.connect() as conn:
        found = {row.i: (row.lo, row.hi) for row in conn.execute(sa.union_all(*parts)) if row.lo is not None}
    return [replace(f, order_id_range=found.get(i)) for i, f in enumerate(filters)]


def line_range(f: Filters) -> list:
    """The order-id range hint of f as conditions on order_items (none without a hint)."""
    if f.order_id_range is None:
        return []
    low, high = f.order_id_range
    return [order_items.c.order_id >= low, order_items.c.order_id <= high]


def order_day():
    return sa.cast(orders.c.ordered_at, sa.Date)


def line_net():
    i = order_items.c
    return i.quantity * i.unit_price - i.discount


def sales_rows(f: Filters, dims: dict[str, sa.ColumnElement]) -> sa.Select:
    """One row per sold line (and per line-less order) with its net, units and cost, plus `dims`.

    Line-less orders (order-level imports) have no product, so a category filter or a product
    dimension leaves them out; their cost is unknown, so they never enter the margin.
    """
    i, p = order_items.c, products.c
    line_part = (
        sa.select(
            *[expr.label(name) for name, expr in dims.items()],
            line_net().label("net"),
            sa.case((p.unit_cost.is_not(None), line_net()), else_=0).label("costed"),
            (i.quantity * p.unit_cost).label("cogs"),
            i.quantity.label("units"),
        )
        .select_from(orders.join(order_items, order_items.c.order_id == orders.c.order_id)
                     .outerjoin(products, products.c.sku == order_items.c.sku))
        .where(*order_conditions(f), *line_range(f), orders.c.status.in_(SOLD_STATUSES), sa.not_(i.returned))
    )
    if f.categories is not None:
        line_part = line_part.where(category_condition(p.category, f.categories))
    if f.categories is not None or _needs_product(dims):
        return line_part
    # Otherwise one pass: orders LEFT JOIN their lines; an order without lines counts its totals.
    # (A union with a NOT EXISTS branch scanned the order lines twice.)
    o = orders.c
    sold_line = sa.and_(i.order_id.is_not(None), o.status.in_(SOLD_STATUSES), sa.not_(i.returned))
    line_less = sa.and_(i.order_id.is_(None), o.status.in_(ORDER_LEVEL_STATUSES))
    order_net = sa.func.coalesce(o.paid_total, 0) - sa.func.coalesce(o.refund_total, 0)
    return (
        sa.select(
            *[expr.label(name) for name, expr in dims.items()],
            sa.case((sold_line, line_net()), (line_less, order_net), else_=0).label("net"),
            # Margin counts only lines whose cost is known, so a missing cost never reads as 100% margin.
            sa.case((sa.and_(sold_line, p.unit_cost.is_not(None)), line_net()), else_=0).label("costed"),
            sa.case((sold_line, i.quantity * p.unit_cost), else_=0).label("cogs"),
            sa.case((sold_line, i.quantity), else_=0).label("units"),
        )
        .select_from(orders.outerjoin(order_items, sa.and_(order_items.c.order_id == orders.c.order_id,
                                                           *line_range(f)))
                     .outerjoin(products, products.c.sku == order_items.c.sku))
        .where(*order_conditions(f), o.status.in_(ORDER_LEVEL_STATUSES))
    )


def _needs_product(dims: dict[str, sa.ColumnElement]) -> bool:
    """Whether any dimension reads a product or line column (also inside expressions such as coalesce)."""
    return any(isinstance(node, sa.Column) and node.table in (products, order_items)
               for expr in dims.values() for node in visitors.iterate(expr))


def counted_orders(f: Filters, dims: dict[str, sa.ColumnElement]) -> sa.Select:
    """Non-cancelled orders (one row each) with `dims`; with a category filter, only orders holding such a line."""
    stmt = sa.select(
        *[expr.label(name) for name, expr in dims.items()],
        orders.c.order_id,
        orders.c.customer_id,
        # the traffic cell of the order, for conversion
        order_day().label("cell_day"), orders.c.store_id.label("cell_store"), orders.c.channel.label("cell_channel"),
    ).where(*order_conditions(f), orders.c.status != "cancelled")
    if f.categories is not None:
        in_category = (
            sa.select(order_items.c.order_id)
            .outerjoin(products, products.c.sku == order_items.c.sku)
            .where(order_items.c.order_id == orders.c.order_id, *line_range(f),
                   category_condition(products.c.category, f.categories))
        )
        stmt = stmt.where(sa.exists(in_category))
    return stmt


def traffic_conditions(f: Filters) -> list:
    """The filter's days, stores and channels as conditions on the traffic table."""
    return rollup_conditions(f, traffic)


def session_rows(f: Filters, dims: dict[str, sa.ColumnElement]) -> sa.Select:
    return sa.select(*[expr.label(name) for name, expr in dims.items()], traffic.c.sessions).where(
        *traffic_conditions(f))


def reported_cell() -> sa.ColumnElement:
    """The one rule of which source gives a day's figures: a daily_metrics row counts only where no order-level row
    covers it, i.e. no order (of any status) of its store on the row's days (day .. day + days - 1, a weekly row's
    week) in its channel, or in any channel for a row of all channels (''). So a day that has both orders and a
    report is counted once, from the orders (they carry lines, products and customers)."""
    d, o = daily_metrics.c, orders.c
    week_end = sa.cast(d.day + d.days, sa.DateTime)
    covering = sa.exists().where(o.store_id == d.store_id, o.ordered_at >= sa.cast(d.day, sa.DateTime),
                                 o.ordered_at < week_end, sa.or_(d.channel == "", o.channel == d.channel))
    return sa.not_(covering)


def report_conditions(f: Filters) -> list:
    """The daily_metrics rows of f that stand in for orders: f's days, stores and channels (a row of all channels,
    '', has no channel to pick, so a channel pick leaves it out) and reported_cell. A category pick leaves every
    report out (a report has no products)."""
    if f.categories is not None:
        return [sa.false()]
    return [*rollup_conditions(f, daily_metrics), reported_cell()]


def _traffic_covers() -> sa.ColumnElement:
    """A report row's cell already has sessions in traffic (then its visitors are not counted again)."""
    d, t = daily_metrics.c, traffic.c
    return sa.exists().where(t.store_id == d.store_id, t.day >= d.day, t.day < d.day + d.days,
                             sa.or_(d.channel == "", t.channel == d.channel))


def report_rows(f: Filters, dims: dict[str, sa.ColumnElement]) -> sa.Select:
    """MEASURES by `dims` (functions of REPORT_CELLS) from the daily reports that stand in for orders.

    Net sales as reported; orders = the report's orders, else its buyers (as the upload page's analysis counts
    them); visitors count as sessions unless traffic has the cell (its sessions count then), and the report's
    orders count as orders with traffic where either gives the cell's visitors. A report has no units, cost or
    customers.
    """
    d = daily_metrics.c
    keys = [expr.label(name) for name, expr in dims.items()]
    counted = sa.func.coalesce(d.orders, d.buyers, 0)
    in_traffic = _traffic_covers()
    with_visitors = sa.and_(d.visitors.is_not(None), sa.not_(in_traffic))
    zero_f = sa.cast(sa.literal(0), FLOAT)
    zero_i = sa.cast(sa.literal(0), sa.BigInteger)
    return sa.select(
        *keys,
        sa.cast(sa.func.sum(sa.func.coalesce(d.net_sales, 0)), FLOAT).label("net_sales"),
        zero_f.label("costed_sales"), zero_f.label("cogs"), zero_i.label("units"),
        sa.cast(sa.func.sum(counted), sa.BigInteger).label("orders"), zero_i.label("customers"),
        sa.cast(sa.func.sum(sa.case((with_visitors, d.visitors), else_=0)), sa.BigInteger).label("sessions"),
        sa.cast(sa.func.sum(sa.case((sa.or_(d.visitors.is_not(None), in_traffic), counted), else_=0)),
                sa.BigInteger).label("traffic_orders"),
    ).where(*report_conditions(f)).group_by(*dims.values())


def measures(f: Filters, dims: dict[str, sa.ColumnElement],
              traffic_dims: dict[str, sa.ColumnElement] | None,
              report_dims: dict[str, sa.ColumnElement] | None = None) -> sa.Select:
    """Sales, orders, customers and sessions aggregated by `dims`, stacked then summed in SQL; with
    `report_dims` (the same dimensions on daily_metrics) the daily reports' days no order covers are added."""
    keys = list(dims)
    sales = sales_rows(f, dims).subquery("sales")
    counted = counted_orders(f, dims).subquery("counted")
    zero_f = sa.cast(sa.literal(0), FLOAT)
    zero_i = sa.cast(sa.literal(0), sa.BigInteger)
    parts = [
        sa.select(
            *[sales.c[k] for k in keys],
            sa.cast(sa.func.sum(sales.c.net), FLOAT).label("net_sales"),
            sa.cast(sa.func.sum(sales.c.costed), FLOAT).label("costed_sales"),
            sa.cast(sa.func.sum(sales.c.cogs), FLOAT).label("cogs"),
            sa.cast(sa.func.sum(sales.c.units), sa.BigInteger).label("units"),
            zero_i.label("orders"), zero_i.label("customers"), zero_i.label("sessions"), zero_i.label("traffic_orders"),
        ).group_by(*[sales.c[k] for k in keys]),
        sa.select(
            *[counted.c[k] for k in keys],
            zero_f.label("net_sales"), zero_f.label("costed_sales"), zero_f.label("cogs"), zero_i.label("units"),
            sa.cast(sa.func.count(), sa.BigInteger).label("orders"),  # one row per order already
            sa.cast(sa.func.count(sa.distinct(counted.c.customer_id)), sa.BigInteger).label("customers"),
            zero_i.label("sessions"), zero_i.label("traffic_orders"),
        ).group_by(*[counted.c[k] for k in keys]),
    ]
    # Sessions cannot be split by product or category, so those views carry no traffic.
    if traffic_dims is not None and f.categories is None:
        sess = session_rows(f, traffic_dims).subquery("sess")
        parts.append(
            sa.select(
                *[sess.c[k] for k in keys],
                zero_f.label("net_sales"), zero_f.label("costed_sales"), zero_f.label("cogs"), zero_i.label("units"),
                zero_i.label("orders"), zero_i.label("customers"),
                sa.cast(sa.func.sum(sess.c.sessions), sa.BigInteger).label("sessions"), zero_i.label("traffic_orders"),
            ).group_by(*[sess.c[k] for k in keys])
        )
        # Conversion counts only orders whose day, store and channel have traffic (DESIGN.md): orders are
        # counted per cell first, so the join with traffic is per cell, not per order.
        cell_keys = [counted.c.cell_day, counted.c.cell_store, counted.c.cell_channel]
        cells = (sa.select(*[counted.c[k] for k in keys], *cell_keys, sa.func.count().label("n"))
                 .group_by(*[counted.c[k] for k in keys], *cell_keys).subquery("cells"))
        t = traffic.c
        parts.append(
            sa.select(
                *[cells.c[k] for k in keys],
                zero_f.label("net_sales"), zero_f.label("costed_sales"), zero_f.label("cogs"), zero_i.label("units"),
                zero_i.label("orders"), zero_i.label("customers"), zero_i.label("sessions"),
                sa.cast(sa.func.sum(cells.c.n), sa.BigInteger).label("traffic_orders"),
            ).select_from(cells.join(traffic, sa.and_(t.day == cells.c.cell_day, t.store_id == cells.c.cell_store,
                                                      t.channel == cells.c.cell_channel)))
            .group_by(*[cells.c[k] for k in keys])
        )
    if report_dims is not None:
        parts.append(report_rows(f, report_dims))
    stacked = sa.union_all(*parts).subquery("stacked")
    return sa.select(
        *[stacked.c[k] for k in keys],
        *[sa.func.sum(stacked.c[m]).label(m) for m in MEASURES],
    ).group_by(*[stacked.c[k] for k in keys])


class Cells(NamedTuple):
    """A source's day x store x channel cell: `at` is a timestamp whose date is the cell's day."""

    at: sa.ColumnElement
    store_id: sa.ColumnElement
    channel: sa.ColumnElement


ORDER_CELLS = Cells(orders.c.ordered_at, orders.c.store_id, orders.c.channel)
TRAFFIC_CELLS = Cells(sa.cast(traffic.c.day, sa.DateTime), traffic.c.store_id, traffic.c.channel)
REPORT_CELLS = Cells(sa.cast(daily_metrics.c.day, sa.DateTime), daily_metrics.c.store_id, daily_metrics.c.channel)
ROLLUP_CELLS = Cells(sa.cast(sales_daily.c.day, sa.DateTime), sales_daily.c.store_id, sales_daily.c.channel)
#: Dimensions as a function of a source's cells, so one view reads orders, traffic or the daily rollup alike.
CellDims = Callable[[Cells], dict[str, sa.ColumnElement]]


def use_rollup(engine: sa.Engine, f: Filters) -> bool:
    """Whether f's figures can come from the daily rollup: no category filter (the rollup has no product
    dimension) and a rollup refreshed since the sources last changed."""
    return f.categories is None and rollup_tables.current(engine)


def cell_measures(f: Filters, dims_of: CellDims, rollup: bool, with_customers: bool = True) -> sa.Select:
    """The measures of measures by dims that are functions of the day, store and channel only (customers 0
    when the rollup is read without `with_customers`), the daily reports' days no order covers included."""
    if rollup:
        return rollup_measures(f, dims_of, with_customers)
    return measures(f, dims_of(ORDER_CELLS), dims_of(TRAFFIC_CELLS), dims_of(REPORT_CELLS))


def rollup_conditions(f: Filters, table: sa.Table = sales_daily) -> list:
    """The filter's days, stores and channels as conditions on a table of day x store x channel cells (a daily
    rollup, or traffic)."""
    r = table.c
    conds = [r.day >= f.start, r.day <= f.end]
    conds.append(in_scope(r.store_id, f))
    if f.channels is not None:
        conds.append(r.channel.in_(f.channels))
    return conds


def rollup_measures(f: Filters, dims_of: CellDims, with_customers: bool = True) -> sa.Select:
    """measures (without a category filter) from the daily rollup: the same sums, read from one row per cell
    instead of every order line; distinct customers still come from the period's orders (they do not add up),
    so without `with_customers` they are left 0 and the orders are not read."""
    r = sales_daily.c
    dims = dims_of(ROLLUP_CELLS)
    keys = list(dims)
    zero_f = sa.cast(sa.literal(0), FLOAT)
    zero_i = sa.cast(sa.literal(0), sa.BigInteger)
    cells = (sa.select(*[e.label(k) for k, e in dims.items()], r.day.label("cell_day"), r.store_id.label("cell_store"),
                       r.channel.label("cell_channel"), r.net_sales, r.costed_sales, r.cogs, r.units, r.orders)
             .where(*rollup_conditions(f)).subquery("cells"))
    sess = session_rows(f, dims_of(TRAFFIC_CELLS)).subquery("sess")
    t = traffic.c
    same_cell = sa.and_(t.day == cells.c.cell_day, t.store_id == cells.c.cell_store,
                        t.channel == cells.c.cell_channel)
    with_traffic = (sa.select(*[cells.c[k] for k in keys], cells.c.orders)
                    .select_from(cells.join(traffic, same_cell)).subquery("with_traffic"))
    parts = [
        sa.select(
            *[cells.c[k] for k in keys],
            *[sa.cast(sa.func.sum(cells.c[m]), FLOAT).label(m) for m in ("net_sales", "costed_sales", "cogs")],
            sa.cast(sa.func.sum(cells.c.units), sa.BigInteger).label("units"),
            sa.cast(sa.func.sum(cells.c.orders), sa.BigInteger).label("orders"),
            zero_i.label("customers"), zero_i.label("sessions"), zero_i.label("traffic_orders"),
        ).group_by(*[cells.c[k] for k in keys]),
        sa.select(
            *[sess.c[k] for k in keys],
            zero_f.label("net_sales"), zero_f.label("costed_sales"), zero_f.label("cogs"), zero_i.label("units"),
            zero_i.label("orders"), zero_i.label("customers"),
            sa.cast(sa.func.sum(sess.c.sessions), sa.BigInteger).label("sessions"), zero_i.label("traffic_orders"),
        ).group_by(*[sess.c[k] for k in keys]),
        sa.select(
            *[with_traffic.c[k] for k in keys],
            zero_f.label("net_sales"), zero_f.label("costed_sales"), zero_f.label("cogs"), zero_i.label("units"),
            zero_i.label("orders"), zero_i.label("customers"), zero_i.label("sessions"),
            sa.cast(sa.func.sum(with_traffic.c.orders), sa.BigInteger).label("traffic_orders"),
        ).group_by(*[with_traffic.c[k] for k in keys]),
    ]
    if with_customers:
        counted = counted_orders(f, dims_of(ORDER_CELLS)).subquery("counted")
        parts.append(sa.select(
            *[counted.c[k] for k in keys],
            zero_f.label("net_sales"), zero_f.label("costed_sales"), zero_f.label("cogs"), zero_i.label("units"),
            zero_i.label("orders"),
            sa.cast(sa.func.count(sa.distinct(counted.c.customer_id)), sa.BigInteger).label("customers"),
            zero_i.label("sessions"), zero_i.label("traffic_orders"),
        ).group_by(*[counted.c[k] for k in keys]))
    parts.append(report_rows(f, dims_of(REPORT_CELLS)))
    stacked = sa.union_all(*parts).subquery("stacked")
    return sa.select(
        *[stacked.c[k] for k in keys],
        *[sa.func.sum(stacked.c[m]).label(m) for m in MEASURES],
    ).group_by(*[stacked.c[k] for k in keys])
