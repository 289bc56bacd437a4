"""Audit: user changes (CLI), refused URLs, tampered cookies and mapping saves, with the client; admin filters."""

from __future__ import annotations

import subprocess
import sys

from data_access import audit
from data_access.engine import create_engine
from tests.support import apptest_helpers as h


def _events(url: str, **filters):
    return audit.search_events(create_engine(url), limit=1000, **filters)


def test_user_changes_from_the_cli_are_audited(tiny_app, tmp_path):
    from data_access.engine import dispose_engine

    dispose_engine()
    credentials = tmp_path / "credentials.yaml"
    env = {"DATABASE_URL": tiny_app[0], "PATH": "/usr/bin:/bin"}

    def cli(*args: str, stdin: str = "") -> None:
        done = subprocess.run([sys.executable, "-m", "data_access.users", *args, "--file", str(credentials)],
                              input=stdin, text=True, capture_output=True, env=env, cwd=h.ROOT, timeout=60)
        assert done.returncode == 0, done.stderr

    cli("add", "zed", "--role", "analyst", "--password-stdin", stdin=h.PASSWORD + "\n")
    cli("set-role", "zed", "manager")
    cli("set-stores", "zed", "S1")
    cli("passwd", "zed", "--password-stdin", stdin=h.PASSWORD + "-2\n")
    cli("remove", "zed")
    changes = _events(tiny_app[0], username="zed", action=audit.USER_CHANGED)
    details = " | ".join(changes["detail"])
    for expected in ("user added", "role set to manager", "stores set to S1", "password changed", "user removed"):
        assert expected in details
    assert set(changes["client"]) == {"cli"}
    assert h.PASSWORD not in details


def test_refused_url_is_audited_with_the_client(tiny_env):
    h.logged_in("pages/admin.py", "analyst").run()
    refused = _events(tiny_env[0], username="analyst", action=audit.ACCESS_DENIED)
    assert refused.iloc[0]["detail"] == "page admin" and refused.iloc[0]["client"] == "local"


def test_tampered_cookie_is_audited_once_per_session(tiny_env):
    import jwt

    forged = jwt.encode({"sid": "x", "exp_date": 4102444800}, "not-the-key-" * 3, algorithm="HS256")
    before = len(_events(tiny_env[0], action=audit.COOKIE_REJECTED))
    from streamlit.testing.v1 import AppTest

    def page(token: str) -> None:
        from unittest import mock

        import streamlit as st

        from components import auth

        with mock.patch.object(type(st.context), "cookies", new_callable=mock.PropertyMock,
                               return_value={auth.COOKIE_NAME: token}):
            auth.returning_user()

    at = AppTest.from_function(page, args=(forged,), default_timeout=60).run()
    at.run()
    assert not at.exception, at.exception
    assert len(_events(tiny_env[0], action=audit.COOKIE_REJECTED)) == before + 1


def test_admin_filters_the_audit_log_by_action_and_client(tiny_env):
    engine = create_engine(tiny_env[0])
    audit.log_event(engine, "someone", audit.MAPPING_SAVED, "orders mapping", client="192.0.2.44")
    at = h.logged_in("pages/admin.py", "admin").run()
    at.selectbox(key="admin_audit_action").set_value(audit.MAPPING_SAVED)
    at.text_input(key="admin_audit_client").input("192.0.2").run()
    assert not at.exception, at.exception
    shown = at.dataframe[-1].value
    assert len(shown) >= 1
    assert set(shown.iloc[:, 2]) == {"Saved a column mapping"}  # the action's name, not its code
    assert all("192.0.2" in str(c) for c in shown.iloc[:, 4])
