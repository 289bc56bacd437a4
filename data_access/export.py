"""The one CSV-injection escape (OWASP "CSV injection") for every file a person opens in a spreadsheet.

The page downloads (components.tables), the tables the pages show (their toolbar's own CSV download writes the
shown values) and the ingest error file (data_access.ingest) all go through escape_formula_cells / csv_bytes /
escape_text_cells, so the rule lives here once. No Streamlit: the CLI uses it too.
"""

from __future__ import annotations

import re

import pandas as pd

#: A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A plain signed number ("-12.5", "+86") cannot carry a formula, so it is left readable.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def escape_cell(value):
    """value with a leading apostrophe when it is a string a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_cell(value):
    """The value escape_cell was given for what it returned: an editable table shows its text escaped (its
    toolbar's "Download as CSV" writes the shown cells) and hands back what the person meant, so one leading
    apostrophe is taken off a string escape_cell would have put it on; anything else is returned as it is."""
    if isinstance(value, str) and value.startswith("'") and escape_cell(value[1:]) == value:
        return value[1:]
    return value


def is_text_column(series: pd.Series) -> bool:
    """Whether a column can hold strings (object, string or categorical); numbers and dates cannot."""
    dtype = series.dtype
    return (
        pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    )


def escape_text_cells(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df where string cells that start with = + - @ tab or CR are escaped (column names as they are).
    What a table shows is what its toolbar's "Download as CSV" writes (Streamlit exports the cell values), so
    components.tables shows tables through this too."""
    out = df.copy()
    for position in range(out.shape[1]):
        series = out.iloc[:, position]
        if is_text_column(series):
            out.isetitem(position, series.astype(object).map(escape_cell))
    return out


def escape_formula_cells(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df where string cells and column names that start with = + - @ tab or CR are escaped."""
    out = escape_text_cells(df)
    out.columns = [escape_cell(column) if isinstance(column, str) else column for column in out.columns]
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """df (its columns, not its index) as escaped CSV in UTF-8 with a byte-order mark, so Excel shows Chinese."""
    # RFC 4180 line ends: the csv writer then quotes every cell containing \r or \n, so a stray
    # carriage return cannot start a new row (one that could begin with "=").
    return escape_formula_cells(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
