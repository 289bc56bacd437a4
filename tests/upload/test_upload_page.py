"""The upload page in AppTest: read, detect, analyse, validate and import a file given through the test seam.

AppTest cannot drive st.file_uploader, so the tests put (name, bytes) in session state under
components.upload.state.TEST_FILE_KEY, which the page takes as the upload when the uploader is empty.
"""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from components.upload.state import TEST_FILE_KEY
from data_access import audit, schema
from data_access.engine import create_engine
from tests.conftest import REAL_DATA
from tests.support import apptest_helpers as h

ORDERS = (
    "订单编号,订单创建时间,买家实际支付金额,退款金额,收货地址,订单状态\n"
    "U1,2025-04-07 09:15:00,\"1,000.00\",0,浙江,交易成功\n"
    "U2,2025-04-07 09:40:00,200.00,50,北京,交易成功\n"
    "U3,2025-04-08 20:05:00,300.00,0,浙江,已发货\n"
    "U4,2025-04-08 21:00:00,999.00,0,上海,交易关闭\n"
).encode("gbk")


@pytest.fixture
def env(tiny_env):
    return tiny_env


def upload(data: bytes, name: str = "orders.csv", username: str = "analyst", lang: str = "en", tab: str | None = None,
           widgets: dict | None = None):
    """The page run once with the file (and session values such as a tab or widget values) already set."""
    at = h.logged_in("pages/upload.py", username)
    at.session_state[TEST_FILE_KEY] = (name, data)
    at.session_state["lang"] = lang
    if tab:
        at.session_state[f"upload_tab_{lang}"] = tab
    for key, value in (widgets or {}).items():
        at.session_state[key] = value
    return at.run()


def key(data: bytes, name: str) -> str:
    return f"{name}_{hashlib.sha256(data).hexdigest()[:12]}"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def engine_of(env):
    return create_engine(env[0])


def test_empty_state_names_the_size_limit(env):
    at = h.logged_in("pages/upload.py", "analyst").run()
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "up to 200 MB" in text and "Drop in an export" in text


def test_order_report_is_read_detected_and_analysed(env):
    at = upload(ORDERS)
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "orders.csv: 4 rows × 6 columns" in text
    assert "Text encoding: GBK" in text
    assert "Looks like: **Order report**" in text and "Looks like a Taobao/Tmall order report (订单报表)." in text
    values = metrics(at)
    # A Taobao report: 买家实际支付金额 is already net of refunds, so net sales = 1000 + 200 + 300 (what the
    # pages show after the import); the closed order U4 is not a sale.
    assert values["Net sales"] == "1,500.00" and values["Orders"] == "3" and values["AOV"] == "500.00"
    assert "The paid amount is already net of refunds" in text
    assert values["Refund rate"] == "33.33%"
    assert next(m for m in at.metric if m.label == "AOV").help == "AOV = net sales / orders"
    specs = [spec for spec, _ in h.charts(at)]
    assert len(specs) >= 5  # daily sales, daily orders, region, weekday, hour x weekday, status
    daily = next(data for _, datasets in h.charts(at) for data in datasets.values() if "net_sales" in data)
    assert sorted(daily["net_sales"].tolist()) == [300.0, 1200.0]


def test_upload_is_audited_once(env):
    engine = engine_of(env)
    before = len(audit.recent_events(engine, 1000, "marketer"))
    at = upload(ORDERS, name="audited.csv", username="marketer")
    at.run()
    events = audit.recent_events(engine, 1000, "marketer")
    assert len(events) == before + 1
    assert events.iloc[0]["action"] == audit.UPLOAD and events.iloc[0]["detail"].startswith("audited.csv: ")
    assert "4 rows" in events.iloc[0]["detail"]
    engine.dispose()


def test_profile_tab(env):
    at = upload(ORDERS, tab="Profile")
    assert not at.exception, at.exception
    profile = next(df.value for df in at.dataframe if "Type" in df.value.columns)
    assert profile["Column"].tolist()[:3] == ["订单编号", "订单创建时间", "买家实际支付金额"]
    assert profile.set_index("Column").loc["买家实际支付金额", "Type"] == "number"
    assert "4 rows, 6 columns, 0 duplicate rows, 0 empty cells." in h.all_text(at)


