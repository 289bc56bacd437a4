"""Strings of alerts, "why did it change" and the digest: key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    "alerts.title.stockout_soon": (
        "{sku} ({name}) in {store} runs out in {days} days, {gap} days before the next delivery could arrive "
        "(about {lost} of sales lost)",
        "{store} 的 {sku}（{name}）预计 {days} 天后缺货，比下一批货最早到货早 {gap} 天（约损失销售额 {lost}）",
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
    "alerts.kind.market": ("Market", "市场"),
    "alerts.title.competitor_undercut": (
        "{store}: {shop} now sells \"{title}\" at {price}, {gap} below our A-class {sku} at {own_price}",
        "{store}：{shop} 的“{title}”降至 {price}，比本店 A 类商品 {sku}（{own_price}）低 {gap}",
    ),
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
    "alerts.digest.chart.change": ("Why net sales changed yesterday", "昨日销售额为何变化"),
    "alerts.digest.chart.trend": ("Net sales, last {days} days", "近 {days} 天销售额"),
    "alerts.digest.chart.current": ("Last {days} days", "近 {days} 天"),
    "alerts.digest.chart.week_before": ("A week earlier", "前一周同期"),
    "alerts.digest.none": ("No alerts for your stores today.", "您的门店今天没有预警。"),
    "alerts.digest.intro": ("Alerts for {day}, your stores only:", "{day} 的预警（仅限您负责的门店）："),
    "alerts.badge": ("New alerts for your stores: {n}", "您的门店有 {n} 条新预警"),
    "alerts.badge_none": ("No new alerts", "没有新预警"),
    "alerts.badge_unchecked": ("Alerts for {date} not checked yet (the morning alerts job runs at 06:00, or from "
                               "the Jobs page)",
                               "{date} 的预警尚未检查（早间预警任务每天 06:00 运行，也可在运行任务页手动运行）"),
    "alerts.open_centre": ("Open the alert centre", "打开预警中心"),
    "alerts.why_title": ("Why did it change? Yesterday vs the same weekday last week",
                         "为什么变化？昨日与上周同日对比"),
    "alerts.why_caption": ("Net sales = visitors × conversion rate × AOV; each bar is a factor's share of the "
                           "change (log-mean decomposition, adds up exactly).",
                           "销售额 = 访客数 × 转化率 × 客单价；每根柱子是该因素对变化的贡献"
                           "（对数平均分解，合计精确等于变化）。"),
    "alerts.setting.sales.history_weeks": (
        "same weekdays of history the day is compared with",
        "比较所用的同星期几历史周数",
    ),
    "alerts.setting.sales.min_orders": (
        "a store needs this many orders on an average such weekday to be checked",
        "门店在这些同星期几平均至少有多少订单才检查",
    ),
    "alerts.setting.sales.z": (
        "robust z (median / 1.4826 MAD, never below chance's spread at the day's size) beyond which a "
        "figure is outside the expected range",
        "稳健 z 值（中位数 / 1.4826 MAD，且不低于当日规模下的随机波动）超过此值即超出预期范围",
    ),
    "alerts.setting.sales.min_change": (
        "and at least this relative change from the median",
        "且相对中位数的变化至少为此比例",
    ),
    "alerts.setting.stock.min_daily_units": (
        "store x SKU selling less per day are not checked for stock-outs",
        "日均销量低于此值的门店 × SKU 不检查缺货",
    ),
    "alerts.setting.stock.min_lost_sales": (
        "sales expected to be lost before the next delivery (days without stock x daily demand x unit price) "
        "needed for a stock-out alert",
        "缺货预警所需的下批到货前预计损失销售额（缺货天数 × 日需求 × 单价）",
    ),
    "alerts.setting.service.sla_min_tickets": (
        "open tickets past SLA in a store before it alerts",
        "门店超时未处理的工单达到此数才预警",
    ),
    "alerts.setting.service.backlog_days": (
        "backlog growing this many days in a row",
        "工单积压连续增长的天数",
    ),
    "alerts.setting.service.backlog_min_growth": (
        "and by at least this many tickets over them",
        "且在这些天内至少增加的工单数",
    ),
    "alerts.setting.service.low_share_jump": (
        "rise of the 1-2 star share (last 7 days vs the 28 before)",
        "1-2 星差评占比的上升幅度（近 7 天对比之前 28 天）",
    ),
    "alerts.setting.service.low_min_reviews": (
        "reviews needed in the last 7 days for the share check",
        "差评占比检查所需的近 7 天评价数",
    ),
    "alerts.setting.service.rating_drop": (
        "fall of a product's mean rating (last 14 days vs the 56 before)",
        "商品平均评分的下降幅度（近 14 天对比之前 56 天）",
    ),
    "alerts.setting.service.rating_min_reviews": (
        "reviews needed in each window for the product check",
        "商品评分检查每个时段所需的评价数",
    ),
    "alerts.setting.marketing.roas_target": (
        "ROAS over the last 7 days below this alerts",
        "近 7 天 ROAS 低于此值即预警",
    ),
    "alerts.setting.marketing.min_spend": (
        "spend over the last 7 days a channel needs to be checked",
        "渠道近 7 天花费达到此值才检查",
    ),
    "alerts.setting.marketing.no_order_spend": (
        "a campaign spending this much in a day with no order alerts",
        "活动单日花费达到此值却无订单即预警",
    ),
    "alerts.setting.cooldown_days": (
        "the same rule for the same store (and SKU) is not raised again within this many days",
        "同一规则对同一门店（及 SKU）在此天数内不重复预警",
    ),
    "alerts.why_tab": ("Why did it change?", "为何变化"),
    "alerts.why_period": ("Net sales of {start} to {end} against {compare_start} to {compare_end}, the same number "
                          "of days just before.",
                          "{start} 至 {end} 的销售额，与紧邻其前、天数相同的 {compare_start} 至 {compare_end} 对比。"),
    "alerts.waterfall.previous": ("Previous period", "上一周期"),
    "alerts.waterfall.current": ("Selected period", "所选周期"),
    "alerts.top_contributors": ("Top contributors", "主要贡献来源"),
    "alerts.col.dimension": ("By", "维度"),
    "alerts.col.key": ("Which", "对象"),
    "alerts.col.contribution": ("Contribution", "贡献"),
    "alerts.col.activity": ("Volume (visitors, orders or units)", "规模（访客、订单或件数）"),
    "alerts.col.mix": ("Mix", "结构"),
    "alerts.col.rate": ("Rate", "效率"),
    "alerts.dim.store": ("Store", "门店"),
    "alerts.dim.channel": ("Channel", "渠道"),
    "alerts.dim.category": ("Category", "品类"),
    "alerts.dim.product": ("Product", "商品"),
    "alerts.waterfall.before": ("Same weekday last week", "上周同日"),
    "alerts.waterfall.after": ("Yesterday", "昨日"),
    "alerts.list_title": ("Alerts", "预警列表"),
    "alerts.show_states": ("Show", "显示"),
    "alerts.state.new": ("New", "新"),
    "alerts.state.acknowledged": ("Acknowledged", "已确认"),
    "alerts.state.snoozed": ("Snoozed", "已暂缓"),
    "alerts.state.resolved": ("Resolved", "已解决"),
    "alerts.action.acknowledge": ("Acknowledge", "确认"),
    "alerts.action.snooze": ("Snooze 7 days", "暂缓 7 天"),
    "alerts.action.resolve": ("Resolve", "解决"),
    "alerts.show_page": ("Show in {page}", "在{page}中查看"),
    "alerts.none": ("No alerts here.", "这里没有预警。"),
    "alerts.meta": ("{day} · {kind} · severity {severity} · {state}", "{day} · {kind} · 严重程度 {severity} · {state}"),
    "alerts.run_now": ("Evaluate the rules for yesterday now", "立即按昨日数据检查预警规则"),
    "alerts.run_done": ("{n} new alerts stored.", "新增 {n} 条预警。"),
    "alerts.digest_title": ("My daily digest", "我的每日摘要"),
    "alerts.digest.enabled": ("Send me a daily digest", "每天给我发送摘要"),
    "alerts.digest.send_at": ("Send at (HH:MM)", "发送时间（时:分）"),
    "alerts.digest.lang": ("Language of the digest", "摘要语言"),
    "alerts.digest.email": ("E-mail address", "电子邮箱"),
    "alerts.digest.webhook_url": ("{kind} webhook URL", "{kind} 机器人 Webhook 地址"),
    "alerts.digest.webhook_secret": ("{kind} signing secret (optional)", "{kind} 加签密钥（可选）"),
    "alerts.digest.save": ("Save digest settings", "保存摘要设置"),
    "alerts.digest.saved": ("Digest settings saved.", "摘要设置已保存。"),
    "alerts.settings_title": ("Alert thresholds (admin)", "预警阈值（管理员）"),
    "alerts.settings.save": ("Save thresholds", "保存阈值"),
    "alerts.settings.saved": ("Thresholds saved.", "阈值已保存。"),
    "alerts.webhook.wecom": ("WeCom", "企业微信"),
    "alerts.webhook.dingtalk": ("DingTalk", "钉钉"),
    "alerts.webhook.feishu": ("Feishu/Lark", "飞书"),
    "alerts.webhook.slack": ("Slack", "Slack 频道"),
    # Alert thresholds (alerts.settings.DEFAULTS): what each means, shown on the settings form.
    "alerts.setting.stock.pipeline_share": (
        "Alert when on hand + on order lasts less than this share of the lead time",
        "现有库存 + 在途库存可售时间低于交货周期的此比例时预警"),
    "alerts.setting.market.undercut": (
        "A competing item this much cheaper (share of our price) than an A-class item of ours alerts",
        "竞品价格比我方 A 类商品低出此比例（占我方价格）即预警"),
    "alerts.setting.market.min_similarity": (
        "Title similarity (0-1) an item needs to count as competing",
        "标题相似度（0-1）达到此值才算竞品"),
    "alerts.setting.market.max_age_days": (
        "Listing snapshots older than this many days raise no market alert",
        "超过此天数的商品快照不再触发市场预警"),
    "alerts.setting.logistics.ship_after_hours": (
        "A paid order not shipped after this many hours is stuck",
        "付款后超过此小时数仍未发货的订单视为卡单"),
    "alerts.setting.logistics.deliver_after_days": (
        "A parcel not delivered this many days after shipping is stuck",
        "发货后超过此天数仍未签收的包裹视为卡单"),
    "alerts.setting.logistics.stuck_min_orders": (
        "Stuck orders of one stage in a store before it alerts",
        "同一门店同一环节的卡单数达到此值才预警"),
    "alerts.setting.logistics.stuck_min_share": (
        "And at least this share of the store's orders of the look-back window",
        "且至少占该门店回看期内订单的此比例"),
    "alerts.setting.logistics.lookback_days": (
        "Orders placed within this many days are checked for being stuck",
        "检查此天数内下单的订单是否卡单"),
    "alerts.setting_label": ("{meaning} (default {default})", "{meaning}（默认 {default}）"),
}
