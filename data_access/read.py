"""read_frame: run a statement and return its result as a DataFrame (the one way queries read results)."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa


def read_frame(engine: sa.Engine, stmt, *, bulk: bool = False) -> pd.DataFrame:
    """The statement's rows as a DataFrame with the result's column names (no rows: the columns only).

    With `bulk`, for results of many rows, DuckDB hands its result over as a DataFrame in one piece (building a
    Python row per result row costs seconds at default scale; its column types are DuckDB's own); other
    backends go row by row.
    """
    with engine.connect() as conn:
        result = conn.execute(stmt)
        if bulk and conn.engine.url.get_backend_name() == "duckdb":
            return result.cursor.df()  # duckdb-engine's cursor passes this to DuckDB's own connection
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def day_span(engine: sa.Engine, column: sa.ColumnElement, *conditions: sa.ColumnElement) -> tuple | None:
    """(first day, last day) of a date or time column over the rows meeting conditions; None when there are none."""
    stmt = sa.select(sa.func.min(column), sa.func.max(column)).where(*conditions)
    with engine.connect() as conn:
        first, last = conn.execute(stmt).one()
    if first is None:
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()
