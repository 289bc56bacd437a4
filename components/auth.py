"""Login gate: streamlit-authenticator for credentials and the re-login cookie, a failed-login limit, audit."""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components.lang import language_switcher, set_lang, t
from data_access import audit
from data_access.accounts import login_limits, sessions, users
from data_access.engine import ConfigError, get_engine

COOKIE_NAME = "shop_ops_auth"
COOKIE_EXPIRY_DAYS = 7
#: HS256 keys shorter than this are guessable offline from one cookie (RFC 7518 asks for >= 256 bits).
MIN_COOKIE_KEY_BYTES = 32
_DEMO_COOKIE_KEY = secrets.token_urlsafe(32)  # demo mode only: valid for this server process
_COOKIE_PENDING = "_auth_cookie_pending"
COOKIE_WRITE_RUNS = 3
_COOKIE_DELETE_PENDING = "_auth_cookie_delete_pending"
#: The token of this browser session's server-side session (schema.sessions).
SID_KEY = "_auth_sid"
_ENDED_NOTICE = "_auth_session_ended"
_COOKIE_AUDITED = "_auth_cookie_audited"
_CHECKED_THIS_RUN = "_auth_checked_this_run"
# The session keys streamlit-authenticator uses for a logged-in user, and ours.
_SESSION_KEYS = ("authentication_status", "username", "name", "email", "roles", SID_KEY, _CHECKED_THIS_RUN)
#: The page (and link parameters) a not-yet-logged-in user asked for; app.py opens it after login.
AFTER_LOGIN = "_page_after_login"
#: Every session key of the filter bar starts with this, so logout can clear the previous user's filters.
FILTER_KEY_PREFIX = "fb_"


class CookieKeyError(ConfigError):
    """The cookie signing key is missing or too short; the message names only settings, no paths."""


@dataclass(frozen=True)
class CurrentUser:
    """The logged-in user as the pages see it; stores None means every store."""

    username: str
    name: str
    role: str
    stores: tuple[str, ...] | None
    lang: str


def demo_mode() -> bool:
    """Demo mode (SHOP_DEMO=1, set by `make run`) may run without a configured cookie key."""
    return os.environ.get("SHOP_DEMO", "") == "1"


def _auth_setting(env: str, key: str) -> str:
    """An [auth] setting: the environment variable, else .streamlit/secrets.toml [auth] key, else ""."""
    value = os.environ.get(env, "").strip()
    if value:
        return value
    try:
        return str(st.secrets.get("auth", {}).get(key, "")).strip()
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return ""


def cookie_key() -> str:
    """The cookie signing key from SHOP_COOKIE_KEY or secrets [auth] cookie_key; CookieKeyError when missing or short.

    Demo mode without a key gets a random one for this process; a configured key shorter than
    MIN_COOKIE_KEY_BYTES is refused outside demo mode.
    """
    key = _auth_setting("SHOP_COOKIE_KEY", "cookie_key")
    if key and (len(key.encode("utf-8")) >= MIN_COOKIE_KEY_BYTES or demo_mode()):
        return key
    if key:
        raise CookieKeyError(f"The cookie key is shorter than {MIN_COOKIE_KEY_BYTES} bytes: set a longer "
                             "SHOP_COOKIE_KEY or [auth] cookie_key (python -c \"import secrets; "
                             "print(secrets.token_urlsafe(32))\")")
    if demo_mode():
        return _DEMO_COOKIE_KEY
    raise CookieKeyError("No cookie key: set SHOP_COOKIE_KEY or [auth] cookie_key in .streamlit/secrets.toml "
                         "(or SHOP_DEMO=1 for the demo)")


def session_limits() -> sessions.Limits:
    """Idle timeout and absolute lifetime: SHOP_SESSION_IDLE_MINUTES / SHOP_SESSION_LIFETIME_HOURS or
    [auth] session_idle_minutes / session_lifetime_hours; defaults 120 minutes and 7 days."""
    def number(env: str, key: str, default: float) -> float:
        try:
            value = float(_auth_setting(env, key) or default)
        except ValueError:
            raise ConfigError(f"{env} / [auth] {key} must be a number") from None
        if value <= 0:
            raise ConfigError(f"{env} / [auth] {key} must be positive")
        return value

    return sessions.Limits(idle=timedelta(minutes=number("SHOP_SESSION_IDLE_MINUTES", "session_idle_minutes", 120)),
                           lifetime=timedelta(hours=number("SHOP_SESSION_LIFETIME_HOURS", "session_lifetime_hours",
                                                           COOKIE_EXPIRY_DAYS * 24)))


def client_address() -> str:
    """The browser's address as the server sees it ("local" for localhost; behind a proxy, the proxy's)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"  # AppTest gives a stand-in object


def audit_event(username: str | None, action: str, detail: str = "") -> None:
    """One audit entry with this browser's address."""
    audit.log_event(get_engine(), username, action, detail, client=client_address())


