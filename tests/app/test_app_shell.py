"""The app shell in AppTest: login gate, failed-login limit, role-based pages, direct page access, audit."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_access import audit
from data_access.engine import create_engine
from tests.support import apptest_helpers as h

PAGE_FILES = sorted(p.name for p in (h.ROOT / "pages").glob("*.py"))


@pytest.fixture
def env(tiny_env):
    return tiny_env[0]


@pytest.fixture
def shop(tiny_app):
    return tiny_app


def _events(url: str, action: str, username: str) -> int:
    events = audit.recent_events(create_engine(url), limit=1000, username=username)
    return int((events["action"] == action).sum())


def test_login_form_first_and_no_data(env):
    at = h.app().run()
    assert not at.exception
    assert at.text_input(key="login_username") is not None
    assert len(at.metric) == 0 and len(at.dataframe) == 0


def test_wrong_password_is_refused_and_audited(env):
    before = _events(env, audit.LOGIN_FAILED, "analyst")
    at = h.login(h.app().run(), "analyst", "wrong-password")
    assert "incorrect" in h.all_text(at)
    assert len(at.metric) == 0
    assert _events(env, audit.LOGIN_FAILED, "analyst") == before + 1


def test_failed_logins_are_limited(env):
    for _ in range(5):
        h.login(h.app().run(), "marketer", "wrong-password")
    at = h.login(h.app().run(), "marketer", h.PASSWORD)  # right password, but locked out now
    assert "Too many failed attempts" in h.all_text(at)
    assert not h.is_logged_in(at)


def test_login_shows_overview_and_is_audited(env):
    before = _events(env, audit.LOGIN, "admin")
    at = h.login(h.app().run(), "admin", h.PASSWORD)
    assert not at.exception, at.exception
    assert h.is_logged_in(at)
    assert "Daily overview" in h.all_text(at)
    assert len(at.metric) == 5
    assert _events(env, audit.LOGIN, "admin") == before + 1


@pytest.mark.parametrize("username, visible, hidden", [
    ("admin", {"overview", "admin"}, set()),
    ("manager", {"overview"}, {"admin"}),
    ("analyst", {"overview"}, {"admin"}),
])
def test_role_decides_pages(env, username, visible, hidden):
    at = h.logged_in("app.py", username).run()
    assert not at.exception, at.exception
    # AppTest keeps the pages st.navigation registered in this run (no public accessor yet).
    ids = {Path(info["script_path"]).stem for info in at._registered_pages.values()}
    assert visible <= ids and not (hidden & ids)


def test_marketer_is_refused_on_overview_and_audited(env):
    before = _events(env, audit.ACCESS_DENIED, "marketer")
    at = h.logged_in("pages/overview.py", "marketer").run()
    assert "You do not have access" in h.all_text(at)
    assert len(at.metric) == 0
    assert _events(env, audit.ACCESS_DENIED, "marketer") == before + 1


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_refuses_without_a_session(env, page):
    at = h.app(f"pages/{page}").run()
    assert not at.exception
    assert at.text_input(key="login_username") is not None  # the login form, nothing else
    assert len(at.metric) == 0 and len(at.dataframe) == 0 and len(at.table) == 0


def test_manager_page_refused_for_admin_page(env):
    at = h.logged_in("pages/admin.py", "manager").run()
    assert "You do not have access" in h.all_text(at)
    assert len(at.dataframe) == 0


def test_admin_page_lists_users_and_audit(env):
    at = h.logged_in("pages/admin.py", "admin").run()
    assert not at.exception, at.exception
    assert len(at.dataframe) == 2
    assert "manager" in at.dataframe[0].value.to_string()


def test_logout_clears_the_session_and_is_audited(env):
    before = _events(env, audit.LOGOUT, "analyst")
    at = h.login(h.app().run(), "analyst", h.PASSWORD)
    assert h.is_logged_in(at)
    at.sidebar.button(key="logout_button").click().run()
    assert not h.is_logged_in(at)
    assert at.text_input(key="login_username") is not None
    assert _events(env, audit.LOGOUT, "analyst") == before + 1


def test_missing_cookie_key_refuses_to_start_outside_demo(env, monkeypatch):
    monkeypatch.delenv("SHOP_COOKIE_KEY")
    at = h.app().run()
    assert "cookie key" in h.all_text(at)
    assert len(at.text_input) == 0
    monkeypatch.setenv("SHOP_DEMO", "1")
    at = h.app().run()
    assert at.text_input(key="login_username") is not None


def test_language_is_remembered_per_user(env, shop):
    from data_access.accounts import users

    at = h.logged_in("app.py", "analyst").run()
    at.sidebar.selectbox(key="_lang_switcher").set_value("zh").run()
    assert "今日概览" in h.all_text(at)
    assert users.get_user(Path(shop[1]), "analyst")["lang"] == "zh"
    users.set_lang(Path(shop[1]), "analyst", "en")


def test_empty_database_gets_schema_and_empty_states(tmp_path, monkeypatch):
    credentials = tmp_path / "credentials.yaml"
    h.write_users(credentials)
    h.configure(monkeypatch, f"duckdb:///{tmp_path / 'empty.duckdb'}", credentials)
    at = h.login(h.app().run(), "admin", h.PASSWORD)
    assert not at.exception, at.exception
    assert "No data for this selection" in h.all_text(at)
    assert len(at.metric) == 0


def test_logout_leaves_no_filters_for_the_next_person(env):
    at = h.login(h.app().run(), "admin", h.PASSWORD)
    at.multiselect(key="fb_stores_en").set_value(["S2"]).run()
    at.sidebar.button(key="logout_button").click().run()
    at = h.login(at, "analyst", h.PASSWORD)
    assert h.is_logged_in(at)
    assert at.multiselect(key="fb_stores_en").value == []
