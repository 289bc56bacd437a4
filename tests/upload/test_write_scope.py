"""The write-side store rule (issues 14 and 17), on both backends: every importable kind is found from the
ingest registry (not a hand-written list) and a kind whose tables have no write check fails here.

For each kind a file is written from the kind's own field list; then, per the policy of each table it fills:
shop-wide tables refuse a role that may not change them, store tables refuse a scoped user's write over another
store's rows and refuse moving an id to another store, and attached rows (order lines) refuse another store's
parent. Each refusal leaves the database exactly as it was.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import schema
from data_access.ingest import rules, write_scope
from data_access.ingest.errors import IngestError
from data_access.ingest.fields import FIELDS, KINDS
from data_access.ingest.load import IMPORT_ORDER, import_tables
from data_access.ingest.mappings import save_mapping
from data_access.ingest.read import read_file
from data_access.ingest.validate import needed_fields, validate
from tests.conftest import BACKENDS

_VALUES = {"text": "K1", "int": "3", "number": "2.5", "money": "12.50", "percent": "5%", "date": "2025-03-04",
           "datetime": "2025-03-04 10:00", "bool": "no"}
_BY_NAME = {"channel": "paid_search", "status": "paid", "rating": "4", "csat": "4", "nps": "8"}
_TICKET = {"status": "solved"}


def _file(kind: str, store: str | None) -> tuple[str, dict[str, str]]:
    """A two-row CSV of kind with every needed field, its key fields and its store (when the kind has one)."""
    specs = {f.name: f for f in FIELDS[kind]}
    names = list(needed_fields(kind))
    for table in rules.TABLES[kind][:1]:
        names += [k for k in rules.key_of(table) if k in specs and k not in names]
    if kind == "conversations":  # a thread needs a conversation id (or a reply chain): its ticket's key
        names.append("conversation_id")
    if "store_id" in specs and store is not None and "store_id" not in names:
        names.append("store_id")
    rows = []
    for row in (1, 2):
        values = []
        for name in names:
            if name == "store_id":
                values.append(store)
            elif name.endswith("_id") or name == "sku":
                values.append(f"{name[:3].upper()}{row}")
            elif kind == "tickets" and name in _TICKET:
                values.append(_TICKET[name])
            elif specs[name].type in ("date", "datetime"):  # a key of its own per row (a daily report's day)
                values.append(_VALUES[specs[name].type].replace("-04", f"-0{3 + row}"))
            else:
                values.append(_BY_NAME.get(name, _VALUES[specs[name].type]))
        rows.append(",".join(values))
    return "\n".join([",".join(names), *rows]) + "\n", {n: n for n in names}


def _validation(kind: str, store: str | None):
    text, mapping = _file(kind, store)
    validation = validate(read_file(text.encode(), f"{kind}.csv"), kind, mapping)
    assert validation.ok, validation.errors.to_dict("records")
    return validation


def _snapshot(engine) -> dict[str, list[tuple]]:
    out = {}
    with engine.connect() as conn:
        for name in IMPORT_ORDER:
            if sa.inspect(conn).has_table(name):
                table = schema.metadata.tables[name]
                out[name] = sorted(tuple(map(str, r)) for r in conn.execute(sa.select(table)).all())
    return out


def _refused(engine, validation, code_prefix: str, **who) -> None:
    before = _snapshot(engine)
    with pytest.raises(IngestError) as refused:
        import_tables(engine, validation, username="probe", filename="probe.csv", **who)
    assert refused.value.code.startswith(code_prefix), refused.value.code
    assert _snapshot(engine) == before


def test_every_table_an_import_writes_has_a_write_policy():
    written = set(IMPORT_ORDER) | {t for tables in rules.TABLES.values() for t in tables}
    for name in sorted(written):
        assert write_scope.policy(name).rule in ("shop_wide", "store", "parent")
    with pytest.raises(ValueError, match="no write policy"):
        write_scope.policy("audit_log")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_checks_the_store_of_each_row_it_overwrites_or_attaches_to(kind, backend, fresh_engine):
    engine = fresh_engine(backend)
    tables = rules.TABLES[kind][:1] if kind == "orders" else rules.TABLES[kind]
    policies = {write_scope.policy(t).rule for t in tables}
    assert policies, kind
    if "parent" in policies:
        import_tables(engine, _validation("orders", "A"), username="admin", filename="orders.csv")
    own = _validation(kind, "A")
    import_tables(engine, own, username="admin", filename=f"{kind}.csv", role="admin")
    if "shop_wide" in policies:
        _refused(engine, own, "write_shop_wide", role="analyst")
        _refused(engine, own, "write_shop_wide", role="manager", stores=("B",))
        allowed = write_scope.SHOP_WIDE_WRITERS[tables[0]]
        for role in allowed:
            import_tables(engine, own, username=role, filename=f"{kind}.csv", role=role)
    if "store" in policies:
        # A scoped user of store B neither rewrites A's rows nor moves them into B.
        _refused(engine, own, "write_", stores=("B",), role="analyst")
        moved = _validation(kind, "B")
        keyed_by_store = "store_id" in rules.key_of(tables[0])
        if keyed_by_store:
            result = import_tables(engine, moved, username="b", filename="b.csv", stores=("B",), role="analyst")
            assert result.tables[tables[0]].inserted == 2  # B's own rows beside A's, A's untouched
        else:
            _refused(engine, moved, "write_foreign_row", stores=("B",), role="analyst")
            _refused(engine, moved, "write_moves_store")  # not even an unscoped caller moves an id
    if "parent" in policies:
        _refused(engine, own, "write_foreign_parent", stores=("B",), role="analyst")


@pytest.mark.parametrize("backend", BACKENDS)
def test_line_level_orders_file_of_another_store_refused_and_own_store_reimport_is_unchanged(backend,
                                                                                            fresh_engine):
    engine = fresh_engine(backend)
    text = "order_id,ordered_at,store_id,channel,sku,quantity,unit_price\nO1,2025-01-01,A,direct,X,1,10\n"
    mapping = {c: c for c in text.split("\n")[0].split(",")}
    first = validate(read_file(text.encode(), "a.csv"), "orders", mapping)
    import_tables(engine, first, username="a", filename="a.csv", stores=("A",), role="analyst")
    again = import_tables(engine, first, username="a", filename="a.csv", stores=("A",), role="analyst")
    assert not again.changed
    rewritten = validate(read_file(text.replace(",A,", ",B,").replace(",10\n", ",9999.99\n").encode(), "b.csv"),
                         "orders", mapping)
    _refused(engine, rewritten, "write_foreign_row", stores=("B",), role="analyst")


@pytest.mark.parametrize("backend", BACKENDS)
def test_saved_mappings_are_shop_wide_and_only_an_admin_saves_them(backend, fresh_engine):
    engine = fresh_engine(backend)
    schema.create_schema(engine)
    with pytest.raises(IngestError) as refused:
        save_mapping(engine, ["a", "b"], "orders", {"order_id": "a"}, username="m", role="marketer")
    assert refused.value.code == "write_shop_wide"
    save_mapping(engine, ["a", "b"], "orders", {"order_id": "a"}, username="root", role="admin")
