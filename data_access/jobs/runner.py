"""Runner: jobs on a thread pool in this process, one job per kind at a time, progress and history in the jobs table."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import threading
import traceback
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import sqlalchemy as sa

from data_access.jobs import locks, store
from data_access.jobs.registry import Cancelled, JobContext, get_kind
from data_access.schema import jobs

# In-process guard for submit: DuckDB has no advisory locks, and on it only this process writes anyway.
_submit_guard = threading.Lock()


class AlreadyRunning(RuntimeError):
    """A job of that kind is queued or running already."""

    def __init__(self, kind: str, job_id: str):
        super().__init__(f"a {kind} job is already queued or running ({job_id})")
        self.kind, self.job_id = kind, job_id


class SlotTaken(RuntimeError):
    """Another process already started this schedule slot."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_PLAIN = (str, int, float, bool, type(None))


def _storable(params: dict) -> dict:
    # Uploaded bytes and in-memory objects (a validated upload) stay in memory: the table keeps what the job was.
    def plain(value):
        if isinstance(value, _PLAIN):
            return value
        if isinstance(value, list | tuple) and all(isinstance(v, _PLAIN) for v in value):
            return list(value)
        if isinstance(value, dict) and all(isinstance(v, _PLAIN) for v in value.values()):
            return {str(k): v for k, v in value.items()}
        size = f" {len(value):,} bytes" if isinstance(value, bytes | bytearray) else ""
        return f"<{type(value).__name__}{size}>"

    return {k: plain(v) for k, v in params.items()}


