"""Service-level targets per ticket priority: the one default table, validated, and turned into bound SQL."""

from __future__ import annotations

import math
from collections.abc import Mapping

import sqlalchemy as sa

#: The row that applies to every priority not listed (and to tickets without a priority).
OTHER = "*"

#: priority -> (first response hours, resolution hours); None = no target for that part.
#: Defaults follow common help-desk policies; DESIGN.md's generic 4 h / 48 h is "normal" and "any other".
DEFAULT_SLA_TARGETS: dict[str, tuple[float | None, float | None]] = {
    "urgent": (1.0, 8.0),
    "high": (2.0, 24.0),
    "normal": (4.0, 48.0),
    "low": (8.0, 72.0),
    OTHER: (4.0, 48.0),
}

#: The hashable form queries take (so it can be part of a cache key): ((priority, first response h, resolution h), ...).
Targets = tuple[tuple[str, float | None, float | None], ...]


def _hours(value) -> float | None:
    """A target in hours as a float, None when blank; ValueError when negative or not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        hours = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"not a number of hours: {value!r}") from None
    if math.isnan(hours):
        return None
    if hours < 0 or math.isinf(hours):
        raise ValueError(f"a target must be a positive number of hours, not {value!r}")
    return hours


def as_targets(mapping: Mapping[str, tuple] | None = None) -> Targets:
    """The targets (default: DEFAULT_SLA_TARGETS) validated and sorted into the hashable form queries take."""
    mapping = DEFAULT_SLA_TARGETS if mapping is None else mapping
    rows = []
    for priority, (first_response, resolution) in mapping.items():
        name = str(priority).strip()
        if not name:
            raise ValueError("a target row needs a priority")
        rows.append((name, _hours(first_response), _hours(resolution)))
    return tuple(sorted(rows))


def target_hours(priority: sa.ColumnElement, targets: Targets, part: str) -> sa.ColumnElement:
    """SQL for a ticket's target in hours ('first_response' or 'resolution'), NULL where it has none.

    Every value is a bound parameter; the OTHER row, when present, covers unlisted and missing priorities.
    """
    if part not in ("first_response", "resolution"):
        raise ValueError(f"unknown SLA part {part!r}")
    index = 1 if part == "first_response" else 2

    def value(hours: float | None):
        return sa.null() if hours is None else sa.literal(hours, sa.Double)

    listed = [(priority == name, value(row[index])) for row in targets if (name := row[0]) != OTHER]
    other = next((row[index] for row in targets if row[0] == OTHER), None)
    if not listed:
        return sa.cast(value(other), sa.Double)
    # Cast: when every branch is NULL, PostgreSQL would otherwise type the CASE as text.
    return sa.cast(sa.case(*listed, else_=value(other)), sa.Double)


def hours_between(later, earlier) -> sa.ColumnElement:
    """Calendar hours between two timestamps, in SQL that DuckDB and PostgreSQL both run."""
    return sa.extract("epoch", later - earlier) / 3600.0
