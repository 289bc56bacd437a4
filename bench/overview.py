"""Daily overview render time in AppTest at a demo scale: cold cache and warm cache (medians of several runs).

Run: .venv/bin/python bench/overview.py [--scale default] [--runs 5]
Reuses the database that bench/queries.py builds under bench/results/.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.queries import ensure_db  # noqa: E402
from data_access import users  # noqa: E402
from data_access.engine import dispose_engine  # noqa: E402


def main() -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest's bare-mode warnings, once per run
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = ensure_db(args.scale)
    credentials = Path(tempfile.mkdtemp()) / "credentials.yaml"
    users.add_user(credentials, "bench", "bench-password-1", "admin")
    users.add_user(credentials, "benchmgr", "bench-password-1", "manager", stores="S01,S02")
    os.environ.update({"DATABASE_URL": url, "SHOP_CREDENTIALS": str(credentials),
                       "SHOP_COOKIE_KEY": "bench-cookie-key-0123456789abcdef"})
    dispose_engine()
    print(f"== overview page in AppTest, scale {args.scale}, medians of {args.runs} runs ==")
    for username in ("bench", "benchmgr"):
        cold, warm = [], []
        for _ in range(args.runs):
            st.cache_data.clear()
            at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=120)
            at.session_state["authentication_status"] = True
            at.session_state["username"] = username
            t0 = time.perf_counter()
            at.run()
            cold.append(time.perf_counter() - t0)
            assert not at.exception, at.exception
            assert len(at.metric) == 5, "overview did not render its KPI cards"
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        scope = "all stores" if username == "bench" else "2 stores"
        cold_ms, warm_ms = statistics.median(cold) * 1000, statistics.median(warm) * 1000
        print(f"{scope:<12} cold {cold_ms:8.0f} ms   warm {warm_ms:8.0f} ms   (cold/warm {cold_ms / warm_ms:.1f}x)")


if __name__ == "__main__":
    main()
