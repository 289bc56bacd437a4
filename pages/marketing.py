"""Marketing (营销分析): channel comparison, campaign results and effect, and the A/B test calculator."""

from __future__ import annotations

import streamlit as st

from components.filter_bar import filter_bar
from components.lang import current_lang, t
from components.marketing import ab, campaigns, sections
from components.navigation import require_page
from components.report_days import report_days_caption

user = require_page("marketing")
st.title(t("page.marketing"))
filters = filter_bar(user)

with st.spinner(t("msg.loading")):
    has_data = sections.kpis(filters)
    if has_data:
        report_days_caption(filters)
    # Tracked tabs: the open one survives reruns and only its content runs; the calculator needs no data.
    channels_tab, campaigns_tab, ab_tab = st.tabs(
        [t("marketing.channels"), t("marketing.campaigns"), t("marketing.ab_test")],
        key=f"marketing_tab_{current_lang()}", on_change="rerun")
    if channels_tab.open:
        with channels_tab:
            if has_data:
                sections.channels(filters)
            else:
                st.info(t("msg.no_data"))
    if campaigns_tab.open:
        with campaigns_tab:
            campaigns.campaigns(filters)
    if ab_tab.open:
        with ab_tab:
            ab.calculator()
