"""The server side of bench/profile_overview.py: `streamlit run APP` with profilers (run as a script).

SIGUSR1 starts a profiler in the event-loop thread and one around every script run, afresh; SIGUSR2 writes them
together to OUT (pstats) and the runs' count and CPU seconds to OUT with the suffix .json.
Usage: python bench/profile_server.py APP PORT OUT
"""

from __future__ import annotations

import sys


def serve(app: str, port: int, out: str) -> None:
    """streamlit run app with the profilers (see the module docstring)."""
    import cProfile
    import json
    import pstats
    import signal
    import threading
    import time
    from pathlib import Path

    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
    from streamlit.web import cli

    state = {"on": False, "runs": [], "script_cpu": 0.0, "cpu_at_start": 0.0}
    loop_profile = cProfile.Profile()
    lock = threading.Lock()
    original = ScriptRunner._run_script

    def run_script(self, rerun_data) -> None:
        if not state["on"]:
            return original(self, rerun_data)
        profile = cProfile.Profile()
        began = time.thread_time()
        profile.enable()
        try:
            return original(self, rerun_data)
        finally:
            profile.disable()
            with lock:
                state["runs"].append(profile)
                state["script_cpu"] += time.thread_time() - began

    def start(*_args) -> None:
        with lock:
            state.update(on=True, runs=[], script_cpu=0.0, cpu_at_start=time.process_time())
        loop_profile.enable()  # signal handlers run in the main thread: the event loop's

    def dump(*_args) -> None:
        loop_profile.disable()
        with lock:
            stats = pstats.Stats(loop_profile)
            for profile in state["runs"]:
                stats.add(profile)
            stats.dump_stats(out)
            Path(out).with_suffix(".json").write_text(json.dumps({
                "script_runs": len(state["runs"]), "script_cpu": state["script_cpu"],
                "process_cpu": time.process_time() - state["cpu_at_start"]}))

    ScriptRunner._run_script = run_script
    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, dump)
    sys.argv = ["streamlit", "run", str(app), "--server.port", str(port), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    cli.main()


if __name__ == "__main__":
    # This file's folder (bench/) must not shadow the app's packages (bench/alerts.py and the app's alerts/).
    sys.path.pop(0)
    serve(sys.argv[1], int(sys.argv[2]), sys.argv[3])
