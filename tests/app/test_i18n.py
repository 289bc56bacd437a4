"""Tests for the string catalogue, the language helpers and the formatting functions."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components import formatting as f
from components import i18n
from data_access.schema import CHANNELS

CJK = re.compile(r"[\u3400-\u9fff]")


# ---------------------------------------------------------------- catalogue


def test_every_key_has_english_and_chinese():
    for key, entry in i18n.STRINGS.items():
        assert len(entry) == 2, key
        en, zh = entry
        assert en.strip() and zh.strip(), key


def test_chinese_strings_contain_cjk():
    missing = [key for key, (_, zh) in i18n.STRINGS.items() if not CJK.search(zh)]
    assert missing == []


def test_placeholders_match_between_languages():
    for key, (en, zh) in i18n.STRINGS.items():
        assert i18n.placeholders(en) == i18n.placeholders(zh), key


@pytest.mark.parametrize("kpi", i18n.KPI_IDS)
def test_every_kpi_has_name_and_formula(kpi):
    for lang in i18n.LANGUAGES:
        assert i18n.has_key(f"kpi.{kpi}") and i18n.has_key(f"kpi.{kpi}.formula")
        assert "=" in i18n.kpi_formula(kpi, lang)
        assert i18n.kpi_label(kpi, lang) != f"kpi.{kpi}"


def test_formulas_follow_the_metric_definitions():
    assert i18n.kpi_formula("aov", "zh") == "客单价 = 净销售额 / 订单数"
    assert i18n.kpi_formula("cpm", "en") == "CPM = spend / impressions × 1000"
    assert "28" in i18n.kpi_formula("days_of_cover", "en")
    assert "9–10" in i18n.kpi_formula("nps", "zh") and "0–6" in i18n.kpi_formula("nps", "zh")
    assert i18n.kpi_formula("no_such_kpi", "en") == ""


def test_required_labels():
    zh_pages = ["今日概览", "预警中心", "销售分析", "库存预测", "营销分析", "客户满意度", "市场与竞品", "数据上传",
                "管理"]
    assert [i18n.page_title(p, "zh") for p in i18n.PAGE_IDS] == zh_pages
    assert [i18n.role_label(r, "zh") for r in i18n.ROLES] == ["管理员", "店长", "营销", "分析师"]
    for preset in i18n.DATE_PRESETS:
        assert i18n.has_key(f"filter.preset.{preset}")
    for key in ("filter.store", "filter.channel", "filter.category", "msg.no_data", "msg.access_denied",
                "overview.yesterday_vs_last_week", "overview.vs_7day_avg", "overview.top_movers_up",
                "overview.top_movers_down", "overview.stockout_risk", "overview.tickets_past_sla",
                "overview.lowest_reviews", "auth.login", "auth.logout"):
        assert i18n.has_key(key), key
    assert i18n.kpi_label("aov", "zh") == "客单价"
    assert i18n.kpi_label("conversion_rate", "zh") == "转化率"
    assert i18n.kpi_label("repurchase_rate", "zh") == "复购率"


def test_channel_labels_come_from_the_schema():
    for channel_id, (en, zh) in CHANNELS.items():
        assert i18n.channel_label(channel_id, "en") == en
        assert i18n.channel_label(channel_id, "zh") == zh
    assert i18n.channel_label("carrier_pigeon", "zh") == "carrier_pigeon"


def test_category_and_role_labels():
    assert i18n.category_label("Food & Grocery", "zh") == "食品"
    assert i18n.category_label("Baby & Kids", "zh") == "母婴"
    assert i18n.category_label("Food & Grocery", "en") == "Food & Grocery"
    assert i18n.category_label("Garden", "zh") == "Garden"
    assert i18n.role_label("wizard", "zh") == "wizard"
    assert i18n.column_label("days_of_cover", "zh") == "可售天数"
    assert i18n.column_label("mystery_column", "zh") == "mystery_column"


# ---------------------------------------------------------------- translate


def test_translate_formats_in_both_languages():
    assert i18n.translate("auth.too_many_attempts", "en", minutes=15) == (
        "Too many failed attempts, try again in 15 minutes."
    )
    assert "15 分钟" in i18n.translate("auth.too_many_attempts", "zh", minutes=15)


def test_translate_fallbacks_never_raise():
    assert i18n.translate("no.such.key", "zh") == "no.such.key"
    assert i18n.translate("no.such.key", "zh", n=1) == "no.such.key"
    assert i18n.translate("msg.no_data", "fr") == "No data for this selection"
    assert i18n.translate("msg.no_data", None) == "No data for this selection"
    assert i18n.translate("msg.no_data", "zh-CN") == "当前筛选条件下没有数据"
    assert i18n.translate("table.rows", "zh") == "共 {n} 行"
    assert i18n.translate("table.rows", "en", other=1) == "{n} rows"
    assert i18n.translate("msg.no_data", "en", unused="x") == "No data for this selection"


def test_translate_falls_back_to_english_when_chinese_is_empty(monkeypatch):
    monkeypatch.setitem(i18n.STRINGS, "test.only", ("English only", ""))
    assert i18n.translate("test.only", "zh") == "English only"


# ---------------------------------------------------------------- formatting

MISSING_VALUES = [None, float("nan"), np.nan, pd.NA, pd.NaT, float("inf"), -float("inf"), "abc", [1, 2], object()]


@pytest.mark.parametrize("value", MISSING_VALUES)
def test_missing_values_format_as_dash(value):
    for lang in ("en", "zh"):
        assert f.fmt_number(value, lang) == "—"
        assert f.fmt_number(value, lang, compact=True) == "—"
        assert f.fmt_money(value, lang) == "—"
        assert f.fmt_percent(value, lang) == "—"
        assert f.fmt_duration_hours(value, lang) == "—"
        assert f.fmt_date(value, lang) == "—"
    assert f.fmt_change(value) == "—"


def test_fmt_number():
    assert f.fmt_number(1234567, "en") == "1,234,567"
    assert f.fmt_number(1234.5678, "zh", decimals=2) == "1,234.57"
    assert f.fmt_number(2.5, "en") == "3"  # half up, as people round
    assert f.fmt_number(-1234.5, "en") == "-1,235"
    assert f.fmt_number(-0.0001, "en", decimals=2) == "0.00"
    assert f.fmt_number(np.int64(42), "en") == "42"
    assert f.fmt_number(Decimal("1234.50"), "en", decimals=1) == "1,234.5"


def test_fmt_number_compact():
    assert f.fmt_number(12_345_678, "zh", compact=True) == "1,235万"  # 4 digits: no decimals
    assert f.fmt_number(1_234_567, "zh", compact=True) == "123.46万"
    assert f.fmt_number(12_345_678, "en", compact=True) == "12.3M"
    assert f.fmt_number(250_000_000, "zh", compact=True) == "2.50亿"
    assert f.fmt_number(1_500, "en", compact=True) == "1.5K"
    assert f.fmt_number(9_999, "zh", compact=True) == "9,999"
    assert f.fmt_number(-12_345_678, "en", compact=True) == "-12.3M"
    assert f.fmt_number(3e12, "en", compact=True) == "3.0T"


def test_fmt_number_huge_does_not_raise():
    assert f.fmt_number(1e300, "en").startswith("1,000")
    assert f.fmt_number(1e300, "zh", compact=True).endswith("万亿")
    assert f.fmt_number(10**400, "en") == "—"  # too big for a float


def test_fmt_money():
    assert f.fmt_money(1234.5, "en") == "¥1,234.50"
    assert f.fmt_money(-1234.5, "zh") == "-¥1,234.50"
    assert f.fmt_money(1234.5, "en", currency="USD") == "$1,234.50"
    assert f.fmt_money(1234.5, "en", currency="CHF") == "CHF 1,234.50"
    assert f.fmt_money(12_345_678, "zh", compact=True) == "¥1,235万"
    assert f.fmt_money(12_345_678, "en", compact=True) == "¥12.3M"
    assert f.fmt_money(-0.001, "en") == "¥0.00"


def test_fmt_percent_and_change():
    assert f.fmt_percent(0.123, "en") == "12.3%"
    assert f.fmt_percent(0.5, "zh", decimals=0) == "50%"
    assert f.fmt_percent(-0.04, "en") == "-4.0%"
    assert f.fmt_change(0.123) == "+12.3%"
    assert f.fmt_change(-0.04) == "\u22124.0%"
    assert f.fmt_change(0) == "0.0%"
    assert f.fmt_change(-0.00001) == "0.0%"
    assert f.fmt_change(12.5) == "+1,250.0%"


def test_fmt_date():
    day = dt.date(2025, 3, 5)
    assert f.fmt_date(day, "en") == "Mar 5, 2025"
    assert f.fmt_date(day, "zh") == "2025年3月5日"
    assert f.fmt_date(day, "en", style="iso") == "2025-03-05"
    assert f.fmt_date(day, "zh", style="short") == "3月5日"
    assert f.fmt_date(dt.datetime(2025, 3, 5, 23, 59), "en") == "Mar 5, 2025"
    assert f.fmt_date(pd.Timestamp("2025-03-05"), "zh") == "2025年3月5日"
    assert f.fmt_date("2025-03-05", "en") == "Mar 5, 2025"
    assert f.fmt_date("not a date", "en") == "—"


def test_fmt_duration_hours():
    assert f.fmt_duration_hours(3.5, "en") == "3.5 h"
    assert f.fmt_duration_hours(3.5, "zh") == "3.5 小时"
    assert f.fmt_duration_hours(48, "en") == "48.0 h"
    assert f.fmt_duration_hours(60, "en") == "2.5 d"
    assert f.fmt_duration_hours(60, "zh") == "2.5 天"


def test_to_float_rejects_non_finite():
    assert f.to_float(True) is None
    assert f.to_float("1.5") == 1.5
    assert math.isclose(f.to_float(np.float32(0.5)), 0.5)


# ---------------------------------------------------------------- Streamlit helpers


def _switcher_app():
    import streamlit as st

    from components.lang import language_switcher, t

    def remember(lang):
        st.session_state["remembered"] = lang

    language_switcher(on_change=remember)
    st.title(t("page.overview"))


def test_language_switcher_defaults_to_english_and_switches():
    at = AppTest.from_function(_switcher_app).run()
    assert at.title[0].value == "Daily overview"
    at.sidebar.selectbox[0].set_value("zh").run()
    assert at.title[0].value == "今日概览"
    assert at.session_state["lang"] == "zh"
    assert at.session_state["remembered"] == "zh"


def test_language_comes_from_query_param():
    at = AppTest.from_function(_switcher_app)
    at.query_params["lang"] = "zh"
    at.run()
    assert at.title[0].value == "今日概览"
