"""Inventory forecast (库存预测): stock-out risk, SKU view with forecast, reorder and overstock lists, accuracy."""

from __future__ import annotations

import streamlit as st

from components.filter_bar import filter_bar
from components.inventory import sections
from components.inventory.sku_view import sku_view
from components.jobs.view import refresh_forecasts
from components.lang import current_lang, t
from components.navigation import require_page

user = require_page("inventory")
st.title(t("page.inventory"))
filters = filter_bar(user, dates=False, channels=False)

refresh_forecasts(user)  # a job on the app's runner: the embedded file keeps one writer
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

# Tabs that track their state: only the open tab runs, and a rerun (e.g. "forecast now") keeps it open.
# The key carries the language because the tab labels do.
drawers = {
    "risk": lambda: sections.risk(rows),
    "sku": lambda: sku_view(filters, run, rows),
    "reorder": lambda: sections.reorder(rows),
    "overstock": lambda: sections.overstock(rows),
    "accuracy": lambda: sections.accuracy(filters, run),
}
tabs = st.tabs([t(f"inventory.tab_{name}") for name in drawers], key=f"{sections.TAB_KEY}_{current_lang()}",
               on_change="rerun")
for tab, draw in zip(tabs, drawers.values(), strict=True):
    if tab.open:
        with tab:
            draw()
