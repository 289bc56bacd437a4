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
    today = st.session_state.get("today", date(2025, 3, 5))
    if st.session_state.get("no_dates"):  # like the inventory page: stores and categories only
        f = filter_bar(user, dates=False, channels=False, today=today)
    else:
        f = filter_bar(user, today=today)
    st.text(f"{f.start}|{f.end}|{f.stores}|{f.channels}|{f.categories}")
    st.text(f"{f.compare_with}|{st.session_state.get('fb_comparison')}")


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
    return at.text[0].value.split("|")


def comparison(at: AppTest) -> list[str]:
    """[Filters.compare_with, the Comparison the bar left for the KPI rows] as text."""
    return at.text[1].value.split("|")


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


def test_custom_dates_print_no_streamlit_warning(env, monkeypatch):
    """Choosing "Custom" used to log Streamlit's "default value but also set via the Session State API" warning
    with a stack trace; the bar now seeds its widgets from the state only."""
    from datetime import date

    from streamlit.elements.lib import policies

    logged = []
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    monkeypatch.setattr(policies._LOGGER, "warning", lambda *args, **kwargs: logged.append(args))
    at = run_bar()
    at.selectbox(key="fb_preset_en").set_value("custom").run()
    assert shown(at)[:2] == ["2025-02-03", "2025-03-04"]  # the last 30 days until a range is picked
    at.date_input(key="fb_custom_en").set_value((date(2025, 3, 1), date(2025, 3, 3))).run()
    at.run()
    assert not at.exception, at.exception
    assert shown(at)[:2] == ["2025-03-01", "2025-03-03"]
    assert link(at) == {"preset": "custom", "from": "2025-03-01", "to": "2025-03-03"}
    assert logged == []


def test_state_survives_a_page_without_the_date_widgets(env):
    """A page that draws only some of the widgets (inventory: stores and categories) changes nothing else."""
    at = run_bar()
    at.selectbox(key="fb_preset_en").set_value("last_7_days")
    at.selectbox(key="fb_compare_en").set_value("last_year")
    at.multiselect(key="fb_channels_en").set_value(["direct"]).run()
    at.session_state["no_dates"] = True
    at.run()
    assert shown(at)[2:] == ["None", "None", "None"]  # no channel filter on that page
    assert link(at) == {"channels": "direct"}  # the dates are not that page's to show
    at.multiselect(key="fb_stores_en").set_value(["S2"]).run()
    at.session_state["no_dates"] = False
    at.run()
    assert shown(at) == ["2025-02-26", "2025-03-04", "('S2',)", "('direct',)", "None"]
    assert link(at) == {"preset": "last_7_days", "compare": "last_year", "stores": "S2", "channels": "direct"}
    assert "mode='last_year'" in comparison(at)[1]


def test_presets_count_back_from_the_last_day_with_data(env):
    """The tiny shop's orders end on 5 March 2025: a month later, "last 30 days" still ends on that day."""
    from datetime import date

    at = AppTest.from_function(bar_script, args=(None,), default_timeout=30)
    at.session_state["today"] = date(2025, 4, 10)
    at.run()
    assert shown(at)[:2] == ["2025-02-04", "2025-03-05"]
    assert any("The data ends on Mar 5, 2025" in c.value for c in at.caption)


def test_comparison_choice_from_a_link_and_the_custom_period(env):
    at = run_bar(preset="custom", compare="custom", cmp_from="2025-02-20", cmp_to="2025-02-10",
                 **{"from": "2025-03-01", "to": "2025-03-04"})
    assert comparison(at)[0] == "(datetime.date(2025, 2, 10), datetime.date(2025, 2, 20))"
    assert "mode='custom'" in comparison(at)[1] and "vs Feb 10, 2025 – Feb 20, 2025" in comparison(at)[1]
    at.selectbox(key="fb_compare_en").set_value("previous").run()
    assert comparison(at)[0] == "None"
    assert link(at) == {"preset": "custom", "from": "2025-03-01", "to": "2025-03-04"}


def test_comparison_coverage_of_last_year(env):
    """The tiny shop's first order is on 2 March 2024: 1-4 March 2024 is covered for 3 of its 4 days, and
    nothing before that day (a comparison ending on 1 March 2024) at all."""
    at = run_bar(preset="custom", **{"from": "2025-03-01", "to": "2025-03-04"})
    text = comparison(at)[1]
    assert "previous_coverage=1.0" in text and "last_year_coverage=0.75" in text
    at = run_bar(preset="custom", compare="custom", cmp_from="2024-02-01", cmp_to="2024-03-01",
                 **{"from": "2025-03-01", "to": "2025-03-04"})
    assert "previous_coverage=0.0" in comparison(at)[1]
