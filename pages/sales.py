"""Sales analysis (销售分析): KPIs, trend, breakdowns with drill-down, products, funnel, customers."""

from __future__ import annotations

import streamlit as st

from components import sales_sections as sections
from components.filter_bar import filter_bar
from components.lang import t
from components.navigation import require_page

user = require_page("sales")
st.title(t("page.sales"))
filters = filter_bar(user)

with st.spinner(t("msg.loading")):
    if not sections.kpis(filters):
        st.stop()
    sections.trend(filters)
    sections.breakdowns(filters)
    st.subheader(t("sales.products"))
    sections.products(filters)
    sections.funnel(filters)
    sections.customers(filters)
