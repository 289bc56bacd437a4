"""Digest delivery: a real SMTP server (aiosmtpd), the four chat webhooks against a local HTTP server, retries,
the delivery log, and a manager's digest holding only their stores."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.parse
from datetime import timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from alerts import deliver, digest
from data_access.alerts import queries as q
from tests.support import alerts_shop, fixtures

DING_SECRET = "SECding-test-secret"
FEISHU_SECRET = "feishu-test-secret"


shop = fixtures.shop_engine(alerts_shop.load_with_alerts, backends=("duckdb",))


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    with socket.socket() as probe:  # a free port: the controller checks it is up by connecting to it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, deliver.SmtpSettings(host="127.0.0.1", port=port, tls="none", sender="alerts@shop.test")
    finally:
        controller.stop()


class _Hooks(BaseHTTPRequestHandler):
    received: list = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_POST(self):  # noqa: N802 (http.server's hook name)
        parsed = urllib.parse.urlparse(self.path)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        query = urllib.parse.parse_qs(parsed.query)
        self.received.append((parsed.path, query, body))
        status, reply = 200, {"errcode": 0, "errmsg": "ok"}
        if parsed.path == "/dingtalk":
            ts = query["timestamp"][0]
            want = base64.b64encode(hmac.new(DING_SECRET.encode(), f"{ts}\n{DING_SECRET}".encode(),
                                             hashlib.sha256).digest()).decode()
            ok = query["sign"][0] == want and abs(int(ts) / 1000 - time.time()) < 3600
            reply = {"errcode": 0 if ok else 310000, "errmsg": "ok" if ok else "sign not match"}
        elif parsed.path == "/feishu":
            want = base64.b64encode(hmac.new(f"{body['timestamp']}\n{FEISHU_SECRET}".encode(), b"",
                                             hashlib.sha256).digest()).decode()
            reply = {"code": 0 if body.get("sign") == want else 19021, "msg": "success"}
        elif parsed.path == "/slack":
            reply = "ok"
        elif parsed.path == "/broken":
            status, reply = 500, {"errcode": -1, "errmsg": "down"}
        data = (reply if isinstance(reply, str) else json.dumps(reply)).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def hook_server():
    _Hooks.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hooks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Hooks.received
    finally:
        server.shutdown()
        server.server_close()


MANAGER = {"username": "ann", "stores": ["S1"], "lang": "zh", "email": "ann@shop.test"}


def test_manager_digest_holds_only_their_stores(shop):
    d = digest.compose(shop, MANAGER, alerts_shop.LAST)
    assert d["alerts"] and {a["store_id"] for a in d["alerts"]} == {"S1"}
    for text in (d["text"], d["html"], d["markdown"]):
        assert "S2" not in text and "S3" not in text
    assert "转化率" in d["text"]  # in her language
    everyone = digest.compose(shop, {"username": "root", "stores": "all", "lang": "en"}, alerts_shop.LAST)
    assert {"S1", "S2", "S3", None} <= {a["store_id"] for a in everyone["alerts"]}
    nobody = digest.compose(shop, {"username": "x", "stores": [], "lang": "en"}, alerts_shop.LAST)
    assert nobody["alerts"] == [] and "No alerts" in nobody["text"]


def test_email_and_webhooks_with_one_channel_failing(shop, smtp_server, hook_server):
    inbox, smtp = smtp_server
    base, received = hook_server
    settings = {"webhooks": [
        {"kind": "broken_kind", "url": f"{base}/x"},
        {"kind": "wecom", "url": f"{base}/broken"},
        {"kind": "wecom", "url": f"{base}/wecom?key=k"},
        {"kind": "dingtalk", "url": f"{base}/dingtalk?access_token=t", "secret": DING_SECRET},
        {"kind": "feishu", "url": f"{base}/feishu", "secret": FEISHU_SECRET},
        {"kind": "slack", "url": f"{base}/slack"},
    ]}
    waits = []
    results = digest.send_digest(shop, MANAGER, settings, alerts_shop.LAST, smtp, attempts=3, backoff=0.5,
                                 sleep=waits.append)
    assert results == {"email": True, "broken_kind#1": False, "wecom#2": False, "wecom#3": True,
                       "dingtalk#4": True, "feishu#5": True, "slack#6": True}
    assert waits == [0.5, 1.0, 0.5, 1.0]  # backoff doubles between the three tries of each failing channel
    (rcpt, msg), = inbox.messages
    assert rcpt == ["ann@shop.test"] and "预警" in msg["Subject"]
    html_body = msg.get_body(("html",)).get_content()
    assert msg.get_body(("plain",)).get_content().strip() and "<li>" in html_body
    # the key charts as inline PNGs, each shown by the HTML through its content id, titled in her language
    images = {part["Content-ID"].strip("<>"): part.get_content() for part in msg.walk()
              if part.get_content_type() == "image/png"}
    assert set(images) == {"change", "trend"} and all(png.startswith(b"\x89PNG") for png in images.values())
    assert all(f'src="cid:{cid}"' in html_body for cid in images) and "昨日销售额为何变化" in html_body
    width, height = int.from_bytes(images["change"][16:20], "big"), int.from_bytes(images["change"][20:24], "big")
    assert width > 400 and height > 200  # drawn, not an empty canvas
    paths = {p: (qs, b) for p, qs, b in received}
    assert paths["/wecom"][1]["msgtype"] == "markdown" and paths["/wecom"][1]["markdown"]["content"]
    assert set(paths["/dingtalk"][1]["markdown"]) == {"title", "text"}
    assert paths["/feishu"][1]["msg_type"] == "text" and paths["/feishu"][1]["content"]["text"]
    assert paths["/slack"][1]["blocks"][0]["text"]["type"] == "mrkdwn"
    log = q.deliveries(shop)
    broken = log[log["channel"] == "wecom#2"]
    assert sorted(broken["attempt"]) == [1, 2, 3] and not broken["ok"].any()
    assert "HTTP 500" in broken["detail"].iloc[0]
    assert log[log["channel"] == "dingtalk#4"]["ok"].all()


def test_wrong_signature_is_a_failure(hook_server):
    base, _ = hook_server
    url, body = deliver.webhook_request("dingtalk", f"{base}/dingtalk?access_token=t", "t", "m", "m", "wrong")
    with pytest.raises(deliver.DeliveryError, match="310000"):
        deliver.post_webhook("dingtalk", url, body)


def test_signatures_match_the_documented_recipes():
    # DingTalk: HMAC-SHA256 keyed by the secret over "timestamp\nsecret"; Feishu: keyed by "timestamp\nsecret"
    # over an empty message; both base64.
    ding = base64.b64encode(hmac.new(b"s", b"1000\ns", hashlib.sha256).digest()).decode()
    assert deliver.dingtalk_sign("s", 1000) == ding
    feishu = base64.b64encode(hmac.new(b"7\ns", b"", hashlib.sha256).digest()).decode()
    assert deliver.feishu_sign("s", 7) == feishu
    url, _ = deliver.webhook_request("dingtalk", "https://x/robot/send?access_token=t", "t", "m", "m", "s", now=1.0)
    assert urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["sign"] == [deliver.dingtalk_sign("s", 1000)]


def test_smtp_settings_from_secrets_and_due():
    assert deliver.smtp_settings({}) is None
    cfg = deliver.smtp_settings({"alerts": {"smtp": {"host": "mail", "tls": "ssl", "username": "u"}}})
    assert (cfg.host, cfg.port, cfg.tls, cfg.username) == ("mail", 465, "ssl", "u")
    with pytest.raises(ValueError, match="tls"):
        deliver.smtp_settings({"alerts": {"smtp": {"host": "mail", "tls": "maybe"}}})
    from datetime import datetime

    morning_at = datetime(2025, 3, 16, 8, 30)
    assert digest.due({"send_at": "08:00"}, morning_at, None)
    assert not digest.due({"send_at": "09:00"}, morning_at, None)
    assert not digest.due({"send_at": "08:00"}, morning_at, morning_at.date() - timedelta(days=1))
    assert digest.due({"send_at": "08:00"}, morning_at, morning_at.date() - timedelta(days=2))
    assert not digest.due({"send_at": "08:00", "enabled": False}, morning_at, None)


def test_send_due_sends_once_at_the_chosen_time(shop, hook_server):
    from datetime import datetime, time

    base, received = hook_server
    bea = {"username": "bea", "stores": ["S2"], "lang": "en"}
    q.save_digest_settings(shop, "bea", {"enabled": True, "send_at": "07:30", "lang": "en",
                                         "webhooks": [{"kind": "slack", "url": f"{base}/slack"}]})
    q.save_digest_settings(shop, "gone", {"enabled": True, "send_at": "00:00"})  # not in the user file any more
    morning_of = datetime.combine(alerts_shop.LAST + timedelta(days=1), time(7, 0))
    users = [bea]
    assert digest.send_due(shop, users, morning_of, None) == {}  # 07:00: not yet
    at_time = morning_of.replace(minute=45)
    assert digest.send_due(shop, users, at_time, None) == {"bea": {"slack#1": True}}
    assert len([r for r in received if r[0] == "/slack"]) == 1
    # the delivery log has that day's digest now, so a second call the same morning sends nothing
    assert digest.send_due(shop, users, at_time.replace(hour=9), None) == {}
    with pytest.raises(ValueError, match="HH:MM"):
        q.save_digest_settings(shop, "bea", {"send_at": "7 am"})
    with pytest.raises(ValueError, match="http"):
        q.save_digest_settings(shop, "bea", {"webhooks": [{"kind": "slack", "url": "file:///etc/passwd"}]})


def test_digest_charts_hold_only_the_users_stores(shop):
    from alerts.images import TREND_DAYS, trend_frame
    from data_access.filters import Filters

    mine = trend_frame(shop, alerts_shop.LAST, ("S1",))
    assert len(mine) == TREND_DAYS + 7 and mine["day"].iloc[-1].date() == alerts_shop.LAST
    start = alerts_shop.LAST - timedelta(days=TREND_DAYS + 6)
    s1 = q.store_daily(shop, Filters(start, alerts_shop.LAST, ("S1",)))["net_sales"].sum()
    everyone = trend_frame(shop, alerts_shop.LAST, None)["net_sales"].sum()
    assert mine["net_sales"].sum() == pytest.approx(s1) and everyone > s1 > 0
    assert trend_frame(shop, alerts_shop.LAST, ())["net_sales"].sum() == 0
