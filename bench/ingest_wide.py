"""Wide files (issue 14): read, detect and analyse a file with many columns; prints seconds per step.

Run: python -m bench.ingest_wide [--columns 1000] [--rows 3] [--mixed]. --mixed writes text, number, date and
category columns in turn (a 9 MB file at --rows 1000), not numbers only. Compare with another tree's code by
running this file with that tree first on the path: PYTHONPATH=/work/main python bench/ingest_wide.py ...
The figures (wall and CPU seconds) are printed, never asserted.
"""

from __future__ import annotations

import argparse
import time

from data_access.ingest import analyse, detect, read_file


def _cell(column: int, row: int, mixed: bool) -> str:
    if not mixed:
        return str(column + row)
    kind = column % 4
    if kind == 0:
        return f"{(column * 31 + row * 17) % 10000 / 100:.2f}"
    if kind == 1:
        return f"item-{(column + row) % 97} note"
    if kind == 2:
        return f"2025-{1 + row % 12:02d}-{1 + (row + column) % 28:02d} {row % 24:02d}:{column % 60:02d}:00"
    return "ABC"[(row + column) % 3]


def wide_file(columns: int, rows: int, mixed: bool) -> bytes:
    header = ",".join(f"c{i}" for i in range(columns))
    lines = "\n".join(",".join(_cell(j, r, mixed) for j in range(columns)) for r in range(rows))
    return (header + "\n" + lines + "\n").encode()


def _timed(step):
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=3)
    parser.add_argument("--mixed", action="store_true", help="text, number, date and category columns")
    args = parser.parse_args()
    body = wide_file(args.columns, args.rows, args.mixed)
    raw, read_s, read_cpu = _timed(lambda: read_file(body, "wide.csv"))
    found, detect_s, detect_cpu = _timed(lambda: detect(raw))
    _, analyse_s, analyse_cpu = _timed(lambda: analyse(raw, found.kind if found.kind != "unknown" else "orders",
                                                       found.mapping))
    print(f"{args.columns} columns x {args.rows} rows ({len(body) / 1024 / 1024:.1f} MB"
          f"{', mixed' if args.mixed else ''}): read {read_s:.2f}s ({read_cpu:.2f} CPU), detect {detect_s:.2f}s "
          f"({detect_cpu:.2f} CPU, {found.kind}), analyse {analyse_s:.2f}s ({analyse_cpu:.2f} CPU)")


if __name__ == "__main__":
    main()
