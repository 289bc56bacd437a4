"""Real browser on the embedded DuckDB file: a forecast refresh from the Jobs page while other pages keep answering."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from data_access.demo import build
from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import fixtures
from tests.support.inventory_shop import DEMO_END

pytestmark = [pytest.mark.browser, pytest.mark.slow]


# No forecast run yet: the job makes the first. The app's process is the one writer from here on.
jobs_app = fixtures.shop_app(lambda engine: build(engine, scale="small", seed=42, end_date=DEMO_END), "jobs-browser")
server = fixtures.app_server("jobs_app")


def test_forecast_refresh_from_the_jobs_page_while_other_pages_answer(server):
    with b.browser_page(height=1200) as page:
        b.login(page, f"{server}/inventory", "admin", h.PASSWORD)
        page.get_by_text("No forecast run yet").wait_for(timeout=60_000)
        b.wait_for_cookie(page, "shop_ops_auth")  # later page loads are new sessions that log in by the cookie

        page.goto(f"{server}/jobs")
        page.get_by_role("heading", name="Jobs").wait_for(timeout=60_000)
        b.wait_idle(page)
        b.choose_in_selectbox(page, "Job", "Forecast refresh")
        page.get_by_role("button", name="Run now").click()
        page.get_by_text(re.compile("Started Forecast refresh")).wait_for()
        # The progress bar moves: n of m series as the batch reports them.
        page.get_by_text(re.compile(r"Forecast refresh: \d+ of \d+")).first.wait_for(timeout=120_000)
        page.screenshot(path=str(b.ARTIFACTS / "jobs-running-en.png"), full_page=True)

        # Meanwhile the sales page answers while the job writes (the runner lives in the server, not the page).
        page.goto(f"{server}/sales?preset=custom&from=2026-06-01&to=2026-06-30", timeout=60_000)
        page.get_by_role("heading", name="Sales analysis").wait_for(timeout=60_000)
        b.wait_for_charts(page, 1, timeout=90_000)
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "jobs-sales-meanwhile-en.png"), full_page=True)
        page.goto(f"{server}/jobs")
        page.get_by_role("heading", name="Jobs").wait_for(timeout=60_000)

        # The job ends as done in the history; no lock error on any page.
        page.get_by_text("No job is running.").wait_for(timeout=300_000)
        history = page.locator('[data-testid="stDataFrame"]').first
        expect(history).to_contain_text("done", timeout=30_000)
        assert b.page_errors(page) == []
        assert "lock" not in page.inner_text("body").lower()
        page.screenshot(path=str(b.ARTIFACTS / "jobs-done-en.png"), full_page=True)

        page.goto(f"{server}/inventory")
        page.get_by_role("heading", name="Inventory forecast").wait_for(timeout=60_000)
        page.get_by_text(re.compile("Forecast run of")).wait_for(timeout=60_000)
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(4, timeout=60_000)
        assert page.get_by_text("No forecast run yet").count() == 0
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "jobs-inventory-after-en.png"), full_page=True)

        b.choose_in_selectbox(page, "Language", "简体中文")
        # the choice is saved by the rerun it starts: a new page opened before that rerun ends comes up in English
        page.get_by_role("heading", name="库存预测").wait_for(timeout=60_000)
        b.wait_idle(page)
        page.goto(f"{server}/jobs")
        page.get_by_role("heading", name="运行任务").wait_for(timeout=60_000)
        b.wait_idle(page)
        expect(page.locator('[data-testid="stDataFrame"]').first).to_contain_text("已完成")
        page.screenshot(path=str(b.ARTIFACTS / "jobs-zh.png"), full_page=True)
