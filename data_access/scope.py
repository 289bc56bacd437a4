"""The store scope in SQL: the one condition every query of store-level rows applies, from the caller's Filters.

A user's scope reaches data_access only inside a `Filters` (`stores`: None = every store, a tuple = those stores,
the empty tuple = none at all). Queries never test `f.stores` themselves: they put `in_scope(table.c.store_id, f)`
in their WHERE clause, and tests/core/test_scope.py calls every public query of data_access with a one-store and
an empty scope and fails on any row of another store.
"""

from __future__ import annotations

import sqlalchemy as sa

from data_access.filters import Filters


def in_scope(store_column: sa.ColumnElement, f: Filters) -> sa.ColumnElement:
    """The condition "store_column is one of f's stores": always true for every store, always false for none."""
    if f.stores is None:
        return sa.true()
    if not f.stores:
        return sa.false()
    return store_column.in_(f.stores)


def in_scope_or_shared(store_column: sa.ColumnElement, f: Filters) -> sa.ColumnElement:
    """Rows of f's stores, or rows of no store at all (market data such as a competitor's listing, which every
    store shares); the empty scope still sees nothing."""
    if f.stores is not None and not f.stores:
        return sa.false()
    return sa.or_(store_column.is_(None), in_scope(store_column, f))
