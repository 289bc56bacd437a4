"""Lookups for pickers and defaults: the stores of a scope, the product categories, the span of the sales data."""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.read import day_span, read_frame
from data_access.schema import daily_metrics, orders, products, stores
from data_access.scope import in_scope


def list_stores(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """The stores of f's scope (f's dates do not apply). Columns: store_id, name, name_zh, region, city."""
    stmt = sa.select(stores.c.store_id, stores.c.name, stores.c.name_zh, stores.c.region, stores.c.city).where(
        in_scope(stores.c.store_id, f))
    return read_frame(engine, stmt.order_by(stores.c.store_id))


def list_categories(engine: sa.Engine) -> list[str]:
    """Distinct product categories, sorted."""
    stmt = sa.select(products.c.category).where(products.c.category.is_not(None)).distinct()
    return sorted(read_frame(engine, stmt)["category"].astype(str))


def product_names(engine: sa.Engine, skus: tuple[str, ...]) -> pd.DataFrame:
    """The catalogue's names of the given SKUs (the catalogue is not store-level). Columns: sku, name, name_zh."""
    stmt = sa.select(products.c.sku, products.c.name, products.c.name_zh).where(
        products.c.sku.in_(sa.bindparam("skus", list(skus), expanding=True)))
    return read_frame(engine, stmt.order_by(products.c.sku))


def order_date_range(engine: sa.Engine, f: Filters) -> tuple[date, date] | None:
    """First and last day with sales data of f's stores within f's dates: order days and the days of their daily
    reports (daily_metrics, which the sales queries read where no order covers a day), so a shop that imported
    only a daily report has a period to show (None when there is neither); Filters.all_time(stores) asks for
    the whole history."""
    spans = [day_span(engine, orders.c.ordered_at, orders.c.ordered_at >= f.start_at,
                      orders.c.ordered_at < f.end_before, in_scope(orders.c.store_id, f)),
             day_span(engine, daily_metrics.c.day, daily_metrics.c.day >= f.start, daily_metrics.c.day <= f.end,
                      in_scope(daily_metrics.c.store_id, f))]
    found = [span for span in spans if span is not None]
    if not found:
        return None
    return min(first for first, _ in found), max(last for _, last in found)