def _authenticator() -> stauth.Authenticate:
    """streamlit-authenticator, used to write and delete the re-login cookie (it draws a cookie component)."""
    credentials = users.load_users().get("credentials") or {"usernames": {}}
    return stauth.Authenticate(credentials, COOKIE_NAME, cookie_key(), COOKIE_EXPIRY_DAYS,
                               auto_hash=False)


def _clear_session_keys() -> None:
    for key in [k for k in st.session_state if k in _SESSION_KEYS or k == AFTER_LOGIN
                or k.startswith(FILTER_KEY_PREFIX)]:
        st.session_state.pop(key, None)


def current_user() -> CurrentUser | None:
    """The session's user, checked against the server-side session and the user store on every run.

    The session ends here (at the next rerun) when it was ended elsewhere (logout), when the user's
    password, role or scope changed, when the user was removed or re-created, or when it is idle or old.
    """
    if not st.session_state.get("authentication_status"):
        return None
    username = st.session_state.get("username", "")
    # app.py and the page's guard both ask in one run: the second gets the first answer (one check per rerun).
    # ctx.cursors is a new dict each run, and the memo keeps it alive, so `is` cannot match a later run.
    ctx = get_script_run_ctx()
    memo = st.session_state.get(_CHECKED_THIS_RUN)
    identity = (username, st.session_state.get(SID_KEY))
    if ctx is not None and memo is not None and memo[0] is ctx.cursors and memo[1] == identity:
        return memo[2]
    user = _checked_user(username)
    if user is not None and ctx is not None:
        st.session_state[_CHECKED_THIS_RUN] = (ctx.cursors, identity, user)
    return user


def _checked_user(username: str) -> CurrentUser | None:
    """current_user's check against the server-side session and the user store."""
    record = users.get_user(None, username)
    live = record is not None and sessions.check(get_engine(), st.session_state.get(SID_KEY), record["username"],
                                                 users.session_epoch(None, username) or "", session_limits())
    if not live:
        why = "user removed" if record is None else "session no longer valid"
        audit_event(username or None, audit.SESSION_ENDED, why)
        _clear_session_keys()
        st.session_state["authentication_status"] = None
        st.session_state[_ENDED_NOTICE] = True
        st.session_state[_COOKIE_DELETE_PENDING] = True
        return None
    stores = None if record["stores"] == users.ALL_STORES else tuple(record["stores"])
    return CurrentUser(record["username"], record["name"], record["role"], stores, record["lang"])


def returning_user() -> CurrentUser | None:
    """The session's user, else a returning browser logged in from its re-login cookie in this same run.

    The cookie arrives with the page request (st.context.cookies) and is verified here, server-side,
    so a returning visitor's first run already draws their page: no login-page run, no rerun, no
    cookie component. The cookie carries a server-side session token (nothing about the user), so it
    works only while that session lives: logout, a password/role/scope change, a deletion or
    re-creation of the user, the idle timeout and the lifetime all end it. Right after a logout or an
    ended session (the cookie is being deleted) it is not used.
    """
    user = current_user()
    if user is not None or st.session_state.get(_COOKIE_DELETE_PENDING):
        return user
    raw = st.context.cookies.get(COOKIE_NAME)
    if not raw:
        return None
    try:
        token = jwt.decode(raw, cookie_key(), algorithms=["HS256"])
    except jwt.PyJWTError as exc:
        if not st.session_state.get(_COOKIE_AUDITED):  # once per browser session, not on every rerun
            st.session_state[_COOKIE_AUDITED] = True
            audit_event(None, audit.COOKIE_REJECTED, f"re-login cookie refused: {type(exc).__name__}")
        return None
    sid = str(token.get("sid", ""))
    if float(token.get("exp_date", 0)) <= time.time() or not sid:
        return None
    engine = get_engine()
    record = users.get_user(None, sessions.username_of(engine, sid) or "")
    if record is None or not sessions.check(engine, sid, record["username"],
                                            users.session_epoch(None, record["username"]) or "", session_limits()):
        return None
    _start_session(record, sid)
    user = current_user()
    if user is not None:
        _on_login(user, "cookie")
    return user


def _start_session(record: dict, sid: str) -> None:
    # The session keys streamlit-authenticator itself uses, and the server-side session's token.
    st.session_state.update({"authentication_status": True, "username": record["username"],
                             "name": record["name"], "email": record.get("email"), "roles": [record["role"]],
                             "logout": False, SID_KEY: sid})
    st.session_state.pop(_ENDED_NOTICE, None)


def login_gate() -> CurrentUser | None:
    """The session's user (or a returning one, from the cookie), else the login form is drawn and None returned."""
    user = returning_user()
    if user is None:
        login_form()
    return user


