"""Profile of an uploaded table: per column its type, filled and empty cells, distinct values and range; duplicate
rows. Distinct counts run in an in-memory DuckDB over the Arrow data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.ingest import parse

SAMPLE = 2_000
_TYPE_SHARE = 0.95  # share of a sample that must parse for a column to count as that type


@dataclass
class Profile:
    """rows, columns, duplicate_rows (rows equal to an earlier row in every cell), missing_cells, and table with
    one row per column: column, type (number/date/datetime/bool/text/empty), filled, missing, missing_share,
    distinct, min, max (as text), example."""

    rows: int
    columns: int
    duplicate_rows: int
    missing_cells: int
    table: pd.DataFrame


class TypedColumns:
    """Typed views of raw columns, parsed once and shared by the profile and the analysis."""

    def __init__(self, frame: pd.DataFrame, date_order: str | None):
        self.frame = frame
        self.date_order = date_order
        self._numbers: dict[str, pd.Series] = {}
        self._dates: dict[str, parse.DateParse] = {}
        self._texts: dict[str, pd.Series] = {}

    def number(self, column: str) -> pd.Series:
        if column not in self._numbers:
            self._numbers[column] = parse.parse_numbers(self.frame[column])[0]
        return self._numbers[column]

    def date(self, column: str) -> parse.DateParse:
        if column not in self._dates:
            self._dates[column] = parse.parse_dates(self.frame[column], self.date_order)
        return self._dates[column]

    def text(self, column: str) -> pd.Series:
        if column not in self._texts:
            self._texts[column] = parse.clean_text(self.frame[column])
        return self._texts[column]

    @property
    def parsed_dates(self) -> dict[str, parse.DateParse]:
        return dict(self._dates)


def _column_type(values: pd.Series) -> str:
    """number, date, datetime, bool, text or empty, from a sample of the filled cells."""
    sample = values.head(20 * SAMPLE).dropna().head(SAMPLE)  # dropna on a million rows costs more than all else
    if sample.empty:
        return "empty"
    share = 1 - parse.parse_numbers(sample)[1].mean()
    if share >= _TYPE_SHARE:
        # Values like 20240305 or 1709632800 are numbers that may be dates; only a date form names them dates.
        return "number"
    dates = parse.parse_dates(sample)
    if 1 - dates.failed.mean() >= _TYPE_SHARE:
        return "datetime" if dates.has_time else "date"
    if 1 - parse.parse_bool(sample)[1].mean() >= _TYPE_SHARE:
        return "bool"
    return "text"


def _stacked(frame: pd.DataFrame, names: list[str], sample: bool) -> tuple[pd.Series, np.ndarray]:
    """The (sampled) filled cells of several columns as one series, and each cell's column position."""
    parts, owners = [], []
    for position, name in enumerate(names):
        values = frame[name]
        values = values.head(20 * SAMPLE).dropna().head(SAMPLE) if sample else values
        parts.append(values.reset_index(drop=True))
        owners.append(np.full(len(values), position))
    stacked = pd.concat(parts, ignore_index=True) if parts else pd.Series([], dtype="str")
    return stacked.astype("str"), np.concatenate(owners) if owners else np.zeros(0, dtype=int)


def _column_types_at_once(frame: pd.DataFrame) -> tuple[dict[str, str], dict[str, tuple]]:
    """(_column_type for every column of a wide file, (lowest, highest) timestamp of the date columns whose every
    cell the sample holds and none of which is in a d/m form), in one parse per type: per-column parsing has a
    fixed cost that a thousand columns turn into minutes. Each parse reads only the columns still undecided (a
    number column's cells never go through the date forms); a date column's range needs no second parse unless
    its own d/m decision could read it differently from the others'."""
    names = list(frame.columns)
    types = dict.fromkeys(names, "text")
    ranges: dict[str, tuple] = {}
    values, owner = _stacked(frame, names, sample=True)
    counts = np.bincount(owner, minlength=len(names))
    for position in np.flatnonzero(counts == 0):
        types[names[position]] = "empty"
    undecided = counts > 0

    def shares(failed: pd.Series, owners: np.ndarray) -> np.ndarray:
        bad = np.bincount(owners, weights=failed.to_numpy(dtype=float), minlength=len(names))
        return 1 - bad / np.maximum(counts, 1)

    def still_open() -> tuple[pd.Series, np.ndarray]:
        keep = undecided[owner]
        return values[keep].reset_index(drop=True), owner[keep]

    number = shares(parse.parse_numbers(values)[1], owner) >= _TYPE_SHARE
    for position in np.flatnonzero(undecided & number):
        types[names[position]] = "number"
    undecided &= ~number
    if not undecided.any():
        return types, ranges
    open_values, open_owner = still_open()
    dates = parse.parse_dates(open_values)
    is_date = shares(dates.failed, open_owner) >= _TYPE_SHARE
    timed = np.bincount(open_owner, weights=(dates.values.notna() & (dates.values != dates.values.dt.normalize()))
                        .to_numpy(dtype=float), minlength=len(names)) > 0
    for position in np.flatnonzero(undecided & is_date):
        types[names[position]] = "datetime" if timed[position] else "date"
    found = undecided & is_date
    if found.any():
        ranges = _date_ranges(frame, names, np.flatnonzero(found), open_values, open_owner, dates.values, counts)
    undecided &= ~is_date
    if not undecided.any():
        return types, ranges
    open_values, open_owner = still_open()
    is_bool = shares(parse.parse_bool(open_values)[1], open_owner) >= _TYPE_SHARE
    for position in np.flatnonzero(undecided & is_bool):
        types[names[position]] = "bool"
    return types, ranges


