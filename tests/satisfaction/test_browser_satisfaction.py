"""The satisfaction page in a real browser: cards, charts, review search, Chinese; screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import fixtures
from tests.support import satisfaction_shop as shop

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PERIOD_LINK = "satisfaction?preset=custom&from=2025-03-01&to=2025-03-07"


satisfaction_app = fixtures.shop_app(shop.load, "satisfaction-browser")
server = fixtures.app_server("satisfaction_app")


def test_satisfaction_page_in_english_and_chinese(server):
    with b.browser_page(height=3200) as page:
        b.login(page, f"{server}/{PERIOD_LINK}", "analyst", h.PASSWORD)
        page.get_by_role("heading", name="Customer satisfaction").wait_for()
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(15, timeout=30_000)
        b.wait_idle(page)
        b.wait_for_charts(page, 3)  # rating and NPS, ticket flow, response times (first tab)
        assert b.page_errors(page) == []
        assert page.get_by_text("2.89", exact=True).first.is_visible()
        page.screenshot(path=str(b.ARTIFACTS / "satisfaction-en.png"), full_page=True)

        page.get_by_role("tab", name="What drives satisfaction").click()
        page.get_by_text("On time: 5.00 ★ on average").wait_for()
        b.wait_idle(page)
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "satisfaction-drivers.png"), full_page=True)

        page.get_by_role("tab", name="Review reader").click()
        search = page.get_by_role("textbox", name="Search comments")
        search.fill("物流")
        search.press("Enter")
        page.get_by_text("The newest 1 of 1 matching reviews.").wait_for()  # ratings 1-2: only R4
        b.wait_idle(page)
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "satisfaction-reader.png"), full_page=True)

        # the sidebar's switcher ("Comment language" in the reader shares the word)
        page.get_by_test_id("stSidebarUserContent").get_by_role("combobox", name="Language").click()
        page.get_by_role("option", name="简体中文").click()
        page.get_by_role("heading", name="客户满意度").wait_for()
        b.wait_idle(page)
        assert page.get_by_text("平均评分").first.is_visible()
        b.wait_for_charts(page, 3)
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "satisfaction-zh.png"), full_page=True)


def test_manager_sees_only_their_store_in_the_browser(server):
    with b.browser_page() as page:
        b.login(page, f"{server}/{PERIOD_LINK}", "manager", h.PASSWORD)
        page.get_by_role("heading", name="Customer satisfaction").wait_for()
        b.wait_idle(page)
        expect(page.locator('[data-testid="stMetric"]').first).to_contain_text("2.80", timeout=30_000)
        assert b.page_errors(page) == []


def test_editing_an_sla_target_changes_the_breach_rate(server):
    with b.browser_page(height=1400) as page:
        b.login(page, f"{server}/{PERIOD_LINK}", "admin", h.PASSWORD)
        breach = page.locator('[data-testid="stMetric"]').filter(has_text="SLA breach rate")
        expect(breach).to_contain_text("71.43%", timeout=30_000)
        b.wait_idle(page)
        page.get_by_text("SLA targets").first.click()  # a tracked expander: opening it reruns the page
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for()
        b.wait_idle(page)
        page.wait_for_timeout(500)  # the expander's opening animation
        box = grid.bounding_box()
        # The canvas grid: a header row, then urgent, high, normal, ... (35 px each); columns: row marker,
        # priority, first response, resolution. Normal's first response: 4 h -> 10 h, so T2 (answered in 6 h)
        # no longer breaches.
        page.mouse.dblclick(box["x"] + box["width"] * 0.47, box["y"] + 35 + 2 * 35 + 17)
        cell = page.locator("input.gdg-input")  # the grid's cell editor
        cell.wait_for()
        cell.fill("10")
        cell.press("Enter")
        expect(breach).to_contain_text("57.14%", timeout=30_000)
        b.wait_idle(page)
        assert page.get_by_role("button", name="Reset to defaults").is_visible()  # still open after the edit
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "satisfaction-sla-edited.png"), full_page=True)
        page.get_by_role("button", name="Reset to defaults").click()
        expect(breach).to_contain_text("71.43%", timeout=30_000)
