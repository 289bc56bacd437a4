"""Saved column mappings (schema.ingest_mappings): a mapping a user confirmed is reused for the next file whose
header has the same signature."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import sqlalchemy as sa

from data_access.audit import utc_now
from data_access.ingest import write_scope
from data_access.ingest.errors import IngestError
from data_access.ingest.fields import normalise
from data_access.schema import ingest_mappings


@dataclass
class SavedMapping:
    """A confirmed mapping: kind, field -> column, constant values for fields, the date order chosen, who saved
    it and when (naive UTC)."""

    kind: str
    mapping: dict[str, str]
    constants: dict[str, str] = field(default_factory=dict)
    date_order: str | None = None
    saved_by: str | None = None
    saved_at: object = None


def header_signature(columns: list[str]) -> str:
    """sha256 hex of the normalised header names in file order: the same export layout -> the same signature,
    whatever spacing or case its names have."""
    text = "\x1f".join(normalise(column) for column in columns)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def save_mapping(engine: sa.Engine, columns: list[str], kind: str, mapping: dict[str, str], *,
                 username: str | None, constants: dict | None = None, date_order: str | None = None,
                 role: str | None = None) -> str:
    """Store (or replace) the mapping for this header; returns the signature. Only columns of the header may be
    mapped, so a saved mapping can never point at something else. A saved mapping applies to every user's files,
    so only the roles write_scope allows may save one (role None = a trusted caller)."""
    if not write_scope.may_write_shop_wide("ingest_mappings", role):
        raise IngestError("write_shop_wide", {"table": "ingest_mappings",
                                              "roles": ", ".join(write_scope.SHOP_WIDE_WRITERS["ingest_mappings"]),
                                              "role": role})
    unknown = sorted(set(mapping.values()) - set(columns))
    if unknown:
        raise ValueError(f"mapping names columns the file does not have: {unknown}")
    signature = header_signature(columns)
    payload = {"mapping": dict(mapping), "constants": {k: str(v) for k, v in (constants or {}).items()},
               "date_order": date_order}
    row = {"signature": signature, "kind": kind, "mapping": json.dumps(payload, ensure_ascii=False),
           "header": json.dumps(list(columns), ensure_ascii=False), "saved_by": username, "saved_at": utc_now()}
    with engine.begin() as conn:
        conn.execute(ingest_mappings.delete().where(ingest_mappings.c.signature == signature))
        conn.execute(ingest_mappings.insert().values(**row))
    return signature


def load_mapping(engine: sa.Engine, columns: list[str]) -> SavedMapping | None:
    """The mapping saved for this header, or None (also when the table does not exist yet)."""
    query = sa.select(ingest_mappings).where(ingest_mappings.c.signature == header_signature(columns))
    try:
        with engine.connect() as conn:
            row = conn.execute(query).mappings().first()
    except sa.exc.ProgrammingError:
        return None
    if row is None:
        return None
    payload = json.loads(row["mapping"])
    return SavedMapping(row["kind"], payload.get("mapping", {}), payload.get("constants", {}),
                        payload.get("date_order"), row["saved_by"], row["saved_at"])


def delete_mapping(engine: sa.Engine, columns: list[str]) -> bool:
    """Forget the mapping for this header; True if one was stored."""
    with engine.begin() as conn:
        result = conn.execute(ingest_mappings.delete().where(
            ingest_mappings.c.signature == header_signature(columns)))
    return bool(result.rowcount)
