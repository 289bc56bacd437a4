"""Support tickets: raised more after late deliveries and returns, answered slower at nights, weekends and peaks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.demo.fulfilment import CANCELLED, RETURNED
from data_access.demo.service import CATEGORIES, CSAT_P, PRIORITIES, TICKET_CHANNELS, OrderFacts
from data_access.demo.timeline import Timeline
from data_access.demo.util import DAY, choice, choice_rows, ids, timestamps

DELIVERY, RETURN, QUALITY, PAYMENT, INQUIRY = range(5)


def _category(rng: np.random.Generator, late: np.ndarray, returned: np.ndarray, cancelled: np.ndarray
              ) -> np.ndarray:
    n = late.size
    u = rng.random(n)
    cat = choice(rng, np.array([0.2, 0.05, 0.2, 0.15, 0.4]), n)  # anything else: mostly questions
    cat[cancelled] = np.where(u[cancelled] < 0.6, PAYMENT, INQUIRY)
    cat[late] = np.where(u[late] < 0.85, DELIVERY, cat[late])
    cat[returned] = np.where(u[returned] < 0.7, RETURN, QUALITY)
    return cat


def _created(rng: np.random.Generator, cat: np.ndarray, o: OrderFacts, rows: np.ndarray) -> np.ndarray:
    """When the customer got in touch: after the promise for delivery, after delivery for returns and quality."""
    n = rows.size
    t, promised, delivered = o.t[rows], o.promised[rows], o.delivered[rows]
    after_order = t + rng.uniform(0.05, 48, n) * 3600
    after_promise = np.where(np.isnan(delivered), promised, np.minimum(promised, delivered))
    after_promise = after_promise + rng.uniform(1, 30, n) * 3600
    after_delivery = np.where(np.isnan(delivered), after_order, delivered + rng.uniform(0.2, 5, n) * DAY)
    return np.select([cat == DELIVERY, (cat == RETURN) | (cat == QUALITY)], [after_promise, after_delivery],
                     after_order)


def _first_response(rng: np.random.Generator, tl: Timeline, created: np.ndarray, speed: np.ndarray,
                    channel: np.ndarray, night_shift: np.ndarray) -> np.ndarray:
    """When an agent first answers: slower on weekends and at the peaks, by email slower, and between 00:00 and
    07:00 only the night shift works (urgent and high tickets); the rest wait for the morning shift."""
    day = np.minimum(np.floor(created / DAY).astype(np.int64), tl.n_days - 1)
    busy = np.where(tl.weekday[day] >= 5, 1.4, 1.0) * (1 + 1.5 * tl.eventness[day])
    by_channel = np.array([0.3, 0.6, 3.0, 1.0])[channel]  # phone, chat, email, wechat
    first = created + rng.lognormal(np.log(0.35), 0.8, created.size) * busy * speed * by_channel * 3600
    hour = (first % DAY) / 3600
    morning = np.floor(first / DAY) * DAY + 7 * 3600
    off = (hour < 7) & ~night_shift
    return np.where(off, morning + rng.uniform(0, 1.5, created.size) * 3600, first)


#: Days before the end of the history the planted backlog store stops answering.
BACKLOG_DAYS = 5
#: Delivery complaints a day the backlog store gets on top of its usual tickets over those days, so the backlog
#: grows every day at any scale (a small store has a ticket every few days).
BACKLOG_SURGE_PER_DAY = 3
#: Median resolution hours after the first answer, by priority (low, normal, high, urgent).
RESOLVE_HOURS = np.array([20.0, 14.0, 7.0, 2.5])


def tickets_frame(rng: np.random.Generator, tl: Timeline, o: OrderFacts, all_customers: pd.Series,
                  all_stores: pd.Series, backlog_store: str | None = None) -> pd.DataFrame:
    """Columns: ticket_id, store_id, customer_id, order_id, channel, category, priority, created_at,
    first_response_at, resolved_at, status, csat.

    Most tickets are answered and resolved within their priority's target (data_access.satisfaction.sla); a few slip
    through for days or weeks. backlog_store (planted event): nobody there answers the tickets of the last BACKLOG_DAYS
    days and gets BACKLOG_SURGE_PER_DAY delivery complaints a day more, so they pile up open."""
    pick_rng, cat_rng, time_rng, resp_rng, res_rng, misc_rng, pre_rng, surge_rng = rng.spawn(8)
    now = tl.n_days * DAY
    n_orders = o.t.size
    late_d = np.nan_to_num((o.delivered - o.promised) / DAY, nan=0.0)
    late_d = np.where(np.isnan(o.delivered) & (o.promised < now) & ~np.isnan(o.promised),
                      np.maximum(late_d, (now - o.promised) / DAY), late_d)  # still not there, past the promise
    returned = (o.status == RETURNED) | o.partial_return
    cancelled = o.status == CANCELLED
    p = 0.02 + 0.12 * (late_d >= 1) + 0.06 * (late_d >= 3) + 0.22 * returned + 0.08 * cancelled
    rows = np.flatnonzero(pick_rng.random(n_orders) < p)
    cat = _category(cat_rng, late_d[rows] >= 1, returned[rows], cancelled[rows])
    created = _created(time_rng, cat, o, rows)
    # Pre-sales questions without an order: about 8% of tickets.
    k = max(3, int(rows.size * 0.08))
    pre_created = pre_rng.uniform(0, now, k)
    keep = created < now
    rows, cat, created = rows[keep], cat[keep], created[keep]
    store = pd.concat([o.store_id.iloc[rows], all_stores.iloc[pre_rng.integers(0, len(all_stores), k)]],
                      ignore_index=True)
    pre_customer = all_customers.iloc[pre_rng.integers(0, len(all_customers), k)].reset_index(drop=True)
    pre_customer = pre_customer.where(pd.Series(pre_rng.random(k) < 0.4))  # known shoppers asking ahead
    customer = pd.concat([o.customer_id.iloc[rows], pre_customer], ignore_index=True)
    order = pd.concat([o.order_id.iloc[rows], pd.Series([None] * k, dtype="str")], ignore_index=True)
    cat = np.concatenate([cat, np.full(k, INQUIRY)])
    created = np.concatenate([created, pre_created])
    severe = np.concatenate([late_d[rows] >= 3, np.zeros(k, dtype=bool)])
    if backlog_store is not None:
        first_day = max(tl.n_days - BACKLOG_DAYS, 0)
        surge = ((np.repeat(np.arange(first_day, tl.n_days), BACKLOG_SURGE_PER_DAY)
                  + surge_rng.uniform(0, 1, (tl.n_days - first_day) * BACKLOG_SURGE_PER_DAY)) * DAY)
        m = surge.size
        store = pd.concat([store, pd.Series([backlog_store] * m, dtype=store.dtype)], ignore_index=True)
        surge_customer = all_customers.iloc[surge_rng.integers(0, len(all_customers), m)].reset_index(drop=True)
        customer = pd.concat([customer, surge_customer], ignore_index=True)
        order = pd.concat([order, pd.Series([None] * m, dtype="str")], ignore_index=True)
        cat = np.concatenate([cat, np.full(m, DELIVERY)])
        created = np.concatenate([created, surge])
        severe = np.concatenate([severe, np.zeros(m, dtype=bool)])
    n = created.size

    u = misc_rng.random(n)
    priority = np.where(cat == INQUIRY, np.where(u < 0.55, 0, 1), 1)
    priority = np.where((cat == PAYMENT) & (u < 0.35), 2, priority)
    priority = np.where(severe | ((cat == QUALITY) & (u < 0.3)), 2, priority)
    priority = np.where(misc_rng.random(n) < 0.03, 3, priority)
    speed = np.array([1.5, 1.0, 0.6, 0.3])[priority]
    channel = choice(misc_rng, np.array([0.2, 0.4, 0.15, 0.25]), n)
    first = _first_response(resp_rng, tl, created, speed, channel, priority >= 2)
    slow_cat = np.where((cat == RETURN) | (cat == QUALITY), 1.6, 1.0)
    resolve_h = res_rng.lognormal(np.log(RESOLVE_HOURS[priority]), 0.7, n) * slow_cat
    resolved = first + resolve_h * 3600
    # Forgotten tickets: a few recent ones fall through the cracks and stay open, some never even answered.
    stuck, lost = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    older = np.flatnonzero((created < now - 2 * DAY) & (created > now - 45 * DAY))
    forgotten = res_rng.choice(older, min(older.size, 2 * max(2, round(0.0004 * n))), replace=False)
    stuck[forgotten[::2]] = True
    lost[forgotten[1::2]] = True
    if backlog_store is not None:
        lost |= (store.to_numpy() == backlog_store) & (created >= now - BACKLOG_DAYS * DAY)
    answered = (first <= now) & ~lost
    done = answered & (resolved <= now) & ~stuck
    total_h = (resolved - created) / 3600
    status = np.where(done, np.where(now - resolved < 7 * DAY, "resolved", "closed"),
                      np.where(answered & (misc_rng.random(n) < 0.6), "pending", "open"))
    bucket = np.where(total_h <= 24, 0, np.where(total_h <= 72, 1, 2))
    csat = 1 + choice_rows(misc_rng, np.cumsum(CSAT_P, axis=1)[bucket])
    has_csat = done & (misc_rng.random(n) < 0.45)
    frame = pd.DataFrame({
        "store_id": store, "customer_id": customer, "order_id": order,
        "channel": TICKET_CHANNELS[channel],
        "category": CATEGORIES[cat], "priority": PRIORITIES[priority],
        "created": created, "first": np.where(answered, first, np.nan), "resolved": np.where(done, resolved, np.nan),
        "status": status, "csat": pd.array(np.where(has_csat, csat, np.nan), dtype="Int64"),
    }).sort_values("created", kind="stable", ignore_index=True)
    return pd.DataFrame({
        "ticket_id": ids("T", n, 7),
        "store_id": frame["store_id"].astype("str"),
        "customer_id": frame["customer_id"].astype("str"),
        "order_id": frame["order_id"].astype("str"),
        "channel": frame["channel"].astype("str"),
        "category": frame["category"].astype("str"),
        "priority": frame["priority"].astype("str"),
        "created_at": timestamps(frame["created"].to_numpy(), tl.start),
        "first_response_at": timestamps(np.nan_to_num(frame["first"].to_numpy()), tl.start,
                                        frame["first"].notna().to_numpy()),
        "resolved_at": timestamps(np.nan_to_num(frame["resolved"].to_numpy()), tl.start,
                                  frame["resolved"].notna().to_numpy()),
        "status": frame["status"].astype("str"),
        "csat": frame["csat"],
    })
