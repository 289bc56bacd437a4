"""Logistics page benchmark: its queries (SQL in the database) against a pandas baseline, and its render time.

For each scale (databases built once under bench/results/ by bench/queries.py's ensure_db, reused after):
1. every query the page runs for the last 30 and 90 days, by the tab that runs it: first call and median;
2. fulfilment_kpis against a pandas baseline in the same run: the three periods' order times fetched with DuckDB's
   native DataFrame fetch and the same figures computed in pandas (checked equal), wall and CPU time;
3. the page in AppTest: cold (empty cache) and warm, each tab, all stores and 2 stores.
Run: .venv/bin/python -m bench.logistics [--scales default large] [--runs 5] [--page-runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from bench.pages import bench_users, time_view
from bench.queries import END, ensure_db, print_tab_timings
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.logistics import delay, queries, stuck
from data_access.periods import comparison_periods, default_grain

AS_OF = datetime.combine(END + timedelta(days=1), datetime.min.time())
TABS = {"stuck": "Stuck orders", "where": "Where", "trend": "Trend", "effects": "Effect of delays"}


def page_queries(engine, f: Filters) -> dict[str, list]:
    """Every query the page runs for filter f, by the tab that runs it (the KPIs run on every load)."""
    return {
        "load": [("fulfilment_kpis", lambda: queries.fulfilment_kpis(engine, f))],
        "stuck": [("stuck_orders", lambda: stuck.stuck_orders(engine, f, AS_OF))],
        "where": [(f"fulfilment_by {d}", lambda d=d: queries.fulfilment_by(engine, f, d)) for d in queries.DIMENSIONS],
        "trend": [("fulfilment_trend", lambda: queries.fulfilment_trend(engine, f, default_grain(f)))],
        "effects": [("delay_effects", lambda: delay.delay_effects(engine, f))],
    }


def pandas_kpis(engine, f: Filters) -> pd.DataFrame:
    """fulfilment_kpis' main figures for the current, previous and last-year periods, computed in pandas from the
    order times fetched with DuckDB's native DataFrame fetch (one fetch per period, as a page without SQL
    aggregation would)."""
    rows = {}
    for name, p in comparison_periods(f).items():
        raw = engine.raw_connection()
        try:
            frame = raw.driver_connection.execute(
                "SELECT ordered_at, paid_at, shipped_at, delivered_at, promised_at, shipping_cost FROM orders "
                "WHERE ordered_at >= ? AND ordered_at < ? AND status <> 'cancelled'", [p.start_at, p.end_before]).df()
        finally:
            raw.close()
        pay = (frame["paid_at"] - frame["ordered_at"]).dt.total_seconds() / 3600
        ship = (frame["shipped_at"] - frame["paid_at"].fillna(frame["ordered_at"])).dt.total_seconds() / 3600
        days = (frame["delivered_at"] - frame["ordered_at"]).dt.total_seconds() / 86400
        late = (frame["delivered_at"].dt.normalize() - frame["promised_at"].dt.normalize()).dt.days
        rows[name] = {
            "orders": len(frame), "pay_hours_median": pay.median(), "ship_hours_median": ship.median(),
            "ship_hours_p90": ship.quantile(0.9), "delivery_days_median": days.median(),
            "delivery_days_p90": days.quantile(0.9),
            "on_time_shipment_rate": (ship <= queries.SHIP_WITHIN_HOURS).sum() / ship.notna().sum(),
            "on_time_delivery_rate": (late.dropna() <= 0).mean(),
            "avg_shipping_cost": frame["shipping_cost"].astype(float).mean(),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def timed(fn, runs: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of fn over runs."""
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def bench_queries(engine, runs: int) -> None:
    for days in (30, 90):
        f = Filters(END - timedelta(days=days - 1), END)
        print_tab_timings(f"query (last {days} days)", page_queries(engine, f), runs)
        sql = queries.fulfilment_kpis(engine, f).set_index("period")
        reference = pandas_kpis(engine, f)
        same = all(np.isclose(float(sql.at[p, k]), float(v), rtol=1e-9, equal_nan=True)
                   for p, row in reference.iterrows() for k, v in row.items())
        sql_wall, sql_cpu = timed(lambda f=f: queries.fulfilment_kpis(engine, f), runs)
        pd_wall, pd_cpu = timed(lambda f=f: pandas_kpis(engine, f), runs)
        print(f"KPIs: SQL {sql_wall:.1f} ms wall / {sql_cpu:.1f} ms CPU, pandas baseline {pd_wall:.1f} ms wall / "
              f"{pd_cpu:.1f} ms CPU (CPU ratio {pd_cpu / max(sql_cpu, 1e-9):.1f}x), same figures: "
              f"{'yes' if same else 'NO'}; on time {reference.at['current', 'on_time_delivery_rate']:.1%}\n",
              flush=True)


def bench_page(url: str, runs: int) -> None:
    bench_users(url)
    params = {"preset": "custom", "from": (END - timedelta(days=29)).isoformat(), "to": END.isoformat()}
    print(f"{'page in AppTest (last 30 days)':<34}{'cold ms':>10}{'warm ms':>10}   medians of {runs}")
    for username, scope in (("bench", "all stores"), ("benchmgr", "2 stores")):
        for tab, label in TABS.items():
            cold, warm = time_view("logistics.py", params, 13, username, runs, {"logistics_tab_en": label})
            print(f"{f'{scope}, {tab} tab':<34}{cold:>10.0f}{warm:>10.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", default=["default", "large"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page-runs", type=int, default=3)
    args = parser.parse_args()
    for scale in args.scales:
        url = ensure_db(scale)
        engine = create_engine(url)
        with engine.connect() as conn:
            n = conn.exec_driver_sql("SELECT count(*), count(carrier) FROM orders").one()
        print(f"\n== scale {scale}: {n[0]:,} orders, {n[1]:,} with a carrier; medians of {args.runs} runs ==",
              flush=True)
        bench_queries(engine, args.runs)
        engine.dispose()
        bench_page(url, args.page_runs)


if __name__ == "__main__":
    main()
