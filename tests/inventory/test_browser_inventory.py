"""Real browser on the inventory page: risk table, SKU view charts, Chinese; screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import fixtures
from tests.support.inventory_shop import build_demo_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def inventory_app(tmp_path_factory):
    shop = build_demo_app(tmp_path_factory.mktemp("inventory-browser"))
    return shop["url"], shop["credentials"]


server = fixtures.app_server("inventory_app")


def test_inventory_page_in_english_and_chinese(server):
    with b.browser_page(height=1300) as page:
        b.login(page, f"{server}/inventory", "analyst", h.PASSWORD)
        page.get_by_role("heading", name="Inventory forecast").wait_for()
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(4, timeout=60_000)  # the headline cards
        b.wait_idle(page, timeout=60_000)
        page.get_by_text("Store × SKU projected to run out").wait_for()
        expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible(timeout=60_000)  # slow under load
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "inventory-en.png"), full_page=True)

        page.get_by_role("tab", name="SKU view").click()
        b.wait_for_charts(page, 2)
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(10)  # + the SKU's six figures
        page.get_by_text("Daily demand: history and forecast").wait_for()
        page.get_by_role("button", name="Forecast this SKU now").click()
        page.get_by_text("Fresh forecast from this store × SKU's own history").wait_for(timeout=60_000)
        b.wait_idle(page, timeout=60_000)
        b.wait_for_charts(page, 2)
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "inventory-sku-en.png"), full_page=True)
        stock_chart = page.locator('[data-testid="stVegaLiteChart"]').nth(1)
        stock_chart.scroll_into_view_if_needed()
        stock_chart.screenshot(path=str(b.ARTIFACTS / "inventory-stock-projection-en.png"))

        b.choose_in_selectbox(page, "Language", "简体中文")
        page.get_by_role("heading", name="库存预测").wait_for()
        b.wait_idle(page, timeout=60_000)
        page.get_by_role("tab", name="单品视图").click()
        b.wait_for_charts(page, 2)
        page.get_by_text("日需求：历史与预测").wait_for()
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "inventory-zh.png"), full_page=True)