def test_refused_file_names_the_line(env):
    at = upload(b"a,b,c\n1,2,3\n4,5,6,7\n", name="ragged.csv")
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["ragged.csv · line 3: This row has 4 field(s) where the header has 3."]


def test_refusal_in_chinese(env):
    at = upload(b"%PDF-1.7 binary", name="report.csv", lang="zh")
    assert at.error[0].value == "report.csv: 这不是文本或 Excel 文件（看起来像 PDF 文档）；请另存为 CSV 或 .xlsx。"
    assert at.title[0].value == "数据上传"


def _count(engine, table: sa.Table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar()


def test_import_asks_for_missing_fields_then_imports_all_or_nothing_and_is_idempotent(env):
    name = "import-orders.csv"
    data = ORDERS.replace(b"U", b"W")
    at = upload(data, name=name, tab="Import")
    assert not at.exception, at.exception
    # The header is a Taobao order report's (issue 14): the page says so and, instead of refusing, presets the
    # store and channel it lacks (the marketplace channel, a store named after the platform), changeable below.
    assert "Looks like a Taobao/Tmall order report (订单报表)." in h.all_text(at)
    assert "Still needed to import" not in h.all_text(at)
    store_input = at.text_input(key=f"upload_const_{key(data, name)[len(name) + 1:]}_orders_store_id")
    assert store_input.value == "Taobao"
    at.text_input(key=f"upload_const_{key(data, name)[len(name) + 1:]}_orders_store_id").input("S1")
    at.selectbox(key=f"upload_const_{key(data, name)[len(name) + 1:]}_orders_channel_en").select("marketplace")
    at.run()
    assert not at.exception, at.exception
    assert "4 rows look good." in h.all_text(at)
    button = next(b for b in at.button if b.key == "upload_import_button")
    assert button.label == "Import 4 rows"
    button.click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success if s.value.startswith("Imported")] == [
        f"Imported {name}: orders: 4 new, 0 updated, 0 unchanged"]
    engine = engine_of(env)
    imported = schema.orders.c.order_id.in_(["W1", "W2", "W3", "W4"])
    assert _count(engine, schema.orders, imported) == 4
    with engine.connect() as conn:
        paid = conn.execute(sa.select(sa.func.sum(schema.orders.c.paid_total)).where(imported)).scalar()
        stores = conn.execute(sa.select(schema.orders.c.store_id).where(imported).distinct()).scalars().all()
    # 买家实际支付金额 is net of refunds: U2 paid 200 after a refund of 50 is stored as 250 paid, 50 refunded.
    assert float(paid) == pytest.approx(2499.0 + 50) and stores == ["S1"]
    events = audit.recent_events(engine, 10, "analyst")
    assert events.iloc[0]["action"] == audit.IMPORT and name in events.iloc[0]["detail"]
    # The same file again changes nothing.
    at.button(key="upload_import_button").click().run()
    assert "Everything in the file was already in the database; nothing changed." in h.all_text(at)
    assert _count(engine, schema.orders, imported) == 4
    engine.dispose()


def test_rows_with_problems_are_listed_and_block_the_import(env):
    name = "bad-orders.csv"
    data = ("订单编号,订单创建时间,实付金额,店铺,渠道\n"
            "X1,2025-04-07 09:00,10,S1,天猫\nX2,not a date,20,S1,天猫\nX3,2025-04-07 10:00,abc,S1,天猫\n").encode()
    at = upload(data, name=name, tab="Import")
    assert not at.exception, at.exception
    assert "2 rows have problems; nothing is imported until the file is fixed." in [e.value for e in at.error]
    problems = next(df.value for df in at.dataframe if "Problem" in df.value.columns)
    assert problems[["Line", "Column"]].values.tolist() == [[3, "订单创建时间"], [4, "实付金额"]]
    assert not [b for b in at.button if b.key == "upload_import_button"]
    assert _count(engine_of(env), schema.orders, schema.orders.c.order_id.in_(["X1", "X2", "X3"])) == 0


