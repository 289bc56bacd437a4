"""Named sales and stock queries: filtered and aggregated in SQL, returned as DataFrames.

Every function takes an engine and a `Filters` (date range + store scope + optional channel and
category picks) and builds its statement with SQLAlchemy Core, so every value is a bound parameter.
Net sales follow DESIGN.md: line net (quantity x unit_price - discount) of paid/shipped/delivered
orders minus returned lines; orders imported without lines count paid_total - refund_total.
While the rollups are current (data_access.rollup_tables), the sums come from them instead of every
order line, with the same results; otherwise, and for what they cannot hold, from the source tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.sql import visitors

from data_access import rollup_tables
from data_access.filters import UNCATEGORISED, Filters
from data_access.rollup_tables import category_daily, sales_daily, sku_daily
from data_access.schema import (
    ORDER_LEVEL_STATUSES,
    SOLD_STATUSES,
    inventory,
    order_items,
    orders,
    products,
    stores,
    traffic,
)

FLOAT = sa.Double  # DuckDB FLOAT is 32-bit: money sums need DOUBLE

MEASURES = ("net_sales", "costed_sales", "cogs", "units", "orders", "customers", "sessions", "traffic_orders")


# ---------------------------------------------------------------- building blocks


def _order_conditions(f: Filters) -> list:
    o = orders.c
    conds = [o.ordered_at >= f.start_at, o.ordered_at < f.end_before]
    if f.stores is not None:
        conds.append(o.store_id.in_(f.stores))
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
                       sa.func.max(orders.c.order_id).label("hi")).where(*_order_conditions(f))
             for i, f in enumerate(filters)]
    with engine.connect() as conn:
        found = {row.i: (row.lo, row.hi) for row in conn.execute(sa.union_all(*parts)) if row.lo is not None}
    return [replace(f, order_id_range=found.get(i)) for i, f in enumerate(filters)]


def _line_range(f: Filters) -> list:
    """The order-id range hint of f as conditions on order_items (none without a hint)."""
    if f.order_id_range is None:
        return []
    low, high = f.order_id_range
    return [order_items.c.order_id >= low, order_items.c.order_id <= high]


def _order_day():
    return sa.cast(orders.c.ordered_at, sa.Date)


def _line_net():
    i = order_items.c
    return i.quantity * i.unit_price - i.discount


def _sales_rows(f: Filters, dims: dict[str, sa.ColumnElement]) -> sa.Select:
    """One row per sold line (and per line-less order) with its net, units and cost, plus `dims`.

    Line-less orders (order-level imports) have no product, so a category filter or a product
    dimension leaves them out; their cost is unknown, so they never enter the margin.
    """
    i, p = order_items.c, products.c
    line_part = (
        sa.select(
            *[expr.label(name) for name, expr in dims.items()],
            _line_net().label("net"),
            sa.case((p.unit_cost.is_not(None), _line_net()), else_=0).label("costed"),
            (i.quantity * p.unit_cost).label("cogs"),
            i.quantity.label("units"),
        )
        .select_from(orders.join(order_items, order_items.c.order_id == orders.c.order_id)
                     .outerjoin(products, products.c.sku == order_items.c.sku))
        .where(*_order_conditions(f), *_line_range(f), orders.c.status.in_(SOLD_STATUSES), sa.not_(i.returned))
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
            sa.case((sold_line, _line_net()), (line_less, order_net), else_=0).label("net"),
            # Margin counts only lines whose cost is known, so a missing cost never reads as 100% margin.
            sa.case((sa.and_(sold_line, p.unit_cost.is_not(None)), _line_net()), else_=0).label("costed"),
            sa.case((sold_line, i.quantity * p.unit_cost), else_=0).label("cogs"),
            sa.case((sold_line, i.quantity), else_=0).label("units"),
        )
        .select_from(orders.outerjoin(order_items, sa.and_(order_items.c.order_id == orders.c.order_id,
                                                           *_line_range(f)))
                     .outerjoin(products, products.c.sku == order_items.c.sku))
        .where(*_order_conditions(f), o.status.in_(ORDER_LEVEL_STATUSES))
    )


def _needs_product(dims: dict[str, sa.ColumnElement]) -> bool:
    """Whether any dimension reads a product or line column (also inside expressions such as coalesce)."""
    return any(isinstance(node, sa.Column) and node.table in (products, order_items)
               for expr in dims.values() for node in visitors.iterate(expr))


def _counted_orders(f: Filters, dims: dict[str, sa.ColumnElement]) -> sa.Select:
    """Non-cancelled orders (one row each) with `dims`; with a category filter, only orders holding such a line."""
    stmt = sa.select(
        *[expr.label(name) for name, expr in dims.items()],
        orders.c.order_id,
        orders.c.customer_id,
        # the traffic cell of the order, for conversion
        _order_day().label("cell_day"), orders.c.store_id.label("cell_store"), orders.c.channel.label("cell_channel"),
    ).where(*_order_conditions(f), orders.c.status != "cancelled")
    if f.categories is not None:
        in_category = (
            sa.select(order_items.c.order_id)
            .outerjoin(products, products.c.sku == order_items.c.sku)
            .where(order_items.c.order_id == orders.c.order_id, *_line_range(f),
                   category_condition(products.c.category, f.categories))
        )
        stmt = stmt.where(sa.exists(in_category))
    return stmt


def traffic_conditions(f: Filters) -> list:
    """The filter's days, stores and channels as conditions on the traffic table."""
    return rollup_conditions(f, traffic)


