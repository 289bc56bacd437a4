"""A small shop built in code for the alert rules: ten quiet weeks of three stores, then planted events.

Planted on the last day (LAST): S1's conversion falls to 40% (sessions as usual), S2 has 5 units of P1 left and
nothing on order (it sells about 10 a day, lead time 7 days), S3's open ticket backlog grows for five days,
and campaign K1 spends 1,000 with no order.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from data_access import schema
from data_access.bulk import bulk_insert

START = date(2025, 1, 6)
DAYS = 70
LAST = START + timedelta(days=DAYS - 1)
STORES = ("S1", "S2", "S3")
CHANNELS = ("direct", "paid_search")
SKUS = ("P1", "P2", "P3", "P4")
PLANTED = [("sales", "S1", None, "conversion_drop"), ("stock", "S2", "P1", "stockout_soon"),
           ("service", "S3", None, "ticket_backlog"), ("marketing", None, None, "spend_no_orders")]


def build() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(16)
    orders, lines, traffic, tickets, reviews, inventory, spend = [], [], [], [], [], [], []
    n = 0
    for d in range(DAYS):
        day = START + timedelta(days=d)
        for store in STORES:
            for channel in CHANNELS:
                sessions = int(rng.poisson(400))
                rate = 0.05 * (0.4 if (day == LAST and store == "S1") else 1.0)
                traffic.append({"day": day, "store_id": store, "channel": channel, "sessions": sessions})
                for _ in range(rng.binomial(sessions, rate)):
                    n += 1
                    oid = f"O{n:06d}"
                    sku = SKUS[int(rng.integers(len(SKUS)))]
                    at = datetime.combine(day, datetime.min.time()) + timedelta(minutes=int(rng.integers(1440)))
                    orders.append({"order_id": oid, "store_id": store, "channel": channel, "customer_id": f"C{n}",
                                   "ordered_at": at, "status": "delivered", "paid_total": 50, "refund_total": 0,
                                   "campaign_id": None})
                    lines.append({"order_id": oid, "line_no": 1, "sku": sku, "quantity": 1, "unit_price": 50,
                                  "discount": 0, "returned": False})
            for i in range(int(rng.poisson(3))):
                created = datetime.combine(day, datetime.min.time()) + timedelta(hours=9 + i)
                backlog = store == "S3" and day > LAST - timedelta(days=5)
                tickets.append({"ticket_id": f"T{store}{d:03d}{i}", "store_id": store, "channel": "chat",
                                "category": "delivery", "priority": "normal", "created_at": created,
                                "first_response_at": None if backlog else created + timedelta(hours=1),
                                "resolved_at": None if backlog else created + timedelta(hours=5),
                                "status": "open" if backlog else "resolved"})
            if store == "S3" and day > LAST - timedelta(days=5):
                for i in range(3):
                    tickets.append({"ticket_id": f"TB{d:03d}{i}", "store_id": store, "channel": "chat",
                                    "category": "delivery", "priority": "low",
                                    "created_at": datetime.combine(day, datetime.min.time()) + timedelta(hours=20),
                                    "status": "open"})
            for i in range(int(rng.poisson(4))):
                reviews.append({"review_id": f"R{store}{d:03d}{i}", "store_id": store,
                                "sku": SKUS[int(rng.integers(len(SKUS)))],
                                "created_at": datetime.combine(day, datetime.min.time()) + timedelta(hours=12),
                                "rating": int(rng.choice([3, 4, 5, 5, 5]))})
            for sku in SKUS:
                planted = day == LAST and store == "S2" and sku == "P1"
                inventory.append({"snapshot_date": day, "store_id": store, "sku": sku,
                                  "on_hand": 5 if planted else 1000, "on_order": 0})
        spend.append({"day": day, "channel": "paid_search", "campaign_id": "", "spend": 300.0})
    spend.append({"day": LAST, "channel": "paid_search", "campaign_id": "K1", "spend": 1000.0})
    return {
        "stores": pd.DataFrame([{"store_id": s, "name": f"Store {s}"} for s in STORES]),
        "products": pd.DataFrame([{"sku": s, "name": f"Item {s}", "category": "C1", "unit_price": 50,
                                   "unit_cost": 20, "lead_time_days": 7} for s in SKUS]),
        "orders": pd.DataFrame(orders), "order_items": pd.DataFrame(lines), "traffic": pd.DataFrame(traffic),
        "tickets": pd.DataFrame(tickets), "reviews": pd.DataFrame(reviews), "inventory": pd.DataFrame(inventory),
        "campaigns": pd.DataFrame([{"campaign_id": "K1", "name": "Launch", "channel": "paid_search",
                                    "start_date": LAST, "end_date": LAST}]),
        "marketing_spend": pd.DataFrame(spend),
    }


def load(engine) -> None:
    """Create the schema (with the alerts tables) and insert the shop in one transaction."""
    import data_access.alerts.queries  # noqa: F401  (registers the alerts tables on the schema's metadata)

    schema.create_schema(engine)
    frames = build()
    with engine.begin() as conn:
        for name, frame in frames.items():
            bulk_insert(conn, schema.metadata.tables[name], frame)


def load_with_alerts(engine) -> None:
    """load, then the morning run of the last day (its alerts stored), as the alert pages find the shop."""
    from alerts import morning

    load(engine)
    morning.run(engine, LAST)
