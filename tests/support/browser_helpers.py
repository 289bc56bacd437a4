"""Real-browser testing: `streamlit run` on a free localhost port, driven by Debian's Chromium via Playwright."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(env: dict[str, str], timeout: float = 90) -> Iterator[str]:
    """Run the app with `streamlit run` on 127.0.0.1:<free port>; yields the base URL."""
    port = free_port()
    log = (ARTIFACTS / f"streamlit-{port}.log")
    ARTIFACTS.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"streamlit did not start; see {log}") from None
                    time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextlib.contextmanager
def app_server(db_url: str, credentials: Path) -> Iterator[str]:
    """streamlit_server for a database and a credentials file, with a test cookie key."""
    env = {"DATABASE_URL": db_url, "SHOP_CREDENTIALS": str(credentials),
           "SHOP_COOKIE_KEY": "browser-test-cookie-key-0123456789"}
    with streamlit_server(env) as base:
        yield base


_open_pages: list = []


@contextlib.contextmanager
def browser_page(width: int = 1400, height: int = 1000):
    """A fresh headless Chromium page (no sandbox: tests run as root in CI)."""
    from playwright.sync_api import expect, sync_playwright

    # One patience for actions and assertions: expect's own default (5 s) fails on a busy 2-core machine where
    # the same wait in a click passes.
    expect.set_options(timeout=30_000)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, locale="en-US")
            page.set_default_timeout(30_000)
            _open_pages.append(page)
            try:
                yield page
            except Exception:
                screenshot_open_pages("FAILED")
                raise
            finally:
                _open_pages.remove(page)
        finally:
            browser.close()


def screenshot_open_pages(stem: str) -> None:
    """Save what each open page shows, to see why a browser test failed."""
    ARTIFACTS.mkdir(exist_ok=True)
    for i, page in enumerate(_open_pages):
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTIFACTS / f"{stem}-{i}.png"), full_page=True)


def login(page, base: str, username: str, password: str) -> None:
    page.goto(base)
    page.get_by_role("textbox", name="Username").wait_for()
    wait_idle(page)  # let the first run finish, as a person typing would
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script (no running indicator, spinners gone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') "
        "&& !document.querySelector('[data-testid=\"stSpinner\"]')", timeout=timeout)
    page.wait_for_timeout(500)


def wait_for_cookie(page, name: str, timeout_s: float = 20, present: bool = True) -> None:
    """Wait until the browser holds the cookie name (present=False: until it no longer does)."""
    deadline = time.monotonic() + timeout_s
    while any(c["name"] == name for c in page.context.cookies()) != present:
        if time.monotonic() > deadline:
            raise AssertionError(f"cookie {name} was never {'set' if present else 'deleted'}")
        page.wait_for_timeout(200)


def choose_in_selectbox(page, label: str, option: str) -> None:
    """Open a Streamlit selectbox by its label and pick an option."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).click()


def wait_for_charts(page, count: int, timeout: float = 30_000) -> None:
    """Wait until at least `count` Vega charts have drawn (a canvas or svg inside each chart)."""
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] canvas, "
        "[data-testid=\"stVegaLiteChart\"] svg.marks').length >= n", arg=count, timeout=timeout)


def page_errors(page) -> list[str]:
    """Texts of Streamlit exception boxes on the page (a passing page has none)."""
    return page.locator('[data-testid="stException"]').all_inner_texts()
