"""Marketing queries: channel comparison, channel trend and campaign results, aggregated in SQL.

Definitions (stated on the page and in the formula tooltips too):

- Attribution is last non-direct touch as the order records it: an order belongs to its `orders.channel` and
  `orders.campaign_id`. Attributed revenue = net sales (data_access.sales.queries' definition) of the period's orders
  of that channel (or campaign); orders = its non-cancelled orders. Direct gets revenue but no spend.
- New customers of a channel = customers whose first non-cancelled order in the caller's stores falls in the
  period and was placed through that channel (that order's channel, not customers.acquisition_channel: the same
  rule as revenue, scope-aware, and it needs nothing an order import does not bring).
- Spend, impressions, clicks and platform conversions come from marketing_spend, which has no store: spend is
  shop-wide. It is read only when the selection covers every store (`spend_applies`); for a store selection
  the spend columns are NaN, so ROAS, CPA, CAC and the like are never a shop-wide cost over some stores' sales.
- Days that only an aggregated daily report (daily_metrics) covers count its net sales, orders and visitors, as on
  the sales page (data_access.sales.core.report_rows); campaigns have none.
- Conversion rate = orders / sessions over the day x store x channel cells with traffic (as the sales page);
  a campaign's platform conversion rate = platform-reported conversions / clicks.
- The category filter does not apply: spend and sessions cannot be split by product category.

Ratios are NaN where the denominator is zero (the page writes "–").
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access import rollup_tables
from data_access.filters import Filters
from data_access.periods import bucket, comparison_periods
from data_access.read import read_frame
from data_access.rollup_tables import customer_first, customer_store_first
from data_access.sales.core import FLOAT, CellDims, cell_measures, measures, use_rollup, with_order_ranges
from data_access.schema import campaigns, marketing_spend, orders, traffic
from data_access.scope import in_scope

SPEND_MEASURES = ("spend", "impressions", "clicks", "platform_conversions")
#: Reported by the ad platform or not: NULL (unknown) stays NaN, so an unknown count never reads as zero.
REPORTED = ("impressions", "clicks", "platform_conversions")
ORDER_MEASURES = ("attributed_revenue", "orders", "sessions", "traffic_orders", "new_customers")
MEASURES = SPEND_MEASURES + ORDER_MEASURES
_MONEY = {"spend", "attributed_revenue"}

CHANNEL_COLUMNS = ["channel", "spend", "impressions", "clicks", "platform_conversions", "sessions", "orders",
                   "attributed_revenue", "new_customers", "ctr", "cpc", "cpm", "conversion_rate", "roas", "cpa",
                   "cac", "spend_share", "revenue_share"]
CAMPAIGN_COLUMNS = ["campaign_id", "name", "channel", "start_date", "end_date", "budget", "objective", "spend",
                    "impressions", "clicks", "platform_conversions", "ctr", "cpc", "cpm", "platform_conversion_rate",
                    "orders", "attributed_revenue", "new_customers", "roas", "cpa"]


def spend_applies(f: Filters) -> bool:
    """Whether shop-wide spend may be set against this selection's orders: only when it covers every store."""
    return f.stores is None


def _marketing_filters(engine: sa.Engine, f: Filters) -> Filters:
    """f without the category pick (it cannot split spend or sessions), with the order-id range hint."""
    f, = with_order_ranges(engine, replace(f, categories=None, order_id_range=None))
    return f


# ---------------------------------------------------------------- building blocks


def _zero(name: str):
    kind = FLOAT if name in _MONEY else sa.BigInteger
    # NULL for the platform counts: SUM skips it, so the total stays NULL when no row reported the count.
    return sa.cast(sa.null() if name in REPORTED else sa.literal(0), kind).label(name)


