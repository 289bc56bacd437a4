"""Login limits reserved before the check (parallel attempts count), per name+client, per client, backoff per name."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from components import auth
from data_access import audit
from data_access.accounts import login_limits
from data_access.engine import create_engine
from data_access.schema import create_schema
from tests.support import apptest_helpers as h

POLICY = login_limits.Policy()


@pytest.fixture(params=["duckdb", "postgresql"])
def engine(request, fresh_engine):
    engine = fresh_engine(request.param)
    create_schema(engine)
    return engine


def _fail(engine, key, client, now=None):
    decision = login_limits.reserve(engine, key, client, now=now)
    if decision.allowed:
        login_limits.settle(engine, decision.attempt_id, login_limits.FAILED)
    return decision


def test_parallel_attempts_are_reserved_so_at_most_the_limit_is_checked(engine):
    key = login_limits.user_key("k" * 32, "victim")
    with ThreadPoolExecutor(max_workers=10) as pool:
        decisions = list(pool.map(lambda _: login_limits.reserve(engine, key, "198.51.100.7"), range(30)))
    assert sum(d.allowed for d in decisions) <= POLICY.pair_limit
    assert sum(not d.allowed for d in decisions) >= 30 - POLICY.pair_limit


def test_one_client_is_limited_per_name_and_success_clears_its_counter(engine):
    key = login_limits.user_key("k" * 32, "alice")
    for _ in range(POLICY.pair_limit - 1):
        assert _fail(engine, key, "c1").allowed
    ok = login_limits.reserve(engine, key, "c1")
    login_limits.settle(engine, ok.attempt_id, login_limits.OK)
    for _ in range(POLICY.pair_limit):
        assert _fail(engine, key, "c1").allowed
    refused = login_limits.reserve(engine, key, "c1")
    assert not refused.allowed and refused.reason == "pair"


def test_spraying_one_password_over_many_names_is_limited_per_client(engine):
    decisions = [_fail(engine, login_limits.user_key("k" * 32, f"user{i}"), "203.0.113.5")
                 for i in range(POLICY.client_limit + 3)]
    assert all(d.allowed for d in decisions[:POLICY.client_limit])
    assert [d.reason for d in decisions[POLICY.client_limit:]] == ["client"] * 3


def test_attacks_from_many_clients_slow_the_name_down_but_never_lock_the_owner_out(engine):
    key = login_limits.user_key("k" * 32, "owner")
    start = audit.utc_now() - dt.timedelta(minutes=5)
    for i in range(POLICY.user_soft):  # one failure from each of many clients
        assert _fail(engine, key, f"10.0.0.{i}", now=start + dt.timedelta(seconds=i)).allowed
    soon = login_limits.reserve(engine, key, "owner-laptop", now=start + dt.timedelta(seconds=POLICY.user_soft))
    assert not soon.allowed and soon.reason == "backoff" and 1 <= soon.wait_seconds <= 60
    later = login_limits.reserve(engine, key, "owner-laptop", now=start + dt.timedelta(seconds=POLICY.user_soft + 70))
    assert later.allowed  # the backoff is capped: the owner gets a check within a minute


def test_unknown_username_is_audited_without_what_was_typed(tiny_env):
    typed = "my-secret-passw0rd"  # a password typed into the username field
    h.login(h.app().run(), typed, "whatever-else")
    events = audit.search_events(create_engine(tiny_env[0]), limit=50)
    assert not events.apply(lambda row: row.astype(str).str.contains(typed).any(), axis=1).any()
    failed = events[events["action"] == audit.LOGIN_FAILED]
    assert failed.iloc[0]["username"] == audit.UNKNOWN_USER
    assert failed.iloc[0]["client"] == "local"


def test_short_cookie_key_is_refused_outside_demo_mode(tiny_env, monkeypatch):
    monkeypatch.setenv("SHOP_COOKIE_KEY", "x")
    at = h.app().run()
    assert "shorter than 32 bytes" in h.all_text(at)
    assert len(at.text_input) == 0
    with pytest.raises(auth.CookieKeyError):
        auth.cookie_key()
    monkeypatch.setenv("SHOP_DEMO", "1")  # the demo may run with any key
    assert h.app().run().text_input(key="login_username") is not None
