"""IngestError: why a file was refused, with a stable code and the file, line and column it concerns."""

from __future__ import annotations

# code -> English message template (str.format names from params). The UI translates "upload.error.<code>".
MESSAGES: dict[str, str] = {
    "too_large": "The file is {size_mb} MB, larger than the limit of {max_mb} MB.",
    "binary": "This is not a text or Excel file (it looks like {what}); save it as CSV or .xlsx.",
    "encoding": "The text encoding could not be recognised; save the file as UTF-8 CSV.",
    "empty": "The file is empty.",
    "ragged_row": "This row has {actual} field(s) where the header has {expected}.",
    "truncated": "The file ends in the middle of a quoted value; it looks cut off.",
    "too_many_columns": "The file has {columns} columns, more than the limit of {max_columns}.",
    "line_too_long": "A line is {length_kb} KB long, more than the limit of {max_kb} KB.",
    "no_header": "The first line does not look like column names ({reason}).",
    "xlsx_bomb": "The Excel workbook inflates to {inflated_mb} MB ({part}, {ratio} times its packed size): that is "
                 "not a spreadsheet export; it was not opened.",
    "xlsx_inflated": "The Excel workbook unpacks to {inflated_mb} MB, more than the {max_mb} MB an upload may use; "
                     "save it as CSV or split it.",
    "over_budget": "The file has about {rows} rows x {columns} columns ({cells} cells); reading it would take about "
                   "{needed_mb} MB, more than the {budget_mb} MB an upload may use (at most about {max_cells} cells "
                   "for a file this size). Split it into smaller files.",
    "xlsx_invalid": "The Excel workbook could not be read ({reason}).",
    "parse": "The file could not be read as CSV ({reason}).",
    "missing_field": "The required field {field} is not mapped to any column.",
    "write_shop_wide": "The import was refused: {table} is shared by every store and only {roles} may change it; "
                       "nothing was written.",
    "write_out_of_scope": "The import was refused: store {store} is outside the stores you may import into; "
                          "nothing was written.",
    "write_foreign_row": "The import was refused: {key} {id} belongs to a store outside yours ({rows} such row(s)); "
                         "nothing was written.",
    "write_moves_store": "The import was refused: {key} {id} already exists in store {stored}, not {store} "
                         "({rows} such row(s)); an import never moves a row to another store; nothing was written.",
    "write_foreign_parent": "The import was refused: the lines of {key} {id} belong to an order of a store outside "
                            "yours ({rows} such order(s)); nothing was written.",
    "missing_fields": "These required fields are not mapped to any column: {fields}.",
    "database": "The database refused the import ({reason}); nothing was written.",
    "refused_errors": "The import was refused: {rows} rows have errors; nothing was written.",
}


def megabytes(size: int) -> str:
    """A byte count as megabytes for a message: 1.5, 200 (no trailing zeros)."""
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


class IngestError(Exception):
    """A file refused by reading, validation or import.

    code is a stable id (a key of MESSAGES), params fill its message, and file/line/column (1-based line of the
    source file, column name) say where, when known. str(e) is a full English sentence.
    """

    def __init__(self, code: str, params: dict | None = None, *, file: str | None = None,
                 line: int | None = None, column: str | None = None):
        self.code = code
        self.params = dict(params or {})
        self.file = file
        self.line = line
        self.column = column
        super().__init__(self.message())

    def where(self) -> str:
        """'orders.csv, line 7, column price' (the parts that are known), '' if none is."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def message(self) -> str:
        """The English sentence: where, then what."""
        template = MESSAGES.get(self.code, "{code}")
        try:
            text = template.format(code=self.code, **self.params)
        except (KeyError, IndexError, ValueError):
            text = template
        where = self.where()
        return f"{where}: {text}" if where else text

    def __reduce__(self):
        return (_rebuild, (self.code, self.params, self.file, self.line, self.column))


def _rebuild(code, params, file, line, column) -> IngestError:
    return IngestError(code, params, file=file, line=line, column=column)
