"""The per-user daily digest: that user's stores only, in their language, sent to each of their channels.

Each channel (e-mail, each webhook) is tried on its own with retries and logged in alert_deliveries; a channel
that fails never stops the others.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from alerts import deliver
from alerts.explain import explain_day
from alerts.images import digest_charts
from alerts.text import explain_sentence, render_title
from components.i18n import normalise_lang, translate
from data_access.accounts.users import ALL_STORES
from data_access.alerts import queries as q
from data_access.filters import Filters


def user_scope(user: dict) -> tuple[str, ...] | None:
    """The store scope of a user record (accounts.users): None for all stores, else a tuple (maybe empty)."""
    stores = user.get("stores")
    return None if stores == ALL_STORES else tuple(stores or ())


def compose(engine: sa.Engine, user: dict, day: date, lang: str | None = None, with_charts: bool = False) -> dict:
    """The digest of `day` for one user: subject, text, markdown, html, the alerts (dicts) it lists and images
    ({content id: PNG} the html shows inline; with_charts only, for e-mail).

    Only open alerts of that day in the user's scope (data_access.alerts.queries.list_alerts applies it in SQL),
    and the sales-change sentence and charts for their stores. A chart that cannot be drawn leaves the digest
    without charts (chart_error says why), never without its text.
    """
    lang = normalise_lang(lang or user.get("lang"))
    scope = user_scope(user)
    rows = q.list_alerts(engine, Filters.all_time(scope), states=("new",), since=day, as_of=day)
    rows = rows[rows["day"].astype(str) == day.isoformat()]
    alerts = []
    for r in rows.itertuples():
        values = json.loads(r.alert_values)
        alert = {"kind": r.kind, "what": values.pop("what"), "store_id": _text(r.store_id), "sku": _text(r.sku),
                 "severity": r.severity, "values": values}
        alert["title"] = render_title(alert, lang)
        alerts.append(alert)
    explanation = explain_day(engine, day, scope) if scope != () else None
    sentence = explain_sentence(explanation, lang) if explanation else ""
    charts, chart_error = [], None
    if with_charts and explanation:
        try:
            charts = digest_charts(engine, day, scope, explanation, lang)
        except Exception as exc:  # noqa: BLE001 (any renderer failure: the e-mail still goes, with its text)
            chart_error = f"{type(exc).__name__}: {exc}"
    subject = translate("alerts.digest.subject", lang, day=day.isoformat(), n=len(alerts))
    intro = translate("alerts.digest.intro", lang, day=day.isoformat())
    lines = [_line(a, lang) for a in alerts]
    if not lines:
        lines = [translate("alerts.digest.none", lang)]
    text = "\n".join([intro, sentence, "", *[f"- {line}" for line in lines]]).strip() + "\n"
    markdown = "\n".join([f"**{subject}**", "", sentence, "", *[f"- {line}" for line in lines]])
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    figures = "".join(f'<h3>{html.escape(c["title"])}</h3><p><img src="cid:{c["cid"]}" width="560" '
                      f'alt="{html.escape(c["title"], quote=True)}"></p>' for c in charts)
    body = (f"<html><body><h2>{html.escape(subject)}</h2><p>{html.escape(sentence)}</p>"
            f"<p>{html.escape(intro)}</p><ul>{items}</ul>{figures}</body></html>")
    return {"subject": subject, "text": text, "markdown": markdown, "html": body, "alerts": alerts, "lang": lang,
            "images": {c["cid"]: c["png"] for c in charts}, "chart_error": chart_error}


def _text(value) -> str | None:
    """A nullable text column as str or None (pandas reads SQL NULL as NaN in an object column)."""
    return value if isinstance(value, str) else None


def _line(alert: dict, lang: str) -> str:
    severity = translate("alerts.severity." + alert["severity"], lang)
    kind = translate("alerts.kind." + alert["kind"], lang)
    return f"[{severity}] {kind}: {alert['title']}"


def send_digest(engine: sa.Engine, user: dict, settings: dict, day: date, smtp: deliver.SmtpSettings | None,
                attempts: int = 3, backoff: float = 1.0, sleep: Callable[[float], None] | None = None) -> dict:
    """Compose and send one user's digest to every channel in `settings` (email, webhooks); returns
    {channel: ok}. Every attempt is written to the delivery log."""
    email = settings.get("email") or user.get("email")
    digest = compose(engine, user, day, settings.get("lang"), with_charts=bool(email and smtp))
    username = user["username"]
    results = {}
    sends: list[tuple[str, Callable[[], str]]] = []
    if email:
        if smtp is None:
            sends.append(("email", _fail("no [alerts.smtp] settings in secrets")))
        else:
            msg = deliver.build_email(smtp.sender, email, digest["subject"], digest["text"], digest["html"],
                                      digest["images"])
            note = f"; charts left out ({digest['chart_error']})" if digest["chart_error"] else ""
            sends.append(("email", lambda m=msg, note=note: deliver.send_email(smtp, m) + note))
    for i, hook in enumerate(settings.get("webhooks") or []):
        kind = hook.get("kind")
        name = f"{kind}#{i + 1}"
        try:
            url, body = deliver.webhook_request(kind, hook["url"], digest["subject"], digest["markdown"],
                                                digest["text"], hook.get("secret"))
        except (KeyError, ValueError) as exc:
            sends.append((name, _fail(f"bad webhook settings: {exc}")))
            continue
        sends.append((name, lambda k=kind, u=url, b=body: deliver.post_webhook(k, u, b)))
    for name, send in sends:
        def log(attempt: int, ok: bool, detail: str, name=name) -> None:
            q.log_delivery(engine, day=day, username=username, channel=name, attempt=attempt, ok=ok, detail=detail)

        kwargs = {"sleep": sleep} if sleep is not None else {}
        results[name] = deliver.with_retries(send, log, attempts, backoff, **kwargs)
    return results


def _fail(reason: str) -> Callable[[], str]:
    def send() -> str:
        raise deliver.DeliveryError(reason)
    return send


def due(settings: dict, now: datetime, last_day: date | None) -> bool:
    """Whether a user's digest is due: enabled, its send_at time (HH:MM) reached today, and yesterday's digest
    (the day it covers) not delivered yet (last_day: the latest digest day delivered)."""
    if not settings.get("enabled", True) or (last_day is not None and last_day >= now.date() - timedelta(days=1)):
        return False
    hour, minute = (int(x) for x in str(settings.get("send_at") or "08:00").split(":"))
    return (now.hour, now.minute) >= (hour, minute)


def send_due(engine: sa.Engine, users: list[dict], now: datetime, smtp: deliver.SmtpSettings | None,
             **retry) -> dict[str, dict]:
    """Send yesterday's digest to every user whose digest is due at `now` (the scheduler calls this every few
    minutes); users without digest settings, or removed from the user file, get nothing. Returns
    {username: {channel: ok}}."""
    by_name = {u["username"]: u for u in users}
    sent = {}
    for username in q.digest_users(engine):
        user = by_name.get(username)
        if user is None:
            continue
        settings = q.read_digest_settings(engine, username)
        day = now.date() - timedelta(days=1)
        if due(settings, now, q.last_digest_day(engine, username)):
            sent[username] = send_digest(engine, user, settings, day, smtp, **retry)
    return sent
