"""Vocabularies an import maps onto the canonical ids: channels, order statuses, ticket statuses and priorities.

Matching is case- and space-insensitive and knows the English and Chinese labels platforms export
(e.g. 已付款 -> paid, 交易成功 -> delivered, 直播 -> live_stream).
"""

from __future__ import annotations

import pandas as pd

from data_access.schema import CHANNELS, ORDER_STATUSES

_CHANNEL_SYNONYMS = {
    "direct": ("direct traffic", "(direct)", "直接", "直接流量", "自然流量"),
    "organic_search": ("seo", "organic", "search", "自然搜索流量", "搜索"),
    "paid_search": ("sem", "cpc", "ppc", "google ads", "search ads", "直通车", "搜索广告", "百度推广"),
    "organic_social": ("social", "社交", "社交媒体", "微信", "微博", "小红书"),
    "paid_social": ("facebook", "facebook ads", "fb", "meta", "meta ads", "instagram", "tiktok ads",
                    "巨量引擎", "千川", "社交广告", "朋友圈广告"),
    "email": ("e-mail", "newsletter", "edm", "电子邮件", "邮件营销"),
    "sms": ("text message", "短信营销"),
    "affiliates": ("affiliate", "淘宝客", "淘客", "联盟", "分销"),
    "referral": ("referrals", "引荐", "外链"),
    "display": ("banner", "display ads", "钻展", "引力魔方", "展示"),
    "marketplace": ("taobao", "tmall", "jd", "pinduoduo", "amazon", "olist", "淘宝", "天猫", "京东", "拼多多",
                    "平台", "电商"),
    "live_stream": ("live", "livestream", "live streaming", "直播", "抖音直播", "淘宝直播"),
    "kol": ("influencer", "influencers", "达人", "网红", "种草"),
    "offline": ("store", "in-store", "pos", "门店", "线下"),
}

_ORDER_STATUS_SYNONYMS = {
    "pending": ("created", "unpaid", "awaiting payment", "pending payment", "待付款", "等待买家付款", "未付款",
                "待支付"),
    "paid": ("approved", "processing", "invoiced", "awaiting shipment", "已付款", "待发货", "买家已付款",
             "等待卖家发货", "已支付", "付款成功"),
    "shipped": ("sent", "in transit", "dispatched", "已发货", "卖家已发货", "等待买家确认收货", "运输中", "待收货"),
    "delivered": ("completed", "complete", "done", "received", "success", "已完成", "交易成功", "已签收",
                  "已收货", "交易完成"),
    "cancelled": ("canceled", "cancel", "closed", "unavailable", "voided", "已取消", "交易关闭", "订单关闭",
                  "已关闭", "取消"),
    "returned": ("refunded", "return", "refund", "已退款", "退款成功", "已退货", "退货", "退款"),
}
_ORDER_STATUS_ZH = {"pending": "待付款", "paid": "已付款", "shipped": "已发货", "delivered": "已完成",
                    "cancelled": "已取消", "returned": "已退款"}

TICKET_STATUSES = ("open", "pending", "resolved", "closed")
_TICKET_STATUS_SYNONYMS = {
    "open": ("new", "待处理", "处理中", "未处理", "新建", "打开"),
    "pending": ("on hold", "waiting", "等待中", "待回复", "挂起", "等待客户"),
    "resolved": ("solved", "done", "fixed", "已解决", "已处理", "完成"),
    "closed": ("已关闭", "关闭", "结束"),
}

TICKET_PRIORITIES = ("low", "normal", "high", "urgent")
_PRIORITY_SYNONYMS = {
    "low": ("低", "p3", "p4"),
    "normal": ("medium", "med", "regular", "中", "普通", "一般", "p2"),
    "high": ("高", "重要", "p1"),
    "urgent": ("critical", "highest", "紧急", "非常紧急", "p0"),
}


def _key(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").split())


def _lookup(ids: tuple[str, ...], synonyms: dict[str, tuple[str, ...]],
            labels: dict[str, tuple[str, ...]] | None = None) -> dict[str, str]:
    """Normalised label -> canonical id: every id, its labels and synonyms."""
    table: dict[str, str] = {}
    for canonical in ids:
        names = (canonical, *(labels or {}).get(canonical, ()), *synonyms.get(canonical, ()))
        for name in names:
            table[_key(name)] = canonical
    return table


VOCABULARIES: dict[str, dict[str, str]] = {
    "channel": _lookup(tuple(CHANNELS), _CHANNEL_SYNONYMS, {k: v for k, v in CHANNELS.items()}),
    "order_status": _lookup(ORDER_STATUSES, _ORDER_STATUS_SYNONYMS,
                            {k: (v,) for k, v in _ORDER_STATUS_ZH.items()}),
    "ticket_status": _lookup(TICKET_STATUSES, _TICKET_STATUS_SYNONYMS),
    "priority": _lookup(TICKET_PRIORITIES, _PRIORITY_SYNONYMS),
}
#: The canonical ids of each vocabulary, for messages.
ALLOWED: dict[str, tuple[str, ...]] = {"channel": tuple(CHANNELS), "order_status": ORDER_STATUSES,
                                       "ticket_status": TICKET_STATUSES, "priority": TICKET_PRIORITIES}


def to_canonical(values: pd.Series, vocabulary: str) -> tuple[pd.Series, pd.Series]:
    """(canonical ids as a string Series with NA for empty cells, mask of non-empty cells that match nothing)."""
    table = VOCABULARIES[vocabulary]
    text = values.astype("string")
    distinct = text.dropna().unique()
    # Normalise each distinct label once: files repeat a handful of labels over millions of rows.
    lookup = {label: table.get(_key(label)) for label in distinct}
    mapped = text.map(lookup, na_action="ignore").astype("string")
    return mapped, text.notna() & mapped.isna()
