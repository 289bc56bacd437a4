"""A faster stand-in for the step of st.dataframe(Styler) that writes each cell's shown text (issue 17, point 8).

Every table of the app is a pandas Styler (components.tables.display_frame). Streamlit 1.67 turns its display
values into a frame of strings by `df.astype(str)` and then one `iloc[rows, col] = values` per column, which on
pandas 3's Arrow-backed strings goes through a slow element-wise path: about two thirds of a table's Styler cost
(8 of 12 ms for a 10-row table) and the largest item left in an overview rerun. display_values builds the
same frame (same dtypes, values, index and columns; tests/app/test_tables.py compares it with Streamlit's
own on varied frames) at once from the display strings. install() points Streamlit's module at it, once per
process (app.py, through components.server_hooks).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from enum import Enum
from typing import Any

import pandas as pd
from streamlit.elements.lib import pandas_styler_utils

#: Streamlit's own function, kept for the comparison test and in case install() is undone.
STREAMLIT_DISPLAY_VALUES = pandas_styler_utils._use_display_values
_CELL_ID = re.compile(r"row(\d+)_col(\d+)")


def display_values(df: pd.DataFrame, styles: Mapping[str, Any]) -> pd.DataFrame:
    """df's cells as strings, each replaced by the Styler's display value where the translated styles give one."""
    updates: defaultdict[int, dict[int, str]] = defaultdict(dict)
    for row in styles.get("body", []):
        for cell in row:
            match = _CELL_ID.match(cell.get("id") or "")
            if not match:
                continue
            row_idx, col_idx = map(int, match.groups())
            shown = cell.get("display_value")
            updates[col_idx][row_idx] = str(shown.value) if isinstance(shown, Enum) else str(shown)
    rows = len(df)
    columns = {}
    for col_idx in range(df.shape[1]):
        by_row = updates.get(col_idx, {})
        if len(by_row) == rows:  # every cell has its display value (the usual case): no need for str(value)
            columns[col_idx] = [by_row[row_idx] for row_idx in range(rows)]
            continue
        values = df.iloc[:, col_idx].astype(str).tolist()
        for row_idx, text in by_row.items():
            values[row_idx] = text
        columns[col_idx] = values
    new_df = pd.DataFrame(columns, index=df.index, dtype=str)
    new_df.columns = df.columns
    return new_df


def install() -> bool:
    """Use display_values in Streamlit's Styler marshalling; False when already installed."""
    if pandas_styler_utils._use_display_values is display_values:
        return False
    pandas_styler_utils._use_display_values = display_values
    return True
