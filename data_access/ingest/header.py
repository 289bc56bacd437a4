"""Header rows of uploaded tables: trimmed, unique column names, and columns that are neither named nor filled."""

from __future__ import annotations

import pandas as pd

from data_access.ingest.errors import IngestError


def header_names(header: list[str], filename: str, line: int) -> list[str]:
    """Trimmed, unique column names; empty ones become column_<n>."""
    trimmed = [" ".join(name.replace("\ufeff", "").split()) for name in header]
    if not any(trimmed):
        raise IngestError("no_header", {"reason": "every name is empty"}, file=filename, line=line)
    if len(trimmed) > 1 and all(looks_numeric(name) for name in trimmed):
        raise IngestError("no_header", {"reason": "every name is a number"}, file=filename, line=line)
    names: list[str] = []
    taken: set[str] = set()
    for position, name in enumerate(trimmed, start=1):
        free = unique(name or f"column_{position}", taken)
        names.append(free)
        taken.add(free)
    return names


def unique(name: str, taken: set[str]) -> str:
    """name, or name_2, name_3, ... when name is taken."""
    if name not in taken:
        return name
    number = 2
    while f"{name}_{number}" in taken:
        number += 1
    return f"{name}_{number}"


def looks_numeric(text: str) -> bool:
    """Whether a header cell is a number (a header row of numbers is data, not names)."""
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def drop_unnamed_empty_columns(frame: pd.DataFrame, named: int) -> pd.DataFrame:
    """Columns without a header name and without any value (a trailing delimiter on every line) dropped."""
    header = list(frame.columns)
    drop = [name for position, name in enumerate(header, start=1)
            if (position > named or name == f"column_{position}") and frame[name].isna().all()]
    return frame.drop(columns=drop) if drop else frame
