"""Page render time in AppTest at a demo scale: cold cache and warm cache, medians of several runs.

Cold = Streamlit's data cache cleared before the run (every query goes to the database); warm = the
same run again. The sales page is timed as it opens (KPIs, trend and the open tab) and per tab.
Run: .venv/bin/python -m bench.pages [--scales default large] [--runs 5] [--pages overview sales]
Reuses the database that bench/queries.py builds under bench/results/.
"""

from __future__ import annotations

import logging
import os
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

import streamlit as st
from streamlit.testing.v1 import AppTest

from bench.common import load_average, scale_args
from bench.queries import END, ensure_db
from data_access import rollup_tables
from data_access.accounts import users
from data_access.engine import dispose_engine

ROOT = Path(__file__).resolve().parent.parent

PERIOD = {"preset": "custom", "from": str(END - timedelta(days=89)), "to": str(END)}
#: (label, page file, query parameters, KPI cards it must show)
VIEWS = {
    "overview": [("overview", "overview.py", {}, 5)],
    "sales": [
        ("sales: as it opens (90 days)", "sales.py", PERIOD, 10),
        ("sales: store breakdown tab", "sales.py", {**PERIOD, "sales_breakdown": "By store"}, 10),
        ("sales: products tab", "sales.py", {**PERIOD, "sales_section": "Products"}, 10),
        ("sales: funnel tab", "sales.py", {**PERIOD, "sales_section": "Conversion funnel"}, 10),
        ("sales: customers tab", "sales.py", {**PERIOD, "sales_section": "Customers"}, 10),
    ],
}


def bench_users(url: str) -> None:
    """Point this process's AppTests at url, with users bench (admin) and benchmgr (manager of S01, S02)."""
    credentials = Path(tempfile.mkdtemp()) / "credentials.yaml"
    users.add_user(credentials, "bench", "bench-password-1", "admin")
    users.add_user(credentials, "benchmgr", "bench-password-1", "manager", stores="S01,S02")
    os.environ.update({"DATABASE_URL": url, "SHOP_CREDENTIALS": str(credentials),
                       "SHOP_COOKIE_KEY": "bench-cookie-key-0123456789abcdef"})
    dispose_engine()


def sign_in(at: AppTest, username: str) -> None:
    """Make at's session that of username after a login: a live server-side session and its token (the page
    shows the login form without one)."""
    from components.auth import SID_KEY
    from data_access.accounts import sessions
    from data_access.engine import ready_engine

    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state[SID_KEY] = sessions.start(ready_engine(), username, users.session_epoch(None, username) or "")


class ViewTimes(NamedTuple):
    """Medians in ms of a page view's runs: wall and CPU (this process: AppTest runs the script in a thread of it),
    with an empty cache (cold) and again at once (warm)."""

    cold: float
    warm: float
    cold_cpu: float
    warm_cpu: float


def time_view(page: str, params: dict, cards: int, username: str, runs: int,
              session: dict | None = None) -> ViewTimes:
    """Median cold and warm run times of one page view showing at least `cards` KPI cards (session: values put in
    its session state first, such as the open tab)."""
    times: dict[str, list[float]] = {field: [] for field in ViewTimes._fields}
    for _ in range(runs):
        quiet_streamlit()
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=300)
        sign_in(at, username)
        for key, value in (session or {}).items():
            at.session_state[key] = value
        at.query_params.update(params)
        for run in ("cold", "warm"):
            wall, cpu = time.perf_counter(), time.process_time()
            at.run()
            times[run].append((time.perf_counter() - wall) * 1000)
            times[f"{run}_cpu"].append((time.process_time() - cpu) * 1000)
            assert not at.exception, at.exception
            # At least the page's KPI row (a tab may add cards of its own): the page rendered, not the login form.
            assert len(at.metric) >= cards, f"{page} showed {len(at.metric)} KPI cards, expected {cards} or more"
    return ViewTimes(**{field: statistics.median(values) for field, values in times.items()})


def quiet_streamlit() -> None:
    """Silence AppTest's bare-mode warnings (Streamlit gives each of its loggers its own level)."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def main() -> None:
    parser = scale_args(__doc__.splitlines()[0], scales=("default",))
    parser.add_argument("--pages", nargs="+", default=list(VIEWS), choices=list(VIEWS))
    parser.add_argument("--source-tables", action="store_true",
                        help="read the source tables, not the rollups (the query path before them)")
    args = parser.parse_args()
    if args.source_tables:
        rollup_tables.current = lambda engine: False
    source = "source tables" if args.source_tables else "rollups when current"
    for scale in args.scales:
        url = ensure_db(scale)
        bench_users(url)
        print(f"== pages in AppTest, scale {scale}, {source}, medians of {args.runs} runs ({load_average()}) ==")
        print(f"{'view':<34}{'scope':<12}{'cold ms':>9}{'warm ms':>9}{'cold CPU':>9}{'warm CPU':>9}")
        for name in args.pages:
            for label, page, params, cards in VIEWS[name]:
                for username, scope in (("bench", "all stores"), ("benchmgr", "2 stores")):
                    v = time_view(page, params, cards, username, args.runs)
                    print(f"{label:<34}{scope:<12}{v.cold:>9.0f}{v.warm:>9.0f}{v.cold_cpu:>9.0f}{v.warm_cpu:>9.0f}",
                          flush=True)


if __name__ == "__main__":
    main()
