"""Schedules on APScheduler: nightly forecast refresh and rollup check by default, each slot run once across replicas.

Every app process runs the same schedules; when a slot fires, Runner.submit takes a database lock (a PostgreSQL
advisory lock) and records the slot in the jobs table, so the second replica finds it taken and does nothing.
Times: SHOP_NIGHTLY_AT (HH:MM, default 02:30) in SHOP_TIMEZONE (default the machine's); SHOP_SCHEDULES=off stops them.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from data_access.jobs.registry import kinds
from data_access.jobs.runner import AlreadyRunning, Runner, SlotTaken

log = logging.getLogger(__name__)
SYSTEM_USER = "schedule"
#: How far back a firing looks for its slot: longer than any delay in firing, shorter than the shortest period.
_LOOKBACK = timedelta(minutes=10)


@dataclass(frozen=True)
class Schedule:
    """name: the slot's name; cron: CronTrigger fields (e.g. {"hour": 2, "minute": 30})."""

    name: str
    kind: str
    cron: dict
    params: dict = field(default_factory=dict)
    #: Run the latest missed slot when the process starts (within a day), e.g. the morning alerts of a server
    #: started after 06:00: otherwise the overview would say "no new alerts" about a day nobody checked.
    catch_up: bool = False


def nightly_at() -> tuple[int, int]:
    text = os.environ.get("SHOP_NIGHTLY_AT", "02:30").strip()
    hour, _, minute = text.partition(":")
    try:
        value = int(hour), int(minute or 0)
    except ValueError:
        raise ValueError(f"SHOP_NIGHTLY_AT must be HH:MM, got {text!r}") from None
    if not (0 <= value[0] < 24 and 0 <= value[1] < 60):
        raise ValueError(f"SHOP_NIGHTLY_AT must be HH:MM, got {text!r}")
    return value


def default_schedules() -> list[Schedule]:
    """Nightly forecast refresh, then a rollup check 30 minutes earlier, and the morning alerts when installed."""
    hour, minute = nightly_at()
    before = (hour * 60 + minute - 30) % (24 * 60)
    found = [Schedule("nightly_rollups", "rollups", {"hour": before // 60, "minute": before % 60},
                      {"if_stale": True}),
             Schedule("nightly_forecast", "forecast", {"hour": hour, "minute": minute})]
    if "alerts" in kinds():
        found.append(Schedule("morning_alerts", "alerts", {"hour": 6, "minute": 0}, catch_up=True))
    return found


class Schedules:
    """The process's schedules, handing each firing to the runner."""

    def __init__(self, runner: Runner, entries: list[Schedule] | None = None, timezone: str | None = None):
        self.runner = runner
        self.entries = list(default_schedules() if entries is None else entries)
        self.timezone = timezone or os.environ.get("SHOP_TIMEZONE") or None
        self.scheduler = BackgroundScheduler(timezone=self.timezone) if self.timezone else BackgroundScheduler()
        self.triggers = {e.name: CronTrigger(**e.cron, timezone=self.scheduler.timezone) for e in self.entries}
        self.outcomes: list[tuple[str, str]] = []

    def start(self) -> Schedules:
        for entry in self.entries:
            self.scheduler.add_job(self.fire, self.triggers[entry.name], args=[entry], id=entry.name,
                                   coalesce=True, misfire_grace_time=300, max_instances=1)
        self.scheduler.start()
        for entry in self.entries:
            if entry.catch_up:
                self.catch_up(entry)
        return self

    def missed_slot(self, entry: Schedule, now: datetime | None = None) -> str | None:
        """name@the latest scheduled time in the day before now (None when there is none)."""
        now = now or datetime.now(self.scheduler.timezone)
        trigger = self.triggers[entry.name]
        latest, candidate = None, trigger.get_next_fire_time(None, now - timedelta(days=1))
        while candidate is not None and candidate <= now:
            latest, candidate = candidate, trigger.get_next_fire_time(candidate, candidate + timedelta(seconds=1))
        return f"{entry.name}@{latest:%Y-%m-%dT%H:%M:%S}" if latest else None

    def catch_up(self, entry: Schedule, now: datetime | None = None) -> str | None:
        """Start the entry's latest missed slot unless it ran (here or in another replica); returns the job id."""
        slot = self.missed_slot(entry, now)
        return self._submit(entry, slot) if slot else None

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def slot(self, entry: Schedule, now: datetime | None = None) -> str:
        """name@the latest scheduled time not after now: the same in every replica that fires for it."""
        now = now or datetime.now(self.scheduler.timezone)
        trigger = self.triggers[entry.name]
        latest, candidate = None, trigger.get_next_fire_time(None, now - _LOOKBACK)
        while candidate is not None and candidate <= now + timedelta(seconds=1):
            latest, candidate = candidate, trigger.get_next_fire_time(candidate, candidate + timedelta(seconds=1))
        return f"{entry.name}@{(latest or now):%Y-%m-%dT%H:%M:%S}"

    def fire(self, entry: Schedule) -> str | None:
        """Start the entry's job for the current slot unless another replica has; returns the job id or None."""
        return self._submit(entry, self.slot(entry))

    def _submit(self, entry: Schedule, slot: str) -> str | None:
        try:
            job_id = self.runner.submit(entry.kind, SYSTEM_USER, entry.params, schedule_slot=slot)
        except SlotTaken:
            self.outcomes.append((slot, "taken"))
            return None
        except AlreadyRunning as exc:
            self.outcomes.append((slot, "busy"))
            log.info("schedule %s skipped: %s", slot, exc)
            return None
        self.outcomes.append((slot, "started"))
        return job_id

    def next_runs(self) -> list[dict]:
        """name, kind, next_run (aware datetime) of every schedule, soonest first."""
        now = datetime.now(self.scheduler.timezone)
        rows = [{"name": e.name, "kind": e.kind, "next_run": self.triggers[e.name].get_next_fire_time(None, now)}
                for e in self.entries]
        return sorted(rows, key=lambda r: r["next_run"])
