"""Strings of the logistics page (物流履约) and its alerts: key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    "page.logistics": ("Logistics & fulfilment", "物流履约"),
    "alerts.kind.fulfilment": ("Fulfilment", "履约"),
    "alerts.title.shipping_stall": (
        "{store}: {orders} paid orders not shipped after {hours} hours ({late} past their promised date)",
        "{store}：{orders} 笔已付款订单超过 {hours} 小时未发货（其中 {late} 笔已过承诺送达日期）",
    ),
    "alerts.title.delivery_stall": (
        "{store}: {orders} parcels not delivered {days} days after shipping ({late} past their promised date)",
        "{store}：{orders} 个包裹发货 {days} 天后仍未签收（其中 {late} 个已过承诺送达日期）",
    ),
    # the demo's couriers (imported carriers are shown as the file names them)
    "carrier.SF Express": ("SF Express", "顺丰速运"),
    "carrier.JD Logistics": ("JD Logistics", "京东物流"),
    "carrier.ZTO Express": ("ZTO Express", "中通快递"),
    "carrier.YTO Express": ("YTO Express", "圆通速递"),
    "carrier.China Post EMS": ("China Post EMS", "中国邮政速递"),
    # sections and tabs
    "logistics.kpis_speed": ("Speed: order → payment → shipment → delivery", "时效：下单 → 付款 → 发货 → 签收"),
    "logistics.kpis_promise": ("Against the promise", "履约达成"),
    "logistics.tab_stuck": ("Stuck orders", "异常订单"),
    "logistics.tab_breakdown": ("Where", "分布对比"),
    "logistics.tab_trend": ("Trend", "趋势"),
    "logistics.tab_effects": ("Effect of delays", "延误影响"),
    "logistics.settings": ("Thresholds", "判定阈值"),
    "logistics.ship_within": ("On-time shipment: shipped within (hours of payment)", "准时发货：付款后多少小时内发货"),
    "logistics.ship_after": ("Stuck: paid, not shipped after (hours)", "异常：付款后超过多少小时未发货"),
    "logistics.deliver_after": ("Stuck: shipped, not delivered after (days)", "异常：发货后超过多少天未签收"),
    "logistics.definitions": (
        "Orders placed in the period, not cancelled, with the times as recorded. On-time shipment: shipped within "
        "{hours} hours of payment (of the orders shipped). On-time delivery: delivered on or before the promised "
        "day (of the orders delivered that had a promised date). Medians and P90 over the orders that have both "
        "times.",
        "统计本期下单且未取消的订单，时间以记录为准。准时发货：付款后 {hours} 小时内发货（占已发货订单）。"
        "准时送达：在承诺送达日当天或之前签收（占有承诺日期的已签收订单）。中位数与 P90 按两个时间都有记录的订单计算。",
    ),
    "logistics.filter_note": (
        "A channel or category pick keeps the orders of that channel or holding a product of that category.",
        "选择渠道或品类后，仅统计该渠道的订单或包含该品类商品的订单。",
    ),
    "logistics.no_times": (
        "These orders carry no shipment or delivery times: import a report with ship and delivery dates to see "
        "fulfilment.",
        "这些订单没有发货或签收时间：请导入带发货与签收日期的报表以查看履约情况。",
    ),
    "logistics.stuck_intro": (
        "Orders stuck at {time}: paid and not shipped after {hours} hours, or shipped and not delivered after "
        "{days} days. Longest waiting first.",
        "截至 {time} 的异常订单：付款超过 {hours} 小时未发货，或发货超过 {days} 天未签收。等待最久的排在最前。",
    ),
    "logistics.stuck_summary": (
        "{awaiting} awaiting shipment, {in_transit} stuck in transit; {late} already past their promised date.",
        "{awaiting} 笔待发货超时，{in_transit} 笔运输超时；其中 {late} 笔已过承诺送达日期。",
    ),
    "logistics.stuck_none": ("No order is stuck. 🎉", "没有异常订单。🎉"),
    "logistics.stuck_shown": ("The first {shown} of {total} are shown; the download holds all of them.",
                              "仅显示前 {shown} 笔（共 {total} 笔），下载文件包含全部。"),
    "logistics.stuck_by": ("Stuck orders by store and stage", "各店铺异常订单"),
    "logistics.by": ("Split by", "对比维度"),
    "logistics.by.store": ("Store", "店铺"),
    "logistics.by.region": ("Delivery region", "收货地区"),
    "logistics.by.channel": ("Channel", "渠道"),
    "logistics.by.carrier": ("Carrier", "物流公司"),
    "logistics.no_carrier": ("No carrier (in store or not shipped)", "无（门店自提或未发货）"),
    "logistics.unknown": ("Not recorded", "未记录"),
    "logistics.slowest": (
        "Lowest on-time delivery: {name}, {rate} on time ({late} late of {n}).",
        "准时送达率最低：{name}，{rate}（{n} 单中 {late} 单晚到）。",
    ),
    "logistics.on_time_chart": ("On-time delivery rate", "准时送达率"),
    "logistics.days_chart": ("Order → delivery, median days", "下单到签收中位天数"),
    "logistics.trend_title": ("On-time rates by order date", "按下单日期的准时率"),
    "logistics.speed_trend": ("Order → delivery days by order date (median and P90)",
                              "按下单日期的下单到签收天数（中位数与 P90）"),
    "logistics.series.shipment": ("On-time shipment", "准时发货"),
    "logistics.series.delivery": ("On-time delivery", "准时送达"),
    "logistics.series.median": ("Median", "中位数"),
    "logistics.series.p90": ("P90", "P90（90 分位）"),
    "logistics.effects_intro": (
        "Orders of the period by how late they arrived: the rating their reviews gave and the share of customers "
        "who ordered again within {days} days. Reviews are the satisfaction page's; recent orders have had less "
        "time to be followed by another.",
        "本期订单按延误程度分组：其评价的平均评分，以及 {days} 天内再次下单的客户占比。评价数据与客户满意度页一致；"
        "近期订单可观察的复购时间较短。",
    ),
    "logistics.effects_finding": (
        "On time: {on_time_rating} ★ and {on_time_repeat} ordered again · late: {late_rating} ★ and {late_repeat}.",
        "准时送达：{on_time_rating} 星，复购 {on_time_repeat} · 晚到：{late_rating} 星，复购 {late_repeat}。",
    ),
    "logistics.to_satisfaction": ("Reviews and tickets on the satisfaction page", "在客户满意度页查看评价与工单"),
    "logistics.stage.awaiting_shipment": ("Awaiting shipment", "待发货超时"),
    "logistics.stage.in_transit": ("Stuck in transit", "运输超时"),
    # KPI names and formulas
    "kpi.on_time_shipment_rate": ("On-time shipment", "准时发货率"),
    "kpi.on_time_shipment_rate.formula": (
        "On-time shipment = orders shipped within the hours set of payment / orders shipped",
        "准时发货率 = 付款后规定小时内发货的订单数 / 已发货订单数",
    ),
    "kpi.on_time_delivery_rate": ("On-time delivery", "准时送达率"),
    "kpi.on_time_delivery_rate.formula": (
        "On-time delivery = orders delivered on or before the promised day / delivered orders with a promised date",
        "准时送达率 = 在承诺日当天或之前签收的订单数 / 有承诺日期的已签收订单数",
    ),
    "kpi.late_deliveries": ("Late deliveries", "晚到订单"),
    "kpi.late_deliveries.formula": (
        "Late deliveries = delivered orders whose delivery date is after the promised date",
        "晚到订单 = 签收日期晚于承诺日期的已签收订单数",
    ),
    "kpi.avg_days_late": ("Days late, mean", "平均晚到天数"),
    "kpi.avg_days_late.formula": (
        "Days late = mean of (delivery date − promised date) over the late deliveries",
        "平均晚到天数 = 晚到订单的（签收日期 − 承诺日期）平均值",
    ),
    "logistics.median_row": ("Median", "中位数"),
    "logistics.p90_row": ("P90: 90% of orders took at most this long", "P90：90% 的订单所用时间不超过此值"),
    "kpi.pay_hours": ("Order → payment", "下单 → 付款"),
    "kpi.pay_hours.formula": ("Order → payment = median of (paid_at − ordered_at)",
                              "下单到付款 = （付款时间 − 下单时间）的中位数"),
    "kpi.pay_hours_p90": ("Order → payment P90", "下单 → 付款 P90"),
    "kpi.pay_hours_p90.formula": ("P90 = the 90th percentile of (paid_at − ordered_at)",
                                  "P90 = （付款时间 − 下单时间）的第 90 百分位数"),
    "kpi.ship_hours": ("Payment → shipment", "付款 → 发货"),
    "kpi.ship_hours.formula": (
        "Payment → shipment = median of (shipped_at − paid_at; the order time if no payment time)",
        "付款到发货 = （发货时间 − 付款时间；无付款时间时用下单时间）的中位数",
    ),
    "kpi.ship_hours_p90": ("Payment → shipment P90", "付款 → 发货 P90"),
    "kpi.ship_hours_p90.formula": (
        "P90 = the 90th percentile of (shipped_at − paid_at; the order time if no payment time)",
        "P90 = （发货时间 − 付款时间；无付款时间时用下单时间）的第 90 百分位数",
    ),
    "kpi.transit_days": ("Shipment → delivery (days)", "发货 → 签收（天）"),
    "kpi.transit_days.formula": (
        "Shipment → delivery = median of (delivered_at − shipped_at), in days",
        "发货到签收 = （签收时间 − 发货时间）的中位数，单位天",
    ),
    "kpi.transit_days_p90": ("Shipment → delivery P90 (days)", "发货 → 签收 P90（天）"),
    "kpi.transit_days_p90.formula": (
        "P90 = the 90th percentile of (delivered_at − shipped_at), in days",
        "P90 = （签收时间 − 发货时间）的第 90 百分位数，单位天",
    ),
    "kpi.delivery_days": ("Order → delivery (days)", "下单 → 签收（天）"),
    "kpi.delivery_days.formula": (
        "Order → delivery = median of (delivered_at − ordered_at), in days",
        "下单到签收 = （签收时间 − 下单时间）的中位数，单位天",
    ),
    "kpi.delivery_days_p90": ("Order → delivery P90 (days)", "下单 → 签收 P90（天）"),
    "kpi.delivery_days_p90.formula": (
        "P90 = the 90th percentile of (delivered_at − ordered_at), in days",
        "P90 = （签收时间 − 下单时间）的第 90 百分位数，单位天",
    ),
    "kpi.avg_shipping_cost": ("Shipping cost / order", "单均运费"),
    "kpi.avg_shipping_cost.formula": (
        "Shipping cost per order = shipping costs / orders that record one",
        "单均运费 = 运费合计 / 有运费记录的订单数",
    ),
    # table columns
    "col.carrier": ("Carrier", "物流公司"),
    "col.shipped": ("Shipped", "已发货"),
    "col.delivered": ("Delivered", "已签收"),
    "col.ordered_at": ("Ordered", "下单时间"),
    "col.paid_at": ("Paid", "付款时间"),
    "col.shipped_at": ("Shipped at", "发货时间"),
    "col.promised_at": ("Promised by", "承诺送达"),
    "col.stage": ("Stuck at", "异常环节"),
    "col.waiting_hours": ("Waiting (hours)", "已等待（小时）"),
    "col.past_promise": ("Past promise", "已超承诺"),
    "col.on_time_shipment_rate": ("On-time shipment", "准时发货率"),
    "col.on_time_delivery_rate": ("On-time delivery", "准时送达率"),
    "col.ship_hours_median": ("Payment → shipment, median h", "付款到发货中位小时"),
    "col.transit_days_median": ("Shipment → delivery, median d", "发货到签收中位天数"),
    "col.delivery_days_median": ("Order → delivery, median d", "下单到签收中位天数"),
    "col.delivery_days_p90": ("Order → delivery, P90 d", "下单到签收 P90 天数"),
    "col.late_deliveries": ("Late", "晚到"),
    "col.avg_days_late": ("Days late (mean)", "平均晚到天数"),
    "col.avg_shipping_cost": ("Shipping cost / order", "单均运费"),
    "col.repeat_rate": ("Ordered again", "复购率"),
    "col.with_customer": ("Orders with a customer", "有客户的订单"),
    "col.repeat_orders": ("Followed by another order", "有复购的订单"),
}
