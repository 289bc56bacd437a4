"""The campaign effect's verdict in words: lift or noise (with the smallest lift the data could have shown), "too
short to judge", how often the method cries wolf on the series, the events left out and overlapping campaigns."""

from __future__ import annotations

import math

import pandas as pd

from components.formatting import fmt_percent
from components.i18n import translate
from components.marketing.logic import verdict

#: Counterfactual methods with a name on the page (forecasting.campaign_model's Counterfactual.method).
METHODS = ("regression", "prophet", "state_space", "weekday_mean", "mean", "zero")


def verdict_text(effect, measure: str, lang: str) -> str:
    """The verdict sentence; for "no clear effect" with the minimum detectable lift, for a pre-period too short
    to check the model no verdict at all."""
    if effect.verdict == "too_short":
        return translate("marketing.verdict_too_short", lang, what=translate(f"marketing.what_{measure}", lang))
    text = verdict(effect, measure, lang)
    mde = effect.minimum_detectable_lift
    if effect.verdict == "no_clear_effect" and isinstance(mde, float) and math.isfinite(mde):
        text += " " + translate("marketing.verdict_mde", lang, mde=fmt_percent(mde, lang, decimals=0))
    return text


def claims_effect(effect) -> bool:
    """True when the page says the campaign changed the measure (a verdict of increase or decrease)."""
    return effect.verdict in ("increase", "decrease")


def effect_facts(effect, lang: str) -> list[str]:
    """Lines under the verdict: the method and how often it cries wolf here, and the events left out."""
    lines = []
    method = translate(f"marketing.method_{effect.method}", lang) if effect.method in METHODS else effect.method
    if effect.n_placebos:
        lines.append(translate("marketing.cries_wolf", lang, method=method, alarms=effect.false_alarms,
                               windows=effect.n_placebos))
    else:
        lines.append(translate("marketing.method_only", lang, method=method))
    if effect.excluded_events:
        names = [translate(f"marketing.event_{e}", lang) if e in EVENTS else e for e in effect.excluded_events]
        lines.append(translate("marketing.events_excluded", lang, events=", ".join(names)))
    return lines


#: Shop events with a name on the page (forecasting.shop_calendar's events).
EVENTS = ("spring_festival", "618", "double_11", "double_12")


def overlap_text(others: pd.DataFrame, lang: str) -> str | None:
    """The other campaigns running during the campaign's dates (name column), or None when there are none."""
    if others is None or others.empty:
        return None
    return translate("marketing.overlapping", lang, names=", ".join(str(n) for n in others["name"]))
