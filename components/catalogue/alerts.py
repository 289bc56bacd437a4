"""Strings of alerts, "why did it change" and the digest: key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    "alerts.title.stockout_soon": (
        "{sku} ({name}) in {store} runs out in {days} days, before a new delivery ({lead} days) could arrive",
        "{store} 的 {sku}（{name}）预计 {days} 天后缺货，早于补货到货所需的 {lead} 天",
    ),
    "alerts.title.metric_drop": (
        "{store}: {metric} yesterday {value}, expected about {expected} ({change} vs the same weekdays)",
        "{store}：昨日{metric} {value}，按同星期几历史应约为 {expected}（{change}）",
    ),
    "alerts.title.sla_breach": (
        "{store}: {tickets} open tickets past their SLA", "{store}：{tickets} 张工单已超时未处理",
    ),
    "alerts.title.ticket_backlog": (
        "{store}: ticket backlog grew {days} days in a row, {before} -> {after}",
        "{store}：工单积压连续 {days} 天增长，{before} -> {after}",
    ),
    "alerts.title.low_rating_jump": (
        "{store}: share of 1-2 star reviews rose to {share} (was {before})",
        "{store}：1-2 星差评占比升至 {share}（此前 {before}）",
    ),
    "alerts.title.product_rating_fall": (
        "{store}: rating of {sku} fell to {rating} (was {before})",
        "{store}：{sku} 的评分降至 {rating}（此前 {before}）",
    ),
    "alerts.title.roas_below_target": (
        "{channel}: ROAS {roas} over 7 days, below the target {target}",
        "{channel}：近 7 天 ROAS 为 {roas}，低于目标 {target}",
    ),
    "alerts.title.spend_no_orders": (
        "{channel} campaign {campaign} spent {spend} yesterday with no orders",
        "{channel} 活动 {campaign} 昨日花费 {spend}，没有订单",
    ),
    "alerts.kind.stock": ("Stock", "库存"),
    "alerts.kind.sales": ("Sales", "销售"),
    "alerts.kind.service": ("Service", "服务"),
    "alerts.kind.marketing": ("Marketing", "营销"),
    "alerts.severity.high": ("High", "高"),
    "alerts.severity.medium": ("Medium", "中"),
    "alerts.severity.low": ("Low", "低"),
    "alerts.factor.visitors": ("visitors", "访客数"),
    "alerts.factor.conversion": ("conversion", "转化率"),
    "alerts.factor.orders": ("orders", "订单数"),
    "alerts.factor.aov": ("AOV", "客单价"),
    "alerts.explain.rose": ("Sales rose {amount} ({pct})", "销售额增长 {amount}（{pct}）"),
    "alerts.explain.fell": ("Sales fell {amount} ({pct})", "销售额下降 {amount}（{pct}）"),
    "alerts.explain.flat": ("Sales did not change", "销售额没有变化"),
    "alerts.explain.cell": (
        "{factor} in store {store} on {channel} went from {before} to {after}",
        "门店 {store} 在{channel}渠道的{factor}从 {before} 变为 {after}",
    ),
    "alerts.explain.no_traffic": (
        "No traffic data for part or all of these sales: they are split into orders x AOV.",
        "部分或全部销售缺少流量数据：按订单数 × 客单价分解。",
    ),
    "alerts.digest.subject": ("Morning alerts for {day}: {n}", "{day} 晨间预警：{n} 条"),
    "alerts.digest.none": ("No alerts for your stores today.", "您的门店今天没有预警。"),
    "alerts.digest.intro": ("Alerts for {day}, your stores only:", "{day} 的预警（仅限您负责的门店）："),
}
