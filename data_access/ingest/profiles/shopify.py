"""Shopify admin orders export (Orders -> Export -> CSV): one row per line item; order-level columns (Financial
Status, Total, Paid at) are filled on an order's first line only."""

PROFILES = [{
    "id": "shopify_orders", "platform": "Shopify", "kind": "orders", "label": "a Shopify orders export",
    "columns": {
        "order_id": "Name", "customer_id": "Email", "status": "Financial Status", "paid_at": "Paid at",
        "paid_total": "Total", "discount": "Lineitem discount", "ordered_at": "Created at",
        "quantity": "Lineitem quantity", "unit_price": "Lineitem price", "sku": "Lineitem sku",
        "region": "Shipping Province", "refund_total": "Refunded Amount",
    },
    # The shipping charged on the order (first line only, as the order-level columns).
    "optional": {"shipping_cost": "Shipping"},
    # Total is the order's amount before refunds (Refunded Amount is separate); financial statuses per
    # Shopify's OrderDisplayFinancialStatus.
    "semantics": {"paid": "gross",
                  "statuses": {"paid": "paid", "pending": "pending", "authorized": "pending",
                               "partially_paid": "paid", "partially_refunded": "paid", "refunded": "returned",
                               "voided": "cancelled", "expired": "cancelled"}},
    "defaults": {"channel": "direct", "store_id": "Shopify"},
}]
