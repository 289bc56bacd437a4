"""The one catalogue of user-facing strings in English and 简体中文, with pure lookup functions.

Strings live in one module per area beside this file (common, overview, sales, inventory, marketing,
satisfaction, upload, admin), each a STRINGS dict key -> (English, 简体中文); they are merged here once, and a
key defined twice is an error. Pages and components look strings up through components.lang.t().
"""

from __future__ import annotations

import string

from components.i18n import (
    admin,
    alerts,
    common,
    inventory,
    jobs,
    logistics,
    market,
    marketing,
    overview,
    sales,
    satisfaction,
    security,
    upload,
)
from data_access.schema import CHANNELS

LANGUAGES: dict[str, str] = {"en": "English", "zh": "简体中文"}
DEFAULT_LANG = "en"

ROLES = ("admin", "manager", "marketer", "analyst")

#: Metric ids; each has a "kpi.<id>" name and a "kpi.<id>.formula" text (DESIGN.md "Metric definitions").
KPI_IDS = (
    "net_sales", "orders", "aov", "units", "gross_margin", "margin_pct", "conversion_rate",
    "repurchase_rate", "returning_customer_rate", "return_rate", "sessions", "spend",
    "attributed_revenue", "new_customers", "ctr", "cpc", "cpm", "cpa", "roas", "cac",
    "blended_roas", "csat", "nps", "first_response_time", "resolution_time", "sla_breach_rate",
    "backlog", "days_of_cover", "sell_through", "safety_stock", "reorder_point", "suggested_order",
)

#: Page ids in navigation order; each has a "page.<id>" title.
PAGE_IDS = ("overview", "alerts", "sales", "inventory", "marketing", "satisfaction", "market", "upload", "admin")

#: Date presets of the filter bar; each has a "filter.preset.<id>" label.
DATE_PRESETS = ("today", "yesterday", "last_7_days", "last_30_days", "last_90_days", "month_to_date", "custom")

#: Demo-data product categories (stored in English) -> 中文.
CATEGORIES_ZH: dict[str, str] = {
    "Apparel": "服饰",
    "Beauty": "美妆",
    "Food & Grocery": "食品",
    "Home": "家居",
    "Electronics": "数码",
    "Baby & Kids": "母婴",
    "Sports": "运动",
    "Books": "图书",
}

#: Demo-data and tiny-shop regions of China (stored in English) -> 中文.
REGIONS_ZH: dict[str, str] = {
    "East": "华东",
    "North": "华北",
    "South": "华南",
    "Southwest": "西南",
    "Central": "华中",
    "Northwest": "西北",
    "Northeast": "东北",
}

#: key -> (English, 简体中文). Placeholders use str.format names and must match in both languages.
STRINGS: dict[str, tuple[str, str]] = {}
AREAS = (common, overview, alerts, sales, inventory, marketing, satisfaction, market, logistics, upload, admin, jobs,
         security)


def _add_channel_labels() -> None:
    """Channel labels come from the schema vocabulary so there is one source for them."""
    for channel_id, (en, zh) in CHANNELS.items():
        STRINGS[f"channel.{channel_id}"] = (en, zh)


def _add_area_catalogues() -> None:
    """Merge the per-area catalogues; a key defined twice is a bug, not an override."""
    for part in AREAS:
        clash = STRINGS.keys() & part.STRINGS.keys()
        if clash:
            raise RuntimeError(f"{part.__name__} redefines catalogue keys: {sorted(clash)}")
        STRINGS.update(part.STRINGS)


_add_area_catalogues()
_add_channel_labels()

_LANG_INDEX = {"en": 0, "zh": 1}


class _KeepMissing(dict):
    """A format mapping that leaves unknown placeholders visible instead of raising."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def normalise_lang(lang: str | None) -> str:
    """A supported language code for lang ("zh-CN", "ZH", "zh_Hans" -> "zh"), else English."""
    code = str(lang or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANG


def keys() -> list[str]:
    """Every catalogue key, sorted."""
    return sorted(STRINGS)


def has_key(key: str) -> bool:
    """Whether key is in the catalogue."""
    return key in STRINGS


def template(key: str, lang: str) -> str:
    """The unformatted text of key in lang, falling back to English, then to the key itself."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry[_LANG_INDEX[normalise_lang(lang)]]
    return text or entry[0] or key