def _part(source, keys: dict[str, sa.ColumnElement], given: dict[str, sa.ColumnElement]) -> sa.Select:
    """keys + every measure (given ones summed, the rest zero), grouped by the keys: one arm of the stack."""
    cols = [expr.label(k) for k, expr in keys.items()]
    for name in MEASURES:
        if name in given:
            kind = FLOAT if name in _MONEY else sa.BigInteger
            cols.append(sa.cast(sa.func.sum(given[name]), kind).label(name))
        else:
            cols.append(_zero(name))
    stmt = sa.select(*cols)
    if source is not None:
        stmt = stmt.select_from(source)
    return stmt.group_by(*keys.values())


def spend_conditions(f: Filters) -> list:
    """The filter's days and channels as conditions on marketing_spend (it has no store)."""
    s = marketing_spend.c
    conds = [s.day >= f.start, s.day <= f.end]
    if f.channels is not None:
        conds.append(s.channel.in_(f.channels))
    return conds


def _spend_part(f: Filters, keys: dict[str, sa.ColumnElement]) -> sa.Select:
    s = marketing_spend.c
    given = {"spend": s.spend, "impressions": s.impressions, "clicks": s.clicks, "platform_conversions": s.conversions}
    return _part(marketing_spend, keys, given).where(*spend_conditions(f))


def _order_part(f: Filters, keys: dict[str, str], traffic_keys: dict[str, sa.ColumnElement] | None,
                cells: CellDims | None = None, rollup: bool = False) -> sa.Select:
    """Net sales, orders, sessions and traffic-matched orders by the keys, from the sales building blocks.

    cells: the same keys as functions of a day x store x channel cell, which also brings the daily reports' days
    that no order covers (data_access.sales.core.report_rows); with `rollup` (current rollups) the figures are
    read from the daily rollup instead of every order line.
    """
    if cells is not None:
        m = cell_measures(f, cells, rollup, with_customers=False).subquery("m")
    else:
        order_dims = {name: orders.c[column] if isinstance(column, str) else column for name, column in keys.items()}
        m = measures(f, order_dims, traffic_keys).subquery("m")
    given = {"attributed_revenue": m.c.net_sales, "orders": m.c.orders, "sessions": m.c.sessions,
             "traffic_orders": m.c.traffic_orders}
    return _part(m, {k: m.c[k] for k in keys}, given)


def first_orders_in_period(f: Filters, rollup: bool = False) -> sa.Subquery:
    """Customers whose first non-cancelled order in the scope's stores falls in the period, with that order.

    Columns: customer_id, ordered_at, channel, campaign_id. The channel pick applies to the first order's
    channel after it is found: a customer who first bought through another channel is not new to this one.
    rollup: read each customer's first order time from the rollups (data_access.rollup_tables, current) instead
    of searching the whole order history for an earlier order.
    """
    o = orders.c
    scope = [o.status != "cancelled", o.customer_id.is_not(None)]
    scope.append(in_scope(o.store_id, f))
    ranked = sa.select(
        o.customer_id, o.ordered_at, o.channel, o.campaign_id,
        sa.func.row_number().over(partition_by=o.customer_id, order_by=(o.ordered_at, o.order_id)).label("rn"),
    ).where(o.ordered_at >= f.start_at, o.ordered_at < f.end_before, *scope).subquery("ranked")
    stmt = sa.select(ranked.c.customer_id, ranked.c.ordered_at, ranked.c.channel, ranked.c.campaign_id)
    if rollup:
        if f.stores is None:
            first = sa.select(customer_first.c.customer_id, customer_first.c.first_at).subquery("first")
        else:
            csf = customer_store_first.c
            first = (sa.select(csf.customer_id, sa.func.min(csf.first_at).label("first_at"))
                     .where(in_scope(csf.store_id, f)).group_by(csf.customer_id).subquery("first"))
        stmt = (stmt.select_from(ranked.join(first, first.c.customer_id == ranked.c.customer_id))
                .where(ranked.c.rn == 1, first.c.first_at >= f.start_at))
    else:
        earlier = orders.alias("earlier")
        before = sa.exists().where(earlier.c.customer_id == ranked.c.customer_id, earlier.c.ordered_at < f.start_at,
                                   earlier.c.status != "cancelled",
                                   in_scope(earlier.c.store_id, f))
        stmt = stmt.where(ranked.c.rn == 1, sa.not_(before))
    if f.channels is not None:
        stmt = stmt.where(ranked.c.channel.in_(f.channels))
    return stmt.subquery("first_orders")


