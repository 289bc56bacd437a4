"""Alert thresholds: documented defaults, overridden by what an admin stored in the alert_settings table."""

from __future__ import annotations

import sqlalchemy as sa

from data_access.alerts.queries import read_settings, write_setting

#: key -> (default, what it means). Money in the shop's currency, rates as fractions.
DEFAULTS: dict[str, tuple[float, str]] = {
    "sales.history_weeks": (8, "same weekdays of history the day is compared with"),
    "sales.min_orders": (8, "a store needs this many orders on an average such weekday to be checked"),
    "sales.z": (2.25, "robust z (median / 1.4826 MAD, never below chance's spread at the day's size) beyond "
                      "which a figure is outside the expected range"),
    "sales.min_change": (0.3, "and at least this relative change from the median"),
    "stock.min_daily_units": (0.2, "store x SKU selling less per day are not checked for stock-outs"),
    "stock.min_lost_sales": (500.0, "sales expected to be lost before the next delivery (days without stock x "
                                    "daily demand x unit price) needed for a stock-out alert"),
    "service.sla_min_tickets": (5, "open tickets past SLA in a store before it alerts"),
    "service.backlog_days": (4, "backlog growing this many days in a row"),
    "service.backlog_min_growth": (5, "and by at least this many tickets over them"),
    "service.low_share_jump": (0.15, "rise of the 1-2 star share (last 7 days vs the 28 before)"),
    "service.low_min_reviews": (20, "reviews needed in the last 7 days for the share check"),
    "service.rating_drop": (0.8, "fall of a product's mean rating (last 14 days vs the 56 before)"),
    "service.rating_min_reviews": (5, "reviews needed in each window for the product check"),
    "marketing.roas_target": (1.0, "ROAS over the last 7 days below this alerts"),
    "marketing.min_spend": (500.0, "spend over the last 7 days a channel needs to be checked"),
    "marketing.no_order_spend": (200.0, "a campaign spending this much in a day with no order alerts"),
    "market.undercut": (0.05, "a competitor item this much cheaper than an A-class item of ours alerts"),
    "market.min_similarity": (0.3, "title similarity (0..1) a competitor item needs to count as competing"),
    "market.max_age_days": (14, "listing snapshots older than this many days raise no market alert"),
    "logistics.ship_after_hours": (48, "a paid order not shipped after this many hours is stuck"),
    "logistics.deliver_after_days": (7, "a parcel not delivered this many days after shipping is stuck"),
    "logistics.stuck_min_orders": (5, "stuck orders of one stage in a store before it alerts"),
    "logistics.stuck_min_share": (0.01, "and at least this share of the store's orders of the lookback window"),
    "logistics.lookback_days": (30, "orders placed within this many days are checked for being stuck"),
    "cooldown_days": (7, "the same rule for the same store (and SKU) is not raised again within this many days"),
}


def load(engine: sa.Engine) -> dict[str, float]:
    """Every setting: the stored value where an admin changed it, else the default."""
    stored = read_settings(engine)
    return {k: float(stored.get(k, default)) for k, (default, _) in DEFAULTS.items()}


def save(engine: sa.Engine, key: str, value, username: str | None = None) -> None:
    """Store one setting after checking it is known and a non-negative number."""
    if key not in DEFAULTS:
        raise ValueError(f"unknown alert setting {key!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"alert setting {key} needs a number, got {value!r}") from None
    if number < 0:
        raise ValueError(f"alert setting {key} cannot be negative")
    write_setting(engine, key, number, username)
