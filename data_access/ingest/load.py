"""Import validated canonical tables in one transaction: idempotent upsert by primary key, with an audit entry."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from data_access import audit, rollup_tables, rollups, schema
from data_access.bulk import bulk_insert
from data_access.ingest import write_scope
from data_access.ingest.errors import IngestError
from data_access.ingest.model import Validation
from data_access.jobs import locks

#: Tables an import may write, in the order they are written (parents before the rows that name them).
IMPORT_ORDER = ("stores", "products", "customers", "campaigns", "orders", "order_items", "inventory", "traffic",
                "marketing_spend", "reviews", "tickets", "listings", "daily_metrics")
_stage_numbers = itertools.count()
#: Tables the sales rollups are built from (data_access.rollups).
SALES_SOURCES = ("orders", "order_items", "products")


@dataclass(frozen=True)
class TableCounts:
    """What an import did to one table: rows new, rows changed, rows already exactly as in the file, and rows
    removed (lines of an imported order that the file no longer has)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def rows(self) -> int:
        return self.inserted + self.updated + self.unchanged


@dataclass
class ImportResult:
    """Per-table counts of one import (tables in write order), stores created for new store ids, file, user."""

    filename: str
    username: str
    tables: dict[str, TableCounts] = field(default_factory=dict)
    stores_created: int = 0

    @property
    def rows(self) -> int:
        """Rows of the file's tables written or confirmed (stores created on the way are not counted)."""
        return sum(c.rows for c in self.tables.values())

    @property
    def touches_sales(self) -> bool:
        """Whether orders, their lines or products changed (the sales rollups must then be rebuilt)."""
        return any(c.inserted or c.updated or c.deleted for name, c in self.tables.items() if name in SALES_SOURCES)

    @property
    def changed(self) -> bool:
        return self.stores_created > 0 or any(c.inserted or c.updated or c.deleted for c in self.tables.values())

    def as_frame(self) -> pd.DataFrame:
        """Columns: table, inserted, updated, unchanged, deleted."""
        return pd.DataFrame([{"table": name, "inserted": c.inserted, "updated": c.updated, "unchanged": c.unchanged,
                              "deleted": c.deleted} for name, c in self.tables.items()],
                            columns=["table", "inserted", "updated", "unchanged", "deleted"])

    def summary(self) -> str:
        """One English line, e.g. 'orders: 3 new, 1 changed, 0 unchanged; order_items: ...'."""
        return "; ".join(f"{name}: {c.inserted:,} new, {c.updated:,} changed, {c.unchanged:,} unchanged"
                         + (f", {c.deleted:,} removed" if c.deleted else "") for name, c in self.tables.items())


def import_tables(engine: sa.Engine, validation: Validation, *, username: str, filename: str,
                  stores: tuple[str, ...] | None = None, role: str | None = None) -> ImportResult:
    """Upsert validation.tables into the database in ONE transaction and write audit.IMPORT in it.

    Refuses (IngestError "refused_errors") when the validation has any error, so a file imports whole or not at
    all. Rows are matched by primary key: new keys are inserted, rows whose values differ are updated, identical
    rows are left alone, so importing the same file twice changes nothing. Columns the file does not provide keep
    their stored values. Order lines replace the lines of their orders: a stored line of an order in the file
    that the file no longer has is deleted (a file holds its orders whole). Store ids that do not exist yet get a
    stores row (name = id) so pages can show them. stores (the user's scope, None = all) and role (None = a
    trusted caller such as the CLI) are checked by write_scope against the stored rows each row would overwrite
    or attach to, inside the transaction (IngestError codes write_*).
    Any database error rolls the whole import back.
    """
    if len(validation.errors):
        failing_rows = int(validation.errors["line"].nunique(dropna=False))
        raise IngestError("refused_errors", {"rows": failing_rows, "errors": len(validation.errors),
                                             "total_rows": validation.rows}, file=filename)
    tables = {name: frame for name, frame in validation.tables.items() if frame is not None}
    unknown = sorted(set(tables) - set(IMPORT_ORDER))
    if unknown:
        raise ValueError(f"cannot import into {unknown}: only {IMPORT_ORDER}")
    for name in tables:
        write_scope.policy(name)
    schema.create_schema(engine)
    try:
        return _import(engine, tables, validation, username=username, filename=filename, stores=stores, role=role)
    except sa.exc.DataError as exc:
        # A value validation let through but the column refused: one sentence, the database's first line.
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]
        raise IngestError("database", {"reason": reason}, file=filename) from exc


def _import(engine: sa.Engine, tables: dict[str, pd.DataFrame], validation: Validation, *, username: str,
            filename: str, stores: tuple[str, ...] | None, role: str | None) -> ImportResult:
    result = ImportResult(filename=filename, username=username)
    # One writer of the sales sources at a time (imports and rollup rebuilds, threads and processes): two imports
    # at once both land, in turn, and a rebuild never mixes rows from before and after an import.
    with locks.write_transaction(engine, rollups.SALES_WRITES_LOCK) as conn:
        write_scope.check(conn, tables, stores=stores, role=role, filename=filename)
        new_stores = _stores_named_by(tables)
        if new_stores is not None and "stores" not in tables:
            result.stores_created = _upsert(conn, schema.stores, new_stores, insert_only=True).inserted
        for name in IMPORT_ORDER:
            if name in tables:
                prune = "order_id" if name == "order_items" else None
                result.tables[name] = _upsert(conn, schema.metadata.tables[name], tables[name], prune_by=prune)
        if result.touches_sales:
            rollup_tables.invalidate(conn)
        _audit(conn, result, getattr(validation, "kind", None), int(validation.rows))
    return result


