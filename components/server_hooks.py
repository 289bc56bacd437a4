"""A small Streamlit server hook: client messages that change shared state are refused before login.

Streamlit lets any connected browser send `clear_cache` (empties every user's st.cache_data) and
`file_urls_request` (asks for upload URLs, after which files are pushed into server memory). The
app's login lives in the session state, so the hook wraps AppSession.handle_backmsg and drops those
two messages for sessions that are not logged in, and wraps the uploaded-file store so a file PUT to
/_stcore/upload_file/<session>/<id> by a session that is not logged in is never kept in memory. It is
installed once per process from app.py; a reverse proxy cannot do this, since the login lives in the
session.
"""

from __future__ import annotations

import logging

from streamlit.runtime.app_session import AppSession
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

#: BackMsg types a session may send only once logged in.
LOGGED_IN_ONLY = frozenset({"clear_cache", "file_urls_request"})
_LOGGER = logging.getLogger(__name__)


def logged_in(session: AppSession) -> bool:
    """Whether the session's user has logged in (the key components.auth sets)."""
    try:
        return bool(session.session_state["authentication_status"])
    except KeyError:
        return False


def _session_logged_in(session_id: str) -> bool:
    """Whether the runtime's session session_id exists and is logged in."""
    from streamlit import runtime

    session = runtime.get_instance().get_app_session(session_id) if runtime.exists() else None
    return session is not None and logged_in(session)


def _guard_uploads() -> None:
    original = MemoryUploadedFileManager.add_file

    def add_file(self: MemoryUploadedFileManager, session_id: str, file) -> None:
        if not _session_logged_in(session_id):
            _LOGGER.warning("refused an uploaded file from a session that is not logged in")
            return
        original(self, session_id, file)

    MemoryUploadedFileManager.add_file = add_file


def install() -> bool:
    """Wrap AppSession.handle_backmsg and the uploaded-file store once; returns False when already wrapped."""
    original = AppSession.handle_backmsg
    if getattr(original, "_shop_guard", False):
        return False
    _guard_uploads()

    def handle_backmsg(self: AppSession, msg) -> None:
        kind = msg.WhichOneof("type")
        if kind in LOGGED_IN_ONLY and not logged_in(self):
            _LOGGER.warning("refused %s from a session that is not logged in", kind)
            return
        original(self, msg)

    handle_backmsg._shop_guard = True
    AppSession.handle_backmsg = handle_backmsg
    return True
