"""Alerts and the sales-change explanation in plain words, in English or 简体中文 (the string catalogue)."""

from __future__ import annotations

from components.formatting import fmt_change, fmt_money, fmt_number, fmt_percent
from components.i18n import channel_label, data_name, kpi_label, translate

_METRIC_FORMAT = {"net_sales": "money", "aov": "money", "orders": "number", "conversion_rate": "percent"}


def _fmt(kind: str, value, lang: str) -> str:
    if kind == "money":
        return fmt_money(value, lang, decimals=0)
    if kind == "percent":
        return fmt_percent(value, lang)
    return fmt_number(value, lang, decimals=0)


def render_title(alert: dict, lang: str) -> str:
    """The alert's one-line title in `lang`, from its what code and values."""
    v, what = alert["values"], alert["what"]
    store = alert.get("store_id") or ""
    if what.endswith("_drop"):
        metric = v["metric"]
        kind = _METRIC_FORMAT[metric]
        return translate("alerts.title.metric_drop", lang, store=store, metric=kpi_label(metric, lang),
                         value=_fmt(kind, v["value"], lang), expected=_fmt(kind, v["expected"], lang),
                         change=fmt_change(v["change_pct"]))
    if what == "stockout_soon":
        return translate("alerts.title.stockout_soon", lang, sku=alert["sku"],
                         name=data_name(v.get("name"), v.get("name_zh"), lang, ""), store=store,
                         days=v["days_to_stockout"], gap=v["gap_days"],
                         lost=fmt_money(v["lost_sales"], lang, decimals=0))
    if what == "sla_breach":
        return translate("alerts.title.sla_breach", lang, store=store, tickets=v["tickets"])
    if what == "ticket_backlog":
        return translate("alerts.title.ticket_backlog", lang, store=store, days=v["days"], before=v["backlog_before"],
                         after=v["backlog"])
    if what == "low_rating_jump":
        return translate("alerts.title.low_rating_jump", lang, store=store, share=fmt_percent(v["low_share"], lang),
                         before=fmt_percent(v["low_share_before"], lang))
    if what == "product_rating_fall":
        return translate("alerts.title.product_rating_fall", lang, store=store, sku=alert["sku"],
                         rating=f"{v['rating']:.1f}", before=f"{v['rating_before']:.1f}")
    if what == "roas_below_target":
        return translate("alerts.title.roas_below_target", lang, channel=channel_label(v["channel"], lang),
                         roas=f"{v['roas']:.2f}", target=f"{v['target']:.2f}")
    if what == "spend_no_orders":
        return translate("alerts.title.spend_no_orders", lang, channel=channel_label(v["channel"], lang),
                         campaign=v["campaign_id"], spend=fmt_money(v["spend"], lang, decimals=0))
    if what == "competitor_undercut":
        return translate("alerts.title.competitor_undercut", lang, store=store, shop=v["competitor_shop"],
                         title=v["competitor_title"], price=fmt_money(v["competitor_price"], lang),
                         gap=fmt_percent(-v["price_gap"], lang), sku=alert["sku"],
                         own_price=fmt_money(v["own_price"], lang))
    if what in ("shipping_stall", "delivery_stall"):
        return translate(f"alerts.title.{what}", lang, store=store, orders=v["orders"],
                         hours=fmt_number(v["after_hours"], lang, decimals=0),
                         days=fmt_number(v["after_days"], lang, decimals=0), late=v["past_promise"])
    raise ValueError(f"no title for alert {what!r}")


def _factor_value(factor: str, value, lang: str) -> str:
    if factor == "conversion":
        return fmt_percent(value, lang)
    if factor == "aov":
        return fmt_money(value, lang)
    return fmt_number(value, lang)


def explain_sentence(result: dict, lang: str) -> str:
    """'Sales fell ¥12,300 (-8%): conversion in store S03 on Live stream went from 3.1% to 1.9%' in `lang`."""
    change = result["change"]
    if abs(change) < 0.005:
        return translate("alerts.explain.flat", lang)
    key = "alerts.explain.fell" if change < 0 else "alerts.explain.rose"
    pct = result.get("change_pct")
    text = translate(key, lang, amount=fmt_money(abs(change), lang, decimals=0),
                     pct=fmt_change(pct) if pct is not None else "—")
    head = result.get("headline")
    if head:
        factor = head["factor"]
        cell = translate("alerts.explain.cell", lang, factor=translate(f"alerts.factor.{factor}", lang),
                         store=head["store_id"], channel=channel_label(head["channel"], lang),
                         before=_factor_value(factor, head["before"], lang),
                         after=_factor_value(factor, head["after"], lang))
        text += ("：" if lang == "zh" else ": ") + cell
    return text
