"""A small Streamlit server hook: client messages that change shared state are refused before login.

Streamlit lets any connected browser send `clear_cache` (empties every user's st.cache_data) and
`file_urls_request` (asks for upload URLs, after which files are pushed into server memory). The
app's login lives in the session state, so the hook wraps AppSession.handle_backmsg and drops those
two messages for sessions that are not logged in. It is installed once per process from app.py;
a reverse proxy cannot do this, since both travel inside the websocket.
"""

from __future__ import annotations

import logging

from streamlit.runtime.app_session import AppSession

#: BackMsg types a session may send only once logged in.
LOGGED_IN_ONLY = frozenset({"clear_cache", "file_urls_request"})
_LOGGER = logging.getLogger(__name__)


def logged_in(session: AppSession) -> bool:
    """Whether the session's user has logged in (the key components.auth sets)."""
    try:
        return bool(session.session_state["authentication_status"])
    except KeyError:
        return False


def install() -> bool:
    """Wrap AppSession.handle_backmsg once; returns False when it was already wrapped."""
    original = AppSession.handle_backmsg
    if getattr(original, "_shop_guard", False):
        return False

    def handle_backmsg(self: AppSession, msg) -> None:
        kind = msg.WhichOneof("type")
        if kind in LOGGED_IN_ONLY and not logged_in(self):
            _LOGGER.warning("refused %s from a session that is not logged in", kind)
            return
        original(self, msg)

    handle_backmsg._shop_guard = True
    AppSession.handle_backmsg = handle_backmsg
    return True
