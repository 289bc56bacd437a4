"""Strings of the inventory forecast page (库存预测): key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    "inventory.forecast": ("Demand forecast", "需求预测"),
    "inventory.horizon": ("Forecast horizon (days)", "预测天数"),
    "inventory.service_level": ("Service level", "服务水平"),
    "inventory.service_level_for": ("Service level, class {abc}", "{abc} 类服务水平"),
    "inventory.abc_class": ("ABC class", "ABC 分类"),
    "inventory.xyz_class": ("XYZ class", "XYZ 分类"),
    "inventory.lead_time": ("Lead time (days)", "交货周期（天）"),
    "inventory.review_period": ("Review period (days)", "检查周期（天）"),
    "inventory.on_hand": ("On hand", "现有库存"),
    "inventory.on_order": ("On order", "在途库存"),
    "inventory.reorder_list": ("Reorder suggestions", "补货建议"),
    "inventory.no_forecast": (
        "No forecast run yet: start one with \"Refresh forecasts\" above.",
        "尚无预测结果：请点击上方的“刷新预测”开始。",
    ),
    "inventory.actual": ("Actual", "实际"),
    "inventory.forecast_band": ("Forecast (80% interval)", "预测（80% 区间）"),
    "inventory.run_caption": (
        "Forecast run of {finished}: {series} store × SKU series in {seconds} s ({failed} failed), history up to "
        "{history_end}, {horizon} days ahead.",
        "预测批次 {finished}：{series} 个门店 × SKU 序列，用时 {seconds} 秒（失败 {failed} 个），历史数据截至 "
        "{history_end}，预测未来 {horizon} 天。",
    ),
    "inventory.method": (
        "How it forecasts: Prophet (with the shop's public holidays and 618, Double 11, Double 12 and Spring "
        "Festival) is fitted on each category's daily demand. Every store × SKU then has candidates: that forecast "
        "shared out by the series' share of the last 56 days, the 28-day moving average, and the series' own level "
        "(TSB, Croston, moving average) times the shape of its category's forecast (weekdays and events). Each "
        "series ships the candidate with the lowest error (MASE; for intermittent series, the error of the "
        "cumulative demand over the lead time) on three rolling backtests, or the three best combined when none is "
        "clearly ahead. Days that ended out of stock are not read as zero demand.",
        "预测方法：按品类的日需求拟合 Prophet（含本店所在国家的法定节假日及 618、双 11、双 12、春节）。每个门店 × SKU "
        "的候选预测包括：按近 56 天需求占比分配的品类预测、28 天移动平均，以及该序列自身水平（TSB、Croston、"
        "移动平均）乘以所属品类预测的走势（星期规律与活动）。每个序列在三个滚动回测窗口上选取误差（MASE；间歇性"
        "序列按提前期累计需求的误差）最低的候选；若没有明显最优者，则取最好的三个加权组合。断货当天的销量不会被当作零需求。",
    ),
    "inventory.stale_run": (
        "The latest forecast run ends on {history_end}, before the stock snapshot of {snapshot}: run the batch "
        "forecast again for current advice.",
        "最新预测批次截至 {history_end}，早于库存快照 {snapshot}：请重新运行批量预测以获得最新建议。",
    ),
    "inventory.method_title": ("How the forecast works", "预测方法说明"),
    "inventory.settings": ("Policy settings", "补货策略设置"),
    "inventory.settings_help": (
        "Service level = the chance of not running out during a lead time; higher levels hold more safety stock.",
        "服务水平 = 补货周期内不断货的概率；服务水平越高，安全库存越多。",
    ),
    "inventory.kpi_at_risk": ("Stock-outs within lead time", "交货期内将断货"),
    "inventory.kpi_at_risk_help": (
        "Store × SKU whose projected stock-out date (on hand used up by the forecast demand) falls within its "
        "supplier lead time",
        "预计断货日期（现有库存被预测需求耗尽之日）在供应商交货周期之内的门店 × SKU 数",
    ),
    "inventory.kpi_reorder": ("Reorder suggestions", "补货建议数"),
    "inventory.kpi_overstock": ("Overstocked", "库存积压"),
    "inventory.kpi_overstock_help": (
        "Days of cover above {factor}× the target (lead time + review period), or stock that sold nothing in 28 days",
        "可售天数超过目标（交货周期 + 检查周期）的 {factor} 倍，或近 28 天无销量但仍有库存",
    ),
    "inventory.kpi_mase": ("Forecast error (MASE)", "预测误差（MASE）"),
    "inventory.kpi_mase_help": (
        "MASE = mean absolute error / in-sample mean absolute error of the lag-7 naive forecast, on backtests "
        "(lower is better; below 1 beats that naive forecast). The delta compares with the best single baseline.",
        "MASE = 平均绝对误差 / 样本内滞后 7 天朴素预测的平均绝对误差（回测；越低越好，低于 1 即优于朴素预测）。"
        "变化值为与最佳单一基准方法的比较。",
    ),
    "inventory.tab_risk": ("Stock-out risk", "断货风险"),
    "inventory.tab_sku": ("SKU view", "单品视图"),
    "inventory.tab_reorder": ("Reorder list", "补货清单"),
    "inventory.tab_overstock": ("Overstock", "库存积压"),
    "inventory.tab_accuracy": ("Forecast accuracy", "预测准确度"),
    "inventory.risk_caption": (
        "Store × SKU projected to run out within the forecast horizon, soonest first.",
        "预测期内预计断货的门店 × SKU，按断货日期由近到远排列。",
    ),
    "inventory.no_risk": (
        "Nothing is projected to run out within the forecast horizon.",
        "预测期内没有预计断货的商品。",
    ),
    "inventory.reorder_caption": (
        "Suggested order = max(0, reorder point + forecast demand over the review period − on hand − on order).",
        "建议补货量 = max(0, 再订货点 + 检查周期内预测需求 − 现有库存 − 在途库存)。",
    ),
    "inventory.no_reorder": ("No reorder needed right now.", "目前无需补货。"),
    "inventory.overstock_caption": (
        "Days of cover above {factor}× the target cover (lead time + review period), or no sales in 28 days.",
        "可售天数超过目标（交货周期 + 检查周期）的 {factor} 倍，或近 28 天无销量。",
    ),
    "inventory.no_overstock": ("No overstocked items.", "没有库存积压的商品。"),
    "inventory.pick_store": ("Store", "门店"),
    "inventory.pick_sku": ("SKU", "商品"),
    "inventory.forecast_now": ("Forecast this SKU now", "立即预测该商品"),
    "inventory.forecasting": ("Backtesting models and forecasting this SKU…", "正在回测并预测该商品…"),
    "inventory.on_demand_caption": (
        "Fresh forecast from this store × SKU's own history: model {model}, chosen by backtest.",
        "基于该门店 × SKU 自身历史的即时预测：模型为 {model}（由回测选出）。",
    ),
    "inventory.run_forecast_caption": ("Forecast from the batch run: model {model}.", "批量预测结果：模型为 {model}。"),
    "inventory.no_series": ("No history for this store × SKU.", "该门店 × SKU 没有历史数据。"),
    "inventory.demand_chart": ("Daily demand: history and forecast", "日需求：历史与预测"),
    "inventory.stock_chart": ("Stock on hand: history and projection", "库存：历史与预测"),
    "inventory.stockout_day": ("Stock-out day (demand censored)", "断货日（需求被截断）"),
    "inventory.projected_stock": ("Projected on hand", "预计库存"),
    "inventory.arrival_caption": (
        "Projection: {on_order} units on order arrive on {date} (expected date).",
        "预测：在途 {on_order} 件预计于 {date} 到货。"),
    "inventory.arrival_late_caption": (
        "Projection: {on_order} units on order were expected on {date} and are late; counted from tomorrow.",
        "预测：在途 {on_order} 件原定 {date} 到货，已延迟；按明天到货计算。"),
    "inventory.arrival_unknown_caption": (
        "{on_order} units are on order but the data has no expected arrival date: the projection leaves them out.",
        "有在途 {on_order} 件，但数据中没有预计到货日期：预测未计入这部分。"),
    "inventory.stock_history": ("On hand", "实际库存"),
    "inventory.reorder_point_line": ("Reorder point", "再订货点"),
    "inventory.reorder_basis.lead_time_quantile": (
        "This SKU: the {level} quantile of its demand over {lead} days, from this run's lead-time demand "
        "distribution.",
        "本 SKU：其 {lead} 天需求的 {level} 分位数，来自本次预测的交货周期需求分布。"),
    "inventory.reorder_basis.normal": (
        "This SKU: mean demand over {lead} days + z × σ × √{lead} (this run has no lead-time demand distribution "
        "for it).",
        "本 SKU：{lead} 天平均需求 + z × σ × √{lead}（本次预测没有该 SKU 的交货周期需求分布）。"),
    "inventory.units_per_day": ("Units per day", "每日件数"),
    "inventory.units": ("Units", "件数"),
    "inventory.no_stockout": ("not within the horizon", "预测期内不会断货"),
    "inventory.out_now": ("Out now", "已断货"),
    "inventory.accuracy_caption": (
        "Rolling-origin backtest of the current run over your stores' series: two 28-day windows, scored on "
        "in-stock days. MASE and sMAPE are means over series; bias = (forecast − actual) / actual over all "
        "scored days; coverage = share of actual days inside the 80% interval. 'Shipped' is the per-series choice.",
        "当前批次在您可见门店序列上的滚动回测：两个 28 天窗口，只计有货的日子。MASE、sMAPE 为各序列均值；"
        "偏差 = (预测 − 实际) / 实际（全部计分日合计）；覆盖率 = 实际值落在 80% 区间内的比例。"
        "“实际采用”为逐序列选择的结果。",
    ),
    "inventory.model_mix": ("Model chosen per series", "各序列选用的模型"),
    "inventory.series": ("Series", "序列数"),
    "inventory.failures": ("Skipped in this run", "本批次跳过的项"),
    "inventory.filter_abc": ("ABC", "ABC 分类"),
    "inventory.filter_xyz": ("XYZ", "XYZ 分类"),
    "inventory.model.shipped": ("Shipped (best per series)", "实际采用（逐序列最佳）"),
    "inventory.model.prophet_topdown": ("Prophet by category, shared down", "Prophet 品类预测按占比分配"),
    "inventory.model.seasonal_naive": ("Seasonal naive (last week)", "季节朴素法（上周同日）"),
    "inventory.model.moving_average": ("Moving average (28 days)", "移动平均（28 天）"),
    "inventory.model.zero": ("Zero (never sold)", "零（从未售出）"),
    "inventory.model.no_forecast": ("No forecast in this run: recent sales", "本次运行无预测：按近期销量"),
    "inventory.model.prophet": ("Prophet", "Prophet 模型"),
    "inventory.model.prophet_ensemble": ("Prophet + seasonal naive", "Prophet 与季节朴素法组合"),
    "inventory.model.croston_sba": ("Croston (intermittent demand)", "Croston 法（间歇性需求）"),
    "inventory.model.recent_mean": ("Recent mean (short history)", "近期均值（历史较短）"),
    "inventory.model.selected": ("Chosen per series", "逐序列选择"),
    "inventory.model.combination": ("Combination of the best models", "最佳模型组合"),
    "inventory.model.adida": ("ADIDA (intermittent demand)", "ADIDA 法（间歇性需求）"),
    "inventory.model.imapa": ("IMAPA (intermittent demand)", "IMAPA 法（间歇性需求）"),
    "inventory.model.tsb": ("TSB (intermittent demand)", "TSB 法（间歇性需求）"),
    "inventory.model.auto_ets": ("Exponential smoothing (AutoETS)", "指数平滑（AutoETS）"),
    "inventory.model.auto_theta": ("Theta method (AutoTheta)", "Theta 法（AutoTheta）"),
    "inventory.model.mstl": ("Seasonal decomposition (MSTL)", "季节分解（MSTL）"),
    "inventory.model.tsb_weekday": ("TSB × weekday pattern", "TSB 法 × 星期规律"),
    "inventory.model.moving_average_weekday": ("Moving average × weekday pattern", "移动平均 × 星期规律"),
    "inventory.model.croston_sba_weekday": ("Croston × weekday pattern", "Croston 法 × 星期规律"),
    "inventory.model.tsb_category_shape": ("TSB × category forecast shape", "TSB 法 × 品类预测走势"),
    "inventory.model.moving_average_category_shape": ("Moving average × category forecast shape",
                                                      "移动平均 × 品类预测走势"),
    "inventory.model.croston_sba_category_shape": ("Croston × category forecast shape",
                                                   "Croston 法 × 品类预测走势"),
    "col.stockout_date": ("Stock-out date", "预计断货日"),
    "col.days_to_stockout": ("Days to stock-out", "距断货天数"),
    "col.forecast_model": ("Model", "模型"),
    "col.service_level": ("Service level", "服务水平"),
    "col.mean_daily_demand": ("Forecast units/day", "预测日均需求"),
    "col.target_cover_days": ("Target cover (days)", "目标可售天数"),
    "col.n_series": ("Series scored", "计分序列数"),
    "col.n_chosen": ("Chosen for", "被选用序列数"),
    "col.mase": ("MASE", "MASE 误差"),
    "col.smape": ("sMAPE", "sMAPE 误差"),
    "col.bias_pct": ("Bias", "偏差"),
    "col.interval_coverage": ("80% coverage", "80% 区间覆盖率"),
    "col.failed_stage": ("Stage", "阶段"),
    "col.failed_series": ("Series", "序列"),
    "col.failure_reason": ("Error", "错误原因"),
}
