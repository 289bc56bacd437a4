"""Wide files (issue 14): read, detect and analyse a small file with many columns; prints seconds per step.

Run: python -m bench.ingest_wide [--columns 1000] [--rows 3]. The figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import time

from data_access.ingest import analyse, detect, read_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=3)
    args = parser.parse_args()
    header = ",".join(f"c{i}" for i in range(args.columns))
    rows = "\n".join(",".join(str(j + r) for j in range(args.columns)) for r in range(args.rows))
    body = (header + "\n" + rows + "\n").encode()
    started = time.perf_counter()
    raw = read_file(body, "wide.csv")
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    found = detect(raw)
    detect_s = time.perf_counter() - started
    started = time.perf_counter()
    analyse(raw, found.kind if found.kind != "unknown" else "orders", found.mapping)
    analyse_s = time.perf_counter() - started
    print(f"{args.columns} columns x {args.rows} rows ({len(body) / 1024:.1f} KB): read {read_s:.2f}s, "
          f"detect {detect_s:.2f}s ({found.kind}), analyse {analyse_s:.2f}s")


if __name__ == "__main__":
    main()
