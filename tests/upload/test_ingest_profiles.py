"""Known export formats (data_access.ingest.profiles) and what their figures mean (data_access.ingest.semantics).

Every test file is written here from the platform's documented column names (no copy of any real export).
Each profile's header is recognised with its mapping; the Taobao report's paid amount is net of refunds and its
unpaid orders are no sales; an invoice-line export's credit notes are returns; totals equal a direct computation
from the rows written, imports need no flag, and a re-import changes nothing; on both backends.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from data_access.filters import Filters
from data_access.ingest import profiles, service
from data_access.ingest.__main__ import main
from data_access.ingest.analysis import analyse
from data_access.ingest.detect import detect
from data_access.ingest.fields import FIELDS
from data_access.ingest.read import read_file
from data_access.sales import queries
from tests.conftest import BACKENDS

MAY = Filters(date(2025, 5, 1), date(2025, 5, 31))
_SAMPLE = {"text": "T{row}", "int": "{row}", "number": "1.5", "money": "12.50", "percent": "5%",
           "date": "2025-05-0{row}", "datetime": "2025-05-0{row} 10:00:00", "bool": "no"}


def _types(kind: str) -> dict[str, str]:
    return {f.name: f.type for f in FIELDS[kind]}


def _profile_file(profile: dict) -> str:
    """Three rows with every documented column of the profile (values of each field's type) and its signature
    columns (small counts)."""
    types = _types(profile["kind"])
    signature = list(profile.get("signature", ()))
    header = list(profile["columns"].values()) + signature
    rows = [",".join([_SAMPLE[types[name]].format(row=row) for name in profile["columns"]] + ["5"] * len(signature))
            for row in (1, 2, 3)]
    return "\n".join([",".join(header), *rows]) + "\n"


@pytest.mark.parametrize("profile", profiles.all_profiles(), ids=lambda p: p["id"])
def test_each_profile_header_is_recognised_with_its_mapping(profile):
    raw = read_file(_profile_file(profile).encode(), f"{profile['id']}.csv")
    found = detect(raw)
    assert (found.kind, found.profile, found.label) == (profile["kind"], profile["id"], profile["label"])
    for name, header in profile["columns"].items():
        assert found.mapping[name] == header


#: Values of coded fields a platform's export would hold (the generic samples are not words of any vocabulary).
_CODED = {"priority": "normal", "channel": "marketplace"}


def _importable_file(profile: dict) -> str:
    """_profile_file with each coded column holding a value the platform's export would: a status word of the
    profile's own vocabulary that means a sale (or an open ticket), a priority, a channel."""
    statuses = profile.get("semantics", {}).get("statuses", {})
    sold = next((raw for raw, status in statuses.items() if status in ("delivered", "shipped", "paid")), None)
    coded = {**_CODED, "status": sold or ("open" if profile["kind"] == "tickets" else "paid")}
    header, *rows = _profile_file(profile).splitlines()
    names = list(profile["columns"])
    fixed = []
    for row in rows:
        cells = row.split(",")
        fixed.append(",".join(coded.get(names[i], cell) if i < len(names) else cell for i, cell in enumerate(cells)))
    return "\n".join([header, *fixed]) + "\n"


@pytest.mark.parametrize("profile", profiles.all_profiles(), ids=lambda p: p["id"])
def test_each_profile_file_imports_with_no_flag_and_again_changes_nothing(profile, engine):
    text = _importable_file(profile)
    outcome = service.ingest(engine, text.encode(), f"{profile['id']}.csv", username="ana")
    assert outcome.prepared.detection.profile == profile["id"] and outcome.prepared.validation.ok
    written = {table: counts.inserted for table, counts in outcome.result.tables.items() if counts.inserted}
    assert written and set(written.values()) == {3}, written  # one row per file row
    assert not service.ingest(engine, text.encode(), f"{profile['id']}.csv", username="ana").result.changed


TAOBAO = ("订单编号,买家会员名,买家实际支付金额,总金额,订单状态,收货地址,订单创建时间,订单付款时间,退款金额,店铺Id\n"
          "T1,u1,79.00,79.00,交易成功,浙江省,2025-05-01 10:00:00,2025-05-01 10:01:00,0,TB\n"
          "T2,u2,30.00,100.00,交易成功,浙江省,2025-05-02 10:00:00,2025-05-02 10:05:00,70.00,TB\n"
          "T3,u3,0,50.00,交易关闭,江苏省,2025-05-03 10:00:00,2025-05-03 10:02:00,50.00,TB\n"
          "T4,u4,0,60.00,交易关闭,江苏省,2025-05-04 10:00:00,,0,TB\n"
          "T5,u5,0,45.00,等待买家付款,江苏省,2025-05-05 10:00:00,,0,TB\n")


@pytest.fixture(params=BACKENDS)
def engine(request, fresh_engine):
    return fresh_engine(request.param)


def test_taobao_paid_is_net_of_refunds_and_unpaid_orders_are_no_sales(engine):
    outcome = service.ingest(engine, TAOBAO.encode("gbk"), "订单报表.csv", username="ana")
    prepared = outcome.prepared
    assert prepared.detection.profile == "taobao_orders" and prepared.defaults == {"channel": "marketplace"}
    codes = [code for code, _ in prepared.validation.notes]
    assert codes == ["paid_net", "unpaid"]
    frame = pd.read_csv(__import__("io").StringIO(TAOBAO))
    paid = frame[frame["订单付款时间"].notna()]
    # As the file means it: net sales = the paid amounts of paid orders; orders = orders paid and not closed.
    totals = queries.kpi_totals(engine, MAY).set_index("period").loc["current"]
    assert totals["net_sales"] == pytest.approx(paid["买家实际支付金额"].sum())
    assert totals["orders"] == 2  # T1, T2 (T3 refunded in full and closed, T4 never paid, T5 not paid when exported)
    assert totals["aov"] == pytest.approx((79 + 30) / 2)
    again = service.ingest(engine, TAOBAO.encode("gbk"), "订单报表.csv", username="ana")
    assert not again.result.changed


def test_without_a_profile_a_refund_above_the_paid_amount_proves_paid_is_net(engine):
    text = "order_id,ordered_at,paid,refund,store_id\nA,2025-05-01,30,70,S\nB,2025-05-02,50,0,S\n"
    outcome = service.ingest(engine, text.encode(), "x.csv", "orders", {"paid_total": "paid",
                                                                        "refund_total": "refund"}, username="a")
    assert [c for c, _ in outcome.prepared.validation.notes] == ["paid_net"]
    totals = queries.kpi_totals(engine, MAY).set_index("period").loc["current"]
    assert totals["net_sales"] == pytest.approx(80)


INVOICES = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
            "536365,85123A,WHITE HANGING HEART,6,2025-05-01 08:26,2.55,17850,United Kingdom\n"
            "536365,71053,WHITE METAL LANTERN,6,2025-05-01 08:27,3.39,17850,United Kingdom\n"
            "536366,22633,HAND WARMER,6,2025-05-02 08:28,1.85,17850,United Kingdom\n"
            "C536379,71053,WHITE METAL LANTERN,-6,2025-05-03 09:41,3.39,17850,United Kingdom\n"
            "C536380,99999,UNKNOWN ITEM,-1,2025-05-03 09:45,9.00,17850,United Kingdom\n")


