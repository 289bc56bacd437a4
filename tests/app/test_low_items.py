"""The low-severity findings of issue 17, each reproduced: \\N text and NUL searches on PostgreSQL, the rollups CLI."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import schema
from data_access.bulk import bulk_insert
from data_access.filters import Filters
from data_access.satisfaction import reviews
from tests.support import apptest_helpers as h
from tests.support import browser_helpers as b
from tests.support import tiny_shop


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_backslash_n_text_survives_a_bulk_load(fresh_engine, backend):
    engine = fresh_engine(backend)
    schema.create_schema(engine)
    frame = pd.DataFrame({"store_id": ["S1", "S2", "S3"], "name": ["\\N", "", "NULL"], "region": ["\\N", "", None],
                          "city": ["\\N", "NULL", "c"]})
    with engine.begin() as conn:
        bulk_insert(conn, schema.stores, frame)
    with engine.connect() as conn:
        rows = {r.store_id: (r.name, r.region, r.city) for r in conn.execute(sa.select(schema.stores))}
    assert rows == {"S1": ("\\N", "\\N", "\\N"), "S2": ("", "", "NULL"), "S3": ("NULL", None, "c")}


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_nul_in_the_review_search_is_no_error(fresh_engine, backend):
    engine = fresh_engine(backend)
    tiny_shop.load(engine)
    f = Filters(date(2025, 1, 1), date(2025, 12, 31))
    plain = reviews.review_search(engine, f, min_rating=1, max_rating=5, text="")
    with_nul = reviews.review_search(engine, f, min_rating=1, max_rating=5, text="\x00")
    assert len(with_nul) == len(plain)
    assert reviews.review_search_count(engine, f, min_rating=1, max_rating=5, text="a\x00")["matches"].iloc[0] \
        == reviews.review_search_count(engine, f, min_rating=1, max_rating=5, text="a")["matches"].iloc[0]


def test_rollups_cli_says_one_line_when_the_database_is_down():
    url = f"postgresql://shop:pw@127.0.0.1:{b.free_port()}/shop"
    done = subprocess.run([sys.executable, "-m", "data_access.rollups", "--url", url], capture_output=True, text=True,
                          cwd=h.ROOT, timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: Cannot connect") and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("page", ["pages/sales.py", "pages/satisfaction.py"])
def test_a_shared_link_with_a_future_to_date_opens_up_to_today(tiny_env, page):
    at = h.logged_in(page, "analyst")
    for key, value in {"preset": "custom", "from": "2025-03-01", "to": "2999-12-31"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    picked = at.date_input[0].value
    assert picked[0] == date(2025, 3, 1) and picked[1] == date.today()


HEADERS = {"orders": b"order_id,ordered_at,paid_total\n", "reviews": b"review_id,created_at,rating\n",
           "tickets": b"ticket_id,created_at,category\n", "inventory": b"snapshot_date,sku,on_hand\n"}


@pytest.mark.parametrize("kind", list(HEADERS))
def test_a_header_only_file_with_a_store_value_validates(tiny_engine, kind):
    from data_access.ingest import service

    for scope in (None, ("S1",)):
        prepared = service.prepare(tiny_engine, HEADERS[kind], "header.csv", kind=kind, constants={"store_id": "S1"},
                                   stores=scope)
        assert prepared.validation.rows == 0 and prepared.validation.errors.empty
    outside = service.prepare(tiny_engine, HEADERS[kind], "header.csv", kind=kind, constants={"store_id": "S2"},
                              stores=("S1",))
    assert outside.validation.errors["reason_code"].tolist() == ["out_of_scope"]
