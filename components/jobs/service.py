"""The process's one job runner and schedules (st.cache_resource), so every write on the embedded file is ours."""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from data_access.engine import configured_url, get_engine
from data_access.jobs import Runner
from data_access.jobs.scheduler import Schedules


@dataclass
class JobService:
    runner: Runner
    schedules: Schedules | None


@st.cache_resource(show_spinner=False)
def service_for(db_url: str) -> JobService:
    # Keyed by the database: a process switched to another URL (tests) gets a runner for that database.
    runner = Runner(get_engine(db_url))
    schedules = None
    if os.environ.get("SHOP_SCHEDULES", "on").strip().lower() not in ("off", "0", "false", "no"):
        schedules = Schedules(runner).start()
    return JobService(runner, schedules)


def job_service() -> JobService:
    """The runner (and schedules) of this server process, started on first use."""
    return service_for(configured_url())
