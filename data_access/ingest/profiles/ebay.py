"""eBay Seller Hub orders report (Orders -> Download report, "Orders report" CSV): one row per line item; Total
Price is what the buyer paid for the line including shipping and tax, before any refund (refunds are cases
and returns apart, not in this report)."""

PROFILES = [{
    "id": "ebay_orders", "platform": "eBay", "kind": "orders", "label": "an eBay Seller Hub orders report",
    "columns": {
        "order_id": "Order Number", "customer_id": "Buyer Username", "sku": "Custom Label",
        "quantity": "Quantity", "unit_price": "Sold For", "ordered_at": "Sale Date", "paid_at": "Paid On Date",
        "shipped_at": "Shipped On Date", "region": "Ship To State",
    },
    "signature": ("Item Number", "Item Title", "Total Price", "Shipping And Handling", "Buyer Name"),
    # An order line without Paid On Date was never paid (awaiting payment or cancelled before payment).
    "semantics": {"paid": "gross", "unpaid_when_empty": "paid_at"},
    "defaults": {"channel": "marketplace", "store_id": "eBay"},
}]
