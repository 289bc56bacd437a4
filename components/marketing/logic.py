"""Pure helpers behind the marketing page: formula tooltips, KPI cards, campaign series and the effect verdict."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from components.formatting import MISSING, fmt_money, fmt_number, fmt_percent, to_float
from components.i18n import has_key, translate
from components.kpi import Card
from components.tables import format_cell
from data_access.filters import Filters

#: Columns whose header carries a formula tooltip, and the catalogue key of that formula.
FORMULAS = {
    "spend": "kpi.spend.formula", "attributed_revenue": "kpi.attributed_revenue.formula", "ctr": "kpi.ctr.formula",
    "cpc": "kpi.cpc.formula", "cpm": "kpi.cpm.formula", "roas": "kpi.roas.formula", "cpa": "kpi.cpa.formula",
    "cac": "kpi.cac.formula", "conversion_rate": "kpi.conversion_rate.formula",
    "new_customers": "kpi.new_customers.formula",
    "platform_conversion_rate": "marketing.platform_conversion_rate.formula",
}
CHANNEL_TABLE = ["channel", "spend", "impressions", "clicks", "ctr", "cpc", "cpm", "sessions", "orders",
                 "conversion_rate", "attributed_revenue", "roas", "cpa", "new_customers", "cac", "spend_share",
                 "revenue_share"]
CAMPAIGN_TABLE = ["campaign_id", "name", "channel", "start_date", "end_date", "budget", "spend", "impressions",
                  "clicks", "ctr", "cpc", "platform_conversions", "platform_conversion_rate", "orders",
                  "attributed_revenue", "roas", "cpa", "new_customers"]
#: (card id, column of marketing_totals, value kind, lower is better)
TOTAL_CARDS = (("spend", "spend", "money", None), ("marketing_revenue", "revenue", "money", False),
               ("blended_roas", "blended_roas", "decimal", False), ("orders", "orders", "count", False),
               ("new_customers", "new_customers", "count", False), ("blended_cac", "cac", "money", True))
MEASURES = {"net_sales": "attributed_revenue", "orders": "orders"}
DEFAULT_PRE_DAYS = 56
#: The campaign lists cover at least this many days up to the period's end (a 30-day view would often list none).
CAMPAIGN_LIST_DAYS = 90


def formula(column: str, lang: str) -> str | None:
    """The formula tooltip of a column in lang, or None."""
    key = FORMULAS.get(column)
    return translate(key, lang) if key and has_key(key) else None


def total_cards(totals: pd.DataFrame, previous_label: str, last_year_label: str) -> list[Card]:
    """KPI cards from marketing_totals (indexed by period): value vs previous period, then vs last year."""
    return [Card(card_id, totals.at["current", column], totals.at["previous", column], previous_label,
                 totals.at["last_year", column], last_year_label, kind=kind, lower_is_better=lower)
            for card_id, column, kind, lower in TOTAL_CARDS]


def campaign_window(f: Filters) -> Filters:
    """The dates the campaign lists cover: the period, widened to the last CAMPAIGN_LIST_DAYS days up to its end."""
    return f.with_dates(min(f.start, f.end - timedelta(days=CAMPAIGN_LIST_DAYS - 1)), f.end)


def has_activity(totals: pd.DataFrame) -> bool:
    """Whether the period has any order, any revenue (a daily report may bring sales without orders) or any spend."""
    row = totals.set_index("period").loc["current"] if "period" in totals.columns else totals.loc["current"]
    return bool(row["orders"] > 0 or (to_float(row["revenue"]) or 0) != 0 or (to_float(row["spend"]) or 0) > 0)


def effect_window(start: date, end: date, pre_days: int, last_day: date | None) -> tuple | None:
    """(pre_period, post_period) date pairs for a campaign: the pre_days before it, and its days up to the last day
    with data; None when the campaign has not started by then."""
    post_end = min(end, last_day) if last_day is not None else end
    if post_end < start:
        return None
    return (start - timedelta(days=pre_days), start - timedelta(days=1)), (start, post_end)


def is_weekly(trend: pd.DataFrame) -> bool:
    """Whether a day-grain channel_trend holds weekly data (every row on one weekday, at least 3 weeks apart):
    a weekly import such as Robyn's, whose days in between are not days without sales."""
    days = pd.DatetimeIndex(trend["period_start"].unique()).sort_values()
    return len(days) >= 3 and days.day_of_week.nunique() == 1 and bool((days[1:] - days[:-1]).min().days >= 7)


