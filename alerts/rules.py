"""The alert rules: stock, sales, service, marketing, market and fulfilment checks for one day, each with its
numbers and link.

An alert is a dict: kind (stock|sales|service|marketing|market|fulfilment), rule, what (a code such as
'conversion_drop'),
store_id, sku (or None), severity (high|medium|low), title (English; alerts.text renders it in any language),
values (the numbers behind it), link (page and filters that show it). Every query takes the store scope;
marketing spend is shop-wide, so marketing alerts (store_id None) are only raised for the all-stores scope.
Sales are compared with the same weekdays' history (median and median absolute deviation), not the forecast.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa

from alerts import settings as alert_settings
from alerts.text import render_title
from data_access.alerts import queries as q
from data_access.filters import Filters
from data_access.inventory.forecast_store import latest_run
from data_access.inventory.queries import inventory_plan
from data_access.logistics.stuck import stuck_counts
from data_access.market import analysis as market
from data_access.market.queries import listing_snapshots
from data_access.satisfaction.service import open_tickets_past_sla
from forecasting import classes, policy

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SALES_METRICS = ("net_sales", "orders", "conversion_rate", "aov")
SALES_PRIORITY = ("conversion_rate", "aov", "net_sales", "orders")


def _alert(kind: str, what: str, store_id, sku, severity: str, values: dict, page: str, day: date) -> dict:
    values = {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in values.items()}
    link = {"page": page, "day": day.isoformat(), "store": store_id, "sku": sku}
    alert = {"kind": kind, "rule": f"{kind}.{what}", "what": what, "store_id": store_id, "sku": sku,
             "severity": severity, "values": values, "link": link}
    alert["title"] = render_title(alert, "en")
    return alert


def _num(x) -> float:
    return float(x) if x is not None and pd.notna(x) else float("nan")


def _text(x) -> str | None:
    return x if isinstance(x, str) else None


# ---------------------------------------------------------------- sales


def sales_alerts(engine: sa.Engine, day: date, stores, cfg: dict) -> list[dict]:
    """Per store, one alert when yesterday's net sales, orders, conversion or AOV fell below the range of the same
    weekdays' history (robust z, its spread never below chance's at the day's size, and a relative change), for a
    store big enough (median orders of those weekdays
    >= sales.min_orders); named after the root figure (conversion, then AOV, then net sales, then orders)."""
    weeks = int(cfg["sales.history_weeks"])
    days = [day - timedelta(days=7 * k) for k in range(weeks + 1)]
    df = q.store_daily(engine, Filters(days[-1], day, stores))
    df = df[df["day"].isin(days)]
    out = []
    for store_id, rows in df.groupby("store_id"):
        rows = rows.set_index("day").reindex(days)
        rows[["net_sales", "orders", "sessions"]] = rows[["net_sales", "orders", "sessions"]].fillna(0)
        today, past = rows.loc[day], rows.loc[days[1:]]
        if past["orders"].median() < cfg["sales.min_orders"]:
            continue
        flagged = {}
        noise = sampling_spread(today, past)
        for metric in SALES_METRICS:
            hist = pd.to_numeric(past[metric], errors="coerce").dropna()
            x = _num(today[metric])
            if len(hist) < max(3, weeks // 2) or not np.isfinite(x):
                continue
            med = float(hist.median())
            # The spread is at least what chance alone gives a day of this size (a flat history, or eight
            # weekdays of a small store, would otherwise turn an ordinary wobble into a large z).
            scale = max(1.4826 * float((hist - med).abs().median()), noise[metric](med), 0.05 * abs(med), 1e-9)
            z = (x - med) / scale
            if med > 0 and z <= -cfg["sales.z"] and (med - x) / med >= cfg["sales.min_change"]:
                flagged[metric] = (z, x, med, float(hist.min()), float(hist.max()))
        if flagged:
            # The root figure names the alert: a conversion or AOV fall explains the fall in sales and orders.
            metric = next(m for m in SALES_PRIORITY if m in flagged)
            z, x, med, lo, hi = flagged[metric]
            severity = "high" if min(v[0] for v in flagged.values()) <= -2 * cfg["sales.z"] else "medium"
            out.append(_alert("sales", f"{metric.removesuffix('_rate')}_drop", store_id, None, severity,
                              {"metric": metric, "value": x, "expected": med, "history_min": lo,
                               "history_max": hi, "z": round(z, 2), "change_pct": x / med - 1,
                               "also": sorted(m for m in flagged if m != metric),
                               "basis": "same_weekday_history", "weeks": weeks}, "sales", day))
    return out


def sampling_spread(today: pd.Series, past: pd.DataFrame) -> dict:
    """Per sales metric, a function of its expected value giving the standard deviation chance alone gives a day:
    orders Poisson (sqrt of the expected count), net sales and AOV as a sum and a mean of order values whose
    coefficient of variation is taken as 1, conversion binomial over the day's sessions."""
    orders = max(float(past["orders"].median()), 1.0)
    today_orders = max(_num(today["orders"]), 1.0) if np.isfinite(_num(today["orders"])) else orders
    sessions = _num(today["sessions"])
    return {
        "orders": lambda med: float(np.sqrt(max(med, 0.0))),
        "net_sales": lambda med: abs(med) * float(np.sqrt(2.0 / orders)),
        "aov": lambda med: abs(med) / float(np.sqrt(today_orders)),
        "conversion_rate": lambda med: float(np.sqrt(max(med * (1 - med), 0.0) / sessions))
        if np.isfinite(sessions) and sessions > 0 else 0.0,
    }


