"""The demand calendar: weekly pattern, yearly seasonality, growth, shopping events, hours of the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from data_access import calendar
from data_access.demo import text
from data_access.demo.config import HISTORY_DAYS, LOOKAHEAD_DAYS
from data_access.demo.util import DAY, choice

#: Monday .. Sunday: online shops sell most on weekends and Sunday evenings.
WEEKDAY = np.array([0.97, 0.93, 0.92, 0.95, 1.02, 1.16, 1.20])
GROWTH_PER_YEAR = 0.15

#: Relative orders per hour of an ordinary day: lunch bump, evening peak 20-23h.
HOURS_NORMAL = np.array([2.2, 1.2, 0.6, 0.35, 0.3, 0.35, 0.7, 1.4, 2.4, 3.4, 4.2, 4.6,
                         5.2, 5.0, 4.4, 4.3, 4.3, 4.5, 4.9, 5.6, 6.6, 7.4, 7.2, 4.8])
#: Peak days (618, Double 11, Double 12): presale balances are paid right after midnight.
HOURS_PEAK = HOURS_NORMAL + np.array([30.0, 12.0, 3.0] + [0.0] * 18 + [2.0, 4.0, 3.0])
#: Physical stores trade 10:00-22:00.
HOURS_OFFLINE = np.array([0] * 10 + [3, 5, 7, 7, 6, 6, 7, 8, 9, 10, 8, 5] + [0, 0], dtype=float)


@dataclass
class Timeline:
    """Daily factors over the history plus a look-ahead; index 0 is the first day of history."""

    start: date
    end: date
    n_days: int  # days of history
    weekday: np.ndarray  # 0 = Monday
    event: np.ndarray  # calendar.event_multiplier
    eventness: np.ndarray  # 0 ordinary .. 1 Double 11 day: drives discounts and delivery congestion
    festival: np.ndarray  # True in the Spring Festival logistics slowdown
    peak: np.ndarray  # True on the main event days (midnight spike)
    repeat_factor: np.ndarray  # demand shape without growth (repeat purchases)
    total_factor: np.ndarray  # repeat_factor x growth (target orders)
    category_share: np.ndarray  # (days, categories): share of lines per category each day

    def day_of(self, seconds: np.ndarray) -> np.ndarray:
        return np.floor(np.asarray(seconds) / DAY).astype(np.int64)

    def sample_seconds(self, rng: np.random.Generator, day: np.ndarray, offline: np.ndarray | None = None
                       ) -> np.ndarray:
        """A time of day for orders on the given days (seconds since the start of history)."""
        day = np.asarray(day, dtype=np.int64)
        hour = np.empty(day.size, dtype=np.int64)
        peak = self.peak[day]
        kinds = [(~peak, HOURS_NORMAL), (peak, HOURS_PEAK)]
        if offline is not None:
            kinds = [(mask & ~offline, hours) for mask, hours in kinds] + [(offline, HOURS_OFFLINE)]
        for mask, hours in kinds:
            hour[mask] = choice(rng, hours, int(mask.sum()))
        return day * DAY + hour * 3600.0 + rng.random(day.size) * 3600.0


def make_timeline(end: date) -> Timeline:
    n = HISTORY_DAYS
    start = end - timedelta(days=n - 1)
    total = n + LOOKAHEAD_DAYS
    days = np.datetime64(start, "D") + np.arange(total).astype("timedelta64[D]")
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    doy = (days - days.astype("datetime64[Y]")).astype(np.int64)
    event = calendar.event_multiplier(days)
    yearly = 1 + 0.06 * np.cos(2 * np.pi * (doy - 345) / 365.25) - 0.03 * np.cos(2 * np.pi * (doy - 200) / 182.6)
    growth = (1 + GROWTH_PER_YEAR) ** (np.arange(total) / 365.25)
    repeat = WEEKDAY[weekday] * yearly * event
    cats = list(text.CATEGORIES.values())
    shares = np.array([c[0] for c in cats])
    amp = np.array([c[3] for c in cats])
    peak_doy = np.array([c[4] for c in cats])
    seasonal = 1 + amp[None, :] * np.cos(2 * np.pi * (doy[:, None] - peak_doy[None, :]) / 365.25)
    cat_share = shares[None, :] * seasonal
    cat_share /= cat_share.sum(axis=1, keepdims=True)
    return Timeline(
        start=start, end=end, n_days=n, weekday=weekday, event=event,
        eventness=np.clip((event - 1.0) / 4.5, 0.0, 1.0),
        festival=event < 0.8,
        peak=calendar.peak_days(days),
        repeat_factor=repeat, total_factor=repeat * growth, category_share=cat_share,
    )
