"""Named queries of the alerts package: sales cells, daily history, service and marketing signals, alert storage.

Every store-level query takes the caller's store scope and applies it in SQL (Filters.stores or `scope`).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.read import read_frame
from data_access.sales.core import cell_measures, use_rollup, with_order_ranges
from data_access.sales.ratios import derive_ratios
from data_access.schema import marketing_spend, metadata, orders, products, reviews, tickets
from data_access.scope import in_scope

#: Alert settings an admin changed (the defaults live in alerts.settings): key -> JSON value.
alert_settings = sa.Table(
    "alert_settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_by", sa.String(100)),
    sa.Column("updated_at", sa.DateTime),
)

#: Alerts the morning job raised; alert_key (day|rule|store|sku) makes a re-run of a day idempotent.
alerts_table = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Sequence("alerts_id_seq"), primary_key=True),
    sa.Column("alert_key", sa.String(300), nullable=False, unique=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("rule", sa.String(64), nullable=False),
    sa.Column("store_id", sa.String(32)),
    sa.Column("sku", sa.String(64)),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    # JSON: the numbers behind the alert, and the page + filters that show it.
    sa.Column("alert_values", sa.Text, nullable=False),
    sa.Column("link", sa.Text),
    sa.Column("state", sa.String(16), nullable=False, server_default="new"),
    sa.Column("snoozed_until", sa.Date),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime),
    sa.Column("updated_by", sa.String(100)),
)
sa.Index("ix_alerts_day", alerts_table.c.day)

#: The days the morning job has evaluated, so "no alerts" is told apart from "not checked yet".
alert_checks = sa.Table(
    "alert_checks",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("checked_at", sa.DateTime, nullable=False),
    sa.Column("found", sa.Integer, nullable=False),
)

#: One row per delivery attempt of a digest or alert message (e-mail or a chat webhook).
delivery_log = sa.Table(
    "alert_deliveries",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Sequence("alert_deliveries_id_seq"), primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False, quote=True),
    sa.Column("day", sa.Date),
    sa.Column("username", sa.String(100)),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("detail", sa.Text),
)

#: Per-user digest settings: when, in which language, and where to send it.
digest_settings = sa.Table(
    "digest_settings",
    metadata,
    sa.Column("username", sa.String(100), primary_key=True),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("send_at", sa.String(5), nullable=False, server_default="08:00"),
    sa.Column("lang", sa.String(8)),
    sa.Column("email", sa.String(300)),
    # JSON list of {"kind": "wecom"|"dingtalk"|"feishu"|"slack", "url": ..., "secret": ...}.
    sa.Column("webhooks", sa.Text),
)

OPEN_STATES = ("new", "acknowledged", "snoozed")


def cell_totals(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Net sales per store x channel over the period. Columns: store_id, channel, net_sales, orders, units,
    sessions, traffic_orders (orders in cells that have traffic)."""
    rollup = use_rollup(engine, f)
    if not rollup:
        f, = with_order_ranges(engine, f)
    stmt = cell_measures(f, lambda c: {"store_id": c.store_id, "channel": c.channel}, rollup, with_customers=False)
    df = read_frame(engine, stmt)
    for col in ("net_sales",):
        df[col] = df[col].astype(float).fillna(0.0)
    for col in ("orders", "units", "sessions", "traffic_orders"):
        df[col] = df[col].fillna(0).astype("int64")
    return df[["store_id", "channel", "net_sales", "orders", "units", "sessions", "traffic_orders"]]


