"""Alert centre (预警中心): the user's alerts with their state, their digest settings, the admin's thresholds.

Not named alerts.py: on the page's import path that file would shadow the alerts package.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from alerts import morning
from components.alerts import view
from components.lang import current_lang, t
from components.navigation import require_page
from data_access.alerts.queries import ensure_tables
from data_access.engine import configured_url, get_engine

user = require_page("alerts")
lang = current_lang()
url = configured_url()
ensure_tables(get_engine(url))
st.title(t("page.alerts"))
today = date.today()

if user.role == "admin" and st.button(t("alerts.run_now")):
    stored = morning.run(get_engine(url), today - timedelta(days=1))
    st.success(t("alerts.run_done", n=len(stored)))

list_tab, digest_tab = st.tabs([t("alerts.list_title"), t("alerts.digest_title")])
with list_tab:
    view.alert_list(url, user, lang, today)
with digest_tab:
    view.digest_form(url, user)
    if user.role == "admin":
        view.thresholds_form(url, user)
