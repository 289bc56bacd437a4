"""What the page and query benches share: their command line (the demo scales, how many runs) and their per-scale loop.

The databases are the demo shops bench/queries.py's ensure_db builds once under bench/results/ (reused after).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterable

from data_access.demo.config import SCALES


def scale_args(description: str, *, scales: Iterable[str] = ("default", "large"), runs: int | None = 5,
               page_runs: int | None = None) -> argparse.ArgumentParser:
    """A parser with --scales (or --scale; one or more demo scales, each run in turn), --runs unless runs is None
    (each figure is the median of that many runs) and, when page_runs is given, --page-runs (AppTest runs per page
    view). The bench adds its own arguments and parses."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scales", "--scale", nargs="+", default=list(scales), choices=list(SCALES),
                        help="demo scales to run (default: %(default)s)")
    if runs is not None:
        parser.add_argument("--runs", type=int, default=runs, help="runs per figure, the median is printed")
    if page_runs is not None:
        parser.add_argument("--page-runs", type=int, default=page_runs, help="AppTest runs per page view")
    return parser


def load_average() -> str:
    """The machine's load, to quote beside every time: the 1, 5 and 15 minute load averages and the cores."""
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def for_each_scale(args: argparse.Namespace, tables: Iterable[str], bench_queries: Callable,
                   bench_page: Callable | None = None) -> None:
    """For each of args.scales: its database (built when missing), a header with the row counts of `tables` and
    the load, bench_queries(engine, args.runs), then bench_page(url, args.page_runs) on a disposed engine (the
    page opens its own)."""
    from bench.queries import ensure_db
    from data_access.engine import create_engine

    for scale in args.scales:
        url = ensure_db(scale)
        engine = create_engine(url)
        with engine.connect() as conn:  # table names are the bench's own constants, not input
            counts = {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in tables}
        rows = ", ".join(f"{n:,} {t}" for t, n in counts.items())
        print(f"\n== scale {scale}: {rows}; medians of {args.runs} runs; {load_average()} ==", flush=True)
        try:
            bench_queries(engine, args.runs)
        finally:
            engine.dispose()
        if bench_page is not None:
            bench_page(url, args.page_runs)
