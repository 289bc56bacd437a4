"""A small Streamlit server hook: client messages that change shared state are refused before login.

Streamlit lets any connected browser send `clear_cache` (empties every user's st.cache_data) and
`file_urls_request` (asks for upload URLs, after which files are pushed into server memory). The
app's login lives in the session state, so the hook wraps AppSession.handle_backmsg and drops those
two messages for sessions that are not logged in. A file PUT to /_stcore/upload_file/<session>/<id> by a
session that is not logged in is refused before its body is read: the upload route asks the runtime
whether the session is active before it reads the body (Runtime.is_active_session, which nothing else
in Streamlit calls), and this process's runtime answers no for a session that is not logged in; the
uploaded-file store refuses such a file too. It is installed once per process from app.py (at the
process's first script run: before it, no session can be logged in); a reverse proxy cannot do this,
since the login lives in the session.
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


def _guard_upload_endpoint() -> None:
    """The upload route's session check (made before the body is read) also requires a logged-in session."""
    from streamlit import runtime

    if not runtime.exists():  # AppTest: no server, no upload route
        return
    instance = runtime.get_instance()
    original = instance.is_active_session
    if getattr(original, "_shop_guard", False):
        return

    def is_active_session(session_id: str) -> bool:
        if not original(session_id):
            return False
        if not _session_logged_in(session_id):
            _LOGGER.warning("refused an upload from a session that is not logged in, before reading it")
            return False
        return True

    is_active_session._shop_guard = True
    instance.is_active_session = is_active_session


def install() -> bool:
    """Wrap AppSession.handle_backmsg, the upload route's session check and the uploaded-file store once;
    returns False when already wrapped."""
    _guard_upload_endpoint()  # a runtime's own attribute: checked on its own (tests may start another runtime)
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
