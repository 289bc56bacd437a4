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
    # Whole yuan from 1,000 and compact from 100,000, so a card in a row of five never cuts the figure off.
    assert format_value("net_sales", 999.5, "en") == "¥999.50"
    assert format_value("net_sales", 1234.5, "en") == "¥1,235"
    assert format_value("net_sales", 443_300, "zh") == "¥44.33万"
    assert format_value("net_sales", 443_300, "en") == "¥443.3K"
    assert format_value("conversion_rate", 0.0123, "en") == "1.23%"
    assert format_value("orders", 12, "zh") == "12"


def test_rate_and_score_changes_are_in_points():
    from components.kpi import change_text

    assert change_text("margin_pct", 0.4612, 0.60, "en") == "\u221213.9 pts"  # 46.12% after 60.00%
    assert change_text("conversion_rate", 0.05, 0.0, "zh") == "+5.0 个百分点"  # from zero: still a figure
    assert change_text("nps", 42.0, 30.0, "en", kind="score") == "+12.0 pts"
    assert change_text("net_sales", 110.0, 100.0, "en") == "+10.0%"
    assert change_text("margin_pct", None, 0.5, "en") == "—"


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


def test_ranked_bars_keep_the_top_and_sum_the_rest_as_other():
    df = pd.DataFrame({"label": [f"Store {i:02d}" for i in range(15)],
                       "net_sales": [float(100 - i) for i in range(15)]})
    spec = charts.ranked_bars(df, category="label", value="net_sales", value_title="Net sales",
                              other_label="Other").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == charts.TOP_BARS and [r["label"] for r in rows][:2] == ["Store 00", "Store 01"]
    # the 11 largest (100..90) shown; the other four (89..86) add up to 350
    assert rows[-1] == {"label": "Other", "net_sales": 89.0 + 88 + 87 + 86}
    assert sum(r["net_sales"] for r in rows) == df["net_sales"].sum()
    axis = spec["encoding"]["y"]["axis"]
    assert axis["labelOverlap"] is False and "substring" in axis["labelExpr"]  # every label, long ones wrapped
    assert spec["height"] == charts.bars_height(charts.TOP_BARS)
    few = charts.top_with_other(df.head(5), category="label", value="net_sales", other_label="Other")
    assert few.equals(df.head(5))


def test_category_bars_show_every_label():
    df = pd.DataFrame({"key": list("ABCDEFGH"), "label": [f"Category {c}" for c in "ABCDEFGH"],
                       "net_sales": [8.0, 7, 6, 5, 4, 3, 2, 1]})
    spec = charts.selectable_bars(df, category="key", label="label", value="net_sales", value_title="Net sales",
                                  selection_name="pick").to_dict()
    assert spec["encoding"]["y"]["axis"]["labelOverlap"] is False
    assert spec["height"] >= charts.ROW_HEIGHT * 8  # a row per bar: Vega hides labels on thinner rows


def test_cohort_heatmap_keeps_the_newest_24_rows_at_a_fixed_row_height():
    months = pd.period_range("2023-01", periods=30, freq="M").astype(str)
    df = pd.DataFrame([(m, k, 1 / (k + 1)) for m in months for k in range(3)],
                      columns=["cohort", "month_index", "retention"])
    spec = charts.heatmap(df, x="month_index", y="cohort", value="retention", x_title="k", y_title="cohort",
                          value_title="retention").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert sorted({r["cohort"] for r in rows}) == list(months[-24:])
    assert spec["height"] == {"step": charts.HEATMAP_ROW_HEIGHT}
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelOverlap"] is False
    wide = pd.DataFrame([("2025-01", k, 0.5) for k in range(20)], columns=["cohort", "month_index", "retention"])
    assert "layer" not in charts.heatmap(wide, x="month_index", y="cohort", value="retention", x_title="k",
                                         y_title="c", value_title="r").to_dict()  # values in the tooltip only


def test_display_names_of_stores_regions_and_codes():
    from components.i18n import code_label, region_label
    from components.names import store_names_from

    rows = pd.DataFrame({"store_id": ["S1", "S2", "S3"], "name": ["Shanghai Flagship", "Beijing Sanlitun", None],
                         "name_zh": ["上海旗舰店", None, None]})
    assert store_names_from(rows, "zh") == {"S1": "上海旗舰店", "S2": "Beijing Sanlitun", "S3": "S3"}
    assert store_names_from(rows, "en") == {"S1": "Shanghai Flagship", "S2": "Beijing Sanlitun", "S3": "S3"}
    assert region_label("Southwest", "zh") == "西南" and region_label("Southwest", "en") == "Southwest"
    assert region_label("Atlantis", "zh") == "Atlantis" and region_label(None, "zh") == "—"
    assert code_label("ticket_category", "quality", "zh") == "质量问题"
    assert code_label("priority", "high", "en") == "High" and code_label("priority", "odd", "zh") == "odd"
    assert code_label("priority", float("nan"), "zh") == "—"


def test_table_cells_write_midnight_timestamps_as_dates():
    from components.tables import format_cell

    assert format_cell(pd.Timestamp("2025-07-01"), None, "en") == "2025-07-01"
    assert format_cell(pd.Timestamp("2025-07-01 10:30"), None, "en") == "2025-07-01 10:30:00"
    assert format_cell(None, None, "zh") == "—" and format_cell(float("nan"), None, "en") == "—"


def test_chinese_value_axes_abbreviate_in_wan_and_yi():
    zh = charts.compact_axis("zh").to_dict()
    assert "万" in zh["labelExpr"] and "亿" in zh["labelExpr"] and "format" not in zh  # never Vega's "2k"
    assert charts.compact_axis("en").to_dict() == {"format": "~s"}


