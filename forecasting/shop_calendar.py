"""Holidays Prophet learns: shop events (618, Double 11, Double 12, Spring Festival) and China's public holidays."""

from __future__ import annotations

import re
from datetime import date

import holidays
import pandas as pd

from data_access.calendar import shop_events

#: Public-holiday names left out: the Spring Festival shop event's window already spans the whole slowdown,
#: and "Day off" entries are the bridging days of the holidays next to them.
_LEFT_OUT = ("Chinese New Year", "Spring Festival", "Day off")


def china_holidays(start: date, end: date) -> pd.DataFrame:
    """Shop events with their planted windows plus China's public holidays between start and end.

    Columns (Prophet's holiday format): holiday (str), ds (datetime64), lower_window (int <= 0),
    upper_window (int >= 0). Public holidays get a one-day window each side (logistics slow down around them).
    """
    events = shop_events(start, end)
    calendar = holidays.country_holidays("CN", years=range(start.year, end.year + 1), language="en_US")
    public = [(_slug(name), pd.Timestamp(day), -1, 1) for day, name in sorted(calendar.items())
              if start <= day <= end and not any(word in name for word in _LEFT_OUT)]
    public_frame = pd.DataFrame(public, columns=["holiday", "ds", "lower_window", "upper_window"])
    frame = pd.concat([events, public_frame], ignore_index=True) if public else events
    return frame.sort_values(["ds", "holiday"], ignore_index=True)


def _slug(name: str) -> str:
    """'Mid-Autumn Festival' -> 'cn_mid_autumn_festival' (English name without the bracketed part)."""
    return "cn_" + re.sub(r"[^a-z]+", "_", name.split(" (")[0].lower()).strip("_")
