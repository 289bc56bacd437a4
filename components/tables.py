"""The one table helper: one list of column formats used on screen and in the CSV and Excel downloads.

COLUMN_KINDS says how each column id of the product's tables is written, once:

========  ===================================  ==============================================
kind      on screen                            in the downloads
========  ===================================  ==============================================
money     ¥1,234.50 (currency, separators)     1234.5 (rounded to 2 places)
count     1,234 (separators, whole)            1234
ratio     12.34% (a rate or share)             12.34, header "Label (%)"
points    +1.20 pts (a change of rates)        1.2, header "Label (pts)"
decimal   1,234.57 (2 places)                  1234.57
stars     4 ★ (a rating)                       4
========  ===================================  ==============================================

A missing or infinite value is "—" in both. The index is never shown: a meaningful index becomes the first
(key) columns. Download cells that a spreadsheet would run as a formula are escaped (data_access.export).
Everything above data_table is pure and works without Streamlit.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from functools import partial

import pandas as pd

from components.formatting import MISSING, fmt_money, fmt_number, fmt_percent, round_half_up, to_float
from components.i18n import has_key, translate
from data_access.export import csv_bytes, escape_cell, escape_formula_cells, escape_text_cells

__all__ = ["COLUMN_KINDS", "CSV_MIME", "EXCEL_MIME", "KIND_DECIMALS", "MISSING", "data_table", "display_frame",
           "download_frame", "escape_cell", "escape_formula_cells", "format_cell", "has_default_index",
           "safe_file_stem", "safe_sheet_name", "to_csv_bytes", "to_excel_bytes"]

_KIND_COLUMNS = {
    "money": ("net_sales", "gross_margin", "aov", "revenue", "previous_net_sales", "change", "avg_monetary", "spend",
              "attributed_revenue", "cpc", "cpm", "cpa", "cac", "budget"),
    "count": ("orders", "units", "customers", "new_customers", "returning_customers", "product_views",
              "add_to_carts", "checkouts", "impressions", "clicks", "sessions", "platform_conversions", "reviews",
              "low_ratings", "nps_answers", "nps_score", "tickets", "previous_tickets", "answered", "unanswered",
              "resolved", "on_hand", "on_order", "suggested_order", "n_series", "n_chosen", "rows"),
    "ratio": ("share", "margin_pct", "conversion_rate", "revenue_share", "product_views_rate", "add_to_carts_rate",
              "checkouts_rate", "orders_rate", "change_pct", "low_share", "ticket_share", "review_share",
              "comment_share", "other_share", "breach_rate", "bias_pct", "interval_coverage", "service_level",
              "ctr", "spend_share", "platform_conversion_rate", "cvr", "csat", "missing_share"),
    "points": (),
    "decimal": ("avg_daily_units", "days_of_cover", "age_hours", "overdue_hours", "avg_recency_days", "avg_frequency",
                "mase", "smape",
                "reorder_point", "safety_stock", "mean_daily_demand", "avg_rating", "bayes_rating", "nps",
                "first_response_median", "first_response_p90", "resolution_median", "resolution_p90",
                "first_response_target", "resolution_target", "roas"),
    "stars": ("rating",),
}
#: Column id -> kind, for every table of the product (a caller may add kinds for its own columns).
COLUMN_KINDS: dict[str, str] = {column: kind for kind, columns in _KIND_COLUMNS.items() for column in columns}
#: Places kept in the downloads (ratio and points after scaling to percent).
KIND_DECIMALS = {"money": 2, "count": 0, "ratio": 2, "points": 2, "decimal": 2, "stars": 0}
#: The unit a download header carries: a symbol, or a catalogue key (other kinds: the header is the label alone).
_HEADER_UNIT = {"ratio": "%", "points": "unit.points_header"}
_SCALED = {"ratio", "points"}
# Past this many cells the display falls back to Streamlit's own number formats: a pandas Styler builds one
# dict per cell, which costs seconds on the largest tables.
STYLED_CELLS = 60_000

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILE_FORBIDDEN = re.compile(r"[^\w.-]+")
CSV_MIME = "text/csv"
EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def format_cell(value, kind: str | None, lang: str) -> str:
    """A table cell as every page writes it (see the module docstring); "—" for anything missing or infinite."""
    number = to_float(value)
    if kind in KIND_DECIMALS and number is None:
        return MISSING
    if kind == "money":
        return fmt_money(number, lang)
    if kind == "ratio":
        return fmt_percent(number, lang, decimals=2)
    if kind == "points":
        text = fmt_number(number * 100, lang, decimals=2)
        return translate("unit.points", lang, value=text if text.startswith("-") else "+" + text)
    if kind == "decimal":
        return fmt_number(number, lang, decimals=2)
    if kind == "count":
        return fmt_number(number, lang)
    if kind == "stars":
        return f"{fmt_number(number, lang)} ★"
    return _plain_cell(value)


def _plain_cell(value) -> str:
    """A cell of a column without a kind: as it is, floats without trailing zeros, "—" when missing."""
    if value is None or value is pd.NaT or value is pd.NA:
        return MISSING
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()  # a date stored as a midnight timestamp reads as the date
    if isinstance(value, float):
        if not math.isfinite(value):
            return MISSING
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def download_value(value, kind: str):
    """value as the downloads write it: rounded as shown, percent for ratio and points, "—" when missing."""
    number = to_float(value)
    if number is None:
        return MISSING
    if kind in _SCALED:
        number *= 100
    rounded = round_half_up(number, KIND_DECIMALS[kind])
    return int(rounded) if KIND_DECIMALS[kind] == 0 else rounded


def has_default_index(df: pd.DataFrame) -> bool:
    """Whether df's index is meaningless row positions (then it is neither shown nor exported): an unnamed
    integer index, 0..n-1 or what is left of it after filtering and sorting."""
    index = df.index
    if isinstance(index, pd.MultiIndex) or index.name is not None:
        return False
    return isinstance(index, pd.RangeIndex) or pd.api.types.is_integer_dtype(index.dtype)


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """df with a meaningful index as its first columns and a flat header."""
    out = df.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [" / ".join(str(part) for part in parts if str(part)) for parts in out.columns]
    if not has_default_index(out):
        out = out.reset_index()
    return out


def _kinds(columns, kinds: dict[str, str] | None) -> dict:
    merged = {**COLUMN_KINDS, **(kinds or {})}
    return {column: merged[column] for column in columns if column in merged}


def yes_no_words(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """True/false columns as the words "yes"/"no" in lang (a grid writes a bare true/false in English)."""
    flags = [c for c in df.columns if pd.api.types.is_bool_dtype(df[c])]
    if not flags:
        return df
    words = {True: translate("table.yes", lang), False: translate("table.no", lang)}
    return df.assign(**{c: df[c].map(words) for c in flags})


def default_header(column) -> str:
    """The catalogue label col.<id> of a column id, or the name as it is (already a label)."""
    from components.lang import t

    key = f"col.{column}"
    return t(key) if has_key(key) else str(column)


def download_frame(df: pd.DataFrame, lang: str = "en", kinds: dict[str, str] | None = None,
                   header: Callable[[str], str] | None = None) -> pd.DataFrame:
    """df as the downloads hold it: values rounded by kind, ratios in percent with the unit in the header,
    "—" for missing cells, headers from header(id) (the id itself by default)."""
    out = _flat(df)
    found = _kinds(out.columns, kinds)
    for position, column in enumerate(list(out.columns)):
        if column in found:
            out.isetitem(position, out.iloc[:, position].map(lambda v, k=found[column]: download_value(v, k))
                         .astype(object))
    labels = []
    for column in out.columns:
        label = header(column) if header else str(column)
        unit = _HEADER_UNIT.get(found.get(column))
        if unit:
            label = f"{label} ({translate(unit, lang) if has_key(unit) else unit})"
        labels.append(label)
    out.columns = labels
    return out


def display_frame(df: pd.DataFrame, lang: str = "en", kinds: dict[str, str] | None = None,
                  header: Callable[[str], str] | None = None):
    """A Styler showing df's cells by kind ("—" for missing) over the raw values, so sorting sorts by value;
    headers from header(id) (the id itself by default)."""
    found = _kinds(df.columns, kinds)
    labels = {column: header(column) if header else column for column in df.columns}
    formats = {labels[column]: partial(format_cell, kind=found.get(column), lang=lang) for column in df.columns}
    return df.rename(columns=labels).style.format(formats, na_rep=MISSING)


def _export(df: pd.DataFrame) -> pd.DataFrame:
    """df with a flat header, a meaningful index as columns and timezone-naive datetimes (Excel has no zones)."""
    out = _flat(df)
    for position in range(out.shape[1]):
        series = out.iloc[:, position]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out.isetitem(position, series.dt.tz_localize(None))
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """df as escaped CSV in UTF-8 with a byte-order mark (so Excel shows Chinese text correctly)."""
    return csv_bytes(_export(df))


def safe_sheet_name(name: str) -> str:
    """name made acceptable to Excel: no []:*?/\\ characters, at most 31 characters, not empty."""
    cleaned = _SHEET_FORBIDDEN.sub("_", str(name)).strip("'")[:31]
    return cleaned or "Sheet1"


def to_excel_bytes(df: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    """df as an escaped .xlsx workbook in which strings stay strings (never formulas or links)."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        escape_formula_cells(_export(df)).to_excel(writer, sheet_name=safe_sheet_name(sheet_name), index=False)
    return buffer.getvalue()


