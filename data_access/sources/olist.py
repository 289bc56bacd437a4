"""Import of the Olist public e-commerce data layout (orders, items, payments, reviews, customers, products).

Olist is a marketplace without shops of its own, so everything lands in one store, OLIST, on the
marketplace channel; customers are Olist's customer_unique_id (a person across orders), so repeat
purchases are visible. Re-importing the same files replaces the same rows (idempotent by key).
Run: python -m data_access.sources.olist --url URL FOLDER [--prefix olist4k_]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from data_access import rollups, schema
from data_access.bulk import bulk_insert
from data_access.engine import cli_errors, configured_url, create_engine

STORE_ID = "OLIST"
FILES = ("orders", "order_items", "order_payments", "order_reviews", "customers", "products")
# Olist order_status -> canonical status.
STATUS = {"delivered": "delivered", "shipped": "shipped", "canceled": "cancelled", "unavailable": "cancelled",
          "invoiced": "paid", "processing": "paid", "approved": "paid", "created": "pending"}


class OlistError(ValueError):
    """A missing or malformed Olist file, named with the file and what is wrong."""


def read_files(folder: Path, prefix: str = "olist4k_") -> dict[str, pd.DataFrame]:
    """The six Olist CSVs (plus the optional category translation) as text-typed DataFrames."""
    frames = {}
    for name in FILES:
        path = folder / f"{prefix}{name}.csv"
        if not path.exists():
            raise OlistError(f"{path}: file not found (expected the Olist layout {prefix}<{'|'.join(FILES)}>.csv)")
        frames[name] = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    translation = folder / "olist_category_translation.csv"
    frames["translation"] = (pd.read_csv(translation, dtype=str, encoding="utf-8-sig") if translation.exists()
                             else pd.DataFrame(columns=["product_category_name", "product_category_name_english"]))
    return frames


def _time(series: pd.Series, file: str, column: str) -> pd.Series:
    parsed = pd.to_datetime(series.replace("", None), errors="coerce", format="%Y-%m-%d %H:%M:%S")
    bad = series.ne("") & parsed.isna()
    if bad.any():
        row = int(bad.idxmax()) + 2  # header is line 1
        raise OlistError(f"{file}, line {row}, column {column}: not a timestamp: {series[bad.idxmax()]!r}")
    return parsed


def _number(series: pd.Series, file: str, column: str) -> pd.Series:
    parsed = pd.to_numeric(series, errors="coerce")
    if parsed.isna().any():
        row = int(parsed.isna().idxmax()) + 2
        raise OlistError(f"{file}, line {row}, column {column}: not a number: {series[parsed.isna().idxmax()]!r}")
    return parsed


def to_canonical(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Map Olist frames onto the canonical tables (stores, customers, products, orders, order_items, reviews)."""
    orders, items, payments = raw["orders"], raw["order_items"], raw["order_payments"]
    customers = raw["customers"]
    person = customers.set_index("customer_id")["customer_unique_id"]
    state = customers.set_index("customer_id")["customer_state"]
    unknown = sorted(set(orders["order_status"]) - set(STATUS))
    if unknown:
        raise OlistError(f"orders: unknown order_status values {unknown}")
    paid = _number(payments["payment_value"], "order_payments", "payment_value").groupby(payments["order_id"]).sum()
    # The order's freight: Olist charges it per item (freight_value), the order's shipping cost is their sum.
    freight = _number(items["freight_value"], "order_items", "freight_value").groupby(items["order_id"]).sum()
    ordered_at = _time(orders["order_purchase_timestamp"], "orders", "order_purchase_timestamp")
    out_orders = pd.DataFrame({
        "order_id": orders["order_id"], "store_id": STORE_ID,
        "customer_id": orders["customer_id"].map(person).fillna(orders["customer_id"]),
        "channel": "marketplace", "campaign_id": None, "ordered_at": ordered_at,
        "paid_at": _time(orders["order_approved_at"], "orders", "order_approved_at"),
        "status": orders["order_status"].map(STATUS),
        "paid_total": orders["order_id"].map(paid).round(2), "refund_total": 0.0,
        "region": orders["customer_id"].map(state),
        "promised_at": _time(orders["order_estimated_delivery_date"], "orders", "order_estimated_delivery_date"),
        "shipped_at": _time(orders["order_delivered_carrier_date"], "orders", "order_delivered_carrier_date"),
        "delivered_at": _time(orders["order_delivered_customer_date"], "orders", "order_delivered_customer_date"),
        "shipping_cost": orders["order_id"].map(freight).round(2),
    })
    out_items = pd.DataFrame({
        "order_id": items["order_id"],
        "line_no": _number(items["order_item_id"], "order_items", "order_item_id").astype(int),
        "sku": items["product_id"], "quantity": 1,
        "unit_price": _number(items["price"], "order_items", "price"), "discount": 0.0, "returned": False,
    })
    english = raw["translation"].set_index("product_category_name")["product_category_name_english"]
    products = raw["products"]
    category = products["product_category_name"].map(english).fillna(products["product_category_name"])
    category = category.replace("", "unknown")
    out_products = pd.DataFrame({"sku": products["product_id"],
                                 "name": category + " " + products["product_id"].str[:8],
                                 "category": category})
    first = out_orders[out_orders["status"] != "cancelled"].groupby("customer_id")["ordered_at"].min()
    people = customers.drop_duplicates("customer_unique_id")
    out_customers = pd.DataFrame({"customer_id": people["customer_unique_id"],
                                  "first_order_at": people["customer_unique_id"].map(first),
                                  "region": people["customer_state"], "city": people["customer_city"],
                                  "acquisition_channel": "marketplace"})
    reviews = raw["order_reviews"]
    review_id = reviews["review_id"].where(~reviews["review_id"].duplicated(keep=False),
                                           reviews["review_id"] + ":" + reviews["order_id"])
    text = (reviews["review_comment_title"].str.strip() + " " + reviews["review_comment_message"].str.strip())
    out_reviews = pd.DataFrame({
        "review_id": review_id, "order_id": reviews["order_id"], "store_id": STORE_ID,
        "sku": reviews["order_id"].map(items.drop_duplicates("order_id").set_index("order_id")["product_id"]),
        "created_at": _time(reviews["review_creation_date"], "order_reviews", "review_creation_date"),
        "rating": _number(reviews["review_score"], "order_reviews", "review_score").astype(int),
        "comment": text.str.strip().replace("", None),
    })
    stores = pd.DataFrame([{"store_id": STORE_ID, "name": "Olist marketplace", "name_zh": "Olist 平台",
                            "region": "Brazil", "city": "São Paulo"}])
    return {"stores": stores, "customers": out_customers, "products": out_products, "orders": out_orders,
            "order_items": out_items, "reviews": out_reviews}


