"""Aggregated daily (or weekly) reports: 生意参谋 (Taobao/Tmall Business Advisor, 店铺 -> 取数 / 经营概况 export) and
the marketing-mix series layout of Meta's Robyn (a weekly revenue column beside spends and impressions)."""

PROFILES = [{
    "id": "sycm_daily", "platform": "生意参谋", "kind": "daily_metrics",
    "label": "a 生意参谋 (Business Advisor) daily report",
    "columns": {
        "day": "统计日期", "visitors": "访客数", "page_views": "浏览量", "net_sales": "支付金额",
        "buyers": "支付买家数", "orders": "支付子订单数", "conversion_rate": "支付转化率", "aov": "客单价",
    },
    # 支付金额 is what buyers paid that day (refunds are reported apart, in 成功退款金额);
    # 支付转化率 = 支付买家数 / 访客数.
    "signature": ("成功退款金额", "加购人数"),
    "defaults": {"channel": "marketplace", "store_id": "Taobao"},
}, {
    "id": "robyn_weekly", "platform": "Robyn (marketing mix)", "kind": "daily_metrics",
    "label": "a marketing-mix weekly series (Robyn layout)",
    "columns": {"day": "DATE", "net_sales": "revenue"},
    "signature": ("tv_S", "ooh_S", "print_S", "facebook_I", "search_clicks_P", "search_S", "competitor_sales_B",
                  "facebook_S", "events", "newsletter"),
}]
