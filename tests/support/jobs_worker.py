"""Subprocess side of the jobs tests: python -m tests.support.jobs_worker MODE URL ..."""

from __future__ import annotations

import sys
import time

from data_access.engine import create_engine
from data_access.jobs import Runner
from data_access.jobs.scheduler import Schedule, Schedules


def main(mode: str, url: str, *rest: str) -> None:
    engine = create_engine(url)
    runner = Runner(engine, flush_every_s=0.1)
    if mode == "long":  # start a long job, say so, then wait to be killed
        job_id = runner.submit("sleep", "tester", {"steps": 1000, "seconds": 0.1})
        while runner.wait_until_running(job_id) is None:
            time.sleep(0.05)
        print(job_id, flush=True)
        time.sleep(600)
    elif mode == "schedule":  # run a schedule firing every 2 s until the given wall-clock time, then report
        until = float(rest[0])
        schedules = Schedules(runner, [Schedule("every2s", "sleep", {"second": "*/2"}, {"steps": 1, "seconds": 0})])
        schedules.start()
        time.sleep(max(0.0, until - time.time()))
        schedules.shutdown()
        runner.shutdown()
        for slot, outcome in schedules.outcomes:
            print(slot, outcome, flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