def _new_customer_part(f: Filters, keys: dict[str, str | sa.ColumnElement], rollup: bool = False) -> sa.Select:
    """New customers by the keys: a column name of first_orders_in_period, or an expression (e.g. a literal)."""
    first = first_orders_in_period(f, rollup)
    return _part(first, {k: first.c[column] if isinstance(column, str) else column for k, column in keys.items()},
                 {"new_customers": sa.literal(1)})


def _stacked(parts: list[sa.Select], keys: list[str]) -> sa.Select:
    stacked = sa.union_all(*parts).subquery("stacked")
    return (sa.select(*[stacked.c[k] for k in keys], *[sa.func.sum(stacked.c[m]).label(m) for m in MEASURES])
            .group_by(*[stacked.c[k] for k in keys]))


def _ratio(num: pd.Series, den: pd.Series, scale: float = 1.0) -> pd.Series:
    den = den.astype(float)
    return num.astype(float) * scale / den.where(den > 0)


def derive_marketing_ratios(df: pd.DataFrame, with_spend: bool) -> pd.DataFrame:
    """Fill measure NaNs, then add ctr, cpc, cpm, conversion_rate, roas, cpa, cac, platform_conversion_rate.

    Impressions, clicks and platform conversions stay NaN where no spend row reported them.

    Without spend (a store selection) the spend measures and every spend-based ratio are NaN; CPA and CAC are
    NaN too for rows without recorded spend (an unpaid channel has no cost per order, rather than a zero one).
    """
    out = df.copy()
    for col in MEASURES:
        if col in _MONEY:
            out[col] = out[col].astype(float).fillna(0.0)
        elif col in REPORTED:
            out[col] = out[col].astype(float)
        else:
            out[col] = out[col].fillna(0).astype("int64")
    if not with_spend:
        for col in SPEND_MEASURES:
            out[col] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ctr"] = _ratio(out["clicks"], out["impressions"])
        out["cpc"] = _ratio(out["spend"], out["clicks"])
        out["cpm"] = _ratio(out["spend"], out["impressions"], 1000.0)
        out["conversion_rate"] = _ratio(out["traffic_orders"], out["sessions"])
        out["roas"] = _ratio(out["attributed_revenue"], out["spend"])
        # A channel without recorded spend has no cost per order or customer (not a cost of zero).
        paid = out["spend"].where(out["spend"] > 0)
        out["cpa"] = _ratio(paid, out["orders"])
        out["cac"] = _ratio(paid, out["new_customers"])
        out["platform_conversion_rate"] = _ratio(out["platform_conversions"], out["clicks"])
    return out


# ---------------------------------------------------------------- named queries


