"""Sections of the logistics page: thresholds, KPI cards, stuck orders, breakdowns, trend, delay effects."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from components import data
from components.chart_render import show_chart
from components.charts import lines_by_series, ranked_bars
from components.formatting import fmt_date, fmt_number, fmt_percent
from components.kpi import kpi_row
from components.lang import current_lang, t
from components.logistics import logic
from components.navigation import may_open
from components.satisfaction.logic import as_of_now
from components.tables import data_table
from data_access.filters import Filters
from data_access.logistics import delay, queries, stuck
from data_access.periods import default_grain

#: Rows of the stuck list shown on the page (the download holds all of them).
SHOWN_STUCK = 500


def thresholds() -> tuple[float, float, float]:
    """The three thresholds (an expander): on-time shipment hours, stuck-shipment hours, stuck-delivery days."""
    with st.expander(t("logistics.settings"), icon=":material/tune:"):
        left, middle, right = st.columns(3)
        ship_within = left.number_input(t("logistics.ship_within"), min_value=1.0, max_value=720.0, step=12.0,
                                        value=queries.SHIP_WITHIN_HOURS, key="logistics_ship_within")
        ship_after = middle.number_input(t("logistics.ship_after"), min_value=1.0, max_value=720.0, step=12.0,
                                         value=stuck.SHIP_AFTER_HOURS, key="logistics_ship_after")
        deliver_after = right.number_input(t("logistics.deliver_after"), min_value=1.0, max_value=90.0, step=1.0,
                                           value=stuck.DELIVER_AFTER_DAYS, key="logistics_deliver_after")
    return float(ship_within), float(ship_after), float(deliver_after)


def judged_at() -> datetime:
    """The moment stuck orders are judged at for this run (now, to the quarter hour, so results cache that long)."""
    return as_of_now()


def kpis(f: Filters, ship_within: float) -> pd.DataFrame | None:
    """Speed and promise cards vs the previous period and last year; None (and a note) when there is nothing."""
    frame = data.run(queries.fulfilment_kpis, f, ship_within_hours=ship_within).set_index("period")
    if frame.at["current", "orders"] == 0:
        st.info(t("msg.no_data"))
        return None
    if f.channels is not None or f.categories is not None:
        st.caption(t("logistics.filter_note"))
    if not logic.has_times(frame):
        st.info(t("logistics.no_times"))
        return None
    previous, last_year = t("compare.vs_previous"), t("compare.vs_last_year")
    st.subheader(t("logistics.kpis_speed"))
    medians, p90s = logic.speed_cards(frame, previous, last_year)
    st.markdown(f"**{t('logistics.median_row')}**")
    kpi_row(medians)
    st.markdown(f"**{t('logistics.p90_row')}**")
    kpi_row(p90s)
    st.subheader(t("logistics.kpis_promise"))
    for row in logic.promise_cards(frame, previous, last_year):
        kpi_row(row)
    st.caption(t("logistics.definitions", hours=fmt_number(ship_within, current_lang())))
    return frame


def stuck_orders(f: Filters, as_of: datetime, ship_after: float, deliver_after: float) -> None:
    """Which orders are stuck and where: the summary, the count per store and stage, the list with downloads."""
    lang = current_lang()
    cut = stuck.cut_of(f, as_of)
    st.caption(t("logistics.stuck_intro", time=f"{fmt_date(cut, lang)} {cut:%H:%M}",
                 hours=fmt_number(ship_after, lang), days=fmt_number(deliver_after, lang)))
    # Keyed by the cut, not by now: a past period's list stays cached when the quarter hour turns.
    found = data.run(stuck.stuck_orders, f, as_of=cut, ship_after_hours=ship_after,
                     deliver_after_days=deliver_after)
    if found.empty:
        st.success(t("logistics.stuck_none"))
        return
    summary = logic.stuck_summary(found)
    st.warning(t("logistics.stuck_summary", **{k: fmt_number(v, lang) for k, v in summary.items()}))
    table = logic.stuck_table(found, lang)
    counts = table.groupby(["store", "stage"], as_index=False).size().rename(columns={"size": "orders"})
    counts["what"] = counts["store"] + " · " + counts["stage"]
    st.markdown(f"**{t('logistics.stuck_by')}**")
    show_chart(ranked_bars, counts, category="what", value="orders", value_title=t("col.orders"),
               whole_numbers=True, draw={"width": "stretch"})
    if len(table) > SHOWN_STUCK:
        st.caption(t("logistics.stuck_shown", shown=fmt_number(SHOWN_STUCK, lang), total=fmt_number(len(table), lang)))
    data_table(table.head(SHOWN_STUCK), key="logistics_stuck", file_stem=f"stuck-orders-{f.start}-{f.end}",
               kinds=logic.KINDS, download=table)


def breakdown(f: Filters, ship_within: float) -> None:
    """On-time rates, speed and cost by store, region, channel or carrier, slowest first."""
    lang = current_lang()
    dimension = st.segmented_control(t("logistics.by"), list(queries.DIMENSIONS), default="carrier",
                                     key="logistics_by", format_func=lambda d: t(f"logistics.by.{d}")) or "carrier"
    by = data.run(queries.fulfilment_by, f, by=dimension, ship_within_hours=ship_within)
    if by.empty:
        st.info(t("msg.no_data"))
        return
    worst = logic.slowest(by, dimension, lang)
    if worst:
        st.info(t("logistics.slowest", name=worst["name"], rate=fmt_percent(worst["rate"], lang),
                  late=fmt_number(worst["late"], lang), n=fmt_number(worst["n"], lang)))
    table = logic.breakdown_table(by, dimension, lang)
    rated = table.dropna(subset=["on_time_delivery_rate"])
    if not rated.empty:
        st.markdown(f"**{t('logistics.on_time_chart')}**")
        show_chart(ranked_bars, rated, category=dimension, value="on_time_delivery_rate",
                   value_title=t("kpi.on_time_delivery_rate"), value_format=".0%",
                   draw={"width": "stretch"})
    data_table(table, key=f"logistics_by_{dimension}", file_stem=f"fulfilment-by-{dimension}-{f.start}-{f.end}",
               kinds=logic.KINDS, header=lambda c: t(f"logistics.by.{c}") if c == dimension else t(f"col.{c}"))


def trend(f: Filters, ship_within: float) -> None:
    """On-time shipment and delivery rates, and order -> delivery days, per day, week or month of ordering."""
    grain = default_grain(f)
    series = data.run(queries.fulfilment_trend, f, grain=grain, ship_within_hours=ship_within)
    rates = logic.trend_long(series, {"on_time_shipment_rate": t("logistics.series.shipment"),
                                      "on_time_delivery_rate": t("logistics.series.delivery")})
    if rates.empty:
        st.info(t("msg.no_data"))
        return
    st.markdown(f"**{t('logistics.trend_title')}**")
    show_chart(lines_by_series, rates, x="period_start", y="value", series="series",
               y_title=t("logistics.on_time_chart"), y_format=".0%", draw={"width": "stretch"})
    days = logic.trend_long(series, {"delivery_days_median": t("logistics.series.median"),
                                     "delivery_days_p90": t("logistics.series.p90")})
    if not days.empty:
        st.markdown(f"**{t('logistics.speed_trend')}**")
        show_chart(lines_by_series, days, x="period_start", y="value", series="series",
                   y_title=t("logistics.days_chart"), draw={"width": "stretch"})


def effects(f: Filters, role: str) -> None:
    """Rating and repeat purchase by delivery delay, with the way to the satisfaction page."""
    lang = current_lang()
    st.caption(t("logistics.effects_intro", days=delay.REPEAT_DAYS))
    found = data.run(delay.delay_effects, f)
    if found["orders"].sum() == 0:
        st.info(t("msg.no_data"))
        return
    finding = logic.effects_finding(found)
    if finding:
        st.info(t("logistics.effects_finding",
                  on_time_rating=fmt_number(finding["on_time_rating"], lang, decimals=2),
                  late_rating=fmt_number(finding["late_rating"], lang, decimals=2),
                  on_time_repeat=fmt_percent(finding["on_time_repeat"], lang),
                  late_repeat=fmt_percent(finding["late_repeat"], lang)))
    data_table(logic.effects_table(found, lang), key="logistics_effects",
               file_stem=f"delivery-delay-effects-{f.start}-{f.end}", kinds=logic.KINDS)
    if not may_open(role, "satisfaction"):
        return
    try:
        st.page_link("pages/satisfaction.py", label=t("logistics.to_satisfaction"), icon=":material/reviews:",
                     query_params={"preset": "custom", "from": f.start.isoformat(), "to": f.end.isoformat()})
    except StreamlitPageNotFoundError:
        pass  # the page run on its own (no st.navigation): nothing to link to
