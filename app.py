"""Shop operations dashboard: page config, login gate, navigation built from the user's role.

Each page draws the sidebar frame itself (components.navigation.require_page), so a page run on
its own is gated and framed the same way.
"""

from __future__ import annotations

import sys

import streamlit as st

from components import auth
from components.jobs.service import job_service
from components.lang import t
from components.navigation import PAGES, pages_for
from components.outage import is_outage, show_outage
from components.server_hooks import install as install_server_hook
from data_access.engine import OUTAGE_ERRORS, ConfigError, ready_engine

install_server_hook()  # clear_cache and upload URLs only for logged-in sessions (components/server_hooks.py)
st.set_page_config(page_title="Shop operations · 店铺运营", page_icon=":material/storefront:", layout="wide")

try:
    auth.cookie_key()  # refuse to run without a cookie key (or with a short one) outside demo mode
    auth.session_limits()
    ready_engine()  # the schema is created once per process, not on every rerun
    job_service()  # this process's job runner and schedules; its first start marks a dead process's jobs failed
except auth.CookieKeyError as exc:
    st.error(t("error.config", reason=str(exc)))  # names settings only, no host or path
    st.stop()
except ConfigError as exc:
    if is_outage(exc):
        show_outage(exc)
    # Before login nobody is known: the reason (a path, a host) goes to the server log, not the page.
    print(f"configuration problem: {exc}", file=sys.stderr)
    st.error(t("error.server_config"))
    st.stop()

def _login_page_for(page_id: str | None):
    def login_page() -> None:
        st.session_state[auth.AFTER_LOGIN] = (page_id, st.query_params.to_dict())
        auth.login_form()

    return login_page


#: What a page may raise that the user should see as one sentence instead of a traceback.
HANDLED = (ConfigError, *OUTAGE_ERRORS)


def handle(exc: Exception) -> None:
    """An outage: the retrying sentence; a configuration problem: one sentence (reason in the server log)."""
    if is_outage(exc):
        show_outage(exc)
    if isinstance(exc, ConfigError):
        print(f"configuration problem: {exc}", file=sys.stderr)
        st.error(t("error.server_config"))
        st.stop()


def run(page_navigation) -> None:
    """Run the chosen page; a database outage in the middle of it shows one sentence and retries."""
    try:
        page_navigation.run()
    except HANDLED as exc:
        handle(exc)


try:
    user = auth.returning_user()  # a valid re-login cookie logs in within this first run
except HANDLED as exc:
    handle(exc)
if user is None:
    # Every page's URL leads to the login form, so a shared deep link opens that page after login.
    login_pages = [st.Page(_login_page_for(None), title=t("auth.login"), icon=":material/login:",
                           url_path="login", default=True)]
    login_pages += [st.Page(_login_page_for(spec.page_id), title=t("auth.login"), url_path=spec.page_id)
                    for spec in PAGES]
    run(st.navigation(login_pages, position="hidden"))
    st.stop()

pages = pages_for(user.role)
if not pages:
    st.error(t("msg.access_denied"))
    st.stop()
# A role opens on its work page: the alert centre is a click away (the overview's badge), never the landing page.
home = next((spec for spec in pages if spec.page_id != "alerts"), pages[0])
sections: dict[str, list] = {}
by_id = {}
for spec in pages:
    by_id[spec.page_id] = st.Page(spec.path, title=t(f"page.{spec.page_id}"), icon=spec.icon, url_path=spec.page_id,
                                  default=spec is home)
    sections.setdefault(t(f"nav.section.{spec.section}"), []).append(by_id[spec.page_id])
navigation = st.navigation(sections)
wanted, params = st.session_state.pop(auth.AFTER_LOGIN, (None, {}))
if wanted in by_id:  # the deep link the user opened before logging in, if their role has it
    st.switch_page(by_id[wanted], query_params=params)
run(navigation)