def test_scoped_user_cannot_import_other_stores(env, monkeypatch):
    from data_access.accounts import users

    credentials = env[1]
    users.add_user(credentials, "scoped_marketer", h.PASSWORD, "marketer", stores=["S1"], name="Scoped")
    data = "订单编号,订单创建时间,实付金额,店铺,渠道\nZ1,2025-04-07 09:00,10,S2,天猫\n".encode()
    at = upload(data, name="s2.csv", username="scoped_marketer", tab="Import")
    assert not at.exception, at.exception
    problems = next(df.value for df in at.dataframe if "Problem" in df.value.columns)
    assert problems[["Line", "Column", "Value"]].values.tolist() == [[2, "店铺", "S2"]]
    assert "outside the stores you may import into" in problems["Problem"].iloc[0]
    assert not [b for b in at.button if b.key == "upload_import_button"]
    zh = upload(data, name="s2.csv", username="scoped_marketer", tab="导入", lang="zh")
    problems = next(df.value for df in zh.dataframe if "问题" in df.value.columns)
    assert problems["问题"].tolist() == ["不属于您可导入的店铺"]


def test_facebook_ads_report_takes_its_day_from_the_file_name_or_the_import_day_and_imports(env):
    """The audience breakdown has no date column: a date in the file name is its day, else the day of the import,
    preset in the day input (changed there once); the channel is Meta's (paid social). No other input."""
    import datetime as dt

    from data_access.ingest.listings import snapshot_day

    name = "fb_ads_KAG_conversion_data.csv"
    data = (REAL_DATA / name).read_bytes()
    # Marketing spend is shop-wide: a marketer (or an admin) imports it, not an analyst (issue 17).
    at = upload(data, name=name, username="marketer", tab="Import")
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "Looks like: **Ad report**" in text and "Meta Ads audience breakdown report" in text
    assert "Still needed to import" not in text and "1,143 rows look good." in text
    suffix = key(data, name)[len(name) + 1:]
    day = at.date_input(key=f"upload_const_{suffix}_marketing_spend_day")
    assert day.value == snapshot_day(name)  # no date in the name: the import day
    day.set_value(dt.date(2017, 8, 17)).run()
    assert not at.exception, at.exception
    at.button(key="upload_import_button").click().run()
    assert not at.exception, at.exception
    dated = "fb_ads_2017-08-18.csv"
    at = upload(data, name=dated, username="marketer", tab="Import")
    assert not at.exception, at.exception
    assert at.date_input(key=f"upload_const_{key(data, dated)[len(dated) + 1:]}_marketing_spend_day").value == (
        dt.date(2017, 8, 18))
    at.button(key="upload_import_button").click().run()
    assert not at.exception, at.exception
    engine = engine_of(env)
    spend = schema.marketing_spend
    for imported in (dt.date(2017, 8, 17), dt.date(2017, 8, 18)):
        where = (spend.c.day == imported, spend.c.channel == "paid_social")
        with engine.connect() as conn:
            rows = conn.execute(sa.select(spend.c.campaign_id, spend.c.spend).where(*where)).all()
        assert sorted(r[0] for r in rows) == ["1178", "916", "936"]
        assert float(sum(r[1] for r in rows)) == pytest.approx(58705.23, abs=0.05)
    with engine.begin() as conn:  # the module's tests share the shop: leave it as the first import left it
        conn.execute(spend.delete().where(spend.c.day == dt.date(2017, 8, 18)))
    engine.dispose()


def test_ambiguous_dates_can_be_read_the_other_way(env):
    name = "ambiguous.csv"
    data = "订单号,下单时间,实付金额\nA1,04/05/2025,10\nA2,04/05/2025,20\n".encode()
    at = upload(data, name=name)
    assert not at.exception, at.exception
    radio = at.radio(key=f"upload_order_{key(data, name)[len(name) + 1:]}_en")
    assert radio.value == "dmy"
    assert "下单时间: no day above 12 and the rows do not tell; please check the order." in h.all_text(at)
    day = next(d for _, ds in h.charts(at) for d in ds.values() if "orders" in d)["day"].iloc[0]
    assert str(day)[:10] == "2025-05-04"
    radio.set_value("mdy").run()
    day = next(d for _, ds in h.charts(at) for d in ds.values() if "orders" in d)["day"].iloc[0]
    assert str(day)[:10] == "2025-04-05"


