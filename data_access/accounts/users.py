"""User store: a streamlit-authenticator 0.4 credentials YAML with bcrypt hashes, roles, store scopes and language.

Long because the file (atomic writes under one lock), validation, reading and changing of one store belong
together; its command line is data_access.accounts.cli.
"""

from __future__ import annotations

import copy
import os
import re
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import bcrypt
import yaml

from data_access.engine import PROJECT_ROOT, ConfigError

DEFAULT_PATH = PROJECT_ROOT / ".streamlit" / "credentials.yaml"
ENV_PATH = "SHOP_CREDENTIALS"
ENV_DEMO_PASSWORD = "SHOP_DEMO_PASSWORD"

ROLES = ("admin", "manager", "marketer", "analyst")
LANGS = ("en", "zh")
ALL_STORES = "all"
MIN_PASSWORD_LENGTH = 8
# bcrypt only looks at the first 72 bytes (bcrypt 5 refuses longer input), so longer is refused here.
MAX_PASSWORD_BYTES = 72
BCRYPT_ROUNDS = 12
# streamlit-authenticator lowercases usernames at login, so stored names are lowercase too.
USERNAME_PATTERN = re.compile(r"[a-z][a-z0-9_.-]{1,31}")
STORE_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,32}")
_HEADER = "# Managed by `python -m data_access.users`; passwords are bcrypt hashes, never plaintext.\n"


class UserError(ValueError):
    """Bad input for the user store (unknown user, weak password, bad role), explained in one line."""


# ---------------------------------------------------------------- file


def credentials_path(path: str | Path | None = None) -> Path:
    """path, else $SHOP_CREDENTIALS, else PROJECT_ROOT/.streamlit/credentials.yaml."""
    if path:
        return Path(path)
    return Path(os.environ.get(ENV_PATH, "").strip() or DEFAULT_PATH)


# Parsed credentials by file, keyed by what a write changes (inode, size, mtime): every rerun reads the user
# store, and parsing YAML each time was a measurable part of a rerun. Writes go through os.replace (new inode).
_cache: dict[Path, tuple[tuple, dict]] = {}


def _stamp(file: Path) -> tuple | None:
    """What identifies one version of the file on disk, None when it is missing or unreadable."""
    try:
        st = file.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def load_users(path: str | Path | None = None) -> dict:
    """The whole credentials document ({"credentials": {"usernames": {...}}, ...}); empty when missing."""
    file = credentials_path(path)
    stamp = _stamp(file)
    cached = _cache.get(file)
    if stamp is not None and cached is not None and cached[0] == stamp:
        return copy.deepcopy(cached[1])  # callers change the document before saving it
    data = _parse(file)
    if stamp is not None and _stamp(file) == stamp:
        _cache[file] = (stamp, copy.deepcopy(data))
    return data


def _parse(file: Path) -> dict:
    """The credentials document read from file (see load_users)."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except OSError as exc:
        raise ConfigError(f"Cannot read {file}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{file} is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{file} must be a YAML mapping with a 'credentials' key")
    credentials = data.setdefault("credentials", {}) or {}
    data["credentials"] = credentials
    credentials["usernames"] = credentials.get("usernames") or {}
    return data


def _write_temp(file: Path, data: dict) -> Path:
    """data as YAML in a 0600 temporary file next to file (same filesystem, so renames are atomic)."""
    file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(_HEADER)
            yaml.safe_dump(data, handle, allow_unicode=True, sort_keys=False, default_flow_style=False)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def save_users(path: str | Path | None, data: dict) -> None:
    """Write the credentials document atomically (temp file + os.replace) with mode 0600."""
    file = credentials_path(path)
    try:
        temp = _write_temp(file, data)
        os.replace(temp, file)
    except OSError as exc:
        raise ConfigError(f"Cannot write {file}: {exc.strerror}") from None


def _create_new(file: Path, data: dict) -> bool:
    """Write data to file only if file does not exist yet (atomic via a hard link); False if it did."""
    try:
        temp = _write_temp(file, data)
    except OSError as exc:
        raise ConfigError(f"Cannot write {file}: {exc.strerror}") from None
    try:
        os.link(temp, file)
        return True
    except FileExistsError:
        return False
    except OSError:
        # Filesystems without hard links: a tiny race is acceptable for demo users.
        if file.exists():
            return False
        os.replace(temp, file)
        return True
    finally:
        temp.unlink(missing_ok=True)


def _users(data: dict) -> dict:
    """The username -> record mapping inside a credentials document."""
    return data["credentials"]["usernames"]


# ---------------------------------------------------------------- validation


def normalise_username(username: str) -> str:
    """username lowercased and checked: a letter, then 1-31 of a-z 0-9 _ . -"""
    name = str(username or "").strip().lower()
    if not USERNAME_PATTERN.fullmatch(name):
        raise UserError(f"invalid username {username!r}: use 2-32 characters a-z 0-9 _ . - starting with a letter")
    return name


def check_role(role: str) -> str:
    """role if it is one of ROLES."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    return role


