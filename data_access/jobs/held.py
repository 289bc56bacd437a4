"""The one-line message for a CLI that finds the DuckDB file held by another process (usually the running app)."""

from __future__ import annotations

import re
from pathlib import Path

_HELD = re.compile(r'Could not set lock on file "(?P<file>[^"]+)": Conflicting lock is held in (?P<program>.+?)'
                   r"(?: \(PID (?P<pid>\d+)\))?(?: by user (?P<user>\S+))?\.?(?: See also|$)")

ADVICE = ("use the app's Jobs page (运行任务) for this while the app runs, stop the app first, "
          "or use PostgreSQL (DATABASE_URL) to run several processes at once")


def _command_line(pid: str) -> str | None:
    # Linux names a live process's command; elsewhere (or once it ended) the program DuckDB named is what we have.
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    words = [w for w in raw.decode(errors="replace").split("\0") if w]
    return " ".join(" ".join(words).split())[:160] or None


def held_message(error_text: str) -> str | None:
    """A plain sentence naming the file, what holds it and what to do; None when the error is not a held file."""
    match = _HELD.search(error_text)
    if match is None:
        return None
    holder = match["program"]
    if match["pid"]:
        holder = f"process {match['pid']} ({_command_line(match['pid']) or match['program']})"
    return f"the database file {match['file']} is in use by {holder}: {ADVICE}."
