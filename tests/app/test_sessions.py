"""Server-side sessions: logout, password/role/scope changes and deletion end live sessions; timeouts."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import audit
from data_access.accounts import sessions, users
from data_access.engine import create_engine
from data_access.schema import create_schema
from data_access.schema import sessions as sessions_table
from tests.support import apptest_helpers as h


@pytest.fixture
def env(tiny_app, tmp_path, monkeypatch):
    """The tiny shop with a private copy of the users, so changing them does not touch other tests."""
    credentials = tmp_path / "credentials.yaml"
    h.write_users(credentials)
    h.configure(monkeypatch, tiny_app[0], credentials)
    return tiny_app[0], credentials


def _logged_in_app(username: str):
    at = h.login(h.app().run(), username, h.PASSWORD)
    assert h.is_logged_in(at), h.all_text(at)
    return at


@pytest.mark.parametrize("change", [
    lambda path: users.set_password(path, "analyst", h.PASSWORD + "-new"),
    lambda path: users.set_role(path, "analyst", "marketer"),
    lambda path: users.set_stores(path, "analyst", "S1"),
    lambda path: users.remove_user(path, "analyst"),
], ids=["password", "role", "stores", "removed"])
def test_a_change_to_the_user_ends_the_open_session_at_its_next_rerun(env, change):
    at = _logged_in_app("analyst")
    change(env[1])
    at.run()
    assert not h.is_logged_in(at)
    assert at.text_input(key="login_username") is not None
    assert len(at.metric) == 0
    assert "Your session has ended" in h.all_text(at)


def test_language_change_keeps_the_session(env):
    at = _logged_in_app("analyst")
    users.set_lang(env[1], "analyst", "en")
    at.run()
    assert h.is_logged_in(at)


def test_logout_ends_every_session_of_the_user(env):
    first, second, other = _logged_in_app("analyst"), _logged_in_app("analyst"), _logged_in_app("admin")
    first.sidebar.button(key="logout_button").click().run()
    second.run()
    other.run()
    assert not h.is_logged_in(second)
    assert h.is_logged_in(other)  # only that user's sessions end


def test_a_recreated_username_never_inherits_an_old_session(env):
    engine = create_engine(env[0])
    token = sessions.start(engine, "analyst", users.session_epoch(env[1], "analyst"))
    users.remove_user(env[1], "analyst")
    users.add_user(env[1], "analyst", h.PASSWORD, "admin")
    assert not sessions.check(engine, token, "analyst", users.session_epoch(env[1], "analyst"))


def test_idle_timeout_and_lifetime_are_settings(env, monkeypatch):
    at = _logged_in_app("analyst")
    engine = create_engine(env[0])
    sid = at.session_state["_auth_sid"]

    def idle_for(minutes: int) -> None:
        with engine.begin() as conn:
            conn.execute(sa.update(sessions_table).where(sessions_table.c.sid_hash == sessions.token_hash(sid))
                         .values(last_seen_at=audit.utc_now() - dt.timedelta(minutes=minutes)))

    idle_for(31)
    at.run()
    assert h.is_logged_in(at)  # the default idle timeout is two hours
    idle_for(31)
    monkeypatch.setenv("SHOP_SESSION_IDLE_MINUTES", "30")
    at.run()
    assert not h.is_logged_in(at)

    at = _logged_in_app("analyst")
    sid = at.session_state["_auth_sid"]
    with engine.begin() as conn:
        conn.execute(sa.update(sessions_table).where(sessions_table.c.sid_hash == sessions.token_hash(sid))
                     .values(created_at=audit.utc_now() - dt.timedelta(hours=3)))
    monkeypatch.setenv("SHOP_SESSION_LIFETIME_HOURS", "2")
    at.run()
    assert not h.is_logged_in(at)


def test_a_forged_session_state_without_a_server_session_shows_the_login(env):
    at = h.app()
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.run()
    assert not h.is_logged_in(at)
    assert len(at.metric) == 0


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_session_store_on_both_backends(fresh_engine, backend):
    engine = fresh_engine(backend)
    create_schema(engine)
    token = sessions.start(engine, "alice", "e1", client="203.0.113.9")
    assert sessions.check(engine, token, "alice", "e1")
    assert not sessions.check(engine, token, "alice", "e2")  # the user's epoch moved on
    assert not sessions.check(engine, token, "bob", "e1")
    assert not sessions.check(engine, "not-a-token", "alice", "e1")
    assert sessions.username_of(engine, token) == "alice"
    assert sessions.end_user_sessions(engine, "alice") == 1
    assert not sessions.check(engine, token, "alice", "e1")
    with engine.connect() as conn:  # only the hash is stored
        assert conn.execute(sa.select(sa.func.count()).select_from(sessions_table)
                            .where(sessions_table.c.sid_hash == token)).scalar() == 0


# --- re-login from the cookie, within the first run (components.auth.returning_user) ---------------------------

def _cookie(sid: str, *, key: str = "test-cookie-key-0123456789abcdef", days: float = 7) -> str:
    import jwt

    return jwt.encode({"sid": sid, "exp_date": (dt.datetime.now() + dt.timedelta(days=days)).timestamp()}, key,
                      algorithm="HS256")


def _live_sid(url: str, credentials, username: str) -> str:
    return sessions.start(create_engine(url), username, users.session_epoch(credentials, username) or "")


def _first_run_with_cookie(token: str, monkeypatch):
    """app.py's first run in a new browser session that sends token as the re-login cookie; also how many times
    the login form was drawn."""
    from unittest import mock

    import streamlit as st

    from components import auth

    drawn = []
    original = auth.login_form
    monkeypatch.setattr(auth, "login_form", lambda: drawn.append(1) or original())
    at = h.app()
    with mock.patch.object(type(st.context), "cookies", new_callable=mock.PropertyMock,
                           return_value={auth.COOKIE_NAME: token}):
        at.run()
    assert not at.exception, at.exception
    return at, len(drawn)


def test_a_valid_cookie_logs_in_within_the_first_run(env, monkeypatch):
    at, forms = _first_run_with_cookie(_cookie(_live_sid(*env, "admin")), monkeypatch)
    assert h.is_logged_in(at) and at.session_state["username"] == "admin"
    assert forms == 0  # the login page was never drawn: no second run
    assert "Daily overview" in h.all_text(at) and len(at.metric) == 5
    logins = audit.search_events(create_engine(env[0]), username="admin", action=audit.LOGIN_COOKIE, limit=10)
    assert len(logins) == 1


@pytest.mark.parametrize("spoil", ["revoked", "expired", "tampered", "idle", "too_old", "password_changed"])
def test_a_spoilt_cookie_does_not_log_in(env, monkeypatch, spoil):
    url, credentials = env
    engine = create_engine(url)
    sid = _live_sid(url, credentials, "analyst")
    token = _cookie(sid)
    if spoil == "revoked":
        sessions.end_user_sessions(engine, "analyst")  # a logout elsewhere
    elif spoil == "expired":
        token = _cookie(sid, days=-1)
    elif spoil == "tampered":
        token = _cookie(sid, key="someone-elses-key-0123456789abcdef")
    elif spoil in ("idle", "too_old"):
        column = "last_seen_at" if spoil == "idle" else "created_at"
        with engine.begin() as conn:
            conn.execute(sa.update(sessions_table).where(sessions_table.c.sid_hash == sessions.token_hash(sid))
                         .values({column: audit.utc_now() - dt.timedelta(days=8)}))
    else:
        users.set_password(credentials, "analyst", h.PASSWORD + "-new")
    at, forms = _first_run_with_cookie(token, monkeypatch)
    assert not h.is_logged_in(at)
    assert forms == 1 and at.text_input(key="login_username") is not None
    assert len(at.metric) == 0


def test_a_recreated_user_does_not_inherit_the_old_cookie(env, monkeypatch):
    url, credentials = env
    token = _cookie(_live_sid(url, credentials, "analyst"))
    users.remove_user(credentials, "analyst")
    users.add_user(credentials, "analyst", h.PASSWORD, "admin")  # same name, now an admin
    at, _ = _first_run_with_cookie(token, monkeypatch)
    assert not h.is_logged_in(at)
    assert len(at.metric) == 0


@pytest.mark.parametrize("proto, secure", [("https", True), ("http", None)])
def test_the_cookie_is_secure_behind_https(env, monkeypatch, proto, secure):
    from types import SimpleNamespace

    from streamlit.testing.v1 import AppTest

    from components import auth

    written = []

    class Manager:  # the browser component that writes the cookie
        def set(self, name, value, expires_at=None, secure=None):
            written.append((name, secure))

    controller = SimpleNamespace(cookie_model=SimpleNamespace(cookie_manager=Manager()))
    monkeypatch.setattr(auth, "_authenticator", lambda: SimpleNamespace(cookie_controller=controller))
    monkeypatch.delenv("SHOP_COOKIE_SECURE", raising=False)

    def after_login(forwarded: str) -> None:
        from unittest import mock

        import streamlit as st

        from components import auth

        st.session_state[auth._COOKIE_PENDING] = 1
        st.session_state[auth.SID_KEY] = "a-session-token"
        with mock.patch.object(type(st.context), "headers", new_callable=mock.PropertyMock,
                               return_value={"X-Forwarded-Proto": forwarded}):
            auth.finish_login()

    at = AppTest.from_function(after_login, args=(proto,), default_timeout=60).run()
    assert not at.exception, at.exception
    assert written == [(auth.COOKIE_NAME, secure)]
