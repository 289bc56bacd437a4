"""Named sales queries: daily series, KPI totals with comparison periods, splits, rankings, movers.

Every function takes an engine and a `Filters` (date range + store scope + optional channel and category picks)
and builds its statement from the sales kernel (data_access.sales.core), so every value is a bound parameter.
While the rollups are current (data_access.rollup_tables), the sums come from them instead of every order line,
with the same results; otherwise, and for what they cannot hold, from the source tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access import rollup_tables
from data_access.filters import Filters
from data_access.periods import comparison_periods
from data_access.read import read_frame
from data_access.rollup_tables import category_daily
from data_access.sales.core import (
    FLOAT,
    MEASURES,
    cell_measures,
    report_conditions,
    rollup_conditions,
    sales_rows,
    use_rollup,
    with_order_ranges,
)
from data_access.sales.ratios import SALES_COLUMNS, derive_ratios, sales_columns
from data_access.sales.sku_totals import CATEGORY_KEY, product_totals
from data_access.schema import daily_metrics, order_items, orders, products, stores


def daily_sales(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Daily series over the whole range, days without sales included as zeros.

    Columns: day (datetime64), net_sales, orders, units, customers, sessions, gross_margin, aov,
    margin_pct, conversion_rate.
    """
    rollup = use_rollup(engine, f)
    if not rollup:
        f, = with_order_ranges(engine, f)
    df = read_frame(engine, cell_measures(f, lambda c: {"day": sa.cast(c.at, sa.Date)}, rollup))
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
    compared = tuple(comparison_periods(f).values())
    periods = dict(zip(("current", "previous", "last_year"),
                       compared if rollup else with_order_ranges(engine, *compared), strict=True))
    stmt = sa.union_all(*[
        sa.select(sa.literal(name).label("period"), *[sa.func.sum(m).label(m.name) for m in
                                                       cell_measures(p, lambda c: {}, rollup,
                                                                      with_customers).subquery().c])
        for name, p in periods.items()
    ])
    df = read_frame(engine, stmt)
    df["start"] = [periods[p].start for p in df["period"]]
    df["end"] = [periods[p].end for p in df["period"]]
    df = derive_ratios(df)
    df["period"] = pd.Categorical(df["period"], categories=list(periods), ordered=True)
    return df.sort_values("period")[["period", "start", "end", *sales_columns(with_customers)]].reset_index(drop=True)


