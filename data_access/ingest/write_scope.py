"""The write-side store rule of every import (issues 14 and 17): a row may only overwrite or attach to rows of the
importing user's stores, an order, review or ticket id never moves from one store to another, and shop-wide
tables are written only by the roles allowed to.

Every table an import can write has exactly one policy here; import_tables refuses a table without one, and
tests/upload/test_write_scope.py finds every importable kind and checks its policy on both backends.
The check runs inside the import's own transaction (after the import lock), so what it read is what is written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.ingest.errors import IngestError

#: Roles that may write a shop-wide table (rows without a store: one product's cost is every store's cost).
#: role None is a trusted caller (the CLI, run by whoever holds the database credentials).
SHOP_WIDE_WRITERS: dict[str, tuple[str, ...]] = {
    "products": ("admin",),
    "customers": ("admin",),
    "campaigns": ("admin", "marketer"),
    "marketing_spend": ("admin", "marketer"),
    "ingest_mappings": ("admin",),
}
#: Tables whose rows carry their store: table -> the store column.
STORE_COLUMN: dict[str, str] = {
    "stores": "store_id", "orders": "store_id", "inventory": "store_id", "traffic": "store_id",
    "reviews": "store_id", "tickets": "store_id", "listings": "store_id", "daily_metrics": "store_id",
}
#: Store tables whose rows may have no store: such a row is shared by every store (a competitor's listing is
#: market data), so any importing user may rewrite it; rows of a store stay that store's.
SHARED_WITHOUT_STORE = ("listings",)
#: Tables whose rows attach to a parent row that carries the store: table -> (parent table, joining column).
PARENT: dict[str, tuple[str, str]] = {"order_items": ("orders", "order_id")}
_CHUNK = 5000


@dataclass(frozen=True)
class Policy:
    """How one table's writes are checked: 'shop_wide' (roles), 'store' (its store column) or 'parent'."""

    table: str
    rule: str


def policy(table: str) -> Policy:
    """The policy of table; ValueError for a table nobody decided about (an import must not write it)."""
    if table in SHOP_WIDE_WRITERS:
        return Policy(table, "shop_wide")
    if table in STORE_COLUMN:
        return Policy(table, "store")
    if table in PARENT:
        return Policy(table, "parent")
    raise ValueError(f"{table}: no write policy in data_access.ingest.write_scope; an import may not write it")


def may_write_shop_wide(table: str, role: str | None) -> bool:
    return role is None or role in SHOP_WIDE_WRITERS.get(table, ())


def check(conn: sa.Connection, tables: dict[str, pd.DataFrame], *, stores: tuple[str, ...] | None,
          role: str | None, filename: str | None = None) -> None:
    """IngestError (code write_*) when any row of tables would write outside the rules above.

    stores: the user's store scope (None = every store); role: the user's role (None = trusted caller).
    """
    for name, frame in tables.items():
        if frame is None or frame.empty:
            continue
        rule = policy(name).rule
        if rule == "shop_wide" and not may_write_shop_wide(name, role):
            raise IngestError("write_shop_wide", {"table": name, "roles": ", ".join(SHOP_WIDE_WRITERS[name]),
                                                  "role": role}, file=filename)
        if rule == "store":
            _check_store_rows(conn, name, frame, stores, filename)
        if rule == "parent":
            _check_parents(conn, name, frame, tables, stores, filename)


def _check_store_rows(conn: sa.Connection, name: str, frame: pd.DataFrame, stores: tuple[str, ...] | None,
                      filename: str | None) -> None:
    column = STORE_COLUMN[name]
    if stores is not None and column in frame.columns:
        outside = frame[column].dropna().astype(str)
        outside = outside[~outside.isin(set(stores))]
        if len(outside):
            raise IngestError("write_out_of_scope", {"store": outside.iloc[0], "rows": len(outside)}, file=filename)
    table = schema.metadata.tables[name]
    keys = [c.name for c in table.primary_key.columns]
    if column in keys:
        return  # the store is part of the key: a row of another store is another row, never overwritten
    # A composite key (a listing: day, source, item) is looked up by its last, most selective column, then
    # matched on the whole key.
    key = keys[-1]
    stored = _stored(conn, table, key, column, frame[key].dropna().unique().tolist(), keys[:-1]).rename(
        columns={column: f"{column}_stored"})
    if stored.empty:
        return
    arriving = frame[keys + [column]] if column in frame.columns else frame[keys]
    arriving = arriving.astype(dict.fromkeys(keys, "str"))
    merged = stored.astype(dict.fromkeys(keys, "str")).merge(arriving, on=keys)
    incoming = merged[column] if column in merged.columns else pd.Series(None, index=merged.index, dtype=object)
    moved = merged[merged[f"{column}_stored"].astype("string").fillna("")
                   != incoming.astype("string").fillna("")]
    if stores is not None:
        stored_store = merged[f"{column}_stored"]
        foreign = merged[~stored_store.isin(set(stores))
                         & ~(stored_store.isna() & (name in SHARED_WITHOUT_STORE))]
        if len(foreign):
            raise IngestError("write_foreign_row", {"key": key, "id": foreign[key].iloc[0], "rows": len(foreign)},
                              file=filename)
    if len(moved):
        row = moved.iloc[0]
        raise IngestError("write_moves_store", {"key": key, "id": row[key], "stored": row[f"{column}_stored"],
                                                "store": row[column] if column in moved.columns else "-",
                                                "rows": len(moved)}, file=filename)


def _check_parents(conn: sa.Connection, name: str, frame: pd.DataFrame, tables: dict[str, pd.DataFrame],
                   stores: tuple[str, ...] | None, filename: str | None) -> None:
    if stores is None:
        return
    parent_name, column = PARENT[name]
    parent = schema.metadata.tables[parent_name]
    store = STORE_COLUMN[parent_name]
    wanted = frame[column].dropna().unique().tolist()
    stored = _stored(conn, parent, column, store, wanted)
    arriving = tables.get(parent_name)
    if arriving is not None and store in arriving.columns:
        stored = pd.concat([stored, arriving[[column, store]]], ignore_index=True)
    foreign = stored[~stored[store].isin(set(stores))]
    if len(foreign):
        raise IngestError("write_foreign_parent", {"key": column, "id": foreign[column].iloc[0],
                                                   "rows": int(foreign[column].nunique())}, file=filename)


def _stored(conn: sa.Connection, table: sa.Table, key: str, column: str, values: list,
            other_keys: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """(other_keys..., key, column) of the stored rows whose key is among values (bound parameters, in chunks)."""
    rows: list[tuple] = []
    names = [*other_keys, key, column]
    if values and sa.inspect(conn).has_table(table.name):
        for start in range(0, len(values), _CHUNK):
            chunk = [str(v) for v in values[start:start + _CHUNK]]
            rows.extend(conn.execute(sa.select(*[table.c[n] for n in names])
                                     .where(table.c[key].in_(chunk))).all())
    return pd.DataFrame(rows, columns=names)


def list_store_ids(engine: sa.Engine) -> list[str]:
    """The store ids in the database (empty when there is no stores table yet)."""
    if not sa.inspect(engine).has_table("stores"):
        return []
    with engine.connect() as conn:
        return [str(v) for v in conn.execute(sa.select(schema.stores.c.store_id).order_by(
            schema.stores.c.store_id)).scalars()]
