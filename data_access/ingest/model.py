"""The types the ingest steps hand each other: a file's validated tables (Validation) and the failing cells
found on the way (ErrorLog). Its own module so validate -> shape -> load share them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access.ingest.convert import DateForm

#: The line number of a problem with a value given for every row (not from the file).
CONSTANT_LINE = 0
_MAX_VALUE_CHARS = 200
ERROR_COLUMNS = ["line", "column", "field", "value", "reason_code", "reason"]


@dataclass
class Validation:
    """The outcome of validate().

    tables: canonical table name -> typed rows ready for load.import_tables (only the columns the file provides
    or that are derived); errors: one row per failing cell or row, columns line (1-based source line, 0 for a
    bad constant), column (source column, or the field for a constant), field, value, reason_code, reason
    (English); rows: data rows in the file; valid_rows: rows without an error; date_forms: field -> DateForm;
    level: "order" or "line" for orders files, else None; notes: what was decided about the figures' meaning
    (semantics.NOTES codes with params).
    """

    kind: str
    tables: dict[str, pd.DataFrame]
    errors: pd.DataFrame
    rows: int
    valid_rows: int
    date_forms: dict[str, DateForm] = field(default_factory=dict)
    level: str | None = None
    notes: list[tuple[str, dict]] = field(default_factory=list)

    @staticmethod
    def no_errors() -> pd.DataFrame:
        return pd.DataFrame({"line": pd.Series(dtype="Int64"), "column": pd.Series(dtype="str"),
                             "field": pd.Series(dtype="str"), "value": pd.Series(dtype="str"),
                             "reason_code": pd.Series(dtype="str"), "reason": pd.Series(dtype="str")})

    @property
    def ok(self) -> bool:
        return len(self.errors) == 0

    @property
    def ambiguous_dates(self) -> list[str]:
        """Date fields whose d/m vs m/d order was not proven by the values."""
        return [name for name, form in self.date_forms.items() if form.ambiguous]


class ErrorLog:
    """Collects failing cells as small frames and builds the error table once."""

    def __init__(self, lines: np.ndarray):
        self.lines = lines
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: pd.Series | np.ndarray, column: str, field_name: str, values: pd.Series | None,
            code: str, reason: str | pd.Series) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        where = np.flatnonzero(mask)
        shown = values.iloc[where].astype("str").fillna("").str.slice(0, _MAX_VALUE_CHARS).to_numpy() \
            if values is not None else np.full(where.size, "", dtype=object)
        why = reason.iloc[where].to_numpy() if isinstance(reason, pd.Series) else reason
        self.parts.append(pd.DataFrame({"line": self.lines[where], "column": column, "field": field_name,
                                        "value": shown, "reason_code": code, "reason": why}))

    def constant(self, field_name: str, value: object, code: str, reason: str) -> None:
        self.parts.append(pd.DataFrame([{"line": CONSTANT_LINE, "column": f"={field_name}", "field": field_name,
                                         "value": str(value)[:_MAX_VALUE_CHARS], "reason_code": code,
                                         "reason": f"the value given for {field_name}: {reason}"}]))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return Validation.no_errors()
        errors = pd.concat(self.parts, ignore_index=True)
        errors["line"] = errors["line"].astype("Int64")
        for name in ERROR_COLUMNS[1:]:
            errors[name] = errors[name].astype("str")
        return errors.sort_values(["line", "column"], kind="stable", ignore_index=True)[ERROR_COLUMNS]