def report_days(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """The days of f whose figures come from daily reports (daily_metrics rows no order covers: core.reported_cell),
    per store and channel.

    Columns: store_id, channel ('' = all channels), first_day, last_day (date), reports (rows), days (the days
    they span: a weekly row is 7). Sorted by store and channel; no rows when every day of f comes from orders.
    """
    d = daily_metrics.c
    stmt = (sa.select(d.store_id, d.channel, sa.func.min(d.day).label("first_day"),
                      sa.func.max(d.day).label("last_day"),
                      sa.cast(sa.func.count(), sa.BigInteger).label("reports"),
                      sa.cast(sa.func.sum(d.days), sa.BigInteger).label("days"))
            .where(*report_conditions(f)).group_by(d.store_id, d.channel).order_by(d.store_id, d.channel))
    df = read_frame(engine, stmt)
    for column in ("first_day", "last_day"):
        df[column] = pd.to_datetime(df[column]).dt.date
    return df


def report_dates(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """How many report dates stand in for orders in f (the rows of report_days), by the days a row spans.

    Columns: days (1 for a daily row, 7 for a weekly one), dates (distinct report dates of such rows over f's
    stores and channels). Sorted by days; no rows when every day of f comes from orders.
    """
    d = daily_metrics.c
    stmt = (sa.select(d.days, sa.cast(sa.func.count(sa.distinct(d.day)), sa.BigInteger).label("dates"))
            .where(*report_conditions(f)).group_by(d.days).order_by(d.days))
    return read_frame(engine, stmt)


_DIMENSIONS = {
    "store": ({"key": stores.c.store_id, "label": stores.c.name}, "store"),
    "region": ({"key": stores.c.region, "label": stores.c.region}, "store"),
    "channel": ({"key": orders.c.channel, "label": orders.c.channel}, None),
    "category": ({"key": CATEGORY_KEY, "label": CATEGORY_KEY}, "product"),
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
            return _finish_split(read_frame(engine, _category_rollup_split(f)), with_customers)
        f, = with_order_ranges(engine, f)
        return _finish_split(read_frame(engine, _product_split(f, key_col, dims["label"], with_customers)),
                             with_customers)
    rollup = use_rollup(engine, f)
    if not rollup:
        f, = with_order_ranges(engine, f)
    inner = cell_measures(f, lambda c: {"key": c.store_id if join == "store" else c.channel}, rollup).subquery("m")
    if join == "store":
        stmt = (
            sa.select(key_col.label("key"), dims["label"].label("label"),
                      *[sa.func.sum(inner.c[m]).label(m) for m in MEASURES])
            .select_from(inner.join(stores, stores.c.store_id == inner.c.key))
            .group_by(key_col, dims["label"])
        )
    else:
        stmt = sa.select(inner.c.key, inner.c.key.label("label"), *[inner.c[m] for m in MEASURES])
    return _finish_split(read_frame(engine, stmt))


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
    sales = sales_rows(f, {**dims, "order_id": orders.c.order_id, "customer_id": orders.c.customer_id}).subquery()
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



def top_products(engine: sa.Engine, f: Filters, limit: int = 10, by: str = "net_sales") -> pd.DataFrame:
    """The best `limit` products by 'net_sales', 'units' or 'gross_margin', ranked in SQL.

    Columns: rank, sku, name, name_zh (the product's Chinese name, None where the catalogue has none), category,
    units, net_sales, gross_margin, orders.
    """
    if by not in _RANKABLE:
        raise ValueError(f"cannot rank by {by!r}; expected one of {_RANKABLE}")
    rollup = rollup_tables.current(engine)
    if not rollup:
        f, = with_order_ranges(engine, f)
    p = products.c
    agg = product_totals(f, rollup).subquery("agg")
    stmt = (
        sa.select(agg.c.sku, p.name, p.name_zh, p.category, agg.c.units, agg.c.net_sales, agg.c.gross_margin,
                  agg.c.orders)
        .select_from(agg.outerjoin(products, products.c.sku == agg.c.sku))
        .order_by(agg.c[by].desc(), agg.c.sku)
        .limit(sa.bindparam("limit", int(limit), literal_execute=False))
    )
    df = read_frame(engine, stmt)
    df.insert(0, "rank", range(1, len(df) + 1))
    return df


def product_movers(engine: sa.Engine, f: Filters, limit: int = 5) -> pd.DataFrame:
    """Products whose net sales changed most vs the previous period of equal length.

    Columns: sku, name, name_zh (Chinese name or None), category, net_sales, previous_net_sales, change (absolute),
    change_pct
    (NaN when the product did not sell before), direction ('up' or 'down'). The `limit` biggest
    risers and the `limit` biggest fallers, risers first.
    """
    f, prev = with_order_ranges(engine, f, f.previous_period())
    cur_rows = sales_rows(f, {"sku": order_items.c.sku}).subquery("cur")
    prev_rows = sales_rows(prev, {"sku": order_items.c.sku}).subquery("prev")
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
    base = (sa.select(agg.c.sku, products.c.name, products.c.name_zh, products.c.category, agg.c.net_sales,
                      agg.c.previous_net_sales, change)
            .select_from(agg.outerjoin(products, products.c.sku == agg.c.sku)))
    limit_param = sa.bindparam("limit", int(limit))
    up = base.where(change > 0).order_by(change.desc(), agg.c.sku).limit(limit_param).subquery("up")
    down = base.where(change < 0).order_by(change.asc(), agg.c.sku).limit(limit_param).subquery("down")
    df = read_frame(engine, sa.union_all(sa.select(up, sa.literal("up").label("direction")),
                                    sa.select(down, sa.literal("down").label("direction"))))
    prev_sales = df["previous_net_sales"].astype(float)
    df["change_pct"] = df["change"] / prev_sales.where(prev_sales > 0)
    df["direction"] = pd.Categorical(df["direction"], ["up", "down"], ordered=True)
    df["abs_change"] = df["change"].abs()
    df = df.sort_values(["direction", "abs_change", "sku"], ascending=[True, False, True])
    return df[["sku", "name", "name_zh", "category", "net_sales", "previous_net_sales", "change", "change_pct",
               "direction"]].reset_index(drop=True).astype({"direction": str})

