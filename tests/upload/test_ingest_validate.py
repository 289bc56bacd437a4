"""Validation of read files (data_access.ingest.validate): typed tables, every failing cell with its line and
column, order-level vs line-level orders, ad rows summed to the marketing_spend key, constants, vocabularies."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from data_access.ingest import vocab
from data_access.ingest.errors import IngestError
from data_access.ingest.read import read_file
from data_access.ingest.validate import needed_fields, validate
from tests.conftest import BACKENDS

ZH_ORDERS = {"order_id": "订单编号", "ordered_at": "订单创建时间", "paid_total": "买家实际支付金额",
             "refund_total": "退款金额", "status": "订单状态", "channel": "渠道"}


def _raw(text: str, codec: str = "utf-8", name: str = "upload.csv"):
    return read_file(text.encode(codec), name)


def _errors(validation) -> list[tuple]:
    """(line, column, reason_code) of every error, in file order."""
    return list(validation.errors[["line", "column", "reason_code"]].itertuples(index=False, name=None))


def test_chinese_order_report_becomes_typed_orders():
    text = ("订单编号,订单创建时间,买家实际支付金额,退款金额,订单状态,渠道\n"
            "A1,2024年3月5日 10:00,\"￥1,234.50\",0,已付款,直播\n"
            "A2,2024年3月6日 09:30:15,200,200,交易关闭,淘宝\n"
            "A3,2024年3月7日,88.8,,已完成,付费社交\n")
    validation = validate(_raw(text, "gb18030"), "orders", ZH_ORDERS, {"store_id": "TB01"})
    assert validation.ok and validation.level == "order" and (validation.rows, validation.valid_rows) == (3, 3)
    orders = validation.tables["orders"]
    assert list(validation.tables) == ["orders"]
    assert orders["order_id"].tolist() == ["A1", "A2", "A3"]
    assert orders["ordered_at"].tolist() == [datetime(2024, 3, 5, 10), datetime(2024, 3, 6, 9, 30, 15),
                                             datetime(2024, 3, 7)]
    assert orders["paid_total"].tolist() == [1234.5, 200.0, 88.8]
    assert orders["refund_total"].isna().tolist() == [False, False, True]
    assert orders["status"].tolist() == ["paid", "cancelled", "delivered"]
    assert orders["channel"].tolist() == ["live_stream", "marketplace", "paid_social"]
    assert orders["store_id"].tolist() == ["TB01"] * 3
    assert validation.date_forms["ordered_at"].form == "chinese"


def test_status_is_derived_from_the_totals_when_the_file_has_none():
    text = "order_id,date,paid,refund\nA,2024-01-02,10,0\nB,2024-01-02,10,10\nC,2024-01-02,0,0\n"
    mapping = {"order_id": "order_id", "ordered_at": "date", "paid_total": "paid", "refund_total": "refund"}
    validation = validate(_raw(text), "orders", mapping, {"store_id": "S1", "channel": "direct"})
    assert validation.tables["orders"]["status"].tolist() == ["paid", "returned", "paid"]


def test_every_bad_cell_is_listed_with_line_column_and_reason():
    text = ("订单编号,订单创建时间,买家实际支付金额,退款金额,订单状态,渠道\n"
            "A1,2024-03-05,10,0,已付款,直播\n"          # line 2: fine
            "A2,yesterday,x,-5,weird,nope\n"          # line 3: five bad cells
            "\n"                                      # line 4: blank, skipped by the reader
            "A1,2024-03-06,5,0,已完成,直播\n"          # line 5: repeats A1 of line 2
            ",2024-03-06,5,0,已完成,直播\n"            # line 6: no order id
            "A3,1900-01-01,1e13,0,已完成,直播\n")      # line 7: date and amount out of range
    validation = validate(_raw(text), "orders", ZH_ORDERS, {"store_id": "S1"})
    assert _errors(validation) == [
        (3, "买家实际支付金额", "not_number"), (3, "渠道", "unknown_value"), (3, "订单创建时间", "not_date"),
        (3, "订单状态", "unknown_value"), (3, "退款金额", "negative"),
        (5, "订单编号", "duplicate_key"),
        (6, "订单编号", "required"),
        (7, "买家实际支付金额", "out_of_range"), (7, "订单创建时间", "out_of_range"),
    ]
    assert (validation.rows, validation.valid_rows) == (5, 1)
    reasons = dict(zip(validation.errors["reason_code"], validation.errors["reason"], strict=False))
    assert reasons["duplicate_key"] == "repeats the key order_id of line 2"
    assert "live_stream" in reasons["unknown_value"] or "pending" in reasons["unknown_value"]
    values = validation.errors.set_index(["line", "reason_code"])["value"]
    assert values[(3, "not_number")] == "x" and values[(6, "required")] == ""


def test_line_level_sales_export_creates_orders_and_their_lines():
    text = ("order,date,product,qty,price,store\n"
            "O1,2024-05-01 10:00,SKU-A,2,9.90,S1\n"
            "O1,2024-05-01 10:00,SKU-B,1,20,S1\n"
            "O2,2024-05-02 11:00,SKU-A,3,9.90,S2\n"
            "O1,2024-05-01 10:00,SKU-C,1,5,S1\n")
    mapping = {"order_id": "order", "ordered_at": "date", "sku": "product", "quantity": "qty",
               "unit_price": "price", "store_id": "store"}
    validation = validate(_raw(text), "orders", mapping, {"channel": "direct"})
    assert validation.ok and validation.level == "line"
    orders = validation.tables["orders"]
    assert orders[["order_id", "store_id", "status"]].values.tolist() == [["O1", "S1", "paid"], ["O2", "S2", "paid"]]
    assert orders["ordered_at"].tolist() == [datetime(2024, 5, 1, 10), datetime(2024, 5, 2, 11)]
    items = validation.tables["order_items"]
    assert items[["order_id", "line_no", "sku"]].values.tolist() == [
        ["O1", 1, "SKU-A"], ["O1", 2, "SKU-B"], ["O2", 1, "SKU-A"], ["O1", 3, "SKU-C"]]
    assert items["quantity"].tolist() == [2, 1, 3, 1]
    assert (items["quantity"] * items["unit_price"]).sum() == pytest.approx(2 * 9.9 + 20 + 3 * 9.9 + 5)


def test_lines_of_one_order_must_agree_and_quantities_must_be_whole_and_positive():
    text = ("order,date,product,qty,price\n"
            "O1,2024-05-01,A,1,10\n"
            "O1,2024-05-03,B,0,10\n"
            "O2,2024-05-02,A,1.5,10\n"
            "O2,2024-05-02,A,1,-1\n")
    mapping = {"order_id": "order", "ordered_at": "date", "sku": "product", "quantity": "qty", "unit_price": "price"}
    validation = validate(_raw(text), "orders", mapping, {"channel": "direct", "store_id": "S1"})
    assert _errors(validation) == [(3, "date", "inconsistent_order"), (3, "qty", "out_of_range"),
                                   (4, "qty", "not_integer"), (5, "price", "negative")]


def test_repeated_line_numbers_are_duplicates_naming_the_first_line():
    text = "order_id,order_item_id,product_id,price\nO1,1,A,10\nO1,2,B,10\nO1,1,C,10\n"
    mapping = {"order_id": "order_id", "line_no": "order_item_id", "sku": "product_id", "unit_price": "price"}
    validation = validate(_raw(text), "order_items", mapping)
    assert _errors(validation) == [(4, "order_item_id", "duplicate_key")]
    assert validation.errors.loc[0, "reason"] == "repeats the key order_id/line_no of line 2"
    assert validation.tables["order_items"]["quantity"].tolist() == [1, 1, 1]  # no quantity: one unit per row


@pytest.mark.parametrize("backend", BACKENDS)
def test_order_lines_of_orders_missing_from_the_database_are_errors(backend, fresh_engine):
    from data_access.ingest.load import import_tables

    engine = fresh_engine(backend)
    orders = validate(_raw("id,at\nO1,2024-01-01\n"), "orders", {"order_id": "id", "ordered_at": "at"},
                      {"store_id": "S1", "channel": "direct"})
    import_tables(engine, orders, username="t", filename="orders.csv")
    text = "order_id,sku,price\nO1,A,1\nO9,A,1\nO1,B,2\n"
    validation = validate(_raw(text), "order_items", {"order_id": "order_id", "sku": "sku", "unit_price": "price"},
                          engine=engine)
    assert _errors(validation) == [(3, "order_id", "unknown_order")]


def test_ad_report_rows_sum_to_the_marketing_spend_key():
    text = ("date,campaign,spent,impressions,clicks,conversions\n"
            "2024-06-01,C1,\"$1,000.50\",10000,100,3\n"
            "2024-06-01,C1,$99.50,5000,50,\n"
            "2024-06-01,C2,20,100,1,1\n"
            "2024-06-02,,7.25,70,7,0\n")
    mapping = {"day": "date", "campaign_id": "campaign", "spend": "spent", "impressions": "impressions",
               "clicks": "clicks", "conversions": "conversions"}
    validation = validate(_raw(text), "marketing_spend", mapping, {"channel": "Facebook"})
    assert validation.ok and validation.rows == 4
    spend = validation.tables["marketing_spend"]
    assert spend["day"].dt.strftime("%Y-%m-%d").tolist() == ["2024-06-01", "2024-06-01", "2024-06-02"]
    assert spend["channel"].unique().tolist() == ["paid_social"]
    assert spend["campaign_id"].tolist() == ["C1", "C2", ""]
    assert spend["spend"].tolist() == [1100.0, 20.0, 7.25]
    assert spend["impressions"].tolist() == [15000, 100, 70]
    assert spend["clicks"].tolist() == [150, 1, 7]
    assert spend["conversions"].tolist() == [3, 1, 0]


def test_constants_fill_fields_override_columns_and_bad_ones_are_reported():
    text = "date,spent,channel\n2024-06-01,5,email\n"
    base = {"day": "date", "spend": "spent", "channel": "channel"}
    overridden = validate(_raw(text), "marketing_spend", base, {"channel": "短信"})
    assert overridden.tables["marketing_spend"]["channel"].tolist() == ["sms"]
    bad = validate(_raw(text), "marketing_spend", {"day": "date", "spend": "spent"}, {"channel": "carrier pigeon"})
    assert _errors(bad) == [(0, "=channel", "unknown_value")]
    assert bad.valid_rows == 0
    assert bad.errors.loc[0, "reason"].startswith("the value given for channel: not a known channel")


def test_missing_needed_field_unknown_field_and_absent_column_are_refused():
    raw = _raw("date,spent\n2024-06-01,5\n", name="ads.csv")
    with pytest.raises(IngestError) as caught:
        validate(raw, "marketing_spend", {"day": "date", "spend": "spent"})
    assert caught.value.code == "missing_field" and caught.value.params == {"field": "channel"}
    assert str(caught.value) == "ads.csv: The required field channel is not mapped to any column."
    with pytest.raises(IngestError) as caught:
        validate(raw, "marketing_spend", {"day": "date", "spend": "Spend ($)"}, {"channel": "email"})
    assert caught.value.column == "Spend ($)"
    with pytest.raises(ValueError, match="no field"):
        validate(raw, "marketing_spend", {"day": "date", "spend": "spent", "colour": "date"}, {"channel": "email"})
    with pytest.raises(ValueError, match="unknown kind"):
        validate(raw, "invoices", {})


def test_needed_fields_follow_the_schema_and_the_level():
    assert needed_fields("orders") == ("order_id", "ordered_at", "store_id", "channel")
    line_level = ("order_id", "ordered_at", "store_id", "channel", "sku", "unit_price")
    assert needed_fields("orders", {"quantity"}) == line_level
    assert needed_fields("orders", {"sku"}) == needed_fields("orders")  # a product name alone: still per order
    assert needed_fields("marketing_spend") == ("day", "channel", "spend")
    assert needed_fields("reviews") == ("created_at", "rating")  # review ids are derived when missing
    assert needed_fields("products") == ("sku",)  # the name defaults to the SKU


def test_reviews_without_ids_get_stable_distinct_ids_and_ratings_are_checked():
    text = ("评价时间,评分,评价内容\n"
            "2024-03-01,5,很好\n"
            "2024-03-01,5,很好\n"          # the same review twice: two ids, not a duplicate
            "2024-03-02,6,太棒了\n"
            "2024-03-03,0,\n"
            "2024-03-04,4.5,还行\n")
    mapping = {"created_at": "评价时间", "rating": "评分", "comment": "评价内容"}
    first = validate(_raw(text), "reviews", mapping)
    again = validate(_raw(text), "reviews", mapping)
    assert _errors(first) == [(4, "评分", "out_of_range"), (5, "评分", "out_of_range"), (6, "评分", "not_integer")]
    assert first.errors.loc[0, "reason"] == "must be between 1 and 5"
    ids = first.tables["reviews"]["review_id"]
    assert ids.tolist() == again.tables["reviews"]["review_id"].tolist()
    assert ids.is_unique and ids.str.fullmatch(r"H[0-9a-f]{16}").all()


def test_tickets_statuses_and_priorities_in_chinese_and_english():
    text = ("工单号,创建时间,状态,优先级,满意度\n"
            "T1,2024-03-01 09:00,待处理,紧急,\n"
            "T2,2024-03-01 10:00,Resolved,normal,5\n"
            "T3,2024-03-01 11:00,已关闭,低,4\n"
            "T4,2024-03-01 12:00,lost,whenever,9\n")
    mapping = {"ticket_id": "工单号", "created_at": "创建时间", "status": "状态", "priority": "优先级",
               "csat": "满意度"}
    validation = validate(_raw(text), "tickets", mapping, {"store_id": "S1"})
    tickets = validation.tables["tickets"]
    assert tickets["status"].tolist()[:3] == ["open", "resolved", "closed"]
    assert tickets["priority"].tolist()[:3] == ["urgent", "normal", "low"]
    assert _errors(validation) == [(5, "优先级", "unknown_value"), (5, "满意度", "out_of_range"),
                                   (5, "状态", "unknown_value")]


def test_products_default_their_name_to_the_sku_and_inventory_needs_a_store():
    products = validate(_raw("sku,名称,成本\nP1,杯子,4\nP2,,12\n"), "products",
                        {"sku": "sku", "name": "名称", "unit_cost": "成本"})
    assert products.tables["products"][["sku", "name"]].values.tolist() == [["P1", "杯子"], ["P2", "P2"]]
    raw = _raw("日期,sku,库存\n2024-03-01,P1,5\n2024-03-01,P1,6\n2024-03-01,P2,-1\n")
    with pytest.raises(IngestError, match="store_id"):
        validate(raw, "inventory", {"snapshot_date": "日期", "sku": "sku", "on_hand": "库存"})
    inventory = validate(raw, "inventory", {"snapshot_date": "日期", "sku": "sku", "on_hand": "库存"},
                         {"store_id": "S1"})
    assert _errors(inventory) == [(3, "sku", "duplicate_key"), (4, "库存", "out_of_range")]


def test_a_date_column_that_only_guessed_follows_the_one_that_proves_the_order():
    # ordered_at alone cannot tell d/m from m/d; paid_at has a day above 12, so both are d/m/y.
    text = "id,ordered,paid\nA,01/02/2024,13/02/2024\nB,03/04/2024,03/04/2024\n"
    mapping = {"order_id": "id", "ordered_at": "ordered", "paid_at": "paid"}
    constants = {"store_id": "S1", "channel": "direct"}
    validation = validate(_raw(text), "orders", mapping, constants)
    orders = validation.tables["orders"]
    assert orders["ordered_at"].tolist() == [datetime(2024, 2, 1), datetime(2024, 4, 3)]
    assert orders["paid_at"].tolist() == [datetime(2024, 2, 13), datetime(2024, 4, 3)]
    assert validation.date_forms["ordered_at"].order == "dmy" and not validation.ambiguous_dates
    # Given explicitly, m/d/y wins, and the day 13 in the month place is then an error.
    forced = validate(_raw(text), "orders", mapping, constants, date_order="mdy")
    assert forced.tables["orders"]["ordered_at"].tolist() == [datetime(2024, 1, 2), datetime(2024, 3, 4)]
    assert _errors(forced) == [(2, "paid", "not_date")]


def test_an_ambiguous_date_column_is_flagged_for_the_user():
    text = "id,ordered\nA,01/02/2024\nB,03/04/2024\n"
    validation = validate(_raw(text), "orders", {"order_id": "id", "ordered_at": "ordered"},
                          {"store_id": "S1", "channel": "direct"})
    assert validation.ambiguous_dates == ["ordered_at"]
    assert validation.date_forms["ordered_at"].order in ("dmy", "mdy")


@pytest.mark.parametrize(("label", "status"), [
    ("已付款", "paid"), ("待发货", "paid"), ("已发货", "shipped"), ("卖家已发货", "shipped"), ("已完成", "delivered"),
    ("交易成功", "delivered"), ("已取消", "cancelled"), ("交易关闭", "cancelled"), ("已退款", "returned"),
    ("退款成功", "returned"), ("等待买家付款", "pending"), ("DELIVERED", "delivered"), ("canceled", "cancelled"),
])
def test_order_status_labels(label, status):
    mapped, unknown = vocab.to_canonical(pd.Series([label], dtype="str"), "order_status")
    assert mapped.tolist() == [status] and not unknown.any()


@pytest.mark.parametrize("vocabulary", sorted(vocab.VOCABULARIES))
def test_every_channel_and_status_label_maps_to_itself_and_no_synonym_is_shared(vocabulary):
    from data_access.schema import CHANNELS

    table = vocab.VOCABULARIES[vocabulary]
    for canonical in vocab.ALLOWED[vocabulary]:
        assert table[vocab._key(canonical)] == canonical
    if vocabulary == "channel":
        for canonical, (english, chinese) in CHANNELS.items():
            assert table[vocab._key(english)] == canonical and table[vocab._key(chinese)] == canonical
    synonyms = {"channel": vocab._CHANNEL_SYNONYMS, "order_status": vocab._ORDER_STATUS_SYNONYMS,
                "ticket_status": vocab._TICKET_STATUS_SYNONYMS, "priority": vocab._PRIORITY_SYNONYMS}[vocabulary]
    names = [vocab._key(n) for values in synonyms.values() for n in values]
    assert len(names) == len(set(names)), "a label means two things"


def test_rows_of_stores_outside_the_users_scope_are_errors():
    text = "order_id,date,store\nA,2024-01-01,S1\nB,2024-01-01,S3\nC,2024-01-01,\n"
    mapping = {"order_id": "order_id", "ordered_at": "date", "store_id": "store"}
    scoped = validate(_raw(text), "orders", mapping, {"channel": "direct"}, stores=("S1", "S2"))
    assert _errors(scoped) == [(3, "store", "out_of_scope"), (4, "store", "required")]
    assert validate(_raw(text), "orders", mapping, {"channel": "direct"}, stores=None).errors["reason_code"] \
        .tolist() == ["required"]
    constant = validate(_raw("order_id,date\nA,2024-01-01\n"), "orders", {"order_id": "order_id", "ordered_at": "date"},
                        {"channel": "direct", "store_id": "S9"}, stores=("S1",))
    assert _errors(constant) == [(0, "=store_id", "out_of_scope")]


@pytest.mark.parametrize(("cells", "form", "expected"), [
    (["2024-03-05 10:00:00", "2024-03-18 00:00:00"], "iso", [datetime(2024, 3, 5, 10), datetime(2024, 3, 18)]),
    (["05/03/2024 10:00", "18/03/2024"], "dmy", [datetime(2024, 3, 5, 10), datetime(2024, 3, 18)]),
    (["03/05/2024 10:00", "03/18/2024"], "mdy", [datetime(2024, 3, 5, 10), datetime(2024, 3, 18)]),
    (["2024年3月5日 10:00", "2024年3月18日"], "chinese", [datetime(2024, 3, 5, 10), datetime(2024, 3, 18)]),
    (["1709632800", "1710720000"], "unix_seconds", [datetime(2024, 3, 5, 10), datetime(2024, 3, 18)]),
])
def test_each_date_form_imports_as_the_same_moments(cells, form, expected):
    text = "order_id,ordered_at\n" + "".join(f"O{i},{cell}\n" for i, cell in enumerate(cells))
    validation = validate(_raw(text), "orders", {"order_id": "order_id", "ordered_at": "ordered_at"},
                          {"store_id": "S1", "channel": "direct"})
    assert validation.ok
    assert validation.tables["orders"]["ordered_at"].tolist() == expected
    assert validation.date_forms["ordered_at"].form == form


@pytest.mark.parametrize(("cells", "expected"), [
    (["1,234.50", "88"], [1234.5, 88.0]),
    (["¥1,234.50", "￥88"], [1234.5, 88.0]),
    (["$1,234.50", "$88.00"], [1234.5, 88.0]),
    (["R$ 1.234,50", "R$ 88,00"], [1234.5, 88.0]),
    (["€1.234,50", "€88"], [1234.5, 88.0]),
    (["1 234,50", "88,10"], [1234.5, 88.1]),
])
def test_each_money_form_imports_as_the_same_amounts(cells, expected):
    text = "order_id,date,paid\n" + "".join(f'O{i},2024-03-05,"{cell}"\n' for i, cell in enumerate(cells))
    validation = validate(_raw(text), "orders", {"order_id": "order_id", "ordered_at": "date", "paid_total": "paid"},
                          {"store_id": "S1", "channel": "direct"})
    assert validation.ok, validation.errors
    assert validation.tables["orders"]["paid_total"].tolist() == expected


def test_percent_and_thousands_in_counts():
    text = 'date,spent,impressions,clicks\n2024-03-05,"1,000","12,345",1%\n'
    validation = validate(_raw(text), "marketing_spend", {"day": "date", "spend": "spent",
                                                          "impressions": "impressions", "clicks": "clicks"},
                          {"channel": "display"})
    assert validation.tables["marketing_spend"]["impressions"].tolist() == [12345]
    assert _errors(validation) == [(2, "clicks", "not_integer")]  # 1% is 0.01, no count of clicks


def test_a_column_mixing_date_forms_keeps_every_date_on_its_own_row():
    text = "order_id,ordered_at\nA,2024-03-01\nB,2024年3月5日\nC,18/03/2024\nD,2024年3月20日\n"
    validation = validate(_raw(text), "orders", {"order_id": "order_id", "ordered_at": "ordered_at"},
                          {"store_id": "S1", "channel": "direct"})
    assert validation.ok, validation.errors
    assert validation.tables["orders"]["ordered_at"].tolist() == [
        datetime(2024, 3, 1), datetime(2024, 3, 5), datetime(2024, 3, 18), datetime(2024, 3, 20)]
