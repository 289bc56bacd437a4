"""Import of validated tables (data_access.ingest.load) on both backends: upsert counts, idempotence, all or nothing,
audit entry; then whole files through the service: order-level and line-level orders, Olist, the Facebook ads report."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import audit, schema
from data_access.filters import Filters
from data_access.ingest import service
from data_access.ingest.errors import IngestError
from data_access.ingest.load import import_tables
from data_access.ingest.model import Validation
from data_access.sales import queries
from tests.conftest import BACKENDS, REAL_DATA

FB_ADS = REAL_DATA / "fb_ads_KAG_conversion_data.csv"


def _validation(tables: dict[str, pd.DataFrame], errors: pd.DataFrame | None = None, kind: str = "orders"):
    rows = max(len(f) for f in tables.values())
    return Validation(kind=kind, tables=tables, errors=errors if errors is not None else Validation.no_errors(),
                      rows=rows, valid_rows=rows)


def _orders(*rows) -> pd.DataFrame:
    """Order rows (order_id, ordered_at, paid_total) in store S1 on the direct channel, status paid."""
    return pd.DataFrame({"order_id": [r[0] for r in rows], "store_id": "S1", "channel": "direct",
                         "ordered_at": pd.to_datetime([r[1] for r in rows], format="ISO8601"), "status": "paid",
                         "paid_total": [r[2] for r in rows]})


def _table(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql)).all()]


@pytest.fixture(params=BACKENDS)
def engine(request, fresh_engine):
    return fresh_engine(request.param)


def test_insert_then_same_rows_change_nothing_then_changed_rows_update(engine):
    first = _orders(("A", "2025-01-01 10:00", 10.5), ("B", "2025-01-02 11:00", 20))
    result = import_tables(engine, _validation({"orders": first}), username="ana", filename="a.csv")
    assert (result.tables["orders"].inserted, result.tables["orders"].updated, result.tables["orders"].unchanged) \
        == (2, 0, 0)
    assert result.stores_created == 1 and result.rows == 2

    again = import_tables(engine, _validation({"orders": first}), username="ana", filename="a.csv")
    assert (again.tables["orders"].inserted, again.tables["orders"].updated, again.tables["orders"].unchanged) \
        == (0, 0, 2)
    assert again.stores_created == 0 and not again.changed

    second = _orders(("A", "2025-01-01 10:00", 10.5), ("B", "2025-01-03 09:00", 21), ("C", "2025-01-05", 1))
    third = import_tables(engine, _validation({"orders": second}), username="ana", filename="b.csv")
    assert (third.tables["orders"].inserted, third.tables["orders"].updated, third.tables["orders"].unchanged) \
        == (1, 1, 1)
    assert _table(engine, "SELECT order_id, ordered_at, paid_total FROM orders ORDER BY order_id") == [
        ("A", datetime(2025, 1, 1, 10), Decimal("10.50")),
        ("B", datetime(2025, 1, 3, 9), Decimal("21.00")),
        ("C", datetime(2025, 1, 5), Decimal("1.00")),
    ]
    assert _table(engine, "SELECT store_id, name FROM stores") == [("S1", "S1")]


def test_columns_the_file_lacks_keep_their_stored_values(engine):
    import_tables(engine, _validation({"orders": _orders(("A", "2025-01-01", 10))}), username="u", filename="a.csv")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE orders SET region = 'East', refund_total = 2"))
    import_tables(engine, _validation({"orders": _orders(("A", "2025-01-01", 12))}), username="u", filename="b.csv")
    assert _table(engine, "SELECT paid_total, refund_total, region FROM orders") == [
        (Decimal("12.00"), Decimal("2.00"), "East")]


def test_existing_store_names_are_never_overwritten(engine):
    schema.create_schema(engine)
    with engine.begin() as conn:
        conn.execute(schema.stores.insert().values(store_id="S1", name="Shanghai Flagship"))
    result = import_tables(engine, _validation({"orders": _orders(("A", "2025-01-01", 1))}),
                           username="u", filename="a.csv")
    assert result.stores_created == 0
    assert _table(engine, "SELECT store_id, name FROM stores") == [("S1", "Shanghai Flagship")]


def test_audit_entry_names_who_file_and_rows(engine):
    import_tables(engine, _validation({"orders": _orders(("A", "2025-01-01", 1), ("B", "2025-01-01", 2))}),
                  username="lily", filename="订单.csv")
    events = audit.recent_events(engine)
    assert list(events["action"]) == [audit.IMPORT]
    assert events.loc[0, "username"] == "lily"
    detail = json.loads(events.loc[0, "detail"])
    assert detail["file"] == "订单.csv" and detail["rows"] == 2 and detail["kind"] == "orders"
    assert detail["tables"] == {"orders": [2, 0, 0, 0]}
    assert abs((audit.utc_now() - events.loc[0, "at"]).total_seconds()) < 60


def test_validation_errors_refuse_and_write_nothing(engine):
    errors = pd.DataFrame([{"line": 3, "column": "price", "value": "x", "reason_code": "not_number",
                            "reason": "not a number"}])
    with pytest.raises(IngestError) as caught:
        import_tables(engine, _validation({"orders": _orders(("A", "2025-01-01", 1))}, errors),
                      username="u", filename="a.csv")
    assert caught.value.code == "refused_errors" and caught.value.params["rows"] == 1
    assert "a.csv" in str(caught.value)
    schema.create_schema(engine)
    assert _table(engine, "SELECT count(*) FROM orders") == [(0,)]
    assert _table(engine, "SELECT count(*) FROM audit_log") == [(0,)]


def test_a_database_error_midway_rolls_back_every_table(engine):
    import_tables(engine, _validation({"orders": _orders(("A", "2025-01-01", 1))}), username="u", filename="a.csv")
    before = _table(engine, "SELECT order_id, paid_total FROM orders")
    audit_before = _table(engine, "SELECT count(*) FROM audit_log")
    # The orders upsert succeeds, then the review breaks the rating check constraint: nothing may stay.
    reviews = pd.DataFrame({"review_id": ["R1"], "store_id": "S1", "created_at": [datetime(2025, 1, 2)],
                            "rating": [9]})
    bad = _validation({"orders": _orders(("A", "2025-01-01", 5), ("B", "2025-01-02", 3)), "reviews": reviews})
    with pytest.raises(sa.exc.DBAPIError):
        import_tables(engine, bad, username="u", filename="b.csv")
    assert _table(engine, "SELECT order_id, paid_total FROM orders") == before
    assert _table(engine, "SELECT count(*) FROM audit_log") == audit_before
    assert _table(engine, "SELECT count(*) FROM reviews") == [(0,)]


def test_composite_keys_and_nulls_compare_as_equal(engine):
    spend = pd.DataFrame({"day": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-02"]).date,
                          "channel": ["paid_social", "email", "paid_social"], "campaign_id": ["C1", "", "C1"],
                          "spend": [10.0, 2.5, 7.0], "impressions": pd.array([1000, None, 800], dtype="Int64"),
                          "clicks": pd.array([10, None, 8], dtype="Int64")})
    first = import_tables(engine, _validation({"marketing_spend": spend}, kind="marketing_spend"),
                          username="u", filename="ads.csv")
    assert first.tables["marketing_spend"].inserted == 3 and first.stores_created == 0
    again = import_tables(engine, _validation({"marketing_spend": spend}, kind="marketing_spend"),
                          username="u", filename="ads.csv")
    assert (again.tables["marketing_spend"].unchanged, again.tables["marketing_spend"].updated) == (3, 0)
    spend.loc[2, "spend"] = 7.5
    third = import_tables(engine, _validation({"marketing_spend": spend}, kind="marketing_spend"),
                          username="u", filename="ads.csv")
    assert (third.tables["marketing_spend"].unchanged, third.tables["marketing_spend"].updated) == (2, 1)
    assert _table(engine, "SELECT sum(spend) FROM marketing_spend") == [(Decimal("20.00"),)]


# --- whole files through the service, read back by the pages' queries ------------------------------------------

MARCH = Filters(date(2024, 3, 1), date(2024, 3, 31))


def test_order_level_report_imports_and_the_sales_queries_count_its_totals(engine):
    text = ("订单编号,订单创建时间,买家实际支付金额,退款金额,订单状态,店铺\n"
            "A1,2024-03-05 10:00:00,\"1,234.50\",0,已付款,TB01\n"
            "A2,2024-03-06 11:30:00,200,50,已完成,TB01\n"
            "A3,2024-03-07 09:00:00,88,88,已退款,TB02\n"
            "A4,2024-03-08 09:00:00,70,0,已取消,TB02\n")
    outcome = service.ingest(engine, text.encode("gbk"), "订单报表.csv", "orders", None,
                             {"channel": "marketplace"}, username="ana")
    assert outcome.prepared.mapping["paid_total"] == "买家实际支付金额"
    assert outcome.result.tables["orders"].inserted == 4 and outcome.result.stores_created == 2
    totals = queries.kpi_totals(engine, MARCH).set_index("period").loc["current"]
    # Order-level orders count paid - refunded in paid/shipped/delivered/returned; cancelled is no order.
    assert totals["net_sales"] == pytest.approx(1234.5 + (200 - 50) + (88 - 88))
    assert totals["orders"] == 3
    again = service.ingest(engine, text.encode("gbk"), "订单报表.csv", "orders", None, {"channel": "marketplace"},
                           username="ana")
    assert not again.result.changed


def test_line_level_export_creates_orders_and_lines_the_sales_queries_read(engine):
    text = ("order_id,order_date,sku,quantity,unit_price,discount\n"
            "O1,03/05/2024,P1,2,10,1\n"
            "O1,03/05/2024,P2,1,20,0\n"
            "O2,03/20/2024,P1,3,10,0\n")
    outcome = service.ingest(engine, text.encode(), "lines.csv", "orders", None,
                             {"store_id": "S1", "channel": "direct"}, username="ana")
    assert outcome.prepared.validation.level == "line"
    assert outcome.prepared.validation.date_forms["ordered_at"].order == "mdy"  # 20 proves m/d/y
    assert {n: c.inserted for n, c in outcome.result.tables.items()} == {"orders": 2, "order_items": 3}
    totals = queries.kpi_totals(engine, MARCH).set_index("period").loc["current"]
    assert totals["net_sales"] == pytest.approx(2 * 10 - 1 + 20 + 3 * 10)
    assert (totals["orders"], totals["units"]) == (2, 6)


def test_facebook_ads_report_is_recognised_as_marketing_spend_and_imports(engine):
    prepared = service.prepare(engine, FB_ADS, FB_ADS.name, constants={"day": "2017-08-17",
                                                                        "channel": "paid_social"})
    assert prepared.detection.kind == "marketing_spend" and prepared.kind == "marketing_spend"
    outcome = service.ingest(engine, FB_ADS, FB_ADS.name, "marketing_spend", None,
                             {"day": "2017-08-17", "channel": "paid_social"}, username="marketer")
    spent = pd.read_csv(FB_ADS, encoding="utf-8-sig")["Spent"].sum()
    assert outcome.result.tables["marketing_spend"].inserted == 3
    assert float(_table(engine, "SELECT sum(spend) FROM marketing_spend")[0][0]) == pytest.approx(spent, abs=0.02)


def test_a_line_level_file_replaces_the_lines_of_its_orders(engine):
    header = "order_id,order_date,sku,quantity,unit_price\n"
    constants = {"store_id": "S1", "channel": "direct"}
    first = header + "O1,2024-03-05,P1,1,10\nO1,2024-03-05,P2,1,20\nO1,2024-03-05,P3,1,30\nO2,2024-03-06,P1,1,10\n"
    service.ingest(engine, first.encode(), "v1.csv", "orders", None, constants, username="ana")
    # The shop corrected O1: line 2 is now P4 at 25, line 3 is gone; O2 is not in the file and stays as it was.
    second = header + "O1,2024-03-05,P1,1,10\nO1,2024-03-05,P4,1,25\n"
    result = service.ingest(engine, second.encode(), "v2.csv", "orders", None, constants, username="ana").result
    items = result.tables["order_items"]
    assert (items.inserted, items.updated, items.unchanged, items.deleted) == (0, 1, 1, 1)
    assert "1 removed" in result.summary()
    assert _table(engine, "SELECT order_id, line_no, sku, unit_price FROM order_items ORDER BY 1, 2") == [
        ("O1", 1, "P1", Decimal("10.00")), ("O1", 2, "P4", Decimal("25.00")), ("O2", 1, "P1", Decimal("10.00"))]
    totals = queries.kpi_totals(engine, MARCH).set_index("period").loc["current"]
    assert totals["net_sales"] == pytest.approx(10 + 25 + 10)


def test_concurrent_imports_of_overlapping_files_both_succeed_on_postgresql(fresh_engine):
    import threading

    engine = fresh_engine("postgresql")
    schema.create_schema(engine)
    files = [_orders(*[(f"K{i}", "2025-01-01", i) for i in range(start, start + 3000)]) for start in (0, 1500)]
    results, failures = [], []

    def run(frame):
        try:
            results.append(import_tables(engine, _validation({"orders": frame}), username="t", filename="x.csv"))
        except Exception as exc:  # noqa: BLE001 -- the test reports whatever went wrong
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(frame,)) for frame in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    inserted = sorted(r.tables["orders"].inserted for r in results)
    unchanged = sorted(r.tables["orders"].unchanged for r in results)
    assert inserted == [1500, 3000] and unchanged == [0, 1500]  # whichever came second found 1,500 already there
    assert _table(engine, "SELECT count(*) FROM orders") == [(4500,)]


def test_an_in_place_change_makes_the_sales_rollups_stale_until_the_service_rebuilds_them(engine):
    from data_access import rollup_tables

    january = Filters(date(2025, 1, 1), date(2025, 1, 31))
    header = "order_id,order_date,status,paid_total\n"
    constants = {"store_id": "S1", "channel": "direct"}
    service.ingest(engine, (header + "A,2025-01-02,paid,10\nB,2025-01-03,paid,30\n").encode(), "v1.csv", "orders",
                   None, constants, username="ana")
    assert rollup_tables.current(engine)  # the service rebuilt them after the import
    assert queries.kpi_totals(engine, january).set_index("period").at["current", "net_sales"] == pytest.approx(40)
    # B is refunded in full: same number of orders and the same dates, which the rollups' stamp alone cannot see
    refund = header.replace("\n", ",refund_total\n") + "B,2025-01-03,returned,30,30\n"
    outcome = service.ingest(engine, refund.encode(), "v2.csv", "orders", None, constants, username="ana",
                             refresh=False)
    assert outcome.result.touches_sales and not rollup_tables.current(engine)  # invalidated in the import
    assert queries.kpi_totals(engine, january).set_index("period").at["current", "net_sales"] == pytest.approx(10)
    service.ingest(engine, refund.encode(), "v2.csv", "orders", None, constants, username="ana")
    assert rollup_tables.current(engine)  # nothing changed, but the service rebuilt the rollups left stale
    assert queries.kpi_totals(engine, january).set_index("period").at["current", "net_sales"] == pytest.approx(10)
