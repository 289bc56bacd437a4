"""Shop operations dashboard: page config, login gate, navigation built from the user's role.

Each page draws the sidebar frame itself (components.navigation.require_page), so a page run on
its own is gated and framed the same way.
"""

from __future__ import annotations

import streamlit as st

from components import auth
from components.lang import t
from components.navigation import pages_for
from data_access.engine import ConfigError, get_engine
from data_access.schema import create_schema

st.set_page_config(page_title="Shop operations · 店铺运营", page_icon=":material/storefront:", layout="wide")

try:
    auth.cookie_key()  # refuse to run without a cookie key outside demo mode
    create_schema(get_engine())  # idempotent: an empty database shows empty states, not errors
except ConfigError as exc:
    st.error(t("error.config", reason=str(exc)))
    st.stop()

user = auth.current_user()
if user is None:
    st.navigation([st.Page(auth.login_form, title=t("auth.login"), icon=":material/login:", url_path="login")],
                  position="hidden").run()
    st.stop()

pages = pages_for(user.role)
if not pages:
    st.error(t("msg.access_denied"))
    st.stop()
sections: dict[str, list] = {}
for spec in pages:
    sections.setdefault(t(f"nav.section.{spec.section}"), []).append(
        st.Page(spec.path, title=t(f"page.{spec.page_id}"), icon=spec.icon, url_path=spec.page_id))
st.navigation(sections).run()