def _sessions(f: Filters, dims: dict[str, sa.ColumnElement]) -> sa.Select:
    return sa.select(*[expr.label(name) for name, expr in dims.items()], traffic.c.sessions).where(
        *traffic_conditions(f))


def _measures(f: Filters, dims: dict[str, sa.ColumnElement],
              traffic_dims: dict[str, sa.ColumnElement] | None) -> sa.Select:
    """Sales, orders, customers and sessions aggregated by `dims`, stacked then summed in SQL."""
    keys = list(dims)
    sales = _sales_rows(f, dims).subquery("sales")
    counted = _counted_orders(f, dims).subquery("counted")
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
        sess = _sessions(f, traffic_dims).subquery("sess")
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
ROLLUP_CELLS = Cells(sa.cast(sales_daily.c.day, sa.DateTime), sales_daily.c.store_id, sales_daily.c.channel)
#: Dimensions as a function of a source's cells, so one view reads orders, traffic or the daily rollup alike.
CellDims = Callable[[Cells], dict[str, sa.ColumnElement]]


def use_rollup(engine: sa.Engine, f: Filters) -> bool:
    """Whether f's figures can come from the daily rollup: no category filter (the rollup has no product
    dimension) and a rollup refreshed since the sources last changed."""
    return f.categories is None and rollup_tables.current(engine)


def _cell_measures(f: Filters, dims_of: CellDims, rollup: bool, with_customers: bool = True) -> sa.Select:
    """The measures of _measures by dims that are functions of the day, store and channel only (customers 0
    when the rollup is read without `with_customers`)."""
    if rollup:
        return _rollup_measures(f, dims_of, with_customers)
    return _measures(f, dims_of(ORDER_CELLS), dims_of(TRAFFIC_CELLS))


def rollup_conditions(f: Filters, table: sa.Table = sales_daily) -> list:
    """The filter's days, stores and channels as conditions on a table of day x store x channel cells (a daily
    rollup, or traffic)."""
    r = table.c
    conds = [r.day >= f.start, r.day <= f.end]
    if f.stores is not None:
        conds.append(r.store_id.in_(f.stores))
    if f.channels is not None:
        conds.append(r.channel.in_(f.channels))
    return conds


