"""Why did net sales change: visitors x conversion x AOV factors (LMDI) and the stores, channels, categories and
products behind it, for a day vs the same weekday a week earlier (or any two periods).

Factors are worked out per store (its channels together) and summed, so a store without traffic data does not bend
the others' conversion: the store's cells with sessions wherever they sold are split together into visitors x
conversion x AOV, its cells without traffic into orders x AOV (store_factors says why channels are taken
together). The headline names the store x channel cell that moved most and its own factor. Every contribution
is exact (alerts.decompose), so the factors add up to the change. Contributors per store and channel split each
key's change into activity (total visitors, or orders when traffic is missing), mix (the key's share of it) and
rate (net sales per visitor or per order); per category and product the activity is units and the rate net sales
per unit.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa

from alerts.decompose import split
from data_access.alerts.queries import cell_totals
from data_access.filters import Filters
from data_access.sales.queries import sales_by

CELL_FACTORS = ("visitors", "conversion", "aov")
NO_TRAFFIC_FACTORS = ("orders", "aov")


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def cell_factors(before: dict, after: dict) -> dict[str, float]:
    """The factor contributions of one store x channel cell (dicts with net_sales, orders, sessions); they add up to
    after.net_sales - before.net_sales.

    Visitors x conversion x AOV when the cell has sessions in each period it sold in (and in one at least),
    otherwise orders x AOV. Net sales without a counted order (refunds of earlier orders) are an AOV change.
    """
    change = after["net_sales"] - before["net_sales"]
    periods = (before, after)
    traffic = (any(p["sessions"] > 0 for p in periods)
               and all(p["sessions"] > 0 for p in periods if p["orders"] > 0))
    if traffic:
        names = CELL_FACTORS
        values = [[p["sessions"], _ratio(p["orders"], p["sessions"]), _ratio(p["net_sales"], p["orders"])]
                  for p in periods]
    else:
        names = NO_TRAFFIC_FACTORS
        values = [[p["orders"], _ratio(p["net_sales"], p["orders"])] for p in periods]
    parts = dict(zip(names, split(values[0], values[1]), strict=True))
    parts["aov"] += change - sum(parts.values())
    return parts


def _cells(df: pd.DataFrame) -> dict[tuple[str, str], dict]:
    return {(r.store_id, r.channel): {"net_sales": float(r.net_sales), "orders": int(r.orders),
                                      "sessions": int(r.sessions)} for r in df.itertuples()}


EMPTY = {"net_sales": 0.0, "orders": 0, "sessions": 0}


def _key_split(before: pd.Series, after: pd.Series, act_before: pd.Series, act_after: pd.Series) -> list[dict]:
    """Per key: contribution (change of its value) split into activity, mix and rate; they add up exactly."""
    keys = sorted(set(before.index) | set(after.index), key=str)
    total0, total1 = float(act_before.sum()), float(act_after.sum())
    out = []
    for k in keys:
        v0, v1 = float(before.get(k, 0.0)), float(after.get(k, 0.0))
        a0, a1 = float(act_before.get(k, 0.0)), float(act_after.get(k, 0.0))
        f0 = [total0, _ratio(a0, total0), _ratio(v0, a0)]
        f1 = [total1, _ratio(a1, total1), _ratio(v1, a1)]
        # A key with no activity in a period has share 0 there (its entry or exit is a mix change).
        f0[1] = f0[1] if f0[1] is not None or not total0 else 0.0
        f1[1] = f1[1] if f1[1] is not None or not total1 else 0.0
        activity, mix, rate = split(f0, f1)
        # Sales outside the activity measure (a store with no traffic rows) change the mix, not a rate.
        rest = (v1 - v0) - (activity + mix + rate)
        if a0 or a1:
            rate += rest
        else:
            mix += rest
        out.append({"key": k, "before": v0, "after": v1, "contribution": v1 - v0,
                    "activity": activity, "mix": mix, "rate": rate})
    return out


def _ranked(rows: list[dict], change: float, limit: int | None) -> list[dict]:
    """Biggest movers in the direction of the change first (a fall lists the biggest falls first)."""
    sign = -1.0 if change < 0 else 1.0
    rows = sorted(rows, key=lambda r: (-sign * r["contribution"], str(r["key"])))
    return rows if limit is None else rows[:limit]


def explain_periods(engine: sa.Engine, current: Filters, base: Filters, limit: int = 10) -> dict:
    """The decomposition of net sales from `base` to `current` (same scope and picks).

    Keys: change, change_pct, before, after (totals: net_sales, orders, sessions, conversion, aov), traffic
    ('all', 'partial' or 'none': whether conversion could be measured), basis ('visitors' or 'orders'),
    factors [{name, contribution}] adding up to change, contributors [{dimension, key, contribution, before, after,
    activity, mix, rate}] per store, channel, category and product (top `limit` each, in the change's direction),
    cells [{store_id, channel, contribution, factors, before, after}] per store x channel, and headline (the top
    cell with its top factor) or None when nothing changed.
    """
    cb, ca = cell_totals(engine, base), cell_totals(engine, current)
    cells_b, cells_a = _cells(cb), _cells(ca)
    totals = {}
    for name, df in (("before", cb), ("after", ca)):
        net, n, sess, t_orders = (float(df["net_sales"].sum()), int(df["orders"].sum()), int(df["sessions"].sum()),
                                  int(df["traffic_orders"].sum()))
        totals[name] = {"net_sales": net, "orders": n, "sessions": sess,
                        "conversion": _ratio(t_orders, sess), "aov": _ratio(net, n)}
    change = totals["after"]["net_sales"] - totals["before"]["net_sales"]
    cells = []
    for key in sorted(set(cells_b) | set(cells_a)):
        b, a = cells_b.get(key, EMPTY), cells_a.get(key, EMPTY)
        parts = cell_factors(b, a)
        cells.append({"store_id": key[0], "channel": key[1], "key": f"{key[0]}|{key[1]}",
                      "contribution": a["net_sales"] - b["net_sales"], "factors": parts,
                      "before": {**b, "conversion": _ratio(b["orders"], b["sessions"]),
                                 "aov": _ratio(b["net_sales"], b["orders"])},
                      "after": {**a, "conversion": _ratio(a["orders"], a["sessions"]),
                                "aov": _ratio(a["net_sales"], a["orders"])}})
    factor_sums = store_factors(cells_b, cells_a, {(c["store_id"], c["channel"]): "visitors" in c["factors"]
                                                   for c in cells})
    order = [n for n in ("visitors", "conversion", "orders", "aov") if n in factor_sums]
    factors = [{"name": n, "contribution": factor_sums[n]} for n in order]
    has_traffic = [c for c in cells if "visitors" in c["factors"]]
    traffic = "none" if not has_traffic else ("all" if len(has_traffic) == len(cells) else "partial")
    basis = "orders" if traffic == "none" else "visitors"
    act = "sessions" if basis == "visitors" else "orders"
    contributors = []
    for dimension, col in (("store", "store_id"), ("channel", "channel")):
        rows = _key_split(cb.groupby(col)["net_sales"].sum(), ca.groupby(col)["net_sales"].sum(),
                          cb.groupby(col)[act].sum(), ca.groupby(col)[act].sum())
        contributors += [{"dimension": dimension, **r} for r in _ranked(rows, change, limit)]
    for dimension in ("category", "product"):
        sb = sales_by(engine, base, dimension, with_customers=False).set_index("key")
        sa_ = sales_by(engine, current, dimension, with_customers=False).set_index("key")
        rows = _key_split(sb["net_sales"].astype(float), sa_["net_sales"].astype(float),
                          sb["units"].astype(float), sa_["units"].astype(float))
        contributors += [{"dimension": dimension, **r} for r in _ranked(rows, change, limit)]
    cells = _ranked(cells, change, None)
    return {"change": change,
            "change_pct": _ratio(change, totals["before"]["net_sales"]) if totals["before"]["net_sales"] > 0 else None,
            "before": totals["before"], "after": totals["after"], "traffic": traffic, "basis": basis,
            "factors": factors, "contributors": contributors, "cells": cells[:limit],
            "headline": _headline(cells, change)}


def store_factors(cells_b: dict, cells_a: dict, with_traffic: dict[tuple[str, str], bool]) -> dict[str, float]:
    """The factor contributions summed over stores, each store's channels taken together: its cells with traffic
    as one visitors x conversion x AOV, its cells without as one orders x AOV (so a store or channel without
    traffic data does not bend the others' conversion). Channels together, because a small store's sales hop
    between channels from one day to the next: cell by cell, a channel that sold last week and not today reads
    as visitors lost and one that sells today after none as visitors won, whatever the store's conversion did.
    Which channels bring the change is the channel contributors' and the cells' job."""
    groups: dict[tuple[str, bool], list[dict]] = {}
    for key, traffic in with_traffic.items():
        b, a = cells_b.get(key, EMPTY), cells_a.get(key, EMPTY)
        pair = groups.setdefault((key[0], traffic), [dict(EMPTY), dict(EMPTY)])
        for total, cell in zip(pair, (b, a), strict=True):
            for measure in EMPTY:
                total[measure] += cell[measure]
    sums: dict[str, float] = {}
    for (_, traffic), (b, a) in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        parts = cell_factors(b, a) if traffic else cell_factors({**b, "sessions": 0}, {**a, "sessions": 0})
        for name, value in parts.items():
            sums[name] = sums.get(name, 0.0) + value
    return sums


def _headline(cells: list[dict], change: float) -> dict | None:
    """The cell that moved most in the change's direction and its factor that moved most that way."""
    if not cells or change == 0:
        return None
    top = cells[0]
    sign = -1.0 if change < 0 else 1.0
    name, value = max(top["factors"].items(), key=lambda kv: sign * kv[1])
    metric = {"visitors": "sessions"}.get(name, name)
    return {"store_id": top["store_id"], "channel": top["channel"], "factor": name, "contribution": value,
            "before": top["before"].get(metric), "after": top["after"].get(metric)}


def explain_day(engine: sa.Engine, day: date, stores: tuple[str, ...] | None = None, limit: int = 10) -> dict:
    """explain_periods for `day` vs the same weekday a week earlier, with day and compare_day added."""
    current = Filters(day, day, stores=stores)
    base = Filters(day - timedelta(days=7), day - timedelta(days=7), stores=stores)
    out = explain_periods(engine, current, base, limit)
    return {"day": day.isoformat(), "compare_day": base.start.isoformat(), **out}


def explain_vs_week_before(engine: sa.Engine, f: Filters, limit: int = 10) -> dict:
    """explain_day for f's last day in f's stores (the overview's comparison, in the cache gateway's shape)."""
    return explain_day(engine, f.end, f.stores, limit)


def explain_vs_previous(engine: sa.Engine, f: Filters, limit: int = 10) -> dict:
    """explain_periods for f's period vs the equal-length period just before it (the sales page's comparison),
    with start, end, compare_start and compare_end added."""
    base = f.previous_period()
    out = explain_periods(engine, f, base, limit)
    return {"start": f.start.isoformat(), "end": f.end.isoformat(), "compare_start": base.start.isoformat(),
            "compare_end": base.end.isoformat(), **out}


def main(argv: list[str] | None = None) -> int:
    from alerts.cli import json_cli

    return json_cli("python -m alerts.explain", __doc__.splitlines()[0], explain_day, argv, day_required=True,
                    day_help="YYYY-MM-DD, compared with a week earlier")


if __name__ == "__main__":
    raise SystemExit(main())
