"""Fulfilment figures of the orders placed in a period: durations, on-time shipment and delivery, by any dimension.

Definitions (README "Logistics definitions"), over the orders placed in the period that were not cancelled, in
the store scope (a channel pick keeps orders of those channels, a category pick orders holding a product of
those categories), with the times as recorded:
- order -> payment = paid_at - ordered_at; payment -> shipment = shipped_at - the payment time (the order time
  when no payment time is recorded); shipment -> delivery = delivered_at - shipped_at; order -> delivery =
  delivered_at - ordered_at. Median and P90 (linear interpolation) over the orders that have both times.
- on-time shipment: shipped within `ship_within_hours` (48 by default, Taobao's rule) of the payment time, over
  the orders shipped; on-time delivery: delivered on or before the promised day (calendar dates, as the
  satisfaction page's delivery delay), over the orders delivered that had a promised date.
- shipping cost: the sum and the mean over the orders that record one.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.measures import count_if, percentile
from data_access.periods import bucket, bucket_starts, in_order, periods_table
from data_access.read import read_frame
from data_access.sales.core import FLOAT, category_condition
from data_access.satisfaction.sla import hours_between
from data_access.schema import order_items, orders, products, stores
from data_access.scope import in_scope

#: Taobao's delivery rule: a paid order ships within 48 hours.
SHIP_WITHIN_HOURS = 48.0
#: Dimensions the page splits by, and the order column each one reads.
DIMENSIONS = ("store", "region", "channel", "carrier")

FULFILMENT_COLUMNS = [
    "orders", "paid", "shipped", "delivered", "pay_hours_median", "pay_hours_p90", "ship_hours_median",
    "ship_hours_p90", "transit_days_median", "transit_days_p90", "delivery_days_median", "delivery_days_p90",
    "shipped_on_time", "on_time_shipment_rate", "with_promise", "delivered_on_time", "late_deliveries",
    "on_time_delivery_rate", "avg_days_late", "costed_orders", "shipping_cost", "avg_shipping_cost",
]


def order_scope(f: Filters, table: sa.Table = orders) -> list:
    """The store scope and the channel/category picks as conditions on (an alias of) orders, no dates."""
    o = table.c
    conds = [in_scope(o.store_id, f), o.status != "cancelled"]
    if f.channels is not None:
        conds.append(o.channel.in_(f.channels))
    if f.categories is not None:
        # Outer join: a line whose SKU is missing from the catalogue counts as uncategorised.
        oi, p = order_items.alias("scope_lines"), products.alias("scope_products")
        conds.append(sa.exists(sa.select(1).select_from(oi.outerjoin(p, p.c.sku == oi.c.sku))
                               .where(oi.c.order_id == o.order_id, category_condition(p.c.category, f.categories))))
    return conds


def days_late(table: sa.Table = orders) -> sa.ColumnElement:
    """Calendar days between the promised and the delivery date (<= 0: on time); NULL when either is missing."""
    return sa.cast(table.c.delivered_at, sa.Date) - sa.cast(table.c.promised_at, sa.Date)


def _facts(f: Filters, ship_within_hours: float, period=None) -> sa.Subquery:
    """One row per order in scope with its fulfilment times (hours) and on-time flags (1/0/NULL).

    Columns: [period,] order_id, store_id, channel, region, carrier, ordered_at, pay_hours, ship_hours,
    transit_hours, delivery_hours, shipped_on_time, delivered_on_time, days_late, shipping_cost.
    With `period` (a periods_table) the orders of each of its periods; else those of f's dates.
    """
    o = orders.c
    paid_time = sa.func.coalesce(o.paid_at, o.ordered_at)
    ship_hours = sa.cast(hours_between(o.shipped_at, paid_time), FLOAT)
    late = days_late()
    columns = [
        o.order_id, o.store_id, o.channel, o.region, o.carrier, o.ordered_at,
        sa.cast(hours_between(o.paid_at, o.ordered_at), FLOAT).label("pay_hours"),
        ship_hours.label("ship_hours"),
        sa.cast(hours_between(o.delivered_at, o.shipped_at), FLOAT).label("transit_hours"),
        sa.cast(hours_between(o.delivered_at, o.ordered_at), FLOAT).label("delivery_hours"),
        sa.case((o.shipped_at.is_(None), None), (ship_hours <= ship_within_hours, 1), else_=0)
        .label("shipped_on_time"),
        sa.case((late.is_(None), None), (late <= 0, 1), else_=0).label("delivered_on_time"),
        late.label("days_late"),
        sa.cast(o.shipping_cost, FLOAT).label("shipping_cost"),
    ]
    if period is None:
        stmt = sa.select(*columns).where(o.ordered_at >= f.start_at, o.ordered_at < f.end_before)
    else:
        stmt = (sa.select(period.c.period, *columns)
                .select_from(orders.join(period, sa.and_(o.ordered_at >= period.c.start_at,
                                                         o.ordered_at < period.c.end_before))))
    return stmt.where(*order_scope(f)).subquery("facts")


def _measures(x: sa.Subquery) -> list[sa.ColumnElement]:
    """The summable and percentile measures of FULFILMENT_COLUMNS (rates are finished in pandas)."""
    c = x.c
    return [
        sa.cast(sa.func.count(), sa.BigInteger).label("orders"),
        sa.cast(sa.func.count(c.pay_hours), sa.BigInteger).label("paid"),
        sa.cast(sa.func.count(c.shipped_on_time), sa.BigInteger).label("shipped"),
        sa.cast(sa.func.count(c.delivery_hours), sa.BigInteger).label("delivered"),
        percentile(0.5, c.pay_hours).label("pay_hours_median"),
        percentile(0.9, c.pay_hours).label("pay_hours_p90"),
        percentile(0.5, c.ship_hours).label("ship_hours_median"),
        percentile(0.9, c.ship_hours).label("ship_hours_p90"),
        percentile(0.5, c.transit_hours / 24.0).label("transit_days_median"),
        percentile(0.9, c.transit_hours / 24.0).label("transit_days_p90"),
        percentile(0.5, c.delivery_hours / 24.0).label("delivery_days_median"),
        percentile(0.9, c.delivery_hours / 24.0).label("delivery_days_p90"),
        count_if(c.shipped_on_time == 1).label("shipped_on_time"),
        sa.cast(sa.func.count(c.delivered_on_time), sa.BigInteger).label("with_promise"),
        count_if(c.delivered_on_time == 1).label("delivered_on_time"),
        count_if(c.delivered_on_time == 0).label("late_deliveries"),
        sa.cast(sa.func.sum(sa.case((c.days_late > 0, c.days_late))), FLOAT).label("days_late_sum"),
        sa.cast(sa.func.count(c.shipping_cost), sa.BigInteger).label("costed_orders"),
        sa.cast(sa.func.sum(c.shipping_cost), FLOAT).label("shipping_cost"),
    ]


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = pd.to_numeric(den).astype(float)
    return pd.to_numeric(num).astype(float) / den.where(den > 0)


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """Counts as integers (0 when missing) and the rates: on-time shares, mean days late, mean cost."""
    out = df.copy()
    for col in ("orders", "paid", "shipped", "delivered", "shipped_on_time", "with_promise", "delivered_on_time",
                "late_deliveries", "costed_orders"):
        out[col] = pd.to_numeric(out[col]).fillna(0).astype("int64")
    out["on_time_shipment_rate"] = _ratio(out["shipped_on_time"], out["shipped"])
    out["on_time_delivery_rate"] = _ratio(out["delivered_on_time"], out["with_promise"])
    out["avg_days_late"] = _ratio(out["days_late_sum"], out["late_deliveries"])
    out["avg_shipping_cost"] = _ratio(out["shipping_cost"], out["costed_orders"])
    out["shipping_cost"] = pd.to_numeric(out["shipping_cost"]).astype(float).where(out["costed_orders"] > 0)
    for col in FULFILMENT_COLUMNS:
        if col not in out.columns or out[col].dtype == object:
            out[col] = pd.to_numeric(out.get(col), errors="coerce")
    return out


def fulfilment_kpis(engine: sa.Engine, f: Filters, ship_within_hours: float = SHIP_WITHIN_HOURS) -> pd.DataFrame:
    """The fulfilment figures of 'current', 'previous' (equal length before) and 'last_year', one row each.

    Columns: period, start, end, then FULFILMENT_COLUMNS (definitions in the module docstring): orders, paid,
    shipped, delivered; pay_hours_*, ship_hours_* (hours), transit_days_*, delivery_days_* (days), median and
    p90; shipped_on_time, on_time_shipment_rate; with_promise, delivered_on_time, late_deliveries,
    on_time_delivery_rate, avg_days_late (over the late ones); costed_orders, shipping_cost, avg_shipping_cost.
    """
    periods = {"current": f, "previous": f.previous_period(), "last_year": f.last_year()}
    x = _facts(f, ship_within_hours, periods_table(periods))
    stmt = sa.select(x.c.period, *_measures(x)).group_by(x.c.period)
    df = _finish(in_order(read_frame(engine, stmt), periods))
    df.insert(1, "start", [periods[p].start for p in df["period"]])
    df.insert(2, "end", [periods[p].end for p in df["period"]])
    return df[["period", "start", "end", *FULFILMENT_COLUMNS]]


def fulfilment_by(engine: sa.Engine, f: Filters, by: str,
                  ship_within_hours: float = SHIP_WITHIN_HOURS) -> pd.DataFrame:
    """The fulfilment figures per store, region (the order's delivery region), channel or carrier.

    Columns: key (None where the order does not say), name, name_zh (store names; the key otherwise), then
    FULFILMENT_COLUMNS. Sorted by on-time delivery rate, lowest first, then by orders.
    """
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}; expected one of {DIMENSIONS}")
    x = _facts(f, ship_within_hours)
    key = {"store": x.c.store_id, "region": x.c.region, "channel": x.c.channel, "carrier": x.c.carrier}[by]
    agg = sa.select(key.label("key"), *_measures(x)).group_by(key).subquery("agg")
    if by == "store":
        stmt = (sa.select(agg, stores.c.name, stores.c.name_zh)
                .select_from(agg.outerjoin(stores, stores.c.store_id == agg.c.key)))
    else:
        stmt = sa.select(agg, agg.c.key.label("name"), agg.c.key.label("name_zh"))
    df = _finish(read_frame(engine, stmt))
    df = df.sort_values(["on_time_delivery_rate", "orders", "key"], ascending=[True, False, True],
                        na_position="last")
    return df[["key", "name", "name_zh", *FULFILMENT_COLUMNS]].reset_index(drop=True)


def fulfilment_trend(engine: sa.Engine, f: Filters, grain: str = "day",
                     ship_within_hours: float = SHIP_WITHIN_HOURS) -> pd.DataFrame:
    """The fulfilment figures per day, ISO week or month of the order date, every bucket of the period.

    Columns: period_start (datetime64), then FULFILMENT_COLUMNS (NaN rates where a bucket has no orders).
    """
    x = _facts(f, ship_within_hours)
    day = bucket(x.c.ordered_at, grain)
    df = read_frame(engine, sa.select(day.label("period_start"), *_measures(x)).group_by(day))
    df["period_start"] = pd.to_datetime(df["period_start"])
    frame = pd.DataFrame({"period_start": bucket_starts(f.start, f.end, grain)}).merge(df, how="left")
    return _finish(frame)[["period_start", *FULFILMENT_COLUMNS]]

