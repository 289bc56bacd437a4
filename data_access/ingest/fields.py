"""The canonical fields of each file kind (names = DESIGN.md's column names) with English and Chinese header
synonyms, used by detection and validation."""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("orders", "order_items", "products", "inventory", "marketing_spend", "reviews", "tickets", "listings",
         "daily_metrics", "conversations")
#: Fields read only to decide what the others mean (data_access.ingest.semantics), never stored.
DECISION_FIELDS = ("gross_total",)
TYPES = ("text", "int", "number", "money", "percent", "date", "datetime", "bool")


@dataclass(frozen=True)
class Field:
    """One canonical field: its column name, value type (one of TYPES), whether a file of the kind must have it,
    and the header names it goes by (lower case; compared after normalise())."""

    name: str
    type: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


def normalise(header: str) -> str:
    """A header name reduced for matching: lower case, no spaces, underscores, dashes, brackets or units."""
    text = str(header).strip().lower()
    text = re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", text)  # (元), [CNY], （件）
    return re.sub(r"[\s_\-./:#：]+", "", text)


_ORDER_ID = ("order_id", "order id", "order no", "order number", "orderid", "订单编号", "订单号", "订单id",
             "主订单编号", "订单编码", "交易编号", "order")
_STORE = ("store_id", "store", "shop", "shop id", "shop name", "store name", "店铺", "店铺id", "店铺名称", "门店",
          "门店编号", "店铺编号")
_CUSTOMER = ("customer_id", "customer", "customer unique id", "buyer", "buyer id", "user id", "member id",
             "买家会员名", "买家昵称", "买家id", "客户id", "会员id", "用户id", "会员名", "客户编号", "买家账号")
_CHANNEL = ("channel", "source", "medium", "platform", "sales channel", "渠道", "来源渠道", "销售渠道", "平台",
            "订单来源", "投放渠道", "媒体", "流量来源")
_SKU = ("sku", "product_id", "product id", "item id", "sku id", "product code", "商品编码", "商家编码",
        "商品id", "货号", "sku编码", "商品sku", "宝贝id", "product", "product name", "商品名称", "商品标题",
        "宝贝标题", "商品")
_CREATED = ("created_at", "created", "create time", "creation date", "created date", "date", "time", "创建时间",
            "提交时间", "时间", "日期")
_CAMPAIGN = ("campaign_id", "campaign", "campaign id", "xyz_campaign_id", "fb_campaign_id", "campaign name",
             "计划id", "推广计划", "计划名称", "活动id", "活动", "推广计划id", "广告计划")

