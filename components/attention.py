""""Needs attention" lists: the count, the most urgent rows, a "show all" switch and a download of the whole list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.lang import t
from components.tables import data_table

TOP_ROWS = 10


def top_rows(df: pd.DataFrame, show_all: bool, top: int = TOP_ROWS) -> pd.DataFrame:
    """The rows to show: all of them, or the first `top` (the list comes sorted most urgent first)."""
    return (df if show_all else df.head(top)).reset_index(drop=True)


def attention_table(df: pd.DataFrame, key: str, file_stem: str, top: int = TOP_ROWS, **table) -> None:
    """Count, then the top rows of an urgency-sorted list (all of them once "show all" is on); the download
    buttons always give the whole list. `table` goes to components.tables.data_table (kinds, column_config, ...)."""
    df = df.reset_index(drop=True)
    st.caption(t("attention.count", n=f"{len(df):,}", top=min(top, len(df))))
    show_all = len(df) > top and st.toggle(t("attention.show_all", n=f"{len(df):,}"), key=f"{key}_all")
    data_table(top_rows(df, show_all, top), key=key, file_stem=file_stem, download=df, **table)
