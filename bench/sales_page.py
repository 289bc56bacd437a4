"""Sales page query time, cold cache, with the rollups vs from the source tables (as before them), in one run.

For each scale and period: every query the sales page runs as it opens (KPI row, trend, the category bars of
the default tab) and per tab, timed in both modes in turn so both see the same machine load; the page figure
of a view is the sum of its queries (what a user waits for on a fresh Streamlit cache, database warm).
"first" is the first call on a fresh engine (the database's buffers empty, the OS file cache not).
"before" reads the source tables as the code did before the rollups (rollup_tables.current forced False,
and the KPI totals, trends and category bars asking for customer counts as they did); "after" is the page
as it is now.
Run: .venv/bin/python bench/sales_page.py [--scales default large] [--days 30 90] [--runs 5] [--stores S01,S02]
Reuses (or builds) the databases of bench/queries.py under bench/results/ and refreshes their rollups if stale.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bench.common import scale_args
from bench.queries import END, ensure_db
from data_access import rollup_tables, rollups
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.sales import customers as cq
from data_access.sales import queries, segments

ROOT = Path(__file__).resolve().parent.parent

MODES = ("before", "after")
_really_current = rollup_tables.current


def page_queries(engine, f: Filters, mode: str, skus: tuple[str, ...]) -> dict[str, Callable[[], object]]:
    """Every query of the sales page for filter f, as pages/sales.py and components/sales/sections.py call them."""
    grain = "day" if f.days <= 62 else "week"
    before = mode == "before"  # the page used to ask for customer counts it does not show
    offset = (f.start - f.previous_period().start).days
    return {
        "kpi_totals": lambda: queries.kpi_totals(engine, f, with_customers=before),
        "customer_kpis": lambda: cq.customer_kpis(engine, f),
        "sales_trend": lambda: cq.sales_trend(engine, f, grain, with_customers=before),
        "sales_trend previous": lambda: cq.sales_trend(engine, f.previous_period(), grain, offset,
                                                       with_customers=before),
        "category bars": lambda: queries.sales_by(engine, f, "category", with_customers=before),
        "sales_by store": lambda: queries.sales_by(engine, f, "store"),
        "product_abc": lambda: cq.product_abc(engine, f),
        "product_weekly_sales": lambda: cq.product_weekly_sales(engine, f, skus),
        "funnel_by_channel": lambda: cq.funnel_by_channel(engine, f),
        "new_vs_returning": lambda: cq.new_vs_returning(engine, f, "week" if f.days <= 120 else "month"),
        "rfm_segments": lambda: segments.rfm_segments(engine, f),
        "cohort_retention": lambda: segments.cohort_retention(engine, f),
    }


OPENS = ("kpi_totals", "customer_kpis", "sales_trend", "sales_trend previous", "category bars")
VIEWS = {
    "opens (KPIs, trend, category bars)": OPENS,
    "+ store breakdown tab": (*OPENS, "sales_by store"),
    "+ products tab": (*OPENS, "product_abc", "product_weekly_sales"),
    "+ funnel tab": (*OPENS, "funnel_by_channel"),
    "+ customers tab": (*OPENS, "new_vs_returning", "rfm_segments", "cohort_retention"),
}


def set_mode(mode: str) -> None:
    rollup_tables.current = _really_current if mode == "after" else (lambda engine: False)


def timed(call: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    call()
    return (time.perf_counter() - t0) * 1000


def bench_period(url: str, f: Filters, runs: int) -> None:
    engine = create_engine(url)
    skus = tuple(cq.product_abc(engine, f)["sku"].head(300))  # the products tab's sparkline SKUs
    engine.dispose()
    first: dict[str, dict[str, float]] = {}
    for mode in MODES:  # a fresh engine per mode: its first calls read from an empty buffer pool
        set_mode(mode)
        engine = create_engine(url)
        first[mode] = {name: timed(call) for name, call in page_queries(engine, f, mode, skus).items()}
        engine.dispose()
    engine = create_engine(url)
    times: dict[str, dict[str, list[float]]] = {m: {} for m in MODES}
    for _ in range(runs):
        for mode in MODES:  # interleaved, so both modes see the same load
            set_mode(mode)
            for name, call in page_queries(engine, f, mode, skus).items():
                times[mode].setdefault(name, []).append(timed(call))
    engine.dispose()
    set_mode("after")
    med = {m: {name: statistics.median(v) for name, v in times[m].items()} for m in MODES}
    scope = "all stores" if f.stores is None else "stores " + ",".join(f.stores)
    print(f"\n-- {f.days} days ({f.start} to {f.end}), {scope}; load average {os.getloadavg()[0]:.1f} --")
    print(f"{'query':<24}{'first before':>13}{'first after':>12}{'before ms':>11}{'after ms':>10}{'speed-up':>10}")
    for name in med["after"]:
        b, a = med["before"][name], med["after"][name]
        print(f"{name:<24}{first['before'][name]:>13.0f}{first['after'][name]:>12.0f}{b:>11.0f}{a:>10.0f}"
              f"{b / a:>9.1f}x")
    print(f"{'page view (sum of its queries)':<40}{'before ms':>11}{'after ms':>10}{'speed-up':>10}")
    for view, names in VIEWS.items():
        b, a = sum(med["before"][n] for n in names), sum(med["after"][n] for n in names)
        print(f"{view:<40}{b:>11.0f}{a:>10.0f}{b / a:>9.1f}x", flush=True)


def main() -> None:
    parser = scale_args(__doc__.splitlines()[0])
    parser.add_argument("--days", nargs="+", type=int, default=[30, 90])
    parser.add_argument("--stores", default=None, help="a store scope such as S01,S02 (default: every store)")
    args = parser.parse_args()
    stores = tuple(args.stores.split(",")) if args.stores else None
    for scale in args.scales:
        url = ensure_db(scale)
        engine = create_engine(url)
        if not rollup_tables.current(engine):
            t0 = time.perf_counter()
            counts = rollups.refresh(engine)
            print(f"refreshed the rollups of {scale} in {time.perf_counter() - t0:.1f} s: {counts}")
        with engine.connect() as conn:
            n_orders = conn.exec_driver_sql("SELECT count(*) FROM orders").scalar()
        engine.dispose()
        print(f"\n== scale {scale}: {n_orders:,} orders; medians of {args.runs} runs per mode, "
              f"load average {os.getloadavg()[0]:.1f} ==")
        for days in args.days:
            bench_period(url, Filters(END - timedelta(days=days - 1), END, stores=stores), args.runs)


if __name__ == "__main__":
    main()
