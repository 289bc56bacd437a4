"""validate(): a read file plus its field mapping -> typed canonical tables ready to import, and every failing cell.

Every row is checked: required values, types, ranges (rating 1-5, quantity > 0, money >= 0), vocabularies
(channels, order and ticket statuses, priorities, in English or Chinese), lengths that fit the schema, keys
repeated within the file, and for order lines, orders that exist. An "orders" file is order-level (one row per
order with its totals) or line-level (one row per order line: it creates the orders and their lines). Ad reports
are summed to the marketing_spend key (day, channel, campaign_id). Constants fill fields the file lacks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.ingest import listings, rules, semantics, shape
from data_access.ingest.convert import Converted, DateForm, convert
from data_access.ingest.errors import IngestError
from data_access.ingest.fields import FIELDS, KINDS, required_fields
from data_access.ingest.load import existing_keys
from data_access.ingest.model import CONSTANT_LINE, ErrorLog, Validation
from data_access.ingest.read import RawTable

#: A constant that is no valid value is reported on this line (0: not a line of the file).


def validate(raw: RawTable, kind: str, mapping: dict[str, str], constants: dict[str, object] | None = None,
             date_order: str | None = None, engine: sa.Engine | None = None, *,
             stores: tuple[str, ...] | list[str] | None = None, meaning: dict | None = None) -> Validation:
    """Check every row of raw as a file of kind with mapping (canonical field -> source column) and constants
    (field -> value for fields the file lacks; a constant wins over a mapped column).

    date_order ("dmy"/"mdy") overrides the d/m vs m/d decision for every date field. With an engine, order lines
    of an order_items file must name orders that exist in the database. stores is the importing user's store
    scope (None = every store): a row of another store is an error, so an import never writes outside it.
    Raises ValueError for a kind or field that does not exist and IngestError("missing_field") when a required
    field has neither a column nor a constant; everything wrong in the data itself ends up in Validation.errors.
    meaning: a profile's semantics (paid net or gross, unpaid orders, status words, credit notes; see
    data_access.ingest.semantics); without it the data decides where it can.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: one of {KINDS}")
    fields = {f.name: f for f in FIELDS[kind]}
    constants = {k: v for k, v in (constants or {}).items() if v is not None and str(v).strip() != ""}
    mapping = {k: v for k, v in mapping.items() if v and k not in constants}
    unknown = sorted((set(mapping) | set(constants)) - set(fields))
    if unknown:
        raise ValueError(f"{kind} files have no field(s) {unknown}")
    for name, column in mapping.items():
        if column not in raw.frame.columns:
            raise IngestError("missing_field", {"field": name}, file=raw.filename, column=column)
    given = set(mapping) | set(constants)
    level = _level(kind, given)
    _require(raw.filename, kind, given)

    notes = semantics.Notes()
    raw, left_out = semantics.without_rows(raw, kind, mapping, meaning)
    for code, params in left_out:
        notes.add(code, **params)
    errors = ErrorLog(np.asarray(raw.line_numbers, dtype="int64"))
    source = raw
    raw = semantics.prepare_raw(raw, kind, mapping, meaning)
    typed, date_forms = _typed_fields(raw, kind, fields, mapping, constants, date_order, errors)
    typed = semantics.apply(kind, level, typed, mapping, meaning, notes)
    scope_mapping = mapping
    if kind == "listings" and "store_id" not in typed.columns and "shop" in mapping:
        # Our own items are the rows whose shop is one of our stores; a scoped user's are checked like a column.
        typed = listings.with_own_stores(typed, listings.store_names(engine))
        scope_mapping = {**mapping, "store_id": mapping["shop"]}
    if stores is not None and "store_id" in typed.columns:
        _check_scope(typed["store_id"], set(stores), scope_mapping, constants, raw, errors)
    # Lines of orders already in the database are fine; shaping itself reads no database.
    known_orders = (existing_keys(engine, schema.orders, "order_id", typed["order_id"].dropna().unique())
                    if engine is not None and kind == "order_items" and "order_id" in typed.columns else None)
    tables = shape.build(kind, level, typed, source, mapping, errors, known_orders)
    tables = semantics.credit_notes(tables, meaning, notes)
    error_frame = errors.frame()
    bad_lines = error_frame["line"]
    if (bad_lines == CONSTANT_LINE).any():
        valid_rows = 0
    else:
        valid_rows = len(raw.frame) - int(bad_lines.nunique())
    return Validation(kind=kind, tables=tables, errors=error_frame, rows=len(raw.frame), valid_rows=valid_rows,
                      date_forms=date_forms, level=level, notes=notes.items)


