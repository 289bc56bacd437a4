"""User management on the admin page (issue 21 point 6): add, change role and stores, reset the password,
disable and enable, each through the CLI's rule and in the audit log; refusals in the user's language."""

from __future__ import annotations

import pandas as pd
import pytest

from data_access import audit
from data_access.accounts import users
from data_access.accounts.changes import change_user
from data_access.engine import get_engine
from tests.support import apptest_helpers as h


@pytest.fixture
def admin_page(tiny_env):
    at = h.logged_in("pages/admin.py", "admin").run()
    assert not at.exception, at.exception
    return at


def events(username: str) -> list[str]:
    found = audit.search_events(get_engine(), username=username, action=audit.USER_CHANGED)
    return found["detail"].tolist()[::-1]  # oldest first


def users_table(at) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if "Role" in df.value.columns)


def test_add_a_user_with_a_generated_password(admin_page):
    at = admin_page
    at.text_input(key="admin_new_username").input("Carol")
    at.text_input(key="admin_new_name").input("Carol Chen")
    at.selectbox(key="admin_new_role").set_value("manager")
    at.run()
    at.checkbox(key="admin_new_stores_all").uncheck().run()
    at.multiselect(key="admin_new_stores_ids").set_value(["S2"])
    at.button(key="admin_add").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "User carol added."
    generated = at.code[0].value
    assert users.verify_password(None, "carol", generated)  # shown once, and it works
    assert users.get_user(None, "carol")["stores"] == ["S2"] and users.get_user(None, "carol")["role"] == "manager"
    assert events("carol") == ["user added: role manager, stores S2 (by admin)"]
    at.run()
    assert not at.code  # the password is not shown again
    assert "carol" in users_table(at)["User"].tolist()


def test_role_stores_password_disable_and_enable_are_audited(admin_page):
    at = admin_page
    at.selectbox(key="admin_pick").set_value("analyst").run()
    at.selectbox(key="admin_role_analyst").set_value("marketer")
    at.button(key="admin_save_role").click().run()
    assert users.get_user(None, "analyst")["role"] == "marketer"
    at.checkbox(key="admin_stores_analyst_all").uncheck().run()
    at.multiselect(key="admin_stores_analyst_ids").set_value(["S1"])
    at.button(key="admin_save_stores").click().run()
    assert users.get_user(None, "analyst")["stores"] == ["S1"]
    at.text_input(key="admin_password_analyst").input("a-new-password-9")
    at.button(key="admin_reset_password").click().run()
    assert users.verify_password(None, "analyst", "a-new-password-9")
    assert not at.code  # typed, so nothing to show
    at.button(key="admin_disable").click().run()
    assert not at.exception, at.exception
    assert users.get_user(None, "analyst")["disabled"]
    assert not users.verify_password(None, "analyst", "a-new-password-9")  # no login while disabled
    assert "Disabled" in users_table(at).to_string()
    at.button(key="admin_enable").click().run()
    assert users.verify_password(None, "analyst", "a-new-password-9")
    assert events("analyst")[-5:] == [
        "role set to marketer (by admin)", "stores set to S1 (by admin)", "password changed (by admin)",
        "user disabled (by admin)", "user enabled (by admin)"]


def test_a_disabled_users_open_session_ends(tiny_env):
    session = h.logged_in("pages/sales.py", "marketer").run()
    assert h.is_logged_in(session)
    change_user(None, "disable", "marketer", by="test", audit=lambda name, detail: None)
    session.run()
    assert not h.is_logged_in(session)
    change_user(None, "enable", "marketer", by="test", audit=lambda name, detail: None)


def test_refusals_in_the_users_language(admin_page):
    at = admin_page
    at.text_input(key="admin_new_username").input("dave")
    at.text_input(key="admin_new_password").input("short")
    at.button(key="admin_add").click().run()
    assert at.error[0].value == "The password needs at least 8 characters."
    assert users.get_user(None, "dave") is None and events("dave") == []
    at.text_input(key="admin_new_username").input("x")
    at.text_input(key="admin_new_password").input("")
    at.button(key="admin_add").click().run()
    assert at.error[0].value.startswith("Use 2–32 characters")
    # the admin cannot disable themselves; the only admin cannot lose the role
    at.selectbox(key="admin_pick").set_value("admin").run()
    assert "You cannot disable your own account." in [c.value for c in at.caption]
    at.selectbox(key="admin_role_admin").set_value("analyst")
    at.button(key="admin_save_role").click().run()
    assert at.error[0].value == "The last active admin cannot lose the role, be disabled or be removed."
    assert users.get_user(None, "admin")["role"] == "admin"


def test_the_cli_writes_the_same_audit_entry(tiny_env, monkeypatch):
    from data_access.accounts import cli

    monkeypatch.setenv("USER", "ops")
    assert cli.main(["disable", "nostores"]) == 0
    assert cli.main(["enable", "nostores"]) == 0
    assert events("nostores")[-2:] == ["user disabled (by ops)", "user enabled (by ops)"]