def store_daily(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Daily figures per store. Columns: day (date), store_id, net_sales, orders, sessions, aov, conversion_rate."""
    rollup = use_rollup(engine, f)
    if not rollup:
        f, = with_order_ranges(engine, f)
    stmt = cell_measures(f, lambda c: {"day": sa.cast(c.at, sa.Date), "store_id": c.store_id}, rollup,
                          with_customers=False)
    df = read_frame(engine, stmt)
    df["customers"] = 0
    df = derive_ratios(df)
    df["day"] = pd.to_datetime(df["day"]).dt.date if not df.empty else pd.Series(dtype=object)
    return df[["day", "store_id", "net_sales", "orders", "sessions", "aov", "conversion_rate"]]


def backlog_by_day(engine: sa.Engine, f: Filters, days: list[date]) -> pd.DataFrame:
    """Tickets of f's stores open at the end of each of `days`, per store. Columns: day, store_id, backlog."""
    t = tickets.c
    parts = []
    for i, d in enumerate(days):
        end = datetime.combine(d + timedelta(days=1), datetime.min.time())
        at = sa.bindparam(f"end_{i}", end, type_=sa.DateTime)
        parts.append(sa.select(sa.bindparam(f"day_{i}", d, type_=sa.Date).label("day"), t.store_id,
                               sa.func.count().label("backlog"))
                     .where(t.created_at < at, sa.or_(t.resolved_at.is_(None), t.resolved_at >= at),
                            t.store_id.is_not(None), in_scope(t.store_id, f))
                     .group_by(t.store_id))
    if not parts:
        return pd.DataFrame(columns=["day", "store_id", "backlog"])
    df = read_frame(engine, sa.union_all(*parts))
    df["backlog"] = df["backlog"].astype("int64")
    return df


def review_counts(engine: sa.Engine, f: Filters, by_sku: bool = False) -> pd.DataFrame:
    """Reviews of f's stores created in f's days, per store (and SKU). Columns: store_id, [sku,] reviews,
    low (1-2 stars), rating_sum."""
    r = reviews.c
    keys = [r.store_id, r.sku] if by_sku else [r.store_id]
    conds = [r.created_at >= f.start_at, r.created_at < f.end_before, r.store_id.is_not(None),
             in_scope(r.store_id, f)]
    if by_sku:
        conds.append(r.sku.is_not(None))
    stmt = (sa.select(*keys, sa.func.count().label("reviews"),
                      sa.func.sum(sa.case((r.rating <= 2, 1), else_=0)).label("low"),
                      sa.func.sum(r.rating).label("rating_sum"))
            .where(*conds).group_by(*keys))
    df = read_frame(engine, stmt)
    for col in ("reviews", "low", "rating_sum"):
        df[col] = df[col].fillna(0).astype("int64")
    return df


def channel_roas(engine: sa.Engine, start: date, end: date) -> pd.DataFrame:
    """Shop-wide spend and attributed orders and revenue per channel and campaign over [start, end].

    Columns: channel, campaign_id ('' for always-on), spend, orders, revenue (paid_total - refund_total of the
    campaign's or channel's non-cancelled orders). Spend is not split by store, so these are shop-wide figures.
    """
    s = marketing_spend.c
    spend = (sa.select(s.channel, s.campaign_id, sa.cast(sa.func.sum(s.spend), sa.Double).label("spend"))
             .where(s.day >= start, s.day <= end).group_by(s.channel, s.campaign_id))
    o = orders.c
    campaign = sa.func.coalesce(o.campaign_id, "")
    sold = (sa.select(o.channel, campaign.label("campaign_id"), sa.func.count().label("orders"),
                      sa.cast(sa.func.sum(sa.func.coalesce(o.paid_total, 0) - sa.func.coalesce(o.refund_total, 0)),
                              sa.Double).label("revenue"))
            .where(o.ordered_at >= datetime.combine(start, datetime.min.time()),
                   o.ordered_at < datetime.combine(end + timedelta(days=1), datetime.min.time()),
                   o.status != "cancelled")
            .group_by(o.channel, campaign))
    sp, so = read_frame(engine, spend), read_frame(engine, sold)
    df = sp.merge(so, on=["channel", "campaign_id"], how="left")
    df["spend"] = df["spend"].astype(float)
    df["orders"] = df["orders"].fillna(0).astype("int64")
    df["revenue"] = df["revenue"].astype(float).fillna(0.0)
    return df[["channel", "campaign_id", "spend", "orders", "revenue"]]


# ---------------------------------------------------------------- settings and alert storage


def read_settings(engine: sa.Engine) -> dict:
    """The settings an admin changed: key -> value (decoded JSON); none on a database without the table yet
    (the read-only CLI never creates it)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(alert_settings.c.key, alert_settings.c.value)).fetchall()
    except sa.exc.ProgrammingError:
        return {}
    return {k: json.loads(v) for k, v in rows}


def write_setting(engine: sa.Engine, key: str, value, username: str | None = None) -> None:
    """Insert or replace one setting."""
    with engine.begin() as conn:
        conn.execute(sa.delete(alert_settings).where(alert_settings.c.key == key))
        conn.execute(sa.insert(alert_settings).values(key=key, value=json.dumps(value), updated_by=username,
                                                      updated_at=datetime.now()))


def recent_alert_keys(engine: sa.Engine, since: date, before: date) -> pd.DataFrame:
    """Alerts raised on days in [since, before). Columns: alert_key, rule, store_id, sku, day, state."""
    a = alerts_table.c
    stmt = sa.select(a.alert_key, a.rule, a.store_id, a.sku, a.day, a.state).where(a.day >= since, a.day < before)
    return read_frame(engine, stmt)


def save_alerts(engine: sa.Engine, rows: list[dict]) -> int:
    """Insert alerts whose alert_key is not stored yet (one transaction); returns how many were added."""
    if not rows:
        return 0
    a = alerts_table.c
    with engine.begin() as conn:
        keys = [r["alert_key"] for r in rows]
        have = {k for (k,) in conn.execute(sa.select(a.alert_key).where(a.alert_key.in_(keys)))}
        new = [r for r in rows if r["alert_key"] not in have]
        if new:
            conn.execute(sa.insert(alerts_table), new)
    return len(new)


def list_alerts(engine: sa.Engine, f: Filters, states: tuple[str, ...] | None = None,
                since: date | None = None, as_of: date | None = None) -> pd.DataFrame:
    """Stored alerts of f's stores (f's dates do not apply), newest first. A scoped user sees only their stores'
    alerts (shop-wide ones, with no store, only with the all-stores scope). A snoozed alert counts as 'new' again
    once snoozed_until < as_of.

    Columns: id, day, kind, rule, store_id, sku, severity, title, alert_values, link, state, snoozed_until.
    """
    a = alerts_table.c
    conds = [in_scope(a.store_id, f)]
    if since is not None:
        conds.append(a.day >= since)
    stmt = (sa.select(a.id, a.day, a.kind, a.rule, a.store_id, a.sku, a.severity, a.title, a.alert_values, a.link,
                      a.state, a.snoozed_until).where(*conds).order_by(a.day.desc(), a.id))
    df = read_frame(engine, stmt)
    if as_of is not None and not df.empty:
        woke = (df["state"] == "snoozed") & pd.to_datetime(df["snoozed_until"]).lt(pd.Timestamp(as_of))
        df.loc[woke, "state"] = "new"
    if states is not None:
        df = df[df["state"].isin(states)].reset_index(drop=True)
    return df


def set_alert_state(engine: sa.Engine, f: Filters, alert_id: int, state: str, username: str | None = None,
                    snoozed_until: date | None = None) -> bool:
    """Change one alert's state, only if it lies in f's stores; returns whether a row changed."""
    if state not in ("new", "acknowledged", "snoozed", "resolved"):
        raise ValueError(f"unknown alert state {state!r}")
    if state == "snoozed" and snoozed_until is None:
        raise ValueError("a snoozed alert needs snoozed_until")
    a = alerts_table.c
    conds = [a.id == int(alert_id), in_scope(a.store_id, f)]
    with engine.begin() as conn:
        done = conn.execute(sa.update(alerts_table).where(*conds).values(
            state=state, snoozed_until=snoozed_until if state == "snoozed" else None,
            updated_at=datetime.now(), updated_by=username))
    return done.rowcount > 0


def log_delivery(engine: sa.Engine, *, day: date | None, username: str | None, channel: str, attempt: int,
                 ok: bool, detail: str) -> None:
    with engine.begin() as conn:
        conn.execute(sa.insert(delivery_log).values(at=datetime.now(), day=day, username=username, channel=channel,
                                                    attempt=attempt, ok=ok, detail=detail[:2000]))


def deliveries(engine: sa.Engine, limit: int = 200) -> pd.DataFrame:
    """The delivery log, newest first. Columns: at, day, username, channel, attempt, ok, detail."""
    d = delivery_log.c
    return read_frame(engine, sa.select(d.at, d.day, d.username, d.channel, d.attempt, d.ok, d.detail)
                 .order_by(d.id.desc()).limit(sa.bindparam("limit", int(limit))))


def read_digest_settings(engine: sa.Engine, username: str) -> dict:
    """One user's digest settings (defaults when none stored): enabled, send_at, lang, email, webhooks (list)."""
    d = digest_settings.c
    with engine.connect() as conn:
        row = conn.execute(sa.select(digest_settings).where(d.username == username)).mappings().first()
    if row is None:
        return {"enabled": False, "send_at": "08:00", "lang": None, "email": None, "webhooks": []}
    return {"enabled": bool(row["enabled"]), "send_at": row["send_at"], "lang": row["lang"], "email": row["email"],
            "webhooks": json.loads(row["webhooks"] or "[]")}


