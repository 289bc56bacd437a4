"""Audit log of logins, access denials, uploads, imports and user changes (schema.audit_log)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access.schema import audit_log

LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGIN_COOKIE = "login_cookie"
LOGOUT = "logout"
ACCESS_DENIED = "access_denied"
UPLOAD = "upload"
IMPORT = "import"
USER_CHANGED = "user_changed"
COOKIE_REJECTED = "cookie_rejected"
SESSION_ENDED = "session_ended"
MAPPING_SAVED = "mapping_saved"
SETTING_CHANGED = "setting_changed"
ACTIONS = (LOGIN, LOGIN_COOKIE, LOGIN_FAILED, LOGOUT, ACCESS_DENIED, UPLOAD, IMPORT, USER_CHANGED,
           COOKIE_REJECTED, SESSION_ENDED, MAPPING_SAVED, SETTING_CHANGED)
#: The username recorded for a login attempt with a name that does not exist (what was typed is not kept:
#: people type passwords into the username field).
UNKNOWN_USER = "unknown user"

COLUMNS = ["at", "username", "action", "detail"]
MAX_LIMIT = 10_000
# Column sizes from the schema; a typed username longer than the column must not break logging.
_USERNAME_LEN = audit_log.c.username.type.length
_ACTION_LEN = audit_log.c.action.type.length
_DETAIL_LEN = 4_000
_CLIENT_LEN = audit_log.c.client.type.length
SEARCH_COLUMNS = [*COLUMNS, "client"]


def utc_now() -> dt.datetime:
    """The current time in UTC as a naive datetime: audit_log.at is a plain DateTime, always UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def as_naive_utc(moment: dt.datetime) -> dt.datetime:
    """moment in UTC without tzinfo; naive input is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def log_event(engine: sa.Engine, username: str | None, action: str, detail: str = "",
              client: str | None = None) -> None:
    """Append one event at the current UTC time; the id comes from the audit_log_id_seq sequence.

    Database errors are raised, not swallowed: an audit trail that silently stops is worse than none.
    """
    values = {
        "at": utc_now(),
        "username": None if username is None else str(username)[:_USERNAME_LEN],
        "action": str(action)[:_ACTION_LEN],
        "detail": str(detail or "")[:_DETAIL_LEN],
        "client": None if client is None else str(client)[:_CLIENT_LEN],
    }
    with engine.begin() as conn:
        conn.execute(audit_log.insert().values(**values))


def recent_events(engine: sa.Engine, limit: int = 100, username: str | None = None) -> pd.DataFrame:
    """The newest events first, optionally of one user. Columns: at (naive UTC), username, action, detail."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    query = sa.select(audit_log.c.at, audit_log.c.username, audit_log.c.action, audit_log.c.detail)
    if username is not None:
        query = query.where(audit_log.c.username == username)
    query = query.order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"])
    return frame


def search_events(engine: sa.Engine, username: str | None = None, action: str | None = None,
                  client: str | None = None, since: dt.datetime | None = None, limit: int = 1000) -> pd.DataFrame:
    """The newest events first matching every filter given (client: substring). Columns: SEARCH_COLUMNS."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    query = sa.select(audit_log.c.at, audit_log.c.username, audit_log.c.action, audit_log.c.detail,
                      audit_log.c.client)
    if username:
        query = query.where(audit_log.c.username == username)
    if action:
        query = query.where(audit_log.c.action == action)
    if client:
        escaped = client.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(audit_log.c.client.like(f"%{escaped}%", escape="\\"))
    if since is not None:
        query = query.where(audit_log.c.at >= as_naive_utc(since))
    query = query.order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=SEARCH_COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"])
    return frame


def failed_login_count(engine: sa.Engine, username: str, since: dt.datetime, reset_on_login: bool = True) -> int:
    """How many failed logins username had at or after since (naive = UTC).

    With reset_on_login, failures before the user's latest successful login do not count, so one
    correct password clears the counter.
    """
    start = as_naive_utc(since)
    user = audit_log.c.username == username
    if reset_on_login:
        last_login = sa.select(sa.func.max(audit_log.c.at)).where(user, audit_log.c.action == LOGIN)
        start = max(start, _scalar(engine, last_login) or start)
    query = sa.select(sa.func.count()).select_from(audit_log).where(
        user, audit_log.c.action == LOGIN_FAILED, audit_log.c.at >= start
    )
    return int(_scalar(engine, query) or 0)


def last_event_at(engine: sa.Engine, username: str, action: str) -> dt.datetime | None:
    """When username last had an event of this action (naive UTC), None if never."""
    query = sa.select(sa.func.max(audit_log.c.at)).where(audit_log.c.username == username,
                                                          audit_log.c.action == action)
    value = _scalar(engine, query)
    return pd.Timestamp(value).to_pydatetime() if value is not None else None


def _scalar(engine: sa.Engine, query: sa.Select):
    """The single value a query returns."""
    with engine.connect() as conn:
        return conn.execute(query).scalar()
