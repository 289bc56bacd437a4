"""Sending: e-mail over SMTP and the chat webhooks of WeCom, DingTalk, Feishu/Lark and Slack, with retries.

Payloads follow each platform's custom-robot documentation:
- WeCom (企业微信) group robot: POST {"msgtype": "markdown", "markdown": {"content": ...}}; reply errcode 0.
- DingTalk (钉钉) custom robot: POST {"msgtype": "markdown", "markdown": {"title", "text"}}; with a signing secret,
  the URL gets timestamp (ms) and sign = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")));
  reply errcode 0.
- Feishu/Lark (飞书) custom bot: POST {"msg_type": "text", "content": {"text": ...}}; with a secret, timestamp (s)
  and sign = base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")) go in the body; reply code 0.
- Slack incoming webhook: POST {"text": ..., "blocks": [...]} (mrkdwn); reply body "ok".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

WEBHOOK_KINDS = ("wecom", "dingtalk", "feishu", "slack")


class DeliveryError(RuntimeError):
    """A channel refused or failed a message (the reason is the message)."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where e-mail goes out: tls is 'starttls', 'ssl' or 'none' (only for a local relay)."""

    host: str
    port: int = 587
    tls: str = "starttls"
    username: str | None = None
    password: str | None = None
    sender: str = "alerts@localhost"
    timeout: float = 10.0


def smtp_settings(secrets: dict) -> SmtpSettings | None:
    """SmtpSettings from the [alerts.smtp] table of secrets.toml (None when there is none)."""
    cfg = (secrets.get("alerts") or {}).get("smtp")
    if not cfg or not cfg.get("host"):
        return None
    tls = str(cfg.get("tls", "starttls")).lower()
    if tls not in ("starttls", "ssl", "none"):
        raise ValueError(f"[alerts.smtp] tls must be starttls, ssl or none, not {tls!r}")
    return SmtpSettings(host=str(cfg["host"]), port=int(cfg.get("port", 465 if tls == "ssl" else 587)), tls=tls,
                        username=cfg.get("username"), password=cfg.get("password"),
                        sender=str(cfg.get("sender", "alerts@localhost")))


def build_email(sender: str, to: str, subject: str, text: str, html: str,
                images: dict[str, bytes] | None = None) -> EmailMessage:
    """A multipart/alternative message (plain text first, then HTML with inline PNG images by content id)."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    html_part = msg.get_payload()[-1]
    for cid, png in (images or {}).items():
        html_part.add_related(png, maintype="image", subtype="png", cid=f"<{cid}>")
    return msg


def send_email(settings: SmtpSettings, msg: EmailMessage) -> str:
    context = ssl.create_default_context()
    if settings.tls == "ssl":
        server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with server:
        if settings.tls == "starttls":
            server.starttls(context=context)
        if settings.username:
            server.login(settings.username, settings.password or "")
        refused = server.send_message(msg)
    if refused:
        raise DeliveryError(f"refused recipients: {sorted(refused)}")
    return f"sent to {msg['To']}"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_request(kind: str, url: str, title: str, markdown: str, text: str, secret: str | None = None,
                    now: float | None = None) -> tuple[str, dict]:
    """The URL and JSON body one platform expects for a message."""
    now = time.time() if now is None else now
    if kind == "wecom":
        return url, {"msgtype": "markdown", "markdown": {"content": markdown}}
    if kind == "dingtalk":
        if secret:
            ts = int(now * 1000)
            sep = "&" if "?" in url else "?"
            url = f"{url}{sep}timestamp={ts}&sign={urllib.parse.quote_plus(dingtalk_sign(secret, ts))}"
        return url, {"msgtype": "markdown", "markdown": {"title": title, "text": markdown}}
    if kind == "feishu":
        body: dict = {"msg_type": "text", "content": {"text": text}}
        if secret:
            ts = int(now)
            body = {"timestamp": str(ts), "sign": feishu_sign(secret, ts), **body}
        return url, body
    if kind == "slack":
        return url, {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": markdown}}]}
    raise ValueError(f"unknown webhook kind {kind!r}; expected one of {WEBHOOK_KINDS}")


def _check_reply(kind: str, status: int, body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    if status >= 300:
        raise DeliveryError(f"HTTP {status}: {text[:200]}")
    if kind == "slack":
        if text.strip() != "ok":
            raise DeliveryError(f"slack replied {text[:200]!r}")
        return "ok"
    try:
        reply = json.loads(text)
    except ValueError:
        raise DeliveryError(f"{kind} replied with no JSON: {text[:200]!r}") from None
    code = reply.get("errcode", reply.get("code", reply.get("StatusCode")))
    if code not in (0, "0"):
        raise DeliveryError(f"{kind} error {code}: {reply.get('errmsg') or reply.get('msg')}")
    return "ok"


def post_webhook(kind: str, url: str, body: dict, timeout: float = 10.0) -> str:
    req = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (URLs are the admin's settings)
            return _check_reply(kind, resp.status, resp.read())
    except urllib.error.HTTPError as exc:
        return _check_reply(kind, exc.code, exc.read())


def with_retries(send: Callable[[], str], log: Callable[[int, bool, str], None], attempts: int = 3,
                 backoff: float = 1.0, sleep: Callable[[float], None] = time.sleep) -> bool:
    """Call send up to `attempts` times, waiting backoff x 2^(n-1) seconds between tries; log every attempt.
    Returns whether one succeeded; never raises for a failed send."""
    for n in range(1, attempts + 1):
        try:
            detail = send()
        except Exception as exc:  # noqa: BLE001 (any failure of one channel is logged and retried, never raised to the others)
            log(n, False, f"{type(exc).__name__}: {exc}")
            if n < attempts:
                sleep(backoff * 2 ** (n - 1))
            continue
        log(n, True, detail)
        return True
    return False
