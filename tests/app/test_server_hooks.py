"""The server hook: clear_cache and upload-URL requests are dropped for sessions that are not logged in."""

from __future__ import annotations

from types import SimpleNamespace

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.runtime.app_session import AppSession

from components import server_hooks


def _msg(kind: str) -> BackMsg:
    msg = BackMsg()
    if kind == "clear_cache":
        msg.clear_cache = True
    elif kind == "file_urls_request":
        msg.file_urls_request.request_id = "r1"
    else:
        msg.rerun_script.query_string = ""
    return msg


def test_shared_state_messages_need_a_login(monkeypatch):
    seen = []
    monkeypatch.setattr(AppSession, "handle_backmsg", lambda self, msg: seen.append(msg.WhichOneof("type")))
    assert server_hooks.install()
    assert not server_hooks.install()  # once per process
    anonymous = SimpleNamespace(session_state={})
    member = SimpleNamespace(session_state={"authentication_status": True})
    for kind in ("clear_cache", "file_urls_request", "rerun_script"):
        AppSession.handle_backmsg(anonymous, _msg(kind))
    assert seen == ["rerun_script"]  # only the ordinary rerun got through
    for kind in ("clear_cache", "file_urls_request"):
        AppSession.handle_backmsg(member, _msg(kind))
    assert seen == ["rerun_script", "clear_cache", "file_urls_request"]


def test_files_pushed_by_a_session_that_is_not_logged_in_are_not_kept(monkeypatch):
    from streamlit import runtime
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    monkeypatch.setattr(AppSession, "handle_backmsg", lambda self, msg: None)
    monkeypatch.setattr(MemoryUploadedFileManager, "add_file", MemoryUploadedFileManager.add_file)
    sessions = {"anon": SimpleNamespace(session_state={}),
                "member": SimpleNamespace(session_state={"authentication_status": True})}
    monkeypatch.setattr(runtime, "exists", lambda: True)
    monkeypatch.setattr(runtime, "get_instance", lambda: SimpleNamespace(get_app_session=sessions.get))
    assert server_hooks.install()
    store = MemoryUploadedFileManager("/_stcore/upload_file")
    for session_id in ("anon", "gone", "member"):
        store.add_file(session_id, UploadedFileRec("f1", "a.csv", "text/csv", b"x" * 1024))
    assert {sid: list(files) for sid, files in store.file_storage.items() if files} == {"member": ["f1"]}
