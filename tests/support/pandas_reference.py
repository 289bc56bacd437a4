"""Independent pandas versions of the named queries, for checking SQL results and as the benchmark baseline.

Written from DESIGN.md's metric definitions directly on raw table frames, sharing no code with
data_access.sales.queries.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from data_access.filters import Filters

SOLD = {"paid", "shipped", "delivered"}
ORDER_LEVEL = {"paid", "shipped", "delivered", "returned"}


def _orders_in(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    o = frames["orders"]
    at = pd.to_datetime(o["ordered_at"])
    mask = (at >= pd.Timestamp(f.start)) & (at < pd.Timestamp(f.end) + pd.Timedelta(days=1))
    if f.stores is not None:
        mask &= o["store_id"].isin(f.stores)
    if f.channels is not None:
        mask &= o["channel"].isin(f.channels)
    out = o[mask].copy()
    out["day"] = pd.to_datetime(out["ordered_at"]).dt.normalize()
    return out


def sold_lines(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    """Sold, non-returned lines of the filtered orders with net, units and cost per line."""
    o = _orders_in(frames, f)
    o = o[o["status"].isin(SOLD)]
    lines = frames["order_items"].merge(o[["order_id", "day", "store_id", "channel", "customer_id"]], on="order_id")
    lines = lines[~lines["returned"].astype(bool)]
    lines = lines.merge(frames["products"][["sku", "category", "unit_cost"]], on="sku", how="left")
    if f.categories is not None:
        lines = lines[lines["category"].isin(f.categories)]
    lines["net"] = lines["quantity"] * lines["unit_price"].astype(float) - lines["discount"].astype(float)
    lines["cogs"] = lines["quantity"] * lines["unit_cost"].astype(float)
    return lines


def line_less_sales(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    """Orders without any line, counted at paid_total - refund_total."""
    if f.categories is not None:
        return pd.DataFrame(columns=["day", "store_id", "channel", "net"])
    o = _orders_in(frames, f)
    o = o[o["status"].isin(ORDER_LEVEL) & ~o["order_id"].isin(frames["order_items"]["order_id"])].copy()
    o["net"] = o["paid_total"].astype(float).fillna(0) - o["refund_total"].astype(float).fillna(0)
    return o


def counted_orders(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    o = _orders_in(frames, f)
    o = o[o["status"] != "cancelled"]
    if f.categories is not None:
        items = frames["order_items"].merge(frames["products"][["sku", "category"]], on="sku")
        o = o[o["order_id"].isin(items.loc[items["category"].isin(f.categories), "order_id"])]
    return o


def sessions(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    t = frames["traffic"].copy()
    t["day"] = pd.to_datetime(t["day"])
    mask = (t["day"] >= pd.Timestamp(f.start)) & (t["day"] <= pd.Timestamp(f.end))
    if f.stores is not None:
        mask &= t["store_id"].isin(f.stores)
    if f.channels is not None:
        mask &= t["channel"].isin(f.channels)
    if f.categories is not None:
        mask &= False
    return t[mask]


def totals(frames: dict[str, pd.DataFrame], f: Filters) -> dict[str, float]:
    lines, rest, counted = sold_lines(frames, f), line_less_sales(frames, f), counted_orders(frames, f)
    net = lines["net"].sum() + rest["net"].sum()
    n_orders = counted["order_id"].nunique()
    return {
        "net_sales": net,
        "orders": n_orders,
        "units": int(lines["quantity"].sum()),
        "customers": counted["customer_id"].nunique(),
        "sessions": int(sessions(frames, f)["sessions"].sum()),
        "gross_margin": lines["net"].sum() - lines["cogs"].sum(),
        "aov": net / n_orders if n_orders else np.nan,
    }


def kpi_totals(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    rows = {"current": f, "previous": f.previous_period(), "last_year": f.last_year()}
    return pd.DataFrame([{"period": k, **totals(frames, p)} for k, p in rows.items()])


def daily_sales(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    days = pd.DataFrame({"day": pd.date_range(f.start, f.end)})
    lines, rest = sold_lines(frames, f), line_less_sales(frames, f)
    net = pd.concat([lines[["day", "net"]], rest[["day", "net"]]]).groupby("day")["net"].sum().rename("net_sales")
    n_orders = counted_orders(frames, f).groupby("day")["order_id"].nunique().rename("orders")
    sess = sessions(frames, f).groupby("day")["sessions"].sum()
    out = days.set_index("day").join([net, n_orders, sess]).fillna(0).reset_index()
    return out


_DIM_COLUMN = {"store": "store_id", "channel": "channel", "category": "category", "product": "sku"}


def sales_by(frames: dict[str, pd.DataFrame], f: Filters, dimension: str) -> pd.DataFrame:
    """key, net_sales, orders, units (store and channel include line-less orders; region via stores)."""
    lines = sold_lines(frames, f)
    if dimension in ("category", "product"):
        col = _DIM_COLUMN[dimension]
        g = lines.groupby(col)
        out = pd.DataFrame({"net_sales": g["net"].sum(), "orders": g["order_id"].nunique(),
                            "units": g["quantity"].sum()})
        return out.rename_axis("key").reset_index()
    rest, counted = line_less_sales(frames, f), counted_orders(frames, f)
    if dimension == "region":
        region = frames["stores"].set_index("store_id")["region"]
        for frame in (lines, rest, counted):
            frame["region"] = frame["store_id"].map(region)
        col = "region"
    else:
        col = _DIM_COLUMN[dimension]
    net = pd.concat([lines[[col, "net"]], rest[[col, "net"]]]).groupby(col)["net"].sum()
    out = pd.DataFrame({"net_sales": net, "orders": counted.groupby(col)["order_id"].nunique(),
                        "units": lines.groupby(col)["quantity"].sum()}).fillna(0)
    return out.rename_axis("key").reset_index()


def top_products(frames: dict[str, pd.DataFrame], f: Filters, limit: int = 10, by: str = "net_sales") -> pd.DataFrame:
    lines = sold_lines(frames, f)
    g = lines.groupby("sku")
    out = pd.DataFrame({"net_sales": g["net"].sum(), "units": g["quantity"].sum(),
                        "gross_margin": g["net"].sum() - g["cogs"].sum()}).rename_axis("sku").reset_index()
    return out.sort_values([by, "sku"], ascending=[False, True]).head(limit).reset_index(drop=True)


def stock_on_hand(frames: dict[str, pd.DataFrame], f: Filters, window: int = 28) -> pd.DataFrame:
    inv = frames["inventory"].copy()
    inv["snapshot_date"] = pd.to_datetime(inv["snapshot_date"])
    inv = inv[inv["snapshot_date"] <= pd.Timestamp(f.end)]
    if inv.empty:
        return inv
    snap = inv["snapshot_date"].max()
    inv = inv[inv["snapshot_date"] == snap]
    if f.stores is not None:
        inv = inv[inv["store_id"].isin(f.stores)]
    win = Filters(snap.date() - timedelta(days=window - 1), snap.date(), f.stores, None, f.categories)
    sold = sold_lines(frames, win).groupby(["store_id", "sku"])["quantity"].sum().rename("units").reset_index()
    out = inv.merge(sold, on=["store_id", "sku"], how="left")
    out["avg_daily_units"] = out["units"].fillna(0) / window
    out["days_of_cover"] = out["on_hand"] / out["avg_daily_units"].where(out["avg_daily_units"] > 0)
    return out.sort_values(["store_id", "sku"]).reset_index(drop=True)