def _rollup_measures(f: Filters, dims_of: CellDims, with_customers: bool = True) -> sa.Select:
    """_measures (without a category filter) from the daily rollup: the same sums, read from one row per cell
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
    sess = _sessions(f, dims_of(TRAFFIC_CELLS)).subquery("sess")
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
        counted = _counted_orders(f, dims_of(ORDER_CELLS)).subquery("counted")
        parts.append(sa.select(
            *[counted.c[k] for k in keys],
            zero_f.label("net_sales"), zero_f.label("costed_sales"), zero_f.label("cogs"), zero_i.label("units"),
            zero_i.label("orders"),
            sa.cast(sa.func.count(sa.distinct(counted.c.customer_id)), sa.BigInteger).label("customers"),
            zero_i.label("sessions"), zero_i.label("traffic_orders"),
        ).group_by(*[counted.c[k] for k in keys]))
    stacked = sa.union_all(*parts).subquery("stacked")
    return sa.select(
        *[stacked.c[k] for k in keys],
        *[sa.func.sum(stacked.c[m]).label(m) for m in MEASURES],
    ).group_by(*[stacked.c[k] for k in keys])


def _read(engine: sa.Engine, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def derive_ratios(df: pd.DataFrame) -> pd.DataFrame:
    """Add aov, gross_margin, margin_pct and conversion_rate from summed measures (NaN where undefined)."""
    out = df.copy()
    for col in ("net_sales", "costed_sales", "cogs"):
        out[col] = out[col].astype(float).fillna(0.0)
    for col in ("units", "orders", "customers", "sessions", "traffic_orders"):
        out[col] = out[col].fillna(0).astype("int64")
    out["gross_margin"] = out["costed_sales"] - out["cogs"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["aov"] = np.where(out["orders"] > 0, out["net_sales"] / out["orders"].where(out["orders"] > 0), np.nan)
        out["margin_pct"] = np.where(out["costed_sales"] != 0,
                                     out["gross_margin"] / out["costed_sales"].where(out["costed_sales"] != 0), np.nan)
        out["conversion_rate"] = np.where(out["sessions"] > 0,
                                          out["traffic_orders"] / out["sessions"].where(out["sessions"] > 0), np.nan)
    return out.drop(columns=["costed_sales", "cogs", "traffic_orders"])


SALES_COLUMNS = ["net_sales", "orders", "units", "customers", "sessions", "gross_margin", "aov", "margin_pct",
                 "conversion_rate"]


def sales_columns(with_customers: bool = True) -> list[str]:
    """SALES_COLUMNS, without customers for a query asked not to count them."""
    return [c for c in SALES_COLUMNS if with_customers or c != "customers"]


# ---------------------------------------------------------------- named queries


def daily_sales(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Daily series over the whole range, days without sales included as zeros.

    Columns: day (datetime64), net_sales, orders, units, customers, sessions, gross_margin, aov,
    margin_pct, conversion_rate.
    """
    rollup = use_rollup(engine, f)
    if not rollup:
        f, = with_order_ranges(engine, f)
    df = _read(engine, _cell_measures(f, lambda c: {"day": sa.cast(c.at, sa.Date)}, rollup))
    all_days = pd.DataFrame({"day": pd.date_range(f.start, f.end, freq="D")})
    df["day"] = pd.to_datetime(df["day"]) if not df.empty else pd.Series(dtype="datetime64[ns]")
    df = all_days.merge(df, on="day", how="left")
    return derive_ratios(df)[["day", *SALES_COLUMNS]]


def kpi_totals(engine: sa.Engine, f: Filters, with_customers: bool = True) -> pd.DataFrame:
    """Totals for the period and its comparison periods, one row each.

    Columns: period ('current', 'previous', 'last_year'), start, end, net_sales, orders, units,
    customers, sessions, gross_margin, aov, margin_pct, conversion_rate.
    Previous = equal length just before; last_year = same calendar dates one year earlier.
    Without `with_customers` there is no customers column (distinct customers are the one figure the
    daily rollup cannot give, so they cost a pass over each period's orders).
    """
    rollup = use_rollup(engine, f)
    compared = (f, f.previous_period(), f.last_year())
    periods = dict(zip(("current", "previous", "last_year"),
                       compared if rollup else with_order_ranges(engine, *compared), strict=True))
    stmt = sa.union_all(*[
        sa.select(sa.literal(name).label("period"), *[sa.func.sum(m).label(m.name) for m in
                                                       _cell_measures(p, lambda c: {}, rollup,
                                                                      with_customers).subquery().c])
        for name, p in periods.items()
    ])
    df = _read(engine, stmt)
    df["start"] = [periods[p].start for p in df["period"]]
    df["end"] = [periods[p].end for p in df["period"]]
    df = derive_ratios(df)
    df["period"] = pd.Categorical(df["period"], categories=list(periods), ordered=True)
    return df.sort_values("period")[["period", "start", "end", *sales_columns(with_customers)]].reset_index(drop=True)


