"""Strings of the customer satisfaction page (客户满意度): key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    "satisfaction.ratings": ("Rating distribution", "评分分布"),
    # KPI sections
    "satisfaction.kpis_reviews": ("Reviews", "商品评价"),
    "satisfaction.kpis_tickets": ("Service tickets", "客服工单"),
    "satisfaction.kpis_times": ("Response and resolution times", "响应与解决时长"),
    "satisfaction.kpi_note": (
        "Tickets opened in the period: times over those answered or resolved so far; SLA breaches include "
        "tickets still waiting past their target (as of {time}); a ticket resolved without a recorded reply counts as "
        "answered when resolved. Backlog at the end of the period. CSAT, ratings and NPS from product reviews; "
        "service CSAT from the 1–5 survey of tickets resolved in the period.",
        "本期新建工单：时长按目前已响应或已解决的工单计算；SLA 超时包含仍在等待且已超时的工单（截至 {time}）。"
        "未记录回复即解决的工单按解决时间视为已响应。积压为期末未解决工单数。CSAT、评分与 NPS 取自商品评价；"
        "服务满意度取自本期已解决工单的 1–5 分满意度调查。",
    ),
    "satisfaction.waiting_note": (
        "{unanswered} tickets opened in the period have no response yet; {backlog} tickets are unresolved "
        "at the end of the period.",
        "本期新建工单中有 {unanswered} 个尚未响应；期末共有 {backlog} 个工单未解决。",
    ),
    "satisfaction.filter_note": (
        "A channel or category pick keeps only reviews and tickets linked to an order of that channel or "
        "a product of that category.",
        "选择渠道或品类后，仅统计关联到该渠道订单或该品类商品的评价与工单。",
    ),
    "satisfaction.no_reviews": ("No reviews in this period.", "本期没有评价。"),
    "satisfaction.no_tickets": ("No service tickets in this period.", "本期没有客服工单。"),
    "satisfaction.data_span": (
        "Reviews of your stores run from {start} to {end}; pick dates in that range.",
        "您店铺的评价数据范围为 {start} 至 {end}，请在此范围内选择日期。",
    ),
    # KPI names and formulas (csat, nps, backlog and sla_breach_rate are in the shared catalogue)
    "kpi.avg_rating": ("Average rating", "平均评分"),
    "kpi.avg_rating.formula": (
        "Average rating = sum of ratings / reviews (1–5 stars, reviews created in the period)",
        "平均评分 = 评分之和 / 评价数（1–5 星，本期创建的评价）",
    ),
    "kpi.review_count": ("Reviews", "评价数"),
    "kpi.review_count.formula": (
        "Reviews = reviews created in the period, with or without an order",
        "评价数 = 本期创建的评价数（含未关联订单的评价）",
    ),
    "kpi.low_rating_share": ("1–2 star share", "差评率（1–2 星）"),
    "kpi.low_rating_share.formula": (
        "1–2 star share = reviews rated 1 or 2 / all reviews",
        "差评率 = 1–2 星评价数 / 全部评价数",
    ),
    "kpi.ticket_csat": ("Service CSAT", "服务满意度"),
    "kpi.ticket_csat.formula": (
        "Service CSAT = survey answers of 4–5 / all survey answers, tickets resolved in the period",
        "服务满意度 = 4–5 分调查答复数 / 全部调查答复数（本期已解决的工单）",
    ),
    "kpi.tickets_opened": ("Tickets opened", "新建工单"),
    "kpi.tickets_opened.formula": ("Tickets opened = tickets created in the period", "新建工单 = 本期创建的工单数"),
    "kpi.tickets_resolved": ("Tickets resolved", "已解决工单"),
    "kpi.tickets_resolved.formula": (
        "Tickets resolved = tickets resolved in the period, whenever they were opened",
        "已解决工单 = 本期内解决的工单数（不论何时创建）",
    ),
    "kpi.unanswered_tickets": ("Unanswered tickets", "未响应工单"),
    "kpi.unanswered_tickets.formula": (
        "Unanswered tickets = tickets opened in the period without a first response yet",
        "未响应工单 = 本期新建且尚无首次响应的工单数",
    ),
    "kpi.first_response_median": ("First response, median", "首次响应（中位数）"),
    "kpi.first_response_median.formula": (
        "First response time = first response at − created at; median over the period's tickets answered so far "
        "(calendar hours)",
        "首次响应时长 = 首次响应时间 − 创建时间；取本期已响应工单的中位数（自然小时）",
    ),
    "kpi.first_response_p90": ("First response, P90", "首次响应（P90）"),
    "kpi.first_response_p90.formula": (
        "First response time = first response at − created at; 90th percentile over the period's tickets "
        "answered so far (calendar hours)",
        "首次响应时长 = 首次响应时间 − 创建时间；取本期已响应工单的第 90 百分位（自然小时）",
    ),
    "kpi.resolution_median": ("Resolution, median", "解决时长（中位数）"),
    "kpi.resolution_median.formula": (
        "Resolution time = resolved at − created at; median over the period's tickets resolved so far "
        "(calendar hours)",
        "解决时长 = 解决时间 − 创建时间；取本期已解决工单的中位数（自然小时）",
    ),
    "kpi.resolution_p90": ("Resolution, P90", "解决时长（P90）"),
    "kpi.resolution_p90.formula": (
        "Resolution time = resolved at − created at; 90th percentile over the period's tickets resolved so far "
        "(calendar hours)",
        "解决时长 = 解决时间 − 创建时间；取本期已解决工单的第 90 百分位（自然小时）",
    ),
    # SLA targets
    "satisfaction.sla_settings": ("SLA targets", "SLA 时限设置"),
    "satisfaction.sla_help": (
        "Hours per priority (as the tickets spell it); leave a cell empty for no target. The row “*” covers "
        "every other priority and tickets without one. Changes apply to this session.",
        "按优先级（与工单中的写法一致）设置小时数；留空表示不设时限。“*” 行适用于其余优先级及未标优先级的工单。"
        "修改仅在本次会话中生效。",
    ),
    "satisfaction.sla_invalid": ("These targets cannot be used: {reason}", "时限设置无效：{reason}"),
    "satisfaction.sla_reset": ("Reset to defaults", "恢复默认"),
    "satisfaction.sla_tab": ("SLA performance", "SLA 达成情况"),
    "satisfaction.sla_by_priority": ("SLA by priority", "按优先级的 SLA 达成"),
    "satisfaction.open_past_sla": ("Open tickets past their target", "已超时的未结工单"),
    "satisfaction.none_past_sla": ("No open ticket is past its target.", "没有超时的未结工单。"),
    "priority.urgent": ("Urgent", "紧急"),
    "priority.high": ("High", "高"),
    "priority.normal": ("Normal", "普通"),
    "priority.low": ("Low", "低"),
    # Trends
    "satisfaction.trends": ("Trends", "趋势"),
    "satisfaction.rating_nps_trend": ("Average rating and NPS", "平均评分与 NPS"),
    "satisfaction.ticket_flow": ("Tickets created vs resolved, and the backlog", "新建与解决工单，及积压"),
    "satisfaction.response_by_channel": ("First response time by channel (median)", "各渠道首次响应时长（中位数）"),
    "satisfaction.created": ("Created", "新建"),
    "satisfaction.resolved": ("Resolved", "解决"),
    "satisfaction.hours": ("Hours", "小时"),
    "satisfaction.tickets": ("Tickets", "工单数"),
    # Drivers
    "satisfaction.drivers": ("What drives satisfaction", "满意度驱动因素"),
    "satisfaction.by_delay": ("Rating by delivery delay", "按配送延误的评分"),
    "satisfaction.delay_help": (
        "Days late = delivery date − promised date (calendar days): on time ≤ 0, then 1–2, 3–7 and more than 7 "
        "days. Not delivered: the order has no delivery time. Reviews without an order or a promised date "
        "are shown apart.",
        "延误天数 = 送达日期 − 承诺送达日期（自然日）：≤ 0 为准时，其余分为 1–2 天、3–7 天和 7 天以上。"
        "未送达：订单没有送达时间。未关联订单或没有承诺日期的评价单独列出。",
    ),
    "satisfaction.delay_finding": (
        "On time: {on_time} ★ on average (n = {on_time_n}) · {bucket}: {late} ★ (n = {late_n})",
        "准时送达：平均 {on_time} 星（n = {on_time_n}）· {bucket}：{late} 星（n = {late_n}）",
    ),
    "delay.on_time": ("On time", "准时"),
    "delay.late_1_2": ("1–2 days late", "晚到 1–2 天"),
    "delay.late_3_7": ("3–7 days late", "晚到 3–7 天"),
    "delay.late_over_7": ("More than 7 days late", "晚到 7 天以上"),
    "delay.not_delivered": ("Not delivered", "未送达"),
    "delay.no_promise": ("No promised date", "无承诺日期"),
    "delay.no_order": ("No order linked", "未关联订单"),
    "satisfaction.no_order": ("No order", "无订单"),
    "satisfaction.no_product": ("No product", "无商品"),
    "satisfaction.unknown": ("Unknown", "未知"),
    "satisfaction.complaints": ("Ticket categories", "工单类别"),
    "satisfaction.complaints_help": (
        "Tickets opened per category in the period, the change vs the previous period, and the trend.",
        "本期各类别新建工单数、较上一周期的变化及趋势。",
    ),
    "satisfaction.worst_products": ("Lowest-rated products", "评分最低的商品"),
    "satisfaction.min_reviews": ("Minimum reviews per product", "每个商品最少评价数"),
    "satisfaction.bayes_help": (
        "Ranked by a Bayesian average: (C × m + sum of ratings) / (C + n), with C = {c} imaginary reviews at "
        "m = {m} ★ (the mean rating of the period's product reviews) and n the product's reviews, so a "
        "product with one review stays close to m.",
        "按贝叶斯平均排序：(C × m + 评分之和) / (C + n)，其中 C = {c} 条虚拟评价，m = {m} 星（本期商品评价的平均分），"
        "n 为该商品的评价数，因此只有一条评价的商品会接近 m。",
    ),
    "satisfaction.no_products": ("No product has that many reviews in this period.", "本期没有商品达到该评价数。"),
    "ticket_category.delivery": ("Delivery", "物流配送"),
    "ticket_category.return": ("Returns", "退换货"),
    "ticket_category.quality": ("Quality", "质量问题"),
    "ticket_category.payment": ("Payment", "支付问题"),
    "ticket_category.inquiry": ("Inquiry", "咨询"),
    "ticket_channel.phone": ("Phone", "电话"),
    "ticket_channel.chat": ("Live chat", "在线客服"),
    "ticket_channel.email": ("Email", "邮件"),
    "ticket_channel.wechat": ("WeChat", "微信"),
    # Review reader and keywords
    "satisfaction.reader": ("Review reader", "评价浏览"),
    "satisfaction.search": ("Search comments", "搜索评论"),
    "satisfaction.search_placeholder": (
        "Words in any language, e.g. 物流, late, atraso",
        "任意语言的关键词，如 物流、late、atraso",
    ),
    "satisfaction.rating_range": ("Ratings", "评分范围"),
    "satisfaction.language": ("Comment language", "评论语言"),
    "satisfaction.rows": ("Rows", "显示条数"),
    "satisfaction.showing": (
        "The newest {shown} of {total} matching reviews.",
        "共 {total} 条匹配评价，显示最新 {shown} 条。",
    ),
    "satisfaction.no_match": ("No review matches these filters.", "没有符合条件的评价。"),
    "language.all": ("All languages", "全部语言"),
    "language.zh": ("Chinese", "中文"),
    "language.en": ("English", "英文"),
    "language.pt": ("Portuguese", "葡萄牙文"),
    "satisfaction.keywords": ("What customers write about: 1–2 ★ vs 4–5 ★", "顾客在说什么：1–2 星 vs 4–5 星"),
    "satisfaction.keywords_help": (
        "Share of comments using each word, among the newest {limit} comments of each side. Chinese is split "
        "into words with jieba; common words are left out and a negation stays with its word (不满意, `not "
        "working`, `não recebi`).",
        "各词语在每侧最新 {limit} 条评论中的出现比例。中文使用 jieba 分词；常用虚词已去除，否定词与其后的词合并"
        "（如 不满意、`not working`、`não recebi`）。",
    ),
    "satisfaction.low_side": ("In 1–2 ★ comments", "1–2 星评论中"),
    "satisfaction.high_side": ("In 4–5 ★ comments", "4–5 星评论中"),
    "satisfaction.no_keywords": ("Too few comments for keywords.", "评论太少，无法统计关键词。"),
    "satisfaction.share_of_comments": ("Share of comments", "评论占比"),
    # Column headers of this page's tables
    "col.reviews": ("Reviews", "评价数"),
    "col.avg_rating": ("Average rating", "平均评分"),
    "col.low_ratings": ("1–2 star reviews", "差评数"),
    "col.low_share": ("1–2 star share", "差评率"),
    "col.nps": ("NPS", "净推荐值"),
    "col.nps_answers": ("NPS answers", "NPS 回答数"),
    "col.bucket": ("Delivery", "配送情况"),
    "col.tickets": ("Tickets", "工单数"),
    "col.ticket_share": ("Share of tickets", "工单占比"),
    "col.review_share": ("Share of reviews", "评价占比"),
    "col.previous_tickets": ("Previous period", "上一周期"),
    "col.ticket_trend": ("Trend", "趋势"),
    "col.bayes_rating": ("Bayesian average", "贝叶斯平均分"),
    "col.answered": ("Answered", "已响应"),
    "col.unanswered": ("Unanswered", "未响应"),
    "col.resolved": ("Resolved", "已解决"),
    "col.first_response_median": ("First response, median (h)", "首次响应中位数（小时）"),
    "col.first_response_p90": ("First response, P90 (h)", "首次响应 P90（小时）"),
    "col.resolution_median": ("Resolution, median (h)", "解决时长中位数（小时）"),
    "col.resolution_p90": ("Resolution, P90 (h)", "解决时长 P90（小时）"),
    "col.first_response_target": ("First response target (h)", "首次响应时限（小时）"),
    "col.resolution_target": ("Resolution target (h)", "解决时限（小时）"),
    "col.with_target": ("With a target", "设有时限"),
    "col.first_response_breaches": ("First response late", "首次响应超时"),
    "col.resolution_breaches": ("Resolution late", "解决超时"),
    "col.breaches": ("Breaches", "超时工单"),
    "col.breach_rate": ("Breach rate", "超时率"),
    "col.language": ("Language", "语言"),
    "col.word": ("Word", "词语"),
    "col.comments": ("Comments", "评论数"),
    "col.comment_share": ("Share of comments", "评论占比"),
    "col.other_share": ("Share on the other side", "另一侧占比"),
    "col.side": ("Ratings", "评分段"),
    "col.nps_score": ("NPS answer", "NPS 打分"),
    "col.review_id": ("Review", "评价编号"),
}
