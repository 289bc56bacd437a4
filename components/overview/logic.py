"""Pure calculations behind the daily overview: one day vs the same weekday last week and the 7-day average."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

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


def align_comparison(previous: pd.DataFrame, shift: timedelta, column: str, x: str = "day") -> pd.DataFrame:
    """The comparison period's series moved forward by `shift` onto the current period, for an overlay.

    Columns: `x` (shifted dates), `column`, compare_x (the comparison period's own dates).
    """
    dates = pd.to_datetime(previous[x])
    return pd.DataFrame({x: dates + pd.Timedelta(shift), column: previous[column].to_numpy(), "compare_x": dates})


def stockout_risk(stock: pd.DataFrame, limit: int = 20) -> pd.DataFrame:
    """Store-SKUs that sell and whose days of cover are below the supplier lead time, lowest cover first."""
    selling = stock[stock["avg_daily_units"] > 0]
    risky = selling[selling["days_of_cover"] < selling["lead_time_days"].astype(float)]
    return risky.sort_values(["days_of_cover", "avg_daily_units"], ascending=[True, False]).head(limit)
