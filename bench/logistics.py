"""Logistics page benchmark: its queries (SQL in the database) against a pandas baseline, and its render time.

For each scale (databases built once under bench/results/ by bench/queries.py's ensure_db, reused after):
1. every query the page runs for the last 30 and 90 days, by the tab that runs it: first call and median;
2. fulfilment_kpis against a pandas baseline in the same run: the three periods' order times fetched with DuckDB's
   native DataFrame fetch and the same figures computed in pandas (checked equal), wall and CPU time;
3. the stuck-orders tab's own work on the stuck list (default thresholds, and 1 hour / 1 day, which makes the
   list long): the page's labels (once per distinct store, stage, channel, carrier) against the per-order loop
   they replaced, kept below for the comparison (checked equal), and the download frame, which each rerun built
   until it moved into the download buttons' callbacks (CPU ms);
4. the page in AppTest: cold (empty cache) and warm, wall and CPU, each tab, all stores and 2 stores, and the
   stuck tab with the 1 hour / 1 day thresholds.
Run: .venv/bin/python -m bench.logistics [--scales default large] [--runs 5] [--page-runs 3]
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from bench.common import for_each_scale, scale_args
from bench.pages import bench_users, time_view
from bench.queries import END, print_tab_timings
from components.i18n import channel_label, code_label, translate
from components.logistics import logic
from components.tables import download_frame
from data_access.filters import Filters
from data_access.logistics import delay, queries, stuck
from data_access.periods import comparison_periods, default_grain

AS_OF = datetime.combine(END + timedelta(days=1), datetime.min.time())
TABS = {"stuck": "Stuck orders", "where": "Where", "trend": "Trend", "effects": "Effect of delays"}
#: (ship after hours, deliver after days): the page's defaults, and short ones that make the stuck list long.
STUCK_THRESHOLDS = ((stuck.SHIP_AFTER_HOURS, stuck.DELIVER_AFTER_DAYS), (1.0, 1.0))


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


def stuck_table_per_order(found: pd.DataFrame, lang: str) -> pd.DataFrame:
    """components.logistics.logic.stuck_table as it was: every label looked up once per stuck order (the
    comparison of bench_stuck)."""
    name = found["store_name_zh"].where(found["store_name_zh"].notna(), found["store_name"]) if lang == "zh" \
        else found["store_name"]
    out = found.copy()
    out["store"] = [str(s) if logic._missing(n) else f"{n} ({s})" for s, n in zip(found["store_id"], name, strict=True)]
    out["stage"] = [translate(f"logistics.stage.{s}", lang) for s in found["stage"]]
    out["channel"] = [channel_label(c, lang) for c in found["channel"]]
    no_carrier = translate("logistics.no_carrier", lang)
    out["carrier"] = [code_label("carrier", c, lang, no_carrier) for c in found["carrier"]]
    out["past_promise"] = ["yes" if p else "no" for p in found["past_promise"]] if lang != "zh" \
        else ["是" if p else "否" for p in found["past_promise"]]
    return out[logic.STUCK_COLUMNS]


def bench_stuck(engine, runs: int) -> None:
    """The stuck tab's work on the list, last 30 days, per threshold setting and language (CPU ms medians)."""
    f = Filters(END - timedelta(days=29), END)
    print(f"{'stuck tab, last 30 days':<34}{'orders':>8}{'per order':>11}{'per value':>11}{'ratio':>7}"
          f"{'download frame':>16}   CPU ms, medians of {runs}")
    for hours, days in STUCK_THRESHOLDS:
        found = stuck.stuck_orders(engine, f, AS_OF, hours, days)
        for lang in ("en", "zh"):
            table = logic.stuck_table(found, lang)
            same = table.equals(stuck_table_per_order(found, lang))
            _, before = timed(lambda found=found, lang=lang: stuck_table_per_order(found, lang), runs)
            _, after = timed(lambda found=found, lang=lang: logic.stuck_table(found, lang), runs)
            _, export = timed(lambda table=table, lang=lang: download_frame(table, lang, logic.KINDS), runs)
            label = f"{hours:g} h / {days:g} d, {lang}{'' if same else ' (NOT EQUAL)'}"
            print(f"{label:<34}{len(found):>8,}{before:>11.1f}{after:>11.1f}{before / max(after, 1e-9):>6.1f}x"
                  f"{export:>16.1f}", flush=True)
    print()


def bench_page(url: str, runs: int) -> None:
    bench_users(url)
    params = {"preset": "custom", "from": (END - timedelta(days=29)).isoformat(), "to": END.isoformat()}
    print(f"{'page in AppTest (last 30 days)':<34}{'cold ms':>9}{'warm ms':>9}{'cold CPU':>9}{'warm CPU':>9}"
          f"   medians of {runs}")
    views = [(tab, {"logistics_tab_en": label}) for tab, label in TABS.items()]
    hours, days = STUCK_THRESHOLDS[1]
    views.append((f"stuck ({hours:g} h / {days:g} d)", {"logistics_tab_en": TABS["stuck"],
                                                         "logistics_ship_after": hours,
                                                         "logistics_deliver_after": days}))
    for username, scope in (("bench", "all stores"), ("benchmgr", "2 stores")):
        for tab, session in views:
            v = time_view("logistics.py", params, 13, username, runs, session)
            print(f"{f'{scope}, {tab} tab':<34}{v.cold:>9.0f}{v.warm:>9.0f}{v.cold_cpu:>9.0f}{v.warm_cpu:>9.0f}",
                  flush=True)


def bench_data(engine, runs: int) -> None:
    with engine.connect() as conn:
        print(f"{conn.exec_driver_sql('SELECT count(carrier) FROM orders').scalar():,} orders with a carrier")
    bench_queries(engine, runs)
    bench_stuck(engine, runs)


def main() -> None:
    args = scale_args(__doc__.splitlines()[0], page_runs=3).parse_args()
    for_each_scale(args, ("orders",), bench_data, bench_page)


if __name__ == "__main__":
    main()
