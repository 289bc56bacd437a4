"""Pinduoduo (拼多多) merchant backend order export (商家后台 -> 订单查询 -> 导出)."""

PROFILES = [{
    "id": "pinduoduo_orders", "platform": "Pinduoduo", "kind": "orders",
    "label": "a Pinduoduo order export (拼多多订单)",
    "columns": {
        "order_id": "订单号", "status": "订单状态", "gross_total": "商品总价(元)", "paid_total": "用户实付金额(元)",
        "ordered_at": "订单成交时间", "paid_at": "支付时间", "shipped_at": "发货时间",
        "delivered_at": "确认收货时间", "region": "省",
    },
    # One row per order with its goods total and what the buyer paid, but no unit price: an order-level report
    # (mapping the item count would make it line-level and ask for a unit price it does not have).
    "signature": ("商品id", "商品数量(件)"),
    "optional": {"carrier": "快递公司"},
    # 用户实付金额 is what the buyer paid; after-sales refunds are a separate report, so paid is gross here.
    "semantics": {"paid": "gross", "unpaid_when_empty": "paid_at",
                  "statuses": {"已收货": "delivered", "已发货，待收货": "shipped", "待发货": "paid",
                               "已取消": "cancelled", "未发货，退款成功": "returned",
                               "已收货，退款成功": "returned"}},
    "defaults": {"channel": "marketplace", "store_id": "Pinduoduo"},
}]
