"""One rule for changing a user: the change in the credential store and its audit entry, for the CLI and the
admin page alike (python -m data_access.users and pages/admin.py both call change_user)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from data_access.accounts import users

#: The changes an admin can make, as the CLI names them.
COMMANDS = ("add", "passwd", "disable", "enable", "set-role", "set-stores", "set-lang", "remove")


def _scope_text(stores: str | Iterable[str]) -> str:
    scope = users.parse_stores(stores)
    return scope if isinstance(scope, str) else ",".join(scope)


def change_user(path: str | Path | None, command: str, username: str, *, by: str,
                audit: Callable[[str, str], None], password: str | None = None, role: str | None = None,
                stores: str | Iterable[str] | None = None, lang: str | None = None, name: str | None = None,
                email: str | None = None) -> str:
    """Carry out one of COMMANDS for username, then audit(username, detail) with who did it; returns the stored
    (lowercase) username. users.UserError for bad input (nothing is changed or audited then).

    The audit detail names what changed, never a password.
    """
    if command == "add":
        scope = users.ALL_STORES if stores is None else stores
        username = users.add_user(path, username, password or "", role or "", scope, name, email, lang or "en")
        detail = f"user added: role {role}, stores {_scope_text(scope)}"
    elif command == "passwd":
        users.set_password(path, username, password or "")
        detail = "password changed"
    elif command in ("disable", "enable"):
        users.set_disabled(path, username, command == "disable")
        detail = "user disabled" if command == "disable" else "user enabled"
    elif command == "set-role":
        users.set_role(path, username, role or "")
        detail = f"role set to {role}"
    elif command == "set-stores":
        users.set_stores(path, username, stores or "")
        detail = f"stores set to {_scope_text(stores or '')}"
    elif command == "set-lang":
        users.set_lang(path, username, lang or "")
        detail = f"language set to {lang}"
    elif command == "remove":
        users.remove_user(path, username)
        detail = "user removed"
    else:
        raise users.UserError(f"unknown change {command!r}: use one of {', '.join(COMMANDS)}")
    username = users.normalise_username(username)
    audit(username, f"{detail} (by {by})")
    return username