# ---------------------------------------------------------------- stock


def stock_alerts(engine: sa.Engine, day: date, stores, cfg: dict) -> list[dict]:
    """Store x SKU whose projected stock-out comes before the next delivery could arrive; A-class items first.

    The stock-out date is policy.plan's (the latest forecast run, else the last 28 days' sales), with stock on order
    that arrives before it counted. The next delivery is the open order's expected arrival when that comes after the
    stock-out, else an order placed today (day + lead time): an open order without a date, or overdue, is taken to
    arrive in time (it may come any day). The usual reorder cycle keeps a delivery ahead of the stock-out, so a gap
    is news. Minimum size, so slow items do not cry wolf: at least stock.min_daily_units a day, and sales expected to
    be lost in the gap (days without stock x daily demand x unit price) of at least stock.min_lost_sales.
    """
    f = Filters(day - timedelta(days=27), day, stores)
    run = latest_run(engine)
    # Without a run every row is planned on its recent sales (policy.plan's no_forecast path).
    plan = inventory_plan(engine, f, run["run_id"] if run else "")
    if plan.empty:
        return []
    sku_classes = classes.sku_classes(engine, f)
    plan = plan.merge(sku_classes[["sku", "abc_class"]], on="sku", how="left")
    plan["abc_class"] = plan["abc_class"].fillna("C")
    rows = policy.plan(plan).merge(q.unit_prices(engine), on="sku", how="left")
    rows = rows.assign(**stock_gap(rows, day))
    rows["lost_sales"] = rows["gap_days"] * rows["mean_daily_demand"].astype(float) * rows["unit_price"].fillna(0)
    risky = rows[(rows["gap_days"] > 0) & (rows["mean_daily_demand"].astype(float) >= cfg["stock.min_daily_units"])
                 & (rows["lost_sales"] >= cfg["stock.min_lost_sales"])]
    risky = risky.sort_values(["abc_class", "days_to_stockout", "store_id", "sku"])
    severity = {"A": "high", "B": "medium"}
    return [_alert("stock", "stockout_soon", r.store_id, r.sku, severity.get(r.abc_class, "low"),
                   {"abc_class": r.abc_class, "on_hand": int(r.on_hand), "on_order": int(r.on_order),
                    "days_to_stockout": int(r.days_to_stockout), "lead_time_days": int(r.lead_time),
                    "stockout_date": r.stockout_day.isoformat(), "next_delivery": r.next_delivery.isoformat(),
                    "delivery_on_order": bool(r.delivery_on_order), "gap_days": int(r.gap_days),
                    "lost_sales": round(float(r.lost_sales), 2),
                    "mean_daily_demand": round(float(r.mean_daily_demand), 2),
                    "suggested_order": _num(r.suggested_order), "forecast": not bool(r.no_forecast),
                    "name": r.name, "name_zh": _text(getattr(r, "name_zh", None))}, "inventory", day)
            for r in risky.itertuples()]


