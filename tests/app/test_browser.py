"""Real-browser tests: log in, open the overview, switch to Chinese, screenshot into test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]


server = fixtures.app_server("tiny_app")


def test_login_overview_and_chinese(server):
    with b.browser_page() as page:
        b.login(page, server, "admin", h.PASSWORD)
        page.get_by_role("heading", name="Daily overview").wait_for()
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(5)  # retried while reruns settle
        b.wait_idle(page)
        b.wait_for_charts(page, 2)  # the 30-day trend and the risers
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "overview-en.png"), full_page=True)

        b.choose_in_selectbox(page, "Language", "简体中文")
        page.get_by_role("heading", name="今日概览").wait_for()
        b.wait_idle(page)
        assert page.get_by_text("净销售额").first.is_visible()
        b.wait_for_charts(page, 2)
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "overview-zh.png"), full_page=True)


def test_wrong_password_shows_error_and_no_data(server):
    with b.browser_page() as page:
        b.login(page, server, "manager", "not-the-password")
        page.get_by_text("Username or password is incorrect").wait_for()
        assert page.locator('[data-testid="stMetric"]').count() == 0


def test_direct_page_url_without_session_shows_login(server):
    with b.browser_page() as page:
        page.goto(f"{server}/admin")
        page.get_by_role("textbox", name="Username").wait_for()
        assert page.locator('[data-testid="stMetric"]').count() == 0
        assert page.locator('[data-testid="stDataFrame"]').count() == 0


def test_sales_page_drill_down_from_category_to_products(server):
    with b.browser_page(height=1400) as page:
        # analyst: admin's language was switched to Chinese (and remembered) by the first test
        b.login(page, f"{server}/sales?preset=custom&from=2025-03-01&to=2025-03-04", "analyst", h.PASSWORD)
        page.get_by_role("heading", name="Sales analysis").wait_for()
        b.wait_idle(page)
        b.wait_idle(page)
        # the newest copy: a rerun may briefly keep the previous one in the page too
        chart = page.locator('.st-key-category_chart_0 [data-testid="stVegaLiteChart"]').last
        chart.locator("canvas, svg.marks").first.wait_for()
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        box = chart.bounding_box()
        # Categories sorted by net sales: B (90) on top spans the whole width, A (40) below it. The bars share the
        # chart's height above the value axis (about 45 px): the middle of the top one is a quarter of the way down.
        page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + (box["height"] - 45) / 4)
        page.get_by_text("Products in B").wait_for()
        b.wait_idle(page)
        assert page.get_by_role("button", name="Back to all categories").is_visible()
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "sales-drill-down.png"), full_page=True)
        page.get_by_role("button", name="Back to all categories").click()
        page.get_by_text("Products in B").wait_for(state="detached")


def test_reload_keeps_the_login_through_the_cookie(server):
    with b.browser_page() as page:
        b.login(page, server, "analyst", h.PASSWORD)
        page.get_by_role("heading", name="Daily overview").wait_for()
        b.wait_for_cookie(page, "shop_ops_auth")  # written by a browser component, a moment later
        b.wait_idle(page)
        page.reload()
        page.get_by_role("heading", name="Daily overview").wait_for()
        assert page.get_by_role("textbox", name="Username").count() == 0
        page.get_by_role("button", name="Log out").click()
        page.get_by_role("textbox", name="Username").wait_for()
        b.wait_idle(page)
        page.reload()  # logged out stays logged out: the cookie is gone
        page.get_by_role("textbox", name="Username").wait_for()
        b.wait_idle(page)
        assert page.get_by_role("heading", name="Daily overview").count() == 0


def test_password_change_ends_cookie_logins(server, tiny_app):
    from data_access.accounts import users

    with b.browser_page() as page:
        b.login(page, server, "marketer", h.PASSWORD)
        page.get_by_role("heading", name="Sales analysis").wait_for()  # a marketer's first page
        b.wait_for_cookie(page, "shop_ops_auth")
        b.wait_idle(page)
        page.wait_for_timeout(1100)  # cookie times are whole seconds
        users.set_password(tiny_app[1], "marketer", h.PASSWORD + "-new")
        page.reload()
        page.get_by_role("textbox", name="Username").wait_for()
        b.wait_idle(page)
        assert page.get_by_role("heading", name="Sales analysis").count() == 0


demo_server = fixtures.app_server("demo_app")


def test_the_first_visitor_after_a_restart_sees_no_default_page_list(demo_server):
    # Keep this the first test of demo_server (file order; make test runs a file on one worker): the server has
    # just started, so Streamlit is still in its legacy pages-folder mode, in which a deep link runs the page file
    # without app.py and the sidebar lists the files of pages/ ("app", "alert centre", ...) until the process's
    # first st.navigation call (components.navigation.use_navigation_mode leaves it).
    from components.i18n import translate
    from components.navigation import pages_for

    with b.browser_page() as page:
        page.goto(f"{demo_server}/sales?lang=en")  # a deep link, before anyone else visited
        page.get_by_role("textbox", name="Username").wait_for()
        b.wait_idle(page)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # the login shows no page list
        assert page.get_by_text("alert centre", exact=True).count() == 0
        page.get_by_role("textbox", name="Username").fill("analyst")
        page.get_by_role("textbox", name="Password").fill(h.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("heading", name="Sales analysis").wait_for()  # the deep link, after the login
        b.wait_idle(page)
        links = page.locator('[data-testid="stSidebarNav"] a')
        shown = [text.split("\n")[-1].strip() for text in links.all_inner_texts()]  # after the icon's name
        assert shown == [translate(f"page.{spec.page_id}", "en") for spec in pages_for("analyst")]
        assert b.page_errors(page) == []
        page.screenshot(path=str(b.ARTIFACTS / "first-visit-after-restart.png"), full_page=True)


def test_demo_sales_trend_shows_double_11_and_double_12_in_chinese(demo_server):
    with b.browser_page(height=1300) as page:
        b.login(page, f"{demo_server}/sales?preset=custom&from=2024-10-15&to=2024-12-20", "analyst", h.PASSWORD)
        page.get_by_role("heading", name="Sales analysis").wait_for()
        b.wait_idle(page)
        b.choose_in_selectbox(page, "Language", "简体中文")
        page.get_by_role("heading", name="销售分析").wait_for()
        b.wait_idle(page)
        b.wait_for_charts(page, 2)  # the trend and the category bars
        trend = page.locator('[data-testid="stVegaLiteChart"]').first
        trend.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        assert b.page_errors(page) == []
        # The markers' dates and the peak are checked on the chart data in test_sales_page; this is the picture.
        trend.screenshot(path=str(b.ARTIFACTS / "sales-trend-double-11-zh.png"))
        page.screenshot(path=str(b.ARTIFACTS / "sales-demo-zh.png"), full_page=True)
