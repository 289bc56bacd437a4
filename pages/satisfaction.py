"""Customer satisfaction (客户满意度): ratings, NPS, CSAT and service performance, their drivers, the review reader."""

from __future__ import annotations

import streamlit as st

from components.filter_bar import filter_bar
from components.lang import current_lang, t
from components.navigation import require_page
from components.satisfaction import reader, sections

user = require_page("satisfaction")
st.title(t("page.satisfaction"))
filters = filter_bar(user)
targets = sections.sla_targets()
as_of = sections.judged_at()

with st.spinner(t("msg.loading")):
    kpis = sections.kpis(filters, targets, as_of)
    if kpis is None:
        st.stop()
    with_tickets = sections.has_tickets(kpis)
    # Tracked tabs: the open one survives reruns (e.g. a search) and only its content runs.
    trends_tab, drivers_tab, reader_tab, sla_tab = st.tabs(
        [t("satisfaction.trends"), t("satisfaction.drivers"), t("satisfaction.reader"), t("satisfaction.sla_tab")],
        key=f"satisfaction_tab_{current_lang()}", on_change="rerun")
    if trends_tab.open:
        with trends_tab:
            sections.trends(filters, as_of, with_tickets)
    if drivers_tab.open:
        with drivers_tab:
            sections.drivers(filters, with_tickets)
    if reader_tab.open:
        with reader_tab:
            reader.reader(filters)
            reader.keywords(filters)
    if sla_tab.open:
        with sla_tab:
            if with_tickets:
                sections.sla_details(filters, targets, as_of)
            else:
                st.info(t("satisfaction.no_tickets"))
