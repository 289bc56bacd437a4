"""Pure calculations behind the inventory page: policy per row, risk, reorder and overstock lists, projections."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting import policy

RISK_COLUMNS = ["stockout_date", "days_to_stockout", "store_id", "sku", "name", "abc_class", "xyz_class", "on_hand",
                "on_order", "days_of_cover", "lead_time_days", "reorder_point", "suggested_order", "forecast_model"]
REORDER_COLUMNS = ["store_id", "sku", "name", "category", "abc_class", "service_level", "on_hand", "on_order",
                   "lead_time_days", "mean_daily_demand", "safety_stock", "reorder_point", "suggested_order",
                   "stockout_date"]
OVERSTOCK_COLUMNS = ["store_id", "sku", "name", "category", "abc_class", "on_hand", "avg_daily_units",
                     "days_of_cover", "target_cover_days"]


def planned(plan: pd.DataFrame, classes: pd.DataFrame, service_levels: dict[str, float],
            review_days: int) -> pd.DataFrame:
    """inventory_plan rows with their SKU's ABC/XYZ class (unknown: C, Z) and the policy columns (policy.plan)."""
    merged = plan.merge(classes[["sku", "abc_class", "xyz_class"]], on="sku", how="left")
    merged["abc_class"] = merged["abc_class"].fillna("C")
    merged["xyz_class"] = merged["xyz_class"].fillna("Z")
    out = policy.plan(merged, service_levels, review_days)
    # Rows the run has no forecast for are planned on recent sales: say so where the model is named.
    out["forecast_model"] = out["model"].where(~out["no_forecast"], "no_forecast")
    return out


def risk_table(rows: pd.DataFrame, abc=None, xyz=None) -> pd.DataFrame:
    """Rows projected to run out within the horizon, soonest first, optionally only some ABC / XYZ classes."""
    risky = rows[rows["stockout_date"].notna()]
    if abc:
        risky = risky[risky["abc_class"].isin(abc)]
    if xyz:
        risky = risky[risky["xyz_class"].isin(xyz)]
    risky = risky.sort_values(["stockout_date", "days_of_cover", "store_id", "sku"], na_position="last")
    return risky[RISK_COLUMNS].reset_index(drop=True)


def at_risk_within_lead_time(rows: pd.DataFrame) -> int:
    return int((rows["days_to_stockout"] <= rows["lead_time"]).sum())


def reorder_list(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with a suggested order, the soonest stock-outs first."""
    out = rows[rows["suggested_order"] > 0].sort_values(["stockout_date", "store_id", "sku"], na_position="last")
    return out[REORDER_COLUMNS].reset_index(drop=True)


def overstock_list(rows: pd.DataFrame) -> pd.DataFrame:
    """Overstocked rows, most days of cover first (stock that sold nothing in 28 days on top)."""
    out = rows[rows["overstock"]].copy()
    out["_order"] = out["days_of_cover"].fillna(np.inf)
    out = out.sort_values(["_order", "on_hand"], ascending=[False, False])
    return out[OVERSTOCK_COLUMNS].reset_index(drop=True)


def shipped_vs_best_baseline(summary: pd.DataFrame) -> tuple[float, float]:
    """(MASE of the shipped choice, MASE of the best single baseline) from backtest_summary (NaN when missing)."""
    mase = summary.set_index("model")["mase"] if not summary.empty else pd.Series(dtype=float)
    shipped = float(mase.get("shipped", np.nan))
    baselines = [float(mase[m]) for m in ("seasonal_naive", "moving_average") if m in mase.index]
    return shipped, min(baselines) if baselines else np.nan


def stock_projection(forecast: pd.DataFrame, on_hand: float, snapshot: pd.Timestamp) -> pd.DataFrame:
    """On hand after each forecast day if nothing arrives: on_hand - cumulative yhat (never below zero).
    Columns: ds, on_hand_projected."""
    ahead = forecast[pd.to_datetime(forecast["ds"]) > pd.Timestamp(snapshot)].sort_values("ds")
    left = np.maximum(float(on_hand) - np.cumsum(ahead["yhat"].to_numpy(float)), 0.0)
    return pd.DataFrame({"ds": pd.to_datetime(ahead["ds"]).to_numpy(), "on_hand_projected": left})


def projected_stockout(forecast: pd.DataFrame, on_hand: float, snapshot: pd.Timestamp):
    """First forecast day on which the cumulative forecast reaches on hand (the snapshot day when nothing is on
    hand; NaT when stock lasts the horizon) - the same rule as policy.plan, for an on-demand forecast."""
    if on_hand <= 0:
        return pd.Timestamp(snapshot)
    ahead = forecast[pd.to_datetime(forecast["ds"]) > pd.Timestamp(snapshot)].sort_values("ds")
    reached = np.flatnonzero(np.cumsum(ahead["yhat"].to_numpy(float)) >= on_hand)
    return pd.Timestamp(ahead["ds"].iloc[reached[0]]) if reached.size else pd.NaT
