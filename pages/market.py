"""Market and competitors (市场与竞品): price bands, sales share, competitors' moves and our items beside theirs."""

from __future__ import annotations

import streamlit as st

from components.filter_bar import filter_bar
from components.lang import current_lang, t
from components.market import sections
from components.navigation import require_page

user = require_page("market")
st.title(t("page.market"))
st.caption(t("market.intro"))
filters = filter_bar(user, dates=False, channels=False, categories=False)

with st.spinner(t("msg.loading")):
    picked = sections.pickers(filters)
    market = sections.load(filters, *picked) if picked is not None else None
    if market is None:
        st.stop()
    sections.basis_note(market)
    sections.cards(market)
    bands_tab, share_tab, moves_tab, entrants_tab, matches_tab = st.tabs(
        [t("market.tab.bands"), t("market.tab.share"), t("market.tab.moves"), t("market.tab.entrants"),
         t("market.tab.matches")], key=f"market_tab_{current_lang()}", on_change="rerun")
    for tab, section in ((bands_tab, sections.bands), (share_tab, sections.share), (moves_tab, sections.moves),
                         (entrants_tab, sections.entrants), (matches_tab, sections.matches)):
        if tab.open:
            with tab:
                section(market)
