"""The one catalogue of user-facing strings in English and 简体中文, with pure lookup functions."""

from __future__ import annotations

import string

from components.catalogue import inventory, marketing, satisfaction, security, upload
from data_access.schema import CHANNELS

LANGUAGES: dict[str, str] = {"en": "English", "zh": "简体中文"}
DEFAULT_LANG = "en"

ROLES = ("admin", "manager", "marketer", "analyst")

#: Metric ids; each has a "kpi.<id>" name and a "kpi.<id>.formula" text (DESIGN.md "Metric definitions").
KPI_IDS = (
    "net_sales", "orders", "aov", "units", "gross_margin", "margin_pct", "conversion_rate",
    "repurchase_rate", "returning_customer_rate", "return_rate", "sessions", "spend",
    "attributed_revenue", "new_customers", "ctr", "cpc", "cpm", "cpa", "roas", "cac",
    "blended_roas", "csat", "nps", "first_response_time", "resolution_time", "sla_breach_rate",
    "backlog", "days_of_cover", "sell_through", "safety_stock", "reorder_point", "suggested_order",
)

#: Page ids in navigation order; each has a "page.<id>" title.
PAGE_IDS = ("overview", "sales", "inventory", "marketing", "satisfaction", "upload", "admin")

#: Date presets of the filter bar; each has a "filter.preset.<id>" label.
DATE_PRESETS = ("today", "yesterday", "last_7_days", "last_30_days", "last_90_days", "month_to_date", "custom")

#: Demo-data product categories (stored in English) -> 中文.
CATEGORIES_ZH: dict[str, str] = {
    "Apparel": "服饰",
    "Beauty": "美妆",
    "Food & Grocery": "食品",
    "Home": "家居",
    "Electronics": "数码",
    "Baby & Kids": "母婴",
    "Sports": "运动",
    "Books": "图书",
}

