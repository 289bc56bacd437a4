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
