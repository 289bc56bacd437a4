"""Comparison periods and time buckets (day, ISO week, month) shared by the review and ticket queries."""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa

from data_access.customer_queries import GRAINS, _bucket
from data_access.filters import Filters


def comparison_periods(f: Filters) -> dict[str, Filters]:
    """current = f; previous = the equal-length period just before; last_year = the same dates a year earlier."""
    return {"current": f, "previous": f.previous_period(), "last_year": f.last_year()}


def bucket(expr: sa.ColumnElement, grain: str) -> sa.ColumnElement:
    """The first day of expr's day, ISO week (Monday) or month, as a SQL date."""
    return _bucket(expr, grain)


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
