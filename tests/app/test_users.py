"""Tests for the YAML user store, demo users and the `python -m data_access.users` CLI."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest
import yaml
from streamlit_authenticator.utilities.hasher import Hasher

from data_access.accounts import users
from data_access.engine import PROJECT_ROOT, ConfigError


@pytest.fixture(autouse=True)
def fast_and_isolated(monkeypatch, tmp_path):
    # Cheap hashes keep the suite fast; the CLI subprocesses still use the real cost.
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    monkeypatch.delenv(users.ENV_DEMO_PASSWORD, raising=False)
    monkeypatch.setenv(users.ENV_PATH, str(tmp_path / "env-default.yaml"))


@pytest.fixture
def creds(tmp_path):
    return tmp_path / "sub" / "credentials.yaml"


def test_add_and_verify(creds):
    name = users.add_user(creds, "Alice", "correct horse", "manager", stores="S01,S02", name="王芳", lang="zh")
    assert name == "alice"
    assert users.verify_password(creds, "alice", "correct horse")
    assert users.verify_password(creds, " ALICE ", "correct horse")
    assert not users.verify_password(creds, "alice", "wrong password")
    assert not users.verify_password(creds, "nobody", "correct horse")
    assert users.get_user(creds, "alice") == {
        "username": "alice", "name": "王芳", "email": "", "role": "manager", "stores": ["S01", "S02"], "lang": "zh",
        "disabled": False, "password_changed_at": 0,
    }
    assert users.get_user(creds, "nobody") is None


def test_file_holds_only_hashes_in_authenticator_format(creds):
    users.add_user(creds, "alice", "plain-text-secret", "analyst", email="a@example.com")
    raw = creds.read_bytes()
    assert b"plain-text-secret" not in raw
    data = yaml.safe_load(raw)
    record = data["credentials"]["usernames"]["alice"]
    assert record["roles"] == ["analyst"] and record["store_scope"] == "all"
    assert {"email", "first_name", "last_name", "password"} <= set(record)
    assert Hasher.is_hash(record["password"])
    assert Hasher.check_pw("plain-text-secret", record["password"])


def test_file_mode_is_0600_and_no_temp_files_remain(creds):
    users.add_user(creds, "alice", "password1", "admin")
    users.set_lang(creds, "alice", "zh")
    assert stat.S_IMODE(os.stat(creds).st_mode) == 0o600
    assert sorted(p.name for p in creds.parent.iterdir()) == ["credentials.yaml"]


def test_passwd_role_stores_lang_and_remove(creds):
    users.add_user(creds, "admin", "password1", "admin")
    users.add_user(creds, "bob", "password1", "marketer")
    users.set_password(creds, "bob", "password2")
    assert users.verify_password(creds, "bob", "password2")
    assert not users.verify_password(creds, "bob", "password1")
    users.set_role(creds, "bob", "manager")
    users.set_stores(creds, "bob", ["S03", " S01 ", "S03"])
    users.set_lang(creds, "bob", "zh")
    assert users.get_user(creds, "bob") | {"name": None} == {
        "username": "bob", "name": None, "email": "", "role": "manager", "stores": ["S03", "S01"], "lang": "zh",
        "disabled": False, "password_changed_at": users.get_user(creds, "bob")["password_changed_at"],
    }
    assert abs(users.get_user(creds, "bob")["password_changed_at"] - time.time()) < 60  # set by the passwd above
    users.set_stores(creds, "bob", "ALL")
    assert users.get_user(creds, "bob")["stores"] == "all"
    users.remove_user(creds, "bob")
    assert [u["username"] for u in users.list_users(creds)] == ["admin"]


def test_last_admin_is_protected(creds):
    users.add_user(creds, "root", "password1", "admin")
    with pytest.raises(users.UserError, match="last admin"):
        users.remove_user(creds, "root")
    with pytest.raises(users.UserError, match="last admin"):
        users.set_role(creds, "root", "analyst")
    users.add_user(creds, "second", "password1", "admin")
    users.remove_user(creds, "root")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "boss"}, "unknown role"),
        ({"password": "short"}, "too short"),
        ({"password": "x" * 73}, "too long"),
        ({"username": "1bad"}, "invalid username"),
        ({"username": "bad name"}, "invalid username"),
        ({"stores": ""}, "no stores"),
        ({"stores": "S01;DROP"}, "invalid store id"),
        ({"lang": "fr"}, "unknown language"),
        ({"email": "not-an-email"}, "invalid email"),
    ],
)
def test_bad_input_is_rejected(creds, kwargs, message):
    args = {"username": "carol", "password": "password1", "role": "analyst"} | kwargs
    with pytest.raises(users.UserError, match=message):
        users.add_user(creds, **args)
    assert not creds.exists()


def test_duplicates_and_unknown_users(creds):
    users.add_user(creds, "carol", "password1", "analyst")
    with pytest.raises(users.UserError, match="already exists"):
        users.add_user(creds, "CAROL", "password1", "analyst")
    with pytest.raises(users.UserError, match="no such user"):
        users.set_password(creds, "dave", "password1")
    with pytest.raises(users.UserError, match="no such user"):
        users.remove_user(creds, "dave")


def test_missing_store_scope_means_no_stores(creds):
    users.save_users(creds, {"credentials": {"usernames": {"eve": {"password": "x", "roles": ["manager"]}}}})
    assert users.get_user(creds, "eve")["stores"] == []
    assert not users.verify_password(creds, "eve", "x")  # not a bcrypt hash: no match, no crash


def test_path_defaults_and_bad_files(tmp_path, monkeypatch):
    assert users.credentials_path() == tmp_path / "env-default.yaml"
    monkeypatch.delenv(users.ENV_PATH)
    assert users.credentials_path() == PROJECT_ROOT / ".streamlit" / "credentials.yaml"
    assert users.load_users(tmp_path / "missing.yaml") == {"credentials": {"usernames": {}}}
    bad = tmp_path / "bad.yaml"
    bad.write_text("credentials: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        users.load_users(bad)
    bad.write_text("- a list", encoding="utf-8")
    with pytest.raises(ConfigError, match="mapping"):
        users.load_users(bad)


def test_other_top_level_keys_survive(creds):
    users.save_users(creds, {"cookie": {"name": "shop"}, "credentials": {"usernames": {}}})
    users.add_user(creds, "frank", "password1", "analyst")
    assert users.load_users(creds)["cookie"] == {"name": "shop"}


def test_ensure_demo_users_creates_once(creds):
    passwords = users.ensure_demo_users(creds, ["S01", "S02", "S03"])
    assert sorted(passwords) == ["admin", "analyst", "manager", "marketer"]
    assert len(set(passwords.values())) == 4
    raw = creds.read_bytes()
    for username, password in passwords.items():
        assert password.encode() not in raw
        assert users.verify_password(creds, username, password)
    assert users.get_user(creds, "admin")["stores"] == "all"
    assert users.get_user(creds, "manager")["stores"] == ["S01", "S02"]
    assert users.get_user(creds, "manager")["role"] == "manager"
    assert stat.S_IMODE(os.stat(creds).st_mode) == 0o600
    assert users.ensure_demo_users(creds, ["S01"]) == {}
    assert users.verify_password(creds, "admin", passwords["admin"])


def test_ensure_demo_users_respects_env_password(creds, monkeypatch):
    monkeypatch.setenv(users.ENV_DEMO_PASSWORD, "demo-pass-123")
    passwords = users.ensure_demo_users(creds, ["S01", "S02", "S03"])
    assert set(passwords.values()) == {"demo-pass-123"}
    assert users.verify_password(creds, "marketer", "demo-pass-123")
    assert users.get_user(creds, "manager")["stores"] == ["S01", "S02"]


def test_ensure_demo_users_fails_closed_without_stores(creds):
    with pytest.raises(users.UserError, match="no stores"):
        users.ensure_demo_users(creds, [])
    assert not creds.exists()


def test_demo_command_prints_passwords_once(creds, tmp_path, monkeypatch):
    from data_access.engine import create_engine, dispose_engine
    from tests.support import tiny_shop

    url = f"duckdb:///{tmp_path / 'shop.duckdb'}"
    engine = create_engine(url)
    tiny_shop.load(engine)
    engine.dispose()
    monkeypatch.setenv(users.ENV_DEMO_PASSWORD, "demo-pass-123")
    first = subprocess.run([sys.executable, "-m", "data_access.users", "demo", "--file", str(creds), "--url", url],
                           capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert "demo-pass-123" in first.stdout and "stores=S1,S2" in first.stdout.replace(", ", ",")
    again = subprocess.run([sys.executable, "-m", "data_access.users", "demo", "--file", str(creds), "--url", url],
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "demo-pass-123" not in again.stdout and "already" in again.stdout
    assert "demo-pass-123" not in creds.read_text()
    dispose_engine()


def test_ensure_demo_users_rejects_a_weak_env_password(creds, monkeypatch):
    monkeypatch.setenv(users.ENV_DEMO_PASSWORD, "short")
    with pytest.raises(ConfigError, match=users.ENV_DEMO_PASSWORD):
        users.ensure_demo_users(creds, ["S01"])
    assert not creds.exists()


# ---------------------------------------------------------------- CLI


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in (users.ENV_PATH, users.ENV_DEMO_PASSWORD)}
    return subprocess.run(
        [sys.executable, "-m", "data_access.users", *args],
        input=stdin, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=60,
    )


def test_cli_add_list_passwd_remove(creds):
    result = _cli("add", "Grace", "--role", "manager", "--stores", "S01,S02", "--password-stdin",
                  "--file", str(creds), stdin="secret-pass-1\n")
    assert result.returncode == 0, result.stderr
    assert users.verify_password(creds, "grace", "secret-pass-1")
    assert b"secret-pass-1" not in creds.read_bytes()

    listing = _cli("list", "--file", str(creds))
    assert listing.returncode == 0
    assert "grace" in listing.stdout and "S01,S02" in listing.stdout and "$2" not in listing.stdout

    assert _cli("passwd", "grace", "--password-stdin", "--file", str(creds), stdin="secret-pass-2\n").returncode == 0
    assert users.verify_password(creds, "grace", "secret-pass-2")
    assert _cli("set-role", "grace", "analyst", "--file", str(creds)).returncode == 0
    assert _cli("set-stores", "grace", "all", "--file", str(creds)).returncode == 0
    assert users.get_user(creds, "grace")["stores"] == "all"
    assert _cli("remove", "grace", "--file", str(creds)).returncode == 0
    assert users.list_users(creds) == []


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("add", "heidi", "--role", "boss", "--password-stdin"), "secret-pass-1\n", "unknown role"),
        (("add", "heidi", "--role", "analyst", "--password-stdin"), "short\n", "too short"),
        (("passwd", "nobody", "--password-stdin"), "secret-pass-1\n", "no such user"),
        (("set-stores", "nobody", "S01"), "", "no such user"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(creds, args, stdin, message):
    result = _cli(*args, "--file", str(creds), stdin=stdin)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ") and message in result.stderr
    assert not creds.exists()