# key -> (English, 简体中文). Placeholders use str.format names and must match in both languages.
STRINGS: dict[str, tuple[str, str]] = {
    # App and navigation
    "app.title": ("Shop operations", "店铺运营看板"),
    "app.tagline": ("Sales, stock, marketing and service at a glance", "销售、库存、营销与服务一览"),
    "nav.section.daily": ("Daily", "日常"),
    "nav.section.analysis": ("Analysis", "分析"),
    "nav.section.data": ("Data", "数据"),
    "page.overview": ("Daily overview", "今日概览"),
    "page.sales": ("Sales analysis", "销售分析"),
    "page.inventory": ("Inventory forecast", "库存预测"),
    "page.marketing": ("Marketing", "营销分析"),
    "page.satisfaction": ("Customer satisfaction", "客户满意度"),
    "page.upload": ("CSV upload", "数据上传"),
    "page.admin": ("Admin", "管理"),
    "lang.label": ("Language", "语言"),
    # Roles
    "role.admin": ("Admin", "管理员"),
    "role.manager": ("Store manager", "店长"),
    "role.marketer": ("Marketer", "营销"),
    "role.analyst": ("Analyst", "分析师"),
    # Login and session
    "auth.login": ("Log in", "登录"),
    "auth.logout": ("Log out", "退出登录"),
    "auth.username": ("Username", "用户名"),
    "auth.password": ("Password", "密码"),
    "auth.please_login": ("Please log in to continue.", "请先登录。"),
    "auth.login_failed": ("Username or password is incorrect.", "用户名或密码错误。"),
    "auth.too_many_attempts": (
        "Too many failed attempts, try again in {minutes} minutes.",
        "登录失败次数过多，请 {minutes} 分钟后再试。",
    ),
    "auth.logged_in_as": ("Logged in as {name} ({role})", "当前用户：{name}（{role}）"),
    "auth.session_expired": ("Your session has expired. Please log in again.", "会话已过期，请重新登录。"),
    "auth.stores_all": ("All stores", "全部店铺"),
    "auth.stores_some": ("Stores: {stores}", "店铺：{stores}"),
    "auth.no_stores": (
        "No stores are assigned to your account. Ask an admin to assign some.",
        "您的账号尚未分配店铺，请联系管理员。",
    ),
    # Errors and empty states
    "msg.no_data": ("No data for this selection", "当前筛选条件下没有数据"),
    "msg.access_denied": ("You do not have access to this page", "您无权访问此页面"),
    "msg.loading": ("Loading…", "加载中…"),
    "msg.saved": ("Saved", "已保存"),
    "msg.not_enough_history": (
        "Not enough history for this analysis (need at least {days} days).",
        "历史数据不足，无法进行此分析（至少需要 {days} 天）。",
    ),
    "error.generic": ("Something went wrong: {reason}", "出错了：{reason}"),
    "error.database": ("Cannot reach the database: {reason}", "无法连接数据库：{reason}"),
    "error.config": ("Configuration problem: {reason}", "配置有误：{reason}"),
    "error.invalid_date_range": ("The start date must not be after the end date.", "开始日期不能晚于结束日期。"),
    "category.uncategorised": ("Uncategorised", "未分类"),
    # Filter bar
    "filter.title": ("Filters", "筛选"),
    "filter.date_range": ("Date range", "日期范围"),
    "filter.start": ("From", "开始日期"),
    "filter.end": ("To", "结束日期"),
    "filter.preset.today": ("Today", "今天"),
    "filter.preset.yesterday": ("Yesterday", "昨天"),
    "filter.preset.last_7_days": ("Last 7 days", "近 7 天"),
    "filter.preset.last_30_days": ("Last 30 days", "近 30 天"),
    "filter.preset.last_90_days": ("Last 90 days", "近 90 天"),
    "filter.preset.month_to_date": ("Month to date", "本月至今"),
    "filter.preset.custom": ("Custom", "自定义"),
    "filter.store": ("Store", "店铺"),
    "filter.channel": ("Channel", "渠道"),
    "filter.category": ("Category", "品类"),
    "filter.campaign": ("Campaign", "营销活动"),
    "filter.all": ("All", "全部"),
    # Period comparison on KPI cards
    "compare.vs_previous": ("vs previous period", "较上一周期"),
    "compare.vs_last_year": ("vs same period last year", "较去年同期"),
    "compare.formula": ("How it is calculated", "计算方式"),
    # KPI names
    "kpi.net_sales": ("Net sales", "净销售额"),
    "kpi.orders": ("Orders", "订单数"),
    "kpi.aov": ("AOV", "客单价"),
    "kpi.units": ("Units", "销量"),
    "kpi.gross_margin": ("Gross margin", "毛利"),
    "kpi.margin_pct": ("Margin %", "毛利率"),
    "kpi.conversion_rate": ("Conversion rate", "转化率"),
    "kpi.repurchase_rate": ("Repurchase rate", "复购率"),
    "kpi.returning_customer_rate": ("Returning-customer rate", "老客占比"),
    "kpi.return_rate": ("Return rate", "退货率"),
    "kpi.sessions": ("Sessions", "访问次数"),
    "kpi.spend": ("Spend", "花费"),
    "kpi.attributed_revenue": ("Attributed revenue", "归因销售额"),
    "kpi.new_customers": ("New customers", "新客户数"),
    "kpi.ctr": ("CTR", "点击率 (CTR)"),
    "kpi.cpc": ("CPC", "单次点击成本 (CPC)"),
    "kpi.cpm": ("CPM", "千次展示成本 (CPM)"),
    "kpi.cpa": ("CPA", "单次转化成本 (CPA)"),
    "kpi.roas": ("ROAS", "广告支出回报率 (ROAS)"),
    "kpi.cac": ("CAC", "获客成本 (CAC)"),
    "kpi.blended_roas": ("Blended ROAS (MER)", "综合广告回报率 (MER)"),
    "kpi.csat": ("CSAT", "客户满意度 (CSAT)"),
    "kpi.nps": ("NPS", "净推荐值 (NPS)"),
    "kpi.first_response_time": ("First response time", "首次响应时长"),
    "kpi.resolution_time": ("Resolution time", "解决时长"),
    "kpi.sla_breach_rate": ("SLA breach rate", "SLA 超时率"),
    "kpi.backlog": ("Backlog", "积压工单"),
    "kpi.days_of_cover": ("Days of cover", "可售天数"),
    "kpi.sell_through": ("Sell-through", "售罄率"),
    "kpi.safety_stock": ("Safety stock", "安全库存"),
    "kpi.reorder_point": ("Reorder point", "再订货点"),
    "kpi.suggested_order": ("Suggested order", "建议订货量"),
    # KPI formulas, following DESIGN.md "Metric definitions"
    "kpi.net_sales.formula": (
        "Net sales = sum(quantity × unit price − discount) over paid, shipped and delivered orders, "
        "minus returned lines; orders imported without lines count paid total − refund total",
        "净销售额 = 已付款、已发货、已送达订单的 Σ(数量 × 单价 − 折扣)，扣除退货行；"
        "无明细行的订单按 实付金额 − 退款金额 计",
    ),
    "kpi.orders.formula": ("Orders = distinct non-cancelled orders", "订单数 = 未取消订单的去重数量"),
    "kpi.aov.formula": ("AOV = net sales / orders", "客单价 = 净销售额 / 订单数"),
    "kpi.units.formula": ("Units = sum(quantity)", "销量 = Σ 数量"),
    "kpi.gross_margin.formula": (
        "Gross margin = net sales − sum(quantity × unit cost)",
        "毛利 = 净销售额 − Σ(数量 × 单位成本)",
    ),
    "kpi.margin_pct.formula": ("Margin % = gross margin / net sales", "毛利率 = 毛利 / 净销售额"),
    "kpi.conversion_rate.formula": (
        "Conversion rate = orders / sessions (only where traffic exists)",
        "转化率 = 订单数 / 访问次数（仅统计有流量数据的部分）",
    ),
    "kpi.repurchase_rate.formula": (
        "Repurchase rate = customers with ≥ 2 orders in the period / customers with ≥ 1 order in the period",
        "复购率 = 期内下单 ≥ 2 次的客户数 / 期内下单 ≥ 1 次的客户数",
    ),
    "kpi.returning_customer_rate.formula": (
        "Returning-customer rate = customers in the period who had ordered before it / customers in the period",
        "老客占比 = 期内下单且期前已下过单的客户数 / 期内下单客户数",
    ),
    "kpi.return_rate.formula": (
        "Return rate = returned orders / orders",
        "退货率 = 退货订单数 / 订单数",
    ),
    "kpi.sessions.formula": ("Sessions = sum of sessions in the traffic data", "访问次数 = 流量数据中访问次数之和"),
    "kpi.spend.formula": ("Spend = sum of marketing spend", "花费 = 营销花费之和"),
    "kpi.attributed_revenue.formula": (
        "Attributed revenue = net sales of orders attributed to the channel or campaign",
        "归因销售额 = 归因到该渠道或活动的订单净销售额",
    ),
    "kpi.new_customers.formula": (
        "New customers = customers whose first order falls in the period",
        "新客户数 = 首单落在本期的客户数",
    ),
    "kpi.ctr.formula": ("CTR = clicks / impressions", "点击率 (CTR) = 点击量 / 展示量"),
    "kpi.cpc.formula": ("CPC = spend / clicks", "单次点击成本 (CPC) = 花费 / 点击量"),
    "kpi.cpm.formula": ("CPM = spend / impressions × 1000", "千次展示成本 (CPM) = 花费 / 展示量 × 1000"),
    "kpi.cpa.formula": ("CPA = spend / attributed orders", "单次转化成本 (CPA) = 花费 / 归因订单数"),
    "kpi.roas.formula": ("ROAS = attributed revenue / spend", "广告支出回报率 (ROAS) = 归因销售额 / 花费"),
    "kpi.cac.formula": (
        "CAC = spend / new customers acquired by that channel",
        "获客成本 (CAC) = 花费 / 该渠道获取的新客户数",
    ),
    "kpi.blended_roas.formula": (
        "Blended ROAS (MER) = total revenue / total spend",
        "综合广告回报率 (MER) = 总销售额 / 总花费",
    ),
    "kpi.csat.formula": ("CSAT = reviews rated 4–5 / all reviews (created in the period)",
                         "客户满意度 (CSAT) = 4–5 星评价数 / 全部评价数（本期创建的评价）"),
    "kpi.nps.formula": (
        "NPS = % of scores 9–10 minus % of scores 0–6",
        "净推荐值 (NPS) = 9–10 分占比 − 0–6 分占比",
    ),
    "kpi.first_response_time.formula": (
        "First response time = first response at − created at (median and p90, calendar hours)",
        "首次响应时长 = 首次响应时间 − 创建时间（中位数与 P90，自然小时）",
    ),
    "kpi.resolution_time.formula": (
        "Resolution time = resolved at − created at (median and p90, calendar hours)",
        "解决时长 = 解决时间 − 创建时间（中位数与 P90，自然小时）",
    ),
    "kpi.sla_breach_rate.formula": (
        "SLA breach rate = tickets past target / tickets with a target",
        "SLA 超时率 = 超出时限的工单数 / 设有时限的工单数",
    ),
    "kpi.backlog.formula": ("Backlog = tickets unresolved at a point in time", "积压工单 = 某一时点尚未解决的工单数"),
    "kpi.days_of_cover.formula": (
        "Days of cover = on hand / mean daily units over the last 28 days",
        "可售天数 = 现有库存 / 近 28 天日均销量",
    ),
    "kpi.sell_through.formula": (
        "Sell-through = units sold / (units sold + ending stock)",
        "售罄率 = 销量 / (销量 + 期末库存)",
    ),
    "kpi.safety_stock.formula": (
        "Safety stock = z × σ(daily demand) × √(lead time in days)",
        "安全库存 = z × 日需求标准差 × √(交货周期天数)",
    ),
    "kpi.reorder_point.formula": (
        "Reorder point = mean daily demand × lead time + safety stock",
        "再订货点 = 日均需求 × 交货周期 + 安全库存",
    ),
    "kpi.suggested_order.formula": (
        "Suggested order = max(0, reorder point + demand over the review period − on hand − on order)",
        "建议订货量 = max(0, 再订货点 + 检查周期内需求 − 现有库存 − 在途库存)",
    ),
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
    # Sales analysis
    "sales.trend": ("Sales trend", "销售趋势"),
    "sales.by_channel": ("By channel", "按渠道"),
    "sales.by_category": ("By category", "按品类"),
    "sales.by_store": ("By store", "按店铺"),
    "sales.funnel": ("Conversion funnel", "转化漏斗"),
    "sales.cohorts": ("Monthly retention cohorts", "月度留存队列"),
    "sales.cohort_month": ("First order month", "首单月份"),
    "sales.months_since_first": ("Months since first order", "距首单月数"),
    "sales.rfm": ("RFM segments", "RFM 客户分群"),
    "sales.abc": ("ABC analysis", "ABC 分析"),
    "sales.breakdowns": ("Breakdowns", "结构分析"),
    "sales.by_region": ("By region", "按区域"),
    "sales.count": ("Count", "数量"),
    "sales.customers": ("Customers", "客户"),
    "sales.drill_back": ("Back to all categories", "返回全部品类"),
    "sales.drill_hint": ("Click a category to see its products; double-click clears.",
                         "点击品类查看其商品；双击取消选择。"),
    "sales.products_in": ("Products in {category}", "{category} 品类下的商品"),
    "sales.grain": ("Grain", "时间粒度"),
    "sales.no_traffic": ("No traffic data for this selection, so no funnel.",
                         "当前筛选条件下没有流量数据，无法生成漏斗。"),
    "sales.products": ("Products", "商品"),
    "sales.partial_bucket": ("Partial: {days} of {of} days in the range", "不完整：范围内仅 {days}/{of} 天"),
    "sales.partial_caption": (
        "Open rings mark weeks or months the date range covers only in part, so they hold fewer days of sales.",
        "空心圆表示日期范围只覆盖了部分天数的周或月，其销售额天数较少。",
    ),
    "sales.retention": ("Retention", "留存率"),
    "sales.this_period": ("This period", "本期"),
    "sales.weakest_step": ("Weakest step: {step} (only {rate} get there from the step before).",
                           "最薄弱环节：{step}（仅 {rate} 从上一步进入）。"),
    "grain.day": ("Daily", "按日"),
    "grain.week": ("Weekly", "按周"),
    "grain.month": ("Monthly", "按月"),
    "event.618": ("618", "618 大促"),
    "event.double_11": ("Double 11", "双十一"),
    "event.double_12": ("Double 12", "双十二"),
    "event.spring_festival": ("Spring Festival", "春节"),
    "segment.champions.action": ("Reward them: early access, no discounts needed.",
                                 "给予专属礼遇与新品优先体验，无需打折。"),
    "segment.loyal.action": ("Upsell higher tiers; ask for reviews.", "推荐更高档商品，邀请评价。"),
    "segment.potential_loyalists.action": ("Offer membership or a loyalty programme.", "邀请加入会员或积分计划。"),
    "segment.new.action": ("Onboard well: first-purchase follow-up, second-order coupon.",
                           "做好新客引导：首单回访、二单优惠券。"),
    "segment.promising.action": ("Build the habit with relevant recommendations.", "用相关推荐培养购买习惯。"),
    "segment.needs_attention.action": ("Limited-time offers based on past purchases.", "基于历史购买推送限时优惠。"),
    "segment.at_risk.action": ("Win them back with personal messages and offers.", "用个性化消息与优惠挽回。"),
    "segment.cant_lose.action": ("Reach out personally before they churn.", "在流失前一对一主动联系。"),
    "segment.hibernating.action": ("Reactivate with popular products; keep costs low.", "用热销商品低成本唤醒。"),
    "segment.lost.action": ("Low-cost reactivation only, or let go.", "仅做低成本召回，或放弃。"),
    "funnel.sessions": ("Sessions", "访问"),
    "funnel.product_views": ("Product views", "商品浏览"),
    "funnel.add_to_carts": ("Add to cart", "加入购物车"),
    "funnel.checkouts": ("Checkout", "结算"),
    "funnel.orders": ("Orders", "下单"),
    "segment.champions": ("Champions", "重要价值客户"),
    "segment.loyal": ("Loyal", "忠诚客户"),
    "segment.potential_loyalists": ("Potential loyalists", "潜力客户"),
    "segment.new": ("New", "新客户"),
    "segment.promising": ("Promising", "有望客户"),
    "segment.needs_attention": ("Needs attention", "需关注客户"),
    "segment.at_risk": ("At risk", "流失风险客户"),
    "segment.cant_lose": ("Can't lose", "重要挽留客户"),
    "segment.hibernating": ("Hibernating", "沉睡客户"),
    "segment.lost": ("Lost", "已流失客户"),
    # Admin
    "admin.users": ("Users", "用户"),
    "admin.audit_log": ("Audit log", "审计日志"),
    "admin.users_help": (
        "Change users with: python -m data_access.users add | passwd | set-role | set-stores | remove",
        "用命令管理用户：python -m data_access.users add | passwd | set-role | set-stores | remove",
    ),
    "admin.filter_user": ("Only events of user", "仅显示该用户的事件"),
    "admin.add_user": ("Add user", "添加用户"),
    "admin.remove_user": ("Remove user", "删除用户"),
    "admin.reset_password": ("Reset password", "重置密码"),
    "admin.role": ("Role", "角色"),
    "admin.stores": ("Stores", "店铺"),
    "admin.name": ("Name", "姓名"),
    "admin.email": ("Email", "邮箱"),
    "admin.user_added": ("User {username} added.", "已添加用户 {username}。"),
    "admin.user_removed": ("User {username} removed.", "已删除用户 {username}。"),
    "admin.user_updated": ("User {username} updated.", "已更新用户 {username}。"),
    "admin.cannot_remove_self": ("You cannot remove your own account.", "不能删除自己的账号。"),
    # Audit actions
    "audit.login": ("Logged in", "登录"),
    "audit.login_failed": ("Failed login", "登录失败"),
    "audit.logout": ("Logged out", "退出登录"),
    "audit.access_denied": ("Access denied", "拒绝访问"),
    "audit.upload": ("Uploaded a file", "上传文件"),
    "audit.import": ("Imported data", "导入数据"),
    "audit.user_changed": ("Changed a user", "修改用户"),
    # Common column headers
    "col.date": ("Date", "日期"),
    "col.time": ("Time", "时间"),
    "col.store": ("Store", "店铺"),
    "col.channel": ("Channel", "渠道"),
    "col.category": ("Category", "品类"),
    "col.campaign": ("Campaign", "营销活动"),
    "col.sku": ("SKU", "商品编码"),
    "col.product": ("Product", "商品"),
    "col.user": ("User", "用户"),
    "col.action": ("Action", "操作"),
    "col.label": ("Name", "名称"),
    "col.aov": ("AOV", "客单价"),
    "col.gross_margin": ("Gross margin", "毛利"),
    "col.margin_pct": ("Margin %", "毛利率"),
    "col.conversion_rate": ("Conversion rate", "转化率"),
    "col.share": ("Share of net sales", "销售额占比"),
    "col.trend": ("Weekly trend", "周趋势"),
    "col.customers": ("Customers", "客户数"),
    "col.new_customers": ("New customers", "新客户"),
    "col.returning_customers": ("Returning customers", "老客户"),
    "col.revenue_share": ("Revenue share", "收入占比"),
    "col.avg_recency_days": ("Avg days since last order", "平均距上次下单天数"),
    "col.avg_frequency": ("Avg orders", "平均订单数"),
    "col.product_views": ("Product views", "商品浏览"),
    "col.add_to_carts": ("Add to cart", "加购"),
    "col.checkouts": ("Checkouts", "结算"),
    "col.product_views_rate": ("View rate", "浏览率"),
    "col.add_to_carts_rate": ("Cart rate", "加购率"),
    "col.checkouts_rate": ("Checkout rate", "结算率"),
    "col.orders_rate": ("Order rate", "下单率"),
    "col.weakest_step": ("Weakest step", "最薄弱环节"),
    "col.segment": ("Segment", "客户分群"),
    "col.detail": ("Detail", "详情"),
    "col.impressions": ("Impressions", "展示量"),
    "col.clicks": ("Clicks", "点击量"),
    "col.change": ("Change", "变化"),
    "col.change_pct": ("Change %", "变化率"),
    "col.status": ("Status", "状态"),
    "col.priority": ("Priority", "优先级"),
    "col.comment": ("Comment", "评论"),
    "col.store_id": ("Store", "店铺"),
    "col.store_name": ("Store", "店铺"),
    "col.name": ("Name", "名称"),
    "col.product_name": ("Product", "商品"),
    "col.day": ("Day", "日期"),
    "col.ds": ("Date", "日期"),
    "col.at": ("Time (UTC)", "时间（UTC）"),
    "col.username": ("User", "用户"),
    "col.role": ("Role", "角色"),
    "col.stores": ("Stores", "店铺"),
    "col.lang": ("Language", "语言"),
    "col.email": ("Email", "邮箱"),
    "col.order_id": ("Order", "订单号"),
    "col.customer_id": ("Customer", "客户"),
    "col.campaign_id": ("Campaign", "营销活动"),
    "col.ticket_id": ("Ticket", "工单号"),
    "col.created_at": ("Created", "创建时间"),
    "col.first_response_at": ("First response", "首次响应时间"),
    "col.resolved_at": ("Resolved", "解决时间"),
    "col.age_hours": ("Age (hours)", "已等待（小时）"),
    "col.breach": ("Overdue", "超时类型"),
    "col.rating": ("Rating", "评分"),
    "col.net_sales": ("Net sales", "净销售额"),
    "col.previous_net_sales": ("Previous net sales", "上期净销售额"),
    "col.orders": ("Orders", "订单数"),
    "col.units": ("Units", "销量"),
    "col.sessions": ("Sessions", "访问次数"),
    "col.spend": ("Spend", "花费"),
    "col.revenue": ("Revenue", "销售额"),
    "col.on_hand": ("On hand", "现有库存"),
    "col.on_order": ("On order", "在途库存"),
    "col.avg_daily_units": ("Avg daily units", "日均销量"),
    "col.days_of_cover": ("Days of cover", "可售天数"),
    "col.lead_time_days": ("Lead time (days)", "交货周期（天）"),
    "col.safety_stock": ("Safety stock", "安全库存"),
    "col.reorder_point": ("Reorder point", "再订货点"),
    "col.suggested_order": ("Suggested order", "建议订货量"),
    "col.abc_class": ("ABC", "ABC 分类"),
    "col.xyz_class": ("XYZ", "XYZ 分类"),
    "col.yhat": ("Forecast", "预测值"),
    "col.yhat_lower": ("Forecast low", "预测下限"),
    "col.yhat_upper": ("Forecast high", "预测上限"),
    # Order statuses
    "status.pending": ("Pending", "待付款"),
    "status.paid": ("Paid", "已付款"),
    "status.shipped": ("Shipped", "已发货"),
    "status.delivered": ("Delivered", "已送达"),
    "status.cancelled": ("Cancelled", "已取消"),
    "status.returned": ("Returned", "已退货"),
    # Tables and downloads
    "table.download_csv": ("Download CSV", "下载 CSV"),
    "table.download_excel": ("Download Excel", "下载 Excel"),
    "table.rows": ("{n} rows", "共 {n} 行"),
    # Units used by components.formatting
    "unit.hours": ("{value} h", "{value} 小时"),
    "unit.days": ("{value} d", "{value} 天"),
}


