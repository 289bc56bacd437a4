"""The filter a caller passes to every sales query: date range, store scope, channel and category picks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

#: The category key of products that have none (or sales of SKUs missing from the catalogue).
UNCATEGORISED = ""
#: The widest date range (the day after LAST_DAY still fits a datetime).
FIRST_DAY, LAST_DAY = date(1, 1, 1), date(9999, 12, 30)


def _as_tuple(values) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return (values,)
    return tuple(sorted(str(v) for v in values))


@dataclass(frozen=True)
class Filters:
    """Inclusive date range plus the row scope; hashable so it can be part of a cache key.

    `stores=None` means every store (only for users whose scope is "all"); an empty tuple means no
    store at all and yields empty results, never everything. `channels`/`categories` None = no filter;
    UNCATEGORISED ("") in `categories` picks products without a category.
    """

    start: date
    end: date
    stores: tuple[str, ...] | None = None
    channels: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    #: A custom comparison period (inclusive start, end) chosen in the filter bar; None = the previous period of
    #: equal length. Part of equality, so a cached comparison never answers for another choice.
    compare_with: tuple[date, date] | None = None
    #: Set inside data_access only (queries.with_order_ranges): every order this filter selects has an id in
    #: this closed range. A pruning hint for reading order lines, never a filter of its own, so it is not
    #: part of equality, and a page's cache key never carries it.
    order_id_range: tuple[str, str] | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        object.__setattr__(self, "stores", _as_tuple(self.stores))
        object.__setattr__(self, "channels", _as_tuple(self.channels))
        object.__setattr__(self, "categories", _as_tuple(self.categories))
        if self.compare_with is not None:
            first, last = self.compare_with
            object.__setattr__(self, "compare_with", (min(first, last), max(first, last)))

    @classmethod
    def all_time(cls, stores: tuple[str, ...] | None = None) -> Filters:
        """Every day the database can hold, in `stores`: the filter of lookups that ask only for a scope."""
        return cls(FIRST_DAY, LAST_DAY, stores)

    @property
    def days(self) -> int:
        """Length of the period in days, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min)

    @property
    def end_before(self) -> datetime:
        """Exclusive upper bound: midnight after the last day."""
        return datetime.combine(self.end + timedelta(days=1), time.min)

    def with_dates(self, start: date, end: date) -> Filters:
        """The same scope and picks over other dates (without a comparison choice: a derived period has none)."""
        return replace(self, start=start, end=end, order_id_range=None, compare_with=None)

    def previous_period(self) -> Filters:
        """The period of equal length that ends the day before this one starts."""
        return self.with_dates(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def comparison_period(self) -> Filters:
        """The period KPI changes are measured against: the custom comparison if one was chosen, else the
        previous period of equal length."""
        if self.compare_with is not None:
            return self.with_dates(*self.compare_with)
        return self.previous_period()

    def last_year(self) -> Filters:
        """The same calendar dates one year earlier (29 Feb maps to 28 Feb), so fixed-date events line up."""
        return self.with_dates(shift_year(self.start, -1), shift_year(self.end, -1))


def shift_year(day: date, years: int) -> date:
    """The same month and day `years` later, clamped to 28 Feb in non-leap years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
