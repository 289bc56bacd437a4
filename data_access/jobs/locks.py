"""Locks that hold across processes on PostgreSQL (advisory locks) and within the one process on DuckDB.

On the embedded DuckDB file only one process can write, so a lock in this process is a lock on the database.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator

import sqlalchemy as sa

_local: dict[str, threading.Lock] = {}
_local_guard = threading.Lock()


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a lock name (pg advisory locks take a bigint)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _is_postgres(bind: sa.Engine | sa.Connection) -> bool:
    return bind.dialect.name == "postgresql"


def _local_lock(engine: sa.Engine, name: str) -> threading.Lock:
    with _local_guard:
        return _local.setdefault(f"{engine.url}|{name}", threading.Lock())


@contextlib.contextmanager
def try_hold(engine: sa.Engine, name: str) -> Iterator[bool]:
    """Take the lock without waiting for the duration of the block; yields whether it was taken."""
    local = _local_lock(engine, name)
    if not local.acquire(blocking=False):
        yield False
        return
    try:
        if not _is_postgres(engine):
            yield True
            return
        # A session-level advisory lock lives on one connection: keep that connection for the whole block.
        with engine.connect() as conn:
            got = conn.execute(sa.select(sa.func.pg_try_advisory_lock(lock_key(name)))).scalar()
            conn.commit()
            try:
                yield bool(got)
            finally:
                if got:
                    conn.execute(sa.select(sa.func.pg_advisory_unlock(lock_key(name))))
                    conn.commit()
    finally:
        local.release()


@contextlib.contextmanager
def write_transaction(engine: sa.Engine, name: str) -> Iterator[sa.Connection]:
    """engine.begin() holding the named lock until it commits or rolls back: a thread lock in this process (enough on
    DuckDB, where one process writes and two transactions touching one row conflict) and, on PostgreSQL, a
    transaction-level advisory lock (other processes). Writers of the same name run in turn, whole."""
    with _local_lock(engine, name), engine.begin() as conn:
        hold_in_transaction(conn, name)
        yield conn


def hold_in_transaction(conn: sa.Connection, name: str) -> None:
    """Wait for the lock and keep it until conn's transaction ends (serialises check-then-insert across replicas)."""
    if _is_postgres(conn):
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_key(name))))
