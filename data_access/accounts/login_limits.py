"""Failed-login limits reserved before the password is checked (schema.login_attempts).

Every attempt first commits a `pending` row, then counts; so attempts sent at once all count (the
last to count sees every earlier reservation) and at most the limit of them reach bcrypt. Three rules,
following the OWASP authentication guidance (throttle, do not lock the owner out):

- per username and client: `pair_limit` failures in the sliding window refuse that client for that name;
- per client over all usernames: `client_limit` failures refuse the client (password spraying);
- per username over all clients: past `user_soft` failures, one check per backoff interval (doubling up to
  `max_backoff`), so an attacker elsewhere slows the owner down but never locks them out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

import sqlalchemy as sa

from data_access.audit import utc_now
from data_access.schema import login_attempts

PENDING, FAILED, OK, REFUSED = "pending", "failed", "ok", "refused"
_COUNTED = (PENDING, FAILED)


@dataclass(frozen=True)
class Policy:
    window: dt.timedelta = dt.timedelta(minutes=15)
    pair_limit: int = 5
    client_limit: int = 20
    user_soft: int = 10
    max_backoff: dt.timedelta = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class Decision:
    """allowed: check the password and settle(attempt_id); else reason (pair, client, backoff) and wait."""

    allowed: bool
    attempt_id: int
    reason: str = ""
    wait_seconds: int = 0


def user_key(secret: str, username: str) -> str:
    """An HMAC of the typed username: limits work per name without storing what was typed."""
    return hmac.new(secret.encode("utf-8"), str(username).strip().lower().encode("utf-8"),
                    hashlib.sha256).hexdigest()


def reserve(engine: sa.Engine, key: str, client: str, policy: Policy = Policy(),
            now: dt.datetime | None = None) -> Decision:
    """Reserve one attempt for (key, client) and decide whether its password may be checked."""
    now = now or utc_now()
    client = str(client or "local")[:64]
    with engine.begin() as conn:  # committed before counting: parallel attempts see each other
        attempt_id = conn.execute(login_attempts.insert().values(at=now, user_key=key, client=client,
                                                                 outcome=PENDING)
                                  .returning(login_attempts.c.id)).scalar_one()
    start = now - policy.window
    c = login_attempts.c
    with engine.connect() as conn:
        last_ok = conn.execute(sa.select(sa.func.max(c.at)).where(c.user_key == key, c.client == client,
                                                                  c.outcome == OK)).scalar()
        pair_start = max(start, last_ok) if last_ok is not None else start
        pair = conn.execute(sa.select(sa.func.count()).where(
            c.user_key == key, c.client == client, c.outcome.in_(_COUNTED), c.at >= pair_start)).scalar()
        by_client = conn.execute(sa.select(sa.func.count()).where(
            c.client == client, c.outcome.in_(_COUNTED), c.at >= start)).scalar()
        failures = conn.execute(sa.select(sa.func.count()).where(
            c.user_key == key, c.outcome == FAILED, c.at >= start)).scalar()
        decision = Decision(True, attempt_id)
        if pair > policy.pair_limit:
            decision = Decision(False, attempt_id, "pair", int(policy.window.total_seconds()))
        elif by_client > policy.client_limit:
            decision = Decision(False, attempt_id, "client", int(policy.window.total_seconds()))
        elif failures >= policy.user_soft:
            backoff = min(dt.timedelta(seconds=2 ** min(failures - policy.user_soft + 1, 16)), policy.max_backoff)
            # Any other check of this name in the interval (even one still pending) takes the slot.
            others = conn.execute(sa.select(sa.func.count()).where(
                c.user_key == key, c.outcome.in_(_COUNTED), c.at >= now - backoff, c.id != attempt_id)).scalar()
            if others:
                decision = Decision(False, attempt_id, "backoff", max(1, int(backoff.total_seconds())))
    if not decision.allowed:
        settle(engine, attempt_id, REFUSED)
    return decision


def settle(engine: sa.Engine, attempt_id: int, outcome: str) -> None:
    """Record how a reserved attempt ended: ok, failed or refused."""
    with engine.begin() as conn:
        conn.execute(login_attempts.update().where(login_attempts.c.id == attempt_id).values(outcome=outcome))
