"""Display names of what the data stores as ids or codes: stores (their Chinese name where the data has one),
regions, and the coded vocabularies (ticket category, priority, status, audit action) through the catalogue."""

from __future__ import annotations

import pandas as pd

from components import data
from components.i18n import code_label, region_label
from data_access import lookups
from data_access.filters import Filters


def store_names(stores: tuple[str, ...] | None, lang: str) -> dict[str, str]:
    """store_id -> the store's name in lang (name_zh in Chinese where the data has one, else name, else the id)."""
    rows = data.run(lookups.list_stores, Filters.all_time(stores))
    return store_names_from(rows, lang)


def store_names_from(rows: pd.DataFrame, lang: str) -> dict[str, str]:
    """store_names for rows of lookups.list_stores (store_id, name, name_zh)."""
    names = rows["name"].where(rows["name"].notna() & (rows["name"] != ""), rows["store_id"])
    if lang == "zh" and "name_zh" in rows:
        names = rows["name_zh"].where(rows["name_zh"].notna() & (rows["name_zh"] != ""), names)
    return dict(zip(rows["store_id"], names, strict=True))


def with_store_names(df: pd.DataFrame, stores: tuple[str, ...] | None, lang: str, column: str = "store_id",
                     into: str = "store") -> pd.DataFrame:
    """df with a display column `into` (the store's name in lang) in place of its store id column; ids the
    lookup does not know stay as they are, a missing one is "—"."""
    names = store_names(stores, lang)
    out = df.copy()
    position = list(out.columns).index(column)
    shown = out[column].map(lambda sid: names.get(sid, sid) if isinstance(sid, str) and sid else "—")
    out = out.drop(columns=[column])
    out.insert(position, into, shown)
    return out


def coded(df: pd.DataFrame, lang: str, **vocabularies: str) -> pd.DataFrame:
    """df with each named column's codes as their catalogue labels (column=vocabulary, e.g.
    category="ticket_category"); region columns use region_label."""
    out = df.copy()
    for column, vocabulary in vocabularies.items():
        if column in out:
            if vocabulary == "region":
                out[column] = out[column].map(lambda r: region_label(r, lang))
            else:
                out[column] = out[column].map(lambda c, v=vocabulary: code_label(v, c, lang))
    return out
