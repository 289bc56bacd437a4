"""The credential store's command line: python -m data_access.users add|passwd|disable|enable|list|remove|set-*|demo."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from data_access.accounts.changes import change_user
from data_access.accounts.users import (
    ALL_STORES,
    DEFAULT_PATH,
    ENV_PATH,
    LANGS,
    ROLES,
    UserError,
    credentials_path,
    ensure_demo_users,
    get_user,
    list_users,
)
from data_access.engine import ConfigError, cli_errors


def _read_password(from_stdin: bool) -> str:
    """A new password from one stdin line, or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if first != getpass.getpass("Repeat password: "):
        raise UserError("passwords do not match")
    return first


def _format_stores(stores: str | list[str]) -> str:
    """A store scope as CLI text."""
    return stores if isinstance(stores, str) else ",".join(stores) or "-"


def _print_users(path: Path) -> None:
    """One line per user: username, role, stores, language, name, email."""
    rows = [("USERNAME", "ROLE", "STORES", "LANG", "NAME", "EMAIL")]
    for user in list_users(path):
        rows.append((user["username"], user["role"] or "-", _format_stores(user["stores"]),
                     user["lang"], user["name"], user["email"] or "-"))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _parser() -> argparse.ArgumentParser:
    """The CLI: add, passwd, list, remove, set-role, set-stores, set-lang."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--file", help=f"credentials YAML (default ${ENV_PATH} or {DEFAULT_PATH})")
    parser = argparse.ArgumentParser(prog="python -m data_access.users", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", parents=[common], help="add a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, help=", ".join(ROLES))
    add.add_argument("--stores", default=ALL_STORES, help="'all' or comma-separated store ids")
    add.add_argument("--name")
    add.add_argument("--email")
    add.add_argument("--lang", default="en", help=", ".join(LANGS))
    add.add_argument("--password-stdin", action="store_true", help="read the password from one stdin line")
    passwd = sub.add_parser("passwd", parents=[common], help="set a user's password")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true")
    sub.add_parser("list", parents=[common], help="list users (no hashes)")
    demo = sub.add_parser("demo", parents=[common],
                          help="create the demo users once (stores read from the database) and print their passwords")
    demo.add_argument("--url", help="database URL (default: the configured one)")
    remove = sub.add_parser("remove", parents=[common], help="remove a user")
    remove.add_argument("username")
    for command in ("disable", "enable"):
        sub.add_parser(command, parents=[common], help=f"{command} a user's login").add_argument("username")
    for command, value, what in (("set-role", "role", ", ".join(ROLES)),
                                 ("set-stores", "stores", "'all' or comma-separated store ids"),
                                 ("set-lang", "lang", ", ".join(LANGS))):
        setter = sub.add_parser(command, parents=[common], help=f"change a user's {value}")
        setter.add_argument("username")
        setter.add_argument(value, help=what)
    return parser


def _run(args: argparse.Namespace) -> str | None:
    """Carry out one parsed command; returns the message to print."""
    path = credentials_path(args.file)
    if args.command == "list":
        _print_users(path)
        return None
    if args.command == "demo":
        return _demo(path, args.url)
    password = _read_password(args.password_stdin) if args.command in ("add", "passwd") else None
    by = os.environ.get("USER") or os.environ.get("USERNAME") or "cli"
    name = change_user(path, args.command, args.username, by=by, audit=_audit_change, password=password,
                       role=getattr(args, "role", None), stores=getattr(args, "stores", None),
                       lang=getattr(args, "lang", None), name=getattr(args, "name", None),
                       email=getattr(args, "email", None))
    if args.command == "add":
        return f"added {name} ({args.role}) to {path}"
    return f"{DONE[args.command]} {name} in {path}"


#: What the CLI prints after each change.
DONE = {"passwd": "password changed for", "remove": "removed", "set-role": "role changed for",
        "set-stores": "stores changed for", "set-lang": "language changed for", "disable": "disabled",
        "enable": "enabled"}


def _audit_change(username: str, detail: str) -> None:
    """Record a user change (detail names the CLI's OS user) in the configured database's audit log, client "cli".

    The change itself is already saved: when the database cannot be reached this says so on stderr
    instead of failing, so an admin can still fix accounts while the database is down.
    """
    from data_access import audit
    from data_access.engine import DEFAULT_DB_PATH, configured_url, get_engine
    from data_access.schema import create_schema

    url = configured_url()
    if url == f"duckdb:///{DEFAULT_DB_PATH}" and not DEFAULT_DB_PATH.exists():
        print("warning: the change is saved but not in the audit log: no database yet", file=sys.stderr)
        return
    try:
        engine = get_engine(url)
        create_schema(engine)
        audit.log_event(engine, username, audit.USER_CHANGED, detail, client="cli")
    except ConfigError as exc:
        print(f"warning: the change is saved but not in the audit log: {exc}", file=sys.stderr)


def _demo(path: Path, url: str | None) -> str:
    """Create the demo users when the credentials file is missing; the passwords are printed only now."""
    from data_access.engine import get_engine
    from data_access.filters import Filters
    from data_access.lookups import list_stores

    if path.exists():
        return f"users already set up in {path} (change a password with: python -m data_access.users passwd NAME)"
    created = ensure_demo_users(path, list_stores(get_engine(url), Filters.all_time())["store_id"].tolist())
    lines = [f"Demo users created in {path}. Passwords are shown this once; only bcrypt hashes are stored:"]
    for username, password in created.items():
        record = get_user(path, username)
        scope = _format_stores(record["stores"])
        lines.append(f"  {username:<9} {password:<20} role={record['role']:<9} stores={scope}")
    return "\n".join(lines)


@cli_errors
def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m data_access.users`; exit status 2 on bad input."""
    args = _parser().parse_args(argv)
    try:
        message = _run(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if message:
        print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
