"""The Olist public sample through the Olist import: totals match the CSVs, on both backends and on the page."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

from data_access import rollup_tables
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.sales import queries
from data_access.sources import olist
from tests.conftest import BACKENDS, REAL_DATA
from tests.support import apptest_helpers as h

SOLD = {"delivered", "shipped", "invoiced", "processing", "approved"}
NOT_ORDERS = {"canceled", "unavailable"}
ALL_TIME = Filters(date(2016, 1, 1), date(2018, 12, 31))


def _rows(name: str) -> list[dict]:
    with open(REAL_DATA / f"olist4k_{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def truth() -> dict:
    """Totals computed straight from the CSV files with the csv module."""
    status = {r["order_id"]: r["order_status"] for r in _rows("orders")}
    net = sum(float(r["price"]) for r in _rows("order_items") if status[r["order_id"]] in SOLD)
    orders = sum(1 for s in status.values() if s not in NOT_ORDERS)
    ratings = Counter(int(r["review_score"]) for r in _rows("order_reviews"))
    return {"net_sales": round(net, 2), "orders": orders, "ratings": ratings}


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request, database_url_factory):
    engine = create_engine(database_url_factory(request.param))
    olist.load(engine, REAL_DATA)
    yield engine
    engine.dispose()


def test_totals_match_the_csv(engine, truth):
    got = queries.kpi_totals(engine, ALL_TIME).set_index("period").loc["current"]
    assert got["net_sales"] == pytest.approx(truth["net_sales"], abs=0.005)
    assert got["orders"] == truth["orders"]
    assert got["aov"] == pytest.approx(truth["net_sales"] / truth["orders"])


def test_the_import_refreshes_the_rollups(engine):
    # so the totals above came from the rollups; test_rollups checks rollups against the source tables
    assert rollup_tables.current(engine)


def test_reimport_changes_nothing(engine):
    def counts():
        with engine.connect() as conn:
            return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()  # table names are ours
                    for t in ("orders", "order_items", "reviews", "customers", "products")}

    before = counts()
    olist.load(engine, REAL_DATA)
    assert counts() == before
    assert before["orders"] == 4000 and before["order_items"] == 4519


def test_ratings_arrive_whole(engine, truth):
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT rating, count(*) FROM reviews GROUP BY rating")).all())
    assert {int(k): v for k, v in rows.items()} == dict(truth["ratings"])


def test_missing_file_and_bad_value_are_named_and_nothing_is_written(tmp_path):
    engine = create_engine(f"duckdb:///{tmp_path / 'x.duckdb'}")
    with pytest.raises(olist.OlistError, match="olist4k_orders.csv: file not found"):
        olist.load(engine, tmp_path)
    for name in olist.FILES:
        shutil.copy(REAL_DATA / f"olist4k_{name}.csv", tmp_path)
    text = (tmp_path / "olist4k_orders.csv").read_text(encoding="utf-8").splitlines()
    first = text[1].split(",")
    first[3] = "yesterday-ish"
    text[1] = ",".join(first)
    (tmp_path / "olist4k_orders.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(olist.OlistError, match="orders, line 2, column order_purchase_timestamp"):
        olist.load(engine, tmp_path)
    assert not sa.inspect(engine).has_table("orders") or \
        engine.connect().execute(sa.text("SELECT count(*) FROM orders")).scalar() == 0


def test_sales_page_shows_the_real_totals(tmp_path, monkeypatch, truth):
    url = f"duckdb:///{tmp_path / 'olist.duckdb'}"
    engine = create_engine(url)
    olist.load(engine, REAL_DATA)
    engine.dispose()
    credentials = tmp_path / "credentials.yaml"
    h.write_users(credentials)
    h.configure(monkeypatch, url, credentials)
    at = h.logged_in("pages/sales.py", "admin")
    at.query_params.update({"preset": "custom", "from": "2016-01-01", "to": "2018-12-31",
                            "sales_breakdown": "By store"})
    at.run()
    assert not at.exception, at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["Orders"] == f"{truth['orders']:,}"
    assert values["Net sales"] == f"¥{truth['net_sales'] / 1000:,.1f}K"  # the card is compact
    by_store = next(df.value for df in at.dataframe if "Name" in df.value.columns
                    and "Olist marketplace" in set(df.value["Name"]))
    assert by_store.iloc[0]["Net sales"] == pytest.approx(truth["net_sales"], abs=0.005)  # the table is exact
