"""CLIs meeting a DuckDB file another process holds: one plain line naming the holder and what to do, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from data_access.jobs.held import held_message

ROOT = Path(__file__).resolve().parents[2]
HOLDER = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('holding', flush=True); time.sleep(600)"


@pytest.fixture
def held_file(tmp_path):
    path = tmp_path / "shop.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    yield path, holder.pid
    holder.kill()
    holder.wait(timeout=30)


@pytest.mark.parametrize("command", [
    ["forecasting.batch"],
    ["data_access.rollups"],
    ["data_access.demo", "--scale", "small"],
    ["data_access.ingest", "--kind", "orders", "{csv}"],
])
def test_cli_on_a_held_file_says_who_holds_it_and_exits_2(held_file, tmp_path, command):
    path, pid = held_file
    csv = tmp_path / "orders.csv"
    csv.write_text("order_id,store_id,ordered_at,status,channel\nA1,S01,2025-06-01,paid,direct\n", encoding="utf-8")
    args = [part.replace("{csv}", str(csv)) for part in command]
    done = subprocess.run([sys.executable, "-m", args[0], "--url", f"duckdb:///{path}", *args[1:]], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    line = lines[0]
    assert line.startswith(f"error: the database file {path} is in use by process {pid} (")
    assert "python" in line and "Jobs page" in line and "stop the app" in line and "PostgreSQL" in line


def test_other_errors_are_not_mistaken_for_a_held_file():
    assert held_message("IO Error: Cannot open file: permission denied") is None
    text = ('IO Error: Could not set lock on file "/x/shop.duckdb": Conflicting lock is held in /usr/bin/python3 '
            "(PID 999999999) by user root. See also https://duckdb.org/docs/current/connect/concurrency")
    # A holder that has ended since is named by the program DuckDB reported.
    assert held_message(text).startswith("the database file /x/shop.duckdb is in use by process 999999999 "
                                         "(/usr/bin/python3): ")
