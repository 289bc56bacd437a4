"""Engine configuration: URL precedence, one engine per process, one-line errors for bad settings."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa

from data_access import engine as engine_mod
from data_access.engine import ConfigError, configured_url, create_engine, get_engine, normalise_url
from data_access.schema import add_missing_columns, create_schema, metadata
from tests.conftest import BACKENDS


def test_url_precedence(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert configured_url(secrets) == f"duckdb:///{engine_mod.DEFAULT_DB_PATH}"
    secrets.write_text('[connections.shop]\nurl = "postgresql://u:p@db.example:5432/shop"\n')
    assert configured_url(secrets) == "postgresql://u:p@db.example:5432/shop"
    monkeypatch.setenv("DATABASE_URL", "duckdb:///:memory:")
    assert configured_url(secrets) == "duckdb:///:memory:"


def test_broken_secrets_file_is_a_config_error(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[connections.shop\nurl=")
    with pytest.raises(ConfigError, match="not valid TOML"):
        configured_url(secrets)


def test_postgres_url_gets_the_installed_driver():
    assert normalise_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url, message", [
    ("mysql://u:p@localhost/shop", "Unsupported database"),
    ("not a url", "Not a database URL"),
])
def test_unknown_urls_are_refused(url, message):
    with pytest.raises(ConfigError, match=message):
        create_engine(url)


def test_unreachable_postgres_is_one_line_without_password():
    with pytest.raises(ConfigError) as info:
        create_engine("postgresql://shop:s3cret@127.0.0.1:1/shop")
    text = str(info.value)
    assert "Cannot connect" in text and "\n" not in text and "s3cret" not in text


def test_one_engine_per_process(tmp_path):
    url = f"duckdb:///{tmp_path}/one.duckdb"
    try:
        first = get_engine(url)
        assert get_engine(url) is first
    finally:
        engine_mod.dispose_engine()


def test_schema_is_created_idempotently_on_both_backends(fresh_engine):
    for backend in ("duckdb", "postgresql"):
        engine = fresh_engine(backend)
        create_schema(engine)
        create_schema(engine)
        assert set(metadata.tables) <= set(sa.inspect(engine).get_table_names())


def test_a_fresh_process_creates_the_alert_tables_too(tmp_path):
    """The alert tables are defined beside their queries; a process that never imported that module (a CLI, a
    test run alone) must still get them from create_schema."""
    code = ("import sqlalchemy as sa, sys; from data_access.engine import create_engine; "
            "from data_access.schema import create_schema; e = create_engine(sys.argv[1]); create_schema(e); "
            "print(sorted(sa.inspect(e).get_table_names()))")
    done = subprocess.run([sys.executable, "-c", code, f"duckdb:///{tmp_path / 'fresh.duckdb'}"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "'alerts'" in done.stdout and "'alert_settings'" in done.stdout


@pytest.mark.parametrize("url", ["oracle://x/y", "postgresql://u:p@127.0.0.1:1/db"])
def test_cli_prints_one_line_and_exits_2(url):
    done = subprocess.run([sys.executable, "-m", "data_access.demo", "--url", url, "--scale", "small"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")


@pytest.mark.parametrize("backend", BACKENDS)
def test_create_schema_adds_new_nullable_columns_to_old_tables(backend, fresh_engine):
    engine = fresh_engine(backend)
    with engine.begin() as conn:  # a marketing_spend table as an older version of the schema made it
        conn.execute(sa.text("CREATE TABLE marketing_spend (day DATE, channel VARCHAR(32), campaign_id VARCHAR(64), "
                             "spend NUMERIC(14, 2), impressions BIGINT, clicks BIGINT)"))
        conn.execute(sa.text("INSERT INTO marketing_spend VALUES ('2025-01-01', 'email', '', 5, 100, 3)"))
    create_schema(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT spend, conversions FROM marketing_spend")).one()
    assert float(row.spend) == 5 and row.conversions is None
    assert add_missing_columns(engine) == []  # nothing left to add
