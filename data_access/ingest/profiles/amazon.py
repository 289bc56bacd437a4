"""Amazon Seller Central "All Orders" report (Reports -> Fulfillment / Order Reports, tab-separated): one row per
order item."""

PROFILES = [{
    "id": "amazon_orders", "platform": "Amazon Seller Central", "kind": "orders",
    "label": "an Amazon Seller Central All Orders report",
    "columns": {
        "order_id": "amazon-order-id", "ordered_at": "purchase-date", "status": "order-status",
        "channel": "sales-channel", "sku": "sku", "quantity": "quantity", "unit_price": "item-price",
        "discount": "item-promotion-discount", "region": "ship-state",
    },
    # item-price is the line's total (price x quantity) in the All Orders report; see semantics line_total.
    "semantics": {"paid": "gross", "line_total": "unit_price",
                  "statuses": {"Shipped": "shipped", "Pending": "pending", "Cancelled": "cancelled",
                               "Shipping": "paid", "Unshipped": "paid"}},
    "defaults": {"channel": "marketplace", "store_id": "Amazon"},
}]