FIELDS: dict[str, tuple[Field, ...]] = {
    "orders": (
        Field("order_id", "text", True, _ORDER_ID),
        Field("ordered_at", "datetime", True, (
            "ordered_at", "order date", "order time", "order_purchase_timestamp", "purchase date", "created at",
            "order created", "date", "订单创建时间", "下单时间", "创建时间", "订单时间", "成交时间", "日期")),
        Field("store_id", "text", False, _STORE),
        Field("customer_id", "text", False, _CUSTOMER),
        Field("channel", "text", False, _CHANNEL),
        Field("campaign_id", "text", False, _CAMPAIGN),
        Field("paid_at", "datetime", False, (
            "paid_at", "payment date", "paid time", "order_approved_at", "payment time", "付款时间", "支付时间")),
        Field("status", "text", False, (
            "status", "order status", "order_status", "state", "订单状态", "状态", "交易状态")),
        Field("paid_total", "money", False, (
            "paid_total", "paid amount", "amount paid", "total paid", "payment value", "total", "order total",
            "amount", "revenue", "sales", "gmv", "买家实际支付金额", "实付金额", "实际支付金额", "支付金额",
            "订单金额", "实收金额", "应付金额", "成交金额", "销售额", "金额", "总金额")),
        # The order's amount before refunds when the file has one beside paid (a profile maps it; never guessed
        # from a header): only used to decide whether paid is net of refunds, not stored.
        Field("gross_total", "money", False, ("gross_total",)),
        Field("refund_total", "money", False, (
            "refund_total", "refund", "refunded", "refund amount", "refunded amount", "退款金额", "退款", "已退款金额",
            "售后退款金额")),
        Field("region", "text", False, (
            "region", "province", "state", "ship state", "customer_state", "收货地址", "省份", "地区", "收货省份",
            "所在地区", "区域", "省")),
        Field("promised_at", "datetime", False, (
            "promised_at", "promised date", "order_estimated_delivery_date", "estimated delivery", "承诺发货时间",
            "预计送达时间")),
        Field("shipped_at", "datetime", False, (
            "shipped_at", "ship date", "shipped date", "order_delivered_carrier_date", "发货时间")),
        Field("delivered_at", "datetime", False, (
            "delivered_at", "delivery date", "delivered date", "order_delivered_customer_date", "确认收货时间",
            "签收时间", "收货时间")),
        Field("carrier", "text", False, (
            "carrier", "shipping carrier", "courier", "carrier name", "物流公司", "快递公司", "承运商", "承运公司")),
        Field("shipping_cost", "money", False, (
            "shipping_cost", "shipping cost", "shipping fee", "freight", "postage", "运费", "邮费", "快递费",
            "买家应付邮费", "物流费用")),
        Field("line_no", "int", False, ("line_no", "line", "line number", "order_item_id", "item no", "行号", "序号")),
        Field("sku", "text", False, _SKU),
        Field("quantity", "int", False, (
            "quantity", "qty", "units", "count", "数量", "购买数量", "商品数量", "件数", "宝贝总数量", "销量")),
        Field("unit_price", "money", False, (
            "unit_price", "price", "unit price", "item price", "单价", "商品单价", "价格", "商品价格", "销售单价")),
        Field("discount", "money", False, (
            "discount", "discount amount", "coupon", "优惠金额", "折扣", "优惠", "店铺优惠", "折扣金额")),
    ),
    "order_items": (
        Field("order_id", "text", True, _ORDER_ID),
        Field("line_no", "int", False, ("line_no", "line", "line number", "order_item_id", "item no", "行号", "序号")),
        Field("sku", "text", True, _SKU),
        Field("quantity", "int", False, ("quantity", "qty", "units", "数量", "购买数量", "商品数量", "件数")),
        Field("unit_price", "money", True, ("unit_price", "price", "unit price", "单价", "商品单价", "价格")),
        Field("discount", "money", False, ("discount", "discount amount", "优惠金额", "折扣", "优惠")),
        Field("returned", "bool", False, ("returned", "is returned", "return", "是否退货", "已退货", "退货")),
    ),
    "products": (
        Field("sku", "text", True, _SKU[:13]),
        Field("name", "text", True, (
            "name", "product name", "title", "product title", "item name", "商品名称", "商品标题", "品名", "名称",
            "宝贝标题", "english name", "英文名称", "商品英文名称")),
        # The Chinese name beside an English one (cross-border catalogues carry both); the Chinese UI shows it.
        Field("name_zh", "text", False, (
            "name_zh", "chinese name", "name (chinese)", "中文名称", "商品中文名称", "中文名", "中文品名", "中文标题")),
        Field("category", "text", False, (
            "category", "product_category_name", "product category", "类目", "分类", "品类", "商品类目", "类别")),
        Field("unit_cost", "money", False, ("unit_cost", "cost", "unit cost", "成本", "成本价", "采购价", "进价")),
        Field("unit_price", "money", False, (
            "unit_price", "price", "retail price", "list price", "售价", "价格", "单价", "零售价", "销售价")),
        Field("lead_time_days", "int", False, (
            "lead_time_days", "lead time", "lead time days", "采购周期", "交货期", "备货周期", "到货天数")),
        Field("supplier", "text", False, ("supplier", "vendor", "供应商", "厂家")),
    ),
    "inventory": (
        Field("snapshot_date", "date", True, (
            "snapshot_date", "date", "snapshot", "stock date", "as of", "日期", "盘点日期", "快照日期", "库存日期")),
        Field("store_id", "text", False, _STORE + ("warehouse", "仓库", "仓库名称")),
        Field("sku", "text", True, _SKU[:13]),
        Field("on_hand", "int", True, (
            "on_hand", "stock", "on hand", "quantity on hand", "inventory", "available", "qty", "库存", "可用库存",
            "现有库存", "库存数量", "在库", "实际库存", "库存量")),
        Field("on_order", "int", False, ("on_order", "on order", "incoming", "in transit", "在途", "在途库存",
                                         "采购在途")),
        Field("expected_arrival", "date", False, (
            "expected_arrival", "expected arrival", "eta", "arrival date", "expected date", "预计到货",
            "预计到货日期", "到货日期")),
    ),
    "marketing_spend": (
        Field("day", "date", True, (
            "day", "date", "reporting starts", "report date", "日期", "投放日期", "时间", "统计日期")),
        Field("channel", "text", True, _CHANNEL),
        Field("campaign_id", "text", False, _CAMPAIGN),
        Field("spend", "money", True, (
            "spend", "spent", "cost", "amount spent", "ad spend", "amount spent (usd)", "消耗", "花费", "广告消耗",
            "成本", "花费金额", "投放金额", "消费")),
        Field("impressions", "int", False, (
            "impressions", "impr", "impr.", "views", "展现量", "曝光量", "展示次数", "展现数", "曝光", "展现")),
        Field("clicks", "int", False, (
            "clicks", "link clicks", "点击量", "点击数", "点击次数", "点击")),
        Field("conversions", "int", False, (
            "conversions", "total_conversion", "total conversions", "results", "purchases", "approved_conversion",
            "转化数", "成交笔数", "转化量", "转化", "成交订单数")),
    ),
    "reviews": (
        Field("review_id", "text", True, (
            "review_id", "review id", "id", "评价id", "评论id", "评价编号")),
        Field("order_id", "text", False, _ORDER_ID[:-1]),
        Field("store_id", "text", False, _STORE),
        Field("sku", "text", False, _SKU[:13]),
        Field("created_at", "datetime", True, ("review_creation_date", "review date", "reviewed at",
                                               "评价时间", "评论时间") + _CREATED),
        Field("rating", "int", True, (
            "rating", "review_score", "score", "stars", "star rating", "评分", "星级", "评价星级", "商品评分",
            "评价分数", "打分")),
        Field("nps", "int", False, ("nps", "nps score", "recommend score", "推荐度", "净推荐值")),
        Field("comment", "text", False, (
            "comment", "review", "review text", "review_comment_message", "text", "body", "content", "评价内容",
            "评论内容", "评价", "评论", "内容")),
    ),
    "tickets": (
        Field("ticket_id", "text", True, ("ticket_id", "ticket id", "ticket", "case id", "工单号", "工单编号",
                                          "工单id", "服务单号")),
        Field("store_id", "text", False, _STORE),
        Field("customer_id", "text", False, _CUSTOMER),
        Field("order_id", "text", False, _ORDER_ID[:-1]),
        Field("channel", "text", False, ("channel", "source", "via", "渠道", "来源", "接入渠道")),
        Field("category", "text", False, ("category", "type", "topic", "reason", "类别", "问题类型", "分类",
                                          "工单类型")),
        Field("priority", "text", False, ("priority", "urgency", "优先级", "紧急程度")),
        Field("created_at", "datetime", True, ("opened at", "submitted at") + _CREATED),
        Field("first_response_at", "datetime", False, (
            "first_response_at", "first response", "first reply", "first response time", "首次响应时间", "首响时间")),
        Field("resolved_at", "datetime", False, (
            "resolved_at", "resolved", "closed at", "solved at", "resolution time", "解决时间", "完结时间",
            "关闭时间")),
        Field("status", "text", True, ("status", "state", "ticket status", "状态", "工单状态")),
        Field("csat", "int", False, ("csat", "satisfaction", "satisfaction rating", "满意度", "满意度评分")),
    ),
    # Listing snapshots of a marketplace (ours and competitors' items), one row per item per snapshot.
    "listings": (
        Field("observed_at", "date", True, (
            "observed_at", "snapshot date", "snapshot", "observed", "crawl date", "crawled at", "scraped at",
            "date", "日期", "统计日期", "采集日期", "快照日期", "抓取日期", "抓取时间", "采集时间")),
        Field("source", "text", False, ("source", "platform", "marketplace", "平台", "来源平台")),
        Field("item_id", "text", True, (
            "item_id", "item id", "asin", "listing id", "product id", "goods id", "itemid", "商品id", "宝贝id",
            "商品编号", "链接id")),
        Field("title", "text", True, (
            "title", "product title", "item title", "listing title", "product name", "item name", "name",
            "商品标题", "商品名称", "宝贝标题", "标题", "商品")),
        Field("shop", "text", False, (
            "shop", "shop name", "store", "store name", "seller", "seller name", "店铺", "店铺名称", "卖家",
            "商家", "店铺名")),
        Field("brand", "text", False, ("brand", "brand name", "品牌", "品牌名称")),
        Field("category", "text", False, ("category", "product category", "类目", "品类", "分类", "商品类目")),
        Field("keyword", "text", False, ("keyword", "search term", "search keyword", "query", "关键词", "搜索词")),
        Field("price", "money", True, (
            "price", "current price", "sale price", "selling price", "价格", "售价", "现价", "到手价", "促销价",
            "券后价", "成交价")),
        Field("list_price", "money", False, (
            "list_price", "list price", "original price", "regular price", "was price", "原价", "划线价",
            "吊牌价")),
        Field("sales_count", "int", False, (
            "sales_count", "sales", "units sold", "sold", "sales volume", "monthly sales", "sold count",
            "bought in past month", "销量", "月销量", "付款人数", "总销量", "已售", "累计销量", "销售量", "收货人数")),
        Field("review_count", "int", False, (
            "review_count", "reviews", "review count", "ratings", "rating count", "number of reviews", "评价数",
            "评论数", "累计评价", "评价人数")),
        # Our own items only: the store that sells it (else the shop name decides) and our SKU.
        Field("store_id", "text", False, ("store_id", "our store", "本店门店")),
        Field("sku", "text", False, ("sku", "our sku", "seller sku", "商家编码", "货号")),
    ),
    # Aggregated analytics reports: 生意参谋 (访客数, 支付金额, 支付转化率, 客单价), Shopify/GA4 daily reports,
    # weekly sales per store (Walmart), a marketing-mix series (Robyn's DATE, revenue).
    "daily_metrics": (
        Field("day", "date", True, (
            "day", "date", "ds", "week", "report date", "统计日期", "日期", "时间")),
        Field("store_id", "text", False, _STORE),
        Field("channel", "text", False, _CHANNEL),
        Field("visitors", "int", False, (
            "visitors", "unique visitors", "uv", "users", "sessions", "访客数", "访客", "店铺访客数")),
        Field("page_views", "int", False, ("page views", "pageviews", "pv", "views", "浏览量", "页面浏览量")),
        Field("orders", "int", False, (
            "orders", "order count", "transactions", "支付订单数", "订单数", "支付子订单数", "成交订单数")),
        Field("buyers", "int", False, ("buyers", "customers", "paying customers", "支付买家数", "买家数",
                                       "成交人数")),
        Field("net_sales", "money", True, (
            "net sales", "sales", "revenue", "total sales", "weekly sales", "daily sales", "gmv", "y", "支付金额",
            "销售额", "成交金额", "营业额")),
        Field("conversion_rate", "percent", False, (
            "conversion rate", "conversion", "cvr", "支付转化率", "转化率", "成交转化率")),
        Field("aov", "money", False, ("aov", "average order value", "客单价")),
    ),
    # Support conversation exports, one row per message; threads become tickets (data_access.ingest.threads).
    "conversations": (
        Field("conversation_id", "text", False, (
            "conversation_id", "conversation id", "conversation", "thread id", "thread", "chat id", "session id",
            "会话id", "会话编号", "对话id", "会话")),
        Field("message_id", "text", False, ("message_id", "message id", "msg id", "消息id", "消息编号")),
        Field("in_reply_to", "text", False, (
            "in_reply_to", "in reply to", "reply to", "reply to id", "parent id", "parent message id", "回复消息id",
            "回复id")),
        Field("author", "text", True, (
            "author", "sender", "from", "author type", "sender type", "role", "speaker", "发送方", "发送者", "发送人",
            "角色", "说话人")),
        Field("sent_at", "datetime", True, (
            "sent_at", "sent at", "timestamp", "message time", "created at", "time", "date", "发送时间", "消息时间",
            "时间")),
        Field("body", "text", False, ("body", "message", "text", "content", "message text", "消息内容", "内容",
                                      "聊天内容")),
        Field("store_id", "text", False, _STORE),
        Field("customer_id", "text", False, _CUSTOMER[:-1]),
        Field("channel", "text", False, ("channel", "source", "via", "渠道", "来源", "接入渠道")),
    ),
}


def field(kind: str, name: str) -> Field:
    """The Field of kind called name (KeyError if there is none)."""
    for candidate in FIELDS[kind]:
        if candidate.name == name:
            return candidate
    raise KeyError(f"{kind}.{name}")


def required_fields(kind: str) -> tuple[str, ...]:
    """Names of the fields a file of kind must map."""
    return tuple(f.name for f in FIELDS[kind] if f.required)