def placeholders(text: str) -> set[str]:
    """The named placeholders in a format template."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return set()


def translate(key: str, lang: str, **fmt) -> str:
    """The text of key in lang with fmt filled in; never raises on a missing key or placeholder."""
    text = template(key, lang)
    if not fmt:
        return text
    try:
        return text.format_map(_KeepMissing(fmt))
    except (ValueError, TypeError, IndexError, AttributeError):
        # A format spec that does not fit the value: the unformatted text beats a crash.
        return text


def channel_label(channel_id: str, lang: str) -> str:
    """The label of a channel id in lang; unknown ids are returned as they are."""
    key = f"channel.{channel_id}"
    return translate(key, lang) if key in STRINGS else str(channel_id)


def column_label(column: str, lang: str) -> str:
    """The header for a DataFrame column ("col.<column>"); unknown columns are returned as they are."""
    key = f"col.{column}"
    return translate(key, lang) if key in STRINGS else str(column)


def category_label(category: str | None, lang: str) -> str:
    """The label of a product category in lang; unknown categories are returned as they are, a missing one
    ("", None or NaN: products without a category) as "Uncategorised"."""
    if not isinstance(category, str) or category == "":
        return translate("category.uncategorised", lang)
    if normalise_lang(lang) == "zh":
        return CATEGORIES_ZH.get(category, category)
    return category


def region_label(region: str | None, lang: str) -> str:
    """The label of a region in lang; unknown regions are returned as they are, a missing one as "—"."""
    if not isinstance(region, str) or region == "":
        return "—"
    return REGIONS_ZH.get(region, region) if normalise_lang(lang) == "zh" else region


def _given(name) -> bool:
    return isinstance(name, str) and name.strip() != ""


def data_name(name, name_zh, lang: str, fallback=None):
    """The display name of a name from data (a store, a product): in Chinese its Chinese name where the data
    has one, else the name; a missing or empty name shows fallback (an id) where one is given. The one rule:
    components.names applies it to columns, alert titles to single names."""
    if normalise_lang(lang) == "zh" and _given(name_zh):
        return name_zh
    return name if _given(name) or fallback is None else fallback


def code_label(vocabulary: str, code, lang: str, missing: str = "—") -> str:
    """The label of a stored code of one vocabulary ("ticket_category", "priority", "status", "audit", ...) from
    the catalogue key <vocabulary>.<code>; a code the catalogue does not know is shown as it is, a missing one
    (None, NaN, "") as `missing`."""
    if code is None or (isinstance(code, float) and code != code) or code == "":
        return missing
    key = f"{vocabulary}.{code}"
    return translate(key, lang) if key in STRINGS else str(code)


def role_label(role: str, lang: str) -> str:
    """The label of a role in lang; unknown roles are returned as they are."""
    return translate(f"role.{role}", lang) if role in ROLES else str(role)


def country_label(code: str, lang: str) -> str:
    """A country code's name in lang with the code ('GB' -> 'United Kingdom (GB)' / '英国 (GB)'), from Babel's
    locale data; the code alone where Babel has no name for it."""
    from babel import Locale  # imported on use: only the admin page's country setting needs it

    name = Locale.parse("zh_Hans_CN" if lang == "zh" else "en").territories.get(str(code).upper())
    return f"{name} ({code})" if name else str(code)


def page_title(page_id: str, lang: str) -> str:
    """The title of a page id (see PAGE_IDS) in lang."""
    return translate(f"page.{page_id}", lang)


def kpi_label(kpi_id: str, lang: str) -> str:
    """The display name of a KPI id (see KPI_IDS) in lang."""
    return translate(f"kpi.{kpi_id}", lang)


def kpi_formula(kpi_id: str, lang: str) -> str:
    """The formula text of a KPI id in lang, or "" when it has none."""
    key = f"kpi.{kpi_id}.formula"
    return translate(key, lang) if key in STRINGS else ""
