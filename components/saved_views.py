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
MESSAGE_KEY = f"{FILTER_KEY_PREFIX}view_message"


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


# Saving and deleting run as callbacks, before the script: the list drawn afterwards already shows the change.
def _save(username: str, page: str, params: dict[str, str]) -> None:
    try:
        saved = views.save_view(get_engine(), username, st.session_state.get(NAME_KEY, ""), page, params)
    except views.ViewError as exc:
        st.session_state[MESSAGE_KEY] = ("error", t(f"views.error.{exc.code}", limit=views.MAX_VIEWS,
                                                     length=views.MAX_NAME))
    else:
        st.session_state[MESSAGE_KEY] = ("success", t("views.saved", name=saved))
        st.session_state[PICK_KEY] = saved


def _delete(username: str) -> None:
    views.delete_view(get_engine(), username, st.session_state.get(PICK_KEY, ""))
    st.session_state.pop(PICK_KEY, None)


def saved_views_menu(user: CurrentUser, params: dict[str, str]) -> None:
    """The sidebar block: the user's views (open, delete, link) and saving the current filters under a name."""
    page = current_page()
    with st.sidebar.expander(t("views.title"), icon=":material/bookmarks:"):
        listed = views.list_views(get_engine(), user.username)
        rows = {r["name"]: r for r in listed.to_dict("records")}
        if st.session_state.get(PICK_KEY) not in rows:
            st.session_state.pop(PICK_KEY, None)
        if rows:
            name = st.selectbox(t("views.pick"), list(rows), key=PICK_KEY)
            open_col, delete_col = st.columns(2)
            open_col.button(t("views.open"), key=f"{FILTER_KEY_PREFIX}view_open_btn", on_click=_ask_open,
                            args=(rows,))
            delete_col.button(t("views.delete"), key=f"{FILTER_KEY_PREFIX}view_delete_btn", on_click=_delete,
                              args=(user.username,))
            st.caption(t("views.link"))
            st.code(share_link(rows[name]["page"], rows[name]["params"]), language=None)
        else:
            st.caption(t("views.none"))
        st.text_input(t("views.name"), key=NAME_KEY, max_chars=views.MAX_NAME)
        st.button(t("views.save"), key=f"{FILTER_KEY_PREFIX}view_save_btn", on_click=_save,
                  args=(user.username, page, params))
        message = st.session_state.pop(MESSAGE_KEY, None)
        if message:
            getattr(st, message[0])(message[1])
