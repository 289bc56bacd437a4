"""Batch job: forecast the whole catalogue and store the run. python -m forecasting.batch --url URL [--scheduler ADDR].

Reads daily demand and stock-out days for every store x SKU, fits Prophet per category and backtests the
candidates per series (forecasting.catalogue explains the method), in parallel on the local cores or on a Dask
cluster, and writes the run: forecasts, the model chosen per series, backtest metrics of every candidate, failures
(a failing series is recorded and skipped) and the duration. Progress goes to the `progress` callback (stdout in
the CLI). Results of all but the newest `keep` runs are pruned.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta
from functools import partial

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access import shop_settings
from data_access.engine import cli_errors, configured_url, create_engine, safe_url_text
from data_access.filters import Filters
from data_access.inventory import forecast_store
from data_access.marketing.queries import campaigns_in_period
from data_access.schema import create_schema
from forecasting import catalogue, engine
from forecasting.catalogue import Catalogue, Settings
from forecasting.executors import make_executor

METHOD = ("statsforecast seasonal naive, 28-day moving average, Croston SBA, TSB per series and "
          "prophet_topdown per category (the shop country's holidays, shop events and its campaigns), chosen or "
          "combined per store x SKU by rolling-origin backtest (campaign days out of the level), split-conformal "
          "80% band, conformal lead-time demand quantiles (forecasting.engine, forecasting.lead_time)")


@dataclass
class RunSummary:
    run_id: str
    status: str
    n_series: int
    n_failed: int
    duration_s: float
    timings: dict[str, float]
    executor: str


def load_catalogue(engine: sa.Engine, history_days: int = 730, stores: tuple[str, ...] | None = None) -> Catalogue:
    """Every store x SKU's daily units and stock-out days over the last `history_days` days of history."""
    end = forecast_store.history_end(engine, Filters.all_time(stores))
    if end is None:
        raise ValueError("no orders and no inventory in the database: nothing to forecast")
    start = end - timedelta(days=history_days - 1)
    window = Filters(start, end, stores)
    cells = forecast_store.catalogue_cells(engine, window)
    days = pd.date_range(start, end, freq="D")
    row_of = cells[["store_id", "sku"]].assign(row=np.arange(len(cells)))
    units = np.zeros((len(cells), len(days)))
    censored = np.zeros((len(cells), len(days)), dtype=bool)
    sold = forecast_store.daily_units(engine, window)
    out = forecast_store.stockout_days(engine, window)
    for frame, target, values in ((sold, units, "units"), (out, censored, None)):
        if frame.empty:
            continue
        frame = frame.merge(row_of, on=["store_id", "sku"])  # cells outside the catalogue drop out
        rows = frame["row"].to_numpy()
        cols = (pd.to_datetime(frame["day"]).to_numpy("datetime64[D]") - days[0].to_datetime64()).astype(
            "timedelta64[D]").astype(np.int64)
        ok = (cols >= 0) & (cols < len(days))
        target[rows[ok], cols[ok]] = frame[values].to_numpy()[ok] if values else True
    campaigns = campaigns_in_period(engine, Filters.all_time(stores))[["start_date", "end_date", "stores"]]
    return Catalogue(days=days, store_id=cells["store_id"].to_numpy(str), sku=cells["sku"].to_numpy(str),
                     category=cells["category"].to_numpy(str), units=units, censored=censored, campaigns=campaigns)


