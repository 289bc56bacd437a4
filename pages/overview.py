"""Daily overview (今日概览): yesterday at a glance for store managers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import streamlit as st

from components import charts, data
from components.alerts import view
from components.attention import attention_table
from components.chart_render import show_chart
from components.filter_bar import DAY_COMPARISON_KEY, coverage, filter_bar
from components.formatting import fmt_date
from components.kpi import COMPARISON_KEY, Card, Comparison, kpi_row
from components.lang import current_lang, t
from components.names import coded, with_product_names, with_store_names
from components.navigation import require_page
from components.overview.logic import (
    align_comparison,
    day_filters,
    day_vs_last_week,
    stockout_risk,
    tickets_by_urgency,
)
from components.report_days import report_days_caption
from data_access import lookups
from data_access.engine import configured_url
from data_access.filters import Filters
from data_access.inventory import stock as stock_queries
from data_access.sales import queries
from data_access.satisfaction import service

user = require_page("overview")
lang = current_lang()
st.title(t("page.overview"))

filters = filter_bar(user, dates=False, channels=False, categories=False, day_comparison=True)
span = data.run(lookups.order_date_range, Filters.all_time(filters.stores))
yesterday = date.today() - timedelta(days=1)
if span is None:
    st.info(t("msg.no_data"))
    st.stop()
day = min(yesterday, span[1])
st.caption(t("overview.as_of", date=fmt_date(day, lang)))
if day < yesterday:  # the one old-data warning, for the stores shown
    st.warning(t("overview.latest_data_note", date=fmt_date(day, lang)), icon=":material/schedule:")

with st.spinner(t("msg.loading")):
    week = data.run(queries.daily_sales, filters.with_dates(day - timedelta(days=7), day))
    trend = data.run(queries.daily_sales, filters.with_dates(day - timedelta(days=29), day))
    before = data.run(queries.daily_sales, filters.with_dates(day - timedelta(days=59), day - timedelta(days=30)))
    movers = data.run(queries.product_movers, filters.with_dates(day - timedelta(days=6), day), limit=5)
    stock = data.run(stock_queries.stock_on_hand, filters.with_dates(day, day))
    after_day = datetime.combine(day + timedelta(days=1), time.min)
    tickets = data.run(service.open_tickets_past_sla, filters, as_of=after_day)
    reviews = data.run(service.lowest_recent_reviews, filters.with_dates(day - timedelta(days=13), day), limit=None)

if not any(frame[["orders", "net_sales"]].abs().to_numpy().any() for frame in (week, trend)):
    st.info(t("msg.no_data"))
    st.stop()

# The cards: the day against the chosen comparison (periods.comparison_periods), and the 7-day average.
mode, picked = st.session_state.get(DAY_COMPARISON_KEY, ("last_week", None))
one_day, compared = day_filters(filters, day, mode, picked)
totals = data.run(queries.kpi_totals, one_day, with_customers=False).set_index("period")
vs = {"last_week": t("overview.vs_same_weekday"), "previous": t("overview.vs_previous_day"),
      "last_year": t("overview.vs_same_day_last_year")}.get(mode) or t("overview.vs_day", day=fmt_date(picked, lang))
st.subheader(t("overview.yesterday_vs_last_week") if mode == "last_week" else t("overview.yesterday_vs", vs=vs))
compared_day = totals.at[compared, "start"]
st.session_state[COMPARISON_KEY] = Comparison("custom", vs, coverage(Filters(compared_day, compared_day), span), 1.0)
averages = day_vs_last_week(week, day).set_index("kpi")
kpi_row([Card(k, totals.at["current", k], totals.at[compared, k], vs, averages.at[k, "avg_7d"],
              t("overview.vs_7day_avg")) for k in averages.index])

report_days_caption(filters.with_dates(day - timedelta(days=29), day))

view.badge(configured_url(), user, date.today(), day)
view.why_block(filters.stores, day, lang)

st.subheader(t("overview.trend_title"))
comparison_line = align_comparison(before, timedelta(days=30), "net_sales")
show_chart(charts.trend_with_comparison,
    trend, comparison_line, x="day", y="net_sales", y_title=t("kpi.net_sales"),
    current_label=t("overview.this_period"), comparison_label=t("overview.previous_period"), draw={"width": "stretch"})

st.subheader(t("overview.top_movers"))
st.caption(t("overview.movers_caption"))
if movers.empty:
    st.info(t("msg.no_data"))
else:
    movers["label"] = with_product_names(movers, lang, fallback="sku")["name"]
    up_col, down_col = st.columns(2)
    for col, direction, title in ((up_col, "up", "overview.top_movers_up"),
                                  (down_col, "down", "overview.top_movers_down")):
        part = movers[movers["direction"] == direction]
        col.markdown(f"**{t(title)}**")
        if part.empty:
            col.caption(t("msg.no_data"))
        else:
            show_chart(charts.ranked_bars, part, category="label", value="change", value_title=t("col.change"),
                       color_by_sign=True, where=col, draw={"width": "stretch"})

# The lists take the page's full width, so the columns a manager acts on fit at 1280 px.
with st.container():
    st.subheader(t("overview.stockout_risk"))
    st.caption(t("overview.stockout_risk_caption"))
    risk = with_product_names(stockout_risk(stock), lang)
    if risk.empty:
        st.success(t("overview.no_stockout_risk"))
    else:
        risk = with_store_names(risk, filters.stores, lang)
        attention_table(risk[["name", "store", "days_of_cover", "on_hand", "lead_time_days", "on_order",
                              "expected_arrival", "avg_daily_units", "sku"]], key="overview_stockout",
                        file_stem=f"stockout-risk-{day}")
with st.container():
    st.subheader(t("overview.tickets_past_sla"))
    if tickets.empty:
        st.success(t("overview.no_tickets_past_sla"))
    else:
        tickets["breach"] = tickets["breach"].map(lambda b: t(f"sla.{b}"))
        tickets = coded(with_store_names(tickets, filters.stores, lang), lang, category="ticket_category",
                        priority="priority")
        columns = ["ticket_id", "overdue_hours", "priority", "category", "store", "created_at", "breach"]
        recent, old = tickets_by_urgency(tickets, datetime.combine(day + timedelta(days=1), time.min))
        attention_table(recent[columns], key="overview_tickets", file_stem=f"tickets-sla-{day}")
        if not old.empty:
            with st.expander(t("overview.older_than_30", n=f"{len(old):,}")):
                st.caption(t("overview.older_than_30_caption"))
                attention_table(old[columns], key="overview_tickets_old", file_stem=f"tickets-sla-old-{day}")

st.subheader(t("overview.lowest_reviews"))
if reviews.empty:
    st.success(t("overview.no_low_reviews"))
else:
    reviews = with_product_names(with_store_names(reviews, filters.stores, lang), lang, fallback="sku")
    attention_table(reviews[["rating", "created_at", "store", "product_name", "comment"]], key="overview_low_reviews",
                    file_stem=f"low-reviews-{day}", kinds={"rating": "stars"},
                    column_config={"comment": st.column_config.TextColumn(t("col.comment"), width="large")})
