"""N real websocket sessions opening the overview at once: p50/p95 seconds for 1, 10 and 20 sessions.

Each session is what a browser with a re-login cookie does: connect to /_stcore/stream with the
cookie, ask for a run, wait until the overview's run finished. Sessions start together (a barrier);
the server is a real `streamlit run` on 127.0.0.1, bounded to --max-sessions. A warm-up session fills
the cache first, so the figures are the per-rerun cost under concurrency, as in issue 17.
Also prints the server's CPU seconds per session (from /proc), the figure that holds on a loaded box.
Ends with issue 17's goal check: the largest level's p50 under 5 s and under 3x the single session's p50.
Run: .venv/bin/python -m bench.concurrency [--sessions 1,10,20] [--rounds 2] [--app-root DIR]
(--sessions also takes "1 10 20"; --app-root runs another checkout's app.py against the same database, for a
before/after comparison. The load average is printed: on a busy box the wall times are the box's, not the app's.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import jwt
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from data_access import rollups
from data_access.accounts import sessions, users
from data_access.engine import create_engine
from data_access.schema import create_schema
from tests.support.browser_helpers import free_port

ROOT = Path(__file__).resolve().parent.parent

COOKIE_KEY = "bench-concurrency-cookie-key-0123456789abcdef"
PASSWORD = "bench-password-1"
DEFAULT_DB = ROOT / "bench" / "results" / "concurrency.duckdb"
MAX_SESSIONS = 50
DONE = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
#: Issue 17's goal for the largest level: p50 under GOAL_SECONDS and under GOAL_RATIO x one session's p50.
GOAL_SECONDS, GOAL_RATIO = 5.0, 3.0



def wait_healthy(base: str, tries: int = 300) -> None:
    """Wait until the server at base answers its health check (about 90 s at most)."""
    for _ in range(tries):
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)

def ensure_db(path: Path) -> str:
    """The small demo shop with current rollups at path, built once."""
    url = f"duckdb:///{path}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "data_access.demo", "--url", url, "--scale", "small"], cwd=ROOT,
                       check=True, capture_output=True)
        engine = create_engine(url)
        rollups.refresh(engine)
        engine.dispose()
    return url


def cookies(url: str, credentials: Path, count: int) -> list[str]:
    """count re-login cookies for the admin: each a live server-side session, readable by old and new code."""
    engine = create_engine(url)
    create_schema(engine)
    epoch = users.session_epoch(credentials, "admin") or ""
    expires = (datetime.now() + timedelta(days=7)).timestamp()
    made = [jwt.encode({"username": "admin", "sid": sessions.start(engine, "admin", epoch), "exp_date": expires},
                       COOKIE_KEY, algorithm="HS256") for _ in range(count)]
    engine.dispose()  # the server must be the only process holding the DuckDB file
    return made


def open_overview(base: str, cookie: str, start: threading.Barrier | None, timeout: float = 300) -> float:
    """Seconds from asking for the first run to the overview's finished run, over one websocket."""
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    # No client keepalive: on a saturated box the server answers pings late, and that is what is measured.
    with connect(ws_url, subprotocols=["streamlit"], open_timeout=60, max_size=None, ping_interval=None,
                 additional_headers={"Cookie": f"shop_ops_auth={cookie}", "Origin": base}) as ws:
        if start is not None:
            start.wait()
        request = BackMsg()
        request.rerun_script.query_string = ""
        request.rerun_script.page_script_hash = ""
        began = time.perf_counter()
        ws.send(request.SerializeToString())
        seen_overview = False
        deadline = began + timeout
        while time.perf_counter() < deadline:
            raw = ws.recv(timeout=deadline - time.perf_counter())
            seen_overview = seen_overview or b"Daily overview" in raw
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished == DONE and seen_overview:
                return time.perf_counter() - began
        raise TimeoutError("the overview did not finish")


def run_level(base: str, cookie_pool: list[str], n: int) -> list[float]:
    barrier = threading.Barrier(n)
    results: list[float] = [float("nan")] * n

    def one(i: int) -> None:
        try:
            results[i] = open_overview(base, cookie_pool[i], barrier)
        except (OSError, TimeoutError, ConnectionClosed) as exc:  # counted as a failed session, not a crash
            print(f"session {i} failed: {type(exc).__name__}: {exc}", file=sys.stderr)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used (all its threads), from /proc: unlike wall-clock time on a
    shared box, it counts only the server's own work."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def levels_arg(values: list[str]) -> list[int]:
    """--sessions as "1,10,20" or "1 10 20"."""
    return [int(part) for value in values for part in value.split(",") if part.strip()]


def goal_check(p50: dict[int, float]) -> str:
    """The goal line: the largest level against GOAL_SECONDS and GOAL_RATIO x the single session's p50."""
    if 1 not in p50 or len(p50) < 2:
        return "goal check: needs the single-session level and a larger one (--sessions 1,10,20)"
    n = max(p50)
    ratio = p50[n] / p50[1]
    met = p50[n] < GOAL_SECONDS and ratio < GOAL_RATIO
    return (f"goal check ({n} sessions p50 < {GOAL_SECONDS:g} s and < {GOAL_RATIO:g}x one session): p50 "
            f"{p50[n]:.2f} s, one session {p50[1]:.2f} s, ratio {ratio:.2f}: {'MET' if met else 'NOT MET'}")


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", nargs="+", default=["1,10,20"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--app-root", type=Path, default=ROOT)
    args = parser.parse_args()
    levels = [min(max(1, n), MAX_SESSIONS) for n in levels_arg(args.sessions)]
    url = ensure_db(args.db)
    with tempfile.TemporaryDirectory() as tmp:
        credentials = Path(tmp) / "credentials.yaml"
        users.add_user(credentials, "admin", PASSWORD, "admin")
        pool = cookies(url, credentials, 1 + sum(levels) * args.rounds)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "SHOP_CREDENTIALS": str(credentials), "SHOP_COOKIE_KEY": COOKIE_KEY}
        env.pop("SHOP_DEMO", None)
        log = open(Path(tmp) / "server.log", "wb")  # noqa: SIM115 - closed after the server stops
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(args.app_root / "app.py"),
                                   "--server.port", str(port), "--server.address", "127.0.0.1",
                                   "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                                  cwd=args.app_root, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base)
            warm = open_overview(base, pool.pop(), None)
            print(f"app {args.app_root}  database {args.db.name}  warm-up {warm:.2f} s  load average {load_average()}")
            p50: dict[int, float] = {}
            print(f"{'sessions':>8}  {'p50 s':>7}  {'p95 s':>7}  {'max s':>7}  {'server CPU s/session':>20}  failed")
            for n in levels:
                times: list[float] = []
                cpu_before = cpu_seconds(server.pid)
                for _ in range(args.rounds):
                    times += run_level(base, [pool.pop() for _ in range(n)], n)
                cpu_per_session = (cpu_seconds(server.pid) - cpu_before) / (n * args.rounds)
                done = [x for x in times if x == x]  # NaN: a session that failed
                if not done:
                    print(f"{n:>8}  every session failed")
                    continue
                p50[n] = statistics.median(done)
                print(f"{n:>8}  {p50[n]:>7.2f}  {percentile(done, 0.95):>7.2f}  {max(done):>7.2f}"
                      f"  {cpu_per_session:>20.3f}  {len(times) - len(done)} failed", flush=True)
            print(f"load average {load_average()}")
            print(goal_check(p50))
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
