"""WooCommerce orders export (WooCommerce -> Orders -> Export CSV, the "Order Export" column names)."""

PROFILES = [{
    "id": "woocommerce_orders", "platform": "WooCommerce", "kind": "orders", "label": "a WooCommerce orders export",
    "columns": {
        "order_id": "Order Number", "status": "Order Status", "ordered_at": "Order Date", "paid_at": "Paid Date",
        "customer_id": "Customer User ID", "paid_total": "Order Total Amount", "refund_total": "Order Refund Amount",
        "region": "State Code (Shipping)",
    },
    "optional": {"shipping_cost": "Order Shipping Amount"},
    "semantics": {"paid": "gross",
                  "statuses": {"completed": "delivered", "processing": "paid", "on-hold": "pending",
                               "pending": "pending", "cancelled": "cancelled", "refunded": "returned",
                               "failed": "cancelled"}},
    "defaults": {"channel": "direct", "store_id": "WooCommerce"},
}]
