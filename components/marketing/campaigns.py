"""The campaigns tab: campaign results in the period, and one campaign's effect (actual vs counterfactual)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data
from components.chart_render import show_chart
from components.formatting import fmt_date, fmt_money, fmt_number
from components.i18n import channel_label, code_label, kpi_formula
from components.lang import current_lang, t
from components.marketing import charts
from components.marketing.logic import (
    CAMPAIGN_LIST_DAYS,
    CAMPAIGN_TABLE,
    DEFAULT_PRE_DAYS,
    campaign_frames,
    campaign_window,
    effect_chart_frame,
    effect_window,
    formula,
    is_weekly,
)
from components.marketing.sections import SPEND_COLUMNS, table, visible_columns
from components.marketing.verdict import claims_effect, effect_facts, overlap_text, verdict_text
from components.tables import COLUMN_KINDS, format_cell
from components.text import t_md
from data_access import lookups
from data_access.filters import Filters
from data_access.marketing import queries as mq
from forecasting.campaign import CampaignEffect, estimate_effect, incremental_roas

#: What the campaign view shows of the campaign's own dates.
RESULT_FIGURES = ["spend", "orders", "attributed_revenue", "roas", "cpa", "platform_conversion_rate"]


@st.cache_data(ttl=data.TTL_SECONDS, show_spinner=False, max_entries=64)
def _estimate(trend: pd.DataFrame, freq: str, channel: str | None, measure: str, pre: tuple,
              post: tuple, country: str) -> CampaignEffect | None:
    # Not a query: the model fit takes seconds. Keyed by the trend it is given (read through data.run, so the
    # store scope already decided it) and the shop's country, whose calendar says which post-period days are a
    # known event rather than the campaign; None when the data cannot carry an estimate.
    series, controls = campaign_frames(trend, channel, measure, pre[0], post[1], freq)
    try:
        return estimate_effect(series, pre, post, controls=controls, holidays=country)
    except (ValueError, RuntimeError):  # too little data, or a model that cannot be fitted to it
        return None


def _effect_trend(span: Filters) -> tuple[pd.DataFrame, str]:
    """The channel trend of the effect's window by day, or by week when the data is weekly, and its frequency."""
    trend = data.run(mq.channel_trend, span, grain="day")
    if is_weekly(trend):
        return data.run(mq.channel_trend, span, grain="week"), "W-MON"
    return trend, "D"


def campaigns(f: Filters) -> None:
    """Campaign results of the period, then the picked campaign's view."""
    lang = current_lang()
    window = campaign_window(f)
    st.markdown(f"**{t('marketing.campaign_table')}**")
    if window.start < f.start:
        st.caption(t("marketing.campaign_window", start=fmt_date(window.start, lang), end=fmt_date(window.end, lang),
                     days=CAMPAIGN_LIST_DAYS))
    performance = data.run(mq.campaign_performance, window)
    performance["channel"] = performance["channel"].map(lambda c: channel_label(c, lang) if isinstance(c, str) else c)
    for col in ("start_date", "end_date"):
        performance[col] = performance[col].dt.date
    table(performance[visible_columns(CAMPAIGN_TABLE, f)], key="mkt_campaigns",
          file_stem=f"campaigns-{window.start}-{window.end}")
    listed = data.run(mq.campaigns_in_period, window)
    st.subheader(t("marketing.campaign_effect"))
    if listed.empty:
        st.info(t("marketing.no_campaigns"))
        return
    rows = listed.set_index("campaign_id")
    pick = st.selectbox(t("marketing.campaign_pick"), list(rows.index), key="mkt_campaign",
                        format_func=lambda c: t("marketing.campaign_option", name=rows.at[c, "name"],
                                                start=fmt_date(rows.at[c, "start_date"], lang, "short"),
                                                end=fmt_date(rows.at[c, "end_date"], lang)))
    campaign_view(f, rows.loc[pick], pick)


