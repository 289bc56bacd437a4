"""Satisfaction page benchmark: its queries (SQL in the database) and its render time, at each demo scale.

For each scale (databases built once under bench/results/ by bench/queries.py's ensure_db, reused after):
1. every query the page runs for the last 30 and 90 days, grouped by the tab that runs it: first call and
   median of several runs;
2. the KPI query against a pandas baseline measured in the same run: the rows it needs fetched with
   DuckDB's native DataFrame fetch and the same figures computed in pandas (checked equal);
3. the page in AppTest: cold (empty cache) and warm, the first tab on load and each other tab when opened.
Run: .venv/bin/python -m bench.satisfaction [--scales default large] [--runs 5] [--page-runs 3]
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from bench.common import for_each_scale, scale_args
from bench.pages import bench_users, time_view
from bench.queries import END, median_ms, print_tab_timings
from data_access.filters import Filters
from data_access.periods import comparison_periods, default_grain
from data_access.satisfaction import reviews as rq
from data_access.satisfaction import service
from data_access.satisfaction import tickets as tq
from data_access.satisfaction.kpis import satisfaction_kpis
from data_access.satisfaction.sla import OTHER, as_targets

AS_OF = datetime.combine(END + timedelta(days=1), datetime.min.time())
TARGETS = as_targets()


def page_queries(engine, f: Filters) -> dict[str, list]:
    """Every query the page runs for filter f, by the tab that runs it (the KPIs run on every load)."""
    grain = default_grain(f)
    week = "week" if f.days > 31 else "day"
    return {
        "load": [("satisfaction_kpis", lambda: satisfaction_kpis(engine, f, TARGETS, AS_OF))],
        "trends": [("rating_trend", lambda: rq.rating_trend(engine, f, grain)),
                   ("ticket_flow", lambda: tq.ticket_flow(engine, f, grain, AS_OF)),
                   ("response_times by bucket", lambda: tq.response_times(engine, f, AS_OF, grain)),
                   ("response_times", lambda: tq.response_times(engine, f, AS_OF))],
        "drivers": [("rating_by_delay", lambda: rq.rating_by_delay(engine, f)),
                    ("rating_distribution", lambda: rq.rating_distribution(engine, f)),
                    *[(f"rating_by {d}", lambda d=d: rq.rating_by(engine, f, d)) for d in ("store", "channel",
                                                                                           "category")],
                    ("complaint_categories", lambda: tq.complaint_categories(engine, f)),
                    ("complaint_trend", lambda: tq.complaint_trend(engine, f, week)),
                    ("worst_products", lambda: rq.worst_products(engine, f, 5, 10.0))],
        "reader": [("review_search", lambda: rq.review_search(engine, f, 1, 2, limit=200)),
                   ("review_search_count", lambda: rq.review_search_count(engine, f, 1, 2)),
                   ("review_search text", lambda: rq.review_search(engine, f, 1, 5, text="物流", limit=200)),
                   ("keyword_comments", lambda: rq.keyword_comments(engine, f, 2000))],
        "sla": [("sla_by_priority", lambda: tq.sla_by_priority(engine, f, TARGETS, AS_OF)),
                ("open_tickets_past_sla", lambda: service.open_tickets_past_sla(engine, f, AS_OF,
                                                                                       TARGETS, 200))],
    }


# ---------------------------------------------------------------- the pandas baseline of satisfaction_kpis


def _fetch(engine, f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reviews of the three periods and the tickets that can touch them, with DuckDB's native fetch."""
    periods = comparison_periods(f).values()
    first, last = min(p.start_at for p in periods), max(p.end_before for p in periods)
    raw = engine.raw_connection()
    try:
        con = raw.driver_connection
        reviews = con.execute("SELECT created_at, rating, nps FROM reviews WHERE created_at >= ? AND created_at < ?",
                              [first, last]).df()
        tickets = con.execute("SELECT created_at, first_response_at, resolved_at, priority, csat FROM tickets "
                              "WHERE created_at < ? AND (resolved_at IS NULL OR resolved_at >= ?)",
                              [last, first]).df()
    finally:
        raw.close()
    return reviews, tickets


