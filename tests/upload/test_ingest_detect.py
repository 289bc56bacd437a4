"""Detecting what an uploaded file is and mapping its columns (data_access.ingest.detect, .mappings)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import schema
from data_access.ingest.detect import UNKNOWN, detect, header_matches, map_columns, missing_required
from data_access.ingest.fields import DECISION_FIELDS, FIELDS, KINDS, TYPES, normalise, required_fields
from data_access.ingest.listings import snapshot_day
from data_access.ingest.mappings import delete_mapping, header_signature, load_mapping, save_mapping
from data_access.ingest.read import read_file
from tests.conftest import BACKENDS, REAL_DATA


def _detect(text: str, engine=None, codec: str = "utf-8"):
    return detect(read_file(text.encode(codec), "upload.csv"), engine)


def test_fields_are_canonical_columns_with_known_types():
    assert set(FIELDS) == set(KINDS)
    tables = {"orders": schema.orders, "order_items": schema.order_items, "products": schema.products,
              "inventory": schema.inventory, "marketing_spend": schema.marketing_spend, "reviews": schema.reviews,
              "tickets": schema.tickets, "listings": schema.listings,
              "daily_metrics": schema.daily_metrics}
    for kind, specs in FIELDS.items():
        if kind == "conversations":  # messages, stored as the tickets their threads make (ingest.threads)
            assert all(spec.type in TYPES for spec in specs)
            continue
        columns = set(tables[kind].c.keys()) | ({"line_no", "sku", "quantity", "unit_price", "discount",
                                                 *DECISION_FIELDS} if kind == "orders" else set())
        for spec in specs:
            assert spec.name in columns, f"{kind}.{spec.name}"
            assert spec.type in TYPES
            assert all(s == s.lower() for s in spec.synonyms)
    assert required_fields("orders") == ("order_id", "ordered_at")


def test_normalise_ignores_case_spacing_and_units():
    assert normalise(" Amount Spent (USD) ") == "amountspent"
    assert normalise("花费（元）") == "花费"
    assert normalise("Order_ID") == normalise("order id") == "orderid"


def test_chinese_order_report_maps_the_issue_examples():
    text = ("订单编号,买家会员名,买家实际支付金额,订单状态,收货地址,订单创建时间,订单付款时间,退款金额\n"
            "T1001,小王,\"1,299.00\",交易成功,浙江省 杭州市,2024-03-05 10:00:00,2024-03-05 10:01:00,0\n"
            "T1002,小李,88.50,交易关闭,北京,2024-03-05 11:00:00,,88.50\n")
    found = _detect(text, codec="gbk")
    assert found.kind == "orders"
    assert found.mapping["order_id"] == "订单编号"
    assert found.mapping["paid_total"] == "买家实际支付金额"
    assert found.mapping["ordered_at"] == "订单创建时间"
    assert found.mapping["refund_total"] == "退款金额"
    assert found.mapping["customer_id"] == "买家会员名"
    assert found.mapping["status"] == "订单状态"
    assert found.missing_required == ()
    assert found.confidence > 0.7
    assert found.confidence == pytest.approx(max(found.scores.values()), abs=1e-3)
    assert found.mapping["paid_at"] == "订单付款时间"


def test_taobao_order_export_stays_order_level():
    header = ("订单编号,买家会员名,买家支付宝账号,买家应付货款,总金额,买家实际支付金额,订单状态,收货地址,订单创建时间,"
              "订单付款时间,宝贝标题,宝贝种类,宝贝总数量,店铺Id,店铺名称,退款金额")
    row = ("T{n},tb_abc,a***@x.com,100.00,100.00,95.50,交易成功,浙江省 杭州市,2024-03-05 10:00:00,"
           "2024-03-05 10:01:00,连衣裙,1,2,12345,旗舰店,0")
    found = _detect("\n".join([header, row.format(n=1), row.format(n=2)]) + "\n", codec="gbk")
    assert found.kind == "orders"
    assert found.mapping["paid_total"] == "买家实际支付金额" and found.mapping["store_id"] == "店铺Id"
    # Product title and item count of an order-level report are not order lines.
    assert not {"sku", "quantity", "unit_price", "line_no", "discount"} & set(found.mapping)


def test_line_level_sales_export_is_orders_with_line_fields():
    text = ("Order ID,Order Date,SKU,Quantity,Unit Price\n"
            "A1,03/05/2024,TEA-1,2,$4.50\nA1,03/05/2024,CUP-2,1,$9.00\nA2,03/13/2024,TEA-1,1,$4.50\n")
    found = _detect(text)
    assert found.kind == "orders"
    assert {k: found.mapping[k] for k in ("order_id", "ordered_at", "sku", "quantity", "unit_price")} == {
        "order_id": "Order ID", "ordered_at": "Order Date", "sku": "SKU", "quantity": "Quantity",
        "unit_price": "Unit Price"}


def test_type_check_keeps_a_text_column_off_a_date_field():
    # "日期" is a date synonym, but this column holds words; the real dates are in 下单时间.
    text = "订单号,日期,下单时间,实付金额\nA1,周一,2024-03-05,10\nA2,周二,2024-03-06,12\n"
    found = _detect(text)
    assert found.mapping["ordered_at"] == "下单时间"


@pytest.mark.parametrize(("text", "kind", "expected"), [
    ("日期,渠道,计划名称,花费(元),展现量,点击量,转化数\n2024-03-05,抖音,春季上新,1200.5,50000,800,12\n",
     "marketing_spend", {"day": "日期", "channel": "渠道", "campaign_id": "计划名称", "spend": "花费(元)",
                         "impressions": "展现量", "clicks": "点击量", "conversions": "转化数"}),
    ("评价ID,订单号,评分,评价内容,评价时间\nR1,A1,5,很好,2024-03-05\nR2,A2,2,一般,2024-03-06\n",
     "reviews", {"review_id": "评价ID", "order_id": "订单号", "rating": "评分", "comment": "评价内容",
                 "created_at": "评价时间"}),
    ("工单编号,创建时间,状态,优先级,问题类型,解决时间\nK1,2024-03-05 09:00,已解决,高,物流,2024-03-05 12:00\n",
     "tickets", {"ticket_id": "工单编号", "created_at": "创建时间", "status": "状态", "priority": "优先级",
                 "category": "问题类型", "resolved_at": "解决时间"}),
    ("盘点日期,仓库,商品编码,可用库存,在途库存\n2024-03-05,杭州仓,SKU1,120,30\n",
     "inventory", {"snapshot_date": "盘点日期", "store_id": "仓库", "sku": "商品编码", "on_hand": "可用库存",
                   "on_order": "在途库存"}),
    ("商家编码,商品名称,类目,成本价,售价,供应商\nSKU1,绿茶,食品,5.5,12,杭州茶厂\n",
     "products", {"sku": "商家编码", "name": "商品名称", "category": "类目", "unit_cost": "成本价",
                  "unit_price": "售价", "supplier": "供应商"}),
])
def test_each_kind_is_recognised_from_chinese_headers(text, kind, expected):
    found = _detect(text)
    assert found.kind == kind, found.scores
    assert {name: found.mapping.get(name) for name in expected} == expected


def test_unknown_file_gets_no_kind():
    found = _detect("temperature,humidity\n21.5,40\n22.0,42\n")
    assert found.kind == UNKNOWN and found.mapping == {}


def test_facebook_ads_report_is_marketing_spend():
    found = detect(read_file(REAL_DATA / "fb_ads_KAG_conversion_data.csv", "fb_ads_KAG_conversion_data.csv"))
    assert found.kind == "marketing_spend"
    assert found.mapping["spend"] == "Spent"
    assert found.mapping["impressions"] == "Impressions"
    assert found.mapping["clicks"] == "Clicks"
    assert found.mapping["conversions"] == "Total_Conversion"
    assert found.mapping["campaign_id"] == "xyz_campaign_id"
    # The report has neither a day nor a channel column: Meta's channel, and the day from the file name (none
    # here: the day of the import), as defaults the user sees and may change.
    assert found.missing_required == ("day", "channel")
    assert found.profile == "meta_ads_breakdown" and found.defaults["channel"] == "paid_social"
    assert found.defaults["day"] == snapshot_day("fb_ads_KAG_conversion_data.csv").isoformat()
    dated = detect(read_file(REAL_DATA / "fb_ads_KAG_conversion_data.csv", "meta_breakdown_20170817.csv"))
    assert dated.defaults["day"] == "2017-08-17"


@pytest.mark.parametrize(("name", "kind", "fields"), [
    ("olist4k_orders.csv", "orders", {"order_id": "order_id", "ordered_at": "order_purchase_timestamp",
                                      "status": "order_status", "delivered_at": "order_delivered_customer_date"}),
    ("olist4k_order_items.csv", "order_items", {"order_id": "order_id", "line_no": "order_item_id",
                                                "sku": "product_id", "unit_price": "price"}),
    ("olist4k_order_reviews.csv", "reviews", {"review_id": "review_id", "rating": "review_score",
                                              "created_at": "review_creation_date"}),
])
def test_olist_files_are_recognised(name, kind, fields):
    found = detect(read_file(REAL_DATA / name, name))
    assert found.kind == kind
    assert {key: found.mapping[key] for key in fields} == fields


def test_map_columns_for_a_chosen_kind_and_helpers():
    raw = read_file("订单号,金额\nA1,10\n".encode(), "x.csv")
    mapping, confidence = map_columns("orders", raw.frame)
    assert mapping == {"order_id": "订单号", "paid_total": "金额"}
    assert all(0 < value <= 1 for value in confidence.values())
    assert missing_required("orders", mapping) == ("ordered_at",)
    assert header_matches("买家实际支付金额", "orders")[0][0] == "paid_total"


# --- saved mappings ---------------------------------------------------------------------------------------------


def test_header_signature_ignores_spacing_and_case_but_not_order():
    assert header_signature(["Order ID", "Amount"]) == header_signature([" order_id", "AMOUNT "])
    assert header_signature(["a", "b"]) != header_signature(["b", "a"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_saved_mapping_is_reused_for_the_same_header(fresh_engine, backend):
    engine = fresh_engine(backend)
    schema.create_schema(engine)
    text = "单号,时间,钱\nA1,2024-03-05,10\n"
    raw = read_file(text.encode(), "odd.csv")
    assert load_mapping(engine, raw.columns) is None
    save_mapping(engine, raw.columns, "orders", {"order_id": "单号", "ordered_at": "时间", "paid_total": "钱"},
                 username="analyst", constants={"store_id": "S01"}, date_order="dmy")
    found = detect(read_file(("单号 ,时间,钱\nB7,2024-04-01,3\n").encode("gbk"), "next.csv"), engine)
    assert (found.kind, found.confidence, found.saved) == ("orders", 1.0, True)
    assert found.mapping == {"order_id": "单号", "ordered_at": "时间", "paid_total": "钱"}
    saved = load_mapping(engine, raw.columns)
    assert (saved.saved_by, saved.constants, saved.date_order) == ("analyst", {"store_id": "S01"}, "dmy")
    # Saving again replaces the row rather than adding one.
    save_mapping(engine, raw.columns, "orders", {"order_id": "单号", "ordered_at": "时间"}, username="admin")
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.ingest_mappings)).scalar() == 1
    assert load_mapping(engine, raw.columns).mapping == {"order_id": "单号", "ordered_at": "时间"}
    assert delete_mapping(engine, raw.columns)
    assert detect(raw, engine).saved is False


def test_saved_mapping_may_only_name_header_columns(fresh_engine):
    engine = fresh_engine("duckdb")
    schema.create_schema(engine)
    with pytest.raises(ValueError, match="does not have"):
        save_mapping(engine, ["a", "b"], "orders", {"order_id": "c"}, username="x")
