"""Admin (管理): the shop's country (its holiday calendar), users with their roles and store scopes, and the
audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.admin.users import user_management
from components.auth import audit_event, current_user
from components.i18n import code_label, country_label
from components.lang import current_lang, t
from components.navigation import require_page
from components.tables import data_table
from data_access import audit, shop_settings
from data_access.engine import get_engine

admin = require_page("admin")
lang = current_lang()
st.title(t("page.admin"))

st.subheader(t("admin.shop_country"))
countries = shop_settings.supported_countries()
stored = shop_settings.shop_country(get_engine())
country = st.selectbox(t("admin.shop_country_label"), countries, key="admin_shop_country",
                       index=countries.index(stored) if stored in countries else None,
                       format_func=lambda code: country_label(code, lang), help=t("admin.shop_country_help"))
if st.button(t("admin.save"), key="admin_save_country", disabled=country in (None, stored)):
    saved = shop_settings.set_shop_country(get_engine(), country)
    audit_event(current_user().username, audit.SETTING_CHANGED, f"shop country {stored} -> {saved}")
    st.success(t("admin.shop_country_saved", country=country_label(saved, lang)))

st.subheader(t("admin.users"))
st.caption(t("admin.users_help"))
user_management(admin)

st.subheader(t("admin.audit_log"))
# Filters narrow what is shown and what the table's CSV/Excel download exports.
c_user, c_action, c_client, c_since = st.columns(4)
who = c_user.text_input(t("admin.filter_user"), key="admin_audit_user").strip().lower() or None
action = c_action.selectbox(t("admin.filter_action"), ["", *audit.ACTIONS], key="admin_audit_action",
                            format_func=lambda a: code_label("audit", a, lang) if a else t("admin.any_action"))
client = c_client.text_input(t("admin.filter_client"), key="admin_audit_client").strip() or None
since = c_since.date_input(t("admin.filter_since"), value=None, key="admin_audit_since")
events = audit.search_events(get_engine(), limit=5000, username=who, action=action or None, client=client,
                             since=pd.Timestamp(since).to_pydatetime() if since else None)
if events.empty:
    st.info(t("msg.no_data"))
else:
    data_table(events.assign(action=events["action"].map(lambda a: code_label("audit", a, lang))),
               key="admin_audit", file_stem="audit-log")
