"""Amazon Seller Central "All Orders" report (Reports -> Fulfillment / Order Reports, tab-separated): one row per
order item."""

PROFILES = [{
    "id": "amazon_orders", "platform": "Amazon Seller Central", "kind": "orders",
    "label": "an Amazon Seller Central All Orders report",
    "columns": {
        "order_id": "amazon-order-id", "ordered_at": "purchase-date", "status": "order-status",
        "sku": "sku", "quantity": "quantity", "unit_price": "item-price",
        "discount": "item-promotion-discount", "region": "ship-state",
    },
    # sales-channel is the Amazon site (Amazon.com, Amazon.de, Non-Amazon) and fulfillment-channel who ships
    # (Amazon, Merchant): neither is a marketing channel, so every row takes the marketplace channel (a default).
    "signature": ("sales-channel", "fulfillment-channel"),
    # item-price is the line's total (price x quantity) in the All Orders report; see semantics line_total.
    # The promotion discount may be shown negative: its amount is the discount. A cancelled item is listed
    # with quantity 0 and no price (left out), and Pending means the payment is not authorised yet (no sale,
    # no order, as Amazon's own order counts).
    "semantics": {"paid": "gross", "line_total": "unit_price", "discount": "magnitude",
                  "zero_quantity": "cancelled_item", "pending_unpaid": True,
                  "statuses": {"Shipped": "shipped", "Pending": "pending", "Cancelled": "cancelled",
                               "Shipping": "paid", "Unshipped": "paid"}},
    "defaults": {"channel": "marketplace", "store_id": "Amazon"},
}]