def check_lang(lang: str) -> str:
    """lang if it is one of LANGS."""
    if lang not in LANGS:
        raise UserError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    return lang


def check_password(password: str) -> str:
    """password if it is long enough for a login and short enough for bcrypt."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise UserError(f"password too long: bcrypt uses at most {MAX_PASSWORD_BYTES} bytes")
    return password


def parse_stores(stores: str | Iterable[str]) -> str | list[str]:
    """"all", or a non-empty list of store ids from a list or a comma-separated string ("S01,S02")."""
    if isinstance(stores, str):
        if stores.strip().lower() == ALL_STORES:
            return ALL_STORES
        stores = stores.split(",")
    ids = list(dict.fromkeys(str(s).strip() for s in stores if str(s).strip()))
    bad = [s for s in ids if not STORE_ID_PATTERN.fullmatch(s)]
    if bad:
        raise UserError(f"invalid store id {bad[0]!r}: use letters, digits, _ and -")
    if not ids:
        raise UserError("no stores given: pass 'all' or store ids such as S01,S02")
    return ids


def hash_password(password: str) -> str:
    """A bcrypt hash of a checked password (the format streamlit-authenticator's Hasher produces)."""
    check_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check against for unknown users, so timing does not reveal which usernames exist."""
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def _check_hash(password: str, hashed: str) -> bool:
    """Whether password matches a bcrypt hash; False for malformed hashes or over-long passwords."""
    try:
        return bcrypt.checkpw(str(password).encode("utf-8"), str(hashed).encode("ascii"))
    except (ValueError, TypeError, UnicodeEncodeError):
        return False


# ---------------------------------------------------------------- reading


def _public(username: str, record: dict) -> dict:
    """A user's fields without the password hash; a missing store scope means no stores (fail closed)."""
    roles = record.get("roles") or []
    name = f"{record.get('first_name', '')} {record.get('last_name', '')}".strip() or record.get("name") or username
    stores = record.get("store_scope")
    return {
        "username": username,
        "name": name,
        "email": record.get("email", ""),
        "role": roles[0] if roles else None,
        "stores": stores if stores == ALL_STORES else list(stores or []),
        "lang": record.get("lang", "en"),
        # a disabled user cannot log in (verify_password is False) and keeps no session
        "disabled": bool(record.get("disabled", False)),
        # epoch seconds of the last password change (0 = never): older re-login cookies are refused
        "password_changed_at": int(record.get("password_changed_at", 0) or 0),
    }


def get_user(path: str | Path | None, username: str) -> dict | None:
    """{username, name, email, role, stores ("all" or ids), lang} for a user, or None when unknown."""
    name = str(username or "").strip().lower()
    record = _users(load_users(path)).get(name)
    return _public(name, record) if isinstance(record, dict) else None


def session_epoch(path: str | Path | None, username: str) -> str | None:
    """The user's session epoch (rotated by a password, role or scope change, new for a re-created user:
    sessions started under another epoch are over), None when the user is unknown."""
    record = _users(load_users(path)).get(str(username or "").strip().lower())
    return str(record.get("session_epoch", "") or "") if isinstance(record, dict) else None


def list_users(path: str | Path | None = None) -> list[dict]:
    """Every user's public fields (see get_user), sorted by username; never the hashes."""
    users = _users(load_users(path))
    return [_public(name, record) for name, record in sorted(users.items()) if isinstance(record, dict)]


def verify_password(path: str | Path | None, username: str, password: str) -> bool:
    """Whether password is the user's password; unknown and disabled users cost the same time and return False."""
    record = _users(load_users(path)).get(str(username or "").strip().lower())
    hashed = record.get("password") if isinstance(record, dict) and not record.get("disabled") else None
    if not hashed:
        _check_hash(password, _dummy_hash())
        return False
    return _check_hash(password, hashed)


# ---------------------------------------------------------------- changing


def _is_active_admin(record: dict | None) -> bool:
    """Whether a user record is an enabled admin."""
    return "admin" in (record or {}).get("roles", []) and not (record or {}).get("disabled")


def _admin_count(users: dict) -> int:
    """How many enabled users have the admin role (the last one may not be demoted, disabled or removed)."""
    return sum(1 for record in users.values() if _is_active_admin(record))


def _update(path: str | Path | None, username: str, change: Callable[[dict, dict], None]) -> None:
    """Load, apply change(users, record) to an existing user, save."""
    data = load_users(path)
    users = _users(data)
    name = normalise_username(username)
    if name not in users:
        raise UserError(f"no such user {name!r}")
    change(users, users[name])
    save_users(path, data)


def add_user(
    path: str | Path | None,
    username: str,
    password: str,
    role: str,
    stores: str | Iterable[str] = ALL_STORES,
    name: str | None = None,
    email: str | None = None,
    lang: str = "en",
) -> str:
    """Create a user with a bcrypt-hashed password; returns the stored (lowercase) username."""
    username = normalise_username(username)
    email = str(email or "").strip()
    if email and "@" not in email:
        raise UserError(f"invalid email {email!r}")
    record = {
        "email": email,
        "first_name": str(name or username).strip(),
        "last_name": "",
        "roles": [check_role(role)],
        "store_scope": parse_stores(stores),
        "lang": check_lang(lang),
        "session_epoch": _new_epoch(),
    }
    data = load_users(path)
    if username in _users(data):
        raise UserError(f"user {username!r} already exists")
    record["password"] = hash_password(password)
    _users(data)[username] = record
    save_users(path, data)
    return username


def _new_epoch() -> str:
    """A fresh session epoch: sessions started under another epoch are ended at their next rerun."""
    return secrets.token_hex(16)


def set_password(path: str | Path | None, username: str, password: str) -> None:
    """Replace a user's password hash; every live session and re-login cookie of the user ends."""
    hashed = hash_password(password)
    changed = int(time.time())
    _update(path, username, lambda users, record: record.update(password=hashed, password_changed_at=changed,
                                                                session_epoch=_new_epoch()))


def set_role(path: str | Path | None, username: str, role: str) -> None:
    """Change a user's role; the last admin cannot be demoted."""
    check_role(role)

    def change(users: dict, record: dict) -> None:
        if _is_active_admin(record) and role != "admin" and _admin_count(users) <= 1:
            raise UserError("cannot demote the last admin")
        if record.get("roles") != [role]:
            record.update(roles=[role], session_epoch=_new_epoch())

    _update(path, username, change)


def set_stores(path: str | Path | None, username: str, stores: str | Iterable[str]) -> None:
    """Change a user's store scope ("all" or store ids); the user's live sessions end."""
    scope = parse_stores(stores)
    _update(path, username, lambda users, record: record.update(store_scope=scope, session_epoch=_new_epoch()))


def set_lang(path: str | Path | None, username: str, lang: str) -> None:
    """Remember a user's interface language."""
    check_lang(lang)
    _update(path, username, lambda users, record: record.update(lang=lang))


def set_disabled(path: str | Path | None, username: str, disabled: bool) -> None:
    """Disable a user (no login, every live session ends at its next rerun) or enable them again; the last
    enabled admin cannot be disabled."""

    def change(users: dict, record: dict) -> None:
        if disabled and _is_active_admin(record) and _admin_count(users) <= 1:
            raise UserError("cannot disable the last admin")
        if bool(record.get("disabled")) != disabled:
            record.update(disabled=disabled, session_epoch=_new_epoch())

    _update(path, username, change)


def remove_user(path: str | Path | None, username: str) -> None:
    """Delete a user; the last admin cannot be removed."""

    def change(users: dict, record: dict) -> None:
        if _is_active_admin(record) and _admin_count(users) <= 1:
            raise UserError("cannot remove the last admin")
        users.pop(normalise_username(username))

    _update(path, username, change)


# ---------------------------------------------------------------- demo users


def _demo_password() -> str | None:
    """$SHOP_DEMO_PASSWORD when set (checked), else None for random passwords."""
    password = os.environ.get(ENV_DEMO_PASSWORD)
    if not password:
        return None
    try:
        return check_password(password)
    except UserError as exc:
        raise ConfigError(f"{ENV_DEMO_PASSWORD}: {exc}") from None


def ensure_demo_users(path: str | Path | None, stores: Iterable[str]) -> dict[str, str]:
    """Create admin, manager (first two stores), marketer and analyst when the file does not exist.

    Returns {username: plaintext password} once, for the caller to print; {} when the file existed.
    Passwords are random unless $SHOP_DEMO_PASSWORD is set; only their hashes are stored.
    """
    file = credentials_path(path)
    if file.exists():
        return {}
    store_ids = list(stores)
    if not store_ids:  # fail closed: a store manager never silently gets every store
        raise UserError("no stores to give the demo manager: build the demo database first")
    fixed = _demo_password()
    plan = {
        "admin": ("admin", ALL_STORES, "Demo admin"),
        "manager": ("manager", store_ids[:2], "Demo store manager"),
        "marketer": ("marketer", ALL_STORES, "Demo marketer"),
        "analyst": ("analyst", ALL_STORES, "Demo analyst"),
    }
    passwords = {username: fixed or secrets.token_urlsafe(12) for username in plan}
    data = {"credentials": {"usernames": {}}}
    for username, (role, scope, name) in plan.items():
        _users(data)[username] = {
            "email": f"{username}@example.com",
            "first_name": name,
            "last_name": "",
            "password": hash_password(passwords[username]),
            "roles": [role],
            "store_scope": parse_stores(scope),
            "lang": "en",
            "session_epoch": _new_epoch(),
        }
    return passwords if _create_new(file, data) else {}
