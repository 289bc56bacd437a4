"""Series for campaign-effect estimates: daily orders by channel in the caller's stores, and the planted truth."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.lookups import order_date_range
from data_access.schema import campaign_truth, campaigns, orders
from data_access.scope import in_scope


def read_frame(engine: sa.Engine, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def daily_channel_orders(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Non-cancelled orders per day and channel in the filter's stores and channels, every day of the range.

    Columns: ds (datetime64), channel (str), orders (int64). Days without orders of a channel are zeros; the
    channels are f.channels (when given) or those with any order in the range. The store scope and channels are
    bound parameters; an empty store scope gives zeros (or no rows without f.channels), never every store.
    """
    o = orders.c
    day = sa.cast(o.ordered_at, sa.Date)
    conds = [o.ordered_at >= f.start_at, o.ordered_at < f.end_before, o.status != "cancelled"]
    conds.append(in_scope(o.store_id, f))
    if f.channels is not None:
        conds.append(o.channel.in_(f.channels))
    stmt = (sa.select(day.label("ds"), o.channel.label("channel"), sa.func.count().label("orders"))
            .where(*conds).group_by(day, o.channel))
    found = read_frame(engine, stmt)
    channels = list(f.channels) if f.channels is not None else sorted(found["channel"].unique())
    grid = pd.MultiIndex.from_product([pd.date_range(f.start, f.end, freq="D"), channels], names=["ds", "channel"])
    if found.empty:
        return grid.to_frame(index=False).assign(orders=0).astype({"orders": "int64"})
    found["ds"] = pd.to_datetime(found["ds"])
    counts = found.set_index(["ds", "channel"])["orders"].reindex(grid, fill_value=0)
    return counts.astype("int64").reset_index()


def channel_series(engine: sa.Engine, f: Filters, channel: str) -> pd.DataFrame:
    """A campaign-effect series and its control: daily non-cancelled orders of `channel` (y) and of every other
    channel together (other_channels) in the filter's stores, from the later of f.start and the scope's first order
    (days before the shop's history are unknown, not zeros) to f.end; f.channels is ignored.

    Columns: ds (datetime64), y (float), other_channels (float). Empty when the scope has no orders.
    """
    first = order_date_range(engine, Filters.all_time(f.stores))
    if first is None or first[0] > f.end:
        return pd.DataFrame({"ds": pd.Series(dtype="datetime64[ns]"), "y": pd.Series(dtype=float),
                             "other_channels": pd.Series(dtype=float)})
    scoped = replace(f, start=max(f.start, first[0]), channels=None, order_id_range=None)
    daily = daily_channel_orders(engine, scoped)
    mine = daily["channel"] == channel
    days = pd.DataFrame({"ds": pd.date_range(scoped.start, scoped.end, freq="D")})
    y = daily[mine].groupby("ds")["orders"].sum()
    others = daily[~mine].groupby("ds")["orders"].sum()
    return days.assign(y=days["ds"].map(y).fillna(0).astype(float).to_numpy(),
                       other_channels=days["ds"].map(others).fillna(0).astype(float).to_numpy())


def planted_campaigns(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """The demo shop's campaigns with their planted truth, one row per campaign: those whose stores are all in f's
    scope (f's dates do not apply; a campaign's stores are a list, so the scope is applied to the rows read).

    Columns: campaign_id, channel, store_ids (tuple of str), start_date, end_date (date), true_channel_lift,
    expected_incremental_orders, incremental_orders, incremental_net_sales, budget.
    """
    t, c = campaign_truth.c, campaigns.c
    stmt = (sa.select(t.campaign_id, t.channel, t.store_ids, c.start_date, c.end_date, t.true_channel_lift,
                      t.expected_incremental_orders, t.incremental_orders, t.incremental_net_sales, c.budget)
            .join_from(campaign_truth, campaigns, c.campaign_id == t.campaign_id)
            .order_by(t.campaign_id))
    df = read_frame(engine, stmt)
    df["store_ids"] = [tuple(s for s in str(ids).split(",") if s) for ids in df["store_ids"]]
    for col in ("start_date", "end_date"):
        df[col] = pd.to_datetime(df[col]).dt.date
    for col in ("true_channel_lift", "expected_incremental_orders", "incremental_net_sales", "budget"):
        df[col] = df[col].astype(float)
    if f.stores is not None:
        allowed = set(f.stores)
        df = df[[set(ids) <= allowed for ids in df["store_ids"]]].reset_index(drop=True)
    return df
