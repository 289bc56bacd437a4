"""Job kinds by name: the built-in ones and any another package registers (register_kind) or names by import path."""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

_FRACTION = re.compile(r"(\d[\d,]*)\s*/\s*(\d[\d,]*)")


class Cancelled(Exception):
    """Raised inside a job when someone cancelled it; the runner records the job as cancelled."""


@dataclass
class JobContext:
    """What a job's function gets besides the engine: progress, log lines and the cancel flag."""

    job_id: str
    params: dict
    report: Callable[[int | None, int | None, str | None], None]
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def progress(self, done: int | None = None, total: int | None = None, message: str | None = None) -> None:
        """Report n of m done (either may be None) and a line for the log; raises Cancelled when cancelled."""
        self.check_cancelled()
        self.report(done, total, message)

    def line(self, text: str) -> None:
        """A progress line as a batch prints it; "... 120/480 ..." in it becomes n of m."""
        match = _FRACTION.search(text)
        done, total = (int(match[1].replace(",", "")), int(match[2].replace(",", ""))) if match else (None, None)
        self.progress(done, total, text)

    def check_cancelled(self) -> None:
        if self.cancel_event.is_set():
            raise Cancelled("cancelled")


@dataclass(frozen=True)
class JobKind:
    """name: the id; run(engine, ctx) -> a JSON-able result; available() says whether it can run here."""

    name: str
    run: Callable[[sa.Engine, JobContext], object]
    available: Callable[[], bool] = lambda: True
    schedulable: bool = False


_KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> JobKind:
    """Add (or replace) a job kind; other packages call this to put their work on the runner."""
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, JobKind]:
    """Every registered kind that can run in this installation."""
    return {name: kind for name, kind in _KINDS.items() if kind.available()}


def get_kind(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise ValueError(f"unknown job kind {name!r}; known: {', '.join(sorted(_KINDS))}") from None


def by_import_path(path: str) -> Callable:
    """'package.module:function' -> the function (imported when first run, so a missing package costs nothing)."""
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


def module_exists(path: str) -> bool:
    """Whether the module of a 'package.module:function' path can be imported."""
    module = path.partition(":")[0]
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def path_kind(name: str, path: str, call: Callable[[Callable, sa.Engine, JobContext], object],
              schedulable: bool = True) -> JobKind:
    """A kind whose function lives at an import path in a package that may not be installed yet."""
    return JobKind(name, lambda engine, ctx: call(by_import_path(path), engine, ctx),
                   available=lambda: module_exists(path), schedulable=schedulable)


# Built-in kinds. Imports happen inside the functions: the runner must start without loading Prophet or Dask.

def _forecast(run_batch: Callable, engine: sa.Engine, ctx: JobContext) -> dict:
    # In the app's process the pages need a core too: the job leaves one free unless told otherwise.
    workers = int(ctx.params.get("workers") or max(1, (os.cpu_count() or 1) - 1))
    summary = run_batch(engine, workers=workers, progress=ctx.line)
    return {"run_id": summary.run_id, "status": summary.status, "n_series": summary.n_series,
            "n_failed": summary.n_failed, "duration_s": round(summary.duration_s, 1)}


def _rollups(engine: sa.Engine, ctx: JobContext) -> dict:
    from data_access import rollup_tables, rollups

    if ctx.params.get("if_stale") and rollup_tables.current(engine):
        ctx.progress(1, 1, "the sales rollups are current; nothing to do")
        return {"skipped": True}
    ctx.progress(0, 1, "rebuilding the sales rollups")
    counts = rollups.refresh(engine)
    ctx.progress(1, 1, ", ".join(f"{name}: {rows:,}" for name, rows in counts.items()))
    return counts


def _import(engine: sa.Engine, ctx: JobContext) -> object:
    """params: filename, username and either validation (the upload page's checked rows, in memory) or source
    (the file's bytes) with kind, mapping, constants, date_order, stores. All or nothing, as on the page; returns
    the ImportResult. refresh (default True) also rebuilds the sales rollups in the same job."""
    from data_access.ingest import import_and_refresh, ingest
    from data_access.ingest.load import import_tables, refresh_rollups

    p = ctx.params
    ctx.progress(0, 2, f"importing {p['filename']}")
    if "validation" in p and p.get("refresh", True):
        result = import_and_refresh(engine, p["validation"], username=p["username"], filename=p["filename"],
                                    stores=p.get("stores"), role=p.get("role"))
        ctx.progress(2, 2, f"imported {result.rows:,} rows")
        return result
    if "validation" in p:
        result = import_tables(engine, p["validation"], username=p["username"], filename=p["filename"],
                               stores=p.get("stores"), role=p.get("role"))
    else:
        result = ingest(engine, p["source"], p["filename"], p.get("kind"), p.get("mapping"), p.get("constants"),
                        username=p["username"], date_order=p.get("date_order"), stores=p.get("stores"),
                        role=p.get("role"), refresh=False).result
    if p.get("refresh", True):
        ctx.progress(1, 2, "updating the sales rollups")
        refresh_rollups(engine, result)
    ctx.progress(2, 2, f"imported {result.rows:,} rows")
    return result


def _demo(engine: sa.Engine, ctx: JobContext) -> dict:
    from data_access.demo.load import build

    end = ctx.params.get("end_date")
    steps = iter(range(1, 1000))
    counts = build(engine, scale=ctx.params.get("scale", "small"), seed=int(ctx.params.get("seed", 42)),
                   end_date=date.fromisoformat(end) if end else None,
                   progress=lambda text: ctx.progress(next(steps), None, text))
    return counts


def _alerts(function: Callable, engine: sa.Engine, ctx: JobContext) -> object:
    day = ctx.params.get("day")
    result = function(engine, date.fromisoformat(day) if day else date.today() - timedelta(days=1))
    ctx.progress(1, 1, "alerts done")
    return result if isinstance(result, dict | list | str | int | float | None) else str(result)


def sleep_steps(engine: sa.Engine, ctx: JobContext) -> dict:
    """A job that only waits, in steps (tests, and to try the page without touching data)."""
    steps = int(ctx.params.get("steps", 5))
    for i in range(steps):
        ctx.progress(i, steps, f"step {i + 1} of {steps}")
        time.sleep(float(ctx.params.get("seconds", 0.2)))
    ctx.progress(steps, steps, "slept")
    if ctx.params.get("fail"):
        raise RuntimeError(str(ctx.params["fail"]))
    return {"steps": steps}


# forecasting sits above data_access (DESIGN.md, layers): its batch is named by import path, like alerts.
register_kind(path_kind("forecast", "forecasting.batch:run_batch", _forecast))
register_kind(JobKind("rollups", _rollups, schedulable=True))
register_kind(JobKind("import", _import))
register_kind(JobKind("demo", _demo))
register_kind(path_kind("alerts", "alerts.morning:run", _alerts))
register_kind(JobKind("sleep", sleep_steps, available=lambda: False))
