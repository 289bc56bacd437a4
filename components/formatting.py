"""Pure number, money, percent, date and duration formatting for English and 简体中文; never raises."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd

from components.i18n import normalise_lang, translate

MISSING = "—"
# U+2212: a true minus sign reads better than a hyphen next to "+" in change badges.
MINUS = "\u2212"

CURRENCY_SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}

# Compact steps, largest first: Chinese groups by 10^4 (万) and 10^8 (亿), English by 10^3.
_COMPACT_STEPS = {
    "en": ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")),
    "zh": ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")),
}
_COMPACT_DECIMALS = {"en": 1, "zh": 2}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def to_float(x) -> float | None:
    """x as a finite float, or None for None, NaN, NA, infinities and anything non-numeric."""
    if x is None or isinstance(x, bool):
        return None
    try:
        value = float(x)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def round_half_up(value: float, decimals: int) -> float:
    """value rounded half up to decimals places (2.675 -> 2.68, as the shown figure), never -0.0."""
    try:
        rounded = float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-max(int(decimals), 0)),
                                                             rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return float(value)
    return rounded + 0.0


def _plain(value: float, decimals: int) -> str:
    """value rounded half up (as people round money) with thousands separators; never "-0"."""
    decimals = max(int(decimals), 0)
    try:
        rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # Beyond Decimal's precision (about 1e28) rounding no longer matters.
        return f"{value:,.{decimals}f}"
    return f"{abs(rounded) if rounded == 0 else rounded:,.{decimals}f}"


def _compact(value: float, lang: str, decimals: int) -> str:
    """value scaled to the largest fitting unit of the language (12,345,678 -> 12.3M / 1,235万).

    Four or more digits before the point drop the decimals, so a compact figure stays short enough
    for a KPI card (49,681,234 -> 4,968万, not 4,968.12万).
    """
    for size, suffix in _COMPACT_STEPS[lang]:
        if abs(value) >= size:
            scaled = value / size
            return _plain(scaled, 0 if abs(scaled) >= 1000 else _COMPACT_DECIMALS[lang]) + suffix
    return _plain(value, decimals)


def fmt_number(x, lang: str = "en", decimals: int = 0, compact: bool = False) -> str:
    """x with thousands separators, or compact (K/M/B in English, 万/亿 in Chinese); "—" when missing."""
    value = to_float(x)
    if value is None:
        return MISSING
    if compact:
        return _compact(value, normalise_lang(lang), decimals)
    return _plain(value, decimals)


def fmt_money(x, lang: str = "en", currency: str = "CNY", compact: bool = False, decimals: int = 2) -> str:
    """x as money with the currency symbol in front (¥1,234.50, -¥1,234.50); "—" when missing."""
    value = to_float(x)
    if value is None:
        return MISSING
    symbol = CURRENCY_SYMBOLS.get(str(currency).upper())
    body = fmt_number(value, lang, decimals, compact)
    sign, body = ("-", body[1:]) if body.startswith("-") else ("", body)
    return f"{sign}{symbol}{body}" if symbol else f"{sign}{currency} {body}"


def fmt_percent(x, lang: str = "en", decimals: int = 1) -> str:
    """A ratio as a percentage (0.123 -> "12.3%"); "—" when missing."""
    value = to_float(x)
    if value is None:
        return MISSING
    return _plain(value * 100, decimals) + "%"


def fmt_change(ratio, decimals: int = 1) -> str:
    """A relative change as a signed percentage ("+12.3%", "−4.0%", "0.0%"); "—" when missing."""
    value = to_float(ratio)
    if value is None:
        return MISSING
    text = _plain(abs(value) * 100, decimals)
    if not text.strip("0.,"):
        return text + "%"
    return ("+" if value > 0 else MINUS) + text + "%"


def fmt_point_change(points, lang: str = "en", decimals: int = 1) -> str:
    """A change of a rate or a score in points ("+1.2 pts" / "+1.2 个百分点", "−0.5 pts"); "—" when missing."""
    value = to_float(points)
    if value is None:
        return MISSING
    text = _plain(abs(value), decimals)
    sign = "" if not text.strip("0.,") else "+" if value > 0 else MINUS
    return translate("unit.points", lang, value=sign + text)


def to_date(d) -> dt.date | None:
    """d (date, datetime, Timestamp, ISO string) as a date, or None when it is missing or unreadable."""
    if d is None or d is pd.NaT or isinstance(d, bool):
        return None
    if isinstance(d, dt.datetime):
        return d.date()
    if isinstance(d, dt.date):
        return d
    try:
        stamp = pd.Timestamp(d)
    except (TypeError, ValueError, OverflowError):
        return None
    return None if pd.isna(stamp) else stamp.date()


def fmt_date(d, lang: str = "en", style: str = "long") -> str:
    """A date: style "long" ("Mar 5, 2025" / "2025年3月5日"), "short" ("Mar 5" / "3月5日") or "iso"."""
    day = to_date(d)
    if day is None:
        return MISSING
    if style == "iso":
        return day.isoformat()
    zh = normalise_lang(lang) == "zh"
    if style == "short":
        return f"{day.month}月{day.day}日" if zh else f"{_MONTHS_EN[day.month - 1]} {day.day}"
    return f"{day.year}年{day.month}月{day.day}日" if zh else f"{_MONTHS_EN[day.month - 1]} {day.day}, {day.year}"


def fmt_duration_hours(h, lang: str = "en", decimals: int = 1) -> str:
    """A duration in hours ("3.5 h" / "3.5 小时"), in days above 48 hours ("2.5 d" / "2.5 天")."""
    value = to_float(h)
    if value is None:
        return MISSING
    if abs(value) > 48:
        return translate("unit.days", lang, value=_plain(value / 24, decimals))
    return translate("unit.hours", lang, value=_plain(value, decimals))
