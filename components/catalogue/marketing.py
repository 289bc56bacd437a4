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
}