def safe_file_stem(stem: str) -> str:
    """A download file name stem without path separators or odd characters (CJK letters are kept)."""
    return _FILE_FORBIDDEN.sub("_", str(stem)).strip("._") or "export"


def _number_config(kind: str, label: str):
    """Streamlit's nearest own format for a kind, for tables too large for a Styler."""
    import streamlit as st

    fmt = {"money": "accounting", "count": "localized", "ratio": "percent", "points": "%.2f", "decimal": "%.2f",
           "stars": "%d ★"}[kind]
    return st.column_config.NumberColumn(label, format=fmt)


def data_table(df: pd.DataFrame | None, key: str, file_stem: str, *, kinds: dict[str, str] | None = None,
               header: Callable[[str], str] | None = None, help: Callable[[str], str | None] | None = None,
               column_config: dict | None = None, download: pd.DataFrame | None = None) -> None:
    """Show df (columns named by id) with CSV and Excel downloads (of `download` when given: the full list behind a
    shortened view), or the empty-state message when it has no rows.

    Cells and downloads follow COLUMN_KINDS (plus kinds); headers are header(id), by default the catalogue's
    col.<id> label; help(id) gives a header tooltip; column_config (keyed by id) adds Streamlit column types
    such as a sparkline. The index is never shown: a meaningful one becomes the first columns.
    """
    import streamlit as st  # imported here so the pure functions above work without Streamlit

    from components.lang import current_lang, t

    if df is None or df.empty:
        st.info(t("msg.no_data"))
        return
    lang = current_lang()
    header = header or default_header
    # Escaped as the downloads are: the table toolbar's own "Download as CSV" writes the cells shown.
    flat = yes_no_words(escape_text_cells(_flat(df)), lang)
    labels = {column: escape_cell(header(column)) for column in flat.columns}
    config = {}
    for position, (column, label) in enumerate(labels.items()):
        tip = help(column) if help else None
        # The first column is the row's key (what the row is about): pinned, so it stays while the rest scrolls.
        if tip or position == 0:
            config[label] = st.column_config.Column(label, help=tip, pinned=position == 0 or None)
    for column, value in (column_config or {}).items():
        label = labels.get(column, column)
        if label == labels.get(flat.columns[0]) and isinstance(value, dict):
            value = {**value, "pinned": True}
        config[label] = value
    found = _kinds(flat.columns, kinds)
    if flat.size <= STYLED_CELLS:
        shown = display_frame(flat, lang, kinds, labels.get)
    else:
        shown = flat.rename(columns=labels)
        for column, kind in found.items():
            config.setdefault(labels[column], _number_config(kind, labels[column]))
    st.dataframe(shown, column_config=config, hide_index=True, placeholder=MISSING)
    stem = safe_file_stem(file_stem)

    def export() -> pd.DataFrame:
        return download_frame(flat if download is None else _flat(download), lang, kinds, header)

    left, right = st.columns(2)
    # The files, and the download frame they are written from, are built when a button is clicked, not on every
    # run: building both for every table of a page was about a quarter of a warm rerun's CPU (bench/concurrency.py,
    # issue 17 point 8), and the frame alone for a long list behind a shortened view (bench/logistics.py).
    left.download_button(
        t("table.download_csv"), data=lambda: to_csv_bytes(export()), file_name=f"{stem}.csv",
        mime=CSV_MIME, key=f"{key}_csv", on_click="ignore", icon=":material/download:",
    )
    right.download_button(
        t("table.download_excel"), data=lambda: to_excel_bytes(export(), stem), file_name=f"{stem}.xlsx",
        mime=EXCEL_MIME, key=f"{key}_xlsx", on_click="ignore", icon=":material/download:",
    )
