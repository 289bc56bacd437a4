"""Shopee / Lazada Seller Centre order export (My Orders -> Export): one row per order line; order-level amounts
(Grand Total, refund) repeat on each line of the order; Order Status in the seller centre's English words."""

PROFILES = [{
    "id": "shopee_orders", "platform": "Shopee", "kind": "orders", "label": "a Shopee Seller Centre order export",
    "columns": {
        "order_id": "Order ID", "status": "Order Status", "ordered_at": "Order Creation Date",
        "paid_at": "Order Paid Time", "customer_id": "Username (Buyer)", "sku": "SKU Reference No.",
        "quantity": "Quantity", "unit_price": "Deal Price", "region": "Province",
    },
    "signature": ("Product Name", "Variation Name", "Grand Total", "Tracking Number*", "Buyer Paid Shipping Fee"),
    "semantics": {"paid": "gross", "unpaid_when_empty": "paid_at",
                  "statuses": {"Completed": "delivered", "Shipping": "shipped", "To ship": "paid",
                               "To Ship": "paid", "Cancelled": "cancelled", "Unpaid": "pending",
                               "Return/Refund": "returned"}},
    "defaults": {"channel": "marketplace", "store_id": "Shopee"},
}]
