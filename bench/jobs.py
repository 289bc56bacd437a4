"""Page response time while a forecast refresh runs as a job vs idle, same run, same database (small demo shop).

Each view is an AppTest run of the page with Streamlit's data cache cleared (every query goes to the database), in
the process that runs the job, as the app's server process does. Figures are medians in ms and the ratio busy/idle.
Run: .venv/bin/python bench/jobs.py [--runs 5] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from bench.pages import quiet_streamlit
from data_access.accounts import users
from data_access.demo import build
from data_access.engine import dispose_engine, get_engine
from data_access.jobs import Runner, store

ROOT = Path(__file__).resolve().parent.parent

PAGES = ("overview.py", "sales.py")


def time_page(page: str) -> float:
    quiet_streamlit()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=300)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    t0 = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - t0
    assert not at.exception, at.exception
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    url = f"duckdb:///{folder / 'shop.duckdb'}"
    credentials = folder / "credentials.yaml"
    users.add_user(credentials, "admin", "bench-password-1", "admin", stores="all", name="Bench")
    os.environ.update(DATABASE_URL=url, SHOP_CREDENTIALS=str(credentials), SHOP_SCHEDULES="off",
                      SHOP_COOKIE_KEY="bench-cookie-key-0123456789abcdef")
    print(f"building the small demo shop in {folder} ...", flush=True)
    build(get_engine(url), scale="small", seed=42, end_date=date(2026, 6, 30))
    runner = Runner(get_engine(url))
    for page in PAGES:  # warm the imports once, outside the figures
        time_page(page)

    idle = {page: [time_page(page) for _ in range(args.runs)] for page in PAGES}
    job_id = runner.submit("forecast", "bench", {"workers": args.workers})
    while runner.wait_until_running(job_id) is None:
        time.sleep(0.1)
    busy: dict[str, list[float]] = {page: [] for page in PAGES}
    while len(busy[PAGES[-1]]) < args.runs:
        for page in PAGES:
            ms = time_page(page)
            if store.get_job(get_engine(url), job_id)["status"] == "running":
                busy[page].append(ms)  # only views that ran while the job did count
        if store.get_job(get_engine(url), job_id)["status"] != "running":
            break
    row = runner.wait(job_id, timeout=1800)
    runner.shutdown()
    print(f"forecast job: {row['status']} in {(row['finished_at'] - row['started_at']).total_seconds():.1f}s "
          f"({args.workers} worker processes)")
    print(f"{'page (cold cache)':<22}{'idle ms':>10}{'busy ms':>10}{'ratio':>8}{'busy n':>8}")
    for page in PAGES:
        a = statistics.median(idle[page])
        b = statistics.median(busy[page]) if busy[page] else float("nan")
        print(f"{page:<22}{a:>10.0f}{b:>10.0f}{b / a:>8.2f}{len(busy[page]):>8}")
    dispose_engine()


if __name__ == "__main__":
    main()
