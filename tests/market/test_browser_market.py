"""The market page in a real browser on the demo: cards, the price-band chart, a tab, then Chinese; screenshots in
test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]


market_app = fixtures.own_users("demo_app", "market_browser")  # the language switch below is saved per user


server = fixtures.app_server("market_app")


def test_market_page_in_english_and_chinese(server):
    with b.browser_page(height=2200) as page:
        b.login(page, f"{server}/market", "marketer", h.PASSWORD)
        page.get_by_role("heading", name="Market & competitors").wait_for()
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(5, timeout=30_000)
        b.wait_idle(page)
        b.wait_for_charts(page, 1)
        expect(page.get_by_text("read as running totals").first).to_be_visible()
        expect(page.locator('[data-testid="stMetric"]').filter(has_text="Our items")).to_contain_text("24")
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "market-en.png"), full_page=True)

        page.get_by_role("tab", name="Price moves").click()
        expect(page.get_by_text("promotions (a cut of at least 5%").first).to_be_visible(timeout=30_000)
        b.wait_idle(page)
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "market-moves.png"), full_page=True)

        b.choose_in_selectbox(page, "Language", "简体中文")
        page.get_by_role("heading", name="市场与竞品").wait_for()
        b.wait_idle(page)
        expect(page.get_by_text("按累计值处理").first).to_be_visible(timeout=30_000)
        b.wait_for_charts(page, 1)
        assert page.get_by_role("tab", name="价格带").is_visible()
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "market-zh.png"), full_page=True)
