"""Market page benchmark: the listing snapshots query and each analysis of the page, at the demo's default and
large catalogues and in a market twenty times the demo's (100 rivals per item of ours, a year of weekly snapshots).

The listings databases hold the demo catalogue's stores and products and its listing snapshots only (the market
analysis reads nothing else), built under bench/results/ on first use. Baseline in the same run: reading the same
rows with a plain SELECT into pandas (pd.read_sql), so the figures read as "analysis costs x reads".
Figures are CPU seconds of this process (process_time), median of --runs; wall time is noisy on a shared machine.
Run: .venv/bin/python -m bench.market [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from bench.queries import END
from data_access import schema
from data_access.bulk import bulk_insert
from data_access.demo import config
from data_access.demo import market as demo_market
from data_access.demo.catalog import make_catalog
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.market import analysis, queries

RESULTS = Path(__file__).resolve().parent / "results"
#: name -> (demo scale of the catalogue, weekly snapshots, rivals per item of ours)
MARKETS = {"default": ("default", 26, 5), "large": ("large", 26, 5), "market x20": ("large", 52, 100)}


def ensure_listings(name: str) -> str:
    scale, snapshots, rivals = MARKETS[name]
    path = RESULTS / f"market_{name.replace(' ', '_')}.duckdb"
    url = f"duckdb:///{path}"
    if path.exists():
        return url
    RESULTS.mkdir(parents=True, exist_ok=True)
    sc = config.SCALES[scale]
    catalog = make_catalog(sc.n_stores, sc.n_products, np.random.default_rng(42))
    frame = demo_market.listings_frame(np.random.default_rng([42, 18]), END, catalog.stores, catalog.products,
                                       catalog.popularity, snapshots=snapshots, rivals=rivals)
    engine = create_engine(url)
    schema.create_schema(engine)
    with engine.begin() as conn:
        bulk_insert(conn, schema.stores, catalog.stores)
        bulk_insert(conn, schema.listings, frame)
    engine.dispose()
    return url


def cpu(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.process_time()
        result = fn()
        times.append(time.process_time() - started)
    return statistics.median(times), result


def bench(name: str, runs: int) -> None:
    engine = create_engine(ensure_listings(name))
    span = queries.snapshot_span(engine, Filters.all_time())
    f = Filters(span[0], span[1])
    rows_read, _ = cpu(lambda: pd.read_sql(sa.select(schema.listings).where(
        schema.listings.c.observed_at.between(f.start, f.end)), engine), runs)
    query, snapshots = cpu(lambda: queries.listing_snapshots(engine, f), runs)
    steps = {"sales_bases + period sales": lambda: analysis.with_period_sales(snapshots)}
    sales = analysis.with_period_sales(snapshots)
    steps |= {"price_bands": lambda: analysis.price_bands(sales),
              "own_positions": lambda: analysis.own_positions(sales),
              "sales_share": lambda: analysis.sales_share(sales), "price_moves": lambda: analysis.price_moves(sales),
              "new_entrants": lambda: analysis.new_entrants(sales),
              "closest_competitors": lambda: analysis.closest_competitors(sales)}
    one_category = Filters(f.start, f.end)
    category = snapshots["category"].mode().iloc[0]
    category_query, category_rows = cpu(lambda: queries.listing_snapshots(engine, one_category, category=category),
                                        runs)
    print(f"\n{name}: {len(snapshots):,} snapshot rows, {snapshots['item_id'].nunique():,} items, "
          f"{snapshots['observed_at'].nunique()} snapshots; one category: {len(category_rows):,} rows")
    print(f"  baseline pd.read_sql of the rows      {rows_read:7.3f} s CPU")
    print(f"  listing_snapshots (all)               {query:7.3f} s CPU  ({query / rows_read:5.2f} x baseline)")
    print(f"  listing_snapshots (one category)      {category_query:7.3f} s CPU")
    total = 0.0
    for label, fn in steps.items():
        seconds, _ = cpu(fn, runs)
        total += seconds
        print(f"  {label:<38}{seconds:7.3f} s CPU  ({seconds / rows_read:5.2f} x baseline)")
    print(f"  every analysis of the page            {total:7.3f} s CPU  ({total / rows_read:5.2f} x baseline)")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markets", nargs="*", default=list(MARKETS), choices=list(MARKETS))
    args = parser.parse_args()
    for name in args.markets:
        bench(name, args.runs)


if __name__ == "__main__":
    main()