# One expression object for key and label: _product_split reads "label is key" as "no join needed".
_CATEGORY_KEY = sa.func.coalesce(products.c.category, UNCATEGORISED)
_DIMENSIONS = {
    "store": ({"key": stores.c.store_id, "label": stores.c.name}, "store"),
    "region": ({"key": stores.c.region, "label": stores.c.region}, "store"),
    "channel": ({"key": orders.c.channel, "label": orders.c.channel}, None),
    "category": ({"key": _CATEGORY_KEY, "label": _CATEGORY_KEY}, "product"),
    # The line's SKU, so sales of a SKU missing from the catalogue still show (under its SKU).
    "product": ({"key": order_items.c.sku, "label": products.c.name}, "product"),
}


def sales_by(engine: sa.Engine, f: Filters, dimension: str, with_customers: bool = True) -> pd.DataFrame:
    """Sales split by one dimension: 'store', 'region', 'channel', 'category' or 'product'.

    Columns: key, label, net_sales, orders, units, customers, sessions, gross_margin, aov,
    margin_pct, conversion_rate, share (of net sales in the result). Sorted by net_sales, largest first.
    Category and product splits count line-level sales only (line-less orders have no product);
    sessions are only split by store, region and channel. Without `with_customers` there is no
    customers column: distinct customers per category or product need every order line of the period,
    the other figures of a category split come from the daily rollup.
    """
    if dimension not in _DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; expected one of {sorted(_DIMENSIONS)}")
    dims, join = _DIMENSIONS[dimension]
    key_col = dims["key"]
    if join == "product":
        if dimension == "category" and not with_customers and use_rollup(engine, f):
            return _finish_split(_read(engine, _category_rollup_split(f)), with_customers)
        f, = with_order_ranges(engine, f)
        return _finish_split(_read(engine, _product_split(f, key_col, dims["label"], with_customers)),
                             with_customers)
    rollup = use_rollup(engine, f)
    if not rollup:
        f, = with_order_ranges(engine, f)
    inner = _cell_measures(f, lambda c: {"key": c.store_id if join == "store" else c.channel}, rollup).subquery("m")
    if join == "store":
        stmt = (
            sa.select(key_col.label("key"), dims["label"].label("label"),
                      *[sa.func.sum(inner.c[m]).label(m) for m in MEASURES])
            .select_from(inner.join(stores, stores.c.store_id == inner.c.key))
            .group_by(key_col, dims["label"])
        )
    else:
        stmt = sa.select(inner.c.key, inner.c.key.label("label"), *[inner.c[m] for m in MEASURES])
    return _finish_split(_read(engine, stmt))


def _category_rollup_split(f: Filters) -> sa.Select:
    """The category split (MEASURES by key and label, customers left 0) from the daily category rollup."""
    r = category_daily.c
    zero = sa.cast(sa.literal(0), sa.BigInteger)
    return (sa.select(r.category.label("key"), r.category.label("label"),
                      *[sa.cast(sa.func.sum(r[m]), FLOAT).label(m) for m in ("net_sales", "costed_sales", "cogs")],
                      sa.cast(sa.func.sum(r.units), sa.BigInteger).label("units"),
                      sa.cast(sa.func.sum(r.orders), sa.BigInteger).label("orders"), zero.label("customers"),
                      zero.label("sessions"), zero.label("traffic_orders"))
            .where(*rollup_conditions(f, category_daily)).group_by(r.category))