def _add_channel_labels() -> None:
    """Channel labels come from the schema vocabulary so there is one source for them."""
    for channel_id, (en, zh) in CHANNELS.items():
        STRINGS[f"channel.{channel_id}"] = (en, zh)


def _add_area_catalogues() -> None:
    """Merge the per-page catalogues (components/catalogue/); a key defined twice is a bug, not an override."""
    for part in (inventory, marketing, satisfaction, security, upload):
        clash = STRINGS.keys() & part.STRINGS.keys()
        if clash:
            raise RuntimeError(f"{part.__name__} redefines catalogue keys: {sorted(clash)}")
        STRINGS.update(part.STRINGS)


_add_channel_labels()
_add_area_catalogues()

_LANG_INDEX = {"en": 0, "zh": 1}


class _KeepMissing(dict):
    """A format mapping that leaves unknown placeholders visible instead of raising."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def normalise_lang(lang: str | None) -> str:
    """A supported language code for lang ("zh-CN", "ZH", "zh_Hans" -> "zh"), else English."""
    code = str(lang or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANG


def keys() -> list[str]:
    """Every catalogue key, sorted."""
    return sorted(STRINGS)


def has_key(key: str) -> bool:
    """Whether key is in the catalogue."""
    return key in STRINGS


def template(key: str, lang: str) -> str:
    """The unformatted text of key in lang, falling back to English, then to the key itself."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry[_LANG_INDEX[normalise_lang(lang)]]
    return text or entry[0] or key