def _check_scope(store_ids: pd.Series, scope: set[str], mapping: dict[str, str], constants: dict[str, object],
                 raw: RawTable, errors: ErrorLog) -> None:
    """Rows (or the constant) naming a store outside the user's scope."""
    reason = "this store is outside the stores you may import into"
    if "store_id" in constants:
        # A header-only file has no typed row to look at: then the value as given.
        value = str(store_ids.iloc[0]) if len(store_ids) else str(constants["store_id"]).strip()
        if value not in scope:
            errors.constant("store_id", constants["store_id"], "out_of_scope", reason)
        return
    outside = (store_ids.notna() & ~store_ids.isin(scope)).astype(bool)
    errors.add(outside, mapping["store_id"], "store_id", raw.frame[mapping["store_id"]], "out_of_scope", reason)


def needed_fields(kind: str, given: set[str] | list[str] | tuple[str, ...] = ()) -> tuple[str, ...]:
    """Fields a file of kind must get from a column or a constant, given the fields already mapped (mapping a
    quantity, unit price or line number makes an orders file line-level, which then needs the line's fields)."""
    return rules.needed(kind, _level(kind, set(given)), required_fields(kind))


def _level(kind: str, given: set[str]) -> str | None:
    if kind != "orders":
        return None
    return "line" if given & set(rules.LINE_LEVEL_MARKERS) else "order"


def _require(filename: str, kind: str, given: set[str]) -> None:
    """IngestError naming every needed field with neither a column nor a constant, all in one message
    ("missing_field" for one, "missing_fields" for several)."""
    missing = [name for name in needed_fields(kind, given) if name not in given]
    if len(missing) == 1:
        raise IngestError("missing_field", {"field": missing[0]}, file=filename)
    if missing:
        raise IngestError("missing_fields", {"field": missing[0], "fields": ", ".join(missing),
                                             "names": missing}, file=filename)


def _typed_fields(raw: RawTable, kind: str, fields: dict, mapping: dict[str, str], constants: dict[str, object],
                  date_order: str | None, errors: ErrorLog) -> tuple[pd.DataFrame, dict[str, DateForm]]:
    """Every mapped field and constant as a typed column (index = the file's rows); failing cells recorded."""
    rows = len(raw.frame)
    needed = set(needed_fields(kind, set(mapping) | set(constants)))
    converted = {name: convert(kind, fields[name], raw.frame[column], date_order)
                 for name, column in mapping.items()}
    _agree_on_date_order(raw, kind, fields, mapping, converted, date_order)
    typed: dict[str, pd.Series] = {}
    date_forms: dict[str, DateForm] = {}
    for name, column in mapping.items():
        result = converted[name]
        if result.form is not None:
            date_forms[name] = result.form
        for mask, code, reason in result.failures:
            errors.add(mask, column, name, raw.frame[column], code, reason)
        if name in needed:
            empty = result.values.isna() & ~result.failed
            errors.add(empty, column, name, raw.frame[column], "required",
                       f"{name} is required but the cell is empty")
        typed[name] = result.values
    for name, value in constants.items():
        result = convert(kind, fields[name], pd.Series([str(value)], dtype="str"), date_order)
        for mask, code, reason in result.failures:
            if mask.iloc[0]:
                errors.constant(name, value, code, reason)
        typed[name] = pd.Series(np.repeat(result.values.to_numpy(), rows), dtype=result.values.dtype)
    return pd.DataFrame(typed, index=pd.RangeIndex(rows)), date_forms


def _agree_on_date_order(raw: RawTable, kind: str, fields: dict, mapping: dict[str, str],
                         converted: dict[str, Converted], date_order: str | None) -> None:
    """A file uses one d/m convention: when one date column proves it from its values, columns that only
    guessed are read again with it."""
    if date_order:
        return
    proven = [c.form.order for c in converted.values() if c.form and c.form.decided_by == "values" and c.form.order]
    if not proven:
        return
    for name, result in converted.items():
        form = result.form
        if form and form.order in ("dmy", "mdy") and form.decided_by != "values":
            if form.order != proven[0]:
                converted[name] = convert(kind, fields[name], raw.frame[mapping[name]], proven[0])
            converted[name].form = DateForm(converted[name].form.form, proven[0], False, "other_column")
