"""Admin (管理): users with their roles and store scopes, and the audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.i18n import role_label
from components.lang import current_lang, t
from components.navigation import require_page
from components.tables import data_table
from data_access import audit, users
from data_access.engine import get_engine

require_page("admin")
lang = current_lang()
st.title(t("page.admin"))

st.subheader(t("admin.users"))
st.caption(t("admin.users_help"))
people = pd.DataFrame(users.list_users())
if people.empty:
    st.info(t("msg.no_data"))
else:
    people["role"] = people["role"].map(lambda r: role_label(r, lang))
    people["stores"] = people["stores"].map(lambda s: t("auth.stores_all") if s == users.ALL_STORES else ", ".join(s))
    data_table(people[["username", "name", "role", "stores", "lang"]],
               key="admin_users", file_stem="users")

st.subheader(t("admin.audit_log"))
who = st.text_input(t("admin.filter_user"), key="admin_audit_user").strip().lower() or None
events = audit.recent_events(get_engine(), limit=500, username=who)
if events.empty:
    st.info(t("msg.no_data"))
else:
    data_table(events, key="admin_audit", file_stem="audit-log")
