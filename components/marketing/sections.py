"""Sections of the marketing page: KPI cards with the rules stated, the channel comparison (pages/marketing.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data
from components.chart_render import show_chart
from components.charts import lines_by_series
from components.i18n import channel_label
from components.kpi import kpi_row
from components.lang import current_lang, t
from components.marketing import charts
from components.marketing.logic import CHANNEL_TABLE, formula, has_activity, total_cards
from components.sales.logic import partial_buckets
from components.tables import data_table
from data_access.filters import Filters
from data_access.marketing import queries as mq
from data_access.periods import default_grain

#: Columns that need shop-wide spend: left out of the tables for a store selection.
SPEND_COLUMNS = {"spend", "impressions", "clicks", "ctr", "cpc", "cpm", "roas", "cpa", "cac", "spend_share",
                 "platform_conversions", "platform_conversion_rate"}
#: Lines in the trend chart: the channels with the largest totals of the measure (more lines are unreadable).
TREND_CHANNELS = 6
TREND_MEASURES = {"attributed_revenue": ",.0f", "spend": ",.0f", "roas": ",.2f", "orders": ",.0f"}


def table(df: pd.DataFrame, key: str, file_stem: str) -> None:
    """data_table with the formula of each measure as its header's tooltip."""
    lang = current_lang()
    data_table(df, key=key, file_stem=file_stem, help=lambda column: formula(column, lang))


def visible_columns(columns: list[str], f: Filters) -> list[str]:
    """The columns to show: without the spend-based ones when spend cannot be set against the selection."""
    return list(columns) if mq.spend_applies(f) else [c for c in columns if c not in SPEND_COLUMNS]


def kpis(f: Filters) -> bool:
    """Spend and return cards vs the previous period and last year, and the page's rules; False when empty."""
    totals = data.run(mq.marketing_totals, f)
    if not has_activity(totals):
        st.info(t("marketing.no_data_note"))
        return False
    st.subheader(t("marketing.kpis"))
    cards = total_cards(totals.set_index("period"), t("compare.vs_previous"), t("compare.vs_last_year"))
    # two rows of three: six cards side by side cut money figures off
    kpi_row(cards[:3])
    kpi_row(cards[3:])
    st.caption(t("marketing.attribution_note"))
    if not mq.spend_applies(f):
        st.info(t("marketing.spend_scope_note"))
    if f.categories is not None:
        st.caption(t("marketing.category_note"))
    return True


def channels(f: Filters) -> None:
    """The channel table, spend vs revenue bubbles, share of spend vs revenue, and the trend per channel."""
    lang = current_lang()
    compared = data.run(mq.channel_comparison, f)
    if compared.empty:
        st.info(t("msg.no_data"))
        return
    compared["label"] = compared["channel"].map(lambda c: channel_label(c, lang))
    st.markdown(f"**{t('marketing.channel_table')}**")
    table(compared.assign(channel=compared["label"])[visible_columns(CHANNEL_TABLE, f)], key="mkt_channels",
          file_stem=f"channels-{f.start}-{f.end}")
    st.caption(t("marketing.missing_note"))
    paid = compared[compared["spend"] > 0] if mq.spend_applies(f) else compared.iloc[0:0]
    if paid.empty:
        if mq.spend_applies(f):
            st.info(t("marketing.no_spend"))
    else:
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{t('marketing.scatter_title')}**")
            show_chart(charts.spend_revenue_scatter,
                paid, spend_title=t("col.spend"), revenue_title=t("col.attributed_revenue"),
                orders_title=t("col.orders"), roas_title=t("col.roas"), break_even_label=t("marketing.break_even"),
                lang=current_lang(), draw={"width": "stretch"})
        with right:
            st.markdown(f"**{t('marketing.share_title')}**")
            shares = compared.melt(id_vars="label", value_vars=["spend_share", "revenue_share"], var_name="kind",
                                   value_name="share")
            shares["kind"] = shares["kind"].map({"spend_share": t("marketing.share_of_spend"),
                                                 "revenue_share": t("marketing.share_of_revenue")})
            show_chart(charts.share_bars, shares.fillna({"share": 0.0}), share_title=t("marketing.share_axis"),
            draw={"width": "stretch"})
    _trend(f)


def _trend(f: Filters) -> None:
    lang = current_lang()
    st.markdown(f"**{t('marketing.trend_title')}**")
    options = [m for m in TREND_MEASURES if mq.spend_applies(f) or m not in SPEND_COLUMNS]
    measure = st.segmented_control(t("marketing.trend_measure"), options, default=options[0],
                                   format_func=lambda m: t(f"col.{m}"), key=f"mkt_trend_measure_{lang}")
    measure = measure or options[0]
    grain = default_grain(f)
    trend = data.run(mq.channel_trend, f, grain=grain)
    trend = trend.dropna(subset=[measure])
    if trend.empty:
        st.info(t("msg.no_data"))
        return
    top = trend.groupby("channel")[measure].sum().abs().sort_values(ascending=False)
    if len(top) > TREND_CHANNELS:
        st.caption(t("marketing.trend_top", n=TREND_CHANNELS))
        trend = trend[trend["channel"].isin(top.index[:TREND_CHANNELS])]
    trend["label"] = trend["channel"].map(lambda c: channel_label(c, lang))
    cut = partial_buckets(trend, f.start, f.end, grain)
    trend["partial"] = trend["period_start"].isin(cut["period_start"])
    show_chart(lines_by_series, trend.rename(columns={measure: "value"}), x="period_start", y="value",
               series="label", y_title=t(f"col.{measure}"), y_format=TREND_MEASURES[measure],
               x_format="%Y-%m-%d", partial="partial", height=300, draw={"width": "stretch"})
    if trend["partial"].any():
        st.caption(t("sales.partial_caption"))
