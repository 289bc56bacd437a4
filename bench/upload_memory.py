"""Memory per upload: peak memory of read + detect + analyse per cell for narrow and wide CSVs and an .xlsx, against the
budget's estimate (data_access.ingest.budget), and how fast an .xlsx zip bomb and an over-budget CSV are refused.

Each case runs in a fresh Python process so its peak resident memory (VmHWM, see _peak_mb) is its own; the baseline
is the same process importing the libraries and reading the file's bytes. Prints per case: file MB, cells, peak MB
above the baseline, bytes per cell, the budget's estimate for the file and whether the estimate covers the measured
peak; then the CPU seconds to refuse .xlsx bombs inflating to 900 MB and 2 GB and an over-budget narrow CSV.
Run: .venv/bin/python -m bench.upload_memory [--rows 400000]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def _peak_mb() -> float:
    """This process's peak resident memory in MB: VmHWM, which (unlike ru_maxrss) starts afresh at exec, so a big
    parent does not leak its own peak into the child's figure."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_narrow(path: Path, rows: int) -> None:
    """Inventory rows of three short columns (the narrow case: most memory per byte)."""
    rng = np.random.default_rng(3)
    pd.DataFrame({"sku": pd.Series(rng.integers(0, 999, rows)).astype(str).radd("P"),
                  "on_hand": rng.integers(0, 50, rows), "store_id": "S1"}).to_csv(path, index=False)


def write_wide(path: Path, rows: int) -> None:
    """An order report of nine columns with Chinese text (bench.ingest's file)."""
    from bench.ingest import write_orders_csv

    write_orders_csv(path, rows)


def write_xlsx(path: Path, rows: int) -> None:
    frame = pd.DataFrame({"sku": [f"P{i % 999}" for i in range(rows)], "on_hand": np.arange(rows) % 50,
                          "store_id": "S1", "day": "2025-01-01"})
    frame.to_excel(path, index=False)


def zip_bomb(inflated_bytes: int) -> bytes:
    """An .xlsx whose one worksheet inflates to inflated_bytes of repeated rows (well under 1 MB compressed)."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    head = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="a" sheetId="1"/></sheets></workbook>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head)
            chunk = row * (1 << 14)
            for _ in range(inflated_bytes // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def child(case: str, file: Path) -> dict:
    """Read the file's bytes (the baseline), then read_file + detect + analyse; peak MB of each."""
    from data_access.ingest import budget
    from data_access.ingest.analysis import analyse
    from data_access.ingest.detect import detect
    from data_access.ingest.errors import IngestError
    from data_access.ingest.read import read_file

    data = file.read_bytes()
    baseline = _peak_mb()
    started = time.process_time()
    try:
        raw = read_file(data, file.name)
    except IngestError as error:
        return {"refused": error.code, "cpu_s": time.process_time() - started, "baseline_mb": baseline,
                "peak_mb": _peak_mb()}
    detection = detect(raw)
    analyse(raw, detection.kind, detection.mapping)
    cells = raw.frame.shape[0] * raw.frame.shape[1]
    per_cell = budget.XLSX_BYTES_PER_CELL if file.suffix == ".xlsx" else budget.BYTES_PER_CELL
    return {"refused": None, "cpu_s": time.process_time() - started, "baseline_mb": baseline, "peak_mb": _peak_mb(),
            "cells": cells, "estimate_mb": budget.estimate_bytes(len(data), raw.frame.shape[0],
                                                                 raw.frame.shape[1], per_cell) / 2**20,
            "budget_mb": budget.memory_budget_bytes() / 2**20}


def run(case: str, file: Path, env: dict | None = None) -> dict:
    import os

    done = subprocess.run([sys.executable, "-m", "bench.upload_memory", "--child", case, "--file", str(file)],
                          capture_output=True, text=True, cwd=ROOT, check=False, env={**os.environ, **(env or {})})
    if done.returncode:
        raise SystemExit(f"{case} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--child")
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-upload-memory-") as folder:
        folder = Path(folder)
        cases = {"narrow csv": (folder / "stock.csv", write_narrow, args.rows * 4),
                 "wide csv": (folder / "orders.csv", write_wide, args.rows),
                 "xlsx": (folder / "stock.xlsx", write_xlsx, args.rows // 2)}
        print(f"{'case':<12}{'file MB':>9}{'cells':>12}{'peak MB':>9}{'B/cell':>8}{'estimate MB':>13}  covered")
        for name, (path, write, rows) in cases.items():
            write(path, rows)
            got = run(name, path)
            used = got["peak_mb"] - got["baseline_mb"]
            print(f"{name:<12}{path.stat().st_size / 2**20:>9.1f}{got['cells']:>12,}{used:>9.0f}"
                  f"{used * 2**20 / got['cells']:>8.0f}{got['estimate_mb']:>13.0f}  "
                  f"{'yes' if got['estimate_mb'] >= used else 'NO'}", flush=True)
        for inflated_mb in (900, 2048):
            bomb = folder / f"bomb{inflated_mb}.xlsx"
            bomb.write_bytes(zip_bomb(inflated_mb * 2**20))
            got = run("bomb", bomb)
            print(f"xlsx bomb: {bomb.stat().st_size / 2**20:.2f} MB on disk, {inflated_mb} MB inflated: refused "
                  f"({got['refused']}) in {got['cpu_s']:.3f} CPU s, peak {got['peak_mb'] - got['baseline_mb']:.0f} "
                  "MB above the baseline")
        narrow = cases["narrow csv"][0]
        got = run("over budget", narrow, {"SHOP_UPLOAD_MEMORY_MB": "64"})
        print(f"narrow csv with a 64 MB budget: refused ({got['refused']}) in {got['cpu_s']:.3f} CPU s, "
              f"peak {got['peak_mb'] - got['baseline_mb']:.0f} MB above the baseline")


if __name__ == "__main__":
    main()