def _product_split(f: Filters, key_col, label_col, with_customers: bool = True) -> sa.Select:
    """MEASURES by key and label of a product dimension (customers left 0 without `with_customers`)."""
    dims = {"key": key_col}
    sales = _sales_rows(f, {**dims, "order_id": orders.c.order_id, "customer_id": orders.c.customer_id}).subquery()
    stmt = (
        sa.select(
            sales.c.key,
            sa.cast(sa.func.sum(sales.c.net), FLOAT).label("net_sales"),
            sa.cast(sa.func.sum(sales.c.costed), FLOAT).label("costed_sales"),
            sa.cast(sa.func.sum(sales.c.cogs), FLOAT).label("cogs"),
            sa.cast(sa.func.sum(sales.c.units), sa.BigInteger).label("units"),
            sa.cast(sa.func.count(sa.distinct(sales.c.order_id)), sa.BigInteger).label("orders"),
            sa.cast(sa.func.count(sa.distinct(sales.c.customer_id)) if with_customers else sa.literal(0),
                    sa.BigInteger).label("customers"),
            sa.cast(sa.literal(0), sa.BigInteger).label("sessions"),
            sa.cast(sa.literal(0), sa.BigInteger).label("traffic_orders"),
        ).group_by(sales.c.key)
    ).subquery("agg")
    if label_col is key_col:
        stmt = sa.select(stmt.c.key, stmt.c.key.label("label"), *[stmt.c[m] for m in MEASURES])
    else:
        stmt = (sa.select(stmt.c.key, sa.func.coalesce(label_col, stmt.c.key).label("label"),
                          *[stmt.c[m] for m in MEASURES])
                .select_from(stmt.outerjoin(products, products.c.sku == stmt.c.key)))
    return stmt


def _finish_split(df: pd.DataFrame, with_customers: bool = True) -> pd.DataFrame:
    df = derive_ratios(df)
    total = df["net_sales"].sum()
    df["share"] = df["net_sales"] / total if total else np.nan
    df = df.sort_values(["net_sales", "key"], ascending=[False, True], na_position="last").reset_index(drop=True)
    return df[["key", "label", *sales_columns(with_customers), "share"]]


_RANKABLE = ("net_sales", "units", "gross_margin")


def product_totals(f: Filters, rollup: bool = False) -> sa.Select:
    """The statement for sold units, net sales, gross margin and orders per SKU (sku, units, net_sales,
    gross_margin, orders), shared by the rankings and the ABC analysis; with `rollup`, from the SKU rollup."""
    if rollup:
        r = sku_daily.c
        stmt = sa.select(
            r.sku,
            sa.cast(sa.func.sum(r.units), sa.BigInteger).label("units"),
            sa.cast(sa.func.sum(r.net_sales), FLOAT).label("net_sales"),
            sa.cast(sa.func.sum(r.costed_sales) - sa.func.sum(r.cogs), FLOAT).label("gross_margin"),
            sa.cast(sa.func.sum(r.orders), sa.BigInteger).label("orders"),
        ).where(*rollup_conditions(f, sku_daily)).group_by(r.sku)
        if f.categories is not None:
            stmt = (stmt.outerjoin(products, products.c.sku == r.sku)
                    .where(category_condition(products.c.category, f.categories)))
        return stmt
    sales = _sales_rows(f, {"sku": order_items.c.sku, "order_id": orders.c.order_id}).subquery("s")
    return sa.select(
        sales.c.sku,
        sa.cast(sa.func.sum(sales.c.units), sa.BigInteger).label("units"),
        sa.cast(sa.func.sum(sales.c.net), FLOAT).label("net_sales"),
        sa.cast(sa.func.sum(sales.c.costed) - sa.func.sum(sales.c.cogs), FLOAT).label("gross_margin"),
        sa.cast(sa.func.count(sa.distinct(sales.c.order_id)), sa.BigInteger).label("orders"),
    ).group_by(sales.c.sku)


