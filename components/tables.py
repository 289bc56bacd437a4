"""Tables with CSV and Excel downloads whose cells are escaped against formula injection."""

from __future__ import annotations

import io
import re

import pandas as pd

# OWASP "CSV injection": a spreadsheet treats a cell starting with these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A plain signed number ("-12.5", "+86") cannot carry a formula, so it is left readable.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILE_FORBIDDEN = re.compile(r"[^\w.-]+")

CSV_MIME = "text/csv"
EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value):
    """value with a leading apostrophe when it is a string a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _is_text_column(series: pd.Series) -> bool:
    """Whether a column can hold strings (object, string or categorical); numbers and dates cannot."""
    dtype = series.dtype
    return (
        pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    )


def escape_formula_cells(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df where string cells and column names that start with = + - @ tab or CR are escaped."""
    out = df.copy()
    for position in range(out.shape[1]):
        series = out.iloc[:, position]
        if _is_text_column(series):
            out.isetitem(position, series.astype(object).map(escape_cell))
    out.columns = [escape_cell(column) if isinstance(column, str) else column for column in out.columns]
    return out


def has_default_index(df: pd.DataFrame) -> bool:
    """Whether df's index is meaningless row positions (then it is neither shown nor exported): an unnamed
    integer index, 0..n-1 or what is left of it after filtering and sorting."""
    index = df.index
    if isinstance(index, pd.MultiIndex) or index.name is not None:
        return False
    return isinstance(index, pd.RangeIndex) or pd.api.types.is_integer_dtype(index.dtype)


def _export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """df escaped, with a meaningful index as columns, a flat header and timezone-naive datetimes."""
    out = df.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [" / ".join(str(part) for part in parts if str(part)) for parts in out.columns]
    if not has_default_index(out):
        out = out.reset_index()
    out = escape_formula_cells(out)
    for position in range(out.shape[1]):
        series = out.iloc[:, position]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out.isetitem(position, series.dt.tz_localize(None))
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """df as escaped CSV in UTF-8 with a byte-order mark, so Excel shows Chinese text correctly."""
    # RFC 4180 line ends: the csv writer then quotes every cell containing \r or \n, so a stray
    # carriage return cannot start a new row (one that could begin with "=").
    return _export_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def safe_sheet_name(name: str) -> str:
    """name made acceptable to Excel: no []:*?/\\ characters, at most 31 characters, not empty."""
    cleaned = _SHEET_FORBIDDEN.sub("_", str(name)).strip("'")[:31]
    return cleaned or "Sheet1"


def to_excel_bytes(df: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    """df as an escaped .xlsx workbook in which strings stay strings (never formulas or links)."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        _export_frame(df).to_excel(writer, sheet_name=safe_sheet_name(sheet_name), index=False)
    return buffer.getvalue()


def safe_file_stem(stem: str) -> str:
    """A download file name stem without path separators or odd characters (CJK letters are kept)."""
    return _FILE_FORBIDDEN.sub("_", str(stem)).strip("._") or "export"


def data_table(df: pd.DataFrame, key: str, file_stem: str, column_config: dict | None = None,
               download: pd.DataFrame | None = None) -> None:
    """Show df with CSV and Excel download buttons (of `download` when given: the full list behind a shortened
    view), or the empty-state message when it has no rows."""
    import streamlit as st  # imported here so the pure functions above work without Streamlit

    from components.lang import t

    if df is None or df.empty:
        st.info(t("msg.no_data"))
        return
    st.dataframe(df, column_config=column_config, hide_index=has_default_index(df))
    df = df if download is None else download
    stem = safe_file_stem(file_stem)
    left, right = st.columns(2)
    left.download_button(
        t("table.download_csv"), data=to_csv_bytes(df), file_name=f"{stem}.csv",
        mime=CSV_MIME, key=f"{key}_csv", on_click="ignore", icon=":material/download:",
    )
    right.download_button(
        t("table.download_excel"), data=to_excel_bytes(df, stem), file_name=f"{stem}.xlsx",
        mime=EXCEL_MIME, key=f"{key}_xlsx", on_click="ignore", icon=":material/download:",
    )
