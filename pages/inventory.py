"""Inventory forecast (库存预测): stock-out risk, SKU view with forecast, reorder and overstock lists, accuracy."""

from __future__ import annotations

import streamlit as st

from components import inventory_sections as sections
from components.filter_bar import filter_bar
from components.inventory_sku_view import sku_view
from components.lang import t
from components.navigation import require_page

user = require_page("inventory")
st.title(t("page.inventory"))
filters = filter_bar(user, dates=False, channels=False)

run = sections.latest_run()
if run is None:
    sections.no_run_yet()
    st.stop()
sections.run_caption(run)
levels, review_days = sections.policy_settings()

with st.spinner(t("msg.loading")):
    rows = sections.planned_rows(filters, run, levels, review_days)
if rows.empty:
    st.info(t("msg.no_data"))
    st.stop()
sections.stale_warning(run, rows)
sections.kpis(filters, run, rows)

risk, sku, reorder, overstock, accuracy = st.tabs([
    t("inventory.tab_risk"), t("inventory.tab_sku"), t("inventory.tab_reorder"), t("inventory.tab_overstock"),
    t("inventory.tab_accuracy")])
with risk:
    sections.risk(rows)
with sku:
    sku_view(filters, run, rows)
with reorder:
    sections.reorder(rows)
with overstock:
    sections.overstock(rows)
with accuracy:
    sections.accuracy(filters, run)
