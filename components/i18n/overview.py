"""Strings of the daily overview page (今日概览): key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    # Daily overview
    "overview.yesterday_vs_last_week": ("Yesterday vs same weekday last week", "昨日 vs 上周同日"),
    "overview.vs_7day_avg": ("vs 7-day average", "较近 7 日均值"),
    "overview.top_movers_up": ("Top movers up", "增长最快"),
    "overview.top_movers_down": ("Top movers down", "下降最多"),
    "overview.stockout_risk": ("Stock-out risk", "断货风险"),
    "overview.vs_same_weekday": ("vs same weekday last week", "较上周同日"),
    "overview.vs_previous_day": ("vs the day before", "较前一日"),
    "overview.vs_same_day_last_year": ("vs same date last year", "较去年同日"),
    "overview.vs_day": ("vs {day}", "较 {day}"),
    "overview.yesterday_vs": ("Yesterday {vs}", "昨日{vs}"),
    "overview.compare.last_week": ("Same weekday last week", "上周同日"),
    "overview.compare.previous": ("The day before", "前一日"),
    "overview.compare.last_year": ("Same date last year", "去年同日"),
    "overview.compare.custom": ("A day you pick", "自选日期"),
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
        "The newest data is from {date}; later days have no data yet: import the latest exports (CSV upload) or "
        "check the shop's data feed.",
        "最新数据日期为 {date}，之后的日期暂无数据：请导入最新的导出文件（数据上传）或检查店铺数据来源。",
    ),
    "overview.trend_title": ("Net sales, last 30 days vs the 30 days before", "近 30 天净销售额（对比前 30 天）"),
    "overview.this_period": ("This period", "本期"),
    "overview.previous_period": ("Previous period", "上一周期"),
    "sla.first_response": ("First response overdue", "首次响应超时"),
    "sla.resolution": ("Resolution overdue", "解决超时"),
}
