"""Marketing page benchmark: its queries (SQL in the database), a pandas baseline, and its render time, per demo scale.

For each scale (databases built once under bench/results/ by bench/queries.py's ensure_db, reused after):
1. every query the page runs for the last 30 and 90 days, grouped by the tab that runs it: first call and median;
2. the channel comparison against a pandas baseline measured in the same run: the period's orders, lines, spend
   and traffic fetched into pandas and spend, revenue, orders, sessions and ROAS per channel computed there
   (checked equal to the SQL figures);
3. the page in AppTest, cold (empty cache) and warm, per tab, all stores and 2 stores; the campaigns tab includes
   the effect estimate of the newest campaign of the period.
Run: .venv/bin/python -m bench.marketing [--scales default large] [--runs 5] [--page-runs 3]
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa

from bench.common import for_each_scale, scale_args
from bench.pages import bench_users, time_view
from bench.queries import END, median_ms, print_tab_timings
from bench.satisfaction import quiet_stderr
from data_access.filters import Filters
from data_access.marketing import queries as mq
from data_access.periods import default_grain
from data_access.schema import ORDER_LEVEL_STATUSES, SOLD_STATUSES

TAB_LABELS = {"channels": "Channel comparison", "campaigns": "Campaigns", "ab": "A/B test"}


def page_queries(engine, f: Filters) -> dict[str, list]:
    """Every query the page runs for filter f, by the tab that runs it (the totals run on every load)."""
    return {
        "load": [("marketing_totals", lambda: mq.marketing_totals(engine, f))],
        "channels": [("channel_comparison", lambda: mq.channel_comparison(engine, f)),
                     ("channel_trend", lambda: mq.channel_trend(engine, f, default_grain(f)))],
        "campaigns": [("campaign_performance", lambda: mq.campaign_performance(engine, f)),
                      ("campaigns_in_period", lambda: mq.campaigns_in_period(engine, f))],
    }


def pandas_channels(engine, f: Filters) -> pd.DataFrame:
    """Spend, attributed revenue, orders, sessions and ROAS per channel computed in pandas from fetched rows."""
    window = {"start": f.start_at, "end": f.end_before}
    with engine.connect() as conn:
        orders = pd.read_sql(sa.text("SELECT order_id, channel, status, paid_total, refund_total FROM orders "
                                     "WHERE ordered_at >= :start AND ordered_at < :end"), conn, params=window)
        lines = pd.read_sql(sa.text("SELECT i.order_id, i.quantity, i.unit_price, i.discount, i.returned "
                                    "FROM order_items i JOIN orders o ON o.order_id = i.order_id "
                                    "WHERE o.ordered_at >= :start AND o.ordered_at < :end"), conn, params=window)
        spend = pd.read_sql(sa.text("SELECT channel, spend FROM marketing_spend WHERE day >= :a AND day <= :b"),
                            conn, params={"a": f.start, "b": f.end})
        traffic = pd.read_sql(sa.text("SELECT channel, sessions FROM traffic WHERE day >= :a AND day <= :b"),
                              conn, params={"a": f.start, "b": f.end})
    lines = lines.merge(orders[["order_id", "channel", "status"]], on="order_id")
    sold = lines[lines["status"].isin(SOLD_STATUSES) & ~lines["returned"].astype(bool)]
    line_net = (sold["quantity"] * sold["unit_price"].astype(float) - sold["discount"].astype(float))
    revenue = line_net.groupby(sold["channel"]).sum()
    lineless = orders[~orders["order_id"].isin(lines["order_id"]) & orders["status"].isin(ORDER_LEVEL_STATUSES)]
    lineless_net = (lineless["paid_total"].astype(float).fillna(0) - lineless["refund_total"].astype(float).fillna(0))
    revenue = revenue.add(lineless_net.groupby(lineless["channel"]).sum(), fill_value=0)
    out = pd.DataFrame({
        "spend": spend.groupby("channel")["spend"].sum().astype(float),
        "attributed_revenue": revenue,
        "orders": orders[orders["status"] != "cancelled"].groupby("channel").size(),
        "sessions": traffic.groupby("channel")["sessions"].sum(),
    }).fillna(0)
    out["roas"] = out["attributed_revenue"] / out["spend"].where(out["spend"] > 0)
    return out.sort_index()


def check_same(sql: pd.DataFrame, reference: pd.DataFrame) -> bool:
    sql = sql.set_index("channel").sort_index()[reference.columns]
    return bool(sql.index.equals(reference.index) and np.allclose(sql.to_numpy(float), reference.to_numpy(float),
                                                                  equal_nan=True, rtol=1e-9, atol=1e-6))


def bench_queries(engine, runs: int) -> None:
    """The page's queries by tab for the last 30 and 90 days, and the channel table against the pandas baseline."""
    for days in (30, 90):
        f = Filters(END - timedelta(days=days - 1), END)
        print_tab_timings(f"query (last {days} days)", page_queries(engine, f), runs)
        sql_ms = median_ms(lambda f=f: mq.channel_comparison(engine, f), runs)
        pandas_ms = median_ms(lambda f=f: pandas_channels(engine, f), runs)
        same = check_same(mq.channel_comparison(engine, f), pandas_channels(engine, f))
        print(f"channel table: SQL {sql_ms:.1f} ms, pandas baseline {pandas_ms:.1f} ms ({pandas_ms / sql_ms:.1f}x), "
              f"same figures: {'yes' if same else 'NO'}\n")


def bench_page(url: str, runs: int) -> None:
    bench_users(url)
    params = {"preset": "custom", "from": (END - timedelta(days=89)).isoformat(), "to": END.isoformat()}
    print(f"{'page in AppTest (last 90 days)':<34}{'cold ms':>9}{'warm ms':>9}{'cold CPU':>9}{'warm CPU':>9}"
          f"   medians of {runs}")
    for scope, stores in (("all stores", {}), ("2 stores", {"stores": "S01,S02"})):
        for tab, label in TAB_LABELS.items():
            with quiet_stderr():
                v = time_view("marketing.py", {**params, **stores}, 6, "bench", runs, {"marketing_tab_en": label})
            print(f"{f'{scope}, {tab} tab':<34}{v.cold:>9.0f}{v.warm:>9.0f}{v.cold_cpu:>9.0f}{v.warm_cpu:>9.0f}",
                  flush=True)


def main() -> None:
    args = scale_args(__doc__.splitlines()[0], scales=("default",), page_runs=3).parse_args()
    for_each_scale(args, ("orders", "marketing_spend", "campaigns"), bench_queries, bench_page)


if __name__ == "__main__":
    main()