def campaign_view(f: Filters, row: pd.Series, campaign_id: str) -> None:
    """One campaign: what it cost and brought during its dates, and its estimated effect."""
    lang = current_lang()
    start, end = row["start_date"].date(), row["end_date"].date()
    channel = row["channel"] if isinstance(row["channel"], str) else None
    st.caption(t_md("marketing.campaign_meta", channel=channel_label(channel, lang) if channel else "—",
                    start=fmt_date(start, lang), end=fmt_date(end, lang), days=(end - start).days + 1,
                    budget=fmt_money(row["budget"], lang), objective=code_label("objective", row["objective"], lang)))
    results = data.run(mq.campaign_performance, f.with_dates(start, end), campaign_id=campaign_id)
    spend = float(results.at[0, "spend"]) if not results.empty else float("nan")
    st.markdown(f"**{t('marketing.results_during')}**")
    shown = RESULT_FIGURES if mq.spend_applies(f) else [c for c in RESULT_FIGURES if c not in SPEND_COLUMNS]
    # no row: nothing spent or sold under this campaign in these stores (ratios stay undefined)
    values = results.iloc[0] if not results.empty else pd.Series({"spend": 0.0, "orders": 0, "attributed_revenue": 0.0})
    for figures in (shown[:3], shown[3:]):  # rows of three: money figures fit their cards
        for col, name in zip(st.columns(3), figures, strict=False):
            col.metric(t(f"col.{name}"), format_cell(values.get(name), COLUMN_KINDS[name], lang),
                       help=formula(name, lang) or kpi_formula(name, lang) or None, border=True)
    stores = mq.effect_stores(row["stores"], f)
    if row["stores"] is not None:
        st.caption(t_md("marketing.campaign_stores", stores=", ".join(stores or row["stores"])))
    during = data.run(mq.campaigns_in_period, f.with_dates(start, end))
    overlap = overlap_text(during[during["campaign_id"] != campaign_id], lang)
    if overlap:
        st.warning(overlap)
    _effect(f, start, end, channel, spend, stores)


def _effect(f: Filters, start, end, channel: str | None, spend: float, stores: tuple[str, ...] | None) -> None:
    """The effect in the campaign's own stores within the selection (a local campaign diluted by every other
    store's sales would hide its lift)."""
    lang = current_lang()
    left, right = st.columns(2)
    measure = left.segmented_control(t("marketing.effect_measure"), ["net_sales", "orders"], default="net_sales",
                                     format_func=lambda m: t(f"marketing.measure_{m}"),
                                     key=f"mkt_effect_measure_{lang}") or "net_sales"
    # Streamlit drops a widget's state on runs that do not draw it (another tab open, a language switch): the
    # choice is kept under a key of its own so it survives them.
    pre_days = int(right.number_input(t("marketing.pre_days"), min_value=14, max_value=365,
                                      value=st.session_state.get("mkt_pre_days_kept", DEFAULT_PRE_DAYS), step=7,
                                      key="mkt_pre_days"))
    st.session_state["mkt_pre_days_kept"] = pre_days
    span = data.run(lookups.order_date_range, Filters.all_time(stores))
    window = effect_window(start, end, pre_days, span[1] if span else None)
    if window is None:
        st.info(t("marketing.effect_future"))
        return
    pre, post = window
    if post[1] < end:
        st.caption(t("marketing.effect_partial"))
    with st.spinner(t("msg.loading")):
        span = Filters(pre[0], post[1], stores=stores)
        effect = _estimate(*_effect_trend(span), channel, measure, pre, post, data.run(data.shop_country, span,
                                                                                        ttl="run"))
    if effect is None:
        st.warning(t("marketing.effect_failed"))
        return
    (st.success if claims_effect(effect) else st.info)(verdict_text(effect, measure, lang))
    st.caption("  \n".join(effect_facts(effect, lang)))
    if measure == "net_sales" and mq.spend_applies(f):
        st.metric(t("marketing.incremental_roas"), fmt_number(incremental_roas(effect.cumulative_effect, spend), lang,
                                                              decimals=2),
                  help=t("marketing.incremental_roas.formula"))
    st.caption(t("marketing.effect_help"))
    daily = effect_chart_frame(effect.daily)
    started = pd.Timestamp(start)
    y_title = t(f"marketing.measure_{measure}")
    show_chart(charts.actual_vs_expected, daily, start=started, actual_label=t("marketing.actual"),
               expected_label=t("marketing.counterfactual"), y_title=y_title,
               start_label=t("marketing.campaign_start"), draw={"width": "stretch"})
    for value, lower, upper, title in (("effect", "effect_lower", "effect_upper", "marketing.pointwise_effect"),
                                       ("cumulative_effect", "cumulative_lower", "cumulative_upper",
                                        "marketing.cumulative_effect")):
        show_chart(charts.effect_band, daily, value=value, lower=lower, upper=upper, start=started,
                   y_title=t(title), start_label=t("marketing.campaign_start"),
                   draw={"width": "stretch"})
