"""KPI cards: value, change vs a comparison, a second comparison underneath, the formula in the tooltip."""

from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from components.auth import FILTER_KEY_PREFIX
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
from components.lang import current_lang, t
from data_access.filters import Filters

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


#: Where the filter bar leaves this run's Comparison for the KPI rows (the "fb_" prefix: logout clears it).
COMPARISON_KEY = f"{FILTER_KEY_PREFIX}comparison"


@dataclass(frozen=True)
class Comparison:
    """The KPI rows' comparison as the filter bar chose it, and how much of each compared period has data.

    mode: "previous" (the cards' base is the previous period), "last_year" (the cards' second base becomes
    the main one) or "custom" (the base is the custom period, named by label); coverage: share (0-1) of the
    base period's and of the last-year period's days inside the span of the data.
    """

    mode: str
    label: str
    previous_coverage: float
    last_year_coverage: float


@dataclass(frozen=True)
class Slot:
    """One comparison of a card: its base value, its phrase ("vs ..."), the share of its period with data."""

    base: float | None
    label: str
    coverage: float
    name: str


def slots(card: Card, comparison: Comparison | None) -> list[Slot]:
    """The card's comparisons, the chosen one first; a second one only when the card has a second label."""
    if comparison is None:
        found = [Slot(card.base, card.base_label, 1.0, "previous"),
                 Slot(card.second_base, card.second_label, 1.0, "last_year")]
    else:
        base_label = comparison.label if comparison.mode == "custom" else card.base_label
        found = [Slot(card.base, base_label, comparison.previous_coverage,
                      "custom" if comparison.mode == "custom" else "previous"),
                 Slot(card.second_base, card.second_label, comparison.last_year_coverage, "last_year")]
        if comparison.mode == "last_year":
            found.reverse()
    return [s for s in found if s.label]


def slot_text(card: Card, slot: Slot, lang: str) -> str:
    """The change against a slot as the card writes it (change_text: rates and scores in points), "—" when its
    period has no data at all."""
    return change_text(card.kpi_id, card.value, slot.base, lang, card.kind) if slot.coverage > 0 else MISSING


def coverage_notes(slots_shown: list[Slot], lang: str) -> list[str]:
    """One sentence per compared period that the data does not fully cover (partly: the share; not at all:
    the change is hidden)."""
    from components.i18n import translate

    notes = []
    for slot in slots_shown:
        which = translate(f"compare.name.{slot.name}", lang)
        if slot.coverage <= 0:
            notes.append(translate("compare.no_data", lang).format(which=which))
        elif slot.coverage < 1:
            share = fmt_percent(slot.coverage, lang, decimals=0)
            notes.append(translate("compare.coverage", lang).format(which=which, share=share))
    return notes


def compared_period(f: Filters) -> tuple[Filters, str]:
    """The period a chart sets against f, and its phrase: the comparison the filter bar chose for the KPI rows
    (the previous period when no bar chose one)."""
    comparison = st.session_state.get(COMPARISON_KEY)
    if comparison is not None and comparison.mode == "last_year":
        return f.last_year(), t("compare.vs_last_year")
    return f.comparison_period(), comparison.label if comparison is not None else t("compare.vs_previous")


def error_change_color(error: float, change: float | None) -> str:
    """delta_color of a forecast error's change (lower is better): never green while the error is above 1
    (worse than the naive forecast), however much it improved."""
    if error is not None and math.isfinite(error) and error > 1 and (change is None or change <= 0):
        return "off"
    return "inverse"


#: Six cards side by side cut their labels at 1280 px ("Tickets o…"): longer rows wrap into rows of equal width.
MAX_CARDS_PER_ROW = 5


def _card_columns(count: int) -> list:
    """count columns for the cards, in as few rows as keep each at most MAX_CARDS_PER_ROW wide (6 -> 3 + 3)."""
    rows = max(1, math.ceil(count / MAX_CARDS_PER_ROW))
    per_row = math.ceil(count / rows) if count else 1
    columns = []
    while len(columns) < count:
        columns += st.columns(per_row)[: count - len(columns)]
    return columns


def kpi_row(cards: list[Card]) -> None:
    """Cards side by side with the filter bar's comparison first; the tooltip states the metric's formula.

    A compared period the data covers only in part is named under the row with its share; one without data
    shows no change at all.
    """
    lang = current_lang()
    comparison = st.session_state.get(COMPARISON_KEY)
    notes: dict[str, str] = {}
    for col, card in zip(_card_columns(len(cards)), cards, strict=True):
        shown = slots(card, comparison)
        text = slot_text(card, shown[0], lang) if shown else MISSING
        col.metric(
            kpi_label(card.kpi_id, lang),
            format_value(card.kpi_id, card.value, lang, card.kind),
            # ASCII minus: Streamlit reads a leading "-" as a fall (red, arrow down).
            delta=text.replace("\u2212", "-") if text != MISSING else None,
            help=kpi_formula(card.kpi_id, lang),
            delta_color="inverse" if _lower_is_better(card) else "normal",
            border=True,
        )
        # The card's delta is the chosen comparison; the caption names it and adds the other one.
        col.caption("  \n".join(f"{slot_text(card, slot, lang)} {slot.label}"
                                 f"{'*' if slot.coverage < 1 else ''}" for slot in shown))
        notes.update(dict.fromkeys(coverage_notes(shown, lang)))
    if notes:
        st.caption("* " + " ".join(notes))