def _audit_rows(engine, action: str) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(schema.audit_log.c.username, schema.audit_log.c.detail)
                                               .where(schema.audit_log.c.action == action)
                                               .order_by(schema.audit_log.c.id))]


def test_saved_mapping_is_used_for_the_next_file(env):
    name = "odd-header.csv"
    data = "单号,时间,钱\nM1,2025-04-07,10\n".encode()
    suffix = key(data, name)[len(name) + 1:]
    # A saved mapping applies to every user's files: only an admin saves one (issue 17); an analyst has no button.
    assert not [b for b in upload(data, name=name, widgets={f"upload_kind_{suffix}": "orders"}).button
                if b.key == f"upload_save_{suffix}"]
    at = upload(data, name=name, username="admin", widgets={f"upload_kind_{suffix}": "orders"})
    at.selectbox(key=f"upload_map_{suffix}_orders_order_id").select("单号")
    at.selectbox(key=f"upload_map_{suffix}_orders_ordered_at").select("时间")
    at.selectbox(key=f"upload_map_{suffix}_orders_paid_total").select("钱").run()
    at.button(key=f"upload_save_{suffix}").click().run()
    assert "Mapping saved: the next file with this header uses it." in h.all_text(at)
    # Shared by every user, so recorded: who saved which mapping.
    saves = _audit_rows(engine_of(env), audit.MAPPING_SAVED)
    assert saves and saves[-1][0] == "admin" and "order_id<-单号" in saves[-1][1]
    later = "单号,时间,钱\nM2,2025-04-08,99\n".encode()
    next_at = upload(later, name="next.csv")
    assert not next_at.exception, next_at.exception
    text = h.all_text(next_at)
    assert "Using the column mapping admin saved" in text and "Looks like: **Order report** (100% sure)" in text
    assert metrics(next_at)["Net sales"] == "99.00"


def test_manager_may_not_open_the_upload_page(env):
    at = upload(ORDERS, username="manager")
    assert not at.exception, at.exception
    assert "Looks like" not in h.all_text(at)
    assert at.error and not at.metric


def test_excel_workbook_is_analysed(env):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["评价ID", "评分", "评价内容", "评价时间"])
    for number, (stars, text, day) in enumerate([(5, "很好", "2025-04-01"), (1, "太差了", "2025-04-02"),
                                                 (4, "不错", "2025-04-02")], start=1):
        sheet.append([f"R{number}", stars, text, day])
    buffer = io.BytesIO()
    book.save(buffer)
    at = upload(buffer.getvalue(), name="reviews.xlsx")
    assert not at.exception, at.exception
    assert "Looks like: **Reviews**" in h.all_text(at)
    values = metrics(at)
    assert values["Reviews"] == "3" and values["Average rating"] == "3.33" and values["CSAT"] == "66.67%"
    stars = next(d for _, ds in h.charts(at) for d in ds.values() if "rating" in d and "share" in d)
    assert stars.sort_values("rating")["reviews"].tolist() == [1, 0, 0, 1, 1]


def test_ads_report_analysis_by_campaign_and_segment(env):
    name = "fb_ads_KAG_conversion_data.csv"
    at = upload((REAL_DATA / name).read_bytes(), name=name)
    assert not at.exception, at.exception
    values = metrics(at)
    assert values["Spend"] == "58,705.23" and values["Clicks"] == "38,165"
    assert values["CPC"] == "1.54"  # 58,705.23 / 38,165
    assert values["CTR"] == "0.02%"  # 38,165 / 213,434,828
    campaigns = next(df.value for df in at.dataframe if "Campaign" in df.value.columns)
    assert set(campaigns["Campaign"]) == {"916", "936", "1178"}
    assert "By age" in h.all_text(at) and "By gender" in h.all_text(at)


def test_formula_cells_from_the_file_are_escaped_on_screen(env):
    data = ("订单编号,订单创建时间,实付金额,店铺,渠道\n"
            "=HYPERLINK(\"x\"),2025-04-07 09:00,10,S1,天猫\nF2,2025-04-07 10:00,=1+2,S1,天猫\n").encode()
    at = upload(data, name="formula.csv", tab="Import")
    assert not at.exception, at.exception
    preview = at.dataframe[0].value
    assert preview["订单编号"].tolist() == ["'=HYPERLINK(\"x\")", "F2"]
    problems = next(df.value for df in at.dataframe if "Problem" in df.value.columns)
    assert problems[["Line", "Value"]].values.tolist() == [[3, "'=1+2"]]


