"""Real browser (issue 21 point 1): the filter state survives every page switch and a reload, the URL carries it,
and choosing "Custom" dates prints no Streamlit warning to the server's terminal; the overview's own comparison
choice survives them too."""

from __future__ import annotations

import re
import time

import pytest

from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The analyst's pages in the sidebar, and whether each draws the date filter.
PAGES = {"Sales analysis": True, "Marketing": True, "Inventory forecast": False, "Customer satisfaction": True,
         "Market & competitors": False, "Logistics & fulfilment": True, "Daily overview": False, "CSV upload": False,
         "Alert centre": False}
WARNING = "was created with a default value but also had its value set via the Session State API"


server = fixtures.app_server("tiny_app")


def shown_in(page, label: str) -> str:
    """What a selectbox or multiselect labelled `label` shows: the picked tags and the box's own value."""
    box = page.locator('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]').filter(
        has=page.get_by_text(label, exact=True)).first
    values = box.locator("input").evaluate_all("inputs => inputs.map(i => i.value)")
    return " ".join([box.inner_text(), *values])


def choose(page, label: str, option: str) -> None:
    """b.choose_in_selectbox on the newest copy of the box (a rerun under load may briefly keep the old one)."""
    page.get_by_role("combobox", name=label).last.click()
    page.get_by_role("option", name=option).last.click()


def open_page(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    page.get_by_role("heading", name=title).first.wait_for()
    b.wait_idle(page)


#: What each filter box shows once the filters are set.
EXPECTED = {"Date range": "Last 7 days", "Compare with": "Same period last year", "Channel": "Direct"}


def expect_filters(page, where: str, timeout_s: float = 30) -> None:
    """Every box shows its choice within timeout_s (right after a reload the page can still be drawing them,
    before Streamlit's running indicator has even appeared)."""
    deadline = time.monotonic() + timeout_s
    while True:
        shown = {label: shown_in(page, label) for label in EXPECTED}
        wrong = {label: text for label, text in shown.items() if EXPECTED[label] not in text}
        if not wrong:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{where}: the filters show {wrong}, expected {EXPECTED}")
        page.wait_for_timeout(250)


def test_filters_survive_every_page_switch_and_a_reload(server):
    """One login (a browser session costs seconds): set the filters, visit every page, reload, choose Custom."""
    with b.browser_page(width=1440, height=1100) as page:
        b.login(page, f"{server}/sales", "analyst", h.PASSWORD)
        page.get_by_role("heading", name="Sales analysis").wait_for()
        b.wait_for_cookie(page, "shop_ops_auth")
        b.wait_idle(page)
        choose(page, "Date range", "Last 7 days")
        b.wait_idle(page)
        choose(page, "Compare with", "Same period last year")
        b.wait_idle(page)
        page.get_by_role("combobox", name="Channel").last.click()
        page.get_by_role("option", name="Direct", exact=True).click()
        page.keyboard.press("Escape")
        b.wait_idle(page)
        expect_filters(page, "sales")
        for title, has_dates in PAGES.items():
            open_page(page, title)
            assert b.page_errors(page) == [], title
            if has_dates:
                expect_filters(page, title)
                assert re.search(r"preset=last_7_days", page.url) and "compare=last_year" in page.url, title
                assert "channels=direct" in page.url, title
        # back on the sales page after pages without the date filter: nothing was reset
        open_page(page, "Sales analysis")
        expect_filters(page, "sales again")
        page.screenshot(path=str(b.ARTIFACTS / "filters-after-page-switches.png"), full_page=True)
        page.reload()  # a new session: the state comes back from the URL
        page.get_by_role("heading", name="Sales analysis").wait_for()
        b.wait_idle(page)
        expect_filters(page, "after reload")
        # "Custom" keeps the range on screen, puts it in the link, and prints no warning to the terminal
        choose(page, "Date range", "Custom")
        b.wait_idle(page)
        page.locator('[data-testid="stDateInput"]').first.wait_for()
        open_page(page, "Customer satisfaction")
        assert "Custom" in shown_in(page, "Date range")
        assert "preset=custom&from=2025-02-27&to=2025-03-05" in page.url  # the last 7 days up to the data's end
        assert b.page_errors(page) == []
        # The overview's cards compare with a day of their own choosing: it survives other pages and a reload.
        open_page(page, "Daily overview")
        assert "Same weekday last week" in shown_in(page, "Compare with")  # the default, the morning reading
        choose(page, "Compare with", "The day before")
        b.wait_idle(page)
        page.get_by_text("Yesterday vs the day before").wait_for()
        for title in ("Sales analysis", "Inventory forecast", "Daily overview"):
            open_page(page, title)
            assert "day_compare=previous" in page.url, title
        assert "The day before" in shown_in(page, "Compare with")
        page.reload()
        page.get_by_role("heading", name="Daily overview").wait_for()
        b.wait_idle(page)
        assert "The day before" in shown_in(page, "Compare with")
        assert b.page_errors(page) == []
    port = server.rsplit(":", 1)[1]
    log = (b.ARTIFACTS / f"streamlit-{port}.log").read_text(encoding="utf-8", errors="replace")
    assert WARNING not in log
