"""Sections of the satisfaction page: SLA targets, KPI cards, trends, drivers (pages/satisfaction.py lays them out)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from components import data
from components.chart_render import show_chart
from components.charts import lines_by_series, ranked_bars, rating_distribution
from components.formatting import fmt_date, fmt_number
from components.i18n import category_label, channel_label, code_label, data_name
from components.kpi import kpi_row
from components.lang import current_lang, t
from components.names import with_product_names
from components.satisfaction import charts as sat_charts
from components.satisfaction.logic import (
    REVIEW_CARDS,
    TICKET_CARDS,
    TIME_CARDS,
    as_of_now,
    bucket_series,
    cards,
    delay_finding,
    delay_rows,
    has_tickets,
    sla_editor_table,
    sla_table,
    targets_from_table,
)
from components.tables import data_table
from data_access.filters import Filters
from data_access.periods import default_grain
from data_access.satisfaction import reviews, service, tickets
from data_access.satisfaction.kpis import satisfaction_kpis
from data_access.satisfaction.sla import Targets, as_targets

SLA_SAVED, SLA_VERSION = "satisfaction_sla_table", "satisfaction_sla_version"
PRIOR_WEIGHT = 10.0
def sla_targets() -> Targets:
    """The SLA editor (an expander): returns the session's targets, the defaults until someone edits them.

    The saved table lives outside the widget so it survives page switches; each accepted edit starts a
    fresh editor on the saved table.
    """
    # Saved as the editor shows it (priorities escaped, so its toolbar CSV holds no formula cell), and the same
    # object every run: a new frame each run would make the editor start over.
    saved = st.session_state.setdefault(SLA_SAVED, sla_editor_table(sla_table(as_targets())))
    if not sla_editor_table(saved).equals(saved):  # a table saved before priorities were shown escaped
        saved = st.session_state[SLA_SAVED] = sla_editor_table(saved)
    version = st.session_state.setdefault(SLA_VERSION, 0)
    # Tracked, so it stays open through the rerun an edit causes; closed, the editor is not even built.
    box = st.expander(t("satisfaction.sla_settings"), icon=":material/timer:", key="satisfaction_sla_open",
                      on_change="rerun")
    if not box.open:
        return targets_from_table(saved)
    with box:
        st.caption(t("satisfaction.sla_help"))
        edited = st.data_editor(
            saved, key=f"satisfaction_sla_{version}", num_rows="dynamic", hide_index=True,
            column_config={
                "priority": st.column_config.TextColumn(t("col.priority"), required=True),
                "first_response_target": st.column_config.NumberColumn(t("col.first_response_target"), min_value=0.0,
                                                                       format="%.1f"),
                "resolution_target": st.column_config.NumberColumn(t("col.resolution_target"), min_value=0.0,
                                                                   format="%.1f"),
            })
        if st.button(t("satisfaction.sla_reset"), key="satisfaction_sla_reset", icon=":material/restart_alt:"):
            _save_sla(sla_editor_table(sla_table(as_targets())), version)
        try:
            targets = targets_from_table(edited)
        except ValueError as exc:
            st.error(t("satisfaction.sla_invalid", reason=str(exc)))
            return targets_from_table(saved)
        # compared as targets: the browser's copy of the table may come back with other dtypes
        if targets != targets_from_table(saved):
            _save_sla(sla_editor_table(sla_table(targets)), version)
    return targets


def _save_sla(table_: pd.DataFrame, version: int) -> None:
    st.session_state[SLA_SAVED] = table_
    st.session_state[SLA_VERSION] = version + 1
    st.rerun()


def kpis(f: Filters, targets: Targets, as_of: datetime) -> pd.DataFrame | None:
    """Review, ticket and time KPI cards vs the previous period and last year; None (and a note) when empty."""
    frame = data.run(satisfaction_kpis, f, targets=targets, as_of=as_of).set_index("period")
    reviewed, ticketed = frame.at["current", "reviews"] > 0, has_tickets(frame)
    if not reviewed and not ticketed:
        st.info(t("msg.no_data"))
        span = data.run(reviews.review_span, Filters.all_time(f.stores))
        if span:
            lang = current_lang()
            st.caption(t("satisfaction.data_span", start=fmt_date(span[0], lang), end=fmt_date(span[1], lang)))
        return None
    if f.channels is not None or f.categories is not None:
        st.caption(t("satisfaction.filter_note"))
    previous, last_year = t("compare.vs_previous"), t("compare.vs_last_year")
    st.subheader(t("satisfaction.kpis_reviews"))
    if reviewed:
        kpi_row(cards(frame, REVIEW_CARDS, previous, last_year))
    else:
        st.info(t("satisfaction.no_reviews"))
    st.subheader(t("satisfaction.kpis_tickets"))
    if not ticketed:
        st.info(t("satisfaction.no_tickets"))
        return frame
    kpi_row(cards(frame, TICKET_CARDS, previous, last_year))
    st.markdown(f"**{t('satisfaction.kpis_times')}**")
    kpi_row(cards(frame, TIME_CARDS, previous, last_year))
    lang = current_lang()
    st.caption(t("satisfaction.kpi_note", time=f"{fmt_date(as_of, lang)} {as_of:%H:%M}"))
    if frame.at["current", "unanswered"] or frame.at["current", "backlog"]:
        st.warning(t("satisfaction.waiting_note", unanswered=fmt_number(frame.at["current", "unanswered"], lang),
                     backlog=fmt_number(frame.at["current", "backlog"], lang)))
    return frame


def trends(f: Filters, as_of: datetime, with_tickets: bool) -> None:
    """Rating and NPS over time; tickets created vs resolved with the backlog; response times by channel."""
    grain = default_grain(f)
    lang = current_lang()
    st.markdown(f"**{t('satisfaction.rating_nps_trend')}**")
    ratings = data.run(reviews.rating_trend, f, grain=grain)
    if ratings["reviews"].sum() == 0:
        st.info(t("satisfaction.no_reviews"))
    else:
        show_chart(sat_charts.rating_and_nps, ratings, x="period_start", rating_title=t("kpi.avg_rating"),
                   nps_title=t("kpi.nps"), count_title=t("col.reviews"),
                   draw={"width": "stretch"})
    if not with_tickets:
        return
    st.markdown(f"**{t('satisfaction.ticket_flow')}**")
    flow = data.run(tickets.ticket_flow, f, grain=grain, as_of=as_of)
    flow["period"] = flow["period_start"].dt.strftime("%Y-%m-%d" if grain != "month" else "%Y-%m")
    show_chart(sat_charts.ticket_flow, flow, created_label=t("satisfaction.created"),
               resolved_label=t("satisfaction.resolved"), backlog_label=t("kpi.backlog"),
               y_title=t("satisfaction.tickets"), draw={"width": "stretch"})
    st.markdown(f"**{t('satisfaction.response_by_channel')}**")
    by_time = data.run(tickets.response_times, f, as_of=as_of, grain=grain).dropna(
        subset=["first_response_median"])
    overall = data.run(tickets.response_times, f, as_of=as_of)
    unknown = t("satisfaction.unknown")
    for frame in (by_time, overall):
        frame["channel"] = frame["channel"].map(lambda c: code_label("ticket_channel", c, lang, unknown))
    if not by_time.empty:
        show_chart(lines_by_series, by_time, x="period_start", y="first_response_median",
                   series="channel", y_title=t("satisfaction.hours"), draw={"width": "stretch"})
    data_table(overall, key="sat_response_times", file_stem=f"response-times-{f.start}-{f.end}")


def drivers(f: Filters, with_tickets: bool) -> None:
    """Rating by delivery delay, rating distribution, by store/channel/category, ticket categories, worst products."""
    lang = current_lang()
    st.markdown(f"**{t('satisfaction.by_delay')}**")
    st.caption(t("satisfaction.delay_help"))
    by_delay = delay_rows(data.run(reviews.rating_by_delay, f))
    finding = delay_finding(by_delay)
    if finding:
        st.info(t("satisfaction.delay_finding", on_time=f"{finding['on_time']:.2f}",
                  on_time_n=fmt_number(finding["on_time_n"], lang), bucket=t(f"delay.{finding['bucket']}"),
                  late=f"{finding['late']:.2f}", late_n=fmt_number(finding["late_n"], lang)))
    by_delay["bucket"] = by_delay["bucket"].map(lambda b: t(f"delay.{b}"))
    left, right = st.columns([3, 2])
    with left:
        if by_delay["reviews"].sum():
            show_chart(sat_charts.rating_bars, by_delay, category="bucket", rating_title=t("kpi.avg_rating"),
                       count_title=t("col.reviews"), draw={"width": "stretch"})
        data_table(by_delay[["bucket", "reviews", "avg_rating", "low_share", "nps"]], key="sat_by_delay",
              file_stem=f"rating-by-delay-{f.start}-{f.end}")
    with right:
        st.markdown(f"**{t('satisfaction.ratings')}**")
        dist = data.run(reviews.rating_distribution, f).rename(columns={"share": "review_share"})
        if dist["reviews"].sum():
            show_chart(rating_distribution, dist.rename(columns={"review_share": "share"}),
                       rating_title=t("col.rating"), count_title=t("col.reviews"), draw={"width": "stretch"})
        data_table(dist, key="sat_distribution", file_stem=f"rating-distribution-{f.start}-{f.end}")
    _rating_splits(f)
    if with_tickets:
        _complaints(f)
    _worst_products(f)


def _rating_splits(f: Filters) -> None:
    lang = current_lang()
    names = {"store": lambda r: data_name(r["name"], r["name_zh"], lang) if isinstance(r["key"], str)
             else t("satisfaction.unknown"),
             "channel": lambda r: channel_label(r["key"], lang) if isinstance(r["key"], str)
             else t("satisfaction.no_order"),
             "category": lambda r: category_label(r["key"], lang) if isinstance(r["key"], str)
             else t("satisfaction.no_product")}
    # tracked: only the open split runs (each builds a chart and a table with its downloads)
    tabs = st.tabs([t("sales.by_store"), t("sales.by_channel"), t("sales.by_category")],
                   key=f"satisfaction_split_{lang}", on_change="rerun")
    for tab, (dimension, label) in zip(tabs, names.items(), strict=True):
        if not tab.open:
            continue
        with tab:
            split = data.run(reviews.rating_by, f, dimension=dimension)
            if split.empty:
                st.info(t("msg.no_data"))
                continue
            split[dimension] = split.apply(label, axis=1)
            show_chart(sat_charts.rating_bars, split, category=dimension, rating_title=t("kpi.avg_rating"),
                       count_title=t("col.reviews"), draw={"width": "stretch"})
            data_table(split[[dimension, "reviews", "avg_rating", "low_share", "nps", "nps_answers"]],
                  key=f"sat_by_{dimension}", file_stem=f"rating-by-{dimension}-{f.start}-{f.end}")


def _complaints(f: Filters) -> None:
    lang = current_lang()
    st.markdown(f"**{t('satisfaction.complaints')}**")
    st.caption(t("satisfaction.complaints_help"))
    ranked = data.run(tickets.complaint_categories, f)
    if ranked.empty or ranked["tickets"].sum() == 0:
        st.info(t("satisfaction.no_tickets"))
        return
    grain = "week" if f.days > 31 else "day"
    trend = data.run(tickets.complaint_trend, f, grain=grain)
    for frame in (ranked, trend):
        frame["category"] = frame["category"].fillna("")
    lines = bucket_series(trend, list(ranked["category"]), f.start, f.end, grain, "category", "tickets")
    ranked["ticket_trend"] = ranked["category"].map(lines)
    ranked["category"] = ranked["category"].map(
        lambda c: code_label("ticket_category", c or None, lang, t("satisfaction.unknown")))
    ranked = ranked.rename(columns={"share": "ticket_share"})
    shown = ranked[ranked["tickets"] > 0]
    show_chart(ranked_bars, shown, category="category", value="tickets", value_title=t("col.tickets"),
               whole_numbers=True, draw={"width": "stretch"})
    columns = ["category", "tickets", "ticket_share", "previous_tickets", "change", "change_pct", "ticket_trend"]
    data_table(ranked[columns],
          key="sat_complaints", file_stem=f"ticket-categories-{f.start}-{f.end}", kinds={"change": "count"},
          column_config={"ticket_trend": st.column_config.LineChartColumn(t("col.ticket_trend"))})


def _worst_products(f: Filters) -> None:
    lang = current_lang()
    st.markdown(f"**{t('satisfaction.worst_products')}**")
    min_reviews = st.number_input(t("satisfaction.min_reviews"), min_value=1, max_value=1000, value=5, step=1,
                                  key="sat_min_reviews")
    worst = data.run(reviews.worst_products, f, min_reviews=int(min_reviews), prior_weight=PRIOR_WEIGHT)
    if worst.empty:
        st.info(t("satisfaction.no_products"))
        return
    st.caption(t("satisfaction.bayes_help", c=fmt_number(PRIOR_WEIGHT, lang),
                 m=f"{worst['prior_mean'].iloc[0]:.2f}"))
    worst["category"] = worst["category"].map(lambda c: category_label(c, lang) if isinstance(c, str) else c)
    worst = with_product_names(worst, lang)
    data_table(worst[["sku", "name", "category", "reviews", "avg_rating", "low_share", "bayes_rating"]],
          key="sat_worst_products", file_stem=f"lowest-rated-products-{f.start}-{f.end}")


def sla_details(f: Filters, targets: Targets, as_of: datetime) -> None:
    """SLA results per priority for the period's tickets, and the open tickets past their target now."""
    lang = current_lang()
    st.markdown(f"**{t('satisfaction.sla_by_priority')}**")
    by_priority = data.run(tickets.sla_by_priority, f, targets=targets, as_of=as_of)
    by_priority["priority"] = by_priority["priority"].map(
        lambda p: code_label("priority", p, lang, t("satisfaction.unknown")))
    data_table(by_priority, key="sat_sla_priority", file_stem=f"sla-by-priority-{f.start}-{f.end}")
    st.markdown(f"**{t('satisfaction.open_past_sla')}**")
    past = data.run(service.open_tickets_past_sla, f, as_of=as_of, targets=targets, limit=200)
    if past.empty:
        st.success(t("satisfaction.none_past_sla"))
        return
    past["breach"] = past["breach"].map(lambda b: t(f"sla.{b}"))
    past["priority"] = past["priority"].map(lambda p: code_label("priority", p, lang, t("satisfaction.unknown")))
    past["category"] = past["category"].map(
        lambda c: code_label("ticket_category", c, lang, t("satisfaction.unknown")))
    data_table(past[["ticket_id", "store_id", "category", "priority", "created_at", "age_hours", "breach"]],
          key="sat_past_sla", file_stem=f"tickets-past-sla-{as_of:%Y%m%d-%H%M}")


def judged_at() -> datetime:
    """The moment open tickets are judged at for this run (now, to the quarter hour)."""
    return as_of_now()
