"""Date-range presets of the filter bar as pure functions of 'today'."""

from __future__ import annotations

from datetime import date, timedelta

PRESETS = ("today", "yesterday", "last_7_days", "last_30_days", "last_90_days", "month_to_date", "custom")


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """The inclusive (start, end) of a preset. 'Last N days' are the N full days up to yesterday."""
    yesterday = today - timedelta(days=1)
    if preset == "today":
        return today, today
    if preset == "yesterday":
        return yesterday, yesterday
    if preset.startswith("last_") and preset.endswith("_days"):
        n = int(preset.split("_")[1])
        return yesterday - timedelta(days=n - 1), yesterday
    if preset == "month_to_date":
        return today.replace(day=1), today
    raise ValueError(f"no fixed range for preset {preset!r}")


#: What the KPI changes are measured against: the previous period of equal length, the same dates last year,
#: or a period the user picks.
COMPARISONS = ("previous", "last_year", "custom")
#: What the daily overview's cards are measured against: the same weekday a week earlier (the default, the
#: morning reading), the day before, the same date last year, or a day the user picks.
DAY_COMPARISONS = ("last_week", "previous", "last_year", "custom")
