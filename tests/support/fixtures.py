"""The shop and server fixtures the test modules share, made by a call, named by the variable they are assigned to.

    engine = shop_engine(logistics_shop.load)        # a module fixture: that shop on each backend
    logistics_app = shop_app(logistics_shop.load)     # a module fixture: (url, credentials) of a DuckDB file
    upload_app = shop_app(tiny_shop.load, backend="postgresql")   # ... of a PostgreSQL database
    server = app_server("logistics_app")              # a module fixture: `streamlit run` on it, its base URL
    market_app = own_users("demo_app")                # demo_app's database with credentials of the module's own
    env = app_env("logistics_app")                    # a test fixture: AppTest pointed at that shop and its users

pytest registers a fixture under the module attribute it is assigned to, so each module gets its own (module
scope: built once per module and backend). tests/conftest.py makes the session-wide ones (tiny_engine, tiny_app)
the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import sqlalchemy as sa

BACKENDS = ("duckdb", "postgresql")


def shop_engine(load: Callable[[sa.Engine], object], backends: Iterable[str] = BACKENDS):
    """A module fixture: an engine on a new database of each backend (one parametrised run each), filled by
    load(engine) once per module and backend, disposed after the module."""

    @pytest.fixture(scope="module", params=list(backends))
    def engine(request, database_url_factory):
        """An engine on this shop (tests.support.fixtures.shop_engine), once per module and backend."""
        from data_access.engine import create_engine

        made = create_engine(database_url_factory(request.param))
        load(made)
        yield made
        made.dispose()

    return engine


def shop_app(load: Callable[[sa.Engine], object], folder: str = "shop", scope: str = "module",
             backend: str = "duckdb"):
    """A fixture (module scope unless told): (url, credentials) of a database filled by load(engine) (a DuckDB
    file, or a new database on the session's PostgreSQL server for a test that reads while the app holds its
    connections) and a credentials file with a user per role (apptest_helpers.TEST_USERS); nothing holds the
    database afterwards, so a server process can open it."""

    @pytest.fixture(scope=scope)
    def app(request, tmp_path_factory) -> tuple[str, Path]:
        """(url, credentials) of this shop (tests.support.fixtures.shop_app)."""
        from tests.support import apptest_helpers

        if backend == "duckdb":
            return apptest_helpers.shop_app(tmp_path_factory.mktemp(folder), load)
        from data_access.engine import create_engine

        url = request.getfixturevalue("database_url_factory")(backend)
        engine = create_engine(url)
        load(engine)
        engine.dispose()
        credentials = tmp_path_factory.mktemp(folder) / "credentials.yaml"
        apptest_helpers.write_users(credentials)
        return url, credentials

    return app


def app_env(app: str):
    """A test fixture: the app (AppTest) pointed at the database and users of the (url, credentials) fixture named
    `app` for this test (apptest_helpers.configure); gives that (url, credentials)."""

    @pytest.fixture
    def env(request, monkeypatch) -> tuple[str, Path]:
        """(url, credentials) the app is pointed at for this test (tests.support.fixtures.app_env)."""
        from tests.support import apptest_helpers

        shop = request.getfixturevalue(app)
        apptest_helpers.configure(monkeypatch, *shop)
        return shop

    return env


def own_users(app: str, folder: str = "users"):
    """A module fixture: the database of the (url, credentials) fixture named `app` with a credentials file of the
    module's own (a user per role), for modules that change users (a password, a saved language)."""

    @pytest.fixture(scope="module")
    def users_app(request, tmp_path_factory) -> tuple[str, Path]:
        """(url, credentials): a shared shop with this module's own users (tests.support.fixtures.own_users)."""
        from tests.support import apptest_helpers

        credentials = tmp_path_factory.mktemp(folder) / "credentials.yaml"
        apptest_helpers.write_users(credentials)
        return request.getfixturevalue(app)[0], credentials

    return users_app


def app_server(app: str):
    """A module fixture: the base URL of the app served by `streamlit run` on a free localhost port
    (browser_helpers.app_server) for the (url, credentials) the fixture named `app` gives; stopped after the
    module."""

    @pytest.fixture(scope="module")
    def server(request):
        """The base URL of `streamlit run` on this module's shop (tests.support.fixtures.app_server)."""
        from data_access.engine import dispose_engine
        from tests.support import browser_helpers

        url, credentials = request.getfixturevalue(app)
        dispose_engine()  # an AppTest run in this process may still hold the DuckDB file the server opens
        with browser_helpers.app_server(url, credentials) as base:
            yield base

    return server
