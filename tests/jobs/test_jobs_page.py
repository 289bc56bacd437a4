"""The Jobs page (运行任务) in AppTest: run now, progress of running jobs, history, errors, next runs; freshness."""

from __future__ import annotations

import time

import pytest

from components.jobs.service import service_for
from data_access.engine import get_engine
from data_access.jobs import store
from tests.support import apptest_helpers as h


@pytest.fixture
def env(tiny_env, monkeypatch):
    # This page shows the next scheduled runs: schedules on here (tests/conftest.py turns them off elsewhere).
    monkeypatch.setenv("SHOP_SCHEDULES", "on")
    yield tiny_env[0]
    service = service_for(tiny_env[0])
    for row in store.list_jobs(get_engine(tiny_env[0]), statuses=store.ACTIVE).itertuples():
        service.runner.wait(row.job_id, timeout=120)


def _wait_idle(url: str) -> None:
    for row in store.list_jobs(get_engine(url), statuses=store.ACTIVE).itertuples():
        service_for(url).runner.wait(row.job_id, timeout=120)


def test_run_now_shows_the_job_in_history_with_its_result(env):
    at = h.logged_in("pages/jobs.py", "admin").run()
    assert not at.exception
    assert at.title[0].value == "Jobs"
    assert "Nightly forecast refresh" in at.dataframe[-1].value.to_string()  # next scheduled runs
    at.selectbox(key="jobs_kind").set_value("rollups")
    at.button(key="jobs_run_now").click().run()
    assert any("Started Sales summaries rebuild" in s.value for s in at.success)
    _wait_idle(env)
    at.run()
    history = at.dataframe[0].value
    latest = history.iloc[0]
    assert (latest["Job"], latest["Started by"], latest["Status"]) == ("Sales summaries rebuild", "admin", "done")
    assert latest["Progress"] == "1 / 1"


def test_running_job_has_a_progress_bar_and_a_second_start_is_refused(env):
    runner = service_for(env).runner
    job_id = runner.submit("sleep", "admin", {"steps": 50, "seconds": 0.05})
    while not (row := store.get_job(get_engine(env), job_id))["progress_total"]:
        time.sleep(0.05)
    at = h.logged_in("pages/jobs.py", "admin").run()
    bars = at.get("progress")
    assert len(bars) == 1 and "Test wait" in bars[0].proto.text
    runner.wait(job_id)
    at.run()
    assert len(at.get("progress")) == 0 and any("No job is running" in c.value for c in at.caption)
    assert row["status"] == "running"


def test_a_second_start_of_a_running_kind_is_refused(env, monkeypatch):
    from components.jobs import view
    from data_access.jobs import JobKind, register_kind
    from data_access.jobs.registry import sleep_steps

    register_kind(JobKind("test_slow", lambda engine, ctx: sleep_steps(engine, ctx)))
    monkeypatch.setattr(view, "RUN_NOW", ("test_slow", "rollups"))
    at = h.logged_in("pages/jobs.py", "admin").run()
    at.selectbox(key="jobs_kind").set_value("test_slow")
    at.button(key="jobs_run_now").click().run()  # 5 steps of 0.2 s: still going when clicked again
    at.button(key="jobs_run_now").click().run()
    assert any("A test_slow job is already queued or running" in w.value for w in at.warning)
    assert len(store.list_jobs(get_engine(env), kind="test_slow")) == 1


def test_a_failed_job_shows_its_error_in_both_languages(env):
    runner = service_for(env).runner
    runner.wait(runner.submit("sleep", "admin", {"steps": 1, "seconds": 0, "fail": "supplier feed missing"}))
    at = h.logged_in("pages/jobs.py", "admin").run()
    assert any("RuntimeError: supplier feed missing" in e.value for e in at.error)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception
    assert at.title[0].value == "运行任务"
    assert "失败" in at.dataframe[0].value["状态"].tolist()
    assert any("最近预测" in c.value for c in at.sidebar.caption)


def test_jobs_page_is_for_admins_only(env):
    at = h.logged_in("pages/jobs.py", "analyst").run()
    assert len(at.dataframe) == 0
    assert [e.value for e in at.error] == ["You do not have access to this page"]


def test_every_page_says_how_fresh_its_data_is(env):
    at = h.logged_in("pages/sales.py", "analyst").run()
    line = [c.value for c in at.sidebar.caption if c.value.startswith("Data:")]
    assert len(line) == 1 and "last import" in line[0] and "last forecast run never" in line[0]


def test_overview_warns_once_when_the_newest_order_is_old(env):
    at = h.logged_in("pages/overview.py", "manager").run()
    old = [w.value for w in at.warning if "newest data" in w.value.lower() or "newest order" in w.value.lower()]
    assert len(old) == 1 and "import the latest exports" in old[0], old


def test_inventory_refresh_forecasts_runs_a_forecast_job_and_the_page_shows_the_run(env):
    at = h.logged_in("pages/inventory.py", "analyst").run()
    assert "No forecast run yet" in h.all_text(at)
    at.button(key="inventory_refresh_forecasts").click().run()
    assert any("Started Forecast refresh" in s.value for s in at.success)
    forecast_jobs = store.list_jobs(get_engine(env), kind="forecast")
    assert forecast_jobs["started_by"].tolist()[0] == "analyst"
    row = service_for(env).runner.wait(forecast_jobs["job_id"].iloc[0], timeout=300)
    assert row["status"] == "done", row["error"]
    at.run()  # the fragment sees the job ended and clears the cached "no run yet"
    at.run()
    assert not at.exception
    assert "No forecast run yet" not in h.all_text(at)
    assert len(at.metric) >= 4
