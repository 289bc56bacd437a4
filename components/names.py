"""Display names of what the data stores as ids or codes: stores and products (their Chinese name where the data
has one: `localised` is the one rule), regions, and the coded vocabularies (ticket category, priority, status,
audit action) through the catalogue."""

from __future__ import annotations

import pandas as pd

from components import data
from components.i18n import code_label, data_name, region_label
from data_access import lookups
from data_access.filters import Filters


def localised(name: pd.Series, name_zh: pd.Series | None, lang: str,
              fallback: pd.Series | None = None) -> pd.Series:
    """i18n.data_name row by row: in Chinese the Chinese name where the data has one, else the name, else the
    fallback (an id) where one is given; an empty name counts as none."""
    zh = name_zh if name_zh is not None else pd.Series(None, index=name.index, dtype=object)
    other = fallback if fallback is not None else pd.Series(None, index=name.index, dtype=object)
    return pd.Series([data_name(n, z, lang, o) for n, z, o in zip(name, zh, other, strict=True)],
                     index=name.index, dtype=object)


#: The product-name columns queries return, each beside its Chinese twin "<column>_zh".
PRODUCT_NAME_COLUMNS = ("name", "product_name")


def with_product_names(df: pd.DataFrame, lang: str, fallback: str | None = None) -> pd.DataFrame:
    """df with each product-name column (PRODUCT_NAME_COLUMNS) shown in lang by `localised` from its "_zh" twin,
    which is dropped; with fallback (a column such as "sku") a product without a name shows that instead."""
    out = df.copy()
    for column in PRODUCT_NAME_COLUMNS:
        twin = f"{column}_zh"
        if column in out:
            out[column] = localised(out[column], out.get(twin), lang,
                                    out[fallback] if fallback is not None and fallback in out else None)
        if twin in out:
            out = out.drop(columns=[twin])
    return out


def store_names(stores: tuple[str, ...] | None, lang: str) -> dict[str, str]:
    """store_id -> the store's name in lang (name_zh in Chinese where the data has one, else name, else the id)."""
    rows = data.run(lookups.list_stores, Filters.all_time(stores))
    return store_names_from(rows, lang)


def store_names_from(rows: pd.DataFrame, lang: str) -> dict[str, str]:
    """store_names for rows of lookups.list_stores (store_id, name, name_zh)."""
    names = localised(rows["name"], rows.get("name_zh"), lang, rows["store_id"])
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


def product_names(skus, lang: str) -> dict[str, str]:
    """sku -> the product's name in lang (localised; the SKU where the catalogue has no name)."""
    wanted = tuple(sorted({s for s in skus if isinstance(s, str)}))
    if not wanted:
        return {}
    rows = data.run(data.product_names, Filters.all_time(), skus=wanted)
    return dict(zip(rows["sku"], localised(rows["name"], rows["name_zh"], lang, rows["sku"]), strict=True))


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
