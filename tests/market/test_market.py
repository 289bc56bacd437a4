"""The listings kind and the market analysis on listing files written here (running-total and per-period sales
counts, several shops, price changes, a new entrant), on both backends; scope on reads and writes; the undercut
alert on the demo's planted price cut; the page in AppTest in both languages."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from alerts import rules
from alerts import settings as alert_settings
from alerts.text import render_title
from data_access import schema
from data_access.bulk import bulk_insert
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.ingest.errors import IngestError
from data_access.ingest.service import detection_report, ingest
from data_access.market import analysis, queries
from data_access.market.similarity import title_words
from tests.support import apptest_helpers as h
from tests.support import fixtures

D1, D2, D3 = date(2026, 5, 1), date(2026, 5, 8), date(2026, 5, 15)
MAY = Filters(date(2026, 5, 1), date(2026, 5, 31))
STORES = pd.DataFrame([{"store_id": "S1", "name": "Shanghai Flagship", "name_zh": "上海旗舰店"},
                       {"store_id": "S2", "name": "Beijing Flagship", "name_zh": "北京旗舰店"}])
# 日期, 商品ID, 商品标题, 店铺名称, 价格, 累计销量: a running total per item (our item, two competitors' shops,
# a price cut with a sales jump, a new shop on the last day, one item of our other store).
RUNNING = [
    (D1, "OWN1", "无线蓝牙耳机 降噪 黑色", "上海旗舰店", 199, 1000),
    (D2, "OWN1", "无线蓝牙耳机 降噪 黑色", "上海旗舰店", 199, 1100),
    (D3, "OWN1", "无线蓝牙耳机 降噪 黑色", "上海旗舰店", 199, 1180),
    (D1, "A1", "蓝牙耳机 无线 降噪 运动", "店A", 219, 500), (D2, "A1", "蓝牙耳机 无线 降噪 运动", "店A", 219, 560),
    (D3, "A1", "蓝牙耳机 无线 降噪 运动", "店A", 179, 700),
    (D1, "A2", "手机壳 透明", "店A", 29.9, 3000), (D2, "A2", "手机壳 透明", "店A", 29.9, 3300),
    (D3, "A2", "手机壳 透明", "店A", 29.9, 3600),
    (D1, "B1", "头戴式耳机 蓝牙", "店B", 399, 200), (D2, "B1", "头戴式耳机 蓝牙", "店B", 379, 240),
    (D3, "B1", "头戴式耳机 蓝牙", "店B", 379, 250),
    (D3, "C1", "降噪蓝牙耳机 新品", "店C", 159, 50),
    (D1, "OWN2", "蓝牙音箱 便携", "北京旗舰店", 99, 10), (D2, "OWN2", "蓝牙音箱 便携", "北京旗舰店", 99, 20),
    (D3, "OWN2", "蓝牙音箱 便携", "北京旗舰店", 99, 30),
]
# Date, Item ID, Title, Shop, Price, Units sold: each week's own sales (they rise and fall).
WEEKLY = [(d, item, title, shop, price, units) for d, per_item in ((D1, (30, 12)), (D2, (22, 15)), (D3, (35, 9)))
          for (item, title, shop, price), units in zip(
              (("W1", "Trail running shoes men", "RunCo", 89.0), ("W2", "Running shoes women light", "FastFeet", 79.0)),
              per_item, strict=True)]


def _csv(rows, header) -> bytes:
    return pd.DataFrame(rows, columns=header).to_csv(index=False).encode("utf-8")


RUNNING_HEADER = ["日期", "商品ID", "商品标题", "店铺名称", "价格", "累计销量"]
RUNNING_CSV = _csv(RUNNING, RUNNING_HEADER)
WEEKLY_CSV = _csv(WEEKLY, ["Date", "Item ID", "Title", "Shop", "Price", "Units sold"])


def load_market(engine) -> None:
    """Our stores, then both listing files imported through the upload path."""
    schema.create_schema(engine)
    with engine.begin() as conn:
        bulk_insert(conn, schema.stores, STORES)
    first = ingest(engine, RUNNING_CSV, "tmall_earbuds.csv", username="t")
    assert first.result.tables["listings"].inserted == len(RUNNING)
    ingest(engine, WEEKLY_CSV, "weekly_shoes.csv", username="t")


engine = fixtures.shop_engine(load_market)


def _sales(engine, f=MAY, **kwargs) -> pd.DataFrame:
    return analysis.with_period_sales(queries.listing_snapshots(engine, f, **kwargs))


def test_the_file_is_read_as_listings_with_our_items_by_shop_name(engine):
    rows = queries.listing_snapshots(engine, MAY, keyword="耳机")
    assert set(rows["item_id"]) == {"OWN1", "A1", "B1", "C1"}
    assert set(rows["source"]) == {"tmall_earbuds"}  # the file's name: no source column, no profile
    assert rows.set_index("item_id")["store_id"].dropna().to_dict() == {"OWN1": "S1"}
    again = ingest(engine, RUNNING_CSV, "tmall_earbuds.csv", username="t").result.tables["listings"]
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(RUNNING))


def test_running_totals_are_detected_and_differenced(engine):
    snapshots = queries.listing_snapshots(engine, MAY)
    bases = {b.source: b for b in analysis.sales_bases(snapshots)}
    assert bases["tmall_earbuds"].basis == analysis.CUMULATIVE and bases["tmall_earbuds"].pairs == 10
    assert bases["weekly_shoes"].basis == analysis.PER_PERIOD and bases["weekly_shoes"].non_decreasing_share == 0.5
    sales = analysis.with_period_sales(snapshots).set_index(["item_id", "observed_at"])["period_sales"]
    assert np.isnan(sales[("OWN1", D1)]) and sales[("OWN1", D2)] == 100 and sales[("OWN1", D3)] == 80
    assert sales[("A1", D3)] == 140 and np.isnan(sales[("C1", D3)])  # a new item has no earlier total
    assert sales[("W1", D1)] == 30 and sales[("W2", D3)] == 9  # weekly counts used as they are


def test_one_snapshot_cannot_prove_running_totals(engine):
    single = analysis.sales_bases(queries.listing_snapshots(engine, Filters(D3, D3)))
    assert {b.basis for b in single} == {analysis.SINGLE}


def test_sales_share_by_shop_and_its_trend(engine):
    trend, summary = analysis.sales_share(_sales(engine, keyword=None, category=None)
                                          .query("source == 'tmall_earbuds'"))
    table = summary.set_index("name")
    # Period sales: 上海旗舰店 100 + 80, 店A 60 + 300 + 140 + 300, 店B 40 + 10, 北京旗舰店 10 + 10.
    total = 180 + 800 + 50 + 20
    assert table.loc["店A", "sales"] == 800 and table.loc["店A", "share"] == pytest.approx(800 / total)
    assert table.loc["上海旗舰店", "share_first"] == pytest.approx(100 / 510)
    assert table.loc["上海旗舰店", "share_last"] == pytest.approx(80 / 540)
    assert table.loc["店A", "change"] == pytest.approx(440 / 540 - 360 / 510)
    assert bool(table.loc["上海旗舰店", "own"]) and not bool(table.loc["店B", "own"])
    assert trend.groupby("observed_at")["share"].sum().to_numpy() == pytest.approx([1.0, 1.0])


def test_price_moves_and_the_promotion(engine):
    moves = analysis.price_moves(_sales(engine, keyword="耳机")).set_index("item_id")
    assert set(moves.index) == {"A1", "B1"}
    assert moves.loc["A1", "change"] == pytest.approx(179 / 219 - 1)
    assert moves.loc["A1", "sales_change"] == pytest.approx(140 / 60 - 1) and bool(moves.loc["A1", "promotion"])
    assert moves.loc["B1", "change"] == pytest.approx(379 / 399 - 1) and not bool(moves.loc["B1", "promotion"])


def test_new_entrants(engine):
    found = analysis.new_entrants(_sales(engine, keyword="耳机"))
    assert found[["item_id", "shop", "first_seen"]].values.tolist() == [["C1", "店C", D3]]
    assert bool(found["new_shop"].iloc[0])


def test_price_bands_and_where_our_item_sits(engine):
    sales = _sales(engine, keyword="耳机")
    bands = analysis.price_bands(sales)
    assert bands["items"].sum() == 4 and bands["own_items"].sum() == 1
    assert bands["sales_share"].sum() == pytest.approx(1.0)
    own_band = bands[bands["own_items"] == 1].iloc[0]
    assert own_band["band_low"] <= 199 < own_band["band_high"]
    position = analysis.own_positions(sales).iloc[0]
    # competitors on the last day: 179, 379, 159 -> median 179; 159 and 179 are cheaper than our 199
    assert position["market_median"] == 179 and position["cheaper_share"] == pytest.approx(2 / 3)
    assert position["price_index"] == pytest.approx(199 / 179)


def test_closest_competitors_by_chinese_title_words(engine):
    assert title_words("无线蓝牙耳机, 降噪!") == ["无线", "蓝牙", "耳机", "降噪"]
    found = analysis.closest_competitors(_sales(engine, keyword=None)
                                         .query("source == 'tmall_earbuds'"))
    ours = found[found["item_id"] == "OWN1"]
    assert ours["competitor_item"].iloc[0] == "A1"  # shares 无线, 蓝牙, 耳机 and 降噪
    assert "A2" not in set(ours["competitor_item"])  # a phone case is no competitor
    assert ours["price_gap"].iloc[0] == pytest.approx(179 / 199 - 1)


def test_a_store_scope_sees_its_items_and_the_market_only(engine):
    one = queries.listing_snapshots(engine, Filters(MAY.start, MAY.end, ("S1",)))
    assert "OWN2" not in set(one["item_id"]) and {"OWN1", "A1", "W1"} <= set(one["item_id"])
    assert queries.listing_snapshots(engine, Filters(MAY.start, MAY.end, ())).empty
    assert queries.snapshot_span(engine, Filters.all_time(())) is None


def test_a_scoped_import_may_not_write_another_stores_items(engine):
    with pytest.raises(IngestError) as refused:
        ingest(engine, RUNNING_CSV, "tmall_earbuds.csv", username="m", stores=("S1",), role="manager")
    assert refused.value.code == "refused_errors"
    market_only = _csv([r for r in RUNNING if r[3] != "北京旗舰店"], RUNNING_HEADER)
    outcome = ingest(engine, market_only, "tmall_earbuds.csv", username="m", stores=("S1",), role="manager")
    assert outcome.result.tables["listings"].unchanged == len(RUNNING) - 3


def test_bad_cells_name_line_and_column(engine):
    bad = "日期,商品ID,商品标题,价格,累计销量\n2026-05-01,X1,耳机,abc,5\n2026-05-01,X2,耳机,10,-3\n"
    errors = ingest(engine, bad.encode(), "bad.csv", username="t", dry_run=True).prepared.validation.errors
    assert errors[["line", "column", "field"]].values.tolist() == [[2, "价格", "price"], [3, "累计销量", "sales_count"]]


def test_a_keepa_export_is_recognised_with_its_snapshot_day(tmp_path):
    path = tmp_path / "keepa_2026-05-03.csv"
    pd.DataFrame([{"ASIN": "B0TEST0001", "Title": "Wireless Earbuds Noise Cancelling", "Brand": "Acme",
                   "Buy Box: Current": 39.99, "List Price: Current": 59.99, "Bought in past month": 2000,
                   "Reviews: Review Count": 1234, "Categories: Root": "Electronics", "Sales Rank: Current": 12,
                   "Reviews: Rating": 4.4}]).to_csv(path, index=False)
    report = detection_report(path)
    assert (report["kind"], report["profile"], report["missing"]) == ("listings", "keepa_listings", [])
    assert report["defaults"] == {"observed_at": "2026-05-03", "source": "amazon"}
    assert report["mapping"]["price"] == "Buy Box: Current" and report["mapping"]["sales_count"] == \
        "Bought in past month"


@pytest.fixture(scope="module")
def demo(demo_app):
    engine = create_engine(demo_app[0])
    yield engine
    engine.dispose()


def test_the_demos_planted_price_cut_is_an_undercut_alert(demo):
    cfg = {k: v for k, (v, _) in alert_settings.DEFAULTS.items()}
    found = rules.market_alerts(demo, date(2025, 6, 16), None, cfg)
    assert [(a["what"], a["store_id"], a["severity"]) for a in found] == [("competitor_undercut", "S08", "high")]
    values = found[0]["values"]
    assert values["competitor_price"] == pytest.approx(values["competitor_price_before"] * 0.85, abs=0.06)
    assert values["price_gap"] <= -0.05 and "低" in render_title(found[0], "zh")
    assert rules.market_alerts(demo, date(2025, 6, 23), None, cfg) == []  # the cut has lasted: no news
    assert rules.market_alerts(demo, date(2025, 6, 16), ("S01",), cfg) == []  # another store's item


@pytest.fixture(scope="module")
def own_users(tmp_path_factory):
    """A credentials file of this module's own: a language switch is saved per user, and demo_app's file is
    shared with other modules."""
    path = tmp_path_factory.mktemp("market_users") / "credentials.yaml"
    h.write_users(path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_on_the_demo(demo_app, own_users, monkeypatch, lang):
    h.configure(monkeypatch, demo_app[0], own_users)
    at = h.logged_in("pages/market.py", "analyst")
    at.query_params["lang"] = lang
    at.run(timeout=120)
    assert not at.exception
    text = h.all_text(at)
    assert ("running totals" if lang == "en" else "累计值") in text
    assert len(at.metric) == 5 and len(h.charts(at)) == 1
    for label in (("Sales share", "Price moves", "New entrants", "Closest competitors") if lang == "en"
                  else ("销量份额", "竞品调价", "新进入者", "同款竞品")):
        at.session_state[f"market_tab_{lang}"] = label
        at.run(timeout=120)
        assert not at.exception and len(at.dataframe) >= 1, label


def test_a_manager_sees_the_market_of_their_store(demo_app, own_users, monkeypatch):
    h.configure(monkeypatch, demo_app[0], own_users)
    at = h.logged_in("pages/market.py", "manager")  # scope S1: no store of the demo (S01..S08)
    at.run(timeout=120)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Our items"] == "0" and int(metrics["Items listed"].replace(",", "")) > 0


def test_the_page_without_listings_says_so(tiny_app, monkeypatch):
    h.configure(monkeypatch, *tiny_app)
    at = h.logged_in("pages/market.py", "marketer")
    at.run(timeout=60)
    assert not at.exception and "No listing snapshots yet" in h.all_text(at)


@pytest.fixture(scope="module")
def upload_app(tmp_path_factory, own_users):
    """A tiny shop of its own (the import below writes listings into it)."""
    from tests.support import tiny_shop

    url = f"duckdb:///{tmp_path_factory.mktemp('market_upload') / 'shop.duckdb'}"
    engine = create_engine(url)
    tiny_shop.load(engine)
    engine.dispose()
    return url, own_users


@pytest.mark.slow
def test_a_listings_file_on_the_upload_page_is_analysed_and_imported(upload_app, monkeypatch):
    from components.upload.state import TEST_FILE_KEY

    h.configure(monkeypatch, *upload_app)
    at = h.logged_in("pages/upload.py", "analyst")
    at.session_state[TEST_FILE_KEY] = ("tmall_earbuds.csv", RUNNING_CSV)
    at.run(timeout=120)
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "Looks like: **Listing snapshots**" in text and "read as running totals" in text
    values = {m.label: m.value for m in at.metric}
    assert values["Items"] == "6" and values["Shops"] == "5" and values["Snapshots"] == "3"
    at = h.logged_in("pages/upload.py", "analyst")
    at.session_state[TEST_FILE_KEY] = ("tmall_earbuds.csv", RUNNING_CSV)
    at.session_state["lang"] = "en"
    at.session_state["upload_tab_en"] = "Import"
    at.run(timeout=120)
    assert "16 rows look good." in h.all_text(at), h.all_text(at)
    at.button(key="upload_import_button").click().run(timeout=120)
    assert not at.exception, at.exception
    engine = create_engine(upload_app[0])
    stored = queries.listing_snapshots(engine, MAY)
    engine.dispose()
    assert len(stored) == len(RUNNING)
    # 上海旗舰店 is the tiny shop's S1; its 北京三里屯店 is not 北京旗舰店, so that shop is a competitor here.
    assert stored.dropna(subset=["store_id"])["item_id"].unique().tolist() == ["OWN1"]
