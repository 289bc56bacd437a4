"""build(): generate the demo shop and replace the demo tables' rows in one transaction; demo_present()."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa

from data_access import rollups, schema
from data_access.bulk import bulk_insert
from data_access.demo.generator import generate
from data_access.engine import create_engine

#: Every table the demo fills, in load order.
DEMO_TABLES = ("stores", "products", "customers", "orders", "order_items", "inventory", "traffic", "campaigns",
               "marketing_spend", "reviews", "tickets", "listings", "campaign_truth",
               "demo_events", "demo_meta")


def demo_present(engine: sa.Engine) -> bool:
    """True when the demo_meta table exists and orders has at least one row."""
    names = set(sa.inspect(engine).get_table_names())
    if not {"demo_meta", "orders"} <= names:
        return False
    with engine.connect() as conn:
        return conn.execute(sa.select(schema.orders.c.order_id).limit(1)).first() is not None


def load_frames(engine: sa.Engine, frames: dict[str, pd.DataFrame],
                progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Create the schema, then in ONE transaction empty every demo table and bulk-insert the frames; then
    refresh the sales rollups (until that commits, queries read the new rows directly).

    Readers see the old rows or the new ones, never a mix. Emptying millions of rows row by row is slow
    (minutes in DuckDB), so PostgreSQL truncates and DuckDB drops and recreates the tables, both inside
    the same transaction; other backends delete.
    """
    schema.create_schema(engine)
    tables = [schema.metadata.tables[name] for name in DEMO_TABLES]
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        _empty(conn, tables)
        for name in DEMO_TABLES:
            started = time.perf_counter()
            counts[name] = bulk_insert(conn, schema.metadata.tables[name], frames[name])
            if progress:
                progress(f"  loaded {name}: {counts[name]:,} rows in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    rollups.refresh(engine)
    if progress:
        progress(f"  refreshed the sales rollups in {time.perf_counter() - started:.1f}s")
    return counts


def _empty(conn: sa.Connection, tables: list[sa.Table]) -> None:
    backend = conn.engine.url.get_backend_name()
    if backend == "postgresql":
        names = ", ".join(conn.dialect.identifier_preparer.format_table(t) for t in tables)
        conn.execute(sa.text(f"TRUNCATE {names}"))  # identifiers from the schema, not from input
    elif backend == "duckdb":
        for table in tables:
            table.drop(conn)
            table.create(conn)
    else:
        for table in tables:
            conn.execute(table.delete())


def build(url: str | sa.Engine, scale: str = "default", seed: int = 42, end_date: date | None = None,
          progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Generate the demo shop and load it into the database at url (or engine); returns rows per table.

    demo_meta gets the generator's rows (seed, scale, end_date, start_date, history_days) plus generated_at.
    """
    engine = create_engine(url) if isinstance(url, str) else url
    try:
        frames = generate(scale, seed, end_date, progress=progress)
        stamp = pd.DataFrame({"key": ["generated_at"], "value": [datetime.now().isoformat(timespec="seconds")]})
        frames["demo_meta"] = pd.concat([frames["demo_meta"], stamp], ignore_index=True)
        if progress:
            progress(f"loading into {engine.url.render_as_string()}")
        return load_frames(engine, frames, progress)
    finally:
        if isinstance(url, str):
            engine.dispose()
