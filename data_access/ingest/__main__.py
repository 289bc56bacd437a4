"""Import one CSV/Excel export through the upload page's validation: python -m data_access.ingest --kind KIND FILE.

Examples:
  python -m data_access.ingest --url duckdb:///data/shop.duckdb --kind orders 订单报表.csv --set store_id=TB01
  python -m data_access.ingest --kind marketing_spend ads.csv --set day=2017-08-17 --set channel=paid_social
  python -m data_access.ingest --kind olist ../shared/data/real
Exit status 0 after an import (or a clean dry run), 2 when the file is refused (the reason on stderr).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from pathlib import Path

from data_access import audit
from data_access.engine import cli_errors, configured_url, create_engine
from data_access.ingest import semantics
from data_access.ingest.errors import IngestError
from data_access.ingest.fields import KINDS
from data_access.ingest.load import import_tables, refresh_rollups
from data_access.ingest.service import Prepared, detection_report, error_file, prepare
from data_access.sources import olist

#: Validation errors printed to the terminal; --errors writes them all.
SHOWN_ERRORS = 20


def _pairs(values: list[str], option: str) -> dict[str, str]:
    """['field=value', ...] -> {field: value}; a pair without '=' is a usage error."""
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name.strip():
            raise SystemExit(f"error: {option} expects field=value, got {value!r}")
        pairs[name.strip()] = rest.strip()
    return pairs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_access.ingest", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("file", type=Path, help="the CSV/TSV/.xlsx file (a folder for --kind olist)")
    parser.add_argument("--url", default=None, help="database URL (default: DATABASE_URL, secrets.toml, DuckDB file)")
    parser.add_argument("--kind", default=None, choices=(*KINDS, "olist"),
                        help="what the file holds (default: detected)")
    parser.add_argument("--detect", action="store_true",
                        help="print as JSON what the file is (kind, confidence, profile, mapping, defaults, missing "
                             "fields) and write nothing")
    parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                        help="map a canonical field to a column of the file (overrides detection; FIELD= unmaps)")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="a constant for a field the file lacks, e.g. day=2025-06-01 or channel=paid_social")
    parser.add_argument("--date-order", choices=("dmy", "mdy"), default=None,
                        help="read day-month dates as d/m/y or m/d/y (default: decided from the data)")
    parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    parser.add_argument("--errors", type=Path, default=None, metavar="ERRORS.CSV",
                        help="write every failing row (line, column, value, reason) to this CSV")
    parser.add_argument("--user", default=None, help="name for the audit log (default: cli:<login name>)")
    parser.add_argument("--prefix", default="olist4k_", help="file name prefix of the Olist layout")
    parser.add_argument("--max-mb", type=float, default=None, help="size limit (default: SHOP_UPLOAD_MAX_MB or 200)")
    return parser


@cli_errors
def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    wanted = "folder" if args.kind == "olist" else "file"
    if not (args.file.is_dir() if wanted == "folder" else args.file.is_file()):
        print(f"error: {args.file}: no such {wanted}", file=sys.stderr)
        return 2
    if args.detect:
        return _detect(args)
    username = args.user or f"cli:{getpass.getuser()}"
    engine = create_engine(args.url or configured_url())
    try:
        if args.kind == "olist":
            return _olist(engine, args, username)
        max_bytes = int(args.max_mb * 1024 * 1024) if args.max_mb else None
        prepared = prepare(engine, args.file, args.file.name, args.kind, _pairs(args.map, "--map"),
                           _pairs(args.set, "--set"), date_order=args.date_order, max_bytes=max_bytes)
        validation = prepared.validation
        _print_reading(prepared)
        if args.errors is not None and len(validation.errors):
            args.errors.write_bytes(error_file(validation.errors))
            print(f"wrote {len(validation.errors):,} errors to {args.errors}", file=sys.stderr)
        if len(validation.errors):
            _print_errors(validation.errors)
        if args.dry_run:
            if len(validation.errors):
                raise IngestError("refused_errors", {"rows": validation.rows - validation.valid_rows},
                                  file=args.file.name)
            print(f"dry run: {validation.rows:,} rows valid; nothing written")
            return 0
        result = import_tables(engine, validation, username=username, filename=args.file.name)
        started = time.perf_counter()
        if refresh_rollups(engine, result):
            print(f"rebuilt the sales summaries in {time.perf_counter() - started:.1f}s")
    except (IngestError, ValueError) as exc:
        print(f"error: {exc}{_hint(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    # The kind it was imported as: the one asked for, else the one detected.
    print(f"imported {args.file.name} as {prepared.kind}: {result.summary()}")
    if result.stores_created:
        print(f"created {result.stores_created} store(s) for new store ids")
    return 0


def _detect(args) -> int:
    """The --detect contract: one JSON object on stdout, nothing written anywhere (no database is opened, so
    saved mappings are not consulted)."""
    try:
        report = detection_report(args.file, args.kind, _pairs(args.set, "--set"))
    except (IngestError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    return 0


def _hint(exc: Exception) -> str:
    """How to fix a refusal from the command line, where there is one."""
    if isinstance(exc, IngestError) and exc.code == "missing_field":
        name = exc.params.get("field", "FIELD")
        return f" Give it with --map {name}=COLUMN or --set {name}=VALUE."
    if isinstance(exc, IngestError) and exc.code == "missing_fields":
        names = exc.params.get("names", [])
        return " Give them with " + " ".join(f"--map {n}=COLUMN or --set {n}=VALUE;" for n in names).rstrip(";") \
            + "."
    if isinstance(exc, IngestError) and exc.code == "refused_errors":
        return " Fix the rows listed above (--errors FILE writes them all) and import again."
    return ""


def _print_reading(prepared: Prepared) -> None:
    """What the user should know about how the file was read: mapping and how dates were understood."""
    mapping = ", ".join(f"{field}<-{column}" for field, column in prepared.mapping.items())
    print(f"{prepared.raw.filename}: {prepared.validation.rows:,} rows, kind {prepared.kind}; {mapping}")
    if prepared.detection is not None and prepared.detection.label and prepared.detection.kind == prepared.kind:
        print(f"  looks like {prepared.detection.label}")
    for field, value in prepared.defaults.items():
        print(f"  default {field}={value} (no column for it; --set {field}=VALUE to choose)")
    for note in semantics.Notes(prepared.validation.notes).english():
        print(f"  {note}")
    for field, form in prepared.validation.date_forms.items():
        note = " (d/m vs m/d guessed: pass --date-order to choose)" if form.ambiguous else ""
        print(f"  {field}: dates read as {form.order or form.form}{note}")


def _print_errors(errors) -> None:
    for row in errors.head(SHOWN_ERRORS).itertuples(index=False):
        where = f"line {row.line}" if row.line else "constant"
        print(f"  {where}, column {row.column}: {row.reason} ({row.value!r})", file=sys.stderr)
    if len(errors) > SHOWN_ERRORS:
        print(f"  ... and {len(errors) - SHOWN_ERRORS:,} more (--errors FILE writes them all)", file=sys.stderr)


def _olist(engine, args, username: str) -> int:
    """The Olist multi-file layout through data_access.sources.olist (its OlistError is a ValueError), recorded in the
    audit log like any import."""
    if args.dry_run:
        tables = olist.to_canonical(olist.read_files(args.file, args.prefix))
        print("dry run: " + ", ".join(f"{name}: {len(frame):,}" for name, frame in tables.items()))
        return 0
    counts = olist.load(engine, args.file, args.prefix)
    audit.log_event(engine, username, audit.IMPORT,
                    json.dumps({"file": str(args.file), "kind": "olist", "rows": counts}, ensure_ascii=False))
    print("imported Olist: " + ", ".join(f"{name}: {n:,}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
