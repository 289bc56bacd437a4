"""Saved views in the sidebar: open, save, delete a named filter set, and its shareable link.

A view is the filter bar's state as link parameters (components.filter_bar.link_from_state), stored per user in
the database (data_access.accounts.views); opening one goes through the same checks as opening its link.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components.auth import FILTER_KEY_PREFIX, CurrentUser
from components.lang import t
from data_access.accounts import views
from data_access.engine import get_engine

PICK_KEY = f"{FILTER_KEY_PREFIX}view_pick"
NAME_KEY = f"{FILTER_KEY_PREFIX}view_name"
#: A view to open, set by the Open button's callback, carried out by the next run (a callback cannot switch pages).
OPEN_KEY = f"{FILTER_KEY_PREFIX}view_open"


def current_page() -> str:
    """The URL path of the page being run ("sales"), "" when it cannot be told (a script run on its own)."""
    ctx = get_script_run_ctx()
    try:
        page = ctx.pages_manager.get_pages()[ctx.page_script_hash]
    except (AttributeError, KeyError):
        return ""
    return str(page.get("url_pathname") or "")


def share_link(page: str, params: dict[str, str]) -> str:
    """The view's link: this server's address, the page and the filter parameters."""
    url = st.context.url if isinstance(st.context.url, str) else ""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    query = urlencode(params)
    return f"{origin}/{page}" + (f"?{query}" if query else "")


def pending_view() -> tuple[str, dict] | None:
    """(page, params) of a view the user asked to open, once."""
    return st.session_state.pop(OPEN_KEY, None)


def _ask_open(rows: dict) -> None:
    name = st.session_state.get(PICK_KEY)
    if name in rows:
        st.session_state[OPEN_KEY] = (rows[name]["page"], rows[name]["params"])


def saved_views_menu(user: CurrentUser, params: dict[str, str]) -> None:
    """The sidebar block: the user's views (open, delete, link) and saving the current filters under a name."""
    engine = get_engine()
    page = current_page()
    with st.sidebar.expander(t("views.title"), icon=":material/bookmarks:"):
        listed = views.list_views(engine, user.username)
        rows = {r["name"]: r for r in listed.to_dict("records")}
        if rows:
            name = st.selectbox(t("views.pick"), list(rows), key=PICK_KEY)
            open_col, delete_col = st.columns(2)
            open_col.button(t("views.open"), key=f"{FILTER_KEY_PREFIX}view_open_btn", on_click=_ask_open,
                            args=(rows,))
            if delete_col.button(t("views.delete"), key=f"{FILTER_KEY_PREFIX}view_delete_btn"):
                views.delete_view(engine, user.username, name)
                st.rerun()
            st.caption(t("views.link"))
            st.code(share_link(rows[name]["page"], rows[name]["params"]), language=None)
        else:
            st.caption(t("views.none"))
        new_name = st.text_input(t("views.name"), key=NAME_KEY, max_chars=views.MAX_NAME)
        if st.button(t("views.save"), key=f"{FILTER_KEY_PREFIX}view_save_btn"):
            try:
                saved = views.save_view(engine, user.username, new_name, page, params)
            except views.ViewError as exc:
                st.error(t(f"views.error.{exc.code}", limit=views.MAX_VIEWS, length=views.MAX_NAME))
            else:
                st.success(t("views.saved", name=saved))
