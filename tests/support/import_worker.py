"""Subprocess side of tests/upload/test_import_concurrency.py: python -m tests.support.import_worker MODE URL START
[PREFIX]. Waits until the file START exists (the processes start together), then runs ROUNDS imports of PREFIX's
batch (MODE import) or rollup rebuilds (MODE refresh)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from data_access import rollups
from data_access.engine import create_engine
from data_access.ingest.load import import_and_refresh
from data_access.ingest.model import Validation

ROUNDS = 3


def batch(prefix: str, count: int = 40) -> Validation:
    """count delivered order-level orders of store S1, one a minute from 10 May 2025 00:00, paid 1..count."""
    frame = pd.DataFrame({"order_id": [f"{prefix}-{i}" for i in range(count)], "store_id": "S1", "channel": "direct",
                          "ordered_at": pd.date_range("2025-05-10", periods=count, freq="min"), "status": "delivered",
                          "paid_total": [float(i + 1) for i in range(count)]})
    return Validation(kind="orders", tables={"orders": frame}, errors=Validation.no_errors(), rows=count,
                      valid_rows=count)


def main(mode: str, url: str, start: str, prefix: str = "") -> None:
    engine = create_engine(url)
    Path(f"{start}.{mode}{prefix}.ready").touch()
    while not Path(start).exists():
        time.sleep(0.01)
    for round_number in range(ROUNDS):
        if mode == "import":
            import_and_refresh(engine, batch(f"{prefix}{round_number}"), username=prefix, filename=f"{prefix}.csv")
        else:
            rollups.refresh(engine)
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
