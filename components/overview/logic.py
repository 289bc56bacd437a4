"""Pure calculations behind the daily overview: one day vs the same weekday last week and the 7-day average."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from data_access.filters import Filters

DAY_KPIS = ("net_sales", "orders", "aov", "conversion_rate", "units")


def day_vs_last_week(daily: pd.DataFrame, day: date) -> pd.DataFrame:
    """For each KPI: value on `day`, on the same weekday a week earlier, and the mean of the 7 days before.

    `daily` is queries.daily_sales over at least day-7 .. day. Ratios (AOV, conversion) of the
    7-day average are recomputed from the summed parts, not averaged day by day.
    Columns: kpi, value, last_week, avg_7d.
    """
    frame = daily.set_index(pd.to_datetime(daily["day"]).dt.date)
    prior = frame.loc[[d for d in (day - timedelta(days=k) for k in range(1, 8)) if d in frame.index]]

    def at(d: date, col: str) -> float:
        return float(frame.at[d, col]) if d in frame.index else np.nan

    sums = prior[["net_sales", "orders", "units", "sessions"]].sum()
    n = len(prior)
    avg = {
        "net_sales": sums["net_sales"] / n if n else np.nan,
        "orders": sums["orders"] / n if n else np.nan,
        "units": sums["units"] / n if n else np.nan,
        "aov": sums["net_sales"] / sums["orders"] if sums["orders"] else np.nan,
        "conversion_rate": sums["orders"] / sums["sessions"] if sums["sessions"] else np.nan,
    }
    week_ago = day - timedelta(days=7)
    return pd.DataFrame([{"kpi": k, "value": at(day, k), "last_week": at(week_ago, k), "avg_7d": avg[k]}
                         for k in DAY_KPIS])


def day_filters(f: Filters, day: date, mode: str, picked: date | None = None) -> tuple[Filters, str]:
    """(the day's Filters, the row of periods.comparison_periods the cards compare with) for a DAY_COMPARISONS
    mode: the same weekday a week earlier and a picked day are the day's custom comparison ("previous" row),
    the day before its previous period, the same date last year its "last_year" row."""
    compare = {"last_week": day - timedelta(days=7), "custom": picked}.get(mode)
    one_day = replace(f.with_dates(day, day), compare_with=(compare, compare) if compare else None)
    return one_day, "last_year" if mode == "last_year" else "previous"


def align_comparison(previous: pd.DataFrame, shift: timedelta, column: str, x: str = "day") -> pd.DataFrame:
    """The comparison period's series moved forward by `shift` onto the current period, for an overlay.

    Columns: `x` (shifted dates), `column`, compare_x (the comparison period's own dates).
    """
    dates = pd.to_datetime(previous[x])
    return pd.DataFrame({x: dates + pd.Timedelta(shift), column: previous[column].to_numpy(), "compare_x": dates})


def stockout_risk(stock: pd.DataFrame) -> pd.DataFrame:
    """Store-SKUs that sell and will run out within the supplier lead time: days of cover below the lead time,
    unless what is on order is expected before the stock is gone. Soonest stock-out first, then the faster
    seller (more sales lost per day)."""
    selling = stock[stock["avg_daily_units"] > 0]
    risky = selling[selling["days_of_cover"] < selling["lead_time_days"].astype(float)]
    if "expected_arrival" in risky:
        arrives_in = (pd.to_datetime(risky["expected_arrival"]) - pd.to_datetime(risky["snapshot_date"])).dt.days
        in_time = (risky["on_order"] > 0) & (arrives_in.clip(lower=1) <= np.floor(risky["days_of_cover"]))
        risky = risky[~in_time.fillna(False)]
    keys = [k for k in ("days_of_cover", "avg_daily_units", "store_id", "sku") if k in risky]
    return risky.sort_values(keys, ascending=[k != "avg_daily_units" for k in keys]).reset_index(drop=True)


#: Priorities from most to least urgent (unknown ones last).
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
OLD_DAYS = 30


def tickets_by_urgency(tickets: pd.DataFrame, as_of, old_days: int = OLD_DAYS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split tickets past SLA (service_queries.open_tickets_past_sla) into (recent, old).

    recent: created within `old_days` days of as_of; those that went past their target in the last 24 hours lead,
    the most urgent priority first, then the rest by newest breach. old: the older ones, oldest last, to be
    shown grouped instead of leading the list.
    """
    created = pd.to_datetime(tickets["created_at"])
    old = created < pd.Timestamp(as_of) - pd.Timedelta(days=old_days)
    later = (tickets["overdue_hours"] > 24).astype(int)
    rank = tickets["priority"].map(PRIORITY_RANK).fillna(len(PRIORITY_RANK))
    out = tickets.assign(_today=later, _rank=rank.where(later == 0, 0))
    recent = out[~old].sort_values(["_today", "_rank", "overdue_hours", "ticket_id"]).drop(columns=["_today", "_rank"])
    older = out[old].sort_values(["overdue_hours", "ticket_id"]).drop(columns=["_today", "_rank"])
    return recent.reset_index(drop=True), older.reset_index(drop=True)
