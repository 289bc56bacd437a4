"""Customer and sales-structure queries: repurchase, returns, trend by grain, ABC, funnel, new vs returning.

Same rules as data_access.sales.queries: Filters in, SQL aggregation with bound parameters, DataFrame out,
store scope applied in SQL. "First order" is a customer's first non-cancelled order within the
caller's store scope (a manager's "new customer" is new to their stores).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access import rollup_tables
from data_access.filters import Filters
from data_access.periods import bucket, comparison_periods
from data_access.read import read_frame
from data_access.rollup_tables import customer_first, customer_store_first, sales_daily, sku_daily
from data_access.sales.core import (
    FLOAT,
    category_condition,
    cell_measures,
    line_range,
    order_conditions,
    rollup_conditions,
    sales_rows,
    traffic_conditions,
    use_rollup,
    with_order_ranges,
)
from data_access.sales.ratios import derive_ratios
from data_access.sales.sku_totals import product_totals
from data_access.schema import order_items, orders, products, traffic
from data_access.scope import in_scope


def customer_conditions(f: Filters) -> list:
    conds = [orders.c.status != "cancelled", orders.c.customer_id.is_not(None)]
    conds.append(in_scope(orders.c.store_id, f))
    if f.channels is not None:
        conds.append(orders.c.channel.in_(f.channels))
    return conds


def first_orders(f: Filters, rollup: bool = False) -> sa.Subquery:
    """customer_id, first_at: each customer's first non-cancelled order in scope (all history).

    With `rollup` (current rollups) and no channel filter, read from the first-order rollups.
    """
    if rollup and f.channels is None:
        return _rollup_first_orders(f)
    return (sa.select(orders.c.customer_id, sa.func.min(orders.c.ordered_at).label("first_at"))
            .where(*customer_conditions(f)).group_by(orders.c.customer_id).subquery("first_orders"))


def _rollup_first_orders(f: Filters, since: datetime | None = None) -> sa.Subquery:
    """customer_id, first_at from the first-order rollups for f's store scope (f has no channel filter); with
    `since`, only customers whose first order in scope is at or after it."""
    if f.stores is None:
        c = customer_first.c
        stmt = sa.select(c.customer_id, c.first_at)
        if since is not None:
            stmt = stmt.where(c.first_at >= since)
    else:
        c = customer_store_first.c
        first_at = sa.func.min(c.first_at)
        stmt = (sa.select(c.customer_id, first_at.label("first_at")).where(in_scope(c.store_id, f))
                .group_by(c.customer_id))
        if since is not None:
            # a customer's later stores never make their first order earlier, so rows before `since` can go
            stmt = stmt.having(first_at >= since)
    return stmt.subquery("first_orders")


def period_orders(f: Filters) -> sa.Subquery:
    """Non-cancelled orders of the period with a customer: order_id, customer_id, ordered_at, status."""
    return (sa.select(orders.c.order_id, orders.c.customer_id, orders.c.ordered_at, orders.c.status,
                      orders.c.refund_total)
            .where(*order_conditions(f), *customer_conditions(f)).subquery("period_orders"))


def customer_kpis(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Repurchase, returning-customer and return rates for the period and its comparison periods.

    Columns: period, customers, repeat_customers (>= 2 orders in the period), returning_customers
    (ordered in scope before the period), orders, returned_orders (status returned, a returned
    line, or a refund on a line-less order), repurchase_rate, returning_customer_rate, return_rate.
    """
    # The category filter does not apply here (these are order and customer rates), so the rollup always can.
    rollup = rollup_tables.current(engine)
    compared = tuple(comparison_periods(f).values())
    rows = []
    for name, p in zip(("current", "previous", "last_year"),
                       compared if rollup else with_order_ranges(engine, *compared), strict=True):
        with engine.connect() as conn:
            c = conn.execute(_customer_counts(p, rollup)).one()
            o = conn.execute(_order_counts(p, rollup)).one()
        rows.append({"period": name, "customers": int(c.customers or 0),
                     "repeat_customers": int(c.repeat_customers or 0),
                     "returning_customers": int(c.returning_customers or 0), "orders": int(o.orders or 0),
                     "returned_orders": int(o.returned_orders or 0)})
    df = pd.DataFrame(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        df["repurchase_rate"] = df["repeat_customers"] / df["customers"].where(df["customers"] > 0)
        df["returning_customer_rate"] = df["returning_customers"] / df["customers"].where(df["customers"] > 0)
        df["return_rate"] = df["returned_orders"] / df["orders"].where(df["orders"] > 0)
    return df


def _customer_counts(p: Filters, rollup: bool) -> sa.Select:
    """customers, repeat_customers, returning_customers of one period (one row)."""
    po = period_orders(p)
    per_customer = (sa.select(po.c.customer_id, sa.func.count().label("n"))
                    .group_by(po.c.customer_id).subquery("per_customer"))
    if rollup and p.channels is None and p.stores is None:
        # Returning = the period's customers but those whose first order ever falls in it: a range read of
        # the first-order rollup instead of a semi-join with every earlier order.
        first = _rollup_first_orders(p, since=p.start_at)
        new = sa.select(sa.func.count()).where(first.c.first_at < p.end_before).scalar_subquery()
        returning = sa.func.count() - new
    elif rollup and p.channels is None:
        # The semi-join, against one row per customer and store (stored by store) instead of every order.
        c = customer_store_first.c
        before = sa.exists().where(c.customer_id == per_customer.c.customer_id, in_scope(c.store_id, p),
                                   c.first_at < p.start_at)
        returning = sa.func.sum(sa.case((before, 1), else_=0))
    else:
        # "Ordered before" as a semi-join against earlier orders: no first-order table over all history.
        earlier = orders.alias("earlier")
        before = sa.exists().where(earlier.c.customer_id == per_customer.c.customer_id,
                                   earlier.c.ordered_at < p.start_at, earlier.c.status != "cancelled",
                                   in_scope(earlier.c.store_id, p),
                                   *([earlier.c.channel.in_(p.channels)] if p.channels is not None else []))
        returning = sa.func.sum(sa.case((before, 1), else_=0))
    return sa.select(
        sa.func.count().label("customers"),
        sa.func.sum(sa.case((per_customer.c.n >= 2, 1), else_=0)).label("repeat_customers"),
        returning.label("returning_customers"),
    ).select_from(per_customer)


def _order_counts(p: Filters, rollup: bool) -> sa.Select:
    """orders (non-cancelled) and returned_orders of one period (one row)."""
    if rollup:
        r = sales_daily.c
        return sa.select(sa.func.sum(r.orders).label("orders"),
                         sa.func.sum(r.returned_orders).label("returned_orders")).where(*rollup_conditions(p))
    counted = (sa.select(orders.c.order_id, orders.c.status, orders.c.refund_total)
               .where(*order_conditions(p), orders.c.status != "cancelled").subquery("counted"))
    # Per order: does it have lines, and is any of them returned (one pass over the lines).
    lines = (sa.select(order_items.c.order_id, sa.func.count().label("n_lines"),
                       sa.func.max(sa.case((order_items.c.returned, 1), else_=0)).label("any_returned"))
             .where(order_items.c.order_id.in_(sa.select(counted.c.order_id)), *line_range(p))
             .group_by(order_items.c.order_id).subquery("lines"))
    is_return = sa.or_(counted.c.status == "returned", lines.c.any_returned == 1,
                       sa.and_(lines.c.n_lines.is_(None), sa.func.coalesce(counted.c.refund_total, 0) > 0))
    return sa.select(
        sa.func.count().label("orders"),
        sa.func.sum(sa.case((is_return, 1), else_=0)).label("returned_orders"),
    ).select_from(counted.outerjoin(lines, lines.c.order_id == counted.c.order_id))


def sales_trend(engine: sa.Engine, f: Filters, grain: str = "day", shift_days: int = 0,
                with_customers: bool = True) -> pd.DataFrame:
    """Net sales, orders and units per day, ISO week (starting Monday) or month.

    Columns: period_start (datetime64), net_sales, orders, units, customers, sessions, gross_margin,
    aov, margin_pct, conversion_rate. With `shift_days`, every sale is bucketed as if it happened that
    many days later and period_start is on that shifted calendar: a comparison period shifted onto the
    current one then falls into exactly the current period's weeks or months, cut the same way.
    Without `with_customers` there is no customers column (and the rollup is read without the orders).
    """
    bucket(orders.c.ordered_at, grain)  # an unknown grain fails before any query
    rollup = use_rollup(engine, f)
    if not rollup:
        f, = with_order_ranges(engine, f)
    shift = sa.literal(timedelta(days=shift_days), sa.Interval)
    stmt = cell_measures(f, lambda c: {"day": bucket(c.at + shift if shift_days else c.at, grain)}, rollup,
                          with_customers)
    df = derive_ratios(read_frame(engine, stmt)).rename(columns={"day": "period_start"})
    if not with_customers:
        df = df.drop(columns="customers")
    df["period_start"] = pd.to_datetime(df["period_start"])
    return df.sort_values("period_start").reset_index(drop=True)


def product_abc(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Every product sold in the period with its ABC class (A: top 80% of net sales, B: next 15%, C: rest).

    Columns: sku, name, name_zh (Chinese name or None), category, units, net_sales, gross_margin, orders, share,
    cumulative_share,
    abc_class. Classes come from the running share in SQL: a product is A while the share of the
    products before it is below 80%.
    """
    rollup = rollup_tables.current(engine)
    if not rollup:
        f, = with_order_ranges(engine, f)
    agg = product_totals(f, rollup).subquery("agg")
    total = sa.func.sum(agg.c.net_sales).over()
    running = sa.func.sum(agg.c.net_sales).over(order_by=[agg.c.net_sales.desc(), agg.c.sku],
                                                rows=(None, 0))
    ranked = sa.select(
        agg, (agg.c.net_sales / sa.func.nullif(total, 0)).label("share"),
        (running / sa.func.nullif(total, 0)).label("cumulative_share"),
        ((running - agg.c.net_sales) / sa.func.nullif(total, 0)).label("share_before"),
    ).subquery("ranked")
    abc = sa.case((ranked.c.share_before < 0.80, "A"), (ranked.c.share_before < 0.95, "B"), else_="C")
    stmt = (sa.select(ranked.c.sku, products.c.name, products.c.name_zh, products.c.category, ranked.c.units,
                      ranked.c.net_sales,
                      ranked.c.gross_margin, ranked.c.orders, ranked.c.share, ranked.c.cumulative_share,
                      abc.label("abc_class"))
            .select_from(ranked.outerjoin(products, products.c.sku == ranked.c.sku))
            .order_by(ranked.c.net_sales.desc(), ranked.c.sku))
    df = read_frame(engine, stmt)
    for col in ("share", "cumulative_share"):
        df[col] = df[col].astype(float)
    return df


def product_weekly_sales(engine: sa.Engine, f: Filters, skus: list[str]) -> pd.DataFrame:
    """Weekly net sales of the given products (for sparklines). Columns: sku, week (datetime64), net_sales."""
    if rollup_tables.current(engine):
        df = read_frame(engine, _weekly_from_rollup(f, skus))
        df["week"] = pd.to_datetime(df["week"])
        return df
    f, = with_order_ranges(engine, f)
    sales = sales_rows(f, {"sku": order_items.c.sku, "week": bucket(orders.c.ordered_at, "week")}).subquery("s")
    stmt = (sa.select(sales.c.sku, sales.c.week, sa.cast(sa.func.sum(sales.c.net), FLOAT).label("net_sales"))
            .where(sales.c.sku.in_(list(skus))).group_by(sales.c.sku, sales.c.week).order_by(sales.c.sku, sales.c.week))
    df = read_frame(engine, stmt)
    df["week"] = pd.to_datetime(df["week"])
    return df


def _weekly_from_rollup(f: Filters, skus: list[str]) -> sa.Select:
    r = sku_daily.c
    week = bucket(sa.cast(r.day, sa.DateTime), "week").label("week")
    stmt = (sa.select(r.sku, week, sa.cast(sa.func.sum(r.net_sales), FLOAT).label("net_sales"))
            .where(*rollup_conditions(f, sku_daily), r.sku.in_(list(skus)))
            .group_by(r.sku, week).order_by(r.sku, week))
    if f.categories is not None:
        stmt = (stmt.outerjoin(products, products.c.sku == r.sku)
                .where(category_condition(products.c.category, f.categories)))
    return stmt


FUNNEL_STEPS = ("sessions", "product_views", "add_to_carts", "checkouts", "orders")


def funnel_by_channel(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """The conversion funnel per channel: sessions -> product views -> add to cart -> checkout -> orders.

    Columns: channel, sessions, product_views, add_to_carts, checkouts, orders. Only channels with
    traffic rows; orders are non-cancelled orders of the same days, stores and channels.
    """
    t = traffic.c
    steps = (sa.select(t.channel, *[sa.cast(sa.func.sum(sa.func.coalesce(t[c], 0)), sa.BigInteger).label(c)
                                    for c in FUNNEL_STEPS[:-1]])
             .where(*traffic_conditions(f)).group_by(t.channel).subquery("steps"))
    counted = (sa.select(orders.c.channel, sa.cast(sa.func.count(), sa.BigInteger).label("orders"))
               .where(*order_conditions(f), orders.c.status != "cancelled")
               .group_by(orders.c.channel).subquery("counted"))
    stmt = (sa.select(steps, sa.func.coalesce(counted.c.orders, 0).label("orders"))
            .select_from(steps.outerjoin(counted, counted.c.channel == steps.c.channel))
            .order_by(steps.c.sessions.desc(), steps.c.channel))
    return read_frame(engine, stmt)


def new_vs_returning(engine: sa.Engine, f: Filters, grain: str = "week") -> pd.DataFrame:
    """Customers per period bucket split into new (first order in scope falls in the bucket) and returning.

    Columns: period_start (datetime64), new_customers, returning_customers.
    """
    rollup = rollup_tables.current(engine) and f.channels is None
    period_start = bucket(orders.c.ordered_at, grain)
    per = (sa.select(period_start.label("period_start"), orders.c.customer_id,
                     sa.func.min(orders.c.ordered_at).label("at"))
           .where(*order_conditions(f), *customer_conditions(f))
           .group_by(period_start, orders.c.customer_id).subquery("per"))
    if rollup:
        # Only a first order in a bucket holding a day of the period makes a customer new, so the first-order
        # rows of the month before the period on suffice: a customer without one is returning.
        first = _rollup_first_orders(f, since=f.start_at - timedelta(days=31))
        joined = per.outerjoin(first, first.c.customer_id == per.c.customer_id)
    else:
        first = first_orders(f)  # every customer of the period has a first order in scope
        joined = per.join(first, first.c.customer_id == per.c.customer_id)
    is_new = sa.and_(first.c.first_at.is_not(None), bucket(first.c.first_at, grain) == per.c.period_start)
    stmt = (sa.select(per.c.period_start,
                      sa.func.sum(sa.case((is_new, 1), else_=0)).label("new_customers"),
                      sa.func.sum(sa.case((is_new, 0), else_=1)).label("returning_customers"))
            .select_from(joined)
            .group_by(per.c.period_start).order_by(per.c.period_start))
    df = read_frame(engine, stmt)
    df["period_start"] = pd.to_datetime(df["period_start"])
    return df.astype({"new_customers": "int64", "returning_customers": "int64"})
