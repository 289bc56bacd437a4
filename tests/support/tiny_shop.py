"""A hand-made shop of a few orders whose every figure is worked out by hand in test_queries.py."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.bulk import bulk_insert

PERIOD = (date(2025, 3, 1), date(2025, 3, 4))

STORES = pd.DataFrame([
    {"store_id": "S1", "name": "Shanghai Flagship", "name_zh": "上海旗舰店", "region": "East", "city": "Shanghai"},
    {"store_id": "S2", "name": "Beijing Sanlitun", "name_zh": "北京三里屯店", "region": "North", "city": "Beijing"},
])

PRODUCTS = pd.DataFrame([
    {"sku": "P1", "name": "Cup", "category": "A", "unit_cost": 4, "unit_price": 10, "lead_time_days": 7},
    {"sku": "P2", "name": "Mug", "category": "A", "unit_cost": 12, "unit_price": 20, "lead_time_days": 7},
    {"sku": "P3", "name": "Kettle", "category": "B", "unit_cost": 50, "unit_price": 100, "lead_time_days": 14},
])


def _order(order_id, at, store, channel, customer, status, paid_total=None, refund_total=None):
    return {"order_id": order_id, "ordered_at": datetime.fromisoformat(at), "store_id": store, "channel": channel,
            "customer_id": customer, "status": status, "paid_total": paid_total, "refund_total": refund_total}


ORDERS = pd.DataFrame([
    _order("O1", "2025-03-01 10:00", "S1", "direct", "C1", "delivered", 110, 0),
    _order("O2", "2025-03-01 15:00", "S2", "paid_search", "C2", "delivered", 30, 10),
    _order("O3", "2025-03-02 09:00", "S1", "paid_search", "C1", "cancelled"),
    _order("O4", "2025-03-02 12:00", "S1", "direct", "C3", "returned", 10, 10),
    _order("O5", "2025-03-03 23:59:59", "S2", "marketplace", "C4", "paid", 55.5, 5.5),  # no lines
    _order("O6", "2025-03-04 00:00", "S1", "direct", "C2", "pending"),
    _order("O7", "2025-02-28 18:00", "S1", "direct", "C1", "delivered", 10, 0),  # previous period
    _order("O8", "2024-03-02 11:00", "S2", "direct", "C5", "shipped", 200, 0),  # last year
    _order("O9", "2025-03-05 00:00", "S1", "direct", "C1", "delivered", 50, 0),  # after the period
    # January history for customers, cohorts and RFM (outside every window the sales tests use)
    _order("O10", "2025-01-05 10:00", "S1", "direct", "C1", "delivered", 10, 0),
    _order("O11", "2025-01-10 10:00", "S2", "email", "C6", "delivered", 40, 0),
    _order("O12", "2025-01-20 10:00", "S1", "direct", "C6", "delivered", 100, 0),
    _order("O13", "2025-01-25 10:00", "S1", "direct", "C7", "cancelled"),
    _order("O14", "2025-02-02 10:00", "S2", "email", "C6", "delivered", 30, 0),
])


def _line(order_id, line_no, sku, qty, price, discount=0.0, returned=False):
    return {"order_id": order_id, "line_no": line_no, "sku": sku, "quantity": qty, "unit_price": price,
            "discount": discount, "returned": returned}


ORDER_ITEMS = pd.DataFrame([
    _line("O1", 1, "P1", 2, 10),
    _line("O1", 2, "P3", 1, 100, discount=10),
    _line("O2", 1, "P2", 1, 20),
    _line("O2", 2, "P1", 1, 10, returned=True),
    _line("O3", 1, "P3", 1, 100),
    _line("O4", 1, "P1", 1, 10, returned=True),
    _line("O6", 1, "P2", 1, 20),
    _line("O7", 1, "P1", 1, 10),
    _line("O8", 1, "P3", 2, 100),
    _line("O9", 1, "P1", 5, 10),
    _line("O10", 1, "P1", 1, 10),
    _line("O11", 1, "P2", 2, 20),
    _line("O12", 1, "P3", 1, 100),
    _line("O13", 1, "P1", 1, 10),
    _line("O14", 1, "P1", 3, 10),
])

def _visits(day, store, channel, sessions, views, carts, checkouts):
    return {"day": day, "store_id": store, "channel": channel, "sessions": sessions, "product_views": views,
            "add_to_carts": carts, "checkouts": checkouts}


TRAFFIC = pd.DataFrame([
    _visits(date(2025, 3, 1), "S1", "direct", 100, 60, 20, 8),
    _visits(date(2025, 3, 1), "S2", "paid_search", 50, 30, 10, 4),
    _visits(date(2025, 3, 3), "S2", "marketplace", 30, 20, 6, 2),
    _visits(date(2025, 2, 28), "S1", "direct", 40, 25, 8, 3),
])

INVENTORY = pd.DataFrame([
    {"snapshot_date": date(2025, 3, 3), "store_id": "S1", "sku": "P1", "on_hand": 8, "on_order": 0},
    {"snapshot_date": date(2025, 3, 4), "store_id": "S1", "sku": "P1", "on_hand": 6, "on_order": 10},
    {"snapshot_date": date(2025, 3, 4), "store_id": "S1", "sku": "P3", "on_hand": 0, "on_order": 5},
    {"snapshot_date": date(2025, 3, 4), "store_id": "S2", "sku": "P2", "on_hand": 5, "on_order": 0},
    {"snapshot_date": date(2025, 3, 6), "store_id": "S2", "sku": "P2", "on_hand": 1, "on_order": 0},
])


def _ticket(ticket_id, store, created, first_response=None, resolved=None, status="open", priority="normal"):
    ts = datetime.fromisoformat
    return {"ticket_id": ticket_id, "store_id": store, "channel": "chat", "category": "delivery",
            "priority": priority, "created_at": ts(created), "status": status,
            "first_response_at": ts(first_response) if first_response else None,
            "resolved_at": ts(resolved) if resolved else None}


# Judged at 2025-03-04 12:00 with targets 4 h first response, 48 h resolution.
TICKETS = pd.DataFrame([
    _ticket("T1", "S1", "2025-03-04 06:00"),  # unanswered 6 h: first-response breach
    _ticket("T2", "S1", "2025-03-04 10:00"),  # unanswered 2 h: within target
    _ticket("T3", "S2", "2025-03-01 09:00", "2025-03-01 10:00"),  # answered, open 75 h: resolution breach
    _ticket("T4", "S1", "2025-03-01 09:00", "2025-03-01 10:00", "2025-03-02 09:00", "resolved"),
    _ticket("T5", "S2", "2025-03-03 20:00", "2025-03-03 21:00"),  # answered, open 16 h: fine
    _ticket("T6", "S1", "2025-03-05 09:00"),  # created after the moment judged
])

REVIEWS = pd.DataFrame([
    {"review_id": "R1", "order_id": "O1", "store_id": "S1", "sku": "P1", "created_at": datetime(2025, 3, 3, 9),
     "rating": 2, "comment": "包装破损"},
    {"review_id": "R2", "order_id": "O2", "store_id": "S2", "sku": "P2", "created_at": datetime(2025, 3, 4, 9),
     "rating": 1, "comment": "late and broken"},
    {"review_id": "R3", "order_id": None, "store_id": "S1", "sku": None, "created_at": datetime(2025, 3, 4, 10),
     "rating": 1, "comment": "门店服务差"},
    {"review_id": "R4", "order_id": "O1", "store_id": "S1", "sku": "P3", "created_at": datetime(2025, 3, 2, 9),
     "rating": 5, "comment": "很好"},
    {"review_id": "R5", "order_id": "O7", "store_id": "S1", "sku": "P1", "created_at": datetime(2025, 2, 27, 9),
     "rating": 1, "comment": "before the period"},
])


def load(engine: sa.Engine) -> None:
    """Create the schema and insert the tiny shop in one transaction."""
    schema.create_schema(engine)
    with engine.begin() as conn:
        for table, frame in [(schema.stores, STORES), (schema.products, PRODUCTS), (schema.orders, ORDERS),
                             (schema.order_items, ORDER_ITEMS), (schema.traffic, TRAFFIC),
                             (schema.inventory, INVENTORY), (schema.tickets, TICKETS),
                             (schema.reviews, REVIEWS)]:
            bulk_insert(conn, table, frame)
