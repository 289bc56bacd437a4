"""China shopping-calendar events (618, Double 11, Double 12, Spring Festival) as data and demand multipliers.

`shop_events` returns the events in Prophet's holiday format, so a forecaster can pass the frame
straight to ``Prophet(holidays=...)``; `event_multiplier` is the demand shape the demo generator
plants around those same days, so forecasts and planted truth share one calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays
import numpy as np
import pandas as pd

#: Name holidays.China gives the first day of the lunar new year (with language="en_US").
_SPRING_FESTIVAL_NAME = "Chinese New Year (Spring Festival)"


@dataclass(frozen=True)
class EventProfile:
    """One recurring event: its window around the event day and the demand multiplier per offset."""

    lower_window: int
    upper_window: int
    #: offset from the event day -> multiplier of baseline demand; offsets not listed are 1.0.
    multipliers: dict[int, float]


def _ramp(first: int, last: int, start: float, end: float) -> dict[int, float]:
    """Multipliers rising (or falling) linearly from start at offset first to end at offset last."""
    steps = last - first
    return {first + i: start + (end - start) * i / steps for i in range(steps + 1)}


#: The planted demand shape of each event. Windows cover every offset whose multiplier is not 1.
EVENT_PROFILES: dict[str, EventProfile] = {
    # JD's 618 runs from June 1: a steady ramp, the spike on the 18th, a short tail.
    "618": EventProfile(-17, 2, {**_ramp(-17, -1, 1.10, 1.60), 0: 3.0, 1: 1.35, 2: 1.10}),
    # Double 11: presale from late October, a first wave around Nov 1, the biggest day of the year.
    "double_11": EventProfile(
        -21, 1, {**_ramp(-21, -12, 1.10, 1.35), -11: 1.9, -10: 1.7, **_ramp(-9, -1, 1.35, 1.70), 0: 5.5, 1: 1.5}
    ),
    "double_12": EventProfile(-4, 1, {**_ramp(-4, -1, 1.10, 1.30), 0: 2.2, 1: 1.10}),
    # Couriers stop about a week before the new year until a week after: orders collapse, then recover.
    "spring_festival": EventProfile(
        -10, 7, {-10: 0.85, -9: 0.75, -8: 0.65, **{o: 0.45 for o in range(-7, 0)}, **{o: 0.35 for o in range(0, 5)},
                 5: 0.45, 6: 0.55, 7: 0.75}
    ),
}

#: Fixed-date events: name -> (month, day).
_FIXED_DATES = {"618": (6, 18), "double_11": (11, 11), "double_12": (12, 12)}


def spring_festival_dates(years: range | list[int]) -> list[date]:
    """Chinese New Year's day (first day of the Spring Festival) of each year, from the holidays package."""
    calendar = holidays.country_holidays("CN", years=list(years), language="en_US")
    firsts: dict[int, date] = {}
    for day, name in calendar.items():
        if name == _SPRING_FESTIVAL_NAME and (day.year not in firsts or day < firsts[day.year]):
            firsts[day.year] = day
    return [firsts[y] for y in sorted(firsts)]


def shop_events(start: date, end: date) -> pd.DataFrame:
    """Shop events whose window touches [start, end], in Prophet's holiday format.

    Columns: holiday (str: 618, double_11, double_12, spring_festival), ds (datetime64, the event day),
    lower_window (int, <= 0), upper_window (int, >= 0). Sorted by ds.
    """
    years = range(start.year - 1, end.year + 2)
    rows = [(name, date(y, m, d)) for name, (m, d) in _FIXED_DATES.items() for y in years]
    rows += [("spring_festival", d) for d in spring_festival_dates(years)]
    records = []
    for name, day in rows:
        profile = EVENT_PROFILES[name]
        first, last = day + timedelta(profile.lower_window), day + timedelta(profile.upper_window)
        if last >= start and first <= end:
            records.append((name, pd.Timestamp(day), profile.lower_window, profile.upper_window))
    frame = pd.DataFrame(records, columns=["holiday", "ds", "lower_window", "upper_window"])
    return frame.sort_values(["ds", "holiday"], ignore_index=True)


def _as_days(days) -> np.ndarray:
    """Any sequence of dates / datetimes as a datetime64[D] array."""
    return np.asarray(pd.to_datetime(pd.Series(days)).to_numpy(), dtype="datetime64[D]")


def _event_offsets(days: np.ndarray, margin: int = 0):
    """Yield (event name, offset from the event day) arrays for every event within margin days of the days."""
    if days.size == 0:
        return
    start = pd.Timestamp(days.min()).date() - timedelta(margin)
    end = pd.Timestamp(days.max()).date() + timedelta(margin)
    for row in shop_events(start, end).itertuples(index=False):
        offsets = (days - np.datetime64(row.ds.date(), "D")).astype(np.int64)
        yield row.holiday, offsets


def event_multiplier(days) -> np.ndarray:
    """Planted demand multiplier (1.0 = an ordinary day) for each day; events overlapping multiply.

    days: any sequence of dates; returns a float array of the same length.
    """
    days = _as_days(days)
    result = np.ones(days.size)
    for name, offsets in _event_offsets(days):
        for offset, factor in EVENT_PROFILES[name].multipliers.items():
            result[offsets == offset] *= factor
    return result


def event_mask(days, margin: int = 0) -> np.ndarray:
    """True for days inside any event window widened by margin days on both sides."""
    days = _as_days(days)
    result = np.zeros(days.size, dtype=bool)
    for name, offsets in _event_offsets(days, margin):
        profile = EVENT_PROFILES[name]
        result |= (offsets >= profile.lower_window - margin) & (offsets <= profile.upper_window + margin)
    return result


def peak_days(days) -> np.ndarray:
    """True on the main day of 618, Double 11 and Double 12 (when midnight presale orders spike)."""
    days = _as_days(days)
    result = np.zeros(days.size, dtype=bool)
    for name, offsets in _event_offsets(days):
        if name in _FIXED_DATES:
            result |= offsets == 0
    return result
