"""JD (京东) POP merchant order export (商家后台 -> 订单管理 -> 订单导出)."""

PROFILES = [{
    "id": "jd_orders", "platform": "JD", "kind": "orders", "label": "a JD order export (京东订单导出)",
    "columns": {
        "order_id": "订单号", "customer_id": "下单帐号", "ordered_at": "下单时间", "paid_at": "付款确认时间",
        "paid_total": "应付金额", "gross_total": "订单金额", "status": "订单状态", "region": "客户地址",
        "store_id": "店铺名称",
    },
    # 应付金额 is the amount due after discounts, before any refund; refunds are a separate after-sales report.
    "semantics": {"paid": "gross", "unpaid_when_empty": "paid_at",
                  "statuses": {"完成": "delivered", "已完成": "delivered", "(删除)锁定": "cancelled",
                               "等待出库": "paid", "等待确认收货": "shipped", "已取消": "cancelled",
                               "等待付款": "pending"}},
    "defaults": {"channel": "marketplace", "store_id": "JD"},
}]
