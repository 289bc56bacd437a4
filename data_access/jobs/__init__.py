"""Background jobs inside the app's process: the job table, a runner, kinds other packages register, schedules."""

from data_access.jobs.registry import Cancelled, JobContext, JobKind, kinds, register_kind
from data_access.jobs.runner import AlreadyRunning, Runner

__all__ = ["AlreadyRunning", "Cancelled", "JobContext", "JobKind", "Runner", "kinds", "register_kind"]
