"""Pure logic of the logistics page: KPI cards, readable keys and labels, the tables' shapes, the findings."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from components.i18n import channel_label, code_label, data_name, region_label, translate
from components.kpi import Card
from components.satisfaction.logic import cards

# (card id, column of fulfilment_kpis, kind, lower is better)
MEDIAN_CARDS = (("pay_hours", "pay_hours_median", "hours", True), ("ship_hours", "ship_hours_median", "hours", True),
                ("transit_days", "transit_days_median", "decimal", True),
                ("delivery_days", "delivery_days_median", "decimal", True))
P90_CARDS = (("pay_hours_p90", "pay_hours_p90", "hours", True), ("ship_hours_p90", "ship_hours_p90", "hours", True),
             ("transit_days_p90", "transit_days_p90", "decimal", True),
             ("delivery_days_p90", "delivery_days_p90", "decimal", True))
PROMISE_CARDS = (("on_time_shipment_rate", "on_time_shipment_rate", "ratio", False),
                 ("on_time_delivery_rate", "on_time_delivery_rate", "ratio", False),
                 ("late_deliveries", "late_deliveries", "count", True),
                 ("avg_days_late", "avg_days_late", "decimal", True),
                 ("avg_shipping_cost", "avg_shipping_cost", "money", True))

#: Table formats of the page's own columns (components.tables kinds).
KINDS = {"shipped": "count", "delivered": "count", "late_deliveries": "count", "with_customer": "count",
         "repeat_orders": "count", "reviewed_orders": "count", "on_time_shipment_rate": "ratio",
         "on_time_delivery_rate": "ratio", "repeat_rate": "ratio", "ship_hours_median": "decimal",
         "transit_days_median": "decimal", "delivery_days_median": "decimal", "delivery_days_p90": "decimal",
         "avg_days_late": "decimal", "waiting_hours": "decimal", "avg_shipping_cost": "money"}
BREAKDOWN_COLUMNS = ["orders", "shipped", "delivered", "on_time_shipment_rate", "on_time_delivery_rate",
                     "late_deliveries", "avg_days_late", "ship_hours_median", "transit_days_median",
                     "delivery_days_median", "delivery_days_p90", "avg_shipping_cost"]
STUCK_COLUMNS = ["order_id", "store", "stage", "waiting_hours", "past_promise", "carrier", "channel", "region",
                 "ordered_at", "paid_at", "shipped_at", "promised_at"]
EFFECT_COLUMNS = ["bucket", "orders", "reviews", "avg_rating", "low_share", "with_customer", "repeat_orders",
                  "repeat_rate"]
LATE_BUCKETS = ("late_1_2", "late_3_7", "late_over_7")


def speed_cards(kpis: pd.DataFrame, previous: str, last_year: str) -> tuple[list[Card], list[Card]]:
    """The durations' cards, medians and P90s (kpis: fulfilment_kpis indexed by period), vs the previous period and
    last year."""
    return cards(kpis, MEDIAN_CARDS, previous, last_year), cards(kpis, P90_CARDS, previous, last_year)


def promise_cards(kpis: pd.DataFrame, previous: str, last_year: str) -> tuple[list[Card], list[Card]]:
    """The on-time and lateness cards, then days late and the cost, vs the previous period and last year."""
    both = cards(kpis, PROMISE_CARDS, previous, last_year)
    return both[:3], both[3:]


def has_times(kpis: pd.DataFrame) -> bool:
    """Whether the period's orders record any shipment or delivery (else only the note is shown)."""
    return bool(kpis.at["current", "shipped"] > 0 or kpis.at["current", "delivered"] > 0)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def key_label(dimension: str, row: pd.Series, lang: str) -> str:
    """How a breakdown row's key reads: the store's name, the channel's label, the carrier or region as given."""
    if dimension == "store":
        name = data_name(row.get("name"), row.get("name_zh"), lang)
        return str(row["key"]) if _missing(name) else f"{name} ({row['key']})"
    if _missing(row["key"]):
        return translate("logistics.no_carrier" if dimension == "carrier" else "logistics.unknown", lang)
    if dimension == "channel":
        return channel_label(row["key"], lang)
    if dimension == "region":
        return region_label(row["key"], lang)
    return code_label("carrier", row["key"], lang, "") if dimension == "carrier" else str(row["key"])