def login_form() -> None:
    """The login form with the failed-login limit; right after a logout, the cookie's deletion.

    A re-login from the cookie happens before (returning_user); the form is handled before the cookie
    component is drawn: that component makes the browser send a rerun, which would otherwise swallow
    the form's submit.
    """
    language_switcher()
    st.title(t("app.title"))
    if st.session_state.get(_ENDED_NOTICE):
        st.info(t("auth.session_ended"))
    with st.form("login_form"):
        username = st.text_input(t("auth.username"), key="login_username")
        password = st.text_input(t("auth.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("auth.login"), type="primary")
    if submitted:
        if _password_login(username.strip().lower(), password) is not None:
            # The re-login cookie is written on the next (logged-in) run: a rerun now would drop it.
            st.session_state[_COOKIE_PENDING] = COOKIE_WRITE_RUNS
            st.rerun()
        return
    if st.session_state.pop(_COOKIE_DELETE_PENDING, False):
        _authenticator().cookie_controller.delete_cookie()  # just logged out: no cookie re-login now


def _https() -> bool:
    """Whether the browser reached us over HTTPS (directly or through a proxy saying so), or SHOP_COOKIE_SECURE=1."""
    if os.environ.get("SHOP_COOKIE_SECURE", "") == "1":
        return True
    return st.context.headers.get("X-Forwarded-Proto", "").lower() == "https" or \
        str(st.context.url or "").startswith("https://")


def finish_login() -> None:
    """Write the re-login cookie after a password login, in runs that complete (see login_form).

    The cookie is written by a browser component (so it cannot be HttpOnly: a server-side session
    token is all it holds); drawing it in a few consecutive runs keeps it mounted long enough to run
    even when the cookie reader's first answer triggers a quick rerun. Secure behind HTTPS.
    """
    runs_left = st.session_state.get(_COOKIE_PENDING, 0)
    if runs_left and st.session_state.get(SID_KEY):
        st.session_state[_COOKIE_PENDING] = runs_left - 1
        expires = datetime.now() + timedelta(days=COOKIE_EXPIRY_DAYS)
        token = jwt.encode({"sid": st.session_state[SID_KEY], "exp_date": expires.timestamp()}, cookie_key(),
                           algorithm="HS256")
        manager = _authenticator().cookie_controller.cookie_model.cookie_manager
        manager.set(COOKIE_NAME, token, expires_at=expires, secure=_https() or None)


def _password_login(name: str, password: str) -> CurrentUser | None:
    """Reserve an attempt (login_limits), check the password (bcrypt), log the outcome, start the session."""
    engine = get_engine()
    known = users.get_user(None, name) is not None
    who = name if known else audit.UNKNOWN_USER  # never what was typed: it may be a password
    decision = login_limits.reserve(engine, login_limits.user_key(cookie_key(), name), client_address())
    if not decision.allowed:
        audit_event(who, audit.ACCESS_DENIED, f"login refused: too many failed attempts ({decision.reason})")
        if decision.reason == "backoff":
            st.error(t("auth.slow_down", seconds=decision.wait_seconds))
        else:
            st.error(t("auth.too_many_attempts", minutes=max(1, decision.wait_seconds // 60)))
        return None
    record = users.get_user(None, name) if users.verify_password(None, name, password) else None
    if record is None:
        login_limits.settle(engine, decision.attempt_id, login_limits.FAILED)
        audit_event(who, audit.LOGIN_FAILED, "bad username or password")
        st.error(t("auth.login_failed"))
        return None
    login_limits.settle(engine, decision.attempt_id, login_limits.OK)
    epoch = users.session_epoch(None, record["username"]) or ""
    _start_session(record, sessions.start(engine, record["username"], epoch, client_address()))
    user = current_user()
    _on_login(user, "password")
    return user


def _on_login(user: CurrentUser, how: str) -> None:
    set_lang(user.lang)
    action = audit.LOGIN if how == "password" else audit.LOGIN_COOKIE
    audit_event(user.username, action, f"login by {how}")


def logout_button(user: CurrentUser) -> None:
    """Sidebar logout: ends every live session of the user, clears this one and the cookie, writes the audit log."""
    if st.sidebar.button(t("auth.logout"), key="logout_button"):
        ended = sessions.end_user_sessions(get_engine(), user.username)
        audit_event(user.username, audit.LOGOUT, f"{ended} session(s) ended")
        # The next person on this tab starts clean: no login, no filters, no pending deep link.
        _clear_session_keys()
        st.query_params.clear()  # the filters live in the link too
        # The cookie is deleted by the login form's run: a rerun now would drop the deletion.
        st.session_state[_COOKIE_DELETE_PENDING] = True
        st.rerun()


def remember_lang(user: CurrentUser):
    """A callback for the language switcher that saves the choice in the user's record."""

    def save(lang: str) -> None:
        users.set_lang(None, user.username, lang)

    return save
