"""Comparison periods and time buckets (day, ISO week, month): the one place queries bucket time."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters


def comparison_periods(f: Filters) -> dict[str, Filters]:
    """current = f; previous = f's comparison period (the equal-length period just before, or the custom
    comparison chosen in the filter bar); last_year = the same dates a year earlier."""
    return {"current": f, "previous": f.comparison_period(), "last_year": f.last_year()}


def periods_table(periods: dict[str, Filters], as_of: datetime | None = None) -> sa.Subquery:
    """The named periods as a small table of bound rows, to join on and GROUP BY.

    Columns: period, start_at, end_before (the half-open range of timestamps), and with as_of a cut
    (the earlier of end_before and as_of: the moment the period's end is judged at).
    """
    rows = []
    for name, p in periods.items():
        columns = [sa.cast(sa.literal(name, sa.String), sa.String).label("period"),
                   sa.cast(sa.literal(p.start_at, sa.DateTime), sa.DateTime).label("start_at"),
                   sa.cast(sa.literal(p.end_before, sa.DateTime), sa.DateTime).label("end_before")]
        if as_of is not None:
            columns.append(sa.cast(sa.literal(min(p.end_before, as_of), sa.DateTime), sa.DateTime).label("cut"))
        rows.append(sa.select(*columns))
    return sa.union_all(*rows).subquery("periods")


def in_order(df: pd.DataFrame, periods: dict[str, Filters]) -> pd.DataFrame:
    """One row per named period in the dict's order (periods missing from df get NaN), period as a column."""
    return df.set_index("period").reindex(list(periods)).rename_axis("period").reset_index()


#: Time buckets of trends: day, ISO week (starting Monday), month.
GRAINS = ("day", "week", "month")


def bucket(expr: sa.ColumnElement, grain: str) -> sa.ColumnElement:
    """The first day of expr's day, ISO week (Monday) or month, as a SQL date."""
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}; expected one of {GRAINS}")
    if grain == "day":
        return sa.cast(expr, sa.Date)
    return sa.cast(sa.func.date_trunc(grain, expr), sa.Date)


def bucket_starts(start: date, end: date, grain: str) -> pd.DatetimeIndex:
    """Every bucket start from the bucket holding `start` to the one holding `end`, as bucket() names them."""
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}; expected one of {GRAINS}")
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    if grain == "day":
        return pd.date_range(first, last, freq="D")
    if grain == "week":
        return pd.date_range(first - pd.Timedelta(days=first.weekday()), last, freq="W-MON")
    return pd.date_range(first.replace(day=1), last, freq="MS")


def default_grain(f: Filters) -> str:
    """Days up to two months, weeks up to about a year, months beyond (as the sales trend does)."""
    return "day" if f.days <= 62 else "week" if f.days <= 370 else "month"