def breakdown_table(by: pd.DataFrame, dimension: str, lang: str) -> pd.DataFrame:
    """fulfilment_by as the page shows it: the readable key first (column named after the dimension)."""
    out = by[BREAKDOWN_COLUMNS].copy()
    out.insert(0, dimension, [key_label(dimension, row, lang) for _, row in by.iterrows()])
    return out


def slowest(by: pd.DataFrame, dimension: str, lang: str, min_orders: int = 10) -> dict | None:
    """The row with the lowest on-time delivery rate among rows with at least min_orders judged deliveries
    (and more than one such row): name, rate, late, n; None when nothing can be compared."""
    judged = by[by["with_promise"] >= min_orders].dropna(subset=["on_time_delivery_rate"])
    if len(judged) < 2:
        return None
    row = judged.sort_values(["on_time_delivery_rate", "with_promise"], ascending=[True, False]).iloc[0]
    return {"name": key_label(dimension, row, lang), "rate": float(row["on_time_delivery_rate"]),
            "late": int(row["late_deliveries"]), "n": int(row["with_promise"])}


def _labelled(values: pd.Series, label) -> np.ndarray:
    """label(value) for every value, worked out once per distinct value (a stuck list has thousands of orders and a
    handful of stores, stages, channels and carriers); missing values all go to label(None)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    labels = np.array([label(value) for value in distinct] + [label(None)], dtype=object)  # -1 (missing): the last
    return labels[codes]


def stuck_table(stuck: pd.DataFrame, lang: str) -> pd.DataFrame:
    """stuck_orders as the page shows it: store names, stage, region, carrier and channel labels in the user's
    language."""
    first = ~stuck["store_id"].duplicated()
    names = {s: data_name(n, z, lang) for s, n, z in zip(stuck["store_id"][first], stuck["store_name"][first],
                                                          stuck["store_name_zh"][first], strict=True)}
    out = stuck.copy()
    out["store"] = _labelled(stuck["store_id"], lambda s: str(s) if _missing(names.get(s)) else f"{names[s]} ({s})")
    out["stage"] = _labelled(stuck["stage"], lambda s: translate(f"logistics.stage.{s}", lang))
    out["channel"] = _labelled(stuck["channel"], lambda c: channel_label(c, lang))
    out["region"] = _labelled(stuck["region"], lambda r: region_label(r, lang))
    no_carrier = translate("logistics.no_carrier", lang)
    out["carrier"] = _labelled(stuck["carrier"], lambda c: code_label("carrier", c, lang, no_carrier))
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    out["past_promise"] = np.where(stuck["past_promise"].to_numpy(dtype=bool), yes, no).astype(object)
    return out[STUCK_COLUMNS]


def stuck_summary(stuck: pd.DataFrame) -> dict:
    """awaiting, in_transit and late (past their promise) counts of a stuck_orders frame."""
    return {"awaiting": int((stuck["stage"] == "awaiting_shipment").sum()),
            "in_transit": int((stuck["stage"] == "in_transit").sum()), "late": int(stuck["past_promise"].sum())}


def effects_table(effects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """delay_effects with the buckets' labels (the satisfaction page's delay.<bucket> names)."""
    out = effects[EFFECT_COLUMNS].copy()
    out["bucket"] = [translate(f"delay.{b}", lang) for b in effects["bucket"]]
    return out


def effects_finding(effects: pd.DataFrame) -> dict | None:
    """On-time orders vs all late ones together: mean rating and repeat rate of each; None if either has no
    review or no customer to judge."""
    rows = effects.set_index("bucket")
    late = rows.loc[list(LATE_BUCKETS)]
    on = rows.loc["on_time"]
    late_reviews, late_customers = late["reviews"].sum(), late["with_customer"].sum()
    if not on["reviews"] or not late_reviews or not on["with_customer"] or not late_customers:
        return None
    late_rating = float((late["avg_rating"].fillna(0) * late["reviews"]).sum() / late_reviews)
    return {"on_time_rating": float(on["avg_rating"]), "late_rating": late_rating,
            "on_time_repeat": float(on["repeat_rate"]),
            "late_repeat": float(late["repeat_orders"].sum() / late_customers)}


def trend_long(trend: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """fulfilment_trend's columns {column: series label} as long rows period_start, series, value (no NaN)."""
    long = trend.melt(id_vars="period_start", value_vars=list(columns), var_name="series", value_name="value")
    long["series"] = long["series"].map(columns)
    return long.dropna(subset=["value"]).reset_index(drop=True)