def stock_gap(rows: pd.DataFrame, day: date) -> dict[str, pd.Series]:
    """Per policy.plan row: stockout_day (date), days_to_stockout, next_delivery (date), delivery_on_order (the
    next delivery is the open order, not one placed today) and gap_days (days without stock before it; <= 0: none)."""
    today = pd.Timestamp(day)
    demand = rows["mean_daily_demand"].astype(float)
    on_hand, on_order = rows["on_hand"].astype(float), rows["on_order"].astype(float)
    stockout = pd.to_datetime(rows["stockout_date"])
    arrival = pd.to_datetime(rows["expected_arrival"]) if "expected_arrival" in rows else pd.Series(pd.NaT, rows.index)
    open_order = on_order > 0
    # The open order comes in time: before the stock-out, overdue (any day now) or with no date to say otherwise.
    in_time = open_order & (arrival.isna() | (arrival <= stockout) | (arrival <= today))
    # A forecast's stock-out already counts a dated order from its arrival on; recent sales' and undated ones not.
    no_forecast = rows["no_forecast"].astype(bool) if "no_forecast" in rows else pd.Series(True, rows.index)
    extend = in_time & (no_forecast | arrival.isna()) & (demand > 0)
    days_left = np.floor((on_hand + on_order) / demand.where(demand > 0))
    stockout = stockout.where(~extend, today + pd.to_timedelta(days_left, unit="D"))
    on_order_next = open_order & ~in_time
    lead = pd.to_timedelta(rows["lead_time"].astype(int), unit="D")
    next_delivery = arrival.where(on_order_next, today + lead)
    gap = (next_delivery - stockout).dt.days
    return {"stockout_day": stockout.dt.date, "days_to_stockout": (stockout - today).dt.days.astype("Int64"),
            "next_delivery": next_delivery.dt.date, "delivery_on_order": on_order_next,
            "gap_days": gap.fillna(0).astype(int)}


# ---------------------------------------------------------------- service


