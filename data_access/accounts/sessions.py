"""Server-side login sessions (schema.sessions): start, check on every rerun, end one user's sessions."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from data_access.audit import utc_now
from data_access.schema import sessions

#: last_seen_at is written at most this often, so a rerun costs one primary-key read, not a write.
TOUCH_EVERY = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class Limits:
    """How long a session lives: idle (since the last rerun) and absolute (since the login)."""

    idle: dt.timedelta = dt.timedelta(hours=2)
    lifetime: dt.timedelta = dt.timedelta(days=7)


def token_hash(token: str) -> str:
    """The stored form of a session token (sha256 hex)."""
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def start(engine: sa.Engine, username: str, epoch: str, client: str | None = None) -> str:
    """A new live session for username; returns the token (kept only by the browser and this session)."""
    token = secrets.token_urlsafe(32)
    now = utc_now()
    with engine.begin() as conn:
        conn.execute(sessions.insert().values(sid_hash=token_hash(token), username=username, epoch=str(epoch or ""),
                                              created_at=now, last_seen_at=now,
                                              client=None if client is None else str(client)[:64]))
    return token


def check(engine: sa.Engine, token: str | None, username: str, epoch: str, limits: Limits = Limits()) -> bool:
    """Whether token is a live session of username at the user's current epoch; refreshes last_seen_at.

    A session ends when it was ended (logout elsewhere), when the user's epoch changed (password,
    role or scope change, deletion and re-creation), when idle too long or older than its lifetime.
    """
    if not token:
        return False
    key = token_hash(token)
    with engine.connect() as conn:
        row = conn.execute(sa.select(sessions.c.username, sessions.c.epoch, sessions.c.created_at,
                                     sessions.c.last_seen_at, sessions.c.ended_at)
                           .where(sessions.c.sid_hash == key)).first()
    if row is None or row.ended_at is not None or row.username != username or row.epoch != str(epoch or ""):
        return False
    now = utc_now()
    if now - row.created_at > limits.lifetime or now - row.last_seen_at > limits.idle:
        end_session(engine, token)
        return False
    if now - row.last_seen_at > TOUCH_EVERY:
        with engine.begin() as conn:
            conn.execute(sessions.update().where(sessions.c.sid_hash == key).values(last_seen_at=now))
    return True


def username_of(engine: sa.Engine, token: str | None) -> str | None:
    """The username a live (not ended) session token belongs to, else None; epoch and age are checked by check()."""
    if not token:
        return None
    with engine.connect() as conn:
        return conn.execute(sa.select(sessions.c.username).where(sessions.c.sid_hash == token_hash(token),
                                                                 sessions.c.ended_at.is_(None))).scalar()


def end_session(engine: sa.Engine, token: str) -> None:
    """End one session."""
    with engine.begin() as conn:
        conn.execute(sessions.update().where(sessions.c.sid_hash == token_hash(token),
                                             sessions.c.ended_at.is_(None)).values(ended_at=utc_now()))


def end_user_sessions(engine: sa.Engine, username: str) -> int:
    """End every live session of username (logout, user removed); returns how many were live."""
    with engine.begin() as conn:
        result = conn.execute(sessions.update().where(sessions.c.username == username,
                                                      sessions.c.ended_at.is_(None)).values(ended_at=utc_now()))
    return int(result.rowcount or 0)


def live_count(engine: sa.Engine, username: str) -> int:
    """How many sessions of username are not ended (expiry aside)."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(sessions).where(
            sessions.c.username == username, sessions.c.ended_at.is_(None))).scalar() or 0)
