"""Real-browser tests: log in, open the overview, switch to Chinese, screenshot into test-artifacts/."""

from __future__ import annotations

import pytest

from data_access.engine import create_engine
from tests import apptest_helpers as h
from tests import browser_helpers as b
from tests import tiny_shop

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    url = f"duckdb:///{folder / 'shop.duckdb'}"
    engine = create_engine(url)
    tiny_shop.load(engine)
    engine.dispose()  # the server process must be the only one holding the DuckDB file
    credentials = folder / "credentials.yaml"
    h.write_users(credentials)
    env = {"DATABASE_URL": url, "SHOP_CREDENTIALS": str(credentials),
           "SHOP_COOKIE_KEY": "browser-test-cookie-key-0123456789"}
    with b.streamlit_server(env) as base:
        yield base


def test_login_overview_and_chinese(server):
    with b.browser_page() as page:
        b.login(page, server, "admin", h.PASSWORD)
        page.get_by_role("heading", name="Daily overview").wait_for()
        b.wait_idle(page)
        assert page.locator('[data-testid="stMetric"]').count() == 5
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
