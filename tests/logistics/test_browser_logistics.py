"""The logistics page in a real browser: cards, stuck orders with their download, a split, Chinese; screenshots in
test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import fixtures
from tests.support import logistics_shop as shop

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PERIOD_LINK = "logistics?preset=custom&from=2025-03-01&to=2025-03-07"


logistics_app = fixtures.shop_app(shop.load, "logistics-browser")
server = fixtures.app_server("logistics_app")


def test_logistics_page_in_english_and_chinese(server, tmp_path):
    with b.browser_page(height=2600) as page:
        b.login(page, f"{server}/{PERIOD_LINK}", "analyst", h.PASSWORD)
        page.get_by_role("heading", name="Logistics & fulfilment").wait_for()
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(13, timeout=30_000)
        b.wait_idle(page)
        assert b.page_errors(page) == []
        on_time = page.locator('[data-testid="stMetric"]').filter(has_text="On-time delivery")
        expect(on_time).to_contain_text("25.00%")
        # the stuck tab opens first: L4, paid and not shipped for 88 hours
        page.get_by_text("1 awaiting shipment, 0 stuck in transit; 1 already past their promised date.").wait_for()
        b.wait_for_charts(page, 1)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download CSV").first.click()
        saved = tmp_path / "stuck.csv"
        download.value.save_as(saved)
        text = saved.read_bytes().decode("utf-8-sig")
        assert text.splitlines()[0].startswith("Order,Store,Stuck at") and "L4" in text and "L5" not in text
        page.screenshot(path=str(b.ARTIFACTS / "logistics-en.png"), full_page=True)

        page.get_by_role("tab", name="Where").click()
        page.get_by_text("Lowest on-time delivery").or_(page.get_by_text("On-time delivery rate")).first.wait_for()
        b.wait_idle(page)
        b.wait_for_charts(page, 1)
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "logistics-where.png"), full_page=True)

        page.get_by_test_id("stSidebarUserContent").get_by_role("combobox", name="Language").click()
        page.get_by_role("option", name="简体中文").click()
        page.get_by_role("heading", name="物流履约").wait_for()
        b.wait_idle(page)
        expect(page.locator('[data-testid="stMetric"]').filter(has_text="准时送达率")).to_contain_text("25.00%")
        page.get_by_role("tab", name="延误影响").click()
        page.get_by_text("准时送达：5.00 星").wait_for()
        b.wait_idle(page)
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "logistics-zh.png"), full_page=True)


def test_a_manager_sees_only_their_store(server):
    with b.browser_page() as page:
        b.login(page, f"{server}/{PERIOD_LINK}", "manager", h.PASSWORD)
        page.get_by_role("heading", name="Logistics & fulfilment").wait_for()
        b.wait_idle(page)
        late = page.locator('[data-testid="stMetric"]').filter(has_text="Late deliveries")
        expect(late).to_contain_text("2", timeout=30_000)
        page.get_by_text("No order is stuck.").wait_for()
        assert b.page_errors(page) == []