_KEYS = {"stores": ["store_id"], "customers": ["customer_id"], "products": ["sku"], "orders": ["order_id"],
         "order_items": ["order_id"], "reviews": ["review_id"]}


def load(engine: sa.Engine, folder: Path, prefix: str = "olist4k_") -> dict[str, int]:
    """Import the Olist files in one transaction (replacing rows with the same keys), then refresh the sales
    rollups; returns rows per table."""
    tables = to_canonical(read_files(Path(folder), prefix))
    schema.create_schema(engine)
    with engine.begin() as conn:
        for name, frame in tables.items():
            table = schema.metadata.tables[name]
            key = _KEYS[name][0]
            values = frame[key].drop_duplicates().tolist()
            for start in range(0, len(values), 5000):  # bound parameters, in chunks
                conn.execute(table.delete().where(table.c[key].in_(values[start:start + 5000])))
        for name, frame in tables.items():
            bulk_insert(conn, schema.metadata.tables[name], frame)
    rollups.refresh(engine)
    return {name: len(frame) for name, frame in tables.items()}


@cli_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access.sources.olist", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--url", default=None)
    parser.add_argument("--prefix", default="olist4k_")
    args = parser.parse_args(argv)
    try:
        counts = load(create_engine(args.url or configured_url()), args.folder, args.prefix)
    except OlistError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(", ".join(f"{name}: {n:,}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
