"""Sales analysis (销售分析): KPIs, trend, breakdowns with drill-down, products, funnel, customers."""

from __future__ import annotations

import streamlit as st

from components.alerts.view import why_period
from components.filter_bar import filter_bar
from components.lang import t
from components.navigation import require_page
from components.report_days import report_days_caption
from components.sales import sections

user = require_page("sales")
st.title(t("page.sales"))
filters = filter_bar(user)

with st.spinner(t("msg.loading")):
    if not sections.kpis(filters):
        st.stop()
    report_days_caption(filters)
    sections.trend(filters)

# Only the open tab runs its queries, so the page opens at the cost of what it shows.
parts = {"breakdowns": (t("sales.breakdowns"), sections.breakdowns),
         "products": (t("sales.products"), sections.products),
         "funnel": (t("sales.funnel"), sections.funnel),
         "customers": (t("sales.customers"), sections.customers),
         "why": (t("alerts.why_tab"), why_period)}
for part, tab in sections.lazy_tabs({k: label for k, (label, _) in parts.items()}, key="sales_section"):
    with tab, st.spinner(t("msg.loading")):
        parts[part][1](filters)
