"""How healthy a shop's stock and service look on its last day: the figures the inventory and overview pages count.

Computed from tables as DataFrames (the demo generator's frames or query results), with a flat forecast (each
series' mean daily units of the last 28 days) standing in for a forecast run, so the demo can be checked in seconds:
  share_at_risk    = series whose projected stock-out (on-order stock arriving at its expected date) falls within
                     the lead time / series
  share_reorder    = series with a suggested order / series;  share_overstock = overstocked series / series
  sla_attainment   = tickets due by the last day that met both their first-response and resolution targets /
                     those tickets, over the last 90 days
  backlog age      = days since creation of the tickets still unresolved at the end of the last day
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from forecasting import policy

COVER_DAYS = 28
SIGMA_DAYS = 56
HORIZON = 28


def flat_stockout_step(rate, on_hand, on_order, arrival_step, horizon: int = HORIZON) -> np.ndarray:
    """Days after the snapshot until a flat daily demand `rate` uses up the stock (policy.projection's rule with a
    constant forecast): on_order arrives at the start of day arrival_step (NaN: unknown, not counted).
    0 when nothing is on hand; NaN when the stock lasts the horizon or nothing sells."""
    rate, on_hand = np.asarray(rate, float), np.asarray(on_hand, float)
    on_order, arrival = np.asarray(on_order, float), np.asarray(arrival_step, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.ceil(on_hand / rate - 1e-9)
        after = np.maximum(np.ceil((on_hand + on_order) / rate - 1e-9), arrival)
    arrives = ~np.isnan(arrival) & (on_order > 0)
    step = np.where(arrives & (first >= arrival), after, first)
    step = np.where(rate > 0, step, np.nan)
    step = np.where(on_hand <= 0, 0.0, step)
    return np.where(step <= horizon, step, np.nan)


def _daily_units(orders: pd.DataFrame, items: pd.DataFrame, start: pd.Timestamp) -> pd.DataFrame:
    recent = orders.loc[(orders["ordered_at"] >= start) & (orders["status"] != "cancelled"),
                        ["order_id", "store_id", "ordered_at"]]
    lines = items[["order_id", "sku", "quantity", "unit_price", "discount"]].merge(recent, on="order_id")
    lines["ds"] = lines["ordered_at"].dt.normalize()
    lines["net"] = lines["quantity"] * lines["unit_price"] - lines["discount"]
    return lines.groupby(["store_id", "sku", "ds"], as_index=False)[["quantity", "net"]].sum()


def _abc(net_by_sku: pd.Series) -> pd.Series:
    ranked = net_by_sku.sort_values(ascending=False)
    before = (ranked.cumsum() - ranked) / ranked.sum()
    return pd.Series(np.where(before < 0.80, "A", np.where(before < 0.95, "B", "C")), index=ranked.index)


def stock_plan(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """policy.plan rows of the last inventory snapshot with the flat forecast (one row per store x SKU)."""
    inv = frames["inventory"]
    snap = pd.Timestamp(inv["snapshot_date"].max())
    last = inv[pd.to_datetime(inv["snapshot_date"]) == snap].copy()
    units = _daily_units(frames["orders"], frames["order_items"], snap - timedelta(days=max(91, SIGMA_DAYS) - 1))
    window = units[units["ds"] > snap - timedelta(days=COVER_DAYS)]
    avg = window.groupby(["store_id", "sku"])["quantity"].sum() / COVER_DAYS
    # sigma over in-stock days (a day that ended with stock): stock-out days censor demand.
    hist = inv[pd.to_datetime(inv["snapshot_date"]) > snap - timedelta(days=SIGMA_DAYS)][
        ["snapshot_date", "store_id", "sku", "on_hand"]].rename(columns={"snapshot_date": "ds"})
    hist["ds"] = pd.to_datetime(hist["ds"])
    hist = hist.merge(units[["store_id", "sku", "ds", "quantity"]], on=["store_id", "sku", "ds"], how="left")
    hist["quantity"] = hist["quantity"].fillna(0)
    sigma = hist[hist["on_hand"] > 0].groupby(["store_id", "sku"])["quantity"].std(ddof=0)
    abc = _abc(units.groupby("sku")["net"].sum())
    products = frames["products"].set_index("sku")
    key = pd.MultiIndex.from_frame(last[["store_id", "sku"]])
    last["avg_daily_units"] = avg.reindex(key).fillna(0.0).to_numpy()
    last["sigma_daily"] = sigma.reindex(key).fillna(0.0).to_numpy()
    last["lead_time_days"] = products["lead_time_days"].reindex(last["sku"]).to_numpy()
    last["abc_class"] = abc.reindex(last["sku"]).fillna("C").to_numpy()
    rate = last["avg_daily_units"]
    last["demand_lead"] = rate * last["lead_time_days"]
    last["demand_review"] = rate * policy.REVIEW_DAYS
    expected = pd.to_datetime(last["expected_arrival"]) if "expected_arrival" in last else pd.Series(pd.NaT,
                                                                                                        last.index)
    arrival = ((expected - snap).dt.days.clip(lower=1)).astype(float)
    step = flat_stockout_step(rate, last["on_hand"], last["on_order"], arrival)
    last["snapshot_date"] = snap
    last["stockout_date"] = snap + pd.to_timedelta(step, unit="D")
    return policy.plan(last.reset_index(drop=True))


def stock_figures(planned: pd.DataFrame) -> dict[str, float]:
    n = max(len(planned), 1)
    return {
        "series": len(planned),
        "share_at_risk": float((planned["days_to_stockout"] <= planned["lead_time"]).sum()) / n,
        "share_reorder": float((planned["suggested_order"] > 0).sum()) / n,
        "share_overstock": float(planned["overstock"].sum()) / n,
        "share_out_of_stock": float((planned["on_hand"] <= 0).sum()) / n,
    }


def service_figures(tickets: pd.DataFrame, targets: dict[str, tuple[float | None, float | None]],
                    days: int = 90) -> dict[str, float]:
    """SLA attainment over the last `days` days and the age of the open backlog at the end of the last day."""
    created = pd.to_datetime(tickets["created_at"])
    now = created.max().normalize() + timedelta(days=1)
    fallback = targets.get("*", (None, None))
    first_t = tickets["priority"].map(lambda p: targets.get(p, fallback)[0]).astype(float)
    resolve_t = tickets["priority"].map(lambda p: targets.get(p, fallback)[1]).astype(float)
    first_h = (pd.to_datetime(tickets["first_response_at"]).fillna(now) - created).dt.total_seconds() / 3600
    resolve_h = (pd.to_datetime(tickets["resolved_at"]).fillna(now) - created).dt.total_seconds() / 3600
    due = (created >= now - timedelta(days=days)) & (created + pd.to_timedelta(resolve_t, unit="h") <= now)
    met = (first_h <= first_t.fillna(np.inf)) & (resolve_h <= resolve_t.fillna(np.inf))
    open_age = (now - created[tickets["resolved_at"].isna()]).dt.total_seconds() / 86400
    return {
        "sla_attainment": float(met[due].mean()) if due.any() else float("nan"),
        "backlog": int(open_age.size),
        "backlog_median_days": float(open_age.median()) if open_age.size else 0.0,
        "backlog_p90_days": float(open_age.quantile(0.9)) if open_age.size else 0.0,
        "backlog_max_days": float(open_age.max()) if open_age.size else 0.0,
    }
