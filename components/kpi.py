"""KPI cards: value, change vs a comparison, a second comparison underneath, the formula in the tooltip."""

from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from components.formatting import (
    MISSING,
    fmt_change,
    fmt_duration_hours,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_point_change,
)
from components.i18n import kpi_formula, kpi_label
from components.lang import current_lang

#: KPIs where a fall is good news (the card colours the change the other way).
LOWER_IS_BETTER = {"return_rate"}

#: How each KPI's value is written: money, count, ratio (percent) or plain number.
KIND = {"net_sales": "money", "aov": "money", "gross_margin": "money", "orders": "count", "units": "count",
        "customers": "count", "sessions": "count", "conversion_rate": "ratio", "margin_pct": "ratio",
        "repurchase_rate": "ratio", "returning_customer_rate": "ratio", "return_rate": "ratio"}


def change_ratio(value, base) -> float | None:
    """(value - base) / |base|; None when either is missing or the base is zero."""
    try:
        value, base = float(value), float(base)
    except (TypeError, ValueError):
        return None
    if math.isnan(value) or math.isnan(base) or base == 0:
        return None
    return (value - base) / abs(base)


def format_value(kpi_id: str, value, lang: str, kind: str | None = None) -> str:
    """value as the KPI's kind: money, count, ratio, number, or decimal (2 places), score (1 place), hours."""
    kind = kind or KIND.get(kpi_id, "number")
    if kind == "hours":
        return fmt_duration_hours(value, lang)
    if kind in ("decimal", "score"):
        return fmt_number(value, lang, decimals=2 if kind == "decimal" else 1)
    if kind == "money":  # whole yuan from 1,000 and compact from 100k, so five cards in a row at 1280 px never cut it
        size = abs(float(value or 0))
        return fmt_money(value, lang, compact=size >= 1e5, decimals=0 if size >= 1e3 else 2)
    if kind == "ratio":
        return fmt_percent(value, lang, decimals=2)
    return fmt_number(value, lang, compact=kind == "count" and abs(float(value or 0)) >= 1e6)


#: Kinds whose change is a difference in points, not a relative change: a rate (×100) and a score such as NPS.
POINT_KINDS = {"ratio": 100.0, "score": 1.0}


def change_text(kpi_id: str, value, base, lang: str, kind: str | None = None) -> str:
    """The change of value against base as a card writes it: rates and scores in points (48.2% after 50.0% is
    "−1.8 pts"), everything else relative ("+12.3%"); "—" when it cannot be worked out."""
    kind = kind or KIND.get(kpi_id, "number")
    if kind in POINT_KINDS:
        try:
            return fmt_point_change((float(value) - float(base)) * POINT_KINDS[kind], lang)
        except (TypeError, ValueError):
            return fmt_change(None)
    return fmt_change(change_ratio(value, base))


@dataclass(frozen=True)
class Card:
    """One KPI: its value, the main comparison (shown as the delta) and an optional second one."""

    kpi_id: str
    value: float
    base: float | None
    base_label: str
    second_base: float | None = None
    second_label: str = ""
    #: How to write the value when the KPI is not in KIND ("decimal", "score", "hours"); None = by KIND.
    kind: str | None = None
    #: Whether a fall is good news; None = by LOWER_IS_BETTER.
    lower_is_better: bool | None = None


def _lower_is_better(card: Card) -> bool:
    return card.kpi_id in LOWER_IS_BETTER if card.lower_is_better is None else card.lower_is_better


def kpi_row(cards: list[Card]) -> None:
    """Cards side by side; the tooltip states the metric's formula in the user's language."""
    lang = current_lang()
    for col, card in zip(st.columns(len(cards)), cards, strict=True):
        text = change_text(card.kpi_id, card.value, card.base, lang, card.kind)
        col.metric(
            kpi_label(card.kpi_id, lang),
            format_value(card.kpi_id, card.value, lang, card.kind),
            # ASCII minus: Streamlit reads a leading "-" as a fall (red, arrow down).
            delta=text.replace("\u2212", "-") if text != MISSING else None,
            help=kpi_formula(card.kpi_id, lang),
            delta_color="inverse" if _lower_is_better(card) else "normal",
            border=True,
        )
        # The card's delta is the first comparison; the caption names it and adds the second.
        lines = [f"{text} {card.base_label}"]
        if card.second_label:
            second = change_text(card.kpi_id, card.value, card.second_base, lang, card.kind)
            lines.append(f"{second} {card.second_label}")
        col.caption("  \n".join(lines))