@pytest.mark.parametrize(("name", "kind_label", "chart_field"), [
    ("walmart_weekly_sales_45stores.csv", "Looks like: **Daily report (visitors, sales)**", "net_sales"),
    ("robyn_dt_simulated_weekly.csv", "Looks like: **Daily report (visitors, sales)**", "net_sales"),
    ("olist4k_order_payments.csv", "Could not tell what this file holds", "rows"),
    ("olist4k_order_reviews.csv", "Looks like: **Reviews**", "reviews"),
    ("olist4k_orders.csv", "Looks like: **Order report**", "orders"),
])
def test_real_files_render_their_analysis(env, name, kind_label, chart_field):
    at = upload((REAL_DATA / name).read_bytes(), name=name)
    assert not at.exception, at.exception
    assert kind_label in h.all_text(at)
    assert any(chart_field in data for _, datasets in h.charts(at) for data in datasets.values())


def test_tickets_file_renders(env):
    data = ("工单编号,创建时间,首次响应时间,解决时间,状态,问题类型,优先级\n"
            "K1,2025-04-01 09:00,2025-04-01 10:00,2025-04-01 13:00,已解决,物流,高\n"
            "K2,2025-04-02 12:00,2025-04-02 12:30,,处理中,退款,低\n").encode()
    at = upload(data, name="tickets.csv")
    assert not at.exception, at.exception
    values = metrics(at)
    assert values["Tickets"] == "2" and values["First response time"].startswith("0.8")
    assert "Tickets by Category" in h.all_text(at)


# A Keepa product export (its documented columns; no date column: the snapshot day is in the file name).
KEEPA = ("ASIN,Title,Brand,Buy Box: Current,List Price: Current,Bought in past month,Reviews: Review Count,"
         "Categories: Root,Sales Rank: Current,Reviews: Rating\n"
         "B0A1,Steel kettle 1.7L,Acme,29.99,39.99,300,1200,Home & Kitchen,120,4.5\n"
         "B0A2,Glass kettle 1.5L,Acme,24.99,24.99,100,800,Home & Kitchen,340,4.2\n"
         "B0B1,Travel kettle 0.8L,Brio,19.99,22.99,100,150,Home & Kitchen,900,4.0\n"
         "B0C1,Smart kettle 1.7L,Cora,59.99,69.99,0,40,Home & Kitchen,5000,3.9\n")


def test_a_listings_export_is_analysed_and_imported_as_snapshots_of_its_file_day(env):
    import datetime as dt

    name = "keepa_2025-05-01.csv"
    at = upload(KEEPA.encode(), name=name, username="admin")
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "Looks like: **Listing snapshots**" in text and "Looks like a Keepa Amazon product export." in text
    assert metrics(at)["Items"] == "4"
    assert "Price bands (last snapshot)" in text
    at = upload(KEEPA.encode(), name=name, username="admin", tab="Import")
    assert "4 rows look good." in h.all_text(at)
    at.button(key="upload_import_button").click().run()
    assert not at.exception, at.exception
    assert "listing snapshots: 4 new, 0 updated, 0 unchanged" in h.all_text(at)
    engine = engine_of(env)
    listing = schema.listings.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(listing.item_id, listing.observed_at, listing.price, listing.source)
                            .order_by(listing.item_id)).all()
    engine.dispose()
    assert [(r[0], pd_day(r[1]), float(r[2]), r[3]) for r in rows] == [
        ("B0A1", dt.date(2025, 5, 1), 29.99, "amazon"), ("B0A2", dt.date(2025, 5, 1), 24.99, "amazon"),
        ("B0B1", dt.date(2025, 5, 1), 19.99, "amazon"), ("B0C1", dt.date(2025, 5, 1), 59.99, "amazon")]


def pd_day(value):
    """A stored date or timestamp as a date."""
    import pandas as pd

    return pd.Timestamp(value).date()