def service_alerts(engine: sa.Engine, day: date, stores, cfg: dict) -> list[dict]:
    """Tickets past SLA, a backlog growing day after day, a jump in 1-2 star reviews, a product whose rating fell."""
    out = []
    end = datetime.combine(day + timedelta(days=1), time.min)
    late = open_tickets_past_sla(engine, Filters.all_time(stores), end, limit=100_000)
    for store_id, rows in late.dropna(subset=["store_id"]).groupby("store_id"):
        if len(rows) >= cfg["service.sla_min_tickets"]:
            out.append(_alert("service", "sla_breach", store_id, None, "high" if len(rows) >= 3 * cfg[
                "service.sla_min_tickets"] else "medium", {"tickets": len(rows),
                                                           "oldest_hours": round(float(rows["age_hours"].max()), 1)},
                "satisfaction", day))
    n = int(cfg["service.backlog_days"])
    days = [day - timedelta(days=k) for k in range(n, -1, -1)]
    backlog = q.backlog_by_day(engine, Filters.all_time(stores), days)
    if not backlog.empty:
        wide = backlog.pivot_table(index="store_id", columns="day", values="backlog", fill_value=0)
        wide = wide.reindex(columns=days, fill_value=0)
        for store_id, series in wide.iterrows():
            steps = np.diff(series.to_numpy())
            if (steps > 0).all() and series.iloc[-1] - series.iloc[0] >= cfg["service.backlog_min_growth"]:
                out.append(_alert("service", "ticket_backlog", store_id, None, "medium",
                                  {"backlog": int(series.iloc[-1]), "backlog_before": int(series.iloc[0]),
                                   "days": n}, "satisfaction", day))
    recent = q.review_counts(engine, Filters(day - timedelta(days=6), day, stores))
    before = q.review_counts(engine, Filters(day - timedelta(days=34), day - timedelta(days=7), stores))
    both = recent.merge(before, on="store_id", how="left", suffixes=("", "_before")).fillna(0)
    for r in both.itertuples():
        if r.reviews < cfg["service.low_min_reviews"] or r.reviews_before <= 0:
            continue
        share, share_before = r.low / r.reviews, r.low_before / r.reviews_before
        if share - share_before >= cfg["service.low_share_jump"]:
            out.append(_alert("service", "low_rating_jump", r.store_id, None, "medium",
                              {"low_share": share, "low_share_before": share_before, "reviews": int(r.reviews)},
                              "satisfaction", day))
    recent = q.review_counts(engine, Filters(day - timedelta(days=13), day, stores), by_sku=True)
    before = q.review_counts(engine, Filters(day - timedelta(days=69), day - timedelta(days=14), stores),
                              by_sku=True)
    both = recent.merge(before, on=["store_id", "sku"], suffixes=("", "_before"))
    need = cfg["service.rating_min_reviews"]
    for r in both[(both["reviews"] >= need) & (both["reviews_before"] >= need)].itertuples():
        mean, mean_before = r.rating_sum / r.reviews, r.rating_sum_before / r.reviews_before
        if mean_before - mean >= cfg["service.rating_drop"]:
            out.append(_alert("service", "product_rating_fall", r.store_id, r.sku, "medium",
                              {"rating": round(mean, 2), "rating_before": round(mean_before, 2),
                               "reviews": int(r.reviews)}, "satisfaction", day))
    return out


# ---------------------------------------------------------------- marketing


def marketing_alerts(engine: sa.Engine, day: date, stores, cfg: dict) -> list[dict]:
    """Channels whose 7-day ROAS is below target; campaigns that spent yesterday with no order. Shop-wide only."""
    if stores is not None:
        return []
    out = []
    week = q.channel_roas(engine, day - timedelta(days=6), day)
    by_channel = week.groupby("channel")[["spend", "revenue", "orders"]].sum()
    for channel, r in by_channel.iterrows():
        if r.spend >= cfg["marketing.min_spend"] and r.revenue / r.spend < cfg["marketing.roas_target"]:
            out.append(_alert("marketing", "roas_below_target", None, None, "medium",
                              {"channel": channel, "roas": r.revenue / r.spend, "spend": float(r.spend),
                               "target": cfg["marketing.roas_target"]}, "marketing", day))
    yesterday = q.channel_roas(engine, day, day)
    idle = yesterday[(yesterday["campaign_id"] != "") & (yesterday["orders"] == 0)
                     & (yesterday["spend"] >= cfg["marketing.no_order_spend"])]
    for r in idle.itertuples():
        out.append(_alert("marketing", "spend_no_orders", None, None, "medium",
                          {"channel": r.channel, "campaign_id": r.campaign_id, "spend": float(r.spend)},
                          "marketing", day))
    return out


# ---------------------------------------------------------------- market


