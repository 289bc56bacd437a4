"""Imports and rollup rebuilds at the same time, on real threads against DuckDB and PostgreSQL (and real processes on
PostgreSQL): both imports land whole, in turn, and the rollups end current and equal to the source tables."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import rollup_tables, rollups
from data_access.filters import Filters
from data_access.ingest.load import import_and_refresh
from data_access.sales import queries
from tests.conftest import BACKENDS
from tests.support import tiny_shop
from tests.support.apptest_helpers import ROOT
from tests.support.import_worker import ROUNDS, batch

EVERYTHING = Filters(pd.Timestamp("2024-01-01").date(), pd.Timestamp("2025-12-31").date())


def _in_threads(*targets) -> list[BaseException]:
    """Run every target on its own thread at once (a barrier lines them up); the exceptions they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(targets))

    def run(target):
        barrier.wait()
        try:
            target()
        except BaseException as error:  # noqa: BLE001 - the test reports every thread's failure
            errors.append(error)

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return errors


def _prefixed_orders(engine, prefix: str) -> int:
    """Orders imported by the test whose id starts with prefix ("%" for all of them)."""
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM orders WHERE order_id LIKE :p"),
                            {"p": f"{prefix}%-%"}).scalar()


def _assert_rollups_match_sources(engine) -> None:
    """The rollups are current and give the daily figures the source tables give."""
    assert rollup_tables.current(engine)
    from_rollups = queries.daily_sales(engine, EVERYTHING)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rollup_tables, "current", lambda engine: False)
        from_sources = queries.daily_sales(engine, EVERYTHING)
    pd.testing.assert_frame_equal(from_rollups, from_sources, check_exact=False, rtol=1e-12)
    may_10 = from_sources[pd.to_datetime(from_sources["day"]) == pd.Timestamp("2025-05-10")]
    assert len(may_10) == 1 and float(may_10["orders"].iloc[0]) == _prefixed_orders(engine, "%")


@pytest.fixture(params=BACKENDS)
def shop(request, fresh_engine):
    engine = fresh_engine(request.param)
    tiny_shop.load(engine)
    rollups.refresh(engine)
    return engine


def test_two_imports_and_a_rebuild_at_once_all_land(shop):
    for round_number in range(ROUNDS):
        a, b = f"A{round_number}", f"B{round_number}"
        errors = _in_threads(lambda a=a: import_and_refresh(shop, batch(a), username="ana", filename="a.csv"),
                             lambda b=b: import_and_refresh(shop, batch(b), username="bo", filename="b.csv"),
                             lambda: rollups.refresh(shop))
        assert errors == []
        assert (_prefixed_orders(shop, a), _prefixed_orders(shop, b)) == (40, 40)
    _assert_rollups_match_sources(shop)
    with shop.connect() as conn:
        imports = conn.execute(sa.text("SELECT count(*) FROM audit_log WHERE action = 'import'")).scalar()
    assert imports == 2 * ROUNDS


def test_imports_and_rebuild_from_separate_processes_on_postgresql(fresh_engine, tmp_path):
    engine = fresh_engine("postgresql")
    tiny_shop.load(engine)
    rollups.refresh(engine)
    url = engine.url.render_as_string(hide_password=False)
    start = tmp_path / "start"
    command = [sys.executable, "-m", "tests.support.import_worker"]
    workers = [subprocess.Popen([*command, "import", url, str(start), "P"], cwd=ROOT),
               subprocess.Popen([*command, "import", url, str(start), "Q"], cwd=ROOT),
               subprocess.Popen([*command, "refresh", url, str(start)], cwd=ROOT)]
    # Start them together: each says when its interpreter is ready, then all wait for the start file.
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("*.ready"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    start.touch()
    assert [w.wait(180) for w in workers] == [0, 0, 0]
    assert (_prefixed_orders(engine, "P"), _prefixed_orders(engine, "Q")) == (40 * ROUNDS, 40 * ROUNDS)
    _assert_rollups_match_sources(engine)
