"""Strings of the customer satisfaction page (客户满意度): key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    "satisfaction.ratings": ("Rating distribution", "评分分布"),
    "satisfaction.tickets_by_category": ("Tickets by category", "按类别统计工单"),
    "satisfaction.median": ("Median", "中位数"),
    "satisfaction.p90": ("P90", "P90 分位数"),
    "satisfaction.comments": ("Recent comments", "最新评论"),
    "satisfaction.rating": ("Rating", "评分"),
}
