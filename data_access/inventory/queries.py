"""Queries of the inventory page: a forecast run's results per store x SKU, history of one series, ABC/XYZ inputs.

Each takes (engine, Filters, ...) and applies the store scope (Filters.stores) in SQL; f.end is the "as of" day
(the latest inventory snapshot on or before it is the current stock).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.inventory.stock import latest_snapshot_date, stock_on_hand
from data_access.read import read_frame
from data_access.sales.core import FLOAT, sku_in_categories
from data_access.schema import (
    forecast_backtests,
    forecast_failures,
    forecast_series,
    forecasts,
    inventory,
    order_items,
    orders,
    products,
)
from data_access.scope import in_scope

#: Lead time assumed in SQL for products without one (forecasting.policy.DEFAULT_LEAD_TIME, no import: layers).
DEFAULT_LEAD_TIME = 7
#: The stored quantiles of cumulative demand (forecasting.lead_time.COLUMNS), read at the SKU's lead time.
LEAD_QUANTILES = ("cum_q90", "cum_q95", "cum_q975", "cum_q99")

PLAN_COLUMNS = ["snapshot_date", "store_id", "sku", "name", "name_zh", "category", "on_hand", "on_order",
                "expected_arrival", "lead_time_days",
                "avg_daily_units", "days_of_cover", "model", "sigma_daily", "mean_daily", "censored_days", "mase",
                "demand_lead", "demand_review", "horizon_days", "lead_days_covered", "review_days_covered",
                "mean_ahead", "stockout_date", *LEAD_QUANTILES]


def inventory_plan(engine: sa.Engine, f: Filters, run_id: str, review_days: int = 7) -> pd.DataFrame:
    """Current stock of every store x SKU in scope with the run's forecast summed over its lead time.

    Columns: snapshot_date, store_id, sku, name, name_zh, category, on_hand, on_order, lead_time_days, avg_daily_units,
    days_of_cover (as queries.stock_on_hand), model, sigma_daily, mean_daily, censored_days, mase (from
    forecast_series), demand_lead (forecast units over the first lead-time days after the snapshot),
    demand_review (over the review_days after those), horizon_days (forecast days after the snapshot),
    lead_days_covered / review_days_covered (how many days of the lead time / review period the forecast
    reaches: fewer when the run's horizon is shorter, or the run older than the snapshot), mean_ahead (mean daily
    forecast after the snapshot), stockout_date (first forecast day whose cumulative forecast reaches on hand,
    plus on_order from its expected_arrival on: from the first forecast day when that date has passed, never
    when the data has no date; NaT when none), cum_q90 / cum_q95 / cum_q975 / cum_q99 (the run's quantiles of
    demand summed over the lead time: NaN when the run has none, when its horizon ends before the lead time, or
    when the run started before the snapshot, whose quantiles would count days already past).
    Series without a forecast in the run keep NaN forecast columns.
    """
    stock = stock_on_hand(engine, f)
    if stock.empty:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    snap = stock["snapshot_date"].iloc[0].date()
    fc = forecasts.c
    window = {"partition_by": [fc.store_id, fc.sku], "order_by": fc.ds}
    ahead = (sa.select(fc.store_id, fc.sku, fc.ds, fc.yhat, fc.step.label("run_step"),
                       *(fc[name] for name in LEAD_QUANTILES),
                       sa.func.row_number().over(**window).label("step"),
                       sa.func.sum(fc.yhat).over(**window, rows=(None, 0)).label("cum"))
             .where(fc.run_id == run_id, fc.ds > snap, in_scope(fc.store_id, f)).subquery("ahead"))
    inv = inventory.c
    lead = sa.func.greatest(sa.func.coalesce(products.c.lead_time_days, DEFAULT_LEAD_TIME), 1)
    review = sa.bindparam("review_days", int(review_days))
    summary = (
        sa.select(
            ahead.c.store_id, ahead.c.sku,
            sa.cast(sa.func.sum(sa.case((ahead.c.step <= lead, ahead.c.yhat), else_=0.0)), FLOAT).label("demand_lead"),
            sa.cast(sa.func.sum(sa.case((sa.and_(ahead.c.step > lead, ahead.c.step <= lead + review), ahead.c.yhat),
                                        else_=0.0)), FLOAT).label("demand_review"),
            sa.func.count().label("horizon_days"),
            sa.func.sum(sa.case((ahead.c.step <= lead, 1), else_=0)).label("lead_days_covered"),
            sa.func.sum(sa.case((sa.and_(ahead.c.step > lead, ahead.c.step <= lead + review), 1),
                                else_=0)).label("review_days_covered"),
            sa.cast(sa.func.avg(ahead.c.yhat), FLOAT).label("mean_ahead"),
            sa.func.min(sa.case((ahead.c.cum >= inv.on_hand + sa.case(
                (sa.and_(inv.expected_arrival.is_not(None), ahead.c.ds >= inv.expected_arrival), inv.on_order),
                else_=0), ahead.c.ds))).label("stockout_date"),
            *(sa.cast(sa.func.max(sa.case((sa.and_(ahead.c.step == lead, ahead.c.run_step == ahead.c.step),
                                           ahead.c[name]))), FLOAT).label(name) for name in LEAD_QUANTILES),
        )
        .select_from(ahead.join(inventory, sa.and_(inv.store_id == ahead.c.store_id, inv.sku == ahead.c.sku,
                                                   inv.snapshot_date == snap))
                     .outerjoin(products, products.c.sku == ahead.c.sku))
        .group_by(ahead.c.store_id, ahead.c.sku)
    )
    s = forecast_series.c
    series = sa.select(s.store_id, s.sku, s.model, s.sigma_daily, s.mean_daily, s.censored_days, s.mase).where(
        s.run_id == run_id, in_scope(s.store_id, f))
    plan = (stock.merge(read_frame(engine, series), on=["store_id", "sku"], how="left")
            .merge(read_frame(engine, summary), on=["store_id", "sku"], how="left"))
    plan["stockout_date"] = pd.to_datetime(plan["stockout_date"])
    for col in ("sigma_daily", "mean_daily", "mase", "demand_lead", "demand_review", "lead_days_covered",
                "review_days_covered", "mean_ahead", *LEAD_QUANTILES):
        plan[col] = pd.to_numeric(plan[col], errors="coerce").astype(float)
    return plan[PLAN_COLUMNS]


def cell_forecast(engine: sa.Engine, f: Filters, run_id: str, store_id: str, sku: str) -> pd.DataFrame:
    """The run's forecast of one store x SKU (empty outside the scope). Columns: ds, yhat, yhat_lower,
    yhat_upper, model, step."""
    fc = forecasts.c
    stmt = (sa.select(fc.ds, fc.yhat, fc.yhat_lower, fc.yhat_upper, fc.model, fc.step)
            .where(fc.run_id == run_id, fc.store_id == store_id, fc.sku == sku, in_scope(fc.store_id, f))
            .order_by(fc.ds))
    df = read_frame(engine, stmt)
    df["ds"] = pd.to_datetime(df["ds"])
    return df


def cell_history(engine: sa.Engine, f: Filters, store_id: str, sku: str, days: int = 120) -> pd.DataFrame:
    """Daily demand and stock of one store x SKU over the `days` days up to the latest snapshot on or before
    f.end (empty outside the scope). Columns: ds (datetime64), units (non-cancelled order lines; 0 on days
    without any), on_hand (NaN without a snapshot), censored (the day ended with nothing on hand)."""
    if f.stores is not None and store_id not in f.stores:
        return pd.DataFrame(columns=["ds", "units", "on_hand", "censored"])
    end = latest_snapshot_date(engine, replace(f, stores=(store_id,))) or f.end
    start = end - timedelta(days=days - 1)
    day = sa.cast(orders.c.ordered_at, sa.Date)
    sold = (sa.select(day.label("ds"), sa.cast(sa.func.sum(order_items.c.quantity), sa.BigInteger).label("units"))
            .select_from(orders.join(order_items, order_items.c.order_id == orders.c.order_id))
            .where(orders.c.store_id == store_id, order_items.c.sku == sku, orders.c.status != "cancelled",
                   orders.c.ordered_at >= datetime.combine(start, datetime.min.time()),
                   orders.c.ordered_at < datetime.combine(end + timedelta(days=1), datetime.min.time()))
            .group_by(day))
    inv = inventory.c
    stock = sa.select(inv.snapshot_date.label("ds"), inv.on_hand).where(
        inv.store_id == store_id, inv.sku == sku, inv.snapshot_date >= start, inv.snapshot_date <= end)
    frame = pd.DataFrame({"ds": pd.date_range(start, end, freq="D")})
    for part in (read_frame(engine, sold), read_frame(engine, stock)):
        part["ds"] = pd.to_datetime(part["ds"])
        frame = frame.merge(part, on="ds", how="left")
    frame["units"] = frame["units"].fillna(0).astype(int)
    frame["on_hand"] = frame["on_hand"].astype(float)
    frame["censored"] = frame["on_hand"].le(0).fillna(False).astype(bool)
    return frame


def backtest_summary(engine: sa.Engine, f: Filters, run_id: str) -> pd.DataFrame:
    """Backtest accuracy of each candidate over the scope's series (and f's categories), plus the shipped choice.

    Columns: model ('shipped' for the per-series choice), series (scored), chosen (series shipping it), mase
    (mean over series with a MASE), smape (mean), bias_pct (sum of errors / sum of actuals over all scored
    days), coverage (share of scored days inside the 80% interval).
    """
    b = forecast_backtests.c
    conds = [b.run_id == run_id, in_scope(b.store_id, f)]
    if f.categories is not None:
        conds.append(sku_in_categories(b.sku, f.categories))

    def summary(label):
        return (label.label("model"), sa.func.count(b.mase).label("series"),
                sa.func.sum(sa.case((b.chosen, 1), else_=0)).label("chosen"),
                sa.func.avg(b.mase).label("mase"), sa.func.avg(b.smape).label("smape"),
                (sa.func.sum(b.bias * b.n_points) / sa.func.nullif(sa.func.sum(b.actual_mean * b.n_points), 0))
                .label("bias_pct"),
                (sa.func.sum(b.coverage * b.n_points) / sa.func.nullif(sa.func.sum(b.n_points), 0)).label("coverage"))

    # "selected" rows (the catalogue batch's shipped forecast) are what the "shipped" line already sums.
    per_model = sa.select(*summary(b.model)).where(*conds, b.model != "selected").group_by(b.model)
    shipped = sa.select(*summary(sa.literal("shipped"))).where(*conds, b.chosen)
    df = read_frame(engine, sa.union_all(per_model, shipped))
    df = df[df["series"] > 0] if not df.empty else df
    for col in ("mase", "smape", "bias_pct", "coverage"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    order = {"shipped": 0, "prophet_topdown": 1, "seasonal_naive": 2, "moving_average": 3}
    return df.sort_values("model", key=lambda s: s.map(order).fillna(9)).reset_index(drop=True)


def run_failures(engine: sa.Engine, f: Filters, run_id: str) -> pd.DataFrame:
    """What the run skipped: the scope's failed series and every failed category fit.
    Columns: stage, key, store_id, sku, error."""
    x = forecast_failures.c
    # A failed category fit has no store: it concerns every scope.
    scoped = sa.or_(x.store_id.is_(None), in_scope(x.store_id, f))
    return read_frame(engine, sa.select(x.stage, x.key, x.store_id, x.sku, x.error)
                 .where(x.run_id == run_id, scoped).order_by(x.stage, x.key))


def weekly_units(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Units per SKU and 7-day block counted back from f.end (the last block ends on f.end, so no week is cut
    short by the weekday the window ends on), over f's dates in scope, non-cancelled orders.
    Columns: sku, week (datetime64, the block's first day), units."""
    day = sa.cast(orders.c.ordered_at, sa.Date)
    stmt = (sa.select(order_items.c.sku, day.label("day"),
                      sa.cast(sa.func.sum(order_items.c.quantity), sa.BigInteger).label("units"))
            .select_from(orders.join(order_items, order_items.c.order_id == orders.c.order_id))
            .where(orders.c.ordered_at >= f.start_at, orders.c.ordered_at < f.end_before,
                   orders.c.status != "cancelled", in_scope(orders.c.store_id, f))
            .group_by(order_items.c.sku, day))
    daily = read_frame(engine, stmt)
    end = pd.Timestamp(f.end)
    blocks = (end - pd.to_datetime(daily["day"])).dt.days // 7
    daily["week"] = end - pd.to_timedelta(7 * blocks + 6, unit="D")
    daily["units"] = daily["units"].astype(np.int64)
    return daily.groupby(["sku", "week"], as_index=False)["units"].sum()[["sku", "week", "units"]]
