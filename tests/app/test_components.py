"""Pure parts of components/: scope rule, date presets, overview maths, KPI changes, charts, i18n coverage."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from components import charts, i18n
from components.date_presets import PRESETS, preset_range
from components.kpi import change_ratio, format_value
from components.overview.logic import align_comparison, day_vs_last_week, stockout_risk
from components.sales.logic import partial_buckets
from components.scope import effective_stores
from components.text import escape_markdown

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("allowed, picked, expected", [
    (None, None, None),  # admin, nothing picked: every store
    (None, ["S2", "S1"], ("S1", "S2")),
    (("S1",), None, ("S1",)),  # scoped, nothing picked: the whole scope
    (("S1", "S3"), ["S3", "S2"], ("S3",)),  # a pick outside the scope is dropped
    (("S1",), ["S2"], ("S1",)),  # only outside picks: never wider than the scope, never None
    ((), ["S1"], ()),  # no stores at all stays empty
])
def test_effective_stores(allowed, picked, expected):
    assert effective_stores(allowed, picked) == expected


@pytest.mark.parametrize("preset, expected", [
    ("today", (date(2025, 3, 5), date(2025, 3, 5))),
    ("yesterday", (date(2025, 3, 4), date(2025, 3, 4))),
    ("last_7_days", (date(2025, 2, 26), date(2025, 3, 4))),
    ("last_30_days", (date(2025, 2, 3), date(2025, 3, 4))),
    ("last_90_days", (date(2024, 12, 5), date(2025, 3, 4))),
    ("month_to_date", (date(2025, 3, 1), date(2025, 3, 5))),
])
def test_preset_ranges(preset, expected):
    assert preset_range(preset, date(2025, 3, 5)) == expected


def test_custom_preset_has_no_fixed_range():
    assert "custom" in PRESETS
    with pytest.raises(ValueError):
        preset_range("custom", date(2025, 3, 5))


def _daily(values: dict[str, list]) -> pd.DataFrame:
    days = pd.date_range("2025-03-01", periods=8)
    return pd.DataFrame({"day": days, **values})


def test_day_vs_last_week():
    daily = _daily({"net_sales": [70, 10, 10, 10, 10, 10, 10, 100], "orders": [7, 1, 1, 1, 1, 1, 1, 4],
                    "units": [7, 1, 1, 1, 1, 1, 1, 4], "sessions": [100, 0, 0, 0, 0, 0, 100, 80],
                    "aov": [10, 10, 10, 10, 10, 10, 10, 25], "conversion_rate": [0.07] + [np.nan] * 5 + [0.01, 0.05]})
    got = day_vs_last_week(daily, date(2025, 3, 8)).set_index("kpi")
    assert got.at["net_sales", "value"] == 100 and got.at["net_sales", "last_week"] == 70
    assert got.at["net_sales", "avg_7d"] == pytest.approx(130 / 7)
    assert got.at["aov", "avg_7d"] == pytest.approx(130 / 13)  # from summed parts, not a mean of means
    assert got.at["conversion_rate", "avg_7d"] == pytest.approx(13 / 200)
    assert got.at["conversion_rate", "value"] == pytest.approx(0.05)


def test_day_vs_last_week_with_missing_history():
    daily = _daily({k: [0] * 8 for k in ("net_sales", "orders", "units", "sessions", "aov", "conversion_rate")})
    got = day_vs_last_week(daily.iloc[-1:], date(2025, 3, 8)).set_index("kpi")
    assert math.isnan(got.at["net_sales", "last_week"]) and math.isnan(got.at["aov", "avg_7d"])


def test_align_comparison_moves_previous_onto_current_dates():
    prev = pd.DataFrame({"day": pd.to_datetime(["2025-02-26", "2025-02-28"]), "net_sales": [4, 6]})
    got = align_comparison(prev, timedelta(days=3), "net_sales")
    assert list(got["day"]) == list(pd.to_datetime(["2025-03-01", "2025-03-03"]))
    assert list(got["net_sales"]) == [4, 6] and list(got["compare_x"]) == list(prev["day"])
    assert align_comparison(prev.iloc[:0], timedelta(days=3), "net_sales").empty


def test_stockout_risk_keeps_selling_items_below_lead_time():
    stock = pd.DataFrame({"sku": ["a", "b", "c", "d"], "avg_daily_units": [1.0, 1.0, 0.0, 2.0],
                          "days_of_cover": [3.0, 30.0, np.nan, 0.0], "lead_time_days": [7, 7, 7, 7]})
    assert list(stockout_risk(stock)["sku"]) == ["d", "a"]


@pytest.mark.parametrize("value, base, expected", [
    (110, 100, 0.1), (90, 100, -0.1), (5, 0, None), (None, 1, None), (float("nan"), 1, None), (-5, -10, 0.5)])
def test_change_ratio(value, base, expected):
    got = change_ratio(value, base)
    assert got == (pytest.approx(expected) if expected is not None else None)


def test_format_value_by_kind():
    assert format_value("net_sales", 1234.5, "en") == "¥1,234.50"
    assert format_value("conversion_rate", 0.0123, "en") == "1.23%"
    assert format_value("orders", 12, "zh") == "12"


def test_trend_chart_layers_current_and_comparison():
    cur = pd.DataFrame({"day": pd.date_range("2025-03-01", periods=3), "net_sales": [1.0, 2.0, 3.0]})
    prev = align_comparison(cur.assign(day=cur["day"] - pd.Timedelta(days=3)), timedelta(days=3), "net_sales")
    spec = charts.trend_with_comparison(cur, prev, x="day", y="net_sales", y_title="Net sales",
                                        current_label="This", comparison_label="Before").to_dict()
    assert spec["encoding"]["x"]["field"] == "day" and spec["encoding"]["y"]["title"] == "Net sales"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["This", "Before"]
    assert spec["config"]["font"].startswith("Noto Sans CJK")
    data = next(iter(spec["datasets"].values()))
    assert sorted({row["series"] for row in data}) == ["Before", "This"] and len(data) == 6


def test_ranked_bars_colour_by_sign():
    df = pd.DataFrame({"label": ["a", "b"], "change": [5.0, -3.0]})
    spec = charts.ranked_bars(df, category="label", value="change", value_title="Δ", color_by_sign=True).to_dict()
    assert spec["encoding"]["y"]["sort"] == "-x"
    assert "condition" in spec["encoding"]["color"]


def test_escape_markdown_renders_text_literally():
    assert escape_markdown("**bold** [x](http://e.vil) <b>") == r"\*\*bold\*\* \[x\]\(http\://e\.vil\) \<b\>"


def _static_keys() -> set[str]:
    keys = set()
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("components/*.py"), ROOT / "app.py"]:
        keys |= set(re.findall(r"\bt\(\s*\"([a-z_.0-9]+)\"", path.read_text(encoding="utf-8")))
    return keys


def test_every_string_the_ui_asks_for_is_in_the_catalogue():
    dynamic = {f"filter.preset.{p}" for p in PRESETS} | {f"sla.{b}" for b in ("first_response", "resolution")}
    dynamic |= {f"col.{c}" for c in ("store_id", "sku", "name", "on_hand", "on_order", "avg_daily_units",
                                     "days_of_cover", "lead_time_days", "ticket_id", "category", "priority",
                                     "created_at", "age_hours", "breach", "change", "username", "role", "stores",
                                     "lang", "at", "action", "detail")}
    dynamic |= {f"nav.section.{s}" for s in ("daily", "analysis", "data")}
    missing = sorted(k for k in _static_keys() | dynamic if not i18n.has_key(k))
    assert missing == []


def test_partial_buckets_are_the_cut_weeks_and_months():
    weeks = pd.DataFrame({"period_start": pd.to_datetime(["2024-12-30", "2025-01-06", "2025-03-03"])})
    cut = partial_buckets(weeks, date(2025, 1, 1), date(2025, 3, 4), "week")
    # Wed 1 Jan leaves 5 of the week of 30 Dec; Tue 4 Mar leaves 2 of the week of 3 Mar; 6 Jan is whole.
    assert list(cut["period_start"].dt.strftime("%m-%d")) == ["12-30", "03-03"]
    assert list(cut["days_covered"]) == [5, 2] and list(cut["days_in_bucket"]) == [7, 7]
    months = pd.DataFrame({"period_start": pd.to_datetime(["2024-02-01", "2024-03-01"])})
    cut = partial_buckets(months, date(2024, 2, 1), date(2024, 3, 30), "month")
    assert list(cut["days_covered"]) == [30] and list(cut["days_in_bucket"]) == [31]  # leap February is whole
    assert partial_buckets(weeks, date(2025, 1, 1), date(2025, 3, 4), "day").empty


def test_missing_category_reads_uncategorised():
    assert i18n.category_label("", "en") == "Uncategorised" and i18n.category_label(None, "zh") == "未分类"
    assert i18n.category_label(float("nan"), "en") == "Uncategorised"
    assert i18n.category_label("Beauty", "zh") == "美妆"