def test_invoice_credit_notes_are_returns_of_the_lines_they_credit_not_orders(engine):
    outcome = service.ingest(engine, INVOICES.encode(), "invoices.csv", username="ana")
    prepared = outcome.prepared
    assert prepared.detection.profile == "erp_invoice_lines" and prepared.validation.ok
    assert prepared.validation.notes == [("credit_notes", {"lines": 2, "prefix": "C", "matched": 1,
                                                           "unmatched": 1})]
    totals = queries.kpi_totals(engine, MAY).set_index("period").loc["current"]
    assert totals["orders"] == 2  # the two invoices; credit notes are no orders
    assert totals["net_sales"] == pytest.approx(6 * 2.55 + 6 * 1.85)  # the lantern line was credited
    assert not service.ingest(engine, INVOICES.encode(), "invoices.csv", username="ana").result.changed


SHOPIFY = ("Name,Email,Financial Status,Paid at,Total,Lineitem discount,Created at,Lineitem quantity,"
           "Lineitem price,Lineitem sku,Shipping Province,Refunded Amount\n"
           "#1001,a@x.com,paid,2025-05-01 10:00:00,30.00,0,2025-05-01 09:59:00,2,10.00,SKU-A,ON,0\n"
           "#1001,a@x.com,,,,0,2025-05-01 09:59:00,1,10.00,SKU-B,ON,\n"
           "#1002,b@x.com,refunded,2025-05-02 10:00:00,15.00,0,2025-05-02 09:00:00,1,15.00,SKU-A,QC,15.00\n")


def test_shopify_line_export_refunded_orders_are_no_sales(engine):
    outcome = service.ingest(engine, SHOPIFY.encode(), "orders_export.csv", username="ana")
    assert outcome.prepared.detection.profile == "shopify_orders" and outcome.prepared.validation.level == "line"
    totals = queries.kpi_totals(engine, MAY).set_index("period").loc["current"]
    assert totals["net_sales"] == pytest.approx(2 * 10 + 10)


