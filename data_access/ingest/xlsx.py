""".xlsx workbooks: the first worksheet with data as text cells (cached values only; formulas never evaluated)."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd

from data_access.ingest.errors import IngestError, megabytes
from data_access.ingest.header import drop_unnamed_empty_columns, header_names

# Bytes an .xlsx may inflate to, as a multiple of the size limit (zip bombs).
_INFLATE_FACTOR = 10


def read_xlsx(data: bytes, filename: str, limit: int, max_columns: int) -> tuple[pd.DataFrame, np.ndarray,
                                                                             list[tuple[str, dict]]]:
    """(frame of text columns, Excel row number of each row, notes) of the first non-empty worksheet.
    Dates become ISO text, whole numbers lose their '.0', so parse.py sees the same forms as in a CSV."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise IngestError("xlsx_invalid", {"reason": str(error)}, file=filename) from None
    if "xl/workbook.xml" not in names:
        raise IngestError("binary", {"kind": "archive", "what": "a zip archive"}, file=filename)
    if inflated > _INFLATE_FACTOR * limit:
        raise IngestError("too_large", {"size_mb": megabytes(inflated), "max_mb": megabytes(limit)}, file=filename)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for a damaged workbook
        raise IngestError("xlsx_invalid", {"reason": type(error).__name__}, file=filename) from None
    try:
        rows, lines, notes = _sheet_rows(workbook, filename, max_columns)
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


def _sheet_rows(workbook, filename: str, max_columns: int) -> tuple[list[list[str | None]], list[int], list]:
    """Non-empty rows of the first worksheet with data, as text, and their Excel row numbers."""
    notes: list[tuple[str, dict]] = []
    for sheet in workbook.worksheets:
        rows: list[list[str | None]] = []
        lines: list[int] = []
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
