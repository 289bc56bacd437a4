"""SQL aggregates every area shares: conditional counts and percentiles that DuckDB and PostgreSQL both run."""

from __future__ import annotations

import sqlalchemy as sa

from data_access.sales.core import FLOAT


def count_if(cond) -> sa.ColumnElement:
    """How many rows of the group satisfy cond (0 for none), as a BIGINT."""
    return sa.cast(sa.func.sum(sa.case((cond, 1), else_=0)), sa.BigInteger)


def percentile(q: float, expr) -> sa.ColumnElement:
    """The q-quantile of expr over the group (linear interpolation, as pandas' default); NULLs are left out."""
    # The fraction is written into the SQL (a constant of ours): PostgreSQL cannot type a bound one here.
    return sa.cast(sa.func.percentile_cont(sa.literal_column(repr(float(q)))).within_group(expr), FLOAT)
