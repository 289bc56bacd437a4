"""The marketing page in a real browser on the small demo shop: cards, channel charts, a campaign's effect, the A/B
calculator, Chinese; screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PERIOD_LINK = "marketing?preset=custom&from=2025-04-01&to=2025-06-30"


marketing_app = fixtures.own_users("demo_app", "marketing-browser")  # the language switch below is saved per user
server = fixtures.app_server("marketing_app")


def test_marketing_page_in_english_and_chinese(server):
    with b.browser_page(height=2600) as page:
        b.login(page, f"{server}/{PERIOD_LINK}", "marketer", h.PASSWORD)
        page.get_by_role("heading", name="Marketing").wait_for()
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(6, timeout=30_000)
        b.wait_idle(page)
        b.wait_for_charts(page, 3)  # bubbles, shares, trend
        assert b.page_errors(page) == []
        expect(page.get_by_text("Attribution: last non-direct touch")).to_be_visible()
        page.screenshot(path=str(b.ARTIFACTS / "marketing-channels.png"), full_page=True)

        page.get_by_role("tab", name="Campaigns").click()
        page.get_by_text("Incremental sales of about").wait_for(timeout=120_000)
        b.wait_idle(page)
        b.wait_for_charts(page, 3)  # actual vs expected, effect per day, cumulative effect
        assert b.page_errors(page) == []
        expect(page.locator('[data-testid="stMetric"]').filter(has_text="Incremental ROAS")).to_have_count(1)
        page.screenshot(path=str(b.ARTIFACTS / "marketing-campaign.png"), full_page=True)

        page.get_by_role("tab", name="A/B test").click()
        page.get_by_text("Required sample size per arm: 31,234").wait_for()
        visitors_b = page.get_by_label("Visitors").nth(1)
        visitors_b.fill("5000")
        visitors_b.press("Enter")
        page.get_by_text("B converts at 11.20% vs A's 5.00%").wait_for()  # 560 of 5,000
        b.wait_idle(page)
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "marketing-ab.png"), full_page=True)

        page.get_by_test_id("stSidebarUserContent").get_by_role("combobox", name="Language").click()
        page.get_by_role("option", name="简体中文").click()
        page.get_by_role("heading", name="营销分析").wait_for()
        page.get_by_role("tab", name="渠道对比").click()
        b.wait_idle(page)
        b.wait_for_charts(page, 3)
        assert page.get_by_text("综合广告回报率 (MER)").first.is_visible()
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "marketing-zh.png"), full_page=True)