def placeholders(text: str) -> set[str]:
    """The named placeholders in a format template."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return set()


def translate(key: str, lang: str, **fmt) -> str:
    """The text of key in lang with fmt filled in; never raises on a missing key or placeholder."""
    text = template(key, lang)
    if not fmt:
        return text
    try:
        return text.format_map(_KeepMissing(fmt))
    except (ValueError, TypeError, IndexError, AttributeError):
        # A format spec that does not fit the value: the unformatted text beats a crash.
        return text


def channel_label(channel_id: str, lang: str) -> str:
    """The label of a channel id in lang; unknown ids are returned as they are."""
    key = f"channel.{channel_id}"
    return translate(key, lang) if key in STRINGS else str(channel_id)


def column_label(column: str, lang: str) -> str:
    """The header for a DataFrame column ("col.<column>"); unknown columns are returned as they are."""
    key = f"col.{column}"
    return translate(key, lang) if key in STRINGS else str(column)


def category_label(category: str | None, lang: str) -> str:
    """The label of a product category in lang; unknown categories are returned as they are, a missing one
    ("", None or NaN: products without a category) as "Uncategorised"."""
    if not isinstance(category, str) or category == "":
        return translate("category.uncategorised", lang)
    if normalise_lang(lang) == "zh":
        return CATEGORIES_ZH.get(category, category)
    return category


def role_label(role: str, lang: str) -> str:
    """The label of a role in lang; unknown roles are returned as they are."""
    return translate(f"role.{role}", lang) if role in ROLES else str(role)


def page_title(page_id: str, lang: str) -> str:
    """The title of a page id (see PAGE_IDS) in lang."""
    return translate(f"page.{page_id}", lang)


def kpi_label(kpi_id: str, lang: str) -> str:
    """The display name of a KPI id (see KPI_IDS) in lang."""
    return translate(f"kpi.{kpi_id}", lang)


def kpi_formula(kpi_id: str, lang: str) -> str:
    """The formula text of a KPI id in lang, or "" when it has none."""
    key = f"kpi.{kpi_id}.formula"
    return translate(key, lang) if key in STRINGS else ""
