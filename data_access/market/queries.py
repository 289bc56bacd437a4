"""Named queries of the market page: the listing snapshots of a category or keyword, and what the pickers offer.

Listings of no store (competitors' items) are market data every store shares; our own items carry their store and
are seen only in its scope (data_access.scope.in_scope_or_shared).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.read import day_span, read_frame
from data_access.schema import listings
from data_access.scope import in_scope_or_shared

#: The most snapshot rows one analysis reads (a keyword over years of daily snapshots of a big market); the page
#: says so when it was reached, and the newest rows are the ones kept.
MAX_ROWS = 200_000
SNAPSHOT_COLUMNS = ("observed_at", "source", "item_id", "title", "shop", "brand", "category", "keyword", "price",
                    "list_price", "sales_count", "review_count", "store_id", "sku")


def _where(f: Filters, category: str | None, keyword: str | None) -> list[sa.ColumnElement]:
    conditions = [listings.c.observed_at >= f.start, listings.c.observed_at <= f.end,
                  in_scope_or_shared(listings.c.store_id, f)]
    if category:
        conditions.append(listings.c.category == category)
    if keyword and keyword.strip():
        # The snapshot's own search keyword, or the word in the title (LIKE wildcards in the input are literal).
        text = keyword.strip().lower()
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(sa.or_(sa.func.lower(listings.c.keyword) == text,
                                 sa.func.lower(listings.c.title).like(f"%{escaped}%", escape="\\")))
    return conditions


def listing_snapshots(engine: sa.Engine, f: Filters, category: str | None = None,
                      keyword: str | None = None) -> pd.DataFrame:
    """The snapshot rows of f's days and scope for a category and/or a keyword (None: every listing), newest
    MAX_ROWS at most. Columns: SNAPSHOT_COLUMNS, with observed_at a date, price/list_price floats."""
    stmt = (sa.select(*[listings.c[c] for c in SNAPSHOT_COLUMNS]).where(*_where(f, category, keyword))
            .order_by(listings.c.observed_at.desc(), listings.c.source, listings.c.item_id).limit(MAX_ROWS))
    frame = read_frame(engine, stmt, bulk=True)
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SNAPSHOT_COLUMNS})
    frame["observed_at"] = pd.to_datetime(frame["observed_at"]).dt.date
    for column in ("price", "list_price", "sales_count", "review_count"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame.sort_values(["observed_at", "source", "item_id"], ignore_index=True)


def market_choices(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """What the pickers offer in f's scope (all snapshot days): one row per category and per keyword with its
    listing rows. Columns: kind ('category' or 'keyword'), value, rows."""
    parts = []
    for kind, column in (("category", listings.c.category), ("keyword", listings.c.keyword)):
        stmt = (sa.select(column.label("value"), sa.func.count().label("rows"))
                .where(column.is_not(None), in_scope_or_shared(listings.c.store_id, f))
                .group_by(column).order_by(sa.func.count().desc(), column))
        part = read_frame(engine, stmt)
        part.insert(0, "kind", kind)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def snapshot_span(engine: sa.Engine, f: Filters) -> tuple[date, date] | None:
    """First and last snapshot day in f's scope (f's dates do not apply); None without listings."""
    return day_span(engine, listings.c.observed_at, in_scope_or_shared(listings.c.store_id, f))
