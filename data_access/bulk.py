"""Fast bulk loading of DataFrames into canonical tables (DuckDB register, PostgreSQL COPY)."""

from __future__ import annotations

import io
import itertools
import secrets

import pandas as pd
import sqlalchemy as sa

_view_names = itertools.count()


def bulk_insert(conn: sa.Connection, table: sa.Table, frame: pd.DataFrame) -> int:
    """Append frame's rows to table inside the caller's transaction; returns the row count.

    Columns are matched by name; table columns missing from the frame get their defaults.
    Identifiers come from the schema, never from the data; values travel as data, not SQL.
    """
    if frame.empty:
        return 0
    columns = [c.name for c in table.columns if c.name in frame.columns]
    frame = frame[columns]
    backend = conn.engine.url.get_backend_name()
    if backend == "duckdb":
        _duckdb_insert(conn, table, frame, columns)
    elif backend == "postgresql":
        _postgres_copy(conn, table, frame, columns)
    else:
        conn.execute(table.insert(), frame.to_dict("records"))
    return len(frame)


def _quoted(conn: sa.Connection, names: list[str]) -> str:
    preparer = conn.dialect.identifier_preparer
    return ", ".join(preparer.quote(n) for n in names)


def _duckdb_insert(conn: sa.Connection, table: sa.Table, frame: pd.DataFrame, columns: list[str]) -> None:
    raw = conn.connection.driver_connection
    view = f"bulk_frame_{next(_view_names)}"
    raw.register(view, frame)
    try:
        cols = _quoted(conn, columns)
        target = conn.dialect.identifier_preparer.format_table(table)
        raw.execute(f"INSERT INTO {target} ({cols}) SELECT {cols} FROM {view}")
    finally:
        raw.unregister(view)


def _null_marker(frame: pd.DataFrame) -> str:
    """A random word that is not the text of any cell of frame."""
    texts = set()
    for name in frame.columns:
        if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name]):
            texts.update(str(v) for v in frame[name].dropna().unique())
    while True:
        marker = f"NULL_{secrets.token_hex(8)}"
        if marker not in texts:
            return marker


def _postgres_copy(conn: sa.Connection, table: sa.Table, frame: pd.DataFrame, columns: list[str]) -> None:
    raw = conn.connection.driver_connection
    buffer = io.StringIO()
    # A NULL marker that no cell holds: with a fixed "\\N" a text cell reading \N came back as NULL.
    # Empty strings survive as empty strings either way.
    marker = _null_marker(frame)
    frame.to_csv(buffer, index=False, header=False, na_rep=marker, date_format="%Y-%m-%d %H:%M:%S.%f")
    buffer.seek(0)
    target = conn.dialect.identifier_preparer.format_table(table)
    with raw.cursor() as cur:
        # The marker is [A-Za-z0-9_] only (made here, never from data), so it is safe inside the quotes.
        sql = f"COPY {target} ({_quoted(conn, columns)}) FROM STDIN WITH (FORMAT csv, NULL '{marker}')"
        with cur.copy(sql) as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
