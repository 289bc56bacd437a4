"""ingest(): read -> detect (or the given kind and mapping) -> validate -> import, shared by the CLI and the page."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from data_access.ingest.detect import Detection, detect, map_columns
from data_access.ingest.fields import KINDS
from data_access.ingest.load import ImportResult, import_tables, refresh_rollups
from data_access.ingest.read import RawTable, read_file
from data_access.ingest.validate import Validation, validate

# OWASP "CSV injection": a spreadsheet runs a cell starting with these as a formula (plain numbers are safe).
_FORMULA = re.compile(r"^[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


@dataclass
class Prepared:
    """A file read, understood and validated, not yet imported: the raw table, what detection found (None when
    kind and mapping were both given), the kind and mapping used, and the validation."""

    raw: RawTable
    detection: Detection | None
    kind: str
    mapping: dict[str, str]
    validation: Validation


@dataclass
class Outcome:
    """prepare()'s result plus the import's (None on a dry run)."""

    prepared: Prepared
    result: ImportResult | None


def prepare(engine: sa.Engine | None, source: bytes | str | Path, filename: str, kind: str | None = None,
            mapping: dict[str, str] | None = None, constants: dict[str, object] | None = None,
            date_order: str | None = None, max_bytes: int | None = None, detect_missing: bool = True, *,
            stores: tuple[str, ...] | None = None) -> Prepared:
    """Read the file, detect its kind and mapping, and validate every row.

    mapping entries override the detected ones (field -> source column; an empty column unmaps a field); with
    detect_missing=False and both kind and mapping given, nothing is detected and the mapping is used as is.
    A kind other than the detected one gets its columns mapped for that kind; a saved mapping for the file's
    header also supplies its saved constants and date order where none are given. stores is the user's store scope
    (None = all; see validate). Raises IngestError for a file that cannot be read or lacks a needed field, and
    ValueError when the kind is not given and cannot be detected.
    """
    raw = read_file(source, filename, max_bytes)
    detection = None
    if kind is None or mapping is None or detect_missing:
        detection = detect(raw, engine)
    chosen = kind or detection.kind
    if chosen not in KINDS:
        raise ValueError(f"{filename}: could not tell what the file holds; give its kind, one of {', '.join(KINDS)}")
    merged: dict[str, str] = {}
    if detection is not None:
        merged = dict(detection.mapping) if detection.kind == chosen else map_columns(chosen, raw.frame)[0]
        if detection.kind == chosen and detection.saved:
            # A mapping a user confirmed and saved brings its constants and date order; given ones win.
            constants = {**(detection.constants or {}), **(constants or {})}
            date_order = date_order or detection.date_order
    merged.update(mapping or {})
    merged = {name: column for name, column in merged.items() if column}
    validation = validate(raw, chosen, merged, constants, date_order, engine, stores=stores)
    return Prepared(raw, detection, chosen, merged, validation)


def ingest(engine: sa.Engine, source: bytes | str | Path, filename: str, kind: str | None = None,
           mapping: dict[str, str] | None = None, constants: dict[str, object] | None = None, *,
           username: str, dry_run: bool = False, date_order: str | None = None,
           max_bytes: int | None = None, detect_missing: bool = True,
           stores: tuple[str, ...] | None = None, role: str | None = None, refresh: bool = True) -> Outcome:
    """prepare() then, unless dry_run, import all or nothing (IngestError "refused_errors" when any row fails),
    then rebuild the sales rollups if orders, lines or products changed (refresh=False leaves that to the caller).
    stores: the user's store scope (None = all); rows of other stores are errors, and so are rows that would
    overwrite or attach to another store's rows; role: the user's role (None = trusted caller, e.g. the CLI)."""
    prepared = prepare(engine, source, filename, kind, mapping, constants, date_order, max_bytes, detect_missing,
                       stores=stores)
    if dry_run:
        return Outcome(prepared, None)
    result = import_tables(engine, prepared.validation, username=username, filename=filename, stores=stores,
                           role=role)
    if refresh:
        refresh_rollups(engine, result)
    return Outcome(prepared, result)


def error_file(errors: pd.DataFrame) -> bytes:
    """Every validation error as CSV (UTF-8 with BOM, so Excel shows Chinese), cells that a spreadsheet would run
    as a formula escaped with a leading apostrophe. Columns: line, column, field, value, reason_code, reason."""
    out = errors.copy()
    for name in out.columns:
        if pd.api.types.is_string_dtype(out[name].dtype) or pd.api.types.is_object_dtype(out[name].dtype):
            out[name] = out[name].map(_escaped, na_action="ignore")
    buffer = io.StringIO()
    out.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")


def _escaped(value: object) -> object:
    if isinstance(value, str) and _FORMULA.match(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
