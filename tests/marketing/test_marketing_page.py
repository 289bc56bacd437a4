"""The marketing page in AppTest: KPI cards, the channel and campaign tabs and the A/B calculator on the hand-made
shop of tests/marketing/test_marketing.py (figures worked out there), the small demo shop, and the Robyn data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components.i18n import translate
from data_access.sources import robyn
from tests.conftest import REAL_DATA
from tests.marketing.test_marketing import load_shop
from tests.support import apptest_helpers as h
from tests.support import fixtures

TABS = {"channels": "marketing.channels", "campaigns": "marketing.campaigns", "ab": "marketing.ab_test"}


shop_app = fixtures.shop_app(load_shop, "marketing_app")


shop_env = fixtures.app_env("shop_app")


def page(username="admin", start="2025-03-01", end="2025-03-10", tab=None, session=None, **params):
    at = h.logged_in("pages/marketing.py", username, timeout=180)
    at.query_params.update({"preset": "custom", "from": start, "to": end, **params})
    lang = params.get("lang", "en")
    if tab:
        at.session_state[f"marketing_tab_{lang}"] = translate(TABS[tab], lang)
    for key, value in (session or {}).items():
        at.session_state[key] = value
    return at.run()


def open_tab(at, tab: str, lang: str = "en"):
    at.session_state[f"marketing_tab_{lang}"] = translate(TABS[tab], lang)
    return at.run()


def values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at, column: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_cards_with_formulas_and_the_rules_stated(shop_env):
    at = page()
    assert not at.exception, at.exception
    got = values(at)
    # spend 125, revenue 173 (9 orders), 6 new customers; previous period: spend 25
    assert got == {"Spend": "¥125.00", "Revenue": "¥173.00", "Blended ROAS (MER)": "1.38", "Orders": "9",
                   "New customers": "6", "Blended CAC": "¥20.83"}
    spend = next(m for m in at.metric if m.label == "Spend")
    assert spend.delta == "+400.0%" and spend.proto.help == "Spend = sum of marketing spend"
    mer = next(m for m in at.metric if m.label == "Blended ROAS (MER)")
    assert mer.proto.help == "Blended ROAS (MER) = total revenue / total spend"
    text = h.all_text(at)
    assert "Attribution: last non-direct touch as the order records it" in text
    assert "Ad spend is recorded for the whole shop" not in text


def test_channel_table_and_charts(shop_env):
    at = page(tab="channels")
    assert not at.exception, at.exception
    channels = table_with(at, "Attributed revenue").set_index("Channel")
    assert list(channels.index) == ["Paid social", "Paid search", "Display", "Direct", "Email"]
    assert channels.at["Paid search", "ROAS"] == pytest.approx(48 / 50)
    assert channels.at["Paid search", "CAC"] == pytest.approx(25.0)
    assert channels.at["Paid social", "CTR"] == pytest.approx(34 / 5200)
    assert np.isnan(channels.at["Direct", "ROAS"]) and np.isnan(channels.at["Email", "CPA"])
    specs = h.charts(at)
    assert len(specs) == 3  # bubbles, shares, trend
    bubbles = next(d for d in specs[0][1].values() if "label" in d.columns)
    assert set(bubbles["label"]) == {"Paid social", "Paid search", "Display"}  # channels with spend only
    config = next(df for df in at.dataframe if "Attributed revenue" in df.value.columns).proto.columns
    assert "ROAS = attributed revenue / spend" in config  # the formula is the column's tooltip


def test_a_store_selection_hides_shop_wide_spend(shop_env):
    at = page(stores="S1", tab="channels")
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "Ad spend is recorded for the whole shop, not per store" in text
    assert values(at)["Spend"] == "—" and values(at)["Revenue"] == "¥113.00"  # 48 + 45 + 10 + 10
    channels = table_with(at, "Attributed revenue")
    assert "Spend" not in channels.columns and "ROAS" not in channels.columns
    assert channels.set_index("Channel").at["Paid search", "New customers"] == 3
    assert len(h.charts(at)) == 1  # only the trend: no spend to plot


def test_a_store_selection_in_the_campaign_view(shop_env):
    at = page(stores="S1", tab="campaigns")
    assert not at.exception, at.exception
    assert "Spend" not in table_with(at, "Attributed revenue").columns
    got = {m.label: m.value for m in at.metric[6:]}  # the campaign's figures, after the six cards
    assert got == {"Orders": "0", "Attributed revenue": "¥0.00"}  # C2's only order (O03) is in S2; no spend


def test_a_manager_cannot_open_the_page(shop_env):
    at = page("manager")
    assert "You do not have access to this page" in h.all_text(at) and not at.metric


def test_campaign_tab(shop_env):
    at = page(tab="campaigns")
    assert not at.exception, at.exception
    campaigns = table_with(at, "Platform conversion rate").set_index("Campaign")
    assert list(campaigns.index) == ["C1", "C2", "FB1"]
    assert campaigns.at["FB1", "Platform conversion rate"] == pytest.approx(0.25)
    assert at.selectbox(key="mkt_campaign").value == "C2"  # the newest campaign of the period
    got = values(at)
    # C2 on 4-6 Mar: spend 20, O03 for 20
    assert (got["Spend"], got["Orders"], got["Attributed revenue"], got["ROAS"], got["CPA"]) == (
        "¥20.00", "1", "¥20.00", "1.00", "¥20.00")
    assert "Paid social · Mar 4, 2025 to Mar 6, 2025 (3 days) · budget ¥50.00" in h.all_text(at)
    at.selectbox(key="mkt_campaign").set_value("C1").run()
    assert not at.exception, at.exception
    assert values(at)["Orders"] == "2" and values(at)["ROAS"] == "1.50"


def test_campaign_lists_cover_the_last_90_days(shop_env):
    """A two-day period in which no campaign starts still lists the campaigns of the last 90 days (issue 21)."""
    at = page(start="2025-03-09", end="2025-03-10", tab="campaigns")
    assert not at.exception, at.exception
    assert "Campaigns from Dec 11, 2024 to Mar 10, 2025: the period, widened to the last 90 days." in h.all_text(at)
    options = at.selectbox(key="mkt_campaign").options  # newest first, January's included
    assert [o.split(" (")[0] for o in options] == ["Social push", "Spring search", "January mail"]
    campaigns = table_with(at, "Platform conversion rate").set_index("Campaign")
    assert list(campaigns.index) == ["C1", "C2", "FB1"]  # C2's spend on 4-6 Mar is in the window


def test_ab_calculator(shop_env):
    at = page(tab="ab")
    assert not at.exception, at.exception
    text = h.all_text(at)
    # 500/10000 vs 560/10000: pooled z-test p = 0.058, the interval crosses zero
    assert "B converts at 5.60% vs A's 5.00%: a difference of +0.60 pts" in text and "p = 0.058" in text
    assert "Not significant" in text and "Required sample size per arm: 31,234" in text
    for key, value in {"ab_n_a": 20, "ab_conv_a": 1, "ab_n_b": 20, "ab_conv_b": 8, "ab_planned": 200}.items():
        at.number_input(key=key).set_value(value)
    at.run()
    text = h.all_text(at)
    assert "Fisher's exact test" in text and "statistically significant" in text
    assert "Stopped early: 20 of the planned 200 visitors per arm (10%)" in text
    at.number_input(key="ab_conv_b").set_value(30).run()
    assert "Check conversions of B: conversions cannot exceed visitors" in h.all_text(at)


def test_an_empty_period_still_offers_the_calculator(shop_env):
    at = page(start="2020-01-01", end="2020-01-31", tab="ab")
    assert not at.exception, at.exception
    assert "No orders or ad spend in this period" in h.all_text(at) and "Required sample size" in h.all_text(at)
    at = open_tab(at, "campaigns")
    assert "No campaign ran in this period." in h.all_text(at)


def test_the_page_in_chinese(shop_env):
    at = page(lang="zh", tab="channels")
    assert not at.exception, at.exception
    got = values(at)
    assert got["花费"] == "¥125.00" and got["综合广告回报率 (MER)"] == "1.38" and got["综合获客成本"] == "¥20.83"
    assert "归因规则" in h.all_text(at)
    assert list(table_with(at, "归因销售额")["渠道"])[:2] == ["付费社交", "付费搜索"]


def test_the_page_on_the_robyn_data(tmp_path, monkeypatch):
    robyn_file = REAL_DATA / "robyn_dt_simulated_weekly.csv"
    h.configure(monkeypatch, *h.shop_app(tmp_path, lambda engine: robyn.load(engine, robyn_file)))
    at = page("marketer", start="2015-11-23", end="2019-11-17", tab="channels")
    assert not at.exception, at.exception
    assert values(at)["Blended ROAS (MER)"] == "26.09"  # 379.0M revenue / 14.53M spend
    channels = table_with(at, "Attributed revenue").set_index("Channel")
    assert list(channels.index) == ["Offline", "Paid search", "Paid social", "Direct"]
    # monthly trend over 23 Nov 2015 - 17 Nov 2019: the first and last months are cut, drawn as open rings
    assert "Open rings mark weeks or months the date range covers only in part" in h.all_text(at)
    at = open_tab(at, "campaigns")
    assert not at.exception, at.exception
    assert at.selectbox(key="mkt_campaign").value == "ROBYN-event2"
    text = h.all_text(at)
    # eight weeks before the event cannot check a forecast on earlier stretches: no verdict, and it says so
    assert "Too short to judge" in text and "Incremental sales of about" not in text
    assert "Method: average." in text  # too few weeks for a model: the pre-period mean
    specs = h.charts(at)
    assert len(specs) == 3
    band = next(d for d in specs[0][1].values() if "predicted_lower" in d.columns)
    # weekly data is read as weeks (8 before the event week, with the default 56 days), not as days of zeros
    assert len(band) == 9 and band["actual"].iloc[-1] == pytest.approx(2303595.0)
    at.number_input(key="mkt_pre_days").set_value(364).run()  # a year before it: long enough to judge
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "Incremental sales of about" in text and "Too short to judge" not in text
    assert "How often it cries wolf on this series:" in text
    # a verdict of noise says how large a lift the data could have shown
    assert ("not distinguishable from noise" in text) == ("only a lift of about" in text)
    # the same in Chinese: too short to judge with the default days, then a verdict (with its MDE when noise)
    at = page("marketer", start="2015-11-23", end="2019-11-17", tab="campaigns", lang="zh")
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "时间太短，无法判断" in text and "方法：平均值。" in text and "增量销售额约" not in text
    # (the days kept for the session: AppTest cannot re-run a Chinese page whose date preset it read in English)
    at = page("marketer", start="2015-11-23", end="2019-11-17", tab="campaigns", lang="zh",
              session={"mkt_pre_days_kept": 364})
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "时间太短，无法判断" not in text and "误报的频率" in text
    assert ("与随机波动无法区分" in text) == ("只有约" in text)


def test_the_campaign_effect_uses_the_shops_country_calendar(shop_env, monkeypatch):
    """The effect is estimated with the calendar of the country the admin set (issue 20: Black Friday of a
    Brazilian or American shop is a known event, not the campaign), not with China's for every shop."""
    import streamlit as st

    from components.marketing import campaigns as view
    from data_access import shop_settings
    from data_access.engine import create_engine

    calendars = []
    real = view.estimate_effect

    def recording(*args, **kwargs):
        calendars.append(kwargs.get("holidays"))
        return real(*args, **kwargs)

    monkeypatch.setattr(view, "estimate_effect", recording)
    engine = create_engine(shop_env[0])
    try:
        shop_settings.set_shop_country(engine, "BR")
        st.cache_data.clear()  # the setting is cached for a minute (data.run's ttl="run"): as a minute later
        at = page(tab="campaigns")
        assert not at.exception, at.exception
        assert calendars == ["BR"]
    finally:
        with engine.begin() as conn:  # the module's other tests read the default (CN)
            conn.execute(shop_settings.shop_settings.delete())
        engine.dispose()
    assert shop_settings.shop_country(create_engine(shop_env[0])) == "CN"
