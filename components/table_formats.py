"""Tables with translated headers and number formats chosen by what each column holds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.lang import t
from components.tables import data_table

MONEY = {"net_sales", "gross_margin", "aov", "revenue", "previous_net_sales", "change", "avg_monetary"}
RATIOS = {"share", "margin_pct", "conversion_rate", "revenue_share", "product_views_rate", "add_to_carts_rate",
          "checkouts_rate", "orders_rate", "change_pct"}
DECIMALS = {"avg_daily_units", "days_of_cover", "age_hours", "avg_recency_days", "avg_frequency"}


def column_config(columns: list[str]) -> dict:
    """NumberColumn formats keyed by translated label: money and counts with separators, ratios as %."""
    config = {}
    for col in columns:
        label = t(f"col.{col}")
        if col in MONEY:
            config[label] = st.column_config.NumberColumn(label, format="localized")
        elif col in RATIOS:
            config[label] = st.column_config.NumberColumn(label, format="percent")
        elif col in DECIMALS:
            config[label] = st.column_config.NumberColumn(label, format="%.1f")
    return config


def labelled_table(df: pd.DataFrame, key: str, file_stem: str, extra_config: dict | None = None,
                   download: pd.DataFrame | None = None) -> None:
    """data_table with headers from the catalogue (col.<id>) and formats for known columns.

    Downloads keep full precision (of `download` when given, else of df); only the on-screen display is formatted.
    """
    config = {**column_config(list(df.columns)), **(extra_config or {})}
    label = lambda c: t(f"col.{c}")  # noqa: E731
    data_table(df.rename(columns=label), key=key, file_stem=file_stem, column_config=config,
               download=None if download is None else download.rename(columns=label))
