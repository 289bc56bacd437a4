"""Named queries over service data: tickets and reviews, always scoped to the caller's stores in SQL."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.read import read_frame
from data_access.satisfaction.sla import Targets, as_targets, hours_between, with_targets
from data_access.schema import products, reviews, stores, tickets
from data_access.scope import in_scope


def open_tickets_past_sla(engine: sa.Engine, f: Filters, as_of: datetime, targets: Targets | None = None,
                          limit: int = 1000) -> pd.DataFrame:
    """Tickets of f's stores (f's dates do not apply) created before `as_of` and unresolved at `as_of`, past their
    priority's response or resolution target (data_access.satisfaction.sla; default DEFAULT_SLA_TARGETS).

    Columns: ticket_id, store_id, order_id, channel, category, priority, created_at,
    first_response_at, age_hours, breach ('first_response' when unanswered past target, else
    'resolution'), overdue_hours (hours since the target it is past ran out). Newest breach first (the
    tickets that just became late lead, years-old ones come last), at most `limit` rows.
    """
    targets = as_targets() if targets is None else targets
    t = tickets.c
    age = hours_between(sa.cast(sa.bindparam("as_of", as_of), sa.DateTime), t.created_at)
    unanswered = sa.or_(t.first_response_at.is_(None), t.first_response_at > as_of)
    source, first_target, resolution_target = with_targets(tickets, targets)
    late_answer = sa.and_(unanswered, first_target.is_not(None), age > first_target)
    conds = [t.created_at <= as_of, sa.or_(t.resolved_at.is_(None), t.resolved_at > as_of),
             sa.or_(late_answer, sa.and_(resolution_target.is_not(None), age > resolution_target))]
    conds.append(in_scope(t.store_id, f))
    overdue = sa.cast(age - sa.case((late_answer, first_target), else_=resolution_target), sa.Double)
    stmt = (
        sa.select(t.ticket_id, t.store_id, t.order_id, t.channel, t.category, t.priority, t.created_at,
                  t.first_response_at, sa.cast(age, sa.Double).label("age_hours"),
                  sa.case((late_answer, "first_response"), else_="resolution").label("breach"),
                  overdue.label("overdue_hours"))
        .select_from(source)
        .where(*conds)
        .order_by(overdue, t.ticket_id)
    )
    if limit is not None:
        stmt = stmt.limit(sa.bindparam("limit", int(limit)))
    df = read_frame(engine, stmt)
    df["created_at"] = pd.to_datetime(df["created_at"])
    df["age_hours"] = df["age_hours"].astype(float)
    df["overdue_hours"] = df["overdue_hours"].astype(float)
    return df


def lowest_recent_reviews(engine: sa.Engine, f: Filters, max_rating: int = 2, limit: int | None = 10) -> pd.DataFrame:
    """The reviews rated `max_rating` or lower in the period, lowest rating first, then newest first (all of
    them with limit None).

    Columns: review_id, created_at, store_id, store_name, sku, product_name, product_name_zh (Chinese name or
    None), rating, comment.
    """
    r = reviews.c
    conds = [r.created_at >= f.start_at, r.created_at < f.end_before, r.rating <= max_rating]
    conds.append(in_scope(r.store_id, f))
    stmt = (
        sa.select(r.review_id, r.created_at, r.store_id, stores.c.name.label("store_name"), r.sku,
                  products.c.name.label("product_name"), products.c.name_zh.label("product_name_zh"), r.rating,
                  r.comment)
        .select_from(reviews.outerjoin(stores, stores.c.store_id == r.store_id)
                     .outerjoin(products, products.c.sku == r.sku))
        .where(*conds)
        .order_by(r.rating, r.created_at.desc(), r.review_id)
    )
    if limit is not None:
        stmt = stmt.limit(sa.bindparam("limit", int(limit)))
    df = read_frame(engine, stmt)
    df["created_at"] = pd.to_datetime(df["created_at"])
    return df