def forecast_catalogue(cat: Catalogue, settings: Settings, executor, progress=print) -> dict[str, pd.DataFrame]:
    """Run both stages on the executor; returns frames keyed by result table name (without run_id)."""
    cat.check(settings)
    started = time.perf_counter()

    def say(text: str) -> None:
        progress(f"[{time.perf_counter() - started:6.1f}s] {text}")

    engine.preload()
    estimate = catalogue.estimated_demand(cat)
    tasks = catalogue.category_tasks(cat, settings, estimate)
    results = []
    fit = partial(catalogue.fit_category, horizon=settings.horizon, interval_width=settings.interval_width,
                  country=settings.country, campaigns=cat.campaigns)
    for result in executor.unordered(fit, tasks):
        results.append(result)
        if len(results) % max(1, len(tasks) // 8) == 0 or len(results) == len(tasks):
            say(f"category models {len(results)}/{len(tasks)}")
    failures = [{"stage": "category", "key": f"{r.category}@{r.origin_index}", "store_id": None, "sku": None,
                 "error": r.error} for r in results if r.error]
    chunks = catalogue.chunk_tasks(cat, settings, results, estimate)
    parts, done = [], 0
    for part in executor.unordered(catalogue.run_chunk, chunks):
        parts.append(part)
        done += len(part.series) + len(part.failures)
        say(f"series {done}/{cat.n_series} (store {part.label})")
    failures += [{"stage": "series", "key": f"{store}/{sku}", "store_id": store, "sku": sku, "error": error}
                 for part in parts for store, sku, error in part.failures]
    frames = {name: pd.concat([getattr(p, attr) for p in parts], ignore_index=True)
              for name, attr in (("forecasts", "forecasts"), ("forecast_series", "series"),
                                 ("forecast_backtests", "backtests"))}
    frames["forecast_failures"] = pd.DataFrame(failures, columns=["stage", "key", "store_id", "sku", "error"])
    return frames


def run_batch(url: str | sa.Engine, *, scheduler=None, workers: int | None = None, settings: Settings | None = None,
              history_days: int = 730, keep: int = 5, progress=print) -> RunSummary:
    """Forecast the catalogue in the database at url (or engine) and store the run; returns its summary.

    A run that cannot finish is stored with status 'failed' and its error, then the error is raised.
    """
    engine = create_engine(url) if isinstance(url, str) else url
    run_id = f"{pd.Timestamp.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
    started = time.perf_counter()
    timings: dict[str, float] = {}
    try:
        create_schema(engine)
        settings = settings or Settings(country=shop_settings.shop_country(engine))
        cat = load_catalogue(engine, history_days)
        timings["load"] = time.perf_counter() - started
        progress(f"run {run_id}: {cat.n_series:,} series x {len(cat.days)} days up to {cat.days[-1].date()}")
        params = {**asdict(settings), "history_days": history_days, "method": METHOD}
        scheduler_text = scheduler if isinstance(scheduler, str) else None
        forecast_store.start_run(engine, run_id, history_end=cat.days[-1].date(), horizon=settings.horizon,
                                 scheduler=scheduler_text, params=params)
        try:
            with make_executor(scheduler, workers) as executor:
                progress(f"running on {executor.description}")
                description = executor.description
                t0 = time.perf_counter()
                frames = forecast_catalogue(cat, settings, executor, progress)
                timings["forecast"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            forecast_store.save_results(engine, run_id, frames)
            timings["save"] = time.perf_counter() - t0
        except BaseException as exc:
            forecast_store.finish_run(engine, run_id, status="failed", duration_s=time.perf_counter() - started,
                                      n_series=cat.n_series, n_failed=cat.n_series,
                                      message=f"{type(exc).__name__}: {exc}")
            raise
        n_failed = int((frames["forecast_failures"]["stage"] == "series").sum())
        status = "partial" if len(frames["forecast_failures"]) else "ok"
        duration = time.perf_counter() - started
        forecast_store.finish_run(engine, run_id, status=status, duration_s=duration, n_series=cat.n_series,
                                  n_failed=n_failed)
        forecast_store.prune_runs(engine, keep)
        timings["total"] = duration
        return RunSummary(run_id, status, cat.n_series, n_failed, duration, timings, description)
    finally:
        if isinstance(url, str):
            engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m forecasting.batch", description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="SQLAlchemy database URL (default: DATABASE_URL, secrets.toml, data/shop.duckdb)")
    parser.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: local cores)")
    parser.add_argument("--workers", type=int, default=None, help="local worker processes (default: one per core)")
    parser.add_argument("--horizon", type=int, default=Settings.horizon, help="days to forecast (default 28)")
    parser.add_argument("--history-days", type=int, default=730, help="days of history to use (default 730)")
    parser.add_argument("--keep", type=int, default=5, help="runs whose results are kept (default 5)")
    parser.add_argument("--if-missing", action="store_true",
                        help="do nothing when the database already holds a finished run (used by `make run`)")
    return parser


def has_finished_run(url: str) -> bool:
    engine = create_engine(url)
    try:
        create_schema(engine)
        return forecast_store.latest_run(engine) is not None
    finally:
        engine.dispose()


@cli_errors
def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = args.url or configured_url()
    if args.if_missing and has_finished_run(url):
        print(f"{safe_url_text(url)} already has a forecast run; nothing to do")
        return 0
    print(f"forecasting the catalogue in {safe_url_text(url)}", flush=True)
    try:
        summary = run_batch(url, scheduler=args.scheduler, workers=args.workers,
                            settings=Settings(horizon=args.horizon), history_days=args.history_days, keep=args.keep,
                            progress=lambda line: print(line, flush=True))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rate = summary.n_series / summary.duration_s if summary.duration_s else float("nan")
    print(f"run {summary.run_id}: {summary.status}, {summary.n_series:,} series ({summary.n_failed} failed) in "
          f"{summary.duration_s:.1f}s ({rate:,.0f} series/s) on {summary.executor}")
    return 0 if summary.status in forecast_store.FINISHED else 1


if __name__ == "__main__":
    sys.exit(main())