def top_products(engine: sa.Engine, f: Filters, limit: int = 10, by: str = "net_sales") -> pd.DataFrame:
    """The best `limit` products by 'net_sales', 'units' or 'gross_margin', ranked in SQL.

    Columns: rank, sku, name, category, units, net_sales, gross_margin, orders.
    """
    if by not in _RANKABLE:
        raise ValueError(f"cannot rank by {by!r}; expected one of {_RANKABLE}")
    rollup = rollup_tables.current(engine)
    if not rollup:
        f, = with_order_ranges(engine, f)
    p = products.c
    agg = product_totals(f, rollup).subquery("agg")
    stmt = (
        sa.select(agg.c.sku, p.name, p.category, agg.c.units, agg.c.net_sales, agg.c.gross_margin, agg.c.orders)
        .select_from(agg.outerjoin(products, products.c.sku == agg.c.sku))
        .order_by(agg.c[by].desc(), agg.c.sku)
        .limit(sa.bindparam("limit", int(limit), literal_execute=False))
    )
    df = _read(engine, stmt)
    df.insert(0, "rank", range(1, len(df) + 1))
    return df


def latest_snapshot_date(engine: sa.Engine, as_of: date, scope: tuple[str, ...] | None = None) -> date | None:
    """The most recent inventory snapshot of the scope's stores on or before `as_of` (None when none)."""
    stmt = sa.select(sa.func.max(inventory.c.snapshot_date)).where(inventory.c.snapshot_date <= as_of)
    if scope is not None:
        stmt = stmt.where(inventory.c.store_id.in_(scope))
    with engine.connect() as conn:
        value = conn.execute(stmt).scalar()
    return pd.Timestamp(value).date() if value is not None else None


def stock_on_hand(engine: sa.Engine, f: Filters, cover_window_days: int = 28) -> pd.DataFrame:
    """Stock at the latest snapshot on or before f.end, with days of cover, per store and SKU.

    Columns: snapshot_date, store_id, sku, name, category, on_hand, on_order, expected_arrival (datetime64;
    NaT when the data has no date for what is on order), lead_time_days, avg_daily_units (mean units sold
    per day over the `cover_window_days` days ending at the snapshot), days_of_cover (on_hand /
    avg_daily_units; NaN when nothing sold). Category filter applies; channel filter does not (stock is
    shared by channels).
    """
    snap = latest_snapshot_date(engine, f.end, f.stores)
    columns = ["snapshot_date", "store_id", "sku", "name", "category", "on_hand", "on_order", "expected_arrival",
               "lead_time_days", "avg_daily_units", "days_of_cover"]
    if snap is None:
        return pd.DataFrame(columns=columns)
    window, = with_order_ranges(engine, Filters(snap - timedelta(days=cover_window_days - 1), snap, f.stores, None,
                                                f.categories))
    sold = _sales_rows(window, {"store_id": orders.c.store_id, "sku": order_items.c.sku}).subquery("sold")
    sold_by = (sa.select(sold.c.store_id, sold.c.sku, sa.func.sum(sold.c.units).label("units"))
               .group_by(sold.c.store_id, sold.c.sku).subquery("sold_by"))
    inv, p = inventory.c, products.c
    conds = [inv.snapshot_date == snap]
    if f.stores is not None:
        conds.append(inv.store_id.in_(f.stores))
    if f.categories is not None:
        conds.append(category_condition(p.category, f.categories))
    stmt = (
        sa.select(inv.snapshot_date, inv.store_id, inv.sku, p.name, p.category, inv.on_hand, inv.on_order,
                  inv.expected_arrival, p.lead_time_days,
                  (sa.cast(sa.func.coalesce(sold_by.c.units, 0), FLOAT) / cover_window_days).label("avg_daily_units"))
        .select_from(
            inventory.outerjoin(products, products.c.sku == inv.sku)
            .outerjoin(sold_by, sa.and_(sold_by.c.store_id == inv.store_id, sold_by.c.sku == inv.sku))
        )
        .where(*conds)
        .order_by(inv.store_id, inv.sku)
    )
    df = _read(engine, stmt)
    df["snapshot_date"] = pd.to_datetime(df["snapshot_date"])
    df["expected_arrival"] = pd.to_datetime(df["expected_arrival"])
    df["avg_daily_units"] = df["avg_daily_units"].astype(float)
    rate = df["avg_daily_units"].where(df["avg_daily_units"] > 0)
    df["days_of_cover"] = df["on_hand"].astype(float) / rate
    return df[columns]