def _jsonable(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


class Runner:
    """Runs jobs for one engine. Starting it marks failed the jobs a dead process left queued or running."""

    def __init__(self, engine: sa.Engine, max_workers: int = 2, flush_every_s: float = 0.5,
                 stale_after: timedelta = timedelta(minutes=2)):
        self.engine = engine
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self._pool = ThreadPoolExecutor(max_workers, thread_name_prefix="shop-job")
        self._events: dict[str, threading.Event] = {}
        self._live: dict[str, dict] = {}
        # What each job of this process returned or raised, for a caller waiting on it (the upload page).
        self._outcomes: dict[str, object] = {}
        self._write = threading.Lock()  # one writer at a time: DuckDB refuses two transactions touching one row
        self._stop = threading.Event()
        with engine.begin() as conn:
            # Replicas start together: one creates the table while the others wait, instead of all failing.
            locks.hold_in_transaction(conn, "shop.jobs.schema")
            jobs.create(conn, checkfirst=True)
        self.recovered = store.fail_orphans(engine, socket.gethostname(), _alive, stale_after)
        self._flusher = threading.Thread(target=self._flush_loop, args=(flush_every_s,), daemon=True,
                                         name="shop-job-flush")
        self._flusher.start()

    # -- public -------------------------------------------------------------------------------------------------

    def submit(self, kind: str, started_by: str, params: dict | None = None, schedule_slot: str | None = None) -> str:
        """Queue a job; returns its id. AlreadyRunning when that kind is queued or running (in any process),
        SlotTaken when schedule_slot was started already."""
        get_kind(kind)
        params = dict(params or {})
        job_id = f"{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"
        with _submit_guard, self._write, self.engine.begin() as conn:
            locks.hold_in_transaction(conn, "shop.jobs.submit")
            if schedule_slot and store.slot_taken(conn, schedule_slot):
                raise SlotTaken(schedule_slot)
            active = store.active_of_kind(conn, kind)
            if active:
                raise AlreadyRunning(kind, active)
            store.create_job(conn, job_id, kind, started_by, _storable(params), self.owner, schedule_slot)
        event = threading.Event()
        self._events[job_id] = event
        self._pool.submit(self._run, job_id, kind, params, event)
        return job_id

    def cancel(self, job_id: str) -> bool:
        """Ask a job of this process to stop at its next progress report; False when it is not ours or ended."""
        event = self._events.get(job_id)
        if event is None:
            return False
        event.set()
        return True

    def wait(self, job_id: str, timeout: float = 60) -> dict:
        """Block until the job has ended (tests, CLIs); returns its row."""
        deadline = datetime.now() + timedelta(seconds=timeout)
        while datetime.now() < deadline:
            row = store.get_job(self.engine, job_id)
            if row and row["status"] not in store.ACTIVE:
                return row
            self._stop.wait(0.1)
        raise TimeoutError(f"job {job_id} still running after {timeout}s")

    def outcome(self, job_id: str) -> object:
        """What an ended job of this process returned, or the exception it raised (taken once)."""
        return self._outcomes.pop(job_id, None)

    def wait_until_running(self, job_id: str) -> dict | None:
        """The job's row once it runs (or has ended), else None."""
        row = store.get_job(self.engine, job_id)
        return row if row and row["status"] != "queued" else None

    def shutdown(self, wait: bool = True) -> None:
        for event in self._events.values():
            event.set()
        self._pool.shutdown(wait=wait)
        self._stop.set()

    # -- inside -------------------------------------------------------------------------------------------------

    def _set(self, job_id: str, **values) -> None:
        with self._write:
            store.update(self.engine, job_id, **values)

    def _run(self, job_id: str, kind: str, params: dict, event: threading.Event) -> None:
        try:
            self._run_job(job_id, kind, params, event)
        finally:
            self._events.pop(job_id, None)
            self._live.pop(job_id, None)

    def _run_job(self, job_id: str, kind: str, params: dict, event: threading.Event) -> None:
        if event.is_set():
            self._set(job_id, status="cancelled", finished_at=datetime.now())
            return
        with locks.try_hold(self.engine, f"shop.jobs.kind.{kind}") as got:
            if not got:
                self._set(job_id, status="failed", finished_at=datetime.now(),
                          error=f"another process is running a {kind} job")
                return
            live = {"done": None, "total": None, "message": None, "lines": [], "dirty": True}
            self._live[job_id] = live

            def report(done, total, message):
                live["done"] = done if done is not None else live["done"]
                live["total"] = total if total is not None else live["total"]
                if message:
                    live["message"] = message
                    live["lines"].append(f"{datetime.now():%H:%M:%S} {message}")
                live["dirty"] = True

            now = datetime.now()
            self._set(job_id, status="running", started_at=now, heartbeat_at=now, owner=self.owner)
            ctx = JobContext(job_id, params, report, event)
            try:
                result = get_kind(kind).run(self.engine, ctx)
            except Cancelled as exc:
                self._outcomes[job_id] = exc
                self._finish(job_id, live, "cancelled", error=None)
            except BaseException as exc:  # noqa: BLE001 - a job's failure is recorded, never lost with the thread
                self._outcomes[job_id] = exc
                live["lines"].append(traceback.format_exc(limit=8))
                self._finish(job_id, live, "failed", error=f"{type(exc).__name__}: {exc}")
            else:
                self._outcomes[job_id] = result
                self._finish(job_id, live, "done", result=json.dumps(result, default=_jsonable))

    def _finish(self, job_id: str, live: dict, status: str, error: str | None = None, result: str | None = None):
        self._live.pop(job_id, None)
        values = self._progress_values(live)
        if status == "done" and values.get("progress_total"):
            values["progress_done"] = values["progress_total"]
        self._set(job_id, status=status, finished_at=datetime.now(), error=error, result=result, **values)

    @staticmethod
    def _progress_values(live: dict) -> dict:
        return {"progress_done": live["done"], "progress_total": live["total"], "message": live["message"],
                "log": "\n".join(live["lines"])[-store.LOG_LIMIT:], "heartbeat_at": datetime.now()}

    def _flush_loop(self, every: float) -> None:
        # Progress goes to the table from here, not from the job's thread: a chatty job costs one write per tick.
        beat = datetime.now()
        while not self._stop.wait(every):
            heartbeat = datetime.now() - beat > timedelta(seconds=10)
            for job_id, live in list(self._live.items()):
                if not (live["dirty"] or heartbeat):
                    continue
                live["dirty"] = False
                try:
                    with self._write:
                        # Only a running row: the job's own final write may have come first.
                        with self.engine.begin() as conn:
                            conn.execute(jobs.update().where(jobs.c.job_id == job_id, jobs.c.status == "running")
                                         .values(**self._progress_values(live)))
                except Exception:  # noqa: BLE001 - a missed progress write is retried on the next tick
                    live["dirty"] = True
            if heartbeat:
                beat = datetime.now()
