"""Pure calculations behind the inventory page: policy per row, risk, reorder and overstock lists, projections."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting import policy

# The columns a buyer acts on come first (what, where, when it runs out, how much to order), the reasoning after.
RISK_COLUMNS = ["name", "store_id", "stockout_date", "days_to_stockout", "on_hand", "on_order", "expected_arrival",
                "suggested_order", "days_of_cover", "lead_time_days", "abc_class", "xyz_class", "reorder_point", "sku",
                "forecast_model"]
REORDER_COLUMNS = ["name", "store_id", "suggested_order", "stockout_date", "on_hand", "on_order", "expected_arrival",
                   "lead_time_days", "category", "abc_class", "service_level", "mean_daily_demand", "safety_stock",
                   "reorder_point", "sku"]
OVERSTOCK_COLUMNS = ["name", "store_id", "excess_units", "days_of_cover", "on_hand", "avg_daily_units",
                     "target_cover_days", "category", "abc_class", "sku"]


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
    """Overstocked rows, most stock tied up first: excess_units = on hand beyond the overstock line
    (OVERSTOCK_FACTOR x target cover x average daily units; all of it for stock that sold nothing in 28 days),
    then most days of cover."""
    out = rows[rows["overstock"]].copy()
    line = policy.OVERSTOCK_FACTOR * out["target_cover_days"] * out["avg_daily_units"].fillna(0)
    out["excess_units"] = np.maximum(out["on_hand"] - np.floor(line), 0).astype(int)
    out["_order"] = out["days_of_cover"].fillna(np.inf)
    out = out.sort_values(["excess_units", "_order", "store_id", "sku"], ascending=[False, False, True, True])
    return out[OVERSTOCK_COLUMNS].reset_index(drop=True)


def shipped_vs_best_baseline(summary: pd.DataFrame) -> tuple[float, float]:
    """(MASE of the shipped choice, MASE of the best single baseline) from backtest_summary (NaN when missing)."""
    mase = summary.set_index("model")["mase"] if not summary.empty else pd.Series(dtype=float)
    shipped = float(mase.get("shipped", np.nan))
    baselines = [float(mase[m]) for m in ("seasonal_naive", "moving_average") if m in mase.index]
    return shipped, min(baselines) if baselines else np.nan


def _arrival_step(ahead: pd.DataFrame, on_order: float, expected_arrival) -> int | None:
    """Index of the forecast day the on-order stock arrives (the first day when its date has passed); None when
    nothing is on order or the date is unknown."""
    if not on_order or on_order <= 0 or expected_arrival is None or pd.isna(expected_arrival) or ahead.empty:
        return None
    hits = np.flatnonzero(pd.to_datetime(ahead["ds"]).to_numpy() >= np.datetime64(pd.Timestamp(expected_arrival)))
    return int(hits[0]) if hits.size else None


def stock_projection(forecast: pd.DataFrame, on_hand: float, snapshot: pd.Timestamp, on_order: float = 0.0,
                     expected_arrival=None) -> pd.DataFrame:
    """On hand at the end of each forecast day: the day's forecast is taken off what is there (never below zero:
    demand without stock is lost), and on_order arrives at the start of its expected_arrival day (the first
    forecast day when that date has passed; not at all when it is unknown). Columns: ds, on_hand_projected."""
    ahead = forecast[pd.to_datetime(forecast["ds"]) > pd.Timestamp(snapshot)].sort_values("ds")
    step = _arrival_step(ahead, on_order, expected_arrival)
    left, level = np.empty(len(ahead)), float(on_hand)
    for k, demand in enumerate(ahead["yhat"].to_numpy(float)):
        level = max(level + (float(on_order) if k == step else 0.0) - demand, 0.0)
        left[k] = level
    return pd.DataFrame({"ds": pd.to_datetime(ahead["ds"]).to_numpy(), "on_hand_projected": left})


def projected_stockout(forecast: pd.DataFrame, on_hand: float, snapshot: pd.Timestamp, on_order: float = 0.0,
                       expected_arrival=None):
    """First forecast day on which the forecast uses up the stock, on-order stock arriving as in stock_projection
    (the snapshot day when nothing is on hand; NaT when stock lasts the horizon) - the same rule as the plan's
    query, for an on-demand forecast."""
    if on_hand <= 0:
        return pd.Timestamp(snapshot)
    ahead = forecast[pd.to_datetime(forecast["ds"]) > pd.Timestamp(snapshot)].sort_values("ds")
    step = _arrival_step(ahead, on_order, expected_arrival)
    need = np.full(len(ahead), float(on_hand))
    if step is not None:
        need[step:] += float(on_order)
    reached = np.flatnonzero(np.cumsum(ahead["yhat"].to_numpy(float)) >= need)
    return pd.Timestamp(ahead["ds"].iloc[reached[0]]) if reached.size else pd.NaT
