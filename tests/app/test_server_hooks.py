"""The server hook: clear_cache and upload-URL requests are dropped for sessions that are not logged in."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
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
    stand_in = SimpleNamespace(get_app_session=sessions.get, is_active_session=sessions.__contains__)
    monkeypatch.setattr(runtime, "get_instance", lambda: stand_in)
    assert server_hooks.install()
    # The upload route asks this before it reads a body: only a logged-in session's upload is read.
    assert [stand_in.is_active_session(sid) for sid in ("anon", "gone", "member")] == [False, False, True]
    store = MemoryUploadedFileManager("/_stcore/upload_file")
    for session_id in ("anon", "gone", "member"):
        store.add_file(session_id, UploadedFileRec("f1", "a.csv", "text/csv", b"x" * 1024))
    assert {sid: list(files) for sid, files in store.file_storage.items() if files} == {"member": ["f1"]}


# --- a real `streamlit run`: the upload endpoint refuses a session that is not logged in before reading the body --

UPLOAD_MB = 40


def _open_session(stack, base: str, cookie: str | None) -> str:
    """A websocket session that ran the app once (logged in from cookie, if given); its session id. The
    websocket stays open until stack closes (a closed websocket ends its session)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    headers = {"Origin": base, **({"Cookie": f"shop_ops_auth={cookie}"} if cookie else {})}
    ws = stack.enter_context(connect(base.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                     additional_headers=headers, open_timeout=60, ping_interval=None, max_size=None))
    request = BackMsg()
    request.rerun_script.query_string = ""
    ws.send(request.SerializeToString())
    session_id = ""
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(ws.recv(timeout=300))
        if msg.WhichOneof("type") == "new_session":
            session_id = msg.new_session.initialize.session_id
        if msg.WhichOneof("type") == "script_finished":
            return session_id



def _xsrf(base: str) -> str:
    import urllib.request

    with urllib.request.urlopen(base + "/_stcore/health") as response:  # it sets the XSRF cookie
        cookies = response.headers.get_all("Set-Cookie") or []
    return next(c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("_streamlit_xsrf="))


def _put_headers(session_id: str, xsrf: str, length: int) -> bytes:
    return (f"PUT /_stcore/upload_file/{session_id}/f1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: multipart/form-data; boundary=XyZ\r\n"
            f"Content-Length: {length}\r\nCookie: _streamlit_xsrf={xsrf}\r\nX-Xsrftoken: {xsrf}\r\n\r\n").encode()


def _multipart(data: bytes) -> bytes:
    return (b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\n" + data + b"\r\n--XyZ--\r\n")


def _status(sock) -> int:
    return int(sock.recv(4096).split(b" ", 2)[1])


@pytest.mark.slow
def test_an_upload_from_a_session_not_logged_in_is_refused_before_its_body_is_read(tmp_path):
    import contextlib
    import datetime as dt
    import socket

    import jwt

    from data_access.accounts import sessions, users
    from data_access.engine import create_engine
    from tests.support import apptest_helpers as h
    from tests.support import browser_helpers as b
    from tests.support import tiny_shop

    url, credentials = h.shop_app(tmp_path, tiny_shop.load)  # a private file: the server holds it
    engine = create_engine(url)
    sid = sessions.start(engine, "analyst", users.session_epoch(credentials, "analyst") or "")
    engine.dispose()
    cookie = jwt.encode({"sid": sid, "exp_date": (dt.datetime.now() + dt.timedelta(days=1)).timestamp()},
                        "browser-test-cookie-key-0123456789", algorithm="HS256")
    with b.app_server(url, credentials) as base, contextlib.ExitStack() as stack:
        port = int(base.rsplit(":", 1)[1])
        anonymous, member = _open_session(stack, base, None), _open_session(stack, base, cookie)
        xsrf = _xsrf(base)
        body = _multipart(b"a,b\n" + b"1,2\n" * (UPLOAD_MB * 1024 * 256))
        # The headers of a 40 MB upload and not one byte of it: the answer comes without the body.
        with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
            sock.sendall(_put_headers(anonymous, xsrf, len(body)))
            assert _status(sock) == 400
        # The same upload from the logged-in session is read and kept (the request itself is sound).
        with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
            sock.sendall(_put_headers(member, xsrf, len(body)) + body)
            assert _status(sock) == 204
