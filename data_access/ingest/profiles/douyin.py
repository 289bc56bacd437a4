"""Douyin shop (抖店) order export (抖店后台 -> 订单管理 -> 导出)."""

PROFILES = [{
    "id": "douyin_orders", "platform": "Douyin shop", "kind": "orders",
    "label": "a Douyin shop order export (抖店订单)",
    "columns": {
        "order_id": "主订单编号", "status": "订单状态", "paid_total": "订单应付金额", "ordered_at": "订单提交时间",
        "paid_at": "支付完成时间", "shipped_at": "发货时间", "region": "省", "store_id": "店铺名称",
        "refund_total": "售后退款金额",
    },
    "semantics": {"paid": "gross", "unpaid_when_empty": "paid_at",
                  "statuses": {"已完成": "delivered", "已发货": "shipped", "待发货": "paid", "已关闭": "cancelled",
                               "待支付": "pending"}},
    "defaults": {"channel": "live_stream", "store_id": "Douyin"},
}]
