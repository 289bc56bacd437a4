"""The re-login cookie is set by the server (components.session_cookie): HttpOnly, SameSite=Strict, Secure behind
HTTPS, for a one-time nonce shown to the logged-in session. The route is called here through ASGI on a Starlette
app (as Streamlit's own), the login through AppTest; tests/app/test_browser.py checks it in a real browser."""

from __future__ import annotations

import asyncio
import json
import re

import jwt
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from components import session_cookie
from tests.support import apptest_helpers as h

COOKIE_KEY = "test-cookie-key-0123456789abcdef"


def _server_app() -> Starlette:
    """A Starlette app ending, as Streamlit's does, in a catch-all route; with the cookie route added live."""
    app = Starlette(routes=[Route("/{path:path}", lambda request: PlainTextResponse("static"),
                                  methods=["GET", "POST"])])
    assert session_cookie.install_route(app)
    assert not session_cookie.install_route(app)  # once
    return app


def _call(app, *, nonce: str = "", method: str = "POST", headers: dict | None = None,
          scheme: str = "http") -> tuple[int, list[str]]:
    """One request through ASGI: its status and Set-Cookie headers."""
    headers = {"host": "shop.example:8501", "origin": f"{scheme}://shop.example:8501",
               "content-type": "application/json", **(headers or {})}
    scope = {"type": "http", "method": method, "path": session_cookie.route_path(), "raw_path": b"",
             "scheme": scheme, "server": ("shop.example", 8501), "query_string": b"", "root_path": "",
             "http_version": "1.1", "headers": [(k.encode(), v.encode()) for k, v in headers.items() if v is not None]}
    body = json.dumps({"nonce": nonce}).encode()
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    cookies = [v.decode() for k, v in start["headers"] if k.lower() == b"set-cookie"]
    return start["status"], cookies


@pytest.mark.parametrize("proto, secure", [("https", True), ("http", False)])
def test_the_cookie_is_secure_behind_https(monkeypatch, proto, secure):
    monkeypatch.delenv("SHOP_COOKIE_SECURE", raising=False)
    app = _server_app()
    status, cookies = _call(app, nonce=session_cookie.grant("signed-token", 3600),
                            headers={"x-forwarded-proto": proto})
    assert status == 204 and len(cookies) == 1
    attributes = [part.strip().lower() for part in cookies[0].split(";")]
    assert attributes[0] == f"{session_cookie.COOKIE_NAME}=signed-token"
    assert {"httponly", "samesite=strict", "path=/", "max-age=3600"} <= set(attributes)
    assert ("secure" in attributes) is secure


def test_a_nonce_works_once_and_only_from_the_sites_own_page():
    app = _server_app()
    nonce = session_cookie.grant("signed-token", 3600)
    assert _call(app, nonce=nonce, headers={"origin": "https://evil.example"})[0] == 403
    assert _call(app, nonce=nonce, headers={"sec-fetch-site": "cross-site"})[0] == 403
    assert _call(app, nonce=nonce, headers={"origin": None})[0] == 403  # neither Origin nor Sec-Fetch-Site
    assert _call(app, nonce=nonce, method="GET")[1] == []  # only POST reaches the route (GET: the catch-all)
    assert session_cookie.state(nonce) == "pending"  # none of those used it up
    assert _call(app, nonce="guessed")[0] == 403
    assert _call(app, nonce=nonce, headers={"origin": None, "sec-fetch-site": "same-origin"})[0] == 204
    assert session_cookie.state(nonce) == "used"
    assert _call(app, nonce=nonce) == (403, [])  # a replay sets nothing


def test_an_expired_or_revoked_nonce_sets_nothing(monkeypatch):
    app = _server_app()
    revoked = session_cookie.grant("signed-token", 3600)
    session_cookie.revoke(revoked)
    assert session_cookie.state(revoked) == "gone" and _call(app, nonce=revoked) == (403, [])
    old = session_cookie.grant("signed-token", 3600)
    clock = session_cookie.time.monotonic() + session_cookie.NONCE_SECONDS + 1
    monkeypatch.setattr(session_cookie.time, "monotonic", lambda: clock)
    assert session_cookie.state(old) == "gone" and _call(app, nonce=old) == (403, [])


def test_a_nonce_for_no_value_deletes_the_cookie():
    status, cookies = _call(_server_app(), nonce=session_cookie.grant(None))
    assert status == 204 and len(cookies) == 1
    attributes = [part.strip().lower() for part in cookies[0].split(";")]
    assert attributes[0] == f'{session_cookie.COOKIE_NAME}=""' and "max-age=0" in attributes
    assert "httponly" in attributes


def _exchange_nonces(at) -> list[str]:
    """The nonces of the cookie exchanges drawn in this run (st.html with the posting script)."""
    return [n for e in at.get("html") for n in re.findall(r'nonce: "([\w-]+)"', e.proto.body)]


def test_a_password_login_trades_a_nonce_for_the_signed_session_token_then_stops_asking(tiny_app, tmp_path,
                                                                                        monkeypatch):
    from components.auth import SID_KEY

    credentials = tmp_path / "credentials.yaml"
    h.write_users(credentials)
    h.configure(monkeypatch, tiny_app[0], credentials)
    monkeypatch.setenv("SHOP_COOKIE_KEY", COOKIE_KEY)
    at = h.app().run()
    assert _exchange_nonces(at) == []  # nobody logged in: no cookie to set
    at = h.login(at, "analyst", h.PASSWORD)
    assert h.is_logged_in(at)
    nonces = _exchange_nonces(at)
    assert len(nonces) == 1
    assert _exchange_nonces(at.run()) == nonces  # asked again (the same nonce) until the route has set it
    status, cookies = _call(_server_app(), nonce=nonces[0])
    assert status == 204
    value = cookies[0].split(";")[0].split("=", 1)[1]
    assert jwt.decode(value, COOKIE_KEY, algorithms=["HS256"])["sid"] == at.session_state[SID_KEY]
    assert _exchange_nonces(at.run()) == []
    at.sidebar.button(key="logout_button").click().run()  # logging out deletes it, the same way
    (delete,) = _exchange_nonces(at)
    status, cookies = _call(_server_app(), nonce=delete)
    assert status == 204 and "max-age=0" in cookies[0].lower()
    assert _exchange_nonces(at.run()) == []
