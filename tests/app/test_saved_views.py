"""Saved views (issue 21 point 6): named filter sets per user in the database, and the sidebar that saves,
opens and deletes them and shows their shareable link."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_access.accounts import views
from tests.app.test_filter_bar import bar_script, link, shown
from tests.support import apptest_helpers as h


def test_views_per_user_on_both_backends(tiny_engine):
    views.save_view(tiny_engine, "ann", "  Last week   S1 ", "sales", {"preset": "last_7_days", "stores": "S1"})
    views.save_view(tiny_engine, "bob", "Mine", "marketing", {"preset": "yesterday", "empty": ""})
    views.save_view(tiny_engine, "ann", "Last week S1", "sales", {"preset": "last_7_days", "stores": "S2"})
    ann = views.list_views(tiny_engine, "ann")
    assert ann["name"].tolist() == ["Last week S1"]  # trimmed, and saving again replaced it
    assert ann.at[0, "params"] == {"preset": "last_7_days", "stores": "S2"} and ann.at[0, "page"] == "sales"
    assert views.list_views(tiny_engine, "bob").at[0, "params"] == {"preset": "yesterday"}  # blanks dropped
    assert views.delete_view(tiny_engine, "ann", "Last week S1") and not views.delete_view(tiny_engine, "ann", "x")
    assert views.list_views(tiny_engine, "ann").empty and len(views.list_views(tiny_engine, "bob")) == 1
    with pytest.raises(views.ViewError, match="name"):
        views.save_view(tiny_engine, "ann", "   ", "sales", {})
    with pytest.raises(views.ViewError, match="params"):
        views.save_view(tiny_engine, "ann", "long", "sales", {"stores": "S" * 1000})


def test_a_user_keeps_at_most_max_views(tiny_engine, monkeypatch):
    monkeypatch.setattr(views, "MAX_VIEWS", 2)
    for name in ("a", "b"):
        views.save_view(tiny_engine, "cap", name, "sales", {})
    views.save_view(tiny_engine, "cap", "b", "sales", {"preset": "today"})  # replacing one is allowed
    with pytest.raises(views.ViewError, match="too_many"):
        views.save_view(tiny_engine, "cap", "c", "sales", {})


@pytest.fixture
def env(tiny_env):
    return tiny_env


def test_save_open_and_delete_in_the_sidebar(env):
    at = AppTest.from_function(bar_script, args=(None,), default_timeout=30)
    at.run()
    assert "No saved views yet" in at.sidebar.caption[0].value
    at.selectbox(key="fb_preset_en").set_value("last_7_days")
    at.multiselect(key="fb_channels_en").set_value(["direct"]).run()
    at.text_input(key="fb_view_name").input("Direct, one week")
    at.button(key="fb_view_save_btn").click().run()
    assert not at.exception, at.exception
    assert at.sidebar.success[0].value == "Saved the view “Direct, one week”."
    assert at.sidebar.code[0].value.endswith("/?channels=direct&preset=last_7_days")
    # the filters change, then the view brings them back
    at.selectbox(key="fb_preset_en").set_value("yesterday")
    at.multiselect(key="fb_channels_en").set_value([]).run()
    assert shown(at)[:4] == ["2025-03-04", "2025-03-04", "None", "None"]
    at.button(key="fb_view_open_btn").click().run()
    assert not at.exception, at.exception
    assert shown(at) == ["2025-02-26", "2025-03-04", "None", "('direct',)", "None"]
    assert link(at) == {"preset": "last_7_days", "channels": "direct"}
    at.button(key="fb_view_delete_btn").click().run()
    assert "No saved views yet" in at.sidebar.caption[0].value


def test_a_view_never_widens_the_store_scope(env):
    """A view saved by someone with every store, opened by a manager of S1 only: the scope still decides."""
    from components.auth import FILTER_KEY_PREFIX

    at = AppTest.from_function(bar_script, args=(("S1",),), default_timeout=30)
    at.session_state[f"{FILTER_KEY_PREFIX}view_open"] = ("", {"stores": "S2", "preset": "yesterday"})
    at.run()
    assert not at.exception, at.exception
    assert shown(at)[:3] == ["2025-03-04", "2025-03-04", "('S1',)"]


def test_the_sidebar_on_a_real_page(env):
    """In the app, the saved view's link names the page it was saved on."""
    at = h.logged_in("app.py", "analyst")
    at.query_params.update({"preset": "custom", "from": "2025-03-01", "to": "2025-03-04"})
    at.switch_page("pages/sales.py").run()
    at.text_input(key="fb_view_name").input("March")
    at.button(key="fb_view_save_btn").click().run()
    assert not at.exception, at.exception
    assert at.sidebar.code[0].value.endswith("/sales?from=2025-03-01&preset=custom&to=2025-03-04")
