"""The alerts CLIs' one shape: --url, --day, --store, --json; a held or unreachable database is one line, exit 2."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from datetime import date, timedelta


def json_ready(obj):
    """JSON-safe: NaN and infinities as null."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): json_ready(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_ready(v) for v in obj]
    if hasattr(obj, "item"):
        return json_ready(obj.item())
    return obj


def json_cli(prog: str, description: str, compute: Callable, argv: list[str] | None, *, day_required: bool,
             day_help: str) -> int:
    """Parse the common arguments, run compute(engine, day, stores) and print its result as JSON."""
    from data_access.engine import cli_errors, configured_url, create_engine

    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--url", help="SQLAlchemy database URL (default: DATABASE_URL, secrets.toml, data/shop.duckdb)")
    parser.add_argument("--day", type=date.fromisoformat, required=day_required,
                        default=None if day_required else date.today() - timedelta(days=1), help=day_help)
    parser.add_argument("--store", action="append", help="limit to this store (repeatable)")
    parser.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    args = parser.parse_args(argv)

    @cli_errors
    def run() -> int:
        engine = create_engine(args.url or configured_url())
        try:
            result = compute(engine, args.day, tuple(args.store) if args.store else None)
        finally:
            engine.dispose()
        json.dump(json_ready(result), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0

    return run()