def import_and_refresh(engine: sa.Engine, validation: Validation, *, username: str, filename: str,
                       stores: tuple[str, ...] | None = None, role: str | None = None,
                       on_change: Callable[[], None] | None = None) -> ImportResult:
    """The one import sequence every caller uses: import_tables (all or nothing, write-scope checked), then,
    when something changed, on_change (the page clears its caches so every page reads the new rows at once),
    then the sales rollups rebuilt if their sources changed or they are stale."""
    result = import_tables(engine, validation, username=username, filename=filename, stores=stores, role=role)
    if result.changed and on_change is not None:
        on_change()
    refresh_rollups(engine, result)
    return result


def refresh_rollups(engine: sa.Engine, result: ImportResult) -> bool:
    """Rebuild the sales rollups after an import that changed their sources, or when they are stale anyway (an
    earlier import left them so); until then the pages read the source tables: correct, slower. Returns whether
    it rebuilt them."""
    if not result.touches_sales and rollup_tables.current(engine):
        return False
    rollups.refresh(engine)
    return True


def _stores_named_by(tables: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    """stores rows (store_id, name = store_id) for every store id the tables use; None if they name none."""
    ids = [frame["store_id"].dropna() for frame in tables.values() if "store_id" in frame.columns]
    if not ids:
        return None
    unique = pd.concat(ids, ignore_index=True).astype(str).drop_duplicates()
    return pd.DataFrame({"store_id": unique.to_numpy(), "name": unique.to_numpy()})


def _upsert(conn: sa.Connection, table: sa.Table, frame: pd.DataFrame, insert_only: bool = False,
            prune_by: str | None = None) -> TableCounts:
    """Stage frame in a temporary table, then update changed rows and insert new ones; returns the counts.

    prune_by (a key column): stored rows sharing that column's value with a staged row, but not their whole key,
    are deleted, so the file's rows replace the stored rows of the same parent.
    """
    keys = [c.name for c in table.primary_key.columns]
    columns = [c.name for c in table.columns if c.name in frame.columns]
    missing = [k for k in keys if k not in columns]
    if missing:
        raise ValueError(f"{table.name}: key columns {missing} missing from the rows to import")
    if frame.empty:
        return TableCounts()
    if frame.duplicated(keys).any():
        raise ValueError(f"{table.name}: the rows to import repeat a key (validation must reject that)")
    values = [] if insert_only else [c for c in columns if c not in keys]
    stage = _stage_table(table, columns)
    stage.create(conn)
    try:
        bulk_insert(conn, stage, frame[columns])
        if conn.engine.url.get_backend_name() == "postgresql":
            conn.execute(sa.text(f"ANALYZE {conn.dialect.identifier_preparer.format_table(stage)}"))
        same_key = sa.and_(*[table.c[k] == stage.c[k] for k in keys])
        differs = sa.or_(*[table.c[c].is_distinct_from(stage.c[c]) for c in values]) if values else sa.false()
        matched = conn.execute(sa.select(sa.func.count()).select_from(stage.join(table, same_key))).scalar_one()
        changed = conn.execute(
            sa.select(sa.func.count()).select_from(stage.join(table, same_key)).where(differs)).scalar_one()
        if changed:
            conn.execute(sa.update(table).values({c: stage.c[c] for c in values}).where(same_key, differs))
        is_new = ~sa.exists().where(same_key)
        conn.execute(table.insert().from_select(columns, sa.select(*[stage.c[c] for c in columns]).where(is_new)))
        deleted = 0
        if prune_by is not None:
            parent = table.c[prune_by].in_(sa.select(stage.c[prune_by]))
            deleted = conn.execute(sa.delete(table).where(parent, ~sa.exists().where(same_key))).rowcount
    finally:
        stage.drop(conn)
    return TableCounts(inserted=len(frame) - matched, updated=changed, unchanged=matched - changed,
                       deleted=max(0, deleted))


def _stage_table(table: sa.Table, columns: list[str]) -> sa.Table:
    """A temporary table with table's columns and types (no constraints), private to this transaction."""
    return sa.Table(f"ingest_stage_{table.name}_{next(_stage_numbers)}", sa.MetaData(),
                    *[sa.Column(c, table.c[c].type) for c in columns], prefixes=["TEMPORARY"])


def _audit(conn: sa.Connection, result: ImportResult, kind: str | None, file_rows: int) -> None:
    """audit.IMPORT in the import's own transaction: who, when, file, kind, the file's data rows, rows written
    or confirmed, and per table [inserted, updated, unchanged, deleted]."""
    tables = {n: [c.inserted, c.updated, c.unchanged, c.deleted] for n, c in result.tables.items()}
    detail = json.dumps({"file": result.filename, "kind": kind, "file_rows": file_rows, "rows": result.rows,
                         "stores_created": result.stores_created, "tables": tables}, ensure_ascii=False)
    conn.execute(schema.audit_log.insert().values(
        at=audit.utc_now(), username=str(result.username)[:schema.audit_log.c.username.type.length],
        action=audit.IMPORT, detail=detail[:4000]))


def existing_keys(engine: sa.Engine, table: sa.Table, column: str, values) -> set:
    """The values that already exist in table.column (empty when the table does not exist yet).

    Values travel as bound parameters, in chunks, never as SQL text.
    """
    values = list(values)
    if not values or not sa.inspect(engine).has_table(table.name):
        return set()
    found: set = set()
    with engine.connect() as conn:
        for start in range(0, len(values), 5000):
            chunk = values[start:start + 5000]
            found.update(conn.execute(sa.select(table.c[column]).where(table.c[column].in_(chunk))).scalars())
    return found
