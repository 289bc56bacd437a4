"""What a late delivery costs: the rating its order got and whether its customer bought again, by delivery delay.

Orders of the period (data_access.logistics.queries: not cancelled, scope and picks) by the satisfaction page's
delay buckets (on time, 1-2, 3-7, more than 7 days late, not delivered, no promised date). Rating: the mean of
the reviews of those orders (any review date; the reviews of stores in scope). Repeat purchase: the share of
the orders with a customer whose customer placed another (not cancelled) order in the scope within
REPEAT_DAYS after it; recent orders have had less time to be followed, which applies to every bucket alike.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.logistics.queries import order_scope
from data_access.measures import count_if
from data_access.read import read_frame
from data_access.satisfaction.reviews import DELAY_BUCKETS, LOW_MAX, delay_bucket
from data_access.schema import orders, reviews
from data_access.scope import in_scope

REPEAT_DAYS = 90
#: The buckets an order can fall in (no_order belongs to reviews without an order).
ORDER_BUCKETS = tuple(b for b in DELAY_BUCKETS if b != "no_order")


def delay_effects(engine: sa.Engine, f: Filters, repeat_days: int = REPEAT_DAYS) -> pd.DataFrame:
    """Per delivery-delay bucket (ORDER_BUCKETS, all of them in order): orders, reviews and rating, repeat rate.

    Columns: bucket, orders, reviewed_orders, reviews, avg_rating, low_share (1-2 stars / reviews),
    with_customer (orders with a customer id), repeat_orders (followed by another order of the customer within
    repeat_days), repeat_rate (repeat_orders / with_customer).
    """
    o, r = orders.c, reviews.c
    rated = (sa.select(r.order_id, sa.func.count().label("n"), sa.func.sum(r.rating).label("rating_sum"),
                       count_if(r.rating <= LOW_MAX).label("low"))
             .where(in_scope(r.store_id, f), r.order_id.is_not(None)).group_by(r.order_id).subquery("rated"))
    later = orders.alias("later")
    window = o.ordered_at + timedelta(days=repeat_days)
    again = sa.exists().where(later.c.customer_id == o.customer_id, later.c.order_id != o.order_id,
                              later.c.ordered_at > o.ordered_at, later.c.ordered_at <= window,
                              later.c.status != "cancelled", in_scope(later.c.store_id, f))
    key = delay_bucket()
    stmt = (sa.select(key.label("bucket"), sa.cast(sa.func.count(), sa.BigInteger).label("orders"),
                      sa.cast(sa.func.count(rated.c.n), sa.BigInteger).label("reviewed_orders"),
                      sa.cast(sa.func.sum(rated.c.n), sa.BigInteger).label("reviews"),
                      sa.cast(sa.func.sum(rated.c.rating_sum), sa.BigInteger).label("rating_sum"),
                      sa.cast(sa.func.sum(rated.c.low), sa.BigInteger).label("low"),
                      sa.cast(sa.func.count(o.customer_id), sa.BigInteger).label("with_customer"),
                      count_if(sa.and_(o.customer_id.is_not(None), again)).label("repeat_orders"))
            .select_from(orders.outerjoin(rated, rated.c.order_id == o.order_id))
            .where(o.ordered_at >= f.start_at, o.ordered_at < f.end_before, *order_scope(f))
            .group_by(key))
    df = pd.DataFrame({"bucket": ORDER_BUCKETS}).merge(read_frame(engine, stmt), how="left")
    for col in ("orders", "reviewed_orders", "reviews", "rating_sum", "low", "with_customer", "repeat_orders"):
        df[col] = pd.to_numeric(df[col]).fillna(0).astype("int64")
    reviewed = df["reviews"].where(df["reviews"] > 0).astype(float)
    df["avg_rating"] = df["rating_sum"] / reviewed
    df["low_share"] = df["low"] / reviewed
    df["repeat_rate"] = df["repeat_orders"] / df["with_customer"].where(df["with_customer"] > 0).astype(float)
    return df[["bucket", "orders", "reviewed_orders", "reviews", "avg_rating", "low_share", "with_customer",
               "repeat_orders", "repeat_rate"]]
