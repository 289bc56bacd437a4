"""The jobs table's reads and writes (SQLAlchemy Core, bound parameters); only the runner writes a job's row."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from data_access.schema import jobs

STATUSES = ("queued", "running", "done", "failed", "cancelled")
ACTIVE = ("queued", "running")
#: A log kept in the row is capped so a chatty job cannot grow the table without bound.
LOG_LIMIT = 20_000


def create_job(conn: sa.Connection, job_id: str, kind: str, started_by: str, params: dict | None,
               owner: str, schedule_slot: str | None = None) -> None:
    conn.execute(jobs.insert().values(job_id=job_id, kind=kind, started_by=started_by,
                                      params=json.dumps(params or {}, default=str), status="queued", owner=owner,
                                      schedule_slot=schedule_slot, created_at=datetime.now(), log=""))


def active_of_kind(conn: sa.Connection, kind: str) -> str | None:
    """The id of a queued or running job of this kind, if any."""
    return conn.execute(sa.select(jobs.c.job_id).where(jobs.c.kind == kind, jobs.c.status.in_(ACTIVE))
                        .limit(1)).scalar()


def slot_taken(conn: sa.Connection, slot: str) -> bool:
    return conn.execute(sa.select(sa.func.count()).select_from(jobs).where(jobs.c.schedule_slot == slot)).scalar() > 0


def update(engine: sa.Engine, job_id: str, **values) -> None:
    with engine.begin() as conn:
        conn.execute(jobs.update().where(jobs.c.job_id == job_id).values(**values))


def get_job(engine: sa.Engine, job_id: str) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(jobs).where(jobs.c.job_id == job_id)).mappings().first()
    return dict(row) if row else None


def list_jobs(engine: sa.Engine, limit: int = 50, kind: str | None = None,
              statuses: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Newest first. Columns: every column of the jobs table."""
    stmt = sa.select(jobs).order_by(jobs.c.created_at.desc()).limit(limit)
    if kind is not None:
        stmt = stmt.where(jobs.c.kind == kind)
    if statuses is not None:
        stmt = stmt.where(jobs.c.status.in_(statuses))
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def last_finished(engine: sa.Engine, kind: str) -> dict | None:
    """The newest job of the kind that ended done, or None."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(jobs).where(jobs.c.kind == kind, jobs.c.status == "done")
                           .order_by(jobs.c.finished_at.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


def fail_orphans(engine: sa.Engine, host: str, alive, stale_after: timedelta) -> list[str]:
    """Mark failed the queued/running jobs whose process is gone: owned by a dead pid on this host, or silent
    (no heartbeat) for longer than stale_after. alive(pid) -> bool. Returns their ids."""
    cutoff = datetime.now() - stale_after
    with engine.begin() as conn:
        rows = conn.execute(sa.select(jobs.c.job_id, jobs.c.owner, jobs.c.heartbeat_at, jobs.c.created_at)
                            .where(jobs.c.status.in_(ACTIVE))).all()
        dead = []
        for job_id, owner, beat, created in rows:
            owner_host, _, pid = (owner or "").rpartition(":")
            gone = owner_host == host and pid.isdigit() and not alive(int(pid))
            silent = (beat or created) < cutoff
            if gone or silent:
                dead.append(job_id)
        if dead:
            conn.execute(jobs.update().where(jobs.c.job_id.in_(dead)).values(
                status="failed", finished_at=datetime.now(),
                error="the app process running this job stopped before it finished"))
    return dead
