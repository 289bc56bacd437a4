"""Tests for the audit log on a DuckDB file."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import audit
from data_access.engine import create_engine
from data_access.schema import audit_log, create_schema


@pytest.fixture
def engine(tmp_path):
    eng = create_engine(f"duckdb:///{tmp_path / 'audit.duckdb'}")
    create_schema(eng)
    yield eng
    eng.dispose()


def _insert_at(engine, at, username, action):
    """An event with a chosen time (log_event always stamps now)."""
    with engine.begin() as conn:
        conn.execute(audit_log.insert().values(at=at, username=username, action=action, detail=""))


def test_log_and_read_back(engine):
    before = audit.utc_now()
    audit.log_event(engine, "alice", audit.LOGIN)
    audit.log_event(engine, "alice", audit.UPLOAD, "orders.csv (120 rows)")
    audit.log_event(engine, "bob", audit.ACCESS_DENIED, "page=admin")
    events = audit.recent_events(engine)
    assert events.columns.tolist() == ["at", "username", "action", "detail"]
    assert events["action"].tolist() == [audit.ACCESS_DENIED, audit.UPLOAD, audit.LOGIN]  # newest first
    assert events["detail"].iloc[1] == "orders.csv (120 rows)"
    assert (events["at"] >= before).all() and (events["at"] <= audit.utc_now()).all()
    assert events["at"].dt.tz is None  # naive UTC
    with engine.connect() as conn:
        ids = conn.execute(sa.select(audit_log.c.id).order_by(audit_log.c.id)).scalars().all()
    assert len(set(ids)) == 3 and ids == sorted(ids)  # from the sequence


def test_filter_and_limit(engine):
    for i in range(5):
        audit.log_event(engine, "alice", audit.IMPORT, f"batch {i}")
    audit.log_event(engine, "bob", audit.LOGOUT)
    assert audit.recent_events(engine, limit=2)["detail"].tolist() == ["", "batch 4"]
    alice = audit.recent_events(engine, username="alice")
    assert len(alice) == 5 and set(alice["username"]) == {"alice"}
    empty = audit.recent_events(engine, username="nobody")
    assert empty.empty and empty.columns.tolist() == audit.COLUMNS
    assert len(audit.recent_events(engine, limit=0)) == 1  # clamped to at least one row


def test_values_are_bound_not_spliced(engine):
    hostile = "x'; DROP TABLE audit_log; --"
    audit.log_event(engine, hostile, audit.LOGIN_FAILED, hostile)
    events = audit.recent_events(engine, username=hostile)
    assert events["username"].tolist() == [hostile] and events["detail"].tolist() == [hostile]
    assert audit.failed_login_count(engine, hostile, audit.utc_now() - dt.timedelta(minutes=1)) == 1


def test_long_values_are_truncated_to_the_columns(engine):
    audit.log_event(engine, "u" * 500, audit.LOGIN_FAILED, "d" * 10_000)
    event = audit.recent_events(engine).iloc[0]
    assert len(event["username"]) == audit_log.c.username.type.length
    assert len(event["detail"]) < 10_000


def test_failed_login_count_window(engine):
    now = audit.utc_now()
    _insert_at(engine, now - dt.timedelta(hours=2), "carol", audit.LOGIN_FAILED)
    for _ in range(3):
        audit.log_event(engine, "carol", audit.LOGIN_FAILED)
    audit.log_event(engine, "dave", audit.LOGIN_FAILED)
    since = now - dt.timedelta(minutes=15)
    assert audit.failed_login_count(engine, "carol", since) == 3
    assert audit.failed_login_count(engine, "carol", now - dt.timedelta(hours=3)) == 4
    assert audit.failed_login_count(engine, "nobody", since) == 0
    aware = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=15)
    assert audit.failed_login_count(engine, "carol", aware) == 3


def test_successful_login_resets_the_count(engine):
    since = audit.utc_now() - dt.timedelta(minutes=15)
    audit.log_event(engine, "erin", audit.LOGIN_FAILED)
    audit.log_event(engine, "erin", audit.LOGIN_FAILED)
    audit.log_event(engine, "erin", audit.LOGIN)
    assert audit.failed_login_count(engine, "erin", since) == 0
    audit.log_event(engine, "erin", audit.LOGIN_FAILED)
    assert audit.failed_login_count(engine, "erin", since) == 1
    assert audit.failed_login_count(engine, "erin", since, reset_on_login=False) == 3


def test_timezone_conversion():
    aware = dt.datetime(2025, 3, 5, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert audit.as_naive_utc(aware) == dt.datetime(2025, 3, 5, 0, 0)
    assert audit.as_naive_utc(dt.datetime(2025, 3, 5)) == dt.datetime(2025, 3, 5)
    assert audit.utc_now().tzinfo is None


def test_cookie_login_does_not_reset_the_count(engine):
    since = audit.utc_now() - dt.timedelta(minutes=15)
    for _ in range(3):
        audit.log_event(engine, "mallory", audit.LOGIN_FAILED)
    audit.log_event(engine, "mallory", audit.LOGIN_COOKIE, "login by cookie")
    assert audit.failed_login_count(engine, "mallory", since) == 3
    audit.log_event(engine, "mallory", audit.LOGIN, "login by password")
    assert audit.failed_login_count(engine, "mallory", since) == 0


def test_last_event_at(engine):
    assert audit.last_event_at(engine, "zoe", audit.LOGOUT) is None
    audit.log_event(engine, "zoe", audit.LOGOUT)
    assert abs(audit.last_event_at(engine, "zoe", audit.LOGOUT) - audit.utc_now()) < dt.timedelta(seconds=5)