def save_digest_settings(engine: sa.Engine, username: str, settings: dict) -> None:
    """Replace one user's digest settings (checked: HH:MM time, known webhook kinds with an http(s) URL)."""
    send_at = str(settings.get("send_at") or "08:00")
    try:
        hour, minute = (int(x) for x in send_at.split(":"))
    except ValueError:
        raise ValueError(f"send time must be HH:MM, not {send_at!r}") from None
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"send time must be HH:MM, not {send_at!r}")
    hooks = []
    for hook in settings.get("webhooks") or []:
        if hook.get("kind") not in ("wecom", "dingtalk", "feishu", "slack"):
            raise ValueError(f"unknown webhook kind {hook.get('kind')!r}")
        if not str(hook.get("url", "")).startswith(("https://", "http://")):
            raise ValueError(f"{hook['kind']} webhook needs an http(s) URL")
        hooks.append({"kind": hook["kind"], "url": hook["url"], "secret": hook.get("secret") or None})
    values = {"username": username, "enabled": bool(settings.get("enabled", True)),
              "send_at": f"{hour:02d}:{minute:02d}", "lang": settings.get("lang"),
              "email": settings.get("email") or None, "webhooks": json.dumps(hooks)}
    with engine.begin() as conn:
        conn.execute(sa.delete(digest_settings).where(digest_settings.c.username == username))
        conn.execute(sa.insert(digest_settings).values(**values))