def pandas_kpis(engine, f: Filters) -> pd.DataFrame:
    """satisfaction_kpis' main figures computed in pandas from fetched rows."""
    reviews, tickets = _fetch(engine, f)
    first = tickets["first_response_at"].where(tickets["first_response_at"] <= AS_OF)
    resolved = tickets["resolved_at"].where(tickets["resolved_at"] <= AS_OF)
    targets = {p: (a, b) for p, a, b in TARGETS}
    fallback = targets.get(OTHER, (None, None))
    goal = tickets["priority"].map(lambda p: targets.get(p, fallback) if p != OTHER else fallback)
    first_goal = goal.map(lambda g: np.nan if g[0] is None else g[0]).astype(float)
    resolution_goal = goal.map(lambda g: np.nan if g[1] is None else g[1]).astype(float)
    hours = pd.Timedelta(hours=1)
    first_h = (first - tickets["created_at"]) / hours
    resolution_h = (resolved - tickets["created_at"]) / hours
    breach = (((first.fillna(AS_OF) - tickets["created_at"]) / hours > first_goal)
              | ((resolved.fillna(AS_OF) - tickets["created_at"]) / hours > resolution_goal))
    rows = []
    for name, p in comparison_periods(f).items():
        r = reviews[(reviews["created_at"] >= p.start_at) & (reviews["created_at"] < p.end_before)]
        nps = r["nps"].dropna()
        opened = (tickets["created_at"] >= p.start_at) & (tickets["created_at"] < p.end_before)
        closed = (resolved >= p.start_at) & (resolved < p.end_before)
        cut = min(p.end_before, AS_OF)
        target = opened & (first_goal.notna() | resolution_goal.notna())
        surveys = tickets.loc[closed, "csat"].dropna()
        rows.append({
            "period": name, "reviews": len(r), "avg_rating": r["rating"].mean(),
            "nps": 100 * ((nps >= 9).sum() - (nps <= 6).sum()) / len(nps) if len(nps) else np.nan,
            "opened": int(opened.sum()), "resolved": int(closed.sum()),
            "backlog": int(((tickets["created_at"] < cut) & (resolved.isna() | (resolved >= cut))).sum()),
            "first_response_median": first_h[opened].median(), "first_response_p90": first_h[opened].quantile(0.9),
            "resolution_median": resolution_h[opened].median(),
            "sla_breach_rate": (breach & target).sum() / target.sum() if target.sum() else np.nan,
            "csat": (surveys >= 4).mean() if len(surveys) else np.nan,
        })
    return pd.DataFrame(rows).set_index("period")


def check_same(sql: pd.DataFrame, reference: pd.DataFrame) -> bool:
    sql = sql.set_index("period")[reference.columns]
    return bool(np.allclose(sql.to_numpy(float), reference.to_numpy(float), equal_nan=True, rtol=1e-9, atol=1e-9))


# ---------------------------------------------------------------- the page in AppTest

TAB_LABELS = {"drivers": "What drives satisfaction", "reader": "Review reader", "sla": "SLA performance"}


@contextlib.contextmanager
def quiet_stderr():
    """Silence the process's stderr: AppTest logs bare-mode warnings on every run and resets any log level."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def bench_page(url: str, runs: int) -> None:
    bench_users(url)
    params = {"preset": "custom", "from": (END - timedelta(days=29)).isoformat(), "to": END.isoformat()}
    print(f"{'page in AppTest (last 30 days)':<34}{'cold ms':>9}{'warm ms':>9}{'cold CPU':>9}{'warm CPU':>9}"
          f"   medians of {runs}")
    for username, scope in (("bench", "all stores"), ("benchmgr", "2 stores")):
        for tab in ("trends", *TAB_LABELS):
            session = {"satisfaction_tab_en": TAB_LABELS[tab]} if tab in TAB_LABELS else {}
            with quiet_stderr():
                v = time_view("satisfaction.py", params, 15, username, runs, session)
            print(f"{f'{scope}, {tab} tab':<34}{v.cold:>9.0f}{v.warm:>9.0f}{v.cold_cpu:>9.0f}{v.warm_cpu:>9.0f}",
                  flush=True)


def bench_queries(engine, runs: int) -> None:
    """The page's queries by tab for the last 30 and 90 days, and the KPI query against the pandas baseline."""
    for days in (30, 90):
        f = Filters(END - timedelta(days=days - 1), END)
        print_tab_timings(f"query (last {days} days)", page_queries(engine, f), runs)
        sql_ms = median_ms(lambda f=f: satisfaction_kpis(engine, f, TARGETS, AS_OF), runs)
        pandas_ms = median_ms(lambda f=f: pandas_kpis(engine, f), runs)
        same = check_same(satisfaction_kpis(engine, f, TARGETS, AS_OF), pandas_kpis(engine, f))
        print(f"KPIs: SQL {sql_ms:.1f} ms, pandas baseline {pandas_ms:.1f} ms ({pandas_ms / sql_ms:.1f}x), "
              f"same figures: {'yes' if same else 'NO'}\n")


def main() -> None:
    args = scale_args(__doc__.splitlines()[0], page_runs=3).parse_args()
    for_each_scale(args, ("reviews", "tickets"), bench_queries, bench_page)


if __name__ == "__main__":
    main()
