"""Customer segments: RFM scores and named segments, and monthly cohort retention.

Same rules as data_access.sales.customers: "first order" is a customer's first non-cancelled order within the
caller's store scope, so a manager's cohorts and segments are those of their stores.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data_access import rollup_tables
from data_access.filters import Filters
from data_access.read import read_frame
from data_access.rollup_tables import customer_orders
from data_access.sales.core import FLOAT, order_conditions, rollup_conditions, sales_rows, use_rollup, with_order_ranges
from data_access.sales.customers import customer_conditions, first_orders, period_orders
from data_access.schema import orders

RFM_SEGMENTS = ("champions", "loyal", "potential_loyalists", "new", "promising", "needs_attention", "at_risk",
                "cant_lose", "hibernating", "lost")


def _score(order_by) -> sa.ColumnElement:
    """1-5 quintile score from the percent rank; ties share a score, the same on every database."""
    rank = sa.func.percent_rank().over(order_by=order_by)
    return sa.func.least(5, 1 + sa.cast(sa.func.floor(rank * 5), sa.Integer))


def _rfm_per_customer(f: Filters, rollup: bool) -> sa.Subquery:
    """customer_id, last_at, frequency, monetary (net, NULL for none) of the period's customers."""
    if rollup:  # one read of the order-level rollup instead of the orders and their lines
        c = customer_orders.c
        return (sa.select(c.customer_id, sa.func.max(c.ordered_at).label("last_at"), sa.func.count().label("frequency"),
                          sa.func.sum(c.net_sales).label("monetary"))
                .where(*rollup_conditions(f, customer_orders)).group_by(c.customer_id).subquery("per"))
    po = period_orders(f)
    per = (sa.select(po.c.customer_id, sa.func.max(po.c.ordered_at).label("last_at"),
                     sa.func.count().label("frequency"))
           .group_by(po.c.customer_id).subquery("per"))
    rows = sales_rows(f, {"customer_id": orders.c.customer_id}).subquery("rows")
    money = (sa.select(rows.c.customer_id, sa.func.sum(rows.c.net).label("monetary"))
             .where(rows.c.customer_id.is_not(None)).group_by(rows.c.customer_id).subquery("money"))
    return (sa.select(per.c.customer_id, per.c.last_at, per.c.frequency, money.c.monetary)
            .select_from(per.outerjoin(money, money.c.customer_id == per.c.customer_id)).subquery("per"))


def _rfm_scored(f: Filters, rollup: bool = False) -> sa.Select:
    per = _rfm_per_customer(f, rollup)
    recency = (sa.cast(sa.bindparam("period_end", f.end, type_=sa.Date), sa.Date)
               - sa.cast(per.c.last_at, sa.Date))
    monetary = sa.cast(sa.func.coalesce(per.c.monetary, 0), FLOAT)
    scored = (sa.select(per.c.customer_id, recency.label("recency_days"), per.c.frequency,
                        monetary.label("monetary"),
                        _score([recency.desc()]).label("r_score"), _score([per.c.frequency]).label("f_score"),
                        _score([monetary]).label("m_score"))).subquery("scored")
    r, fm = scored.c.r_score, sa.cast(sa.func.floor((scored.c.f_score + scored.c.m_score + 1) / 2.0), sa.Integer)
    segment = sa.case(
        (sa.and_(r >= 4, fm >= 4), "champions"),
        (sa.and_(r == 3, fm >= 4), "loyal"),
        (sa.and_(r >= 4, fm >= 2), "potential_loyalists"),
        (r >= 4, "new"),
        (sa.and_(r == 3, fm == 1), "promising"),
        (r == 3, "needs_attention"),
        (fm == 5, "cant_lose"),
        (fm >= 3, "at_risk"),
        (r == 2, "hibernating"),
        else_="lost",
    )
    return sa.select(scored, segment.label("segment"))


def rfm_customers(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """RFM scores and segment of each customer who ordered in the period.

    Columns: customer_id, recency_days (period end - last order day), frequency (orders), monetary
    (net sales), r_score, f_score, m_score (1-5, 5 best), segment. The segment reads R against the
    rounded-up mean of F and M (the usual 10-segment grid).
    """
    rollup = use_rollup(engine, f)
    if not rollup:
        f, = with_order_ranges(engine, f)
    scored = _rfm_scored(f, rollup).subquery("rfm")
    df = read_frame(engine, sa.select(scored).order_by(scored.c.customer_id))
    df["recency_days"] = df["recency_days"].astype(int)
    return df


def rfm_segments(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Customers and revenue per RFM segment, aggregated in SQL.

    Columns: segment, customers, revenue, revenue_share, avg_recency_days, avg_frequency, avg_monetary.
    Sorted by revenue, largest first.
    """
    rollup = use_rollup(engine, f)
    if not rollup:
        f, = with_order_ranges(engine, f)
    rfm = _rfm_scored(f, rollup).subquery("rfm")
    revenue = sa.func.sum(rfm.c.monetary)
    stmt = (sa.select(rfm.c.segment, sa.func.count().label("customers"), sa.cast(revenue, FLOAT).label("revenue"),
                      sa.cast(revenue / sa.func.nullif(sa.func.sum(revenue).over(), 0), FLOAT).label("revenue_share"),
                      sa.cast(sa.func.avg(rfm.c.recency_days), FLOAT).label("avg_recency_days"),
                      sa.cast(sa.func.avg(rfm.c.frequency), FLOAT).label("avg_frequency"),
                      sa.cast(sa.func.avg(rfm.c.monetary), FLOAT).label("avg_monetary"))
            .group_by(rfm.c.segment).order_by(revenue.desc(), rfm.c.segment))
    return read_frame(engine, stmt)


def cohort_retention(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Monthly cohorts (first order month in scope) that start in the period, and who orders again.

    Columns: cohort_month (datetime64), month_index (0 = the first month), customers (active in that
    month), cohort_size, retention (customers / cohort_size).
    """
    first = first_orders(f, rollup_tables.current(engine))
    cohort = sa.cast(sa.func.date_trunc("month", first.c.first_at), sa.Date)
    month = sa.cast(sa.func.date_trunc("month", orders.c.ordered_at), sa.Date)
    active = (sa.select(orders.c.customer_id, month.label("month"))
              .where(*order_conditions(f), *customer_conditions(f)).distinct().subquery("active"))
    cohorts = (sa.select(first.c.customer_id, cohort.label("cohort_month"))
               .where(first.c.first_at >= f.start_at, first.c.first_at < f.end_before).subquery("cohorts"))
    index = ((sa.extract("year", active.c.month) - sa.extract("year", cohorts.c.cohort_month)) * 12
             + sa.extract("month", active.c.month) - sa.extract("month", cohorts.c.cohort_month))
    stmt = (sa.select(cohorts.c.cohort_month, sa.cast(index, sa.Integer).label("month_index"),
                      sa.func.count().label("customers"))
            .select_from(active.join(cohorts, cohorts.c.customer_id == active.c.customer_id))
            .group_by(cohorts.c.cohort_month, index).order_by(cohorts.c.cohort_month, index))
    df = read_frame(engine, stmt)
    df["cohort_month"] = pd.to_datetime(df["cohort_month"])
    sizes = df[df["month_index"] == 0].set_index("cohort_month")["customers"]
    df["cohort_size"] = df["cohort_month"].map(sizes).astype("Int64")
    df["retention"] = df["customers"] / df["cohort_size"].astype(float)
    return df
