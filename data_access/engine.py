"""One SQLAlchemy engine per process, configured from DATABASE_URL, secrets.toml or the embedded default."""

from __future__ import annotations

import os
import sys
import threading
import tomllib
from collections.abc import Callable
from functools import wraps
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "shop.duckdb"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"

_DRIVERS = {
    # psycopg (v3) is the installed PostgreSQL driver; a bare postgresql:// URL means it.
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
}

_engine: sa.Engine | None = None
_engine_url: str | None = None
_lock = threading.Lock()


class ConfigError(RuntimeError):
    """A configuration problem explained in one line, shown to the user instead of a traceback."""


class DatabaseUnavailable(ConfigError):
    """The database cannot be reached or opened (down, locked by another process); worth retrying.

    The message names the URL (password masked) for the server log and CLIs; the app shows a
    translated sentence instead, without host, path or process id.
    """


class DatabaseHeld(DatabaseUnavailable):
    """The DuckDB file is held by another process (one writer per file); the message says by whom and what to do."""


#: Driver errors that mean "cannot reach or open the database now", as opposed to a bug in a query.
OUTAGE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError, DatabaseUnavailable)


def configured_url(secrets_path: Path = SECRETS_PATH) -> str:
    """The database URL: DATABASE_URL, else secrets.toml [connections.shop] url, else the DuckDB file."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    if secrets_path.exists():
        try:
            secrets = tomllib.loads(secrets_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{secrets_path} is not valid TOML: {exc}") from None
        url = str(secrets.get("connections", {}).get("shop", {}).get("url", "")).strip()
        if url:
            return url
    return f"duckdb:///{DEFAULT_DB_PATH}"


def normalise_url(url: str) -> sa.URL:
    """Parse a URL, pick the installed driver for PostgreSQL, reject what cannot work."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise ConfigError(f"Not a database URL: {safe_url_text(url)!r}") from None
    backend = parsed.get_backend_name()
    if parsed.drivername in _DRIVERS:
        parsed = parsed.set(drivername=_DRIVERS[parsed.drivername])
    if backend not in ("duckdb", "postgresql", "postgres"):
        raise ConfigError(
            f"Unsupported database '{parsed.drivername}' in {safe_url_text(url)}: "
            "use duckdb:///path/to/file.duckdb or postgresql://user:password@host:port/dbname"
        )
    if backend == "duckdb" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return parsed


def safe_url_text(url: str | sa.URL) -> str:
    """The URL with its password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True) if isinstance(url, str) else url.render_as_string()
    except sa.exc.ArgumentError:
        return "<unparseable url>"


def create_engine(url: str) -> sa.Engine:
    """A new engine for the URL, checked by opening one connection; ConfigError when it cannot."""
    parsed = normalise_url(url)
    kwargs: dict = {"pool_pre_ping": True}
    if parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": 5}
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except (sa.exc.NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"No driver for {parsed.drivername}: {exc}") from None
    check_connection(engine)
    return engine


def check_connection(engine: sa.Engine) -> None:
    """Open and close one connection, turning driver errors into a one-line ConfigError."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any driver error: the user needs the reason, not the traceback
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()
        first = reason[0] if reason else type(exc).__name__
        from data_access.jobs.held import held_message  # late: the jobs package is not needed to connect

        held = held_message(" ".join(reason))
        if held:
            raise DatabaseHeld(held) from None
        raise DatabaseUnavailable(f"Cannot connect to {engine.url.render_as_string()}: {first}") from None


def get_engine(url: str | None = None) -> sa.Engine:
    """The process-wide engine for the configured URL (or the given one), created on first use."""
    global _engine, _engine_url
    wanted = url or configured_url()
    with _lock:
        if _engine is None or _engine_url != wanted:
            if _engine is not None:
                _engine.dispose()
            _engine = create_engine(wanted)
            _engine_url = wanted
            _schema_ready.clear()  # a new engine may reuse an old one's id
        return _engine


_schema_ready: set[int] = set()


def ready_engine() -> sa.Engine:
    """get_engine() with the schema created once per engine in this process, not on every rerun."""
    from data_access.schema import create_schema

    engine = get_engine()
    if id(engine) not in _schema_ready:
        create_schema(engine)  # idempotent: an empty database shows empty states, not errors
        _schema_ready.add(id(engine))
    return engine


def dispose_engine() -> None:
    """Close the process-wide engine (tests and CLIs that switch databases)."""
    global _engine, _engine_url
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine, _engine_url = None, None
        _schema_ready.clear()


def cli_errors(main: Callable[..., int | None]) -> Callable[..., int | None]:
    """Decorate a CLI entry point so a ConfigError prints one line and exits with status 2."""

    @wraps(main)
    def wrapper(*args, **kwargs):
        try:
            return main(*args, **kwargs)
        except ConfigError as exc:
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(2)

    return wrapper