def product_movers(engine: sa.Engine, f: Filters, limit: int = 5) -> pd.DataFrame:
    """Products whose net sales changed most vs the previous period of equal length.

    Columns: sku, name, category, net_sales, previous_net_sales, change (absolute), change_pct
    (NaN when the product did not sell before), direction ('up' or 'down'). The `limit` biggest
    risers and the `limit` biggest fallers, risers first.
    """
    f, prev = with_order_ranges(engine, f, f.previous_period())
    cur_rows = _sales_rows(f, {"sku": order_items.c.sku}).subquery("cur")
    prev_rows = _sales_rows(prev, {"sku": order_items.c.sku}).subquery("prev")
    stacked = sa.union_all(
        sa.select(cur_rows.c.sku, cur_rows.c.net.label("cur"), sa.literal(0).label("prev")),
        sa.select(prev_rows.c.sku, sa.literal(0).label("cur"), prev_rows.c.net.label("prev")),
    ).subquery("stacked")
    agg = sa.select(
        stacked.c.sku,
        sa.cast(sa.func.sum(stacked.c.cur), FLOAT).label("net_sales"),
        sa.cast(sa.func.sum(stacked.c.prev), FLOAT).label("previous_net_sales"),
    ).group_by(stacked.c.sku).subquery("agg")
    change = (agg.c.net_sales - agg.c.previous_net_sales).label("change")
    base = (sa.select(agg.c.sku, products.c.name, products.c.category, agg.c.net_sales,
                      agg.c.previous_net_sales, change)
            .select_from(agg.outerjoin(products, products.c.sku == agg.c.sku)))
    limit_param = sa.bindparam("limit", int(limit))
    up = base.where(change > 0).order_by(change.desc(), agg.c.sku).limit(limit_param).subquery("up")
    down = base.where(change < 0).order_by(change.asc(), agg.c.sku).limit(limit_param).subquery("down")
    df = _read(engine, sa.union_all(sa.select(up, sa.literal("up").label("direction")),
                                    sa.select(down, sa.literal("down").label("direction"))))
    prev_sales = df["previous_net_sales"].astype(float)
    df["change_pct"] = df["change"] / prev_sales.where(prev_sales > 0)
    df["direction"] = pd.Categorical(df["direction"], ["up", "down"], ordered=True)
    df["abs_change"] = df["change"].abs()
    df = df.sort_values(["direction", "abs_change", "sku"], ascending=[True, False, True])
    return df[["sku", "name", "category", "net_sales", "previous_net_sales", "change", "change_pct",
               "direction"]].reset_index(drop=True).astype({"direction": str})


def list_stores(engine: sa.Engine, scope: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Stores the scope allows (None = all). Columns: store_id, name, name_zh, region, city."""
    stmt = sa.select(stores.c.store_id, stores.c.name, stores.c.name_zh, stores.c.region, stores.c.city)
    if scope is not None:
        stmt = stmt.where(stores.c.store_id.in_(scope))
    return _read(engine, stmt.order_by(stores.c.store_id))


def list_categories(engine: sa.Engine) -> list[str]:
    """Distinct product categories, sorted."""
    stmt = sa.select(products.c.category).where(products.c.category.is_not(None)).distinct()
    return sorted(_read(engine, stmt)["category"].astype(str))


def order_date_range(engine: sa.Engine, scope: tuple[str, ...] | None = None) -> tuple[date, date] | None:
    """First and last order day of the scope's stores (None when they have no orders)."""
    stmt = sa.select(sa.func.min(orders.c.ordered_at), sa.func.max(orders.c.ordered_at))
    if scope is not None:
        stmt = stmt.where(orders.c.store_id.in_(scope))
    with engine.connect() as conn:
        first, last = conn.execute(stmt).one()
    if first is None:
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()
