"""cProfile of one overview session's server-side work: the top costs and the server's total CPU seconds.

A real `streamlit run` of app.py (started in a child process with a profiler in its event-loop thread and
one around every script run), a warm-up session first (cache filled, as in bench/concurrency.py), then
--sessions sessions with a re-login cookie open the overview one after another. Printed: the server's CPU
seconds per session (all threads, /proc), the script threads' CPU per session, the number of script runs,
and the top --top functions by cumulative time over the event loop and the script runs together.
Profiling slows Python code down, so the CPU figures printed here are above bench/concurrency.py's.
Run: .venv/bin/python -m bench.profile_overview [--sessions 3] [--top 30] [--app-root DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.concurrency import (
    COOKIE_KEY,
    DEFAULT_DB,
    PASSWORD,
    ROOT,
    cookies,
    cpu_seconds,
    ensure_db,
    open_overview,
    wait_healthy,
)
from tests.support.browser_helpers import free_port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--app-root", type=Path, default=ROOT)
    args = parser.parse_args()
    from data_access.accounts import users

    url = ensure_db(args.db)
    with tempfile.TemporaryDirectory() as tmp:
        credentials = Path(tmp) / "credentials.yaml"
        users.add_user(credentials, "admin", PASSWORD, "admin")
        pool = cookies(url, credentials, 1 + args.sessions)
        port, out = free_port(), Path(tmp) / "overview.prof"
        env = {**os.environ, "DATABASE_URL": url, "SHOP_CREDENTIALS": str(credentials), "SHOP_COOKIE_KEY": COOKIE_KEY}
        env.pop("SHOP_DEMO", None)
        log = open(Path(tmp) / "server.log", "wb")  # noqa: SIM115 - closed after the server stops
        # A script, not a module: the child imports nothing of this checkout, so --app-root's code is profiled.
        server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("profile_server.py")),
                                   str(args.app_root / "app.py"), str(port), str(out)],
                                  cwd=args.app_root, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base)
            open_overview(base, pool.pop(), None)  # warm-up: caches filled, not profiled
            time.sleep(1)
            cpu_before = cpu_seconds(server.pid)
            server.send_signal(signal.SIGUSR1)
            time.sleep(0.5)
            walls = [open_overview(base, pool.pop(), None) for _ in range(args.sessions)]
            time.sleep(1)  # the last messages and the session's disconnect
            server.send_signal(signal.SIGUSR2)
            for _ in range(100):
                if out.with_suffix(".json").exists():
                    break
                time.sleep(0.2)
            cpu_total = cpu_seconds(server.pid) - cpu_before
            summary = json.loads(out.with_suffix(".json").read_text())
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        n = args.sessions
        print(f"app {args.app_root}  {n} overview session(s), profiled")
        print(f"server CPU s/session (all threads, /proc): {cpu_total / n:.3f}")
        print(f"script threads CPU s/session: {summary['script_cpu'] / n:.3f}  script runs/session: "
              f"{summary['script_runs'] / n:.1f}  wall s/session (median): {sorted(walls)[n // 2]:.2f}")
        text = io.StringIO()
        pstats.Stats(str(out), stream=text).sort_stats("cumulative").print_stats(args.top)
        print(text.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
