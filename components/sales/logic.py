"""Pure helpers behind the sales page: event markers, funnel step rates, sparklines, trend comparison."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from data_access.calendar import shop_events

FUNNEL_STEPS = ("sessions", "product_views", "add_to_carts", "checkouts", "orders")


def event_markers(start: date, end: date, label) -> pd.DataFrame:
    """The shop events (618, Double 11, Double 12, Spring Festival) inside the range: ds, label(name)."""
    events = shop_events(start, end)
    events = events[(events["ds"] >= pd.Timestamp(start)) & (events["ds"] <= pd.Timestamp(end))]
    return pd.DataFrame({"ds": pd.to_datetime(events["ds"]), "label": [label(h) for h in events["holiday"]]})


def funnel_steps(funnel: pd.DataFrame, channels: list[str] | None = None) -> pd.DataFrame:
    """One row per step summed over the channels: step, value, rate (share kept from the previous step)."""
    rows = funnel if not channels else funnel[funnel["channel"].isin(channels)]
    values = [float(rows[s].sum()) for s in FUNNEL_STEPS]
    rates = [np.nan] + [b / a if a else np.nan for a, b in zip(values[:-1], values[1:], strict=True)]
    return pd.DataFrame({"step": FUNNEL_STEPS, "value": values, "rate": rates})


def weakest_step(steps: pd.DataFrame) -> str | None:
    """The step with the lowest rate from its previous step (the biggest drop), None without data."""
    rates = steps.dropna(subset=["rate"])
    return None if rates.empty else str(rates.loc[rates["rate"].idxmin(), "step"])


def funnel_table(funnel: pd.DataFrame) -> pd.DataFrame:
    """Per channel: each step's count and its rate from the previous step, and the weakest step."""
    out = funnel.copy()
    for a, b in zip(FUNNEL_STEPS[:-1], FUNNEL_STEPS[1:], strict=True):
        out[f"{b}_rate"] = out[b] / out[a].where(out[a] > 0)
    rate_cols = [f"{b}_rate" for b in FUNNEL_STEPS[1:]]
    weakest = out[rate_cols].astype(float).idxmin(axis=1, skipna=True) if len(out) else pd.Series(dtype=str)
    out["weakest_step"] = weakest.str.removesuffix("_rate") if len(out) else weakest
    return out


def sparklines(weekly: pd.DataFrame, skus: list[str], start: date, end: date) -> dict[str, list[float]]:
    """Weekly net sales per SKU over every week of the range (missing weeks as 0), for LineChartColumn."""
    weeks = pd.date_range(pd.Timestamp(start) - pd.Timedelta(days=pd.Timestamp(start).weekday()), end, freq="W-MON")
    table = weekly.pivot_table(index="sku", columns="week", values="net_sales", aggfunc="sum")
    table = table.reindex(index=skus, columns=weeks).fillna(0.0)
    return {sku: [round(float(v), 2) for v in row] for sku, row in zip(table.index, table.to_numpy(), strict=True)}


def partial_buckets(trend: pd.DataFrame, start: date, end: date, grain: str) -> pd.DataFrame:
    """The week or month buckets the range [start, end] covers only in part.

    `trend` has a period_start column (bucket starts: Mondays or first days of months). Returns
    period_start, days_covered, days_in_bucket for each partial bucket (none at the day grain).
    """
    columns = ["period_start", "days_covered", "days_in_bucket"]
    if grain == "day" or trend.empty:
        return pd.DataFrame(columns=columns)
    starts = pd.to_datetime(trend["period_start"])
    ends = starts + (pd.Timedelta(days=7) if grain == "week" else pd.offsets.MonthBegin(1))
    lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    covered = (ends.where(ends < hi, hi) - starts.where(starts > lo, lo)).dt.days
    full = (ends - starts).dt.days
    out = pd.DataFrame({"period_start": starts, "days_covered": covered, "days_in_bucket": full})
    return out[out["days_covered"] < out["days_in_bucket"]].reset_index(drop=True)
