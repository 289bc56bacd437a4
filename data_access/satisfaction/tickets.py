"""Named queries over support tickets: volumes, backlog, response and resolution times, SLA breaches, CSAT.

Definitions (DESIGN.md "Metric definitions", Zendesk usage), all in calendar hours and judged `as_of` a
moment (the page passes "now"): a response or resolution after as_of has not happened yet.
- opened: tickets created in the period. Response/resolution times, unanswered tickets and the SLA
  breach rate are about these tickets: first response time over those with a reply so far, resolution time
  over those resolved so far (median and p90, linear interpolation as percentile_cont). A ticket resolved
  without a recorded reply counts as answered at its resolution (not unanswered, not breached forever).
- resolved: tickets resolved in the period (whenever created); CSAT over their survey answers (4-5 / all).
- backlog: tickets created before the end of the period (or as_of, if earlier) and not resolved then.
- SLA breach: a ticket with a target (data_access.satisfaction.sla) answered later than its first-response target or
  resolved later than its resolution target, or still waiting past either target at as_of.
A channel pick keeps tickets about orders of those sales channels; a category pick keeps tickets about
orders holding a product of those categories. The store scope applies to the ticket's store_id.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.measures import count_if, percentile
from data_access.periods import bucket, bucket_starts, in_order, periods_table
from data_access.read import read_frame
from data_access.sales.core import FLOAT, category_condition
from data_access.satisfaction.sla import Targets, as_targets, hours_between, with_targets
from data_access.schema import order_items, orders, products, tickets
from data_access.scope import in_scope

TICKET_COLUMNS = ["opened", "answered", "unanswered", "resolved", "backlog", "first_response_median",
                  "first_response_p90", "resolution_median", "resolution_p90", "with_target", "breaches",
                  "sla_breach_rate", "csat_answers", "csat_positive", "csat"]
TIME_COLUMNS = ["tickets", "answered", "first_response_median", "first_response_p90", "resolved",
                "resolution_median", "resolution_p90"]


def ticket_scope(f: Filters) -> list:
    """The store scope and the channel/category picks as conditions on tickets (no dates)."""
    t = tickets.c
    conds = [in_scope(t.store_id, f)]
    # Aliased, so that a query which itself joins these tables keeps them inside the EXISTS.
    if f.channels is not None:
        o = orders.alias("scope_orders")
        conds.append(sa.exists().where(o.c.order_id == t.order_id, o.c.channel.in_(f.channels)))
    if f.categories is not None:
        # Outer join: a line whose SKU is missing from the catalogue counts as uncategorised.
        oi, p = order_items.alias("scope_lines"), products.alias("scope_products")
        conds.append(sa.exists(sa.select(1).select_from(oi.outerjoin(p, p.c.sku == oi.c.sku))
                               .where(oi.c.order_id == t.order_id, category_condition(p.c.category, f.categories))))
    return conds


def _within(col, f: Filters) -> sa.ColumnElement:
    return sa.and_(col >= f.start_at, col < f.end_before)


def _facts(f: Filters, targets: Targets, as_of: datetime, *where) -> sa.Subquery:
    """One row per ticket in scope with its times as of `as_of`, its targets and whether it breached them.

    Columns: ticket_id, store_id, channel, category, priority, created_at, csat, first_at, resolved_at
    (NULL when after as_of), first_response_target, resolution_target, first_response_hours,
    resolution_hours, has_target, first_response_breach, resolution_breach, breach (0/1).
    """
    t = tickets.c
    now = sa.bindparam("as_of", as_of, type_=sa.DateTime)  # one parameter, however often it is used
    source, first_target, resolution_target = with_targets(tickets, targets)
    # Targets and as-of times first, breaches on top: one expression tree per column keeps planning quick.
    timed = (sa.select(t.ticket_id, t.store_id, t.channel, t.category, t.priority, t.created_at, t.csat,
                       sa.case((t.first_response_at <= now, t.first_response_at)).label("first_at"),
                       sa.case((t.resolved_at <= now, t.resolved_at)).label("resolved_at"),
                       first_target.label("first_response_target"),
                       resolution_target.label("resolution_target"))
             .select_from(source).where(*ticket_scope(f), t.created_at <= now, *where).subquery("timed"))
    x = timed.c
    # Still waiting counts until as_of: an unanswered ticket past its target has breached it already.
    # A ticket resolved without a recorded reply was answered by its resolution.
    first_late = sa.and_(x.first_response_target.is_not(None),
                         hours_between(sa.func.coalesce(x.first_at, x.resolved_at, now), x.created_at)
                         > x.first_response_target)
    resolution_late = sa.and_(x.resolution_target.is_not(None),
                              hours_between(sa.func.coalesce(x.resolved_at, now), x.created_at)
                              > x.resolution_target)
    has_target = sa.or_(x.first_response_target.is_not(None), x.resolution_target.is_not(None))
    return sa.select(
        timed,
        sa.cast(hours_between(x.first_at, x.created_at), FLOAT).label("first_response_hours"),
        sa.cast(hours_between(x.resolved_at, x.created_at), FLOAT).label("resolution_hours"),
        sa.case((has_target, 1), else_=0).label("has_target"),
        sa.case((first_late, 1), else_=0).label("first_response_breach"),
        sa.case((resolution_late, 1), else_=0).label("resolution_breach"),
        sa.case((sa.or_(first_late, resolution_late), 1), else_=0).label("breach"),
    ).subquery("facts")


def _time_measures(x: sa.Subquery, cohort) -> list[sa.ColumnElement]:
    """Counts and median/p90 response and resolution hours over the tickets where `cohort` holds."""
    first_hours = sa.case((cohort, x.c.first_response_hours))
    resolution_hours = sa.case((cohort, x.c.resolution_hours))
    return [
        count_if(cohort).label("tickets"),
        # Answered: replied to, or resolved without a recorded reply (nobody is waiting for an answer).
        count_if(sa.and_(cohort, sa.or_(x.c.first_at.is_not(None), x.c.resolved_at.is_not(None)))).label("answered"),
        percentile(0.5, first_hours).label("first_response_median"),
        percentile(0.9, first_hours).label("first_response_p90"),
        count_if(sa.and_(cohort, x.c.resolved_at.is_not(None))).label("resolved"),
        percentile(0.5, resolution_hours).label("resolution_median"),
        percentile(0.9, resolution_hours).label("resolution_p90"),
    ]


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.astype(float)
    return num.astype(float) / den.where(den > 0)


def ticket_totals(engine: sa.Engine, periods: dict[str, Filters], targets: Targets | None,
                  as_of: datetime) -> pd.DataFrame:
    """Ticket KPIs of each named period (same scope, any dates), one row each (definitions in the module docstring).

    Columns: period, opened, answered, unanswered, resolved, backlog, first_response_median,
    first_response_p90, resolution_median, resolution_p90 (hours), with_target, breaches, sla_breach_rate,
    csat_answers, csat_positive, csat. One pass: tickets joined to the periods they touch, grouped by period.
    """
    targets = as_targets() if targets is None else targets
    if len({(p.stores, p.channels, p.categories) for p in periods.values()}) != 1:
        raise ValueError("ticket_totals compares periods of one scope")
    t = tickets.c
    # Only tickets that touch a period (opened in it, or still open at its start) enter the facts.
    touching = [sa.or_(_within(t.created_at, p),
                       sa.and_(t.created_at < p.start_at, sa.or_(t.resolved_at.is_(None), t.resolved_at >= p.start_at,
                                                                 t.resolved_at > as_of)))
                for p in periods.values()]
    x = _facts(next(iter(periods.values())), targets, as_of, sa.or_(*touching))
    pt = periods_table(periods, as_of)
    created_in = sa.and_(x.c.created_at >= pt.c.start_at, x.c.created_at < pt.c.end_before)
    resolved_in = sa.and_(x.c.resolved_at >= pt.c.start_at, x.c.resolved_at < pt.c.end_before)
    # A ticket touches a period when opened in it or still open at its start.
    open_at_start = sa.and_(x.c.created_at < pt.c.start_at,
                            sa.or_(x.c.resolved_at.is_(None), x.c.resolved_at >= pt.c.start_at))
    times = {m.name: m for m in _time_measures(x, created_in)}
    stmt = (sa.select(
        pt.c.period,
        times["tickets"].label("opened"), times["answered"], count_if(resolved_in).label("resolved"),
        count_if(sa.and_(x.c.created_at < pt.c.cut,
                          sa.or_(x.c.resolved_at.is_(None), x.c.resolved_at >= pt.c.cut))).label("backlog"),
        *[times[k] for k in ("first_response_median", "first_response_p90", "resolution_median", "resolution_p90")],
        count_if(sa.and_(created_in, x.c.has_target == 1)).label("with_target"),
        count_if(sa.and_(created_in, x.c.breach == 1)).label("breaches"),
        count_if(sa.and_(resolved_in, x.c.csat.is_not(None))).label("csat_answers"),
        count_if(sa.and_(resolved_in, x.c.csat >= 4)).label("csat_positive"),
    ).select_from(x.join(pt, sa.or_(created_in, open_at_start))).group_by(pt.c.period))
    df = in_order(read_frame(engine, stmt), periods)
    for col in ("opened", "answered", "resolved", "backlog", "with_target", "breaches", "csat_answers",
                "csat_positive"):
        df[col] = pd.to_numeric(df[col]).fillna(0).astype("int64")
    for col in ("first_response_median", "first_response_p90", "resolution_median", "resolution_p90"):
        df[col] = pd.to_numeric(df[col]).astype(float)
    df["unanswered"] = df["opened"] - df["answered"]
    df["sla_breach_rate"] = _ratio(df["breaches"], df["with_target"])
    df["csat"] = _ratio(df["csat_positive"], df["csat_answers"])
    return df[["period", *TICKET_COLUMNS]]


def ticket_flow(engine: sa.Engine, f: Filters, grain: str = "day", as_of: datetime | None = None) -> pd.DataFrame:
    """Tickets created and resolved per bucket of the period, and the backlog at the end of each bucket.

    Columns: period_start (datetime64), created, resolved, backlog. Backlog = backlog at the period start
    + running (created - resolved), summed in SQL; every bucket of the period is present.
    """
    as_of = as_of or datetime.now()
    t = tickets.c
    now = sa.literal(as_of, sa.DateTime)
    resolved = sa.case((t.resolved_at <= now, t.resolved_at))
    scope = [*ticket_scope(f), t.created_at <= now]
    opening = (sa.select(sa.func.count()).where(*scope, t.created_at < f.start_at,
                                                sa.or_(resolved.is_(None), resolved >= f.start_at))
               .scalar_subquery())
    created = bucket(t.created_at, grain)
    closed = bucket(resolved, grain)
    stacked = sa.union_all(
        sa.select(created.label("period_start"), sa.literal(1).label("created"), sa.literal(0).label("resolved"))
        .where(*scope, _within(t.created_at, f)),
        sa.select(closed.label("period_start"), sa.literal(0).label("created"), sa.literal(1).label("resolved"))
        .where(*scope, _within(resolved, f)),
    ).subquery("stacked")
    per = (sa.select(stacked.c.period_start, sa.func.sum(stacked.c.created).label("created"),
                     sa.func.sum(stacked.c.resolved).label("resolved"))
           .group_by(stacked.c.period_start).subquery("per"))
    running = sa.func.sum(per.c.created - per.c.resolved).over(order_by=per.c.period_start)
    stmt = sa.select(per.c.period_start, per.c.created, per.c.resolved, (opening + running).label("backlog"),
                     opening.label("opening"))
    df = read_frame(engine, stmt)
    if len(df):
        start_backlog = int(df["opening"].iloc[0])
    else:
        with engine.connect() as conn:
            start_backlog = int(conn.execute(sa.select(opening)).scalar() or 0)
    df["period_start"] = pd.to_datetime(df["period_start"])
    frame = pd.DataFrame({"period_start": bucket_starts(f.start, f.end, grain)}).merge(
        df.drop(columns="opening"), how="left")
    frame[["created", "resolved"]] = frame[["created", "resolved"]].fillna(0).astype("int64")
    # A bucket without events keeps the backlog of the bucket before it.
    frame["backlog"] = pd.to_numeric(frame["backlog"]).ffill().fillna(start_backlog).astype("int64")
    return frame


def response_times(engine: sa.Engine, f: Filters, as_of: datetime | None = None,
                   grain: str | None = None) -> pd.DataFrame:
    """First response and resolution times of the tickets opened in the period, by contact channel.

    Columns: [period_start when grain is given,] channel (None when unknown), tickets, answered,
    unanswered, first_response_median, first_response_p90, resolved, resolution_median, resolution_p90
    (hours; NaN without answered / resolved tickets). Sorted by channel (and period).
    """
    as_of = as_of or datetime.now()
    x = _facts(f, as_targets(), as_of, _within(tickets.c.created_at, f))  # targets only matter for breaches
    keys = [x.c.channel]
    if grain is not None:
        keys.insert(0, bucket(x.c.created_at, grain).label("period_start"))
    stmt = sa.select(*keys, *_time_measures(x, sa.true())).group_by(*keys).order_by(*keys)
    df = read_frame(engine, stmt)
    if grain is not None:
        df["period_start"] = pd.to_datetime(df["period_start"])
    for col in ("tickets", "answered", "resolved"):
        df[col] = df[col].astype("int64")
    for col in ("first_response_median", "first_response_p90", "resolution_median", "resolution_p90"):
        df[col] = df[col].astype(float)
    df["unanswered"] = df["tickets"] - df["answered"]
    lead = ["period_start"] if grain is not None else []
    return df[[*lead, "channel", "tickets", "answered", "unanswered", *TIME_COLUMNS[2:4], *TIME_COLUMNS[4:]]]


def complaint_categories(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Tickets per category opened in the period vs the previous period of equal length, most first.

    Columns: category (None when missing), tickets, share (of the period's tickets), previous_tickets,
    change (tickets - previous_tickets), change_pct (NaN when the category had none before).
    """
    t = tickets.c
    prev = f.comparison_period()
    stacked = sa.union_all(
        sa.select(t.category, sa.literal(1).label("cur"), sa.literal(0).label("prev"))
        .where(*ticket_scope(f), _within(t.created_at, f)),
        sa.select(t.category, sa.literal(0).label("cur"), sa.literal(1).label("prev"))
        .where(*ticket_scope(prev), _within(t.created_at, prev)),
    ).subquery("stacked")
    stmt = (sa.select(stacked.c.category, sa.cast(sa.func.sum(stacked.c.cur), sa.BigInteger).label("tickets"),
                      sa.cast(sa.func.sum(stacked.c.prev), sa.BigInteger).label("previous_tickets"))
            .group_by(stacked.c.category))
    df = read_frame(engine, stmt).astype({"tickets": "int64", "previous_tickets": "int64"})
    total = df["tickets"].sum()
    df["share"] = df["tickets"] / total if total else np.nan
    df["change"] = df["tickets"] - df["previous_tickets"]
    df["change_pct"] = _ratio(df["change"], df["previous_tickets"])
    df = df.sort_values(["tickets", "previous_tickets", "category"], ascending=[False, False, True],
                        na_position="last")
    return df[["category", "tickets", "share", "previous_tickets", "change", "change_pct"]].reset_index(drop=True)


