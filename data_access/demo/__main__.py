"""CLI: python -m data_access.demo --url URL --scale small|default|large [--seed 42] [--end-date D] [--if-missing]."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from data_access.demo.config import SCALES
from data_access.demo.load import build, demo_present
from data_access.engine import cli_errors, configured_url, create_engine, safe_url_text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_access.demo", description=__doc__)
    parser.add_argument("--url", help="SQLAlchemy database URL (default: DATABASE_URL, secrets.toml, data/shop.duckdb)")
    parser.add_argument("--scale", choices=list(SCALES), default="default")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=date.fromisoformat, default=None,
                        help="last day of history, YYYY-MM-DD (default: yesterday)")
    parser.add_argument("--if-missing", action="store_true", help="do nothing when the demo data is already there")
    return parser


@cli_errors
def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = args.url or configured_url()
    engine = create_engine(url)
    try:
        if args.if_missing and demo_present(engine):
            print(f"demo data already present in {safe_url_text(url)}: nothing to do")
            return 0
        started = time.perf_counter()
        print(f"building the {args.scale} demo shop (seed {args.seed}) in {safe_url_text(url)}", flush=True)
        counts = build(engine, scale=args.scale, seed=args.seed, end_date=args.end_date,
                       progress=lambda line: print(line, flush=True))
    finally:
        engine.dispose()
    width = max(len(name) for name in counts)
    for name, rows in counts.items():
        print(f"  {name:<{width}}  {rows:>12,}")
    print(f"done in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
