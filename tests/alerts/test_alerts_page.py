"""Alert centre and the overview's "why did it change" block in AppTest: scope, states, digest settings, both
languages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from data_access.alerts import queries as q
from data_access.engine import create_engine
from data_access.filters import Filters
from tests.support import alerts_shop, fixtures
from tests.support import apptest_helpers as h

alerts_app = fixtures.shop_app(alerts_shop.load_with_alerts, "alerts_app")


env = fixtures.app_env("alerts_app")


def _engine(env):
    return create_engine(env[0])


def _digest_languages(at, label: str) -> list[str]:
    """The choices of the digest form's language box, as shown."""
    return next(w for w in at.selectbox if w.label == label).options


def test_manager_sees_only_their_stores_alerts_and_can_acknowledge(env):
    at = h.logged_in("pages/alert_centre.py", "manager").run()
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "S1:" in text and "S2" not in text and "S3" not in text
    assert _digest_languages(at, "Language of the digest") == ["English", "Chinese"]
    ack = next(b for b in at.button if b.label == "Acknowledge" and not b.disabled)
    ack.click().run()
    assert not at.exception, at.exception
    engine = _engine(env)
    try:
        states = q.list_alerts(engine, Filters.all_time(("S1",)))["state"]
        assert "acknowledged" in set(states)
    finally:
        engine.dispose()


def test_snooze_and_resolve_from_the_list(env):
    """An admin snoozes one S2 alert (gone from the default list for a week) and resolves one of S3."""
    at = h.logged_in("pages/alert_centre.py", "admin").run()
    assert not at.exception, at.exception
    engine = _engine(env)
    try:
        for store, action, state in (("S2", "snooze", "snoozed"), ("S3", "resolve", "resolved")):
            target = int(q.list_alerts(engine, Filters.all_time((store,)), states=("new",))["id"].iloc[0])
            next(b for b in at.button if b.key == f"alert_{action}_{target}").click().run()
            assert not at.exception, at.exception
            row = q.list_alerts(engine, Filters.all_time((store,))).set_index("id").loc[target]
            assert row["state"] == state
            assert f"alert_{action}_{target}" not in {b.key for b in at.button}  # no longer listed by default
        snoozed = q.list_alerts(engine, Filters.all_time(("S2",)), states=("snoozed",))
        assert (snoozed["snoozed_until"].astype(str) > str(alerts_shop.LAST)).all()
    finally:
        engine.dispose()


def test_alert_centre_in_chinese_and_digest_settings(env):
    at = h.logged_in("pages/alert_centre.py", "manager")
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert "预警中心" in h.all_text(at)
    # The digest's language is named in the UI's language, never by endonyms ("English" on the Chinese UI).
    assert _digest_languages(at, "摘要语言") == ["英文", "中文"]
    email = next(w for w in at.text_input if w.label == "电子邮箱")
    email.input("ann@shop.test")
    ding = next(w for w in at.text_input if w.label.startswith("钉钉") and "Webhook" in w.label)
    ding.input("https://oapi.dingtalk.com/robot/send?access_token=t")
    next(b for b in at.button if b.label == "保存摘要设置").click().run()
    assert not at.exception, at.exception
    assert "摘要设置已保存。" in h.all_text(at)
    engine = _engine(env)
    try:
        saved = q.read_digest_settings(engine, "manager")
    finally:
        engine.dispose()
    assert saved["email"] == "ann@shop.test" and saved["webhooks"][0]["kind"] == "dingtalk"


def test_thresholds_only_for_admin(env):
    admin = h.logged_in("pages/alert_centre.py", "admin").run()
    assert not admin.exception, admin.exception
    assert "Alert thresholds (admin)" in h.all_text(admin)
    manager = h.logged_in("pages/alert_centre.py", "manager").run()
    assert "Alert thresholds (admin)" not in h.all_text(manager)
    zh = h.logged_in("pages/alert_centre.py", "admin")
    zh.session_state["lang"] = "zh"
    zh.run()
    assert not zh.exception, zh.exception
    labels = [w.label for w in zh.number_input]
    lost = next(label for label in labels if "预计损失销售额" in label)  # stock.min_lost_sales, by its meaning
    assert lost.endswith("（默认 500.00）")
    assert not [label for label in labels if "alert" in label or "store" in label.split("：")[-1]]  # no English left


def test_overview_explains_the_change_with_a_waterfall(env):
    at = h.logged_in("pages/overview.py", "admin").run()
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "New alerts for your stores: " in text
    # the planted fall: S1's conversion dropped to 40% on the last day
    assert "Sales fell" in text and "conversion in store S1 on" in text
    zh = h.logged_in("pages/overview.py", "manager")
    zh.session_state["lang"] = "zh"
    zh.run()
    assert not zh.exception, zh.exception
    text = h.all_text(zh)
    assert "销售额下降" in text and "门店 S1" in text and "转化率" in text
    assert "S2" not in text and "S3" not in text


def test_sales_page_explains_any_period_in_both_languages(env):
    day = alerts_shop.LAST.isoformat()
    for lang, tab, fell, label in (("en", "Why did it change?", "Sales fell", "Selected period"),
                                   ("zh", "为何变化", "销售额下降", "所选周期")):
        at = h.logged_in("pages/sales.py", "manager")
        at.session_state["lang"] = lang
        at.query_params.update({"preset": "custom", "from": day, "to": day, "sales_section": tab})
        at.run()
        assert not at.exception, at.exception
        text = h.all_text(at)
        assert fell in text and "S2" not in text and "S3" not in text
        bars = [frame for _, data in h.charts(at) for frame in data.values() if "kind" in frame and "end" in frame]
        assert bars, "the waterfall is drawn"
        waterfall = bars[-1]
        assert list(waterfall["label"])[-1] == label  # ends at the selected period's total
        factors = waterfall["value"].iloc[1:-1].sum()
        assert waterfall["end"].iloc[-1] == pytest.approx(waterfall["end"].iloc[0] + factors)


def test_badge_says_not_checked_until_the_morning_job_evaluated_the_data_day(tmp_path_factory, monkeypatch):
    from datetime import datetime

    from components.formatting import fmt_date

    url, credentials = h.shop_app(tmp_path_factory.mktemp("unchecked"), alerts_shop.load)
    h.configure(monkeypatch, url, credentials)
    for lang, unchecked, quiet in (("en", "not checked yet", "No new alerts"), ("zh", "尚未检查", "没有新预警")):
        at = h.logged_in("pages/overview.py", "admin")
        at.session_state["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        text = h.all_text(at)
        assert unchecked in text and fmt_date(alerts_shop.LAST, lang) in text
        assert quiet not in text  # a day nobody checked is not called quiet
    engine = create_engine(url)
    q.record_check(engine, alerts_shop.LAST - timedelta(days=1), 0, datetime.now())
    assert q.last_checked_day(engine) == alerts_shop.LAST - timedelta(days=1)
    at = h.logged_in("pages/overview.py", "admin").run()
    assert "not checked yet" in h.all_text(at)  # the day before the data day does not cover it
    q.record_check(engine, alerts_shop.LAST, 0, datetime.now())
    engine.dispose()
    at = h.logged_in("pages/overview.py", "admin").run()
    text = h.all_text(at)
    assert "No new alerts" in text and "not checked yet" not in text
