"""The filter bar in AppTest: presets, custom range, scope-limited pickers, link mirroring, persistence."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_access.engine import create_engine
from tests.support import apptest_helpers as h
from tests.support import tiny_shop


def bar_script(stores):
    """A page that draws the bar for a user with `stores` scope and prints the Filters it returns."""
    from datetime import date

    import streamlit as st

    from components.auth import CurrentUser
    from components.filter_bar import filter_bar

    user = CurrentUser("u", "U", "manager" if stores else "admin", stores, "en")
    if st.session_state.get("hide_bar"):  # like another page that has no filter bar
        st.stop()
    f = filter_bar(user, today=date(2025, 3, 5))
    st.text(f"{f.start}|{f.end}|{f.stores}|{f.channels}|{f.categories}")


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    url = f"duckdb:///{tmp_path_factory.mktemp('bar') / 'shop.duckdb'}"
    engine = create_engine(url)
    tiny_shop.load(engine)
    engine.dispose()
    return url


@pytest.fixture
def env(shop, monkeypatch, tmp_path):
    h.configure(monkeypatch, shop, tmp_path / "none.yaml")


def run_bar(scope=None, **params) -> AppTest:
    at = AppTest.from_function(bar_script, args=(scope,), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def link(at: AppTest) -> dict[str, str]:
    """The query parameters as plain strings (AppTest may hold them as one-item lists)."""
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def shown(at: AppTest) -> list[str]:
    return at.text[-1].value.split("|")


def test_default_is_last_30_days_all_stores(env):
    at = run_bar()
    assert not at.exception, at.exception
    assert shown(at) == ["2025-02-03", "2025-03-04", "None", "None", "None"]
    assert link(at) == {"preset": "last_30_days"}


def test_preset_change_and_pickers_go_into_the_link(env):
    at = run_bar()
    at.selectbox(key="fb_preset_en").set_value("last_7_days")
    at.multiselect(key="fb_channels_en").set_value(["direct"])
    at.multiselect(key="fb_categories_en").set_value(["A"]).run()
    assert shown(at) == ["2025-02-26", "2025-03-04", "None", "('direct',)", "('A',)"]
    assert link(at) == {"preset": "last_7_days", "channels": "direct", "categories": "A"}


def test_custom_range_from_a_link(env):
    at = run_bar(preset="custom", **{"from": "2025-03-04", "to": "2025-03-01"})
    assert shown(at)[:2] == ["2025-03-01", "2025-03-04"]  # swapped into order


def test_link_with_garbage_falls_back_to_defaults(env):
    at = run_bar(preset="drop table", stores="S1,../../etc", channels="nope", **{"from": "x", "to": "y"})
    assert not at.exception, at.exception
    assert shown(at) == ["2025-02-03", "2025-03-04", "('S1',)", "None", "None"]


def test_store_picker_offers_only_the_scope(env):
    at = run_bar(scope=("S2",))
    assert at.multiselect(key="fb_stores_en").options == ["Beijing Sanlitun"]
    assert shown(at)[2] == "('S2',)"  # nothing picked: the whole scope, never every store


def test_state_survives_a_rerun_without_the_widgets(env):
    at = run_bar()
    at.selectbox(key="fb_preset_en").set_value("yesterday").run()
    at.session_state["hide_bar"] = True
    at.run()  # Streamlit drops the state of widgets a run does not draw
    at.session_state["hide_bar"] = False
    at.run()
    assert shown(at)[:2] == ["2025-03-04", "2025-03-04"]
