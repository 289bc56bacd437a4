"""The daily overview in AppTest on the tiny shop: figures, store scope (also through the cache), empty states."""

from __future__ import annotations

import pytest

from tests.support import apptest_helpers as h


@pytest.fixture
def env(tiny_env):
    return tiny_env


def overview(username: str, **params):
    at = h.logged_in("pages/overview.py", username)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def tables(at) -> str:
    return "\n".join(df.value.to_string() for df in at.dataframe)


def metric(at, label: str):
    return next(m for m in at.metric if m.label == label)


def test_admin_sees_every_store(env):
    at = overview("admin")
    assert not at.exception, at.exception
    # The newest day with orders is 5 Mar 2025: O9, S1, 5 x P1 at 10.
    assert metric(at, "Net sales").value == "¥50.00"
    assert metric(at, "Orders").value == "1" and metric(at, "Units").value == "5"
    text = h.all_text(at)
    assert "Mar 5, 2025" in text
    # 7 days before: 10 + 130 + 50 = 190 -> mean 27.14; 50 / 27.14 - 1 = +84.2%
    assert "+84.2% vs 7-day average" in text
    shown = tables(at)
    assert "T3" in shown and "T1" in shown  # a Beijing (S2) and a Shanghai (S1) ticket past SLA
    assert "Beijing Sanlitun" in shown  # a low review from S2, and the Beijing ticket, under the store's name


def test_manager_sees_only_their_store(env):
    at = overview("manager")
    assert not at.exception, at.exception
    # S1 only: 10 + 110 in the 7 days before -> mean 17.14; 50 / 17.14 - 1 = +191.7%
    assert "+191.7% vs 7-day average" in h.all_text(at)
    shown = tables(at)
    assert "T1" in shown and "T6" in shown and "T3" not in shown and "S2" not in shown
    assert "Beijing Sanlitun" not in h.all_text(at) and "Beijing Sanlitun" not in shown


def test_scope_holds_through_the_cache_in_both_orders(env):
    overview("admin")  # fills the cache with all-store results
    manager = overview("manager")
    assert "Beijing Sanlitun" not in tables(manager) and "Beijing Sanlitun" not in h.all_text(manager)
    admin = overview("admin")
    assert "T3" in tables(admin)


def test_a_shared_link_cannot_widen_a_managers_scope(env):
    at = overview("manager", stores="S2")
    shown = tables(at)
    assert "T3" not in shown and "S2" not in shown
    assert "+191.7% vs 7-day average" in h.all_text(at)


def test_link_picks_a_store_for_admin(env):
    at = overview("admin", stores="S2")
    assert "T1" not in tables(at) and "T3" in tables(at)


def test_picking_a_store_updates_the_link(env):
    at = overview("admin")
    assert "stores" not in at.query_params
    at.multiselect(key="fb_stores_en").set_value(["S1"]).run()
    assert at.query_params["stores"] in ("S1", ["S1"])
    assert "T3" not in tables(at) and "T1" in tables(at)


def test_manager_without_data_gets_an_empty_state(env):
    at = overview("nostores")
    assert not at.exception, at.exception
    assert "No data for this selection" in h.all_text(at)
    assert len(at.metric) == 0 and len(at.dataframe) == 0


def test_overview_in_chinese(env):
    at = overview("admin", lang="zh")
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "今日概览" in text and "2025年3月5日" in text
    assert metric(at, "净销售额").value == "¥50.00"


def test_low_reviews_are_a_needs_attention_list(env):
    at = overview("admin")
    assert not at.exception, at.exception
    # Rated 1-2 within the 14 days to 5 Mar 2025: R3, R2, R5 (1 star, newest first), then R1 (2 stars).
    frame = next(df.value for df in at.dataframe if "Comment" in df.value.columns)
    assert list(frame["Comment"]) == ["门店服务差", "late and broken", "before the period", "包装破损"]
    assert list(frame["Store"]) == ["Shanghai Flagship", "Beijing Sanlitun", "Shanghai Flagship", "Shanghai Flagship"]
    assert "4 in the list" in h.all_text(at)
    ids = [button.proto.id for button in at.get("download_button")]
    assert any("overview_low_reviews_csv" in i for i in ids) and any("overview_low_reviews_xlsx" in i for i in ids)


def test_overview_names_stores_and_ticket_codes_in_chinese(env):
    at = overview("admin", lang="zh")
    assert not at.exception, at.exception
    shown = tables(at)
    assert "北京三里屯店" in shown and "Beijing Sanlitun" not in shown
    tickets = next(df.value for df in at.dataframe if "工单号" in df.value.columns)
    assert set(tickets["优先级"]) <= {"紧急", "高", "普通", "低"}


@pytest.mark.parametrize(("lang", "phrase"), [("en", "newest"), ("zh", "最新")])
def test_the_old_data_warning_shows_once(env, lang, phrase):
    """The tiny shop's data ends on 5 Mar 2025: one warning says so (there were two, one database-wide)."""
    at = overview("admin", lang=lang)
    assert not at.exception, at.exception
    old = [w.value for w in at.warning if phrase in w.value]
    assert len(old) == 1, old
    assert ("Mar 5, 2025" if lang == "en" else "2025年3月5日") in old[0]


def test_two_sessions_opening_the_overview_build_its_charts_once(env, monkeypatch):
    import functools

    from components import chart_render, charts

    chart_render.clear()
    built: list[str] = []
    for name in ("trend_with_comparison", "ranked_bars"):
        original = getattr(charts, name)
        monkeypatch.setattr(charts, name, functools.wraps(original)(
            lambda *a, _original=original, **k: built.append(_original.__name__) or _original(*a, **k)))
    first = overview("admin")
    built_by_first = len(built)
    second = overview("admin")
    assert not first.exception and not second.exception, (first.exception, second.exception)
    def specs(at) -> list[dict]:  # a spec names its datasets by a hash of their rows
        return [spec for spec, _ in h.charts(at)]

    drawn = specs(first)
    assert len(drawn) >= 2 and built_by_first >= 2
    assert len(built) == built_by_first and specs(second) == drawn  # the second session built none
    chinese = overview("admin", lang="zh")
    assert len(built) == 2 * built_by_first and specs(chinese) != drawn  # another language, other charts