def campaign_frames(trend: pd.DataFrame, channel: str | None, measure: str, first: date,
                    last: date, freq: str = "D") -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The campaign channel's series (ds, y) and the other channels' as controls (ds + one column each).

    trend: marketing_queries.channel_trend over [first, last] at day grain (freq "D") or week grain (freq
    "W-MON"). Periods without a row are zeros (no orders); controls are the other channels with a non-zero value
    in at least 80% of the periods (sparse ones add noise). A campaign without a channel (a shop-wide event) is
    read on the total, without controls.
    """
    column = MEASURES[measure]
    begin = pd.Timestamp(first)
    if freq != "D":
        begin -= pd.Timedelta(days=begin.day_of_week)
    days = pd.date_range(begin, last, freq=freq)
    if trend.empty:
        return pd.DataFrame({"ds": days, "y": 0.0}), None
    wide = trend.pivot_table(index="period_start", columns="channel", values=column, aggfunc="sum", fill_value=0)
    wide = wide.reindex(days, fill_value=0).astype(float)
    if channel is None:
        return pd.DataFrame({"ds": days, "y": wide.sum(axis=1).to_numpy()}), None
    y = wide[channel].to_numpy() if channel in wide.columns else 0.0
    series = pd.DataFrame({"ds": days, "y": y})
    others = [c for c in wide.columns if c != channel and (wide[c] != 0).mean() >= 0.8]
    if not others:
        return series, None
    controls = wide[others].rename(columns=str)
    controls.columns.name = None
    return series, controls.rename_axis("ds").reset_index()


def verdict(effect, measure: str, lang: str) -> str:
    """The plain-language verdict: incremental sales (or orders) of about X, Y% lift, likely real or noise."""
    if measure == "net_sales":
        def amount(x):
            return fmt_money(x, lang, compact=abs(to_float(x) or 0) >= 1e5)
    else:
        def amount(x):
            return fmt_number(x, lang)
    lift = to_float(effect.relative_lift)
    key = "marketing.verdict_real" if effect.significant else "marketing.verdict_noise"
    p = to_float(effect.p_value)
    return translate(key, lang, what=translate(f"marketing.what_{measure}", lang),
                     effect=amount(effect.cumulative_effect), lift=signed_percent(lift, lang),
                     low=amount(effect.cumulative_lower), high=amount(effect.cumulative_upper),
                     p="p = " + MISSING if p is None else _p_text(p))


def signed_percent(value, lang: str) -> str:
    """A ratio as a signed percentage with one decimal ("+12.0%", "-3.5%"); "—" when missing."""
    value = to_float(value)
    if value is None:
        return MISSING
    text = fmt_percent(value, lang, decimals=1)
    return text if value < 0 else "+" + text


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def effect_chart_frame(daily: pd.DataFrame) -> pd.DataFrame:
    """effect.daily with infinities as NaN (a chart cannot draw them; the gap shows the value is unknown)."""
    numeric = daily.select_dtypes("number").columns
    out = daily.copy()
    out[numeric] = out[numeric].replace([np.inf, -np.inf], np.nan)
    return out


def points(difference: float, lang: str) -> str:
    """A difference of two rates in percentage points, signed ("+1.20 pts")."""
    return format_cell(difference, "points", lang)


def ab_summary(result, lang: str) -> str:
    """The A/B verdict: both rates, the difference with its interval, the p-value of the recommended test."""
    key = "marketing.ab_significant" if result.significant else "marketing.ab_not_significant"
    return translate(key, lang, rate_b=fmt_percent(result.rate_b, lang, decimals=2),
                     rate_a=fmt_percent(result.rate_a, lang, decimals=2), diff=points(result.difference, lang),
                     confidence=fmt_percent(1 - result.alpha, lang, decimals=0),
                     low=points(result.ci_lower, lang), high=points(result.ci_upper, lang),
                     p=_p_text(result.p_value_used), test=translate(f"marketing.test_{result.recommended_test}", lang))


def ab_error(exc, lang: str) -> str:
    """An ABInputError in the user's language, naming the input and what is wrong with it."""
    field_key, problem_key = f"marketing.ab_field.{exc.field}", f"marketing.ab_problem.{exc.problem}"
    field = translate(field_key, lang) if has_key(field_key) else exc.field
    problem = translate(problem_key, lang) if has_key(problem_key) else str(exc)
    return translate("marketing.ab_error", lang, field=field, problem=problem)