def _date_ranges(frame: pd.DataFrame, names: list[str], positions: np.ndarray, values: pd.Series,
                 owner: np.ndarray, stamps: pd.Series, counts: np.ndarray) -> dict[str, tuple]:
    """name -> (lowest, highest) of the date columns at positions whose sampled cells are all their filled cells
    and hold no d/m form (their reading is then the same parsed alone or together)."""
    filled = frame.notna().sum().to_numpy()
    day_month = np.bincount(owner, weights=parse.day_month_form(values).to_numpy(dtype=float),
                            minlength=len(names))
    frame_stamps = pd.DataFrame({"owner": owner, "at": stamps.to_numpy()})
    lows = frame_stamps.groupby("owner")["at"].min()
    highs = frame_stamps.groupby("owner")["at"].max()
    return {names[p]: (lows.get(p), highs.get(p)) for p in positions
            if counts[p] == filled[p] and day_month[p] == 0}


def _numbers_at_once(frame: pd.DataFrame, names: list[str], columns: TypedColumns) -> None:
    """Parse the number columns of a wide file in one pass (the decimal mark is then decided over them all)."""
    if not names:
        return
    parts = [frame[name].reset_index(drop=True) for name in names]
    stacked = pd.concat(parts, ignore_index=True).astype("str")
    parsed = parse.parse_numbers(stacked)[0].to_numpy()
    start = 0
    for name, part in zip(names, parts, strict=True):
        columns._numbers[name] = pd.Series(parsed[start:start + len(part)], index=frame.index, dtype="float64")
        start += len(part)


def profile_frame(frame: pd.DataFrame, columns: TypedColumns) -> tuple[Profile, dict[str, str]]:
    """(Profile of frame, column -> type); numbers and dates parsed here stay in columns for the analysis."""
    rows = []
    types: dict[str, str] = {}
    distinct, duplicates = _distinct_counts(frame)
    wide = len(frame.columns) > _WIDE
    guessed, ranges = _column_types_at_once(frame) if wide else ({}, {})
    if wide:
        _numbers_at_once(frame, [n for n, k in guessed.items() if k == "number"], columns)
    for position, name in enumerate(frame.columns):
        values = frame[name]
        kind = guessed[name] if wide else _column_type(values)
        types[name] = kind
        filled = int(values.notna().sum())
        low = high = None
        if kind == "number":
            numbers = columns.number(name)
            low, high = _text(numbers.min()), _text(numbers.max())
        elif kind in ("date", "datetime"):
            fmt = "%Y-%m-%d %H:%M" if kind == "datetime" else "%Y-%m-%d"
            if name in ranges:
                lowest, highest = ranges[name]
            else:
                stamps = columns.date(name).values
                lowest, highest = stamps.min(), stamps.max()
            low, high = (lowest.strftime(fmt), highest.strftime(fmt)) if pd.notna(lowest) else (None, None)
        example = values.dropna().iloc[0] if filled else None
        rows.append({"column": name, "type": kind, "filled": filled, "missing": len(values) - filled,
                     "missing_share": (len(values) - filled) / len(values) if len(values) else 0.0,
                     "distinct": distinct[position], "min": low, "max": high,
                     "example": None if example is None else str(example)[:80]})
    table = pd.DataFrame(rows, columns=["column", "type", "filled", "missing", "missing_share", "distinct", "min",
                                        "max", "example"])
    missing = int(table["missing"].sum())
    return Profile(len(frame), len(frame.columns), duplicates, missing, table), types


#: More columns than this are typed and parsed all at once; distinct counts run this many columns per query.
_WIDE = 100
_DISTINCT_GROUP = 50


def _distinct_counts(frame: pd.DataFrame) -> tuple[list[int], int]:
    """(distinct non-empty values per column, rows repeating an earlier row), in one multi-threaded DuckDB pass
    over the Arrow data. Columns are renamed c0, c1, ... first: no name from the file ever reaches SQL."""
    import duckdb
    import pyarrow as pa

    if not len(frame.columns):
        return [], 0
    width = len(frame.columns)
    if width > _WIDE:
        # Wide files are short (the size limit divides among the columns): pandas counts them in one pass each,
        # where DuckDB's planning of hundreds of aggregates alone takes seconds.
        return [int(v) for v in frame.nunique(dropna=True).to_numpy()], int(frame.duplicated().sum())
    # pyarrow-backed string columns convert without a copy.
    table = pa.Table.from_pandas(frame, preserve_index=False).rename_columns([f"c{i}" for i in range(width)])
    distinct: list[int] = []
    with duckdb.connect() as conn:
        conn.register("upload", table)
        # In groups of columns: one query over a thousand count(DISTINCT) grows much faster than its width.
        for start in range(0, width, _DISTINCT_GROUP):
            counts = ", ".join(f"count(DISTINCT c{i})" for i in range(start, min(width, start + _DISTINCT_GROUP)))
            distinct.extend(conn.execute(f"SELECT {counts} FROM upload").fetchone())  # identifiers are ours
        # Distinct 64-bit row hashes: twice as fast as DISTINCT *, and a collision among a million rows has a
        # chance of about 1 in 30 million.
        row_hash = ", ".join(f"c{i}" for i in range(width))
        unique_rows = conn.execute(f"SELECT count(DISTINCT hash({row_hash})) FROM upload").fetchone()[0]
    return [int(value) for value in distinct], len(frame) - int(unique_rows)


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
