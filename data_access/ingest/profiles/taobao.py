"""Taobao / Tmall seller centre order report (订单报表, 卖家中心 -> 已卖出的宝贝 -> 批量导出)."""

PROFILES = [{
    "id": "taobao_orders", "platform": "Taobao/Tmall", "kind": "orders",
    "label": "a Taobao/Tmall order report (订单报表)",
    "columns": {
        "order_id": "订单编号", "customer_id": "买家会员名", "paid_total": "买家实际支付金额", "gross_total": "总金额",
        "status": "订单状态", "region": "收货地址", "ordered_at": "订单创建时间", "paid_at": "订单付款时间",
        "refund_total": "退款金额", "store_id": "店铺Id",
    },
    # The courier and the postage the buyer paid, in the reports that carry them.
    "optional": {"carrier": "物流公司", "shipping_cost": "买家应付邮费"},
    # 买家实际支付金额 is what the buyer paid after refunds (总金额 = paid + refund; fully refunded orders show 0);
    # an order without 订单付款时间 was never paid.
    "semantics": {"paid": "net", "unpaid_when_empty": "paid_at",
                  "statuses": {"交易成功": "delivered", "交易关闭": "cancelled", "等待买家付款": "pending",
                               "买家已付款，等待卖家发货": "paid", "卖家已发货，等待买家确认": "shipped"}},
    "defaults": {"channel": "marketplace", "store_id": "Taobao"},
}]
