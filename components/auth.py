"""Login gate: streamlit-authenticator for credentials and the re-login cookie, a failed-login limit, audit."""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, timedelta

import jwt
import streamlit as st
import streamlit_authenticator as stauth

from components.lang import language_switcher, set_lang, t
from data_access import audit, users
from data_access.engine import ConfigError, get_engine

COOKIE_NAME = "shop_ops_auth"
COOKIE_EXPIRY_DAYS = 7
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
_DEMO_COOKIE_KEY = secrets.token_urlsafe(32)  # demo mode only: valid for this server process
_COOKIE_PENDING = "_auth_cookie_pending"
COOKIE_WRITE_RUNS = 3
_COOKIE_DELETE_PENDING = "_auth_cookie_delete_pending"
# The session keys streamlit-authenticator uses for a logged-in user.
_SESSION_KEYS = ("authentication_status", "username", "name", "email", "roles")
#: The page (and link parameters) a not-yet-logged-in user asked for; app.py opens it after login.
AFTER_LOGIN = "_page_after_login"
#: Every session key of the filter bar starts with this, so logout can clear the previous user's filters.
FILTER_KEY_PREFIX = "fb_"


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


def cookie_key() -> str:
    """The cookie signing key from SHOP_COOKIE_KEY or secrets [auth] cookie_key; ConfigError when missing."""
    key = os.environ.get("SHOP_COOKIE_KEY", "").strip()
    if not key:
        try:
            key = str(st.secrets.get("auth", {}).get("cookie_key", "")).strip()
        except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
            key = ""
    if key:
        return key
    if demo_mode():
        return _DEMO_COOKIE_KEY
    raise ConfigError("No cookie key: set SHOP_COOKIE_KEY or [auth] cookie_key in .streamlit/secrets.toml "
                      "(or SHOP_DEMO=1 for the demo)")


def _authenticator() -> stauth.Authenticate:
    """streamlit-authenticator, used to write and delete the re-login cookie (it draws a cookie component)."""
    credentials = users.load_users().get("credentials") or {"usernames": {}}
    return stauth.Authenticate(credentials, COOKIE_NAME, cookie_key(), COOKIE_EXPIRY_DAYS,
                               auto_hash=False)


def current_user() -> CurrentUser | None:
    """The session's user, re-read from the user store each run so role and scope changes apply at once."""
    if not st.session_state.get("authentication_status"):
        return None
    record = users.get_user(None, st.session_state.get("username", ""))
    if record is None:  # deleted since login
        st.session_state["authentication_status"] = None
        return None
    stores = None if record["stores"] == users.ALL_STORES else tuple(record["stores"])
    return CurrentUser(record["username"], record["name"], record["role"], stores, record["lang"])


def cookie_login() -> CurrentUser | None:
    """Re-login from the signed re-login cookie that streamlit-authenticator wrote; draws nothing.

    The cookie arrives with the page request (st.context.cookies), so no cookie component has to be
    drawn here: on the login page such a component makes the browser send a rerun that can swallow
    the form's submit. A cookie issued before the user's last logout is refused, so logging out
    ends every cookie even if a browser kept it.
    """
    raw = st.context.cookies.get(COOKIE_NAME)
    if not raw:
        return None
    try:
        token = jwt.decode(raw, cookie_key(), algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    expires = float(token.get("exp_date", 0))
    record = users.get_user(None, str(token.get("username", "")))
    if record is None or expires <= time.time():
        return None
    last_logout = audit.last_event_at(get_engine(), record["username"], audit.LOGOUT)
    issued = expires - COOKIE_EXPIRY_DAYS * 86400
    if last_logout is not None and issued <= last_logout.replace(tzinfo=UTC).timestamp():
        return None
    if issued <= record["password_changed_at"]:  # a password change ends every earlier login
        return None
    _start_session(record)
    user = current_user()
    _on_login(user, "cookie")
    return user


def _start_session(record: dict) -> None:
    # The session keys streamlit-authenticator itself uses, so its cookie writer works unchanged.
    st.session_state.update({"authentication_status": True, "username": record["username"],
                             "name": record["name"], "email": record.get("email"), "roles": [record["role"]],
                             "logout": False})


def login_gate() -> CurrentUser | None:
    """The session's user, else the login form is drawn and None returned."""
    user = current_user()
    if user is None:
        login_form()
    return user


def login_form() -> None:
    """The login form with the failed-login limit, then a cookie re-login attempt.

    The form is handled before the cookie component is drawn: that component makes the browser
    send a rerun, which would otherwise swallow the form's submit.
    """
    language_switcher()
    st.title(t("app.title"))
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
    elif cookie_login() is not None:
        st.rerun()


def finish_login() -> None:
    """Write the re-login cookie after a password login, in runs that complete (see login_form).

    The cookie is written by a browser component; drawing it in a few consecutive runs keeps it
    mounted long enough to run even when the cookie reader's first answer triggers a quick rerun.
    """
    runs_left = st.session_state.get(_COOKIE_PENDING, 0)
    if runs_left:
        st.session_state[_COOKIE_PENDING] = runs_left - 1
        _authenticator().cookie_controller.set_cookie()


def _password_login(name: str, password: str) -> CurrentUser | None:
    """Check the password (bcrypt) unless the user is locked out; log the outcome; set the session."""
    engine = get_engine()
    if audit.failed_login_count(engine, name, audit.utc_now() - LOCKOUT) >= MAX_FAILED_LOGINS:
        audit.log_event(engine, name, audit.ACCESS_DENIED, "login refused: too many failed attempts")
        st.error(t("auth.too_many_attempts", minutes=int(LOCKOUT.total_seconds() // 60)))
        return None
    record = users.get_user(None, name) if users.verify_password(None, name, password) else None
    if record is None:
        audit.log_event(engine, name, audit.LOGIN_FAILED, "bad username or password")
        st.error(t("auth.login_failed"))
        return None
    _start_session(record)
    user = current_user()
    _on_login(user, "password")
    return user


def _on_login(user: CurrentUser, how: str) -> None:
    set_lang(user.lang)
    # Only a password login clears the failed-login counter, so a cookie login is its own action.
    action = audit.LOGIN if how == "password" else audit.LOGIN_COOKIE
    audit.log_event(get_engine(), user.username, action, f"login by {how}")


def logout_button(user: CurrentUser) -> None:
    """Sidebar logout: clears the session and the cookie, writes the audit log."""
    if st.sidebar.button(t("auth.logout"), key="logout_button"):
        audit.log_event(get_engine(), user.username, audit.LOGOUT, "")
        # The next person on this tab starts clean: no login, no filters, no pending deep link.
        for key in [k for k in st.session_state if k in _SESSION_KEYS or k == AFTER_LOGIN
                    or k.startswith(FILTER_KEY_PREFIX)]:
            st.session_state.pop(key, None)
        st.query_params.clear()  # the filters live in the link too
        # The cookie is deleted by the login form's run: a rerun now would drop the deletion.
        st.session_state[_COOKIE_DELETE_PENDING] = True
        st.rerun()


def remember_lang(user: CurrentUser):
    """A callback for the language switcher that saves the choice in the user's record."""

    def save(lang: str) -> None:
        users.set_lang(None, user.username, lang)

    return save
