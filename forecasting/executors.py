"""Where batch tasks run: in this process, on the local cores (process pool), or on a Dask cluster."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import AbstractContextManager


class Executor(AbstractContextManager):
    """unordered(fn, items) yields fn(item) for every item as each finishes."""

    description = "in process"

    def unordered(self, fn: Callable, items: Iterable) -> Iterator:
        for item in items:
            yield fn(item)

    def __exit__(self, *exc) -> None:
        return None


class LocalExecutor(Executor):
    """A pool of worker processes, one per core by default (Prophet's Python side holds the GIL)."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self.description = f"local, {self.workers} processes"
        self._pool = ProcessPoolExecutor(max_workers=self.workers)

    def unordered(self, fn, items):
        futures = [self._pool.submit(fn, item) for item in items]
        for future in as_completed(futures):
            yield future.result()

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    """Tasks on a Dask distributed cluster: a scheduler address, or an existing distributed.Client."""

    def __init__(self, scheduler):
        from distributed import Client  # imported on use: only runs with a cluster need it

        self._own = not isinstance(scheduler, Client)
        self.client = Client(scheduler) if self._own else scheduler
        workers = len(self.client.scheduler_info().get("workers", {}))
        self.description = f"dask {self.client.scheduler.address}, {workers} workers"

    def unordered(self, fn, items):
        from distributed import as_completed as dask_completed

        # Scattered first: the series travel to the workers as data, not inside the task graph.
        futures = self.client.map(fn, self.client.scatter(list(items)), pure=False)
        for future in dask_completed(futures):
            yield future.result()
            future.release()

    def __exit__(self, *exc) -> None:
        if self._own:
            self.client.close()


def make_executor(scheduler=None, workers: int | None = None) -> Executor:
    """Dask when a scheduler (address or Client) is given; else local processes (workers=1: in this process)."""
    if scheduler is not None:
        return DaskExecutor(scheduler)
    if workers == 1:
        return Executor()
    return LocalExecutor(workers)