def open_alert_count(engine: sa.Engine, f: Filters, as_of: date) -> int:
    """Alerts in scope that need someone: new, or snoozed until before as_of (the overview's badge)."""
    try:
        df = list_alerts(engine, f, states=("new",), as_of=as_of)
    except sa.exc.ProgrammingError:  # a database from before the alerts tables
        return 0
    return len(df)


def record_check(engine: sa.Engine, day: date, found: int, at: datetime) -> None:
    """Mark `day` evaluated by the morning job (a re-run keeps the first time, adds what it found)."""
    c = alert_checks.c
    with engine.begin() as conn:
        done = conn.execute(sa.select(c.found).where(c.day == day)).first()
        if done is None:
            conn.execute(sa.insert(alert_checks).values(day=day, checked_at=at, found=found))
        else:
            conn.execute(sa.update(alert_checks).where(c.day == day).values(found=done[0] + found))


def last_checked_day(engine: sa.Engine) -> date | None:
    """The latest day the morning job has evaluated (None when never, or on a database before its table)."""
    try:
        with engine.connect() as conn:
            day = conn.execute(sa.select(sa.func.max(alert_checks.c.day))).scalar()
    except sa.exc.ProgrammingError:
        return None
    return pd.Timestamp(day).date() if day is not None else None


def ensure_tables(engine: sa.Engine) -> None:
    """Create the alerts tables where missing (an app database made before them)."""
    metadata.create_all(engine, tables=[alert_settings, alerts_table, alert_checks, delivery_log, digest_settings],
                        checkfirst=True)


def last_digest_day(engine: sa.Engine, username: str) -> date | None:
    """The latest digest day delivered to the user on any channel (None when never)."""
    d = delivery_log.c
    with engine.connect() as conn:
        day = conn.execute(sa.select(sa.func.max(d.day)).where(d.username == username, d.ok.is_(True))).scalar()
    return pd.Timestamp(day).date() if day is not None else None


def digest_users(engine: sa.Engine) -> list[str]:
    """Usernames with digest settings switched on."""
    d = digest_settings.c
    with engine.connect() as conn:
        return [u for (u,) in conn.execute(sa.select(d.username).where(d.enabled.is_(True)).order_by(d.username))]


def unit_prices(engine: sa.Engine) -> pd.DataFrame:
    """List price of every product (shop-wide, like the catalogue). Columns: sku, unit_price (float)."""
    df = read_frame(engine, sa.select(products.c.sku, products.c.unit_price))
    df["unit_price"] = pd.to_numeric(df["unit_price"], errors="coerce").astype(float)
    return df
