"""Strings of the daily overview page (今日概览): key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    # Daily overview
    "overview.yesterday_vs_last_week": ("Yesterday vs same weekday last week", "昨日 vs 上周同日"),
    "overview.vs_7day_avg": ("vs 7-day average", "较近 7 日均值"),
    "overview.top_movers_up": ("Top movers up", "增长最快"),
    "overview.top_movers_down": ("Top movers down", "下降最多"),
    "overview.stockout_risk": ("Stock-out risk", "断货风险"),
    "overview.vs_same_weekday": ("vs same weekday last week", "较上周同日"),
    "overview.top_movers": ("Top movers", "变化最大的商品"),
    "overview.movers_caption": (
        "Net sales change by product, last 7 days vs the 7 days before",
        "各商品近 7 天净销售额较前 7 天的变化",
    ),
    "overview.stockout_risk_caption": (
        "Products whose days of cover are below the supplier lead time",
        "可售天数低于供应商交货周期的商品",
    ),
    "overview.no_stockout_risk": ("No product is at risk of running out.", "暂无断货风险商品。"),
    "overview.tickets_past_sla": ("Tickets past SLA", "超时工单"),
    "overview.no_tickets_past_sla": ("No open ticket is past its SLA.", "没有超出 SLA 的未结工单。"),
    "overview.lowest_reviews": ("Lowest recent reviews", "近期最低评价"),
    "overview.no_low_reviews": ("No low ratings recently.", "近期没有低分评价。"),
    "overview.as_of": ("Data as of {date}", "数据截至 {date}"),
    "overview.latest_data_note": (
        "The newest data is from {date}; later days have no data yet.",
        "最新数据日期为 {date}，之后的日期暂无数据。",
    ),
    "overview.trend_title": ("Net sales, last 30 days vs the 30 days before", "近 30 天净销售额（对比前 30 天）"),
    "overview.this_period": ("This period", "本期"),
    "overview.previous_period": ("Previous period", "上一周期"),
    "sla.first_response": ("First response overdue", "首次响应超时"),
    "sla.resolution": ("Resolution overdue", "解决超时"),
}
