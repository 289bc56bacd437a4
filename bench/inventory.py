"""Catalogue batch forecast at default scale (12 stores x 400 SKUs = 4,800 series, 730 days): local cores vs a Dask
LocalCluster, the backtest table of the run, and an out-of-sample check of the per-series choice.

Builds the default demo database once under bench/results/ (shared with bench/queries.py), then runs
forecasting.batch.run_batch `--runs` times on each executor and prints medians (total, load, forecast, save) and
series per second, with the ratio against the local run measured in the same process. The holdout check
re-runs the whole pipeline on the history without its last 28 days and scores the shipped forecasts and the two
baselines on those 28 unseen days (in-stock days only, MASE scaled by the in-sample lag-7 naive error).
Run: .venv/bin/python bench/inventory.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from bench.queries import END, ensure_db
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.inventory import forecast_store, queries
from forecasting import baselines, batch, metrics
from forecasting.catalogue import Catalogue, Settings
from forecasting.executors import LocalExecutor

ROOT = Path(__file__).resolve().parent.parent

TARGET_SECONDS = 60


def timed_runs(url: str, runs: int, scheduler=None) -> list[batch.RunSummary]:
    return [batch.run_batch(url, scheduler=scheduler, workers=2, keep=2, progress=lambda _: None)
            for _ in range(runs)]


def report(label: str, summaries: list[batch.RunSummary], baseline: float | None) -> float:
    total = statistics.median(s.duration_s for s in summaries)
    stages = {k: statistics.median(s.timings[k] for s in summaries) for k in ("load", "forecast", "save")}
    n = summaries[0].n_series
    ratio = f"{total / baseline:>8.2f}x" if baseline else f"{'1.00x':>9}"
    print(f"{label:<34}{total:>8.1f}{stages['load']:>7.1f}{stages['forecast']:>10.1f}{stages['save']:>7.1f}"
          f"{n / total:>10.0f}{ratio}   ({summaries[0].executor}; runs: "
          f"{', '.join(f'{s.duration_s:.1f}' for s in summaries)})", flush=True)
    return total


def backtest_table(url: str) -> None:
    engine = create_engine(url)
    try:
        run = forecast_store.latest_run(engine)
        everything = Filters(END - timedelta(days=1), END)
        table = queries.backtest_summary(engine, everything, run["run_id"])
        series = pd.read_sql(f"SELECT model, censored_days FROM forecast_series WHERE run_id = '{run['run_id']}'",
                             engine)
    finally:
        engine.dispose()
    print("\nBacktest of the run (4,800 series; windows 2 and 3 of 28 days; in-stock days only)")
    print(f"{'model':<18}{'series':>8}{'chosen':>8}{'MASE':>8}{'sMAPE':>8}{'bias':>8}{'80% cov':>9}")
    for r in table.itertuples():
        print(f"{r.model:<18}{r.series:>8}{r.chosen:>8}{r.mase:>8.3f}{r.smape:>8.3f}{r.bias_pct:>+8.1%}"
              f"{r.coverage:>9.1%}")
    mix = series["model"].value_counts()
    print("shipped model mix: " + ", ".join(f"{k} {v} ({v / len(series):.0%})" for k, v in mix.items()))
    print(f"series with stock-out days in the last 56 days: {(series['censored_days'] > 0).mean():.0%}")


def holdout_check(url: str, horizon: int = 28) -> None:
    """The whole pipeline on history minus the last `horizon` days, scored on those days."""
    engine = create_engine(url)
    try:
        full = batch.load_catalogue(engine)
    finally:
        engine.dispose()
    cut = len(full.days) - horizon
    part = Catalogue(full.days[:cut], full.store_id, full.sku, full.category, full.units[:, :cut],
                     full.censored[:, :cut])
    with LocalExecutor(2) as executor:
        frames = batch.forecast_catalogue(part, Settings(horizon=horizon), executor, progress=lambda _: None)
    key = pd.MultiIndex.from_arrays([full.store_id, full.sku])
    shipped = frames["forecasts"].pivot_table(index=["store_id", "sku"], columns="step", values="yhat")
    shipped = shipped.reindex(key).to_numpy()
    known = np.where(part.censored, np.nan, part.units)
    estimate = baselines.impute_censored(part.units, part.censored)
    actual = np.where(full.censored[:, cut:], np.nan, full.units[:, cut:])
    scale = metrics.naive_scale(known, 7)
    candidates = {"shipped (chosen per series)": shipped,
                  "seasonal naive (lag 7)": baselines.seasonal_naive(estimate, horizon, 7),
                  "moving average (28 days)": baselines.moving_average(known, horizon, 28)}
    print(f"\nOut-of-sample check: choice made without the last {horizon} days ({full.days[cut].date()} .. "
          f"{full.days[-1].date()}), scored on them")
    print(f"{'forecast':<30}{'MASE':>8}{'sMAPE':>8}{'bias':>8}")
    for name, fc in candidates.items():
        mase = metrics.mase(actual, fc, scale)
        known_days = np.isfinite(actual)
        bias = np.sum((fc - actual)[known_days]) / np.sum(actual[known_days])
        print(f"{name:<30}{np.nanmean(mase):>8.3f}{np.nanmean(metrics.smape(actual, fc)):>8.3f}{bias:>+8.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = ensure_db("default")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores "
          "(other work on the machine slows every figure below)")
    print(f"{'executor':<34}{'total s':>8}{'load':>7}{'forecast':>10}{'save':>7}{'series/s':>10}{'vs local':>9}")
    local = report("local processes (2 cores)", timed_runs(url, args.runs), None)
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        report("Dask LocalCluster (2 workers)", timed_runs(url, args.runs, scheduler=client), local)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"target: default catalogue under {TARGET_SECONDS} s -> {'PASS' if local < TARGET_SECONDS else 'FAIL'}")
    backtest_table(url)
    holdout_check(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