def market_alerts(engine: sa.Engine, day: date, stores, cfg: dict) -> list[dict]:
    """An A-class item of ours that one of its closest competing items (the five most similar titles, similarity
    >= market.min_similarity) now undercuts by at least market.undercut in the latest snapshot (at most
    market.max_age_days old) where it did not in its snapshot before (a new undercut, not one that has lasted);
    one alert per item, naming the deepest such cut."""
    window = Filters(day - timedelta(days=int(cfg["market.max_age_days"])), day, stores)
    snapshots = listing_snapshots(engine, window)
    if snapshots.empty or not snapshots["store_id"].notna().any():
        return []
    sales = market.with_period_sales(snapshots)
    matches = market.closest_competitors(sales, k=5)
    matches = matches[matches["similarity"] >= cfg["market.min_similarity"]]
    undercut = matches[matches["price_gap"] <= -cfg["market.undercut"]]
    if undercut.empty:
        return []
    latest = market.latest_listings(sales)
    own = latest[latest["own"]].set_index("item_id")
    previous = sales[sales["observed_at"] < latest["observed_at"].max()].groupby("item_id")["price"].last()
    a_class = set(classes.sku_classes(engine, Filters(day - timedelta(days=27), day, stores))
                  .query("abc_class == 'A'")["sku"])
    before = undercut["competitor_item"].map(previous)
    lasting = before.notna() & (before <= undercut["price"] * (1 - cfg["market.undercut"]))
    fresh = undercut[~lasting].assign(price_before=before[~lasting]).sort_values("price_gap")
    out = []
    for r in fresh.drop_duplicates("item_id").itertuples():
        mine = own.loc[r.item_id]
        if mine["sku"] not in a_class:
            continue
        out.append(_alert("market", "competitor_undercut", mine["store_id"], mine["sku"], "high",
                          {"item_id": r.item_id, "own_price": float(r.price), "competitor_item": r.competitor_item,
                           "competitor_title": r.competitor_title, "competitor_shop": r.competitor_shop,
                           "competitor_price": float(r.competitor_price),
                           "competitor_price_before": _num(r.price_before),
                           "price_gap": float(r.price_gap), "similarity": float(r.similarity),
                           "snapshot": pd.Timestamp(mine["observed_at"]).date().isoformat()}, "market", day))
    return out


# ---------------------------------------------------------------- fulfilment

#: The alert's what code per stage of a stuck order.
STUCK_WHAT = {"awaiting_shipment": "shipping_stall", "in_transit": "delivery_stall"}


def fulfilment_alerts(engine: sa.Engine, day: date, stores, cfg: dict) -> list[dict]:
    """Per store and stage, orders stuck at the end of `day` (data_access.logistics.stuck): paid and not shipped
    after logistics.ship_after_hours, or shipped and not delivered after logistics.deliver_after_days, among the
    orders placed in the last logistics.lookback_days; alerts from logistics.stuck_min_orders of one stage that are
    also logistics.stuck_min_share of the store's orders of the window (a big store always has a few late parcels)."""
    lookback = max(int(cfg["logistics.lookback_days"]), 1)
    end = datetime.combine(day + timedelta(days=1), time.min)
    counts = stuck_counts(engine, Filters(day - timedelta(days=lookback - 1), day, stores), end,
                          ship_after_hours=cfg["logistics.ship_after_hours"],
                          deliver_after_days=cfg["logistics.deliver_after_days"])
    out = []
    for r in counts.itertuples():
        need = max(cfg["logistics.stuck_min_orders"], cfg["logistics.stuck_min_share"] * r.placed_orders, 1)
        if r.orders < need:
            continue
        out.append(_alert("fulfilment", STUCK_WHAT[r.stage], r.store_id, None,
                          "high" if r.orders >= 3 * need else "medium",
                          {"orders": int(r.orders), "placed_orders": int(r.placed_orders),
                           "past_promise": int(r.past_promise),
                           "oldest_hours": round(float(r.oldest_hours), 1),
                           "after_hours": float(cfg["logistics.ship_after_hours"]),
                           "after_days": float(cfg["logistics.deliver_after_days"])}, "logistics", day))
    return out


RULES = (stock_alerts, sales_alerts, service_alerts, marketing_alerts, market_alerts, fulfilment_alerts)


def evaluate(engine: sa.Engine, day: date, stores: tuple[str, ...] | None = None,
             cfg: dict | None = None) -> list[dict]:
    """Every rule's alerts for `day` in the scope, most severe first (stock A-class first within a severity)."""
    cfg = alert_settings.load(engine) if cfg is None else cfg
    alerts = [a for rule in RULES for a in rule(engine, day, stores, cfg)]
    return sorted(alerts, key=lambda a: (SEVERITY_ORDER[a["severity"]], a["kind"], str(a["store_id"]),
                                         str(a["sku"])))
