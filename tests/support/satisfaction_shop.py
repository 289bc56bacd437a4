"""A hand-made service history (reviews, tickets, delivered orders) whose every figure test_satisfaction.py works out.

Period 1-7 Mar 2025; previous period 22-28 Feb 2025; last year 1-7 Mar 2024. Tickets are judged as of
AS_OF = 8 Mar 2025 12:00 with TARGETS (high 2 h / 24 h, normal 4 h / 48 h, low: resolution 72 h only;
any other priority has no target unless a test adds the OTHER row).
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.bulk import bulk_insert
from data_access.satisfaction.sla import as_targets

PERIOD = (date(2025, 3, 1), date(2025, 3, 7))
AS_OF = datetime(2025, 3, 8, 12, 0)
TARGETS = as_targets({"high": (2, 24), "normal": (4, 48), "low": (None, 72)})

STORES = pd.DataFrame([
    {"store_id": "S1", "name": "Shanghai Flagship", "name_zh": "上海旗舰店", "region": "East", "city": "Shanghai"},
    {"store_id": "S2", "name": "Beijing Sanlitun", "name_zh": "北京三里屯店", "region": "North", "city": "Beijing"},
])

PRODUCTS = pd.DataFrame([
    {"sku": "P1", "name": "Cup", "category": "A", "unit_cost": 4, "unit_price": 10, "lead_time_days": 7},
    {"sku": "P2", "name": "Mug", "category": "A", "unit_cost": 12, "unit_price": 20, "lead_time_days": 7},
    {"sku": "P3", "name": "Kettle", "category": "B", "unit_cost": 50, "unit_price": 100, "lead_time_days": 14},
    {"sku": "P4", "name": "Teapot", "category": "B", "unit_cost": 30, "unit_price": 60, "lead_time_days": 14},
])


def _ts(text):
    return datetime.fromisoformat(text) if text else None


def _order(order_id, store, channel, ordered, promised, delivered, status="delivered"):
    return {"order_id": order_id, "store_id": store, "channel": channel, "customer_id": "C1",
            "ordered_at": _ts(ordered), "status": status, "paid_total": 10, "refund_total": 0,
            "promised_at": _ts(promised), "delivered_at": _ts(delivered)}


# Days late = delivery date - promised date (calendar days).
ORDERS = pd.DataFrame([
    _order("O1", "S1", "direct", "2025-02-28 09:00", "2025-03-02 18:00", "2025-03-02 10:00"),  # on time (0)
    _order("O2", "S1", "paid_search", "2025-02-28 10:00", "2025-03-02 00:00", "2025-03-04 08:00"),  # 2 days
    _order("O3", "S2", "marketplace", "2025-02-27 10:00", "2025-03-01 12:00", "2025-03-05 09:00"),  # 4 days
    _order("O4", "S2", "direct", "2025-02-15 10:00", "2025-02-20 12:00", "2025-03-01 10:00"),  # 9 days
    _order("O5", "S1", "direct", "2025-03-01 10:00", "2025-03-03 12:00", None, "shipped"),  # not delivered
    _order("O6", "S2", "email", "2025-02-28 11:00", None, "2025-03-02 15:00"),  # no promised date
    _order("O7", "S1", "direct", "2025-02-20 11:00", "2025-02-23 12:00", "2025-02-23 09:00"),
])

ORDER_ITEMS = pd.DataFrame([
    {"order_id": o, "line_no": n, "sku": sku, "quantity": 1, "unit_price": 10, "discount": 0, "returned": False}
    for o, n, sku in [("O1", 1, "P1"), ("O2", 1, "P2"), ("O2", 2, "P3"), ("O3", 1, "P3"), ("O4", 1, "P1"),
                      ("O5", 1, "P2"), ("O6", 1, "P1"), ("O7", 1, "P1")]
])


def _review(review_id, order, store, sku, created, rating, nps, comment):
    return {"review_id": review_id, "order_id": order, "store_id": store, "sku": sku, "created_at": _ts(created),
            "rating": rating, "nps": nps, "comment": comment}


REVIEWS = pd.DataFrame([
    # the period
    _review("R1", "O1", "S1", "P1", "2025-03-02 12:00", 5, 10, "Great quality, fast delivery"),
    _review("R2", "O2", "S1", "P2", "2025-03-04 12:00", 4, 9, "物流稍慢，质量很好"),
    _review("R3", "O3", "S2", "P3", "2025-03-05 12:00", 2, 5, "Chegou atrasado, produto com defeito"),
    _review("R4", "O4", "S2", "P1", "2025-03-06 09:00", 1, None, "物流太慢了，包装破损"),
    _review("R5", "O5", "S1", "P2", "2025-03-06 10:00", 3, 7, "still waiting"),
    _review("R6", None, "S1", "P3", "2025-03-07 08:00", 1, 0, "Não recebi, péssimo"),  # no order
    _review("R7", "O6", "S2", "P1", "2025-03-03 08:00", 4, None, None),  # no comment
    _review("R8", None, "S2", None, "2025-03-07 20:00", 5, 9, "很好"),  # no order, no product
    _review("R9", None, "S1", "P4", "2025-03-05 15:00", 1, None, "   "),  # blank comment, single P4 review
    # previous period
    _review("R10", "O7", "S1", "P1", "2025-02-25 10:00", 4, 9, "good"),
    _review("R11", None, "S2", "P2", "2025-02-27 10:00", 2, 7, "bad"),
    # last year, and after the period
    _review("R12", None, "S1", "P1", "2024-03-03 10:00", 5, 10, "perfect"),
    _review("R13", None, "S1", "P1", "2025-03-08 10:00", 1, 0, "after the period"),
]).astype({"nps": "Int64"})


def _ticket(ticket_id, store, channel, category, priority, order, created, first=None, resolved=None, csat=None):
    status = "resolved" if resolved else ("pending" if first else "open")
    return {"ticket_id": ticket_id, "store_id": store, "customer_id": "C1", "order_id": order, "channel": channel,
            "category": category, "priority": priority, "created_at": _ts(created), "first_response_at": _ts(first),
            "resolved_at": _ts(resolved), "status": status, "csat": csat}


TICKETS = pd.DataFrame([
    # opened in the period
    _ticket("T1", "S1", "chat", "delivery", "high", "O2", "2025-03-01 10:00", "2025-03-01 11:00",
            "2025-03-01 20:00", 5),  # 1 h / 10 h: within 2 h / 24 h
    _ticket("T2", "S1", "email", "quality", "normal", "O1", "2025-03-02 09:00", "2025-03-02 15:00",
            "2025-03-03 09:00", 3),  # answered after 6 h > 4 h: breach
    _ticket("T3", "S2", "phone", "delivery", "normal", "O3", "2025-03-03 08:00", "2025-03-03 08:30",
            "2025-03-06 08:00", 2),  # resolved after 72 h > 48 h: breach
    _ticket("T4", "S2", "chat", "return", "low", "O4", "2025-03-04 12:00", "2025-03-04 20:00"),  # open 96 h > 72 h
    _ticket("T5", "S1", "wechat", "inquiry", "normal", None, "2025-03-06 10:00"),  # unanswered 50 h: both breached
    _ticket("T6", "S1", "chat", "payment", "high", "O5", "2025-03-07 22:00"),  # unanswered 14 h > 2 h
    _ticket("T7", "S2", "phone", "delivery", "vip", "O6", "2025-03-05 09:00", "2025-03-05 09:10",
            "2025-03-05 11:00", 4),  # priority without a target
    # opened before the period
    _ticket("T8", "S1", "chat", "delivery", "normal", "O1", "2025-02-27 10:00", "2025-02-27 11:00",
            "2025-03-02 10:00", 1),  # resolved in the period after 72 h
    _ticket("T9", "S2", "email", "quality", "normal", None, "2025-02-26 09:00", "2025-02-26 10:00",
            "2025-02-26 12:00", 5),
    _ticket("T10", "S1", "chat", "delivery", "normal", None, "2025-02-20 09:00", "2025-02-20 10:00"),  # never resolved
    # after the period (before AS_OF), and last year
    _ticket("T11", "S1", "phone", "inquiry", "normal", None, "2025-03-08 09:00"),
    _ticket("T12", "S1", "chat", "delivery", "normal", None, "2024-03-02 10:00", "2024-03-02 10:30",
            "2024-03-02 14:00", 4),
]).astype({"csat": "Int64"})


def load(engine: sa.Engine) -> None:
    """Create the schema and insert the shop in one transaction."""
    schema.create_schema(engine)
    with engine.begin() as conn:
        for table, frame in [(schema.stores, STORES), (schema.products, PRODUCTS), (schema.orders, ORDERS),
                             (schema.order_items, ORDER_ITEMS), (schema.reviews, REVIEWS),
                             (schema.tickets, TICKETS)]:
            bulk_insert(conn, table, frame)
