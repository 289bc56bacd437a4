""".xlsx workbooks: the first worksheet with data as text cells (cached values only; formulas never evaluated)."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd

from data_access.ingest import budget
from data_access.ingest.errors import IngestError, megabytes
from data_access.ingest.header import drop_unnamed_empty_columns, header_names

# Bytes an .xlsx may inflate to, as a multiple of the size limit (and never more than the memory budget).
_INFLATE_FACTOR = 10
# Rows read between two checks of the cells held so far against the memory budget.
_CHECK_EVERY = 2_000


def read_xlsx(data: bytes, filename: str, limit: int, max_columns: int) -> tuple[pd.DataFrame, np.ndarray,
                                                                             list[tuple[str, dict]]]:
    """(frame of text columns, Excel row number of each row, notes) of the first non-empty worksheet.
    Dates become ISO text, whole numbers lose their '.0', so parse.py sees the same forms as in a CSV.

    Before openpyxl inflates anything, the archive's own directory is checked: a part inflating more than
    budget.MAX_XLSX_RATIO times is a zip bomb ("xlsx_bomb"), all parts together over the memory budget (or 10x
    the size limit) too much to open ("xlsx_inflated"); a sheet's declared size and then the cells actually read
    are held to the budget ("over_budget"), so a hostile workbook costs milliseconds, not minutes."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            parts = archive.infolist()
    except zipfile.BadZipFile as error:
        raise IngestError("xlsx_invalid", {"reason": str(error)}, file=filename) from None
    if "xl/workbook.xml" not in names:
        raise IngestError("binary", {"kind": "archive", "what": "a zip archive"}, file=filename)
    _check_inflation(parts, limit, filename)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for a damaged workbook
        raise IngestError("xlsx_invalid", {"reason": type(error).__name__}, file=filename) from None
    try:
        rows, lines, notes = _sheet_rows(workbook, filename, max_columns, len(data))
    except IngestError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged sheet fails in openpyxl's own ways
        raise IngestError("xlsx_invalid", {"reason": type(error).__name__}, file=filename) from None
    finally:
        workbook.close()
    if not rows:
        raise IngestError("empty", file=filename)
    header_line = lines[0]
    width = max(len(row) for row in rows)
    if width > max_columns:
        raise IngestError("too_many_columns", {"columns": width, "max_columns": max_columns},
                          file=filename, line=header_line)
    header = [cell or "" for cell in rows[0]] + [""] * (width - len(rows[0]))
    names = header_names(header, filename, header_line)
    body = [row + [None] * (width - len(row)) for row in rows[1:]]
    frame = pd.DataFrame(body, columns=names, dtype=object).astype(pd.StringDtype("pyarrow", na_value=np.nan))
    if not body:
        frame = pd.DataFrame({name: pd.Series([], dtype="str") for name in names})
    frame = drop_unnamed_empty_columns(frame, sum(1 for cell in rows[0] if cell))
    return frame, np.asarray(lines[1:], dtype=np.int64), notes


def _check_inflation(parts: list[zipfile.ZipInfo], limit: int, filename: str) -> None:
    """Refuse a zip bomb from the archive's directory alone (sizes it declares; zipfile checks them on reading)."""
    inflated = sum(info.file_size for info in parts)
    ceiling = min(_INFLATE_FACTOR * limit, budget.memory_budget_bytes())
    for info in parts:
        if info.file_size > 1 << 20 and info.file_size > budget.MAX_XLSX_RATIO * max(info.compress_size, 1):
            raise IngestError("xlsx_bomb", {"part": info.filename[:80], "ratio": info.file_size // max(
                info.compress_size, 1), "inflated_mb": megabytes(info.file_size)}, file=filename)
    if inflated > ceiling:
        raise IngestError("xlsx_inflated", {"inflated_mb": megabytes(inflated), "max_mb": megabytes(ceiling)},
                          file=filename)


def _sheet_rows(workbook, filename: str, max_columns: int, size: int = 0) -> tuple[list[list[str | None]], list[int],
                                                                                   list]:
    """Non-empty rows of the first worksheet with data, as text, and their Excel row numbers; the sheet's declared
    size and the cells read so far are held to the memory budget (size: the file's bytes)."""
    notes: list[tuple[str, dict]] = []
    for sheet in workbook.worksheets:
        if sheet.max_row and sheet.max_column:  # the sheet's <dimension>, when it has one
            budget.check(size, sheet.max_row, min(sheet.max_column, max_columns + 1), filename,
                         budget.XLSX_BYTES_PER_CELL)
        rows: list[list[str | None]] = []
        lines: list[int] = []
        cells_held = 0
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(values) > max_columns:
                raise IngestError("too_many_columns", {"columns": len(values), "max_columns": max_columns},
                                  file=filename, line=number)
            cells = [_cell_text(value) for value in values]
            while cells and cells[-1] is None:
                cells.pop()
            if cells:
                rows.append(cells)
                lines.append(number)
                cells_held += len(cells)
                if len(rows) % _CHECK_EVERY == 0:  # a sheet without (or lying about) its dimension
                    budget.check(size, len(rows), -(-cells_held // len(rows)), filename, budget.XLSX_BYTES_PER_CELL)
        if rows:
            if len(workbook.worksheets) > 1:
                notes.append(("sheet", {"sheet": sheet.title}))
            return rows, lines, notes
    return [], [], notes


def _cell_text(value) -> str | None:
    """An Excel cell value as the text a CSV export would hold."""
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    return text if text.strip() else None
