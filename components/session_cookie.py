"""The re-login cookie, set by the server: HttpOnly, SameSite=Strict, Secure behind HTTPS.

`streamlit run` gives an app no HTTP response of its own (its code runs inside the websocket), so a
cookie written from the page would be readable by every script on it. Instead this process's
Starlette app gets one extra route, POST /_shop/cookie (under server.baseUrlPath), added from the
first script run (components.server_hooks.install) to the router's live route list. A logged-in
session is granted a one-time nonce (random, 2 minutes, in this process's memory) for the cookie's
value (the signed server-side session token, components.auth) and the page posts it back with a
few lines of script (st.html); the route answers 204 with `Set-Cookie: shop_ops_auth=...; HttpOnly;
SameSite=Strict; Path=/` (and `Secure` when the request came over HTTPS: X-Forwarded-Proto https,
an https URL, or SHOP_COOKIE_SECURE=1). A nonce for no value deletes the cookie (after a logout).
The route needs no database: the nonce is the whole authorisation, it works once, and a request
whose Origin (or Sec-Fetch-Site) says it came from another site is refused, so another site cannot
plant its own session in a user's browser. The returning browser's cookie still arrives with the
websocket's request (st.context.cookies) and is checked server-side (components.auth.returning_user).

Several server processes need sticky sessions: the nonce lives in the process that granted it.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

COOKIE_NAME = "shop_ops_auth"
ROUTE = "_shop/cookie"
#: Seconds a granted nonce may be redeemed.
NONCE_SECONDS = 120
_LOGGER = logging.getLogger(__name__)


@dataclass
class _Grant:
    value: str | None  # the cookie's value; None deletes the cookie
    max_age: int
    expires: float
    used: bool = False


_GRANTS: dict[str, _Grant] = {}
_LOCK = threading.Lock()
_installed_on: list[object] = []  # the Starlette app the route was added to (one per process)


def grant(value: str | None, max_age: int = 0) -> str:
    """A one-time nonce that the route trades for the cookie `value` (None: delete it)."""
    now = time.monotonic()
    nonce = secrets.token_urlsafe(32)
    with _LOCK:
        for old in [k for k, g in _GRANTS.items() if g.expires < now]:
            del _GRANTS[old]
        _GRANTS[nonce] = _Grant(value, max_age, now + NONCE_SECONDS)
    return nonce


def state(nonce: str | None) -> str:
    """"pending" (not yet redeemed, still valid), "used" (the route set the cookie) or "gone" (unknown/expired)."""
    with _LOCK:
        found = _GRANTS.get(nonce or "")
        if found is None or (not found.used and found.expires < time.monotonic()):
            return "gone"
        return "used" if found.used else "pending"


def redeem(nonce: str) -> _Grant | None:
    """The grant for nonce, marked used, if it is pending; else None (each nonce works once)."""
    with _LOCK:
        found = _GRANTS.get(nonce)
        if found is None or found.used or found.expires < time.monotonic():
            return None
        found.used = True
        return found


def revoke(nonce: str | None) -> None:
    """Forget a nonce, redeemed or not."""
    with _LOCK:
        _GRANTS.pop(nonce or "", None)


def secure_request(headers, url: str) -> bool:
    """Whether the browser reached us over HTTPS (directly, or through a proxy saying so), or SHOP_COOKIE_SECURE=1."""
    if os.environ.get("SHOP_COOKIE_SECURE", "") == "1":
        return True
    return str(headers.get("x-forwarded-proto", "")).lower() == "https" or url.startswith("https://")


def same_site(headers) -> bool:
    """Whether the request came from this site's own page (Sec-Fetch-Site, else Origin against Host)."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    origin = headers.get("origin")
    if origin is None:
        return fetch_site == "same-origin"
    return urlsplit(origin).netloc.lower() == str(headers.get("host", "")).lower()


async def endpoint(request: Request) -> Response:
    """POST body {"nonce": ...} -> 204 with the cookie set (or deleted); 403 for anything else."""
    refused = Response(status_code=403, headers={"Cache-Control": "no-store"})
    if not same_site(request.headers):
        return refused
    try:
        nonce = str(json.loads(await request.body()).get("nonce", ""))
    except (ValueError, AttributeError):
        return refused
    found = redeem(nonce)
    if found is None:
        return refused
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    secure = secure_request(request.headers, str(request.url))
    if found.value is None:
        response.delete_cookie(COOKIE_NAME, path="/", secure=secure, httponly=True, samesite="strict")
    else:
        response.set_cookie(COOKIE_NAME, found.value, max_age=found.max_age, path="/", secure=secure,
                            httponly=True, samesite="strict")
    return response


def route_path() -> str:
    """The route's path under server.baseUrlPath."""
    from streamlit import config
    from streamlit.url_util import make_url_path

    return make_url_path(config.get_option("server.baseUrlPath") or "", ROUTE)


def install_route(app) -> bool:
    """Add the route to a Starlette app's live route list (first, before Streamlit's catch-all); False if there."""
    if app in _installed_on:
        return False
    path = route_path()
    if not any(getattr(r, "path", None) == path for r in app.router.routes):
        # A new list, swapped in whole: a request being routed meanwhile keeps iterating the old one.
        app.router.routes = [Route(path, endpoint, methods=["POST"]), *app.router.routes]
    _installed_on.append(app)
    return True


def install_from_session(session_id: str) -> bool:
    """install_route on the Starlette app serving session_id's websocket (nothing under AppTest: no server)."""
    from streamlit import runtime

    if _installed_on or not runtime.exists():
        return False
    client = runtime.get_instance().get_client(session_id)
    websocket = getattr(client, "_websocket", None)  # Streamlit's StarletteSessionClient keeps it there (1.67)
    app = getattr(websocket, "scope", {}).get("app") if websocket is not None else None
    if app is None or not hasattr(app, "router"):
        if client is not None and type(client).__name__ == "StarletteSessionClient":
            _LOGGER.error("cannot reach the Starlette app: the re-login cookie cannot be set (Streamlit changed?)")
        return False
    return install_route(app)


def exchange_script(nonce: str) -> str:
    """The page's few lines that post the nonce to the route (same origin; the response sets the cookie)."""
    def js(value: str) -> str:  # a JavaScript string literal that cannot end the <script> element
        return json.dumps(value).replace("<", "\\u003c")

    return (f'<script>fetch({js(route_path())}, {{method: "POST", credentials: "same-origin", '
            f'headers: {{"Content-Type": "application/json"}}, body: JSON.stringify({{nonce: {js(nonce)}}})}});'
            '</script>')