def test_detect_prints_the_json_contract_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "订单报表.csv"
    path.write_bytes(TAOBAO.encode("gbk"))
    assert main(["--detect", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "orders" and report["profile"] == "taobao_orders"
    assert report["mapping"]["paid_total"] == "买家实际支付金额" and report["defaults"] == {"channel": "marketplace"}
    assert report["missing"] == [] and report["semantics"]["paid"] == "net"
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("text, name", [(TAOBAO, "订单报表.csv"), (INVOICES, "invoices.csv"),
                                        (SHOPIFY, "orders_export.csv")], ids=["taobao", "erp", "shopify"])
def test_quick_analysis_figures_equal_the_pages_after_the_import(engine, text, name):
    """The upload page's quick analysis applies the file's meaning as the import does (paid net of refunds,
    unpaid orders no sales, credit notes as returns): its net sales, orders and AOV are the sales page's."""
    raw = read_file(text.encode(), name)
    found = detect(raw)
    shown = analyse(raw, found.kind, found.mapping, meaning=found.meaning).metrics
    service.ingest(engine, text.encode(), name, username="ana")
    totals = queries.kpi_totals(engine, MAY).set_index("period").loc["current"]
    assert shown["net_sales"] == pytest.approx(totals["net_sales"])
    assert shown["orders"] == totals["orders"]
    assert shown["aov"] == pytest.approx(totals["aov"])


EBAY = ("Order Number,Buyer Username,Custom Label,Quantity,Sold For,Sale Date,Paid On Date,Shipped On Date,"
        "Ship To State,Item Number,Item Title,Total Price,Shipping And Handling,Buyer Name\n"
        "01-1001,amy,SKU-A,2,$12.50,2025-05-01,2025-05-01,2025-05-02,CA,111,Mug,$28.00,$3.00,Amy\n"
        "01-1002,bob,SKU-B,1,$40.00,2025-05-03,2025-05-03,,NY,222,Lamp,$40.00,$0.00,Bob\n"
        "01-1003,cat,SKU-A,1,$12.50,2025-05-04,,,TX,111,Mug,$12.50,$0.00,Cat\n")
SHOPEE = ("Order ID,Order Status,Order Creation Date,Order Paid Time,Username (Buyer),SKU Reference No.,Quantity,"
          "Deal Price,Province,Product Name,Variation Name,Grand Total,Tracking Number*,Buyer Paid Shipping Fee\n"
          "2505010001,Completed,2025-05-01 10:00,2025-05-01 10:02,u1,SK1,2,15.00,Selangor,Tee,Red,30.00,T1,0\n"
          "2505010001,Completed,2025-05-01 10:00,2025-05-01 10:02,u1,SK2,1,20.00,Selangor,Cap,Blue,20.00,T1,0\n"
          "2505020002,Cancelled,2025-05-02 11:00,2025-05-02 11:01,u2,SK1,1,15.00,Johor,Tee,Red,15.00,,0\n"
          "2505030003,Unpaid,2025-05-03 12:00,,u3,SK2,3,20.00,Johor,Cap,Blue,60.00,,0\n")


@pytest.mark.parametrize(("text", "name", "profile", "net_sales", "orders"), [
    # eBay: Sold For is the unit price; the line without Paid On Date was never paid.
    (EBAY, "ebay-orders.csv", "ebay_orders", 2 * 12.50 + 40.00, 2),
    # Shopee: the cancelled and the unpaid order are no sales; order 1's two lines count once.
    (SHOPEE, "shopee-orders.csv", "shopee_orders", 2 * 15.00 + 20.00, 1),
], ids=["ebay", "shopee"])
def test_marketplace_line_exports_import_with_no_flag_as_the_file_means(engine, text, name, profile, net_sales,
                                                                         orders):
    outcome = service.ingest(engine, text.encode(), name, username="ana")
    assert outcome.prepared.detection.profile == profile and outcome.prepared.validation.ok
    totals = queries.kpi_totals(engine, MAY).set_index("period").loc["current"]
    assert totals["net_sales"] == pytest.approx(net_sales) and totals["orders"] == orders
    raw = read_file(text.encode(), name)
    found = detect(raw)
    shown = analyse(raw, found.kind, found.mapping, meaning=found.meaning).metrics
    assert shown["net_sales"] == pytest.approx(net_sales) and shown["orders"] == orders
    assert not service.ingest(engine, text.encode(), name, username="ana").result.changed


@pytest.mark.slow
def test_real_olist_products_and_reviews_import_with_no_flag(engine):
    """The real Olist catalogue and reviews (../shared/data/real): recognised, imported with no flag (the reviews
    into a store named after the file), every row stored, the ratings' mean the file's, a re-import unchanged."""
    import sqlalchemy as sa

    from data_access import schema
    from tests.conftest import REAL_DATA

    for name, table, kind in (("olist4k_products.csv", schema.products, "products"),
                              ("olist4k_order_reviews.csv", schema.reviews, "reviews")):
        outcome = service.ingest(engine, REAL_DATA / name, name, username="ana")
        assert outcome.prepared.kind == kind and outcome.prepared.detection.profile == f"olist_{kind}"
        file = pd.read_csv(REAL_DATA / name)
        with engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == len(file)
            if kind == "reviews":
                mean = conn.execute(sa.select(sa.func.avg(schema.reviews.c.rating))).scalar()
                assert float(mean) == pytest.approx(file["review_score"].mean(), rel=1e-9)
        assert not service.ingest(engine, REAL_DATA / name, name, username="ana").result.changed
