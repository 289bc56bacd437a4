"""The shop's country: stored as a setting, chosen on the admin page (AppTest), used by the batch's category fits
and by the forecast on request."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import audit, shop_settings
from data_access.engine import create_engine
from data_access.schema import create_schema
from forecasting import batch, catalogue, on_demand
from forecasting.executors import Executor
from tests.support import apptest_helpers as h
from tests.support.inventory_shop import small_catalogue


@pytest.fixture
def empty_shop(tmp_path):
    url = f"duckdb:///{tmp_path / 'shop.duckdb'}"
    engine = create_engine(url)
    create_schema(engine)
    yield url, engine
    engine.dispose()


def test_country_setting_round_trip_and_refuses_unknown_codes(empty_shop):
    _, engine = empty_shop
    assert shop_settings.shop_country(engine) == "CN"  # nothing stored: the default
    assert shop_settings.set_shop_country(engine, " br ") == "BR"
    assert shop_settings.set_shop_country(engine, "gb") == "GB"  # replaces, one row
    assert shop_settings.shop_country(engine) == "GB"
    with pytest.raises(ValueError, match="unknown country"):
        shop_settings.set_shop_country(engine, "XX")
    assert shop_settings.shop_country(engine) == "GB"
    assert {"CN", "US", "BR", "GB"} <= set(shop_settings.supported_countries())


def test_country_on_a_database_older_than_the_settings_table(tmp_path):
    engine = create_engine(f"duckdb:///{tmp_path / 'old.duckdb'}")
    try:
        assert shop_settings.shop_country(engine) == "CN"
    finally:
        engine.dispose()


def test_batch_fits_categories_with_the_stored_country(empty_shop, monkeypatch):
    url, engine = empty_shop
    shop_settings.set_shop_country(engine, "US")
    seen = []

    def spy(history, horizon, **kwargs):  # the category fit, without Prophet's seconds: a flat forecast
        seen.append(kwargs.get("holidays"))
        out = pd.DataFrame({"yhat": np.full(horizon, history["y"].tail(28).mean())})
        out.attrs["model"] = "prophet"
        return out

    monkeypatch.setattr(catalogue, "forecast", spy)
    monkeypatch.setattr(batch, "load_catalogue", lambda *_a, **_k: small_catalogue())
    # in process, so the spy sees the calls (a local run forks worker processes)
    monkeypatch.setattr(batch, "make_executor", lambda *_a: Executor())
    summary = batch.run_batch(engine, progress=lambda _: None)
    assert summary.status == "ok" and seen and set(seen) == {"US"}
    params = pd.read_sql(sa.text("SELECT params FROM forecast_runs"), engine)["params"].iloc[0]
    assert '"country": "US"' in params


def test_forecast_on_request_uses_the_stored_country(empty_shop, monkeypatch):
    _, engine = empty_shop
    shop_settings.set_shop_country(engine, "BR")
    days = pd.date_range("2025-01-01", periods=30, freq="D")  # no backtest window: one Prophet fit
    history = pd.DataFrame({"ds": days, "units": 3.0, "censored": False})
    monkeypatch.setattr(on_demand.queries, "cell_history", lambda *_a, **_k: history)
    seen = []
    original = on_demand.demand.forecast
    monkeypatch.setattr(on_demand.demand, "forecast",
                        lambda frame, horizon, **kw: seen.append(kw.get("holidays")) or original(frame, horizon, **kw))
    out = on_demand.forecast_cell(engine, None, "S1", "P1", horizon=7)
    assert seen == ["BR"] and len(out) == 7


def test_admin_sets_the_shop_country(empty_shop, tiny_app, monkeypatch):
    url, engine = empty_shop
    h.configure(monkeypatch, url, tiny_app[1])
    at = h.logged_in("pages/admin.py", "admin").run()
    assert not at.exception, at.exception
    box = at.selectbox(key="admin_shop_country")
    assert box.value == "CN" and "China (CN)" in box.options
    box.set_value("GB").run()
    at.button(key="admin_save_country").click().run()
    assert not at.exception, at.exception
    assert shop_settings.shop_country(engine) == "GB"
    assert any("United Kingdom (GB)" in s.value for s in at.success)
    changes = audit.search_events(engine, limit=10, action=audit.SETTING_CHANGED)
    assert len(changes) == 1 and "CN -> GB" in changes["detail"].iloc[0]
