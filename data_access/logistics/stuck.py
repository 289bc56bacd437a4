"""Orders stuck in fulfilment at a moment: paid but not shipped after N hours, shipped but not delivered after N days.

The moment (`cut`) is the earlier of `as_of` (the page passes now) and the end of the period; what happened after it
has not happened yet, so a past period shows what was stuck at its end. An order counts only when its data says
so: awaiting shipment = paid (or placed, without a payment time) at least `ship_after_hours` before the cut and
not shipped by then (no shipment time at all only while its status is still 'paid'); in transit = shipped at
least `deliver_after_days` before the cut and not delivered by then (no delivery time at all only while its
status is still 'shipped'). Imports that carry statuses without these times are never taken for stuck.
Orders placed in the period, in the store scope and the channel/category picks (data_access.logistics.queries).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.logistics.queries import order_scope
from data_access.measures import count_if
from data_access.read import read_frame
from data_access.sales.core import FLOAT
from data_access.satisfaction.sla import hours_between
from data_access.schema import orders, stores

#: Defaults: a paid order not shipped after 48 hours, a parcel not delivered 7 days after shipping.
SHIP_AFTER_HOURS, DELIVER_AFTER_DAYS = 48.0, 7.0
STAGES = ("awaiting_shipment", "in_transit")

STUCK_COLUMNS = ["order_id", "store_id", "store_name", "store_name_zh", "channel", "region", "carrier", "stage",
                 "ordered_at", "paid_at", "shipped_at", "promised_at", "waiting_hours", "past_promise"]


def cut_of(f: Filters, as_of: datetime) -> datetime:
    """The moment stuck orders are judged at: as_of, or the end of the period when that is earlier."""
    return min(as_of, f.end_before)


def _stuck(f: Filters, as_of: datetime, ship_after_hours: float, deliver_after_days: float) -> sa.Subquery:
    """One row per stuck order: the STUCK_COLUMNS but the store names."""
    o = orders.c
    cut = cut_of(f, as_of)
    at = sa.bindparam("cut", cut, type_=sa.DateTime)
    paid_time = sa.func.coalesce(o.paid_at, o.ordered_at)
    not_shipped = sa.or_(sa.and_(o.shipped_at.is_(None), o.status == "paid"), o.shipped_at > at)
    not_delivered = sa.or_(sa.and_(o.delivered_at.is_(None), o.status == "shipped"), o.delivered_at > at)
    awaiting = sa.and_(o.status != "pending", paid_time <= cut - timedelta(hours=ship_after_hours), not_shipped)
    in_transit = sa.and_(o.shipped_at <= cut - timedelta(days=deliver_after_days), not_delivered)
    stage = sa.case((awaiting, "awaiting_shipment"), (in_transit, "in_transit"))
    since = sa.case((awaiting, paid_time), else_=o.shipped_at)
    return (sa.select(o.order_id, o.store_id, o.channel, o.region, o.carrier, stage.label("stage"), o.ordered_at,
                      o.paid_at, sa.case((o.shipped_at <= at, o.shipped_at)).label("shipped_at"), o.promised_at,
                      sa.cast(hours_between(at, since), FLOAT).label("waiting_hours"),
                      sa.case((o.promised_at < at, True), else_=False).label("past_promise"))
            .where(o.ordered_at >= f.start_at, o.ordered_at < f.end_before, *order_scope(f),
                   sa.or_(awaiting, in_transit))
            .subquery("stuck"))


def stuck_orders(engine: sa.Engine, f: Filters, as_of: datetime, ship_after_hours: float = SHIP_AFTER_HOURS,
                 deliver_after_days: float = DELIVER_AFTER_DAYS, limit: int | None = None) -> pd.DataFrame:
    """The orders stuck at cut_of(f, as_of) (module docstring), longest waiting first (at most `limit`).

    Columns: order_id, store_id, store_name, store_name_zh, channel, region, carrier, stage (awaiting_shipment |
    in_transit), ordered_at, paid_at, shipped_at, promised_at, waiting_hours (since payment, or since shipment,
    up to the cut), past_promise (the promised date is before the cut).
    """
    x = _stuck(f, as_of, ship_after_hours, deliver_after_days)
    stmt = (sa.select(x, stores.c.name.label("store_name"), stores.c.name_zh.label("store_name_zh"))
            .select_from(x.outerjoin(stores, stores.c.store_id == x.c.store_id))
            .order_by(x.c.waiting_hours.desc(), x.c.order_id))
    if limit is not None:
        stmt = stmt.limit(limit)
    df = read_frame(engine, stmt)
    df["waiting_hours"] = pd.to_numeric(df["waiting_hours"]).astype(float)
    df["past_promise"] = df["past_promise"].astype(bool)
    return df[STUCK_COLUMNS]


def stuck_counts(engine: sa.Engine, f: Filters, as_of: datetime, ship_after_hours: float = SHIP_AFTER_HOURS,
                 deliver_after_days: float = DELIVER_AFTER_DAYS) -> pd.DataFrame:
    """How many orders are stuck per store and stage at cut_of(f, as_of), stores in order.

    Columns: store_id, stage, orders, past_promise (of them, past their promised date), oldest_hours,
    placed_orders (the store's orders of the period, stuck or not: the base a share of stuck orders is of).
    """
    x = _stuck(f, as_of, ship_after_hours, deliver_after_days)
    o = orders.c
    placed = (sa.select(o.store_id, sa.cast(sa.func.count(), sa.BigInteger).label("placed_orders"))
              .where(o.ordered_at >= f.start_at, o.ordered_at < f.end_before, *order_scope(f))
              .group_by(o.store_id).subquery("placed"))
    counts = (sa.select(x.c.store_id, x.c.stage, sa.cast(sa.func.count(), sa.BigInteger).label("orders"),
                        count_if(x.c.past_promise).label("past_promise"),
                        sa.func.max(x.c.waiting_hours).label("oldest_hours"))
              .group_by(x.c.store_id, x.c.stage).subquery("counts"))
    stmt = (sa.select(counts, placed.c.placed_orders)
            .select_from(counts.join(placed, placed.c.store_id == counts.c.store_id))
            .order_by(counts.c.store_id, counts.c.stage))
    df = read_frame(engine, stmt)
    df["oldest_hours"] = pd.to_numeric(df["oldest_hours"]).astype(float)
    return df
