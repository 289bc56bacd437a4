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


def with_targets(table: sa.Table, targets: Targets) -> tuple[sa.FromClause, sa.ColumnElement, sa.ColumnElement]:
    """`table` LEFT JOIN the listed targets on priority, and SQL for its first-response and resolution targets.

    The targets travel as one small table of bound rows (a CASE per row of tickets would evaluate every
    bound value on every row); the OTHER row, when present, covers unlisted and missing priorities.
    Returns (from clause, first response hours, resolution hours); a target is NULL where there is none.
    """
    listed = [row for row in targets if row[0] != OTHER]
    other = next((row for row in targets if row[0] == OTHER), (OTHER, None, None))

    def hours(value: float | None) -> sa.ColumnElement:
        return sa.cast(sa.null() if value is None else sa.literal(value, sa.Double), sa.Double)

    if not listed:
        return table, hours(other[1]), hours(other[2])
    rows = sa.union_all(*[
        sa.select(sa.cast(sa.literal(name, sa.String), sa.String).label("priority"),
                  hours(first).label("first_response"), hours(resolution).label("resolution"))
        for name, first, resolution in listed
    ]).subquery("sla_targets")
    joined = table.outerjoin(rows, rows.c.priority == table.c.priority)
    unlisted = rows.c.priority.is_(None)
    first = sa.case((unlisted, hours(other[1])), else_=rows.c.first_response)
    resolution = sa.case((unlisted, hours(other[2])), else_=rows.c.resolution)
    return joined, sa.cast(first, sa.Double), sa.cast(resolution, sa.Double)


def hours_between(later, earlier) -> sa.ColumnElement:
    """Calendar hours between two timestamps, in SQL that DuckDB and PostgreSQL both run."""
    return sa.extract("epoch", later - earlier) / 3600.0
