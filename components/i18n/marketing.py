"""Strings of the marketing page (营销分析): key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    "marketing.channels": ("Channel comparison", "渠道对比"),
    "marketing.campaigns": ("Campaigns", "营销活动"),
    "marketing.campaign_effect": ("Did this campaign work?", "这次活动有效果吗？"),
    "marketing.pre_period": ("Pre-period", "活动前"),
    "marketing.post_period": ("Campaign period", "活动期"),
    "marketing.actual": ("Actual", "实际值"),
    "marketing.counterfactual": ("Expected without the campaign", "无活动时的预期值"),
    "marketing.lift_abs": ("Absolute lift", "绝对提升"),
    "marketing.lift_rel": ("Relative lift", "相对提升"),
    "marketing.cumulative_effect": ("Cumulative effect", "累计效果"),
    "marketing.interval": ("95% interval: {low} to {high}", "95% 置信区间：{low} 至 {high}"),
    "marketing.p_value": ("p-value", "p 值"),
    "marketing.significant": (
        "The campaign very likely had an effect (p = {p}).",
        "活动很可能产生了效果（p = {p}）。",
    ),
    "marketing.not_significant": (
        "No clear effect: the change could be chance (p = {p}).",
        "效果不明显：变化可能只是随机波动（p = {p}）。",
    ),
    "marketing.ab_test": ("A/B test", "A/B 测试"),
    "marketing.variant_a": ("Variant A", "A 组"),
    "marketing.variant_b": ("Variant B", "B 组"),
    "marketing.visitors": ("Visitors", "访客数"),
    "marketing.conversions": ("Conversions", "转化数"),
    "marketing.sample_size": ("Required sample size per arm: {n}", "每组所需样本量：{n}"),
    "marketing.peeking_warning": (
        "Decide the sample size before the test and read the result once: "
        "checking repeatedly and stopping at the first significant result inflates false positives.",
        "请在测试前确定样本量，并只在结束时查看一次结果：反复查看并在首次显著时停止会增加误报。",
    ),
    # KPI cards and notes
    "marketing.kpis": ("Spend and return", "投放与回报"),
    "kpi.blended_cac": ("Blended CAC", "综合获客成本"),
    "kpi.blended_cac.formula": (
        "Blended CAC = total spend / all new customers of the period (first order in your stores in the period)",
        "综合获客成本 = 总花费 / 本期全部新客户数（在您店铺的首单落在本期）",
    ),
    "kpi.marketing_revenue": ("Revenue", "销售额"),
    "kpi.marketing_revenue.formula": (
        "Revenue = net sales of every order of the selection (all channels, direct included)",
        "销售额 = 所选范围内全部订单的净销售额（所有渠道，含直接访问）",
    ),
    "marketing.attribution_note": (
        "Attribution: last non-direct touch as the order records it. An order's net sales count for its channel "
        "and its campaign; direct orders get revenue but no spend. New customers of a channel: customers whose "
        "first order in your stores falls in the period and came through that channel.",
        "归因规则：以订单记录的最后一次非直接触点为准。订单的净销售额计入其渠道和活动；直接访问的订单有销售额但没有花费。"
        "渠道新客户：在您店铺的首单落在本期且经由该渠道下单的客户。",
    ),
    "marketing.spend_scope_note": (
        "Ad spend is recorded for the whole shop, not per store, so spend and the figures built on it (CTR, CPC, "
        "CPM, ROAS, CPA, CAC) appear only when all stores are selected. Shown here: orders, revenue, conversion "
        "and new customers of the selected stores.",
        "广告花费按全店记录，无法拆分到店铺，因此花费及其衍生指标（点击率、CPC、CPM、ROAS、CPA、CAC）仅在选择全部店铺时显示。"
        "当前显示所选店铺的订单、销售额、转化率和新客户。",
    ),
    "marketing.category_note": (
        "The category filter does not apply on this page: spend and sessions cannot be split by product category.",
        "品类筛选不适用于本页：花费和访问次数无法按商品品类拆分。",
    ),
    "marketing.missing_note": (
        "— means the figure cannot be worked out: nothing to divide by (no spend, clicks or sessions), or the ad "
        "platform did not report it.",
        "— 表示该指标无法计算：分母为零（没有花费、点击或访问），或广告平台未提供该数据。",
    ),
    "marketing.no_data_note": (
        "No orders or ad spend in this period. The A/B test calculator below works without data.",
        "本期没有订单或广告花费。下方的 A/B 测试计算器无需数据即可使用。",
    ),
    # Channel comparison
    "marketing.channel_table": ("Channels", "各渠道指标"),
    "marketing.scatter_title": ("Spend vs attributed revenue (bubble size: orders)",
                                "花费与归因销售额（气泡大小：订单数）"),
    "marketing.campaign_stores": (
        "Ran in stores {stores}: its effect is read in those stores only.",
        "活动门店：{stores}，效果只在这些门店中评估。",
    ),
    "marketing.break_even": ("ROAS = 1", "盈亏平衡 ROAS = 1"),
    "marketing.share_title": ("Share of spend vs share of revenue", "花费占比与销售额占比"),
    "marketing.share_of_spend": ("Share of spend", "花费占比"),
    "marketing.share_of_revenue": ("Share of attributed revenue", "归因销售额占比"),
    "marketing.trend_title": ("Trend by channel", "各渠道趋势"),
    "marketing.trend_measure": ("Show", "显示指标"),
    "marketing.trend_top": (
        "The {n} channels with the largest totals; pick channels in the filter bar to see others.",
        "显示合计最大的 {n} 个渠道；在筛选栏中选择渠道可查看其他渠道。",
    ),
    "marketing.share_axis": ("Share", "占比"),
    "marketing.no_spend": ("No ad spend recorded in this period.", "本期没有记录广告花费。"),
    # Campaigns
    "marketing.campaign_table": ("Campaigns with spend or orders in the period", "本期有花费或订单的活动"),
    "marketing.campaign_pick": ("Campaign", "选择活动"),
    "marketing.campaign_window": ("Campaigns from {start} to {end}: the period, widened to the last {days} days.",
                                  "{start} 至 {end} 的活动：所选期间扩展到最近 {days} 天。"),
    "marketing.no_campaigns": ("No campaign ran in this period.", "本期没有进行中的活动。"),
    "marketing.campaign_option": ("{name} ({start} – {end})", "{name}（{start} 至 {end}）"),
    "marketing.campaign_meta": (
        "{channel} · {start} to {end} ({days} days) · budget {budget} · objective: {objective}",
        "{channel} · {start} 至 {end}（{days} 天）· 预算 {budget} · 目标：{objective}",
    ),
    "marketing.results_during": ("Results during the campaign", "活动期间的结果"),
    "marketing.effect_measure": ("Measure", "衡量指标"),
    "marketing.pre_days": ("Days before the campaign to learn from", "用于学习常态的活动前天数"),
    "marketing.effect_help": (
        "The expected line is a forecast fitted only on the days before the campaign (the other channels' "
        "daily figures in the same stores serve as controls); the effect is actual minus expected. Shaded: the "
        "95% interval. Series: the campaign's channel in the selected stores.",
        "预期线是仅用活动前数据拟合的预测（同店其他渠道的每日数据作为对照）；效果 = 实际值 − 预期值。阴影为 95% 区间。"
        "序列：所选店铺中该活动所在渠道。",
    ),
    "marketing.pointwise_effect": ("Effect per day", "每日效果"),
    "marketing.campaign_start": ("Campaign start", "活动开始"),
    "marketing.verdict_real": (
        "Incremental {what} of about {effect} ({lift} lift; 95% interval {low} to {high}): likely real ({p}).",
        "增量{what}约 {effect}（提升 {lift}；95% 区间 {low} 至 {high}）：效果很可能真实存在（{p}）。",
    ),
    "marketing.verdict_noise": (
        "Incremental {what} of about {effect} ({lift} lift; 95% interval {low} to {high}): not distinguishable "
        "from noise ({p}).",
        "增量{what}约 {effect}（提升 {lift}；95% 区间 {low} 至 {high}）：与随机波动无法区分（{p}）。",
    ),
    "marketing.verdict_too_short": (
        "Too short to judge: the days before the campaign are too few to check the forecast on earlier stretches, "
        "so no verdict on the campaign's {what} is given. Learn from more days before it.",
        "时间太短，无法判断：活动前的天数太少，无法在更早的时段上检验预测，因此不对活动的{what}下结论。请使用更多活动前天数。",
    ),
    "marketing.verdict_mde": (
        "With this much noise, only a lift of about {mde} or more would have been detected (80% of the time).",
        "在这样的波动下，只有约 {mde} 或更大的提升才能被检测到（80% 的把握）。",
    ),
    "marketing.cries_wolf": (
        "Method: {method}. How often it cries wolf on this series: {alarms} of {windows} stretches before the "
        "campaign (no campaign in them) would have been called an effect.",
        "方法：{method}。该方法在此序列上误报的频率：活动前 {windows} 个（无活动的）时段中"
        "有 {alarms} 个会被误判为有效果。",
    ),
    "marketing.method_only": ("Method: {method}.", "方法：{method}。"),
    "marketing.method_regression": ("regression on the days before (weekday pattern, calendar events, controls)",
                                    "基于活动前数据的回归（星期模式、节假日与购物节、对照序列）"),
    "marketing.method_prophet": ("Prophet forecast", "Prophet 预测"),
    "marketing.method_state_space": ("state-space model (local level and weekly pattern)",
                                     "状态空间模型（局部水平与周模式）"),
    "marketing.method_weekday_mean": ("average per weekday", "按星期几的平均值"),
    "marketing.method_mean": ("average", "平均值"),
    "marketing.method_zero": ("no sales before the campaign", "活动前无销售"),
    "marketing.events_excluded": (
        "Left out of the effect: the days of {events}, which the days before the campaign do not hold often enough "
        "to tell the event's own spike from the campaign.",
        "以下日期未计入效果：{events}。活动前的数据中此类活动出现次数太少，无法将其自身的高峰与本次活动区分开。",
    ),
    "marketing.event_spring_festival": ("Spring Festival", "春节"),
    "marketing.event_618": ("618", "618 购物节"),
    "marketing.event_double_11": ("Double 11", "双十一"),
    "marketing.event_double_12": ("Double 12", "双十二"),
    "marketing.overlapping": (
        "Other campaigns ran during these dates: {names}. Their effect cannot be told apart from this one's.",
        "这些日期内还有其他活动：{names}。它们的效果无法与本次活动区分开。",
    ),
    "marketing.what_net_sales": ("sales", "销售额"),
    "marketing.what_orders": ("orders", "订单"),
    "marketing.measure_net_sales": ("Net sales", "净销售额"),
    "marketing.measure_orders": ("Orders", "订单数"),
    "marketing.incremental_roas": ("Incremental ROAS", "增量 ROAS"),
    "marketing.incremental_roas.formula": (
        "Incremental ROAS = incremental net sales (actual − expected) / campaign spend",
        "增量 ROAS = 增量净销售额（实际 − 预期）/ 活动花费",
    ),
    "marketing.effect_failed": (
        "The effect cannot be estimated for this campaign: too little data before or during it in these stores.",
        "无法估计该活动的效果：所选店铺在活动前或活动期间的数据不足。",
    ),
    "marketing.effect_future": ("The campaign has not started yet.", "活动尚未开始。"),
    "marketing.effect_partial": (
        "The campaign is still running: the estimate covers the days with data so far.",
        "活动仍在进行：估计仅覆盖目前已有数据的天数。",
    ),
    # Table headers
    "col.attributed_revenue": ("Attributed revenue", "归因销售额"),
    "col.ctr": ("CTR", "点击率"),
    "col.cpc": ("CPC", "点击成本 CPC"),
    "col.cpm": ("CPM", "千次展示成本 CPM"),
    "col.roas": ("ROAS", "广告回报 ROAS"),
    "col.cpa": ("CPA", "订单成本 CPA"),
    "col.cac": ("CAC", "获客成本 CAC"),
    "col.spend_share": ("Share of spend", "花费占比"),
    "col.platform_conversions": ("Platform conversions", "平台转化数"),
    "col.platform_conversion_rate": ("Platform conversion rate", "平台转化率"),
    "col.budget": ("Budget", "预算"),
    "col.start_date": ("Start", "开始日期"),
    "col.end_date": ("End", "结束日期"),
    "col.objective": ("Objective", "目标"),
    # campaigns.objective codes (the demo's; an imported code the catalogue does not know is shown as it is)
    "objective.acquisition": ("acquisition", "拉新"),
    "objective.conversion": ("conversion", "转化"),
    "objective.awareness": ("awareness", "品牌曝光"),
    "objective.retention": ("retention", "留存"),
    "marketing.platform_conversion_rate.formula": (
        "Platform conversion rate = conversions reported by the ad platform / clicks",
        "平台转化率 = 广告平台报告的转化数 / 点击量",
    ),
    # A/B test calculator
    "marketing.ab_result": ("Read a test", "查看测试结果"),
    "marketing.ab_plan": ("Plan a test", "规划测试"),
    "marketing.confidence": ("Confidence level", "置信水平"),
    "marketing.planned_n": ("Planned visitors per arm (0 = no plan)", "计划每组访客数（0 = 未规划）"),
    "marketing.rate": ("Conversion rate {arm}", "{arm} 组转化率"),
    "marketing.difference": ("Difference (B − A)", "差值（B − A）"),
    "marketing.relative_difference": ("Relative difference", "相对差异"),
    "marketing.points": ("{value} pts", "{value} 个百分点"),
    "marketing.ab_significant": (
        "B converts at {rate_b} vs A's {rate_a}: a difference of {diff} ({confidence} interval {low} to {high}), "
        "{p} by the {test}. The difference is statistically significant.",
        "B 组转化率 {rate_b}，A 组 {rate_a}：差值 {diff}（{confidence} 区间 {low} 至 {high}），{test} {p}。"
        "差异具有统计显著性。",
    ),
    "marketing.ab_not_significant": (
        "B converts at {rate_b} vs A's {rate_a}: a difference of {diff} ({confidence} interval {low} to {high}), "
        "{p} by the {test}. Not significant: the difference could be chance.",
        "B 组转化率 {rate_b}，A 组 {rate_a}：差值 {diff}（{confidence} 区间 {low} 至 {high}），{test} {p}。"
        "差异不显著，可能只是随机波动。",
    ),
    "marketing.test_z": ("two-proportion z-test", "双比例 z 检验"),
    "marketing.test_fisher": ("Fisher's exact test", "Fisher 精确检验"),
    "marketing.fisher_note": (
        "Few conversions (an expected count below 5), so Fisher's exact test gives the p-value; the z-test "
        "would say p = {p}.",
        "转化数较少（期望频数低于 5），因此采用 Fisher 精确检验的 p 值；z 检验的 p 值为 {p}。",
    ),
    "marketing.stopped_early": (
        "Stopped early: {n} of the planned {planned} visitors per arm ({share}). A p-value read before the "
        "planned sample size is not valid, and stopping at the first significant look inflates false positives.",
        "提前停止：每组仅 {n} 位访客，计划为 {planned}（完成 {share}）。在达到计划样本量前读取的 p 值无效，"
        "在首次显著时停止会增加误报。",
    ),
    "marketing.baseline_rate": ("Baseline conversion rate (%)", "基准转化率（%）"),
    "marketing.mde": ("Smallest lift worth detecting (% of the baseline)", "希望检测的最小提升（基准的 %）"),
    "marketing.power": ("Power", "统计功效"),
    "marketing.power_with": (
        "With {n} visitors per arm, the chance of detecting that lift is {power}.",
        "每组 {n} 位访客时，检测到该提升的概率为 {power}。",
    ),
    "marketing.ab_error": ("Check {field}: {problem}", "请检查{field}：{problem}"),
    "marketing.ab_problem.negative": ("it cannot be negative", "不能为负数"),
    "marketing.ab_problem.zero": ("it must be greater than zero", "必须大于零"),
    "marketing.ab_problem.not_integer": ("it must be a whole number", "必须为整数"),
    "marketing.ab_problem.exceeds_visitors": ("conversions cannot exceed visitors", "转化数不能超过访客数"),
    "marketing.ab_problem.out_of_range": ("the rate would fall outside 0–100%", "转化率将超出 0–100% 范围"),
    "marketing.ab_problem.no_difference": ("the lift must not be zero", "提升幅度不能为零"),
    "marketing.ab_field.conv_a": ("conversions of A", "A 组转化数"),
    "marketing.ab_field.conv_b": ("conversions of B", "B 组转化数"),
    "marketing.ab_field.n_a": ("visitors of A", "A 组访客数"),
    "marketing.ab_field.n_b": ("visitors of B", "B 组访客数"),
    "marketing.ab_field.planned_n": ("planned visitors per arm", "计划每组访客数"),
    "marketing.ab_field.baseline_rate": ("the baseline rate", "基准转化率"),
    "marketing.ab_field.min_detectable_effect": ("the smallest lift", "最小提升"),
}
