"""Which pages exist for which role, and the guard every page calls first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from components.auth import CurrentUser, audit_event, finish_login, login_gate, logout_button, remember_lang
from components.i18n import role_label
from components.lang import current_lang, language_switcher, t
from components.text import t_md
from data_access import audit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EVERYONE = ("admin", "manager", "marketer", "analyst")


@dataclass(frozen=True)
class PageSpec:
    page_id: str
    path: str
    icon: str
    section: str
    roles: tuple[str, ...]


# Order is the sidebar order; a page appears once its file exists.
PAGES = (
    PageSpec("overview", "pages/overview.py", ":material/today:", "daily", ("admin", "manager", "analyst")),
    PageSpec("alerts", "pages/alert_centre.py", ":material/notifications:", "daily", EVERYONE),
    PageSpec("sales", "pages/sales.py", ":material/bar_chart:", "analysis", EVERYONE),
    PageSpec("inventory", "pages/inventory.py", ":material/inventory_2:", "analysis", ("admin", "manager", "analyst")),
    PageSpec("marketing", "pages/marketing.py", ":material/campaign:", "analysis", ("admin", "marketer", "analyst")),
    PageSpec("satisfaction", "pages/satisfaction.py", ":material/reviews:", "analysis",
             ("admin", "manager", "analyst")),
    PageSpec("market", "pages/market.py", ":material/storefront:", "analysis", EVERYONE),
    PageSpec("logistics", "pages/logistics.py", ":material/local_shipping:", "analysis",
             ("admin", "manager", "analyst")),
    PageSpec("upload", "pages/upload.py", ":material/upload_file:", "data", ("admin", "marketer", "analyst")),
    PageSpec("jobs", "pages/jobs.py", ":material/pending_actions:", "data", ("admin",)),
    PageSpec("admin", "pages/admin.py", ":material/admin_panel_settings:", "data", ("admin",)),
)


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in sidebar order (only pages that exist)."""
    return [p for p in PAGES if role in p.roles and (PROJECT_ROOT / p.path).exists()]


def may_open(role: str, page_id: str) -> bool:
    return any(p.page_id == page_id for p in pages_for(role))


def use_navigation_mode() -> None:
    """Leave Streamlit's legacy pages-folder mode, in which a run executes a page without app.py.

    Streamlit treats a pages/ folder beside the main script as the old folder navigation until the
    process's first st.navigation call, so the first visitor after a restart (or a deep link) would
    get a page without the frame and an auto-made sidebar. Switching the flag and rerunning makes
    that run go through app.py like every other. (app.py itself needs no switch: its st.navigation
    call ends the legacy mode.)
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def require_page(page_id: str) -> CurrentUser:
    """First call of every page: the logged-in user allowed on it, else the login form or a refusal, then stop.

    app.py gates too; this makes a page file run on its own (or a forged URL) show no data.
    """
    use_navigation_mode()
    user = login_gate()
    if user is None:
        st.stop()
    sidebar(user)
    if not may_open(user.role, page_id):
        audit_event(user.username, audit.ACCESS_DENIED, f"page {page_id}")
        st.error(t("msg.access_denied"))
        st.stop()
    return user


def sidebar(user: CurrentUser) -> None:
    """The frame around every page: language (saved per user), who is logged in, their scope, logout."""
    finish_login()
    language_switcher(remember_lang(user))
    lang = current_lang()
    st.sidebar.caption(t_md("auth.logged_in_as", name=user.name, role=role_label(user.role, lang)))
    scope = t("auth.stores_all") if user.stores is None else t("auth.stores_some", stores=", ".join(user.stores))
    st.sidebar.caption(scope)
    from components.jobs.view import freshness_line

    freshness_line()
    logout_button(user)
