"""The ratios derived from summed sales measures (DESIGN.md's metric definitions): AOV, gross margin, margin % and
conversion rate, and the column order every sales frame is returned in."""

from __future__ import annotations

import numpy as np
import pandas as pd


def derive_ratios(df: pd.DataFrame) -> pd.DataFrame:
    """Add aov, gross_margin, margin_pct and conversion_rate from summed measures (NaN where undefined)."""
    out = df.copy()
    for col in ("net_sales", "costed_sales", "cogs"):
        out[col] = out[col].astype(float).fillna(0.0)
    for col in ("units", "orders", "customers", "sessions", "traffic_orders"):
        out[col] = out[col].fillna(0).astype("int64")
    out["gross_margin"] = out["costed_sales"] - out["cogs"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["aov"] = np.where(out["orders"] > 0, out["net_sales"] / out["orders"].where(out["orders"] > 0), np.nan)
        out["margin_pct"] = np.where(out["costed_sales"] != 0,
                                     out["gross_margin"] / out["costed_sales"].where(out["costed_sales"] != 0), np.nan)
        out["conversion_rate"] = np.where(out["sessions"] > 0,
                                          out["traffic_orders"] / out["sessions"].where(out["sessions"] > 0), np.nan)
    return out.drop(columns=["costed_sales", "cogs", "traffic_orders"])


SALES_COLUMNS = ["net_sales", "orders", "units", "customers", "sessions", "gross_margin", "aov", "margin_pct",
                 "conversion_rate"]


def sales_columns(with_customers: bool = True) -> list[str]:
    """SALES_COLUMNS, without customers for a query asked not to count them."""
    return [c for c in SALES_COLUMNS if with_customers or c != "customers"]