def channel_comparison(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Every channel with spend or orders in the period, with its funnel, cost and return figures.

    Columns: channel, spend, impressions, clicks, platform_conversions, sessions, orders, attributed_revenue,
    new_customers, ctr (clicks / impressions), cpc (spend / clicks), cpm (spend / impressions x 1000),
    conversion_rate (orders / sessions where traffic exists), roas (attributed revenue / spend), cpa (spend /
    orders), cac (spend / new customers), spend_share, revenue_share (of the table's totals). Spend columns
    are NaN for a store selection (spend_applies). Sorted by spend, then attributed revenue, largest first.
    """
    f = _marketing_filters(engine, f)
    with_spend = spend_applies(f)
    rollup = use_rollup(engine, f)
    parts = [_order_part(f, {"channel": "channel"}, {"channel": traffic.c.channel},
                         cells=lambda c: {"channel": c.channel}, rollup=rollup),
             _new_customer_part(f, {"channel": "channel"}, rollup)]
    if with_spend:
        parts.append(_spend_part(f, {"channel": marketing_spend.c.channel}))
    df = derive_marketing_ratios(read_frame(engine, _stacked(parts, ["channel"])), with_spend)
    total_spend, total_revenue = df["spend"].sum(), df["attributed_revenue"].sum()
    df["spend_share"] = df["spend"] / total_spend if with_spend and total_spend > 0 else np.nan
    df["revenue_share"] = df["attributed_revenue"] / total_revenue if total_revenue > 0 else np.nan
    df = df.sort_values(["spend", "attributed_revenue", "channel"], ascending=[False, False, True],
                        na_position="last")
    return df[CHANNEL_COLUMNS].reset_index(drop=True)


def marketing_totals(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Shop totals for 'current', 'previous' (equal length before) and 'last_year', one row each.

    Columns: period, start, end, spend, revenue (net sales of every order of the selection, all channels),
    orders, new_customers, sessions, blended_roas (revenue / spend, MER), cac (spend / new customers, blended),
    cpa (spend / orders), conversion_rate. Spend-based columns are NaN for a store selection.
    """
    periods = comparison_periods(f)
    # one statement for the three order-id ranges, one for the three periods' totals
    ranged = with_order_ranges(engine, *[replace(p, categories=None, order_id_range=None) for p in periods.values()])
    rows, rollup = [], use_rollup(engine, f)
    for name, p in zip(periods, ranged, strict=True):
        parts = [_order_part(p, {}, {}, cells=lambda c: {}, rollup=rollup), _new_customer_part(p, {}, rollup)]
        if spend_applies(p):
            parts.append(_spend_part(p, {}))
        totals = _stacked(parts, []).subquery(f"totals_{name}")
        rows.append(sa.select(sa.literal(name).label("period"), *totals.c))
    df = read_frame(engine, sa.union_all(*rows))
    df = derive_marketing_ratios(df, spend_applies(f)).rename(columns={"attributed_revenue": "revenue",
                                                                       "roas": "blended_roas"})
    df = df.set_index("period").reindex(list(periods)).rename_axis("period").reset_index()
    df.insert(1, "start", [periods[p].start for p in df["period"]])
    df.insert(2, "end", [periods[p].end for p in df["period"]])
    return df[["period", "start", "end", "spend", "revenue", "orders", "new_customers", "sessions", "blended_roas",
               "cac", "cpa", "conversion_rate"]]


def channel_trend(engine: sa.Engine, f: Filters, grain: str = "week") -> pd.DataFrame:
    """Spend, attributed revenue and orders per channel per day, ISO week (Monday) or month.

    Columns: period_start (datetime64), channel, spend, attributed_revenue, orders, roas. Only buckets in
    which the channel had spend or orders; spend (and ROAS) NaN for a store selection.
    """
    f = _marketing_filters(engine, f)
    with_spend = spend_applies(f)
    parts = [_order_part(f, {"period_start": bucket(orders.c.ordered_at, grain), "channel": "channel"}, None,
                         cells=lambda c: {"period_start": bucket(c.at, grain), "channel": c.channel},
                         rollup=use_rollup(engine, f))]
    if with_spend:
        parts.append(_spend_part(f, {"period_start": bucket(marketing_spend.c.day, grain),
                                     "channel": marketing_spend.c.channel}))
    df = derive_marketing_ratios(read_frame(engine, _stacked(parts, ["period_start", "channel"])), with_spend)
    # The daily rollup also brings buckets that only had sessions; like the order path, keep activity only.
    active = (df["orders"] > 0) | (df["attributed_revenue"] != 0) | (df["spend"].fillna(0) != 0)
    df = df[active]
    df["period_start"] = pd.to_datetime(df["period_start"])
    df = df.sort_values(["period_start", "channel"]).reset_index(drop=True)
    return df[["period_start", "channel", "spend", "attributed_revenue", "orders", "roas"]]


def campaign_performance(engine: sa.Engine, f: Filters, campaign_id: str | None = None) -> pd.DataFrame:
    """Campaigns with spend or attributed orders in the period (or just `campaign_id`), by campaign id.

    Spend rows are grouped by marketing_spend.campaign_id (always-on spend, '', is left out), so an imported
    ad report's campaigns appear even without a row in `campaigns` (name, dates and budget are then empty and
    the channel is the spend's). Columns: campaign_id, name, channel, start_date, end_date, budget, objective,
    spend, impressions, clicks, platform_conversions (as the ad platform reports them), ctr, cpc, cpm,
    platform_conversion_rate (platform conversions / clicks), orders, attributed_revenue (of the orders
    carrying the campaign id), new_customers (whose first order carried it), roas, cpa (spend / orders).
    Sorted by spend, then revenue, largest first.
    """
    f = _marketing_filters(engine, f)
    with_spend = spend_applies(f)
    keys = {"campaign_id": "campaign_id"}
    parts = [_order_part(f, keys, None), _new_customer_part(f, keys, rollup_tables.current(engine))]
    if with_spend:
        parts.append(_spend_part(f, {"campaign_id": marketing_spend.c.campaign_id}))
    agg = _stacked(parts, ["campaign_id"]).subquery("agg")
    spend_channel = (sa.select(sa.func.min(marketing_spend.c.channel))
                     .where(marketing_spend.c.campaign_id == agg.c.campaign_id).scalar_subquery())
    c = campaigns.c
    conds = [agg.c.campaign_id.is_not(None), agg.c.campaign_id != ""]
    if campaign_id is not None:
        conds.append(agg.c.campaign_id == campaign_id)
    stmt = (sa.select(agg.c.campaign_id, c.name, sa.func.coalesce(c.channel, spend_channel).label("channel"),
                      c.start_date, c.end_date, sa.cast(c.budget, FLOAT).label("budget"), c.objective,
                      *[agg.c[m] for m in MEASURES])
            .select_from(agg.outerjoin(campaigns, c.campaign_id == agg.c.campaign_id))
            .where(*conds))
    df = derive_marketing_ratios(read_frame(engine, stmt), with_spend)
    for col in ("start_date", "end_date"):
        df[col] = pd.to_datetime(df[col])
    df = df.sort_values(["spend", "attributed_revenue", "campaign_id"], ascending=[False, False, True],
                        na_position="last")
    return df[CAMPAIGN_COLUMNS].reset_index(drop=True)


def campaigns_in_period(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Campaigns (from the campaigns table) running on any day of the period, on the picked channels.

    Columns: campaign_id, name, channel, start_date, end_date (datetime64), budget, objective, stores (tuple of
    the store ids it ran in, None when shop-wide); newest first. A store selection keeps the campaigns that ran
    shop-wide or in one of its stores.
    """
    c = campaigns.c
    stmt = sa.select(c.campaign_id, c.name, c.channel, c.start_date, c.end_date, sa.cast(c.budget, FLOAT)
                     .label("budget"), c.objective, c.store_ids).where(c.start_date <= f.end, c.end_date >= f.start)
    if f.channels is not None:
        stmt = stmt.where(c.channel.in_(f.channels))
    df = read_frame(engine, stmt.order_by(c.start_date.desc(), c.campaign_id))
    for col in ("start_date", "end_date"):
        df[col] = pd.to_datetime(df[col])
    df["stores"] = [campaign_stores(v) for v in df.pop("store_ids")]
    if f.stores is not None:
        df = df[[s is None or bool(set(s) & set(f.stores)) for s in df["stores"]]].reset_index(drop=True)
    return df


def campaign_stores(store_ids: object) -> tuple[str, ...] | None:
    """The stores of a campaigns.store_ids value ('S01,S03'), None when it ran shop-wide (NULL or blank)."""
    if not isinstance(store_ids, str) or not store_ids.strip():
        return None
    return tuple(sorted({s.strip() for s in store_ids.split(",") if s.strip()}))


def effect_stores(campaign: tuple[str, ...] | None, f: Filters) -> tuple[str, ...] | None:
    """The stores a campaign's effect is read in: its own stores within f's store selection (None: all)."""
    if campaign is None:
        return f.stores
    return campaign if f.stores is None else tuple(s for s in campaign if s in f.stores)
