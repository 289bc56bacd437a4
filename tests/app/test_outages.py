"""Database down or locked: one translated sentence without host, path or PID, and recovery afterwards."""

from __future__ import annotations

import subprocess
import sys
import time

from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b

SENTENCE = "The database is not reachable right now"


def test_postgresql_down_shows_one_sentence_without_the_host(tmp_path, monkeypatch):
    credentials = tmp_path / "credentials.yaml"
    h.write_users(credentials)
    port = b.free_port()  # nothing listens there
    h.configure(monkeypatch, f"postgresql://shop:secret@127.0.0.1:{port}/shopdb", credentials)
    at = h.app().run()
    text = h.all_text(at)
    assert not at.exception
    assert SENTENCE in text
    for leak in ("127.0.0.1", str(port), "shopdb", "OperationalError", "secret"):
        assert leak not in text
    assert len(at.text_input) == 0  # no form that could not work
    at.session_state["lang"] = "zh"
    assert "暂时无法连接数据库" in h.all_text(at.run())


def test_locked_duckdb_shows_one_sentence_and_recovers(tiny_app, tmp_path, monkeypatch):
    from data_access.engine import dispose_engine

    dispose_engine()
    url = tiny_app[0]
    path = url.removeprefix("duckdb:///")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(120)", path], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        h.configure(monkeypatch, url, tiny_app[1])
        at = h.app().run()
        text = h.all_text(at)
        assert SENTENCE in text
        assert path not in text and "PID" not in text and str(holder.pid) not in text
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.2)
    at.run()  # what the retry timer or button does
    assert SENTENCE not in h.all_text(at)
    assert at.text_input(key="login_username") is not None


def test_bad_configuration_before_login_names_no_path(tmp_path, monkeypatch):
    credentials = tmp_path / "credentials.yaml"
    credentials.write_text("credentials: [not, a, mapping", encoding="utf-8")
    h.configure(monkeypatch, f"duckdb:///{tmp_path / 'x.duckdb'}", credentials)
    at = h.login(h.app().run(), "admin", h.PASSWORD)  # the user store is read at the login
    text = h.all_text(at)
    assert "not configured correctly" in text
    assert str(tmp_path) not in text and not at.exception
