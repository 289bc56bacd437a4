"""What validation checks beyond a field's type: where each field is stored, ranges, vocabularies, keys, defaults."""

from __future__ import annotations

import sqlalchemy as sa

from data_access import schema

#: Canonical tables each kind of file fills (orders: order-level files fill orders, line-level files also
#: order_items).
TABLES: dict[str, tuple[str, ...]] = {
    "orders": ("orders", "order_items"),
    "order_items": ("order_items",),
    "products": ("products",),
    "inventory": ("inventory",),
    "marketing_spend": ("marketing_spend",),
    "reviews": ("reviews",),
    "tickets": ("tickets",),
    "listings": ("listings",),
    "daily_metrics": ("daily_metrics",),
    # A conversation export fills tickets: one per thread.
    "conversations": ("tickets",),
}
#: Fields of an orders file that belong to its lines.
LINE_FIELDS = ("line_no", "sku", "quantity", "unit_price", "discount")
#: Line fields that make an orders file line-level (one row per order line). A product name alone does not:
#: order reports often name the product of single-item orders.
LINE_LEVEL_MARKERS = ("line_no", "quantity", "unit_price")

#: Fields a file may leave out although the table needs them, because validation derives them:
#: status from the totals, line numbers from the row order, a product's name from its SKU, a review id
#: from the review's content, campaign '' (always-on spend), quantity 1 (one row per unit sold), a listing's
#: source from the file's name.
DERIVED: dict[str, tuple[str, ...]] = {
    "orders": ("status", "line_no", "quantity"),
    "order_items": ("line_no", "quantity"),
    "products": ("name",),
    "reviews": ("review_id",),
    "marketing_spend": ("campaign_id",),
    "listings": ("source",),
    "daily_metrics": ("channel", "days"),
    "conversations": ("ticket_id", "created_at", "status"),
}

#: Inclusive (low, high) bounds of numeric fields; None = unbounded on that side.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "rating": (1, 5), "csat": (1, 5), "nps": (0, 10), "quantity": (1, None), "line_no": (1, None),
    "on_hand": (0, None), "on_order": (0, None), "lead_time_days": (0, 3650),
    "sessions": (0, None), "product_views": (0, None), "add_to_carts": (0, None), "checkouts": (0, None),
    "impressions": (0, None), "clicks": (0, None), "conversions": (0, None),
    "sales_count": (0, None), "review_count": (0, None),
    "visitors": (0, None), "page_views": (0, None), "orders": (0, None), "buyers": (0, None),
    "conversion_rate": (0, 1),
}
#: Money columns are Numeric(14, 2): anything at or above this does not fit.
MONEY_LIMIT = 1e12
#: Money fields that cannot be negative.
NON_NEGATIVE_MONEY = ("paid_total", "refund_total", "unit_price", "unit_cost", "discount", "spend", "budget",
                      "price", "list_price", "aov")
#: Dates outside these years are typos or wrong columns, not shop data.
YEARS = (1970, 2100)

#: (kind, field) -> vocabulary name in data_access.ingest.vocab.
VOCABULARY: dict[tuple[str, str], str] = {
    ("orders", "channel"): "channel",
    ("orders", "status"): "order_status",
    ("marketing_spend", "channel"): "channel",
    ("tickets", "status"): "ticket_status",
    ("tickets", "priority"): "priority",
    ("daily_metrics", "channel"): "channel",
}

def needed(kind: str, level: str | None, required: tuple[str, ...]) -> tuple[str, ...]:
    """Fields a file must give (a column or a constant): the kind's required fields plus the columns its tables
    cannot store without (NOT NULL, no default), less the derived ones. level "line" adds the order lines."""
    tables = [t for t in TABLES[kind] if not (kind == "orders" and t == "order_items" and level != "line")]
    names = list(required)
    for table in tables:
        for column in schema.metadata.tables[table].columns:
            if not column.nullable and column.server_default is None and column.name not in names:
                names.append(column.name)
    derived = DERIVED.get(kind, ())
    order_level = kind == "orders" and level != "line"
    return tuple(n for n in names if n not in derived and not (order_level and n in LINE_FIELDS))


def column_of(kind: str, field_name: str) -> sa.Column | None:
    """The schema column a field is stored in (for its length), None when it is not stored."""
    for table in TABLES[kind]:
        columns = schema.metadata.tables[table].c
        if field_name in columns:
            return columns[field_name]
    return None


def max_length(kind: str, field_name: str) -> int | None:
    """The longest text the field's column holds, None for unbounded text or non-text columns."""
    column = column_of(kind, field_name)
    return getattr(column.type, "length", None) if column is not None else None


def key_of(table: str) -> list[str]:
    """The primary-key columns of a canonical table."""
    return [c.name for c in schema.metadata.tables[table].primary_key.columns]


#: The largest magnitude each integer column type holds.
_INTEGER_LIMITS = ((sa.SmallInteger, 32_767), (sa.BigInteger, 9_223_372_036_854_775_807),
                   (sa.Integer, 2_147_483_647))


def integer_limit(kind: str, field_name: str) -> int | None:
    """The largest magnitude the field's integer column holds (None when the field is not stored)."""
    column = column_of(kind, field_name)
    if column is None:
        return None
    for column_type, limit in _INTEGER_LIMITS:
        if isinstance(column.type, column_type):
            return limit
    return None
