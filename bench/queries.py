"""Query latency benchmark: each named query (SQL in the database) vs the same figures computed in pandas.

Builds the demo database for each scale once under bench/results/ (reused afterwards), then prints
the median of several runs per query, and the pandas baseline: the needed rows fetched with DuckDB's
native DataFrame fetch (the fastest way to get rows into pandas) and aggregated with pandas.
Run: .venv/bin/python bench/queries.py [--scales default large] [--runs 5]
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from bench.common import scale_args
from data_access import demo, rollup_tables, rollups, schema
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.inventory import stock
from data_access.sales import customers, queries, segments
from tests.support import pandas_reference as ref

ROOT = Path(__file__).resolve().parent.parent

RESULTS = ROOT / "bench" / "results"
END = date(2026, 6, 30)  # fixed, so every run measures the same data


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def ensure_db(scale: str) -> str:
    path = RESULTS / f"{scale}.duckdb"
    url = f"duckdb:///{path}"
    if not path.exists():
        RESULTS.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        counts = demo.build(url, scale=scale, seed=42, end_date=END)
        print(f"built {scale}: {time.perf_counter() - t0:.1f} s, {counts.get('orders', 0):,} orders, "
              f"{counts.get('order_items', 0):,} order lines, {counts.get('inventory', 0):,} inventory rows")
    else:  # one built by an older version: new nullable columns and current rollups, as `make run` gives the app
        engine = create_engine(url)
        try:
            schema.create_schema(engine)
            if not rollup_tables.current(engine):
                t0 = time.perf_counter()
                rollups.refresh(engine)
                print(f"refreshed the {scale} database's rollups: {time.perf_counter() - t0:.1f} s")
        finally:
            engine.dispose()
    return url


def load_frames(engine, start: date, end: date, with_inventory: bool = False) -> dict[str, pd.DataFrame]:
    """Raw rows of the window into pandas through DuckDB's native fetch (bound parameters)."""
    raw = engine.raw_connection()
    try:
        con = raw.driver_connection
        lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
        frames = {
            "orders": con.execute("SELECT * FROM orders WHERE ordered_at >= ? AND ordered_at < ?", [lo, hi]).df(),
            "order_items": con.execute(
                "SELECT i.* FROM order_items i JOIN orders o USING (order_id) "
                "WHERE o.ordered_at >= ? AND o.ordered_at < ?", [lo, hi]).df(),
            "products": con.execute("SELECT * FROM products").df(),
            "stores": con.execute("SELECT * FROM stores").df(),
            "traffic": con.execute("SELECT * FROM traffic WHERE day >= ? AND day <= ?", [start, end]).df(),
        }
        if with_inventory:
            frames["inventory"] = con.execute("SELECT * FROM inventory WHERE snapshot_date = ?", [end]).df()
        return frames
    finally:
        raw.close()


def cases(engine, f: Filters):
    """(name, sql call, pandas call) for every named query on filter f."""
    ly = f.last_year()
    win = f.with_dates(min(ly.start, f.previous_period().start), f.end)
    cover = f.with_dates(f.end - timedelta(days=27), f.end)
    return [
        ("daily_sales", lambda: queries.daily_sales(engine, f),
         lambda: ref.daily_sales(load_frames(engine, f.start, f.end), f)),
        ("kpi_totals", lambda: queries.kpi_totals(engine, f),
         lambda: ref.kpi_totals(load_frames(engine, win.start, win.end), f)),
        *[(f"sales_by {dim}", lambda dim=dim: queries.sales_by(engine, f, dim),
           lambda dim=dim: ref.sales_by(load_frames(engine, f.start, f.end), f, dim))
          for dim in ("store", "channel", "category", "product")],
        ("top_products", lambda: queries.top_products(engine, f, 20),
         lambda: ref.top_products(load_frames(engine, f.start, f.end), f, 20)),
        ("stock_on_hand", lambda: stock.stock_on_hand(engine, f),
         lambda: ref.stock_on_hand(load_frames(engine, cover.start, cover.end, with_inventory=True), f)),
    ]


