"""python -m alerts --url URL [--day YYYY-MM-DD] --json: the day's alerts as JSON; nothing is stored or sent."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta


def main(argv: list[str] | None = None) -> int:
    from alerts.explain import json_ready
    from alerts.rules import evaluate
    from data_access.engine import cli_errors, configured_url, create_engine

    parser = argparse.ArgumentParser(prog="python -m alerts", description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="SQLAlchemy database URL (default: DATABASE_URL, secrets.toml, data/shop.duckdb)")
    parser.add_argument("--day", type=date.fromisoformat, default=date.today() - timedelta(days=1),
                        help="YYYY-MM-DD (default: yesterday)")
    parser.add_argument("--store", action="append", help="limit to this store (repeatable)")
    parser.add_argument("--json", action="store_true", help="print JSON (the only output format)")
    args = parser.parse_args(argv)

    @cli_errors
    def run() -> int:
        engine = create_engine(args.url or configured_url())
        try:
            found = evaluate(engine, args.day, tuple(args.store) if args.store else None)
        finally:
            engine.dispose()
        json.dump(json_ready(found), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0

    return run()


if __name__ == "__main__":
    raise SystemExit(main())
