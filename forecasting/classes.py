"""ABC and XYZ class per SKU within a store scope, over the 13 weeks up to the latest stock snapshot."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.inventory import queries
from data_access.inventory.stock import latest_snapshot_date
from data_access.sales import customers
from forecasting.policy import xyz_classes

WEEKS = 13


def sku_classes(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """ABC by net sales (A: top 80%, B: next 15%, C: rest; unsold SKUs are C) and XYZ by the coefficient of
    variation of weekly units over the 13 weeks up to the latest snapshot on or before f.end, in f's stores.

    Columns: sku, abc_class, xyz_class, cv.
    """
    end = latest_snapshot_date(engine, f) or f.end
    window = Filters(end - timedelta(days=7 * WEEKS - 1), end, f.stores)
    abc = customers.product_abc(engine, window)[["sku", "abc_class"]]
    xyz = xyz_classes(queries.weekly_units(engine, window), WEEKS)
    merged = abc.merge(xyz, on="sku", how="outer")
    merged["abc_class"] = merged["abc_class"].fillna("C")
    merged["xyz_class"] = merged["xyz_class"].fillna("Z")
    return merged[["sku", "abc_class", "xyz_class", "cv"]]
