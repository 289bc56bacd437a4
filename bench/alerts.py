"""Morning-alert and "why did it change" time on the demo data, against the overview's KPI query in the same run.

For each scale: median of --runs calls of each alert rule for the last day, of alerts.explain.explain_day (all
stores and one store), and of queries.kpi_totals for that day (the baseline: the overview already waits for it).
Run: .venv/bin/python bench/alerts.py [--scales small default] [--runs 5]
Reuses (or builds) the databases of bench/queries.py under bench/results/.
"""

from __future__ import annotations

import statistics
import time

from alerts import rules
from alerts import settings as alert_settings
from alerts.explain import explain_day
from bench.common import scale_args
from bench.queries import END, ensure_db
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.sales import queries


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench_scale(scale: str, runs: int) -> None:
    engine = create_engine(ensure_db(scale))
    cfg = alert_settings.load(engine)
    day = END
    store = queries.sales_by(engine, Filters(day, day), "store", with_customers=False)["key"].iloc[0]
    timed = {
        "baseline kpi_totals (1 day)": lambda: queries.kpi_totals(engine, Filters(day, day), with_customers=False),
        **{f"rule {r.__name__}": (lambda r=r: r(engine, day, None, cfg)) for r in rules.RULES},
        "all rules (evaluate)": lambda: rules.evaluate(engine, day, None, cfg),
        "explain_day, all stores": lambda: explain_day(engine, day),
        f"explain_day, store {store}": lambda: explain_day(engine, day, (store,)),
    }
    results = {name: median_ms(fn, runs) for name, fn in timed.items()}
    base = results["baseline kpi_totals (1 day)"]
    print(f"scale {scale}, day {day}, median of {runs} runs")
    for name, ms in results.items():
        print(f"  {name:32s} {ms:9.1f} ms   {ms / base:6.1f} x baseline")
    engine.dispose()


def main() -> None:
    args = scale_args(__doc__.splitlines()[0], scales=("small",)).parse_args()
    for scale in args.scales:
        bench_scale(scale, args.runs)


if __name__ == "__main__":
    main()
