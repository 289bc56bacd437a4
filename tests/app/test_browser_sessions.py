"""Real browser: an open session ends at its next click once an admin changes the user's password."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]


own_users = fixtures.own_users("tiny_app", "session-users")  # this module changes a password


server = fixtures.app_server("own_users")


def test_open_session_ends_at_once_after_an_admin_changes_its_password(server, own_users):
    with b.browser_page() as page:
        b.login(page, server, "marketer", h.PASSWORD)
        page.get_by_role("heading", name="Sales analysis").wait_for()
        b.wait_idle(page)
        # The admin changes the password with the user CLI while the marketer's page stays open.
        subprocess.run([sys.executable, "-m", "data_access.users", "passwd", "marketer", "--password-stdin",
                        "--file", str(own_users[1])], input=h.PASSWORD + "-changed\n", text=True, check=True,
                       cwd=b.ROOT, capture_output=True)
        page.get_by_role("link", name="Marketing").click()  # the next rerun, no reload
        page.get_by_role("textbox", name="Username").wait_for()
        b.wait_idle(page)
        assert page.get_by_text("Your session has ended").is_visible()
        assert page.get_by_role("heading", name="Marketing").count() == 0
        assert page.locator('[data-testid="stMetric"]').count() == 0
        page.screenshot(path=str(b.ARTIFACTS / "session-ended-after-password-change.png"), full_page=True)
        page.reload()  # the cookie is no way back in either
        page.get_by_role("textbox", name="Username").wait_for()
        b.wait_idle(page)
        assert page.get_by_role("heading", name="Sales analysis").count() == 0
        b.login(page, server, "marketer", h.PASSWORD + "-changed")
        page.get_by_role("heading", name="Sales analysis").wait_for()
