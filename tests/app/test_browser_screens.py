"""Every page and tab as a person reads it, in a real browser, English and 简体中文 at 1280 and 1440 px: no chart
label hidden or cut, the key columns in view, a dash (never "None"/"nan") for a missing value, no English on the
Chinese UI beyond data values. One app server and one browser for the module; screenshots of every screen are
kept in test-artifacts/screens/ (git-ignored) for people to look at."""

from __future__ import annotations

import re
from datetime import date

import pytest

from components.i18n import page_title, translate
from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import screen_checks as checks

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ("overview", "alerts", "sales", "inventory", "marketing", "satisfaction", "market", "logistics", "upload",
         "jobs", "admin")
WIDTHS = (1280, 1440)
# A month the small demo covers (its history ends on 30 June 2025), so every page has data to show.
PERIOD = "?preset=custom&from=2025-06-01&to=2025-06-30"
#: (page, tab number) -> the column ids a user acts on first: they must be in view without scrolling sideways.
KEY_COLUMNS = {
    ("overview", 0): ("days_of_cover", "on_hand", "overdue_hours"),
    ("inventory", 0): ("stockout_date", "on_hand"),
    ("inventory", 2): ("suggested_order",),
    ("inventory", 3): ("excess_units",),
}


#: Table columns that hold records as the app or a client wrote them (the audit log's detail and client address).
RECORD_COLUMNS = frozenset(translate(f"col.{column}", "zh") for column in ("detail", "client"))


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """The small demo shop with a forecast run (the inventory page's lists need one), users per role, and the
    names from the data (allowed in English on the Chinese UI; a product's English name only where it has no
    Chinese one, so an English product name on the Chinese UI is a problem)."""
    import sqlalchemy as sa

    from data_access.demo import build
    from data_access.engine import create_engine, dispose_engine
    from forecasting import batch

    folder = tmp_path_factory.mktemp("screens")
    url = f"duckdb:///{folder / 'shop.duckdb'}"
    engine = create_engine(url)
    build(engine, scale="small", seed=42, end_date=date(2025, 6, 30))
    batch.run_batch(engine, workers=1, progress=lambda line: None)
    with engine.connect() as conn:
        names = {row[0] for query in ("SELECT name FROM products WHERE name_zh IS NULL",
                                      "SELECT supplier FROM products", "SELECT name FROM campaigns",
                                      "SELECT sku FROM products", "SELECT campaign_id FROM campaigns",
                                      "SELECT store_id FROM stores", "SELECT comment FROM reviews",
                                      "SELECT ticket_id FROM tickets", "SELECT order_id FROM orders",
                                      "SELECT name_zh FROM products", "SELECT item_id FROM listings",
                                      "SELECT DISTINCT source FROM listings")
                 for row in conn.execute(sa.text(query)) if row[0]}
    engine.dispose()
    dispose_engine()
    credentials = folder / "credentials.yaml"
    h.write_users(credentials)
    with b.app_server(url, credentials) as base:
        scopes = {store for _, stores in h.TEST_USERS.values() if stores != "all" for store in stores}
        yield base, names | {f"Test {user}" for user in h.TEST_USERS} | set(h.TEST_USERS) | scopes


def _choose_language(page, label: str) -> None:
    page.get_by_role("combobox", name=re.compile(r"^(Language|语言)$")).click()
    page.get_by_role("option", name=label).click()
    checks.settle(page)


def _key_labels(page_tab: tuple[str, int], lang: str) -> list[str]:
    return [translate(f"col.{column}", lang) for column in KEY_COLUMNS.get(page_tab, ())]


def _screens(page, base: str, lang: str, data_names: set[str]) -> list[str]:
    """Open every page and tab, check each at every width, screenshot it; the problems found."""
    problems = []
    for page_id in PAGES:
        page.goto(f"{base}/{page_id}{PERIOD}")
        # The login cookie is read by a browser component a moment after the page loads: wait for the page itself.
        page.get_by_role("heading", name=page_title(page_id, lang), exact=True).wait_for(timeout=60_000)
        checks.settle(page)
        tab_count = page.get_by_role("tab").count()
        for number in range(max(tab_count, 1)):
            if tab_count:
                tab = page.get_by_role("tab").nth(number)
                if not tab.is_visible():  # a tab inside another tab's panel
                    continue
                tab.click()
                checks.settle(page)
            where = f"{page_id}[{number}]-{lang}"
            problems += [f"{where}: exception {text[:300]}" for text in b.page_errors(page)]
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 1000})
                page.wait_for_timeout(500)  # charts redraw at the new width
                at = f"{where}@{width}"
                problems += checks.axis_problems(page, at)
                problems += checks.key_column_problems(page, at, _key_labels((page_id, number), lang))
                problems += checks.missing_value_problems(page, at)
                problems += checks.cut_value_problems(page, at)
                if lang == "zh" and width == WIDTHS[0]:
                    problems += checks.english_problems(page, at, data_names, RECORD_COLUMNS)
                checks.screenshot(page, f"{page_id}-{number}-{lang}-{width}")
    return problems


@pytest.mark.parametrize("lang, label", [("en", "English"), ("zh", "简体中文")])
def test_every_page_and_tab_reads_in_full(shop, lang, label):
    base, data_names = shop
    with b.browser_page(width=WIDTHS[0], height=1000) as page:
        b.login(page, f"{base}/overview{PERIOD}", "admin", h.PASSWORD)
        page.get_by_role("textbox", name="Username").wait_for(state="detached")
        b.wait_for_cookie(page, "shop_ops_auth")  # so that opening a page by its address keeps the login
        checks.settle(page)
        _choose_language(page, label)
        problems = _screens(page, base, lang, data_names)
    assert problems == [], "\n".join(problems)
