"""The product's forecast vs each statsforecast model and seasonal naive on three panels, several rolling origins each.

Panels:
- walmart: weekly store sales (../shared/data/real/walmart_weekly_sales_45stores.csv), 3 origins x 13 weeks, the
  product = forecasting.demand.forecast(holidays="US") (the choice of forecasting.engine over statsforecast models
  and Prophet, on rolling origins inside each training part);
- demo: the default demo catalogue's store x SKU daily series (bench/results/default.duckdb, built once),
  5 origins x 28 days, the product = the catalogue batch (forecasting.batch.forecast_catalogue) run on the history
  up to each origin; scored on a random sample of series (the fitted models take ~0.3 s a series);
- olist: daily units by product category and by customer state from the Olist order lines
  (../shared/data/real/olist4k_*.csv), 5 origins x 28 days, the product = demand.forecast(holidays="BR").

Scores per panel (series x origins): MASE (MAE / in-sample mean |y(t) - y(t - season)| of the training part,
mean over series x origins), bias pooled (sum of forecast - actual over sum of actual) and per series (mean of
each series' relative bias, series with demand), 80% coverage of the held-out points (the product's interval),
seconds per series-origin, and the product's MASE over the best baseline's. Nothing looks at a held-out window
before it is scored. Run: .venv/bin/python bench/forecast_panel.py [--panels walmart,demo,olist] [--sample 120]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting import baselines, engine

ROOT = Path(__file__).resolve().parent.parent

REAL = ROOT.parent / "shared" / "data" / "real"
BASELINES = ("seasonal_naive", "moving_average", "auto_ets", "auto_theta", "mstl", "croston_sba", "adida", "imapa",
             "tsb")


class Score:
    """Accumulates held-out actuals and forecasts of one method over series x origins."""

    def __init__(self):
        self.mase, self.err, self.act, self.rel_bias, self.cover, self.seconds = [], 0.0, 0.0, {}, [], 0.0

    def add(self, key, actual, yhat, scale, lower=None, upper=None):
        ok = np.isfinite(actual)
        if not ok.any() or not np.isfinite(scale) or scale <= 0:
            return
        a, f = actual[ok], np.asarray(yhat, float)[ok]
        self.mase.append(np.mean(np.abs(a - f)) / scale)
        self.err += float(np.sum(f - a))
        self.act += float(np.sum(a))
        e, s = self.rel_bias.get(key, (0.0, 0.0))
        self.rel_bias[key] = (e + float(np.sum(f - a)), s + float(np.sum(a)))
        if lower is not None:
            self.cover.extend(((a >= np.asarray(lower)[ok] - 1e-9) & (a <= np.asarray(upper)[ok] + 1e-9)).tolist())

    def row(self):
        per_series = [e / s for e, s in self.rel_bias.values() if s > 0]
        return (float(np.mean(self.mase)), self.err / self.act if self.act else np.nan,
                float(np.mean(per_series)) if per_series else np.nan,
                float(np.mean(self.cover)) if self.cover else np.nan)


def scale_of(train: np.ndarray, season: int) -> float:
    known = train[np.isfinite(train)] if season == 0 else train
    d = np.abs(known[season:] - known[:-season])
    d = d[np.isfinite(d)]
    return float(d.mean()) if d.size else np.nan


def run_baselines(scores, key, train, actual, h, season, window):
    filled = baselines.impute_censored(train, ~np.isfinite(train))[0]
    sc = scale_of(train, season)
    for m in BASELINES:
        t0 = time.perf_counter()
        f = engine.forecast_one(m, filled, h, season, window)
        scores[m].seconds += time.perf_counter() - t0
        scores[m].add(key, actual, f, sc)
    return sc


def series_panel(name, series: dict, origins: int, h: int, season: int, window: int, holidays, freq: str):
    """series: key -> (dates, values). The product is demand.forecast on each training part."""
    from forecasting import demand

    scores = {m: Score() for m in ("product", *BASELINES)}
    count = 0
    for key, (dates, y) in series.items():
        n = len(y)
        for k in range(origins, 0, -1):
            o = n - k * h
            train, actual = y[:o], y[o:o + h]
            sc = run_baselines(scores, key, train, actual, h, season, window)
            t0 = time.perf_counter()
            fc = demand.forecast(pd.DataFrame({"ds": dates[:o], "y": train}), h, holidays=holidays)
            scores["product"].seconds += time.perf_counter() - t0
            scores["product"].add(key, actual, fc["yhat"].to_numpy(), sc, fc["yhat_lower"].to_numpy(),
                                  fc["yhat_upper"].to_numpy())
            count += 1
    report(name, scores, count, f"{len(series)} series x {origins} origins x {h} {freq}")


def walmart(stores: int):
    raw = pd.read_csv(REAL / "walmart_weekly_sales_45stores.csv")
    raw["ds"] = pd.to_datetime(raw["Date"], format="%d/%m/%y")
    raw = raw.sort_values(["Store", "ds"])
    keep = sorted(raw["Store"].unique())[::max(1, 45 // stores)][:stores]
    series = {s: (g["ds"].to_numpy(), g["Weekly_Sales"].to_numpy(float)) for s, g in raw.groupby("Store")
              if s in keep}
    series_panel("walmart", series, 3, 13, 52, 8, "US", "weeks")


def olist(min_lines: int):
    items = pd.read_csv(REAL / "olist4k_order_items.csv", usecols=["order_id", "product_id"])
    orders = pd.read_csv(REAL / "olist4k_orders.csv", usecols=["order_id", "customer_id", "order_status",
                                                               "order_purchase_timestamp"])
    products = pd.read_csv(REAL / "olist4k_products.csv", usecols=["product_id", "product_category_name"])
    customers = pd.read_csv(REAL / "olist4k_customers.csv", usecols=["customer_id", "customer_state"])
    lines = (items.merge(orders[orders["order_status"] != "canceled"], on="order_id")
             .merge(products, on="product_id", how="left").merge(customers, on="customer_id", how="left"))
    lines["day"] = pd.to_datetime(lines["order_purchase_timestamp"]).dt.normalize()
    # The sample's dense part: 2017-01 .. 2018-08 (before and after, a handful of orders a month).
    lines = lines[(lines["day"] >= "2017-01-01") & (lines["day"] <= "2018-08-28")]
    days = pd.date_range(lines["day"].min(), lines["day"].max(), freq="D")
    series = {}
    for col, prefix in (("product_category_name", "cat"), ("customer_state", "state")):
        counts = lines.groupby(col).size()
        for value in counts[counts >= min_lines].index:
            daily = lines[lines[col] == value].groupby("day").size().reindex(days, fill_value=0)
            series[f"{prefix}:{value}"] = (days.to_numpy(), daily.to_numpy(float))
    series_panel("olist", series, 5, 28, 7, 28, "BR", "days")


def demo(sample: int, seed: int = 0):
    from bench.queries import ensure_db
    from data_access.engine import create_engine
    from forecasting import batch
    from forecasting.catalogue import Catalogue, Settings
    from forecasting.executors import LocalExecutor

    url = ensure_db("default")
    eng = create_engine(url)
    try:
        full = batch.load_catalogue(eng)
    finally:
        eng.dispose()
    h, origins = 28, 5
    rng = np.random.default_rng(seed)
    sold_any = np.flatnonzero(full.units.sum(axis=1) > 0)
    picked = np.sort(rng.choice(sold_any, size=min(sample, sold_any.size), replace=False))
    scores = {m: Score() for m in ("product", *BASELINES)}
    batch_seconds = 0.0
    n = len(full.days)
    with LocalExecutor(2) as executor:
        for k in range(origins, 0, -1):
            o = n - k * h
            # The campaigns table as the shop has it: past campaigns and those planned after the origin.
            part = Catalogue(full.days[:o], full.store_id, full.sku, full.category, full.units[:, :o],
                             full.censored[:, :o], full.campaigns)
            t0 = time.perf_counter()
            frames = batch.forecast_catalogue(part, Settings(horizon=h), executor, progress=lambda _: None)
            batch_seconds += time.perf_counter() - t0
            fc = frames["forecasts"]
            key = pd.MultiIndex.from_arrays([full.store_id, full.sku])
            wide = {c: fc.pivot_table(index=["store_id", "sku"], columns="step", values=c).reindex(key).to_numpy()
                    for c in ("yhat", "yhat_lower", "yhat_upper")}
            for i in picked:
                train = np.where(part.censored[i], np.nan, part.units[i])
                actual = np.where(full.censored[i, o:o + h], np.nan, full.units[i, o:o + h])
                sc = run_baselines(scores, i, train, actual, h, 7, 28)
                scores["product"].add(i, actual, wide["yhat"][i], sc, wide["yhat_lower"][i], wide["yhat_upper"][i])
    scores["product"].seconds = batch_seconds * len(picked) / full.n_series  # the batch's cost per series
    report("demo", scores, len(picked) * origins,
           f"{len(picked)} of {full.n_series} store x SKU series x {origins} origins x {h} days "
           f"(product: batch on all series, {batch_seconds / origins:.1f} s per run)")


def report(name, scores, count, what):
    print(f"\n== {name}: {what}", flush=True)
    print(f"{'method':<16}{'MASE':>8}{'bias pooled':>13}{'bias/series':>13}{'80% cov':>9}{'s/series':>10}")
    rows = {m: s.row() for m, s in scores.items()}
    for m, (mase, pooled, per, cov) in rows.items():
        cov_text = f"{cov:>9.1%}" if np.isfinite(cov) else f"{'-':>9}"
        print(f"{m:<16}{mase:>8.3f}{pooled:>+13.1%}{per:>+13.1%}{cov_text}{scores[m].seconds / count:>10.4f}")
    best = min((m for m in rows if m != "product"), key=lambda m: rows[m][0])
    ratio = rows["product"][0] / rows[best][0]
    print(f"product / best baseline ({best}): {ratio:.3f} "
          f"({'at least 5% below' if ratio <= 0.95 else 'below' if ratio < 1 else 'not below'}); "
          f"seasonal naive: {rows['product'][0] / rows['seasonal_naive'][0]:.3f}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panels", default="walmart,demo,olist")
    parser.add_argument("--walmart-stores", type=int, default=15, help="stores scored (every third by default)")
    parser.add_argument("--sample", type=int, default=120, help="demo store x SKU series scored")
    parser.add_argument("--olist-min-lines", type=int, default=60, help="order lines a category or state needs")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    started = time.perf_counter()
    for panel in args.panels.split(","):
        {"walmart": lambda: walmart(args.walmart_stores), "demo": lambda: demo(args.sample),
         "olist": lambda: olist(args.olist_min_lines)}[panel]()
    print(f"\ntotal {time.perf_counter() - started:.0f} s; load average after: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