def test_long_bar_labels_wrap_and_the_tooltip_keeps_the_full_name():
    long = "Premium Insulated Stainless Steel Vacuum Bottle 1L"  # past the 24 characters a line holds
    df = pd.DataFrame({"label": [long, "Cup"], "net_sales": [2.0, 1.0]})
    spec = charts.ranked_bars(df, category="label", value="net_sales", value_title="Net sales").to_dict()
    assert spec["encoding"]["tooltip"][0]["field"] == "label"  # the full name, as in the data
    assert long in {row["label"] for row in next(iter(spec["datasets"].values()))}
    axis = spec["encoding"]["y"]["axis"]
    assert axis["labelOverlap"] is False and "labelExpr" in axis and axis.get("labelLimit", 0) >= 300


def test_the_first_table_column_is_pinned():
    from streamlit.testing.v1 import AppTest

    def script():
        import pandas as pd

        from components.tables import data_table

        data_table(pd.DataFrame({"name": ["Cup"], "on_hand": [3], "sku": ["P1"]}), key="pin", file_stem="pin")

    import json

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception, at.exception

    config = json.loads(at.dataframe[0].proto.columns)
    pinned = [label for label, column in config.items() if column.get("pinned")]
    assert pinned == ["Name"]  # the row's key, and only it


def test_true_false_cells_read_as_words_and_regions_as_names_in_chinese():
    from components.logistics.logic import key_label
    from components.tables import yes_no_words

    flags = yes_no_words(pd.DataFrame({"promotion": [True, False], "n": [1, 2]}), "zh")
    assert list(flags["promotion"]) == ["是", "否"] and list(flags["n"]) == [1, 2]
    assert list(yes_no_words(pd.DataFrame({"own": [False]}), "en")["own"]) == ["no"]
    assert key_label("region", pd.Series({"key": "Southwest", "name": "Southwest", "name_zh": "Southwest"}),
                     "zh") == "西南"
    from components.logistics.logic import STUCK_COLUMNS, stuck_table

    stuck = pd.DataFrame([{**dict.fromkeys(STUCK_COLUMNS), "order_id": "O1", "store_id": "S1", "store_name": "A",
                           "store_name_zh": "甲店", "channel": "direct", "region": "Southwest",
                           "stage": "in_transit", "past_promise": False}])
    shown = stuck_table(stuck, "zh").iloc[0]
    assert shown["region"] == "西南" and shown["store"] == "甲店 (S1)"


def _counted_bars(calls: list):
    def bars(frame: pd.DataFrame, *, value_title: str):
        calls.append(value_title)
        return charts.ranked_bars(frame, category="label", value="change", value_title=value_title)

    return bars


def test_chart_cache_returns_the_same_spec_and_builds_once(monkeypatch):
    from components import chart_render

    chart_render.clear()
    monkeypatch.setattr(chart_render, "current_lang", lambda: "en")
    calls: list = []
    bars = _counted_bars(calls)
    frame = pd.DataFrame({"label": ["a", "b"], "change": [5.0, -3.0]})
    first = chart_render.chart_spec(bars, frame, value_title="Change")
    second = chart_render.chart_spec(bars, frame.copy(), value_title="Change")  # equal rows, another object
    assert first == second and calls == ["Change"]
    assert first["datasets"] and all(isinstance(v, bytes) for v in first["datasets"].values())  # Arrow, as st makes
    first["encoding"]["x"]["title"] = "changed by a caller"  # callers get copies
    assert chart_render.chart_spec(bars, frame, value_title="Change")["encoding"]["x"]["title"] == "Change"


def test_chart_cache_builds_again_for_other_data_labels_or_language(monkeypatch):
    from components import chart_render

    chart_render.clear()
    lang = {"now": "en"}
    monkeypatch.setattr(chart_render, "current_lang", lambda: lang["now"])
    calls: list = []
    bars = _counted_bars(calls)
    frame = pd.DataFrame({"label": ["a", "b"], "change": [5.0, -3.0]})
    base = chart_render.chart_spec(bars, frame, value_title="Change")
    other_rows = chart_render.chart_spec(bars, frame.assign(change=[5.0, -4.0]), value_title="Change")
    other_dtype = chart_render.chart_spec(bars, frame.astype({"change": "float32"}), value_title="Change")
    other_label = chart_render.chart_spec(bars, frame, value_title="变化")
    lang["now"] = "zh"
    chart_render.chart_spec(bars, frame, value_title="Change")
    assert len(calls) == 5  # every one built anew
    assert other_rows["datasets"] != base["datasets"] and other_dtype["datasets"] != base["datasets"]
    assert other_label["encoding"]["x"]["title"] == "变化"


def test_chart_cache_builds_uncached_what_it_cannot_fingerprint(monkeypatch):
    from components import chart_render

    chart_render.clear()
    monkeypatch.setattr(chart_render, "current_lang", lambda: "en")
    calls: list = []

    def bars(frame: pd.DataFrame, scale: object):
        calls.append(1)
        return charts.ranked_bars(frame, category="label", value="change", value_title="x")

    frame = pd.DataFrame({"label": ["a"], "change": [1.0]})
    opaque = object()  # its repr names only an address: never a key
    chart_render.chart_spec(bars, frame, opaque)
    chart_render.chart_spec(bars, frame, opaque)
    listed = pd.DataFrame({"label": ["a"], "change": [1.0], "tags": [["x"]]})  # cells with no faithful repr
    chart_render.chart_spec(bars, listed, None)
    chart_render.chart_spec(bars, listed, None)
    assert len(calls) == 4
