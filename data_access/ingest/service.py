"""ingest(): read -> detect (or the given kind and mapping) -> validate -> import, shared by the CLI and the page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from data_access.export import csv_bytes
from data_access.ingest import listings
from data_access.ingest.detect import CONSTANT_FIELDS, Detection, detect, map_columns
from data_access.ingest.fields import KINDS
from data_access.ingest.load import ImportResult, import_tables, refresh_rollups
from data_access.ingest.model import Validation
from data_access.ingest.read import RawTable, read_file
from data_access.ingest.validate import needed_fields, validate
from data_access.ingest.write_scope import list_store_ids


@dataclass
class Prepared:
    """A file read, understood and validated, not yet imported: the raw table, what detection found (None when
    kind and mapping were both given), the kind and mapping used, and the validation."""

    raw: RawTable
    detection: Detection | None
    kind: str
    mapping: dict[str, str]
    validation: Validation
    #: field -> value applied because the file had no column for it and none was given (the CLI prints them).
    defaults: dict = field(default_factory=dict)


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
    applied = default_values(engine, chosen, merged, constants or {}, detection, stores, filename)
    meaning = detection.meaning if detection is not None and detection.kind == chosen else None
    validation = validate(raw, chosen, merged, {**applied, **(constants or {})}, date_order, engine, stores=stores,
                          meaning=meaning)
    return Prepared(raw, detection, chosen, merged, validation, applied)


def default_values(engine: sa.Engine | None, kind: str, mapping: dict[str, str], constants: dict,
                   detection: Detection | None, stores: tuple[str, ...] | None, filename: str) -> dict:
    """Values for needed fields the file has no column for and nobody gave, instead of a refusal: the store
    (the user's or the database's only store, else one named after the platform or the file, created on
    import), the profile's channel (marketplace for marketplace reports, the ad platform's channel), and for
    orders without a profile the direct channel. Status is derived from the paid/refund/unpaid columns."""
    profile_defaults = detection.defaults if detection is not None and detection.kind == kind else {}
    wanted = [n for n in needed_fields(kind, set(mapping) | set(constants))
              if n not in mapping and n not in constants]
    if kind in ("reviews", "tickets", "conversations") and "store_id" not in mapping and "store_id" not in constants:
        wanted.append("store_id")
    if kind == "listings" and "source" in profile_defaults and "source" not in mapping and "source" not in constants:
        wanted.append("source")  # the platform's name, rather than the file's that shaping would use
    applied: dict = {}
    for name in wanted:
        if name == "store_id":
            applied[name] = _default_store(engine, stores, profile_defaults.get("store_id"), filename)
        elif name in profile_defaults:
            applied[name] = profile_defaults[name]
        elif name == "channel" and kind in ("orders", "tickets"):
            applied[name] = "direct"
        elif name == "status" and kind == "tickets":
            applied[name] = "open"
        elif kind == "listings" and name == "observed_at":
            applied[name] = listings.snapshot_day(filename).isoformat()
    for name in defaulted_by_profile(kind, mapping, detection):
        if name not in constants:
            applied.setdefault(name, profile_defaults[name])
    return {k: v for k, v in applied.items() if v}


def defaulted_by_profile(kind: str, mapping: dict[str, str], detection: Detection | None) -> list[str]:
    """Fields the table could leave at its own default (a daily report's channel, '' = all channels) for which
    the known format gives a value, and no column holds: they take the platform's value (the page offers it)."""
    defaults = detection.defaults if detection is not None and detection.kind == kind else {}
    return [name for name in defaults if name in CONSTANT_FIELDS.get(kind, ()) and name not in mapping
            and name not in needed_fields(kind, set(mapping))]


def _default_store(engine: sa.Engine | None, stores: tuple[str, ...] | None, named: str | None,
                   filename: str) -> str | None:
    if stores is not None:
        return stores[0] if len(stores) == 1 else None
    known = list_store_ids(engine) if engine is not None else []
    if len(known) == 1:
        return known[0]
    stem = re.sub(r"[^\w\-]+", "_", Path(filename).stem).strip("_")
    return (named or stem or None) and (named or stem)[:32]


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
    return csv_bytes(errors)


def detection_report(source: bytes | str | Path, kind: str | None = None, constants: dict | None = None,
                     filename: str | None = None) -> dict:
    """What `python -m data_access.ingest --detect FILE` prints (a contract other checks rely on): kind,
    confidence (0..1), profile (id or null), label ("a Shopify orders export" or null), mapping (field -> column),
    ambiguous (field -> other columns that fit about as well), defaults (field -> value it would apply),
    missing (needed fields with neither a column, a given value nor a default), semantics (the profile's).
    Reads the file only; writes nothing."""
    name = filename or Path(str(source)).name
    raw = read_file(source, name)
    found = detect(raw, None)
    chosen = kind or found.kind
    mapping = dict(found.mapping) if found.kind == chosen else (map_columns(chosen, raw.frame)[0]
                                                                 if chosen in KINDS else {})
    given = dict(constants or {})
    defaults = default_values(None, chosen, mapping, given, found, None, name) if chosen in KINDS else {}
    have = set(mapping) | set(given) | set(defaults)
    missing = [n for n in needed_fields(chosen, have) if n not in have] if chosen in KINDS else []
    return {"file": name, "kind": chosen, "confidence": found.confidence if found.kind == chosen else None,
            "profile": found.profile, "label": found.label, "mapping": mapping,
            "ambiguous": found.ambiguous, "defaults": defaults, "missing": missing,
            "semantics": found.meaning, "rows": len(raw.frame)}
