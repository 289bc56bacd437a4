"""Logistics & fulfilment (物流履约): how fast orders ship and arrive against the promise, which are stuck, and why."""

from __future__ import annotations

import streamlit as st

from components.filter_bar import filter_bar
from components.lang import current_lang, t
from components.logistics import sections
from components.navigation import require_page

user = require_page("logistics")
st.title(t("page.logistics"))
filters = filter_bar(user)
ship_within, ship_after, deliver_after = sections.thresholds()
as_of = sections.judged_at()

with st.spinner(t("msg.loading")):
    if sections.kpis(filters, ship_within) is None:
        st.stop()
    # Tracked tabs: the open one survives reruns and only its content runs.
    stuck_tab, where_tab, trend_tab, effects_tab = st.tabs(
        [t("logistics.tab_stuck"), t("logistics.tab_breakdown"), t("logistics.tab_trend"),
         t("logistics.tab_effects")], key=f"logistics_tab_{current_lang()}", on_change="rerun")
    if stuck_tab.open:
        with stuck_tab:
            sections.stuck_orders(filters, as_of, ship_after, deliver_after)
    if where_tab.open:
        with where_tab:
            sections.breakdown(filters, ship_within)
    if trend_tab.open:
        with trend_tab:
            sections.trend(filters, ship_within)
    if effects_tab.open:
        with effects_tab:
            sections.effects(filters, user.role)
