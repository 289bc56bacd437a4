"""Strings of the inventory forecast page (库存预测): key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    "inventory.forecast": ("Demand forecast", "需求预测"),
    "inventory.horizon": ("Forecast horizon (days)", "预测天数"),
    "inventory.service_level": ("Service level", "服务水平"),
    "inventory.abc_class": ("ABC class", "ABC 分类"),
    "inventory.xyz_class": ("XYZ class", "XYZ 分类"),
    "inventory.lead_time": ("Lead time (days)", "交货周期（天）"),
    "inventory.review_period": ("Review period (days)", "检查周期（天）"),
    "inventory.on_hand": ("On hand", "现有库存"),
    "inventory.on_order": ("On order", "在途库存"),
    "inventory.reorder_list": ("Reorder suggestions", "补货建议"),
    "inventory.no_forecast": (
        "No forecast run yet. Run the batch forecast first.",
        "尚无预测结果，请先运行批量预测。",
    ),
    "inventory.actual": ("Actual", "实际"),
    "inventory.forecast_band": ("Forecast (80% interval)", "预测（80% 区间）"),
}
