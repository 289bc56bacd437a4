"""A hand-made fulfilment history whose every figure tests/logistics/test_logistics.py works out.

Period 1-7 Mar 2025 (previous period 22-28 Feb, nothing a year before); stuck orders are judged at the period's
end (8 Mar 00:00) unless a test asks for an earlier moment. Times of each order in the comments.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.bulk import bulk_insert

PERIOD = (date(2025, 3, 1), date(2025, 3, 7))
AS_OF = datetime(2025, 3, 10, 12, 0)

STORES = pd.DataFrame([
    {"store_id": "S1", "name": "Shanghai Flagship", "name_zh": "上海旗舰店", "region": "East", "city": "Shanghai"},
    {"store_id": "S2", "name": "Beijing Sanlitun", "name_zh": "北京三里屯店", "region": "North", "city": "Beijing"},
])

PRODUCTS = pd.DataFrame([
    {"sku": "P1", "name": "Cup", "category": "A", "unit_cost": 4, "unit_price": 10, "lead_time_days": 7},
    {"sku": "P2", "name": "Kettle", "category": "B", "unit_cost": 50, "unit_price": 100, "lead_time_days": 14},
])


def _ts(text):
    return datetime.fromisoformat(text) if text else None


def _order(order_id, store, channel, customer, carrier, cost, status, ordered, paid, shipped, delivered, promised):
    return {"order_id": order_id, "store_id": store, "channel": channel, "customer_id": customer,
            "region": {"S1": "East", "S2": "North"}[store], "carrier": carrier, "shipping_cost": cost,
            "status": status, "ordered_at": _ts(ordered), "paid_at": _ts(paid), "shipped_at": _ts(shipped),
            "delivered_at": _ts(delivered), "promised_at": _ts(promised), "paid_total": 10, "refund_total": 0}


ORDERS = pd.DataFrame([
    # pay 0.5 h, ship 22 h, transit 1.5 d, delivery 2.4375 d, on time (3 Mar <= 4 Mar)
    _order("L1", "S1", "direct", "C1", "SF Express", 12, "delivered", "2025-03-01 10:00", "2025-03-01 10:30",
           "2025-03-02 08:30", "2025-03-03 20:30", "2025-03-04 00:00"),
    # pay 0 h, ship 72 h (late), transit 2.5 d, delivery 5.5 d, 2 days late
    _order("L2", "S1", "paid_search", "C2", "ZTO", 6, "delivered", "2025-03-02 09:00", "2025-03-02 09:00",
           "2025-03-05 09:00", "2025-03-07 21:00", "2025-03-05 00:00"),
    # pay 1 h, ship 24 h, transit 4 d, delivery 121 h, 4 days late; delivered after the period's end
    _order("L3", "S2", "marketplace", "C1", "ZTO", 5, "delivered", "2025-03-03 12:00", "2025-03-03 13:00",
           "2025-03-04 13:00", "2025-03-08 13:00", "2025-03-04 00:00"),
    # paid, never shipped: 88 h waiting at 8 Mar 00:00, past its promise
    _order("L4", "S2", "direct", "C3", None, None, "paid", "2025-03-04 08:00", "2025-03-04 08:00", None, None,
           "2025-03-07 00:00"),
    # pay 10 min, ship 2 h 50 min, still on its way: 156 h since shipment at 8 Mar 00:00
    _order("L5", "S1", "direct", "C5", "SF Express", 14, "shipped", "2025-03-01 09:00", "2025-03-01 09:10",
           "2025-03-01 12:00", None, "2025-03-03 00:00"),
    # no payment time (ship 24 h from the order), transit 1 d, delivery 2 d, no promise, no customer
    _order("L6", "S2", "email", None, "SF Express", 15, "delivered", "2025-03-05 10:00", None,
           "2025-03-06 10:00", "2025-03-07 10:00", None),
    # cancelled: left out everywhere
    _order("L7", "S1", "direct", "C2", "ZTO", 6, "cancelled", "2025-03-02 10:00", None, None, None, None),
    # ship 72 h, after the period's end (awaiting shipment for 38 h at 8 Mar 00:00), transit 1 d, 1 day late
    _order("L8", "S1", "direct", "C2", "SF Express", 12, "delivered", "2025-03-06 10:00", "2025-03-06 10:00",
           "2025-03-09 10:00", "2025-03-10 10:00", "2025-03-09 00:00"),
    # previous period: ship 10 h, delivery 46 h, on time
    _order("L9", "S1", "direct", "C4", "SF Express", 10, "delivered", "2025-02-25 10:00", "2025-02-25 10:00",
           "2025-02-25 20:00", "2025-02-27 08:00", "2025-02-27 00:00"),
])

ORDER_ITEMS = pd.DataFrame([
    {"order_id": o, "line_no": 1, "sku": sku, "quantity": 1, "unit_price": 10, "discount": 0, "returned": False}
    for o, sku in [("L1", "P1"), ("L2", "P2"), ("L3", "P1"), ("L4", "P1"), ("L5", "P2"), ("L6", "P1"),
                   ("L7", "P1"), ("L8", "P1"), ("L9", "P1")]
])

REVIEWS = pd.DataFrame([
    {"review_id": "R1", "order_id": "L1", "store_id": "S1", "sku": "P1", "created_at": _ts("2025-03-04 10:00"),
     "rating": 5, "comment": "fast"},
    {"review_id": "R2", "order_id": "L2", "store_id": "S1", "sku": "P2", "created_at": _ts("2025-03-08 10:00"),
     "rating": 2, "comment": "slow"},
    {"review_id": "R3", "order_id": "L3", "store_id": "S2", "sku": "P1", "created_at": _ts("2025-03-09 10:00"),
     "rating": 1, "comment": "late"},
    {"review_id": "R4", "order_id": "L3", "store_id": "S2", "sku": "P1", "created_at": _ts("2025-03-10 10:00"),
     "rating": 3, "comment": "ok in the end"},
    {"review_id": "R5", "order_id": None, "store_id": "S1", "sku": "P1", "created_at": _ts("2025-03-05 10:00"),
     "rating": 4, "comment": "no order"},
])


def load(engine: sa.Engine) -> None:
    """Create the schema and insert the shop in one transaction."""
    schema.create_schema(engine)
    with engine.begin() as conn:
        for table, frame in [(schema.stores, STORES), (schema.products, PRODUCTS), (schema.orders, ORDERS),
                             (schema.order_items, ORDER_ITEMS), (schema.reviews, REVIEWS)]:
            bulk_insert(conn, table, frame)
