"""products.name_zh: the column (added to old databases), the demo's and an import's Chinese names, every query that
names products returning it, and the one display rule (components.names / i18n.data_name) on Chinese pages."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from components.i18n import data_name
from components.names import localised, with_product_names
from data_access.demo.catalog import make_catalog
from data_access.filters import Filters
from data_access.ingest import service
from data_access.inventory.stock import stock_on_hand
from data_access.sales import customers, queries
from data_access.satisfaction import reviews
from data_access.satisfaction.service import lowest_recent_reviews
from data_access.schema import add_missing_columns, create_schema, products
from tests.conftest import BACKENDS
from tests.support import apptest_helpers as h
from tests.support import fixtures, tiny_shop

#: The tiny shop's cup and mug get Chinese names; the kettle (P3) keeps only its English one.
CHINESE = {"P1": "陶瓷杯", "P2": "马克杯"}


def _tiny_shop_with_chinese_names(engine: sa.Engine) -> None:
    tiny_shop.load(engine)
    with engine.begin() as conn:
        for sku, name in CHINESE.items():
            conn.execute(products.update().where(products.c.sku == sku).values(name_zh=name))


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_display_rule():
    assert data_name("Cup", "陶瓷杯", "zh") == "陶瓷杯" and data_name("Cup", "陶瓷杯", "en") == "Cup"
    assert data_name("Kettle", None, "zh") == "Kettle" and data_name("Kettle", "  ", "zh") == "Kettle"
    assert data_name(None, None, "zh", "P9") == "P9" and data_name("", "", "en", "P9") == "P9"
    frame = pd.DataFrame({"sku": ["P1", "P3", "P9"], "name": ["Cup", "Kettle", None],
                          "name_zh": ["陶瓷杯", None, None], "product_name": ["Cup", None, "x"],
                          "product_name_zh": ["陶瓷杯", "水壶", None]})
    zh = with_product_names(frame, "zh", fallback="sku")
    assert list(zh.columns) == ["sku", "name", "product_name"]  # the twins are gone
    assert list(zh["name"]) == ["陶瓷杯", "Kettle", "P9"] and list(zh["product_name"]) == ["陶瓷杯", "水壶", "x"]
    en = with_product_names(frame, "en")
    assert list(en["name"][:2]) == ["Cup", "Kettle"] and pd.isna(en["name"].iloc[2])
    assert list(localised(frame["name"], None, "zh", frame["sku"])) == ["Cup", "Kettle", "P9"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_old_products_table_gains_name_zh(backend, fresh_engine):
    engine = fresh_engine(backend)
    with engine.begin() as conn:  # products as the schema made it before name_zh
        conn.execute(sa.text("CREATE TABLE products (sku VARCHAR(64) PRIMARY KEY, name VARCHAR(300) NOT NULL, "
                             "category VARCHAR(100), unit_cost NUMERIC(14, 2), unit_price NUMERIC(14, 2), "
                             "lead_time_days INTEGER, supplier VARCHAR(200))"))
        conn.execute(sa.text("INSERT INTO products (sku, name) VALUES ('P1', 'Cup')"))
    create_schema(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.select(products.c.name, products.c.name_zh)).one()
    assert row.name == "Cup" and row.name_zh is None
    assert add_missing_columns(engine) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_query_that_names_products_returns_the_chinese_name(backend, fresh_engine):
    engine = fresh_engine(backend)
    _tiny_shop_with_chinese_names(engine)
    period = Filters(date(2025, 1, 1), date(2025, 3, 31))

    def by_sku(df: pd.DataFrame, column: str = "name_zh") -> dict:
        return {sku: (None if pd.isna(v) else v) for sku, v in zip(df["sku"], df[column], strict=True)}

    expected = {"P1": "陶瓷杯", "P2": "马克杯", "P3": None}
    assert by_sku(queries.top_products(engine, period)) == expected
    assert by_sku(customers.product_abc(engine, period)) == expected
    movers = queries.product_movers(engine, Filters(date(2025, 3, 1), date(2025, 3, 4)))
    assert by_sku(movers) == {sku: expected[sku] for sku in movers["sku"]} and len(movers) > 0
    stock = stock_on_hand(engine, Filters(date(2025, 3, 4), date(2025, 3, 4)))
    assert by_sku(stock) == {sku: expected[sku] for sku in stock["sku"]} and len(stock) > 0
    low = lowest_recent_reviews(engine, period, limit=None).dropna(subset=["sku"])
    assert by_sku(low, "product_name_zh") == {"P1": "陶瓷杯", "P2": "马克杯"}
    found = reviews.review_search(engine, period, min_rating=1, max_rating=5).dropna(subset=["sku"])
    assert by_sku(found, "product_name_zh") == expected
    worst = reviews.worst_products(engine, period, min_reviews=1)
    assert by_sku(worst) == expected


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_catalogue_with_english_and_chinese_names_imports_both(backend, fresh_engine):
    engine = fresh_engine(backend)
    create_schema(engine)
    text = "商品编码,英文名称,中文名称,类目\nA1,Ceramic Cup,陶瓷杯,Kitchen\nA2,Tea Pot,,Kitchen\n"
    outcome = service.ingest(engine, text.encode(), "catalogue.csv", "products", username="ana")
    assert outcome.prepared.mapping["name_zh"] == "中文名称" and outcome.prepared.mapping["name"] == "英文名称"
    with engine.connect() as conn:
        rows = conn.execute(sa.select(products.c.sku, products.c.name, products.c.name_zh)
                            .order_by(products.c.sku)).all()
    assert [tuple(r) for r in rows] == [("A1", "Ceramic Cup", "陶瓷杯"), ("A2", "Tea Pot", None)]


def test_demo_names_are_english_with_a_chinese_twin():
    catalogue = make_catalog(15, 500, np.random.default_rng(42)).products
    assert catalogue["name"].is_unique and catalogue["name_zh"].is_unique
    assert not catalogue["name"].map(_cjk).any()
    assert catalogue["name_zh"].map(_cjk).all()
    # No English word in a Chinese name beyond what Chinese shops write in Latin letters too (sizes aside).
    latin = catalogue["name_zh"].str.findall(r"[A-Za-z]{3,}").explode().dropna()
    assert set(latin) <= {"POLO", "Pro", "Python", "SPF", "USB"}, set(latin)


# ---------------------------------------------------------------- Chinese pages (AppTest)

named_app = fixtures.shop_app(_tiny_shop_with_chinese_names, "names")
env = fixtures.app_env("named_app")


def _shown(at) -> str:
    return "\n".join(df.value.to_string() for df in at.dataframe)


def _chart_values(at, column: str) -> set:
    return {v for _, frames in h.charts(at) for df in frames.values() if column in df.columns for v in df[column]}


def test_the_chinese_overview_names_products_in_chinese(env):
    at = h.logged_in("pages/overview.py", "admin")
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    low = next(df.value for df in at.dataframe if "评论" in df.value.columns)
    assert "陶瓷杯" in set(low["商品"]) and "马克杯" in set(low["商品"])
    assert "Cup" not in _shown(at) and "Mug" not in _shown(at)
    assert "陶瓷杯" in _chart_values(at, "label")  # the top movers' bars
    # "Why did it change": the top contributors name the product and the store, not their ids.
    contributors = next(df.value for df in at.dataframe if "维度" in df.value.columns)
    keys = set(contributors["对象"])
    assert "陶瓷杯" in keys and "上海旗舰店" in keys and not keys & {"P1", "S1"}, keys
    english = h.logged_in("pages/overview.py", "admin").run()
    assert "Cup" in _shown(english) and "陶瓷杯" not in _shown(english)


def test_the_chinese_sales_products_table_falls_back_to_the_english_name(env):
    at = h.logged_in("pages/sales.py", "admin")
    at.query_params.update({"preset": "custom", "from": "2025-01-01", "to": "2025-03-04", "lang": "zh",
                            "sales_section": "商品"})
    at.run()
    assert not at.exception, at.exception
    table = next(df.value for df in at.dataframe if "ABC 分类" in df.value.columns)
    names = dict(zip(table["商品编码"], table["名称"], strict=True))
    assert names == {"P1": "陶瓷杯", "P2": "马克杯", "P3": "Kettle"}


def test_the_chinese_alert_title_names_the_product_in_chinese():
    from alerts.text import render_title as title

    alert = {"what": "stockout_soon", "sku": "P1", "store_id": "S1",
             "values": {"name": "Cup", "name_zh": "陶瓷杯", "days_to_stockout": 2, "gap_days": 3, "lost_sales": 30.0}}
    assert "陶瓷杯" in title(alert, "zh") and "Cup" not in title(alert, "zh")
    assert "Cup" in title(alert, "en")
    old = {**alert, "values": {k: v for k, v in alert["values"].items() if k != "name_zh"}}  # raised before
    assert "Cup" in title(old, "zh")