def complaint_trend(engine: sa.Engine, f: Filters, grain: str = "week") -> pd.DataFrame:
    """Tickets opened per category and bucket of the period (only buckets with tickets).

    Columns: period_start (datetime64), category, tickets.
    """
    t = tickets.c
    day = bucket(t.created_at, grain)
    stmt = (sa.select(day.label("period_start"), t.category, sa.cast(sa.func.count(), sa.BigInteger).label("tickets"))
            .where(*ticket_scope(f), _within(t.created_at, f))
            .group_by(day, t.category).order_by(day, t.category))
    df = read_frame(engine, stmt)
    df["period_start"] = pd.to_datetime(df["period_start"])
    return df


def sla_by_priority(engine: sa.Engine, f: Filters, targets: Targets | None = None,
                    as_of: datetime | None = None) -> pd.DataFrame:
    """SLA results of the tickets opened in the period, per priority.

    Columns: priority (None when missing), tickets, first_response_target, resolution_target (hours, NaN =
    none), with_target, first_response_breaches, resolution_breaches, breaches, breach_rate
    (breaches / with_target). Sorted by breach_rate, worst first.
    """
    targets = as_targets() if targets is None else targets
    as_of = as_of or datetime.now()
    x = _facts(f, targets, as_of, _within(tickets.c.created_at, f))
    stmt = (sa.select(x.c.priority, sa.cast(sa.func.count(), sa.BigInteger).label("tickets"),
                      sa.func.max(x.c.first_response_target).label("first_response_target"),
                      sa.func.max(x.c.resolution_target).label("resolution_target"),
                      count_if(x.c.has_target == 1).label("with_target"),
                      count_if(x.c.first_response_breach == 1).label("first_response_breaches"),
                      count_if(x.c.resolution_breach == 1).label("resolution_breaches"),
                      count_if(x.c.breach == 1).label("breaches"))
            .group_by(x.c.priority))
    df = read_frame(engine, stmt)
    for col in ("tickets", "with_target", "first_response_breaches", "resolution_breaches", "breaches"):
        df[col] = pd.to_numeric(df[col]).fillna(0).astype("int64")
    for col in ("first_response_target", "resolution_target"):
        df[col] = pd.to_numeric(df[col]).astype(float)
    df["breach_rate"] = _ratio(df["breaches"], df["with_target"])
    df = df.sort_values(["breach_rate", "tickets"], ascending=[False, False], na_position="last")
    return df.reset_index(drop=True)

