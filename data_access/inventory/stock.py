"""Stock on hand at the latest inventory snapshot, with days of cover per store and SKU."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.read import read_frame
from data_access.sales.core import FLOAT, category_condition, sales_rows, with_order_ranges
from data_access.schema import inventory, order_items, orders, products
from data_access.scope import in_scope


def latest_snapshot_date(engine: sa.Engine, f: Filters) -> date | None:
    """The most recent inventory snapshot of f's stores on or before f.end (None when none)."""
    stmt = sa.select(sa.func.max(inventory.c.snapshot_date)).where(inventory.c.snapshot_date <= f.end,
                                                                   in_scope(inventory.c.store_id, f))
    with engine.connect() as conn:
        value = conn.execute(stmt).scalar()
    return pd.Timestamp(value).date() if value is not None else None


def stock_on_hand(engine: sa.Engine, f: Filters, cover_window_days: int = 28) -> pd.DataFrame:
    """Stock at the latest snapshot on or before f.end, with days of cover, per store and SKU.

    Columns: snapshot_date, store_id, sku, name, category, on_hand, on_order, expected_arrival (datetime64;
    NaT when the data has no date for what is on order), lead_time_days, avg_daily_units (mean units sold
    per day over the `cover_window_days` days ending at the snapshot), days_of_cover (on_hand /
    avg_daily_units; NaN when nothing sold). Category filter applies; channel filter does not (stock is
    shared by channels).
    """
    snap = latest_snapshot_date(engine, f)
    columns = ["snapshot_date", "store_id", "sku", "name", "name_zh", "category", "on_hand", "on_order",
               "expected_arrival", "lead_time_days", "avg_daily_units", "days_of_cover"]
    if snap is None:
        return pd.DataFrame(columns=columns)
    window, = with_order_ranges(engine, Filters(snap - timedelta(days=cover_window_days - 1), snap, f.stores, None,
                                                f.categories))
    sold = sales_rows(window, {"store_id": orders.c.store_id, "sku": order_items.c.sku}).subquery("sold")
    sold_by = (sa.select(sold.c.store_id, sold.c.sku, sa.func.sum(sold.c.units).label("units"))
               .group_by(sold.c.store_id, sold.c.sku).subquery("sold_by"))
    inv, p = inventory.c, products.c
    conds = [inv.snapshot_date == snap]
    conds.append(in_scope(inv.store_id, f))
    if f.categories is not None:
        conds.append(category_condition(p.category, f.categories))
    stmt = (
        sa.select(inv.snapshot_date, inv.store_id, inv.sku, p.name, p.name_zh, p.category, inv.on_hand, inv.on_order,
                  inv.expected_arrival, p.lead_time_days,
                  (sa.cast(sa.func.coalesce(sold_by.c.units, 0), FLOAT) / cover_window_days).label("avg_daily_units"))
        .select_from(
            inventory.outerjoin(products, products.c.sku == inv.sku)
            .outerjoin(sold_by, sa.and_(sold_by.c.store_id == inv.store_id, sold_by.c.sku == inv.sku))
        )
        .where(*conds)
        .order_by(inv.store_id, inv.sku)
    )
    df = read_frame(engine, stmt)
    df["snapshot_date"] = pd.to_datetime(df["snapshot_date"])
    df["expected_arrival"] = pd.to_datetime(df["expected_arrival"])
    df["avg_daily_units"] = df["avg_daily_units"].astype(float)
    rate = df["avg_daily_units"].where(df["avg_daily_units"] > 0)
    df["days_of_cover"] = df["on_hand"].astype(float) / rate
    return df[columns]

