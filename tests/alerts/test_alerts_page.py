"""Alert centre and the overview's "why did it change" block in AppTest: scope, states, digest settings, both
languages."""

from __future__ import annotations

import pytest

from data_access.alerts import queries as q
from data_access.engine import create_engine
from data_access.filters import Filters
from tests.support import alerts_shop
from tests.support import apptest_helpers as h


@pytest.fixture(scope="module")
def alerts_app(tmp_path_factory):
    return alerts_shop.make_app(tmp_path_factory)


@pytest.fixture
def env(alerts_app, monkeypatch):
    h.configure(monkeypatch, *alerts_app)
    return alerts_app


def _engine(env):
    return create_engine(env[0])


def test_manager_sees_only_their_stores_alerts_and_can_acknowledge(env):
    at = h.logged_in("pages/alert_centre.py", "manager").run()
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "S1:" in text and "S2" not in text and "S3" not in text
    ack = next(b for b in at.button if b.label == "Acknowledge" and not b.disabled)
    ack.click().run()
    assert not at.exception, at.exception
    engine = _engine(env)
    try:
        states = q.list_alerts(engine, Filters.all_time(("S1",)))["state"]
        assert "acknowledged" in set(states)
    finally:
        engine.dispose()


def test_alert_centre_in_chinese_and_digest_settings(env):
    at = h.logged_in("pages/alert_centre.py", "manager")
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert "预警中心" in h.all_text(at)
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