def sales_page_queries(engine, f: Filters):
    """Every query the sales page runs for one filter (what a cold page load costs in the database)."""
    return [
        ("kpi_totals", lambda: queries.kpi_totals(engine, f)),
        ("customer_kpis", lambda: customers.customer_kpis(engine, f)),
        ("sales_trend", lambda: customers.sales_trend(engine, f, "week")),
        ("sales_trend prev", lambda: customers.sales_trend(engine, f.previous_period(), "week")),
        ("sales_by category bars", lambda: queries.sales_by(engine, f, "category", with_customers=False)),
        *[(f"sales_by {d}", lambda d=d: queries.sales_by(engine, f, d)) for d in ("category", "store", "region",
                                                                                  "channel")],
        ("product_abc", lambda: customers.product_abc(engine, f)),
        ("funnel_by_channel", lambda: customers.funnel_by_channel(engine, f)),
        ("new_vs_returning", lambda: customers.new_vs_returning(engine, f, "week")),
        ("rfm_segments", lambda: segments.rfm_segments(engine, f)),
        ("cohort_retention", lambda: segments.cohort_retention(engine, f)),
    ]


def print_tab_timings(title: str, by_tab: dict[str, list], runs: int) -> None:
    """Each tab's queries (name, call): the first call's and the median's milliseconds, then the tab's sum."""
    print(f"{title:<34}{'first ms':>10}{'median ms':>11}")
    for tab, calls in by_tab.items():
        total = 0.0
        for name, call in calls:
            first = median_ms(call, 1)
            med = median_ms(call, runs)
            total += med
            print(f"  {name:<32}{first:>10.1f}{med:>11.1f}", flush=True)
        print(f"{f'{tab} (sum)':<34}{'':>10}{total:>11.1f}")


def bench_sales_page(engine, runs: int) -> None:
    f = Filters(END - timedelta(days=89), END)
    print(f"{'sales page query (90 days)':<32}{'first ms':>10}{'median ms':>11}")
    first_total = median_total = 0.0
    for name, call in sales_page_queries(engine, f):
        first = median_ms(call, 1)
        med = median_ms(call, runs)
        first_total, median_total = first_total + first, median_total + med
        print(f"{name:<32}{first:>10.1f}{med:>11.1f}", flush=True)
    print(f"{'whole page (sum)':<32}{first_total:>10.1f}{median_total:>11.1f}")


def main() -> None:
    parser = scale_args(__doc__.splitlines()[0])
    parser.add_argument("--pandas-runs", type=int, default=3)
    parser.add_argument("--pandas-periods", nargs="*", default=["last 30 days"])
    parser.add_argument("--pandas-skip", nargs="*", default=[], help="queries to time in SQL only")
    args = parser.parse_args()
    for scale in args.scales:
        engine = create_engine(ensure_db(scale))
        with engine.connect() as conn:
            n_lines = conn.exec_driver_sql("SELECT count(*) FROM order_items").scalar()
        periods = {"last 30 days": Filters(END - timedelta(days=29), END),
                   "last 365 days": Filters(END - timedelta(days=364), END)}
        print(f"\n== scale {scale}: {n_lines:,} order lines; medians of {args.runs} (SQL) / "
              f"{args.pandas_runs} (pandas) runs ==")
        print(f"{'query':<22}{'period':<15}{'first ms':>10}{'SQL ms':>10}{'pandas ms':>12}{'pandas/SQL':>12}")
        for label, f in periods.items():
            for name, sql_call, pandas_call in cases(engine, f):
                first_ms = median_ms(sql_call, 1)  # first call also warms the caches for both sides
                sql_ms = median_ms(sql_call, args.runs)
                # The pandas side only for the short period: over a year it takes minutes per query.
                if label in args.pandas_periods and name not in args.pandas_skip:
                    pd_ms = median_ms(pandas_call, args.pandas_runs)
                    versus = f"{pd_ms:>12.1f}{pd_ms / sql_ms:>11.1f}x"
                else:
                    versus = f"{'-':>12}{'-':>12}"
                print(f"{name:<22}{label:<15}{first_ms:>10.1f}{sql_ms:>10.1f}{versus}", flush=True)
        bench_sales_page(engine, args.runs)
        engine.dispose()


if __name__ == "__main__":
    main()
