"""The memory one upload may take (SHOP_UPLOAD_MEMORY_MB), estimated from a file's size, rows and columns before it
is parsed, so a file that would not fit is refused in milliseconds instead of filling the server's memory.

The constants are measured by `python -m bench.upload_memory` (peak memory of read + detect + analyse per cell for
narrow and wide CSVs and an .xlsx); the estimate is meant to lie above what that bench measures.
"""

from __future__ import annotations

import os

from data_access.ingest.errors import IngestError, megabytes

#: Room for bench.ingest's 1-million-row, 99 MB order report (0.7-0.9 GB measured), not for a 200 MB narrow CSV.
DEFAULT_MEMORY_MB = 2048
#: Peak bytes per cell of read + detect + analyse (text cell, its parsed numbers/dates, the profile's work):
#: bench.upload_memory measures 74 (narrow CSV) to 102 (wide CSV with Chinese text).
BYTES_PER_CELL = 110
#: An .xlsx row is held as Python strings before it becomes a column (openpyxl yields Python values).
XLSX_BYTES_PER_CELL = 320
#: Peak bytes per row beyond its cells (line offsets, line numbers, row masks).
BYTES_PER_ROW = 120
#: The file's own bytes are held (upload, decoded body) about twice.
BYTES_PER_FILE_BYTE = 3
#: An .xlsx part inflating more than this many times its compressed size is a zip bomb, not a spreadsheet
#: (real sheets: 5-30x; repeated cells of a generated report reach about 60x).
MAX_XLSX_RATIO = 200


def memory_budget_bytes() -> int:
    """SHOP_UPLOAD_MEMORY_MB (default 2048), read now so tests and the page agree."""
    value = os.environ.get("SHOP_UPLOAD_MEMORY_MB")
    return int(float(value) * 1024 * 1024) if value else DEFAULT_MEMORY_MB * 1024 * 1024


def estimate_bytes(size: int, rows: int, columns: int, per_cell: int = BYTES_PER_CELL) -> int:
    """The peak memory reading and analysing a file of size bytes, rows rows and columns columns takes."""
    return size * BYTES_PER_FILE_BYTE + rows * BYTES_PER_ROW + rows * max(columns, 1) * per_cell


def max_cells(size: int, rows: int, budget: int | None = None, per_cell: int = BYTES_PER_CELL) -> int:
    """The most cells a file of that size and row count may hold within the budget."""
    budget = memory_budget_bytes() if budget is None else budget
    return max(0, (budget - size * BYTES_PER_FILE_BYTE - rows * BYTES_PER_ROW) // per_cell)


def check(size: int, rows: int, columns: int, filename: str, per_cell: int = BYTES_PER_CELL) -> None:
    """IngestError "over_budget" (rows, columns and the budget in the message) when the estimate exceeds it."""
    budget = memory_budget_bytes()
    needed = estimate_bytes(size, rows, columns, per_cell)
    if needed > budget:
        raise IngestError("over_budget", {"rows": f"{rows:,}", "columns": columns, "cells": f"{rows * columns:,}",
                                          "max_cells": f"{max_cells(size, rows, budget, per_cell):,}",
                                          "needed_mb": megabytes(needed), "budget_mb": megabytes(budget)},
                          file=filename)
