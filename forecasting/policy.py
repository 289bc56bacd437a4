"""Inventory policy per store x SKU from the forecast: safety stock, reorder point, cover, stock-out date, order size.

Formulas (DESIGN.md):
  reorder point     = the service level's quantile of demand over the lead time, from the run's lead-time demand
                      distribution (forecasting.lead_time: conformal quantiles of cumulative demand, stored per
                      forecast row at 90 / 95 / 97.5 / 99%; levels between them interpolated linearly, outside
                      them the nearest), never below the mean demand over the lead time;
                      where the run has none (older runs, a lead time past the horizon, a run older than the
                      snapshot): mean daily demand over the lead time x lead time + z x sigma x sqrt(lead time)
  safety stock      = reorder point - mean daily demand over the lead time x lead time
  days of cover     = on hand / mean daily units sold over the last 28 days
  suggested order   = max(0, reorder point + demand over the review period - on hand - on order), rounded up
  stock-out date    = first forecast day on which the cumulative forecast demand reaches what is on hand, plus
                      what is on order from its expected arrival date on (the snapshot day itself when nothing
                      is on hand; on-order stock without an expected date is not counted)
z comes from the service level chosen per ABC class (defaults A 97.5%, B 95%, C 90%). Mean daily demand is the
forecast over the lead time; sigma is the spread of recent in-stock daily demand (stock-out days left out).
Where the forecast does not reach the end of the lead time or review period (a short horizon, or a run older than
the snapshot), the missing days are filled at the forecast's mean daily rate, not left out. A store x SKU without
a forecast in the run (a failed series, a SKU newer than the run) is planned on its average daily units of the
last 28 days, with no safety stock, and flagged no_forecast, so it never looks safe by having no numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from forecasting import lead_time as lead_time_distribution

#: Service level -> z (one-sided normal quantile), as DESIGN.md lists them.
Z_BY_SERVICE_LEVEL = {0.90: 1.28, 0.95: 1.65, 0.975: 1.96, 0.99: 2.33}
DEFAULT_SERVICE_LEVELS = {"A": 0.975, "B": 0.95, "C": 0.90}
REVIEW_DAYS = 7
#: Lead time assumed for products without one.
DEFAULT_LEAD_TIME = 7
#: Overstock: days of cover above this many times the target cover (lead time + review period).
OVERSTOCK_FACTOR = 3.0
#: XYZ: coefficient of variation of weekly demand below 0.5 is X, below 1.0 Y, else Z.
XYZ_LIMITS = (0.5, 1.0)


def z_value(service_level: float) -> float:
    """z of a service level listed in Z_BY_SERVICE_LEVEL; ValueError for any other level."""
    for level, z in Z_BY_SERVICE_LEVEL.items():
        if math.isclose(level, float(service_level)):
            return z
    raise ValueError(f"service level {service_level} is not one of {sorted(Z_BY_SERVICE_LEVEL)}")


def safety_stock(z, sigma_daily, lead_time_days):
    return np.asarray(z, float) * np.nan_to_num(np.asarray(sigma_daily, float)) * np.sqrt(
        np.asarray(lead_time_days, float))


def reorder_point(mean_daily_demand, lead_time_days, safety):
    return np.asarray(mean_daily_demand, float) * np.asarray(lead_time_days, float) + np.asarray(safety, float)


def lead_time_quantile(table: pd.DataFrame, service_level) -> pd.Series:
    """Per row: the quantile of lead-time demand at its service level from the stored levels
    (lead_time_distribution.COLUMNS; linear between them, the nearest outside them); NaN where a row has none."""
    levels = np.array(lead_time_distribution.LEVELS)
    columns = [lead_time_distribution.COLUMNS[q] for q in lead_time_distribution.LEVELS]
    if not set(columns) <= set(table.columns):
        return pd.Series(np.nan, index=table.index)
    values = table[columns].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    target = np.broadcast_to(np.asarray(service_level, float), (len(table),))
    out = np.full(len(table), np.nan)
    for i, (row, q) in enumerate(zip(values, target, strict=True)):
        ok = np.isfinite(row)
        if ok.all():
            out[i] = np.interp(q, levels, row)
    return pd.Series(out, index=table.index)


def suggested_order(reorder, review_demand, on_hand, on_order):
    raw = (np.asarray(reorder, float) + np.asarray(review_demand, float) - np.asarray(on_hand, float)
           - np.asarray(on_order, float))
    return np.ceil(np.maximum(raw, 0.0) - 1e-9).astype(int)


def days_of_cover(on_hand, avg_daily_units):
    units = np.asarray(avg_daily_units, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(units > 0, np.asarray(on_hand, float) / np.where(units > 0, units, 1.0), np.nan)


def xyz_classes(weekly: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """XYZ class per SKU from weekly units over `weeks` weeks (weeks missing from the frame sold zero).

    weekly has sku, week, units. Returns sku, cv (std / mean of weekly units; NaN when nothing sold), xyz_class
    (Z when nothing sold: no steady demand to plan on).
    """
    if weekly.empty:
        return pd.DataFrame(columns=["sku", "cv", "xyz_class"])
    table = weekly.pivot_table(index="sku", columns="week", values="units", aggfunc="sum", fill_value=0)
    values = table.to_numpy(float)
    total = np.zeros((len(table), weeks))
    total[:, :min(weeks, values.shape[1])] = values[:, -weeks:]
    mean = total.mean(axis=1)
    std = total.std(axis=1, ddof=0)
    cv = np.where(mean > 0, std / np.where(mean > 0, mean, 1.0), np.nan)
    xyz = np.where(cv < XYZ_LIMITS[0], "X", np.where(cv < XYZ_LIMITS[1], "Y", "Z"))
    return pd.DataFrame({"sku": table.index, "cv": cv, "xyz_class": np.where(np.isnan(cv), "Z", xyz)})


def _numbers(table: pd.DataFrame, column: str, default) -> pd.Series:
    """A numeric column, or `default` (scalar or Series) where the column is missing or NaN."""
    fallback = default if isinstance(default, pd.Series) else pd.Series(default, index=table.index, dtype=float)
    if column not in table:
        return fallback.astype(float)
    return pd.to_numeric(table[column], errors="coerce").astype(float).fillna(fallback)


def plan(table: pd.DataFrame, service_levels: dict[str, float] | None = None,
         review_days: int = REVIEW_DAYS) -> pd.DataFrame:
    """Add the policy columns to one row per store x SKU.

    Needs: snapshot_date, on_hand, on_order, lead_time_days, avg_daily_units, abc_class, sigma_daily,
    demand_lead (forecast units over the lead time), demand_review (over the review period after it),
    stockout_date (first day the cumulative forecast reaches on hand; NaT if not within the horizon).
    Optional: cum_q90 / cum_q95 / cum_q975 / cum_q99 (quantiles of demand over the lead time; the reorder point
    uses them where they are known).
    Adds: lead_time (days used), service_level, z, mean_daily_demand, safety_stock, reorder_point, reorder_basis
    ("lead_time_quantile" or "normal": which formula made the reorder point),
    days_of_cover, target_cover_days, suggested_order, stockout_date (snapshot day when nothing is on hand),
    days_to_stockout, below_reorder_point, overstock, no_forecast.
    Optional: lead_days_covered, review_days_covered (days the forecast reaches; full when absent), mean_ahead.
    """
    levels = {**DEFAULT_SERVICE_LEVELS, **(service_levels or {})}
    out = table.copy()
    lead = pd.to_numeric(out["lead_time_days"], errors="coerce").fillna(DEFAULT_LEAD_TIME).clip(lower=1)
    out["lead_time"] = lead.astype(int)
    out["service_level"] = out["abc_class"].map(levels).fillna(levels["C"])
    out["z"] = out["service_level"].map(z_value)
    demand_lead = pd.to_numeric(out["demand_lead"], errors="coerce")
    out["no_forecast"] = demand_lead.isna()
    recent = pd.to_numeric(out["avg_daily_units"], errors="coerce").fillna(0.0)
    covered_lead = _numbers(out, "lead_days_covered", lead)
    mean_ahead = _numbers(out, "mean_ahead", np.nan)
    per_day = (demand_lead / covered_lead.where(covered_lead > 0)).fillna(mean_ahead).fillna(0.0)
    out["mean_daily_demand"] = per_day.where(~out["no_forecast"], recent)
    expected = out["mean_daily_demand"] * lead
    normal = reorder_point(out["mean_daily_demand"], lead, safety_stock(out["z"], out["sigma_daily"], lead))
    stored = lead_time_quantile(out, out["service_level"]).where(~out["no_forecast"])
    out["reorder_basis"] = np.where(stored.notna(), "lead_time_quantile", "normal")
    out["reorder_point"] = np.where(stored.notna(), np.maximum(stored, expected), normal)
    out["safety_stock"] = out["reorder_point"] - expected
    on_hand = out["on_hand"].astype(float)
    on_order = out["on_order"].astype(float)
    out["days_of_cover"] = days_of_cover(on_hand, out["avg_daily_units"])
    out["target_cover_days"] = lead + review_days
    covered_review = _numbers(out, "review_days_covered", float(review_days))
    review = (pd.to_numeric(out["demand_review"], errors="coerce").fillna(0.0)
              + (review_days - covered_review).clip(lower=0) * mean_ahead.fillna(out["mean_daily_demand"]))
    review = review.where(~out["no_forecast"], recent * review_days)
    out["suggested_order"] = suggested_order(out["reorder_point"], review, on_hand, on_order)
    snapshot = pd.to_datetime(out["snapshot_date"])
    # Without a forecast, stock runs out after on_hand / recent daily units (whole days sold out).
    days_left = np.floor(on_hand / recent.where(recent > 0))
    recent_stockout = snapshot + pd.to_timedelta(days_left, unit="D")
    stockout = pd.to_datetime(out["stockout_date"]).where(~out["no_forecast"], recent_stockout)
    out["stockout_date"] = stockout.where(on_hand > 0, snapshot)
    out["days_to_stockout"] = (out["stockout_date"] - snapshot).dt.days.astype("Int64")
    out["below_reorder_point"] = on_hand + on_order <= out["reorder_point"]
    dead_stock = (on_hand > 0) & (out["avg_daily_units"].fillna(0) <= 0)
    out["overstock"] = dead_stock | (out["days_of_cover"] > OVERSTOCK_FACTOR * out["target_cover_days"])
    return out
