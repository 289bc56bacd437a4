"""The campaign effect's verdict in a real browser on the small demo shop: with two weeks before the campaign the
page says it is too short to judge (English and Chinese) and names the method; screenshots in test-artifacts/."""

from __future__ import annotations

import pytest

from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PERIOD_LINK = "marketing?preset=custom&from=2025-04-01&to=2025-06-30"


verdict_app = fixtures.own_users("demo_app", "verdict-browser")  # the language switch below is saved per user
server = fixtures.app_server("verdict_app")


def test_too_short_to_judge_in_english_and_chinese(server):
    with b.browser_page(height=2600) as page:
        b.login(page, f"{server}/{PERIOD_LINK}", "marketer", h.PASSWORD)
        page.get_by_role("heading", name="Marketing").wait_for()
        page.get_by_role("tab", name="Campaigns").click()
        page.get_by_text("Incremental sales of about").wait_for(timeout=120_000)
        page.get_by_text("Method: ").first.wait_for()  # the method, and its placebo record when it has one
        b.wait_idle(page)
        # a verdict of noise names the smallest lift the data could have shown
        noise = page.get_by_text("not distinguishable from noise").count()
        assert (noise > 0) == (page.get_by_text("only a lift of about").count() > 0)
        days = page.get_by_label("Days before the campaign to learn from")
        days.fill("14")
        days.press("Enter")
        page.get_by_text("Too short to judge").wait_for(timeout=120_000)
        b.wait_idle(page)
        assert page.get_by_text("Incremental sales of about").count() == 0  # no verdict, only the reason
        assert page.get_by_text("Method: average per weekday.").is_visible()
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "marketing-too-short.png"), full_page=True)

        page.get_by_test_id("stSidebarUserContent").get_by_role("combobox", name="Language").click()
        page.get_by_role("option", name="简体中文").click()
        page.get_by_role("heading", name="营销分析").wait_for()
        page.get_by_role("tab", name="营销活动").click()
        page.get_by_text("时间太短，无法判断").wait_for(timeout=120_000)
        b.wait_idle(page)
        assert page.get_by_text("方法：按星期几的平均值。").is_visible()
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "marketing-too-short-zh.png"), full_page=True)
        days = page.get_by_label("用于学习常态的活动前天数")
        days.fill("56")
        days.press("Enter")
        page.get_by_text("增量销售额约").wait_for(timeout=120_000)
        b.wait_idle(page)
        noise = page.get_by_text("与随机波动无法区分").count()
        assert (noise > 0) == (page.get_by_text("只有约").count() > 0)
        assert page.get_by_text("误报的频率").count() > 0

