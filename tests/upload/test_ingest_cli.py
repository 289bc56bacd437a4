"""python -m data_access.ingest: imports and summaries, refusals with exit status 2 and the reason, the error file,
dry runs, constants, the Olist layout and the Facebook ads report."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access import audit, schema
from data_access.engine import PROJECT_ROOT, create_engine
from data_access.filters import Filters
from data_access.ingest.__main__ import main
from data_access.sales import queries
from tests.conftest import REAL_DATA

FB_ADS = REAL_DATA / "fb_ads_KAG_conversion_data.csv"
ORDERS_CSV = ("订单编号,订单创建时间,买家实际支付金额,退款金额,订单状态\n"
              "A1,2024-03-05 10:00:00,\"1,234.50\",0,已付款\n"
              "A2,2024-03-06 11:30:00,88,88,已退款\n")


@pytest.fixture
def url(tmp_path) -> str:
    return f"duckdb:///{tmp_path / 'shop.duckdb'}"


def _query(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql)).all()]
    finally:
        engine.dispose()


def _has_table(url: str, name: str) -> bool:
    engine = create_engine(url)
    try:
        return sa.inspect(engine).has_table(name)
    finally:
        engine.dispose()


def _write(tmp_path: Path, name: str, text: str, codec: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(codec))
    return path


def test_import_prints_a_summary_and_reimport_changes_nothing(tmp_path, url, capsys):
    path = _write(tmp_path, "订单.csv", ORDERS_CSV, "gbk")
    args = ["--url", url, "--kind", "orders", str(path), "--set", "store_id=TB01", "--set", "channel=marketplace",
            "--user", "lily"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "imported 订单.csv as orders: orders: 2 new, 0 changed, 0 unchanged" in out
    assert "created 1 store(s)" in out
    assert main(args) == 0
    assert "orders: 0 new, 0 changed, 2 unchanged" in capsys.readouterr().out
    assert _query(url, "SELECT order_id, store_id, channel, status, paid_total, refund_total FROM orders "
                       "ORDER BY order_id") == [
        ("A1", "TB01", "marketplace", "paid", Decimal("1234.50"), Decimal("0.00")),
        ("A2", "TB01", "marketplace", "returned", Decimal("88.00"), Decimal("88.00"))]
    imports = _query(url, "SELECT username, detail FROM audit_log WHERE action = 'import' ORDER BY id")
    assert [u for u, _ in imports] == ["lily", "lily"]
    assert json.loads(imports[0][1])["file"] == "订单.csv"


def test_without_a_kind_the_cli_prints_the_kind_it_detected(tmp_path, url, capsys):
    daily = _write(tmp_path, "生意参谋.csv", "统计日期,访客数,支付金额,支付买家数\n2025-05-01,100,500.00,5\n"
                                            "2025-05-02,80,400.00,4\n", "gbk")
    assert main(["--url", url, str(daily)]) == 0
    out = capsys.readouterr().out
    assert "imported 生意参谋.csv as daily_metrics: daily_metrics: 2 new" in out and "as None" not in out
    orders = _write(tmp_path, "订单.csv", ORDERS_CSV, "gbk")
    assert main(["--url", url, str(orders), "--set", "store_id=TB01"]) == 0
    assert "imported 订单.csv as orders: orders: 2 new" in capsys.readouterr().out


def test_a_missing_store_gets_a_default_the_cli_prints(tmp_path, url, capsys):
    # Issue 14: defaults instead of refusals. No store column and an empty database: a store named after the file.
    path = _write(tmp_path, "orders.csv", ORDERS_CSV)
    assert main(["--url", url, "--kind", "orders", str(path), "--set", "channel=direct"]) == 0
    assert "default store_id=orders" in capsys.readouterr().out
    assert _query(url, "SELECT DISTINCT store_id FROM orders") == [("orders",)]


def test_every_missing_field_is_named_in_one_message_with_a_hint(tmp_path, url, capsys):
    path = _write(tmp_path, "ads.csv", "clicks,impressions\n3,100\n")
    assert main(["--url", url, "--kind", "marketing_spend", str(path)]) == 2
    err = capsys.readouterr().err
    assert "These required fields are not mapped to any column: day, channel, spend." in err
    assert "--set day=VALUE" in err and "--set spend=VALUE" in err


def test_bad_rows_refuse_the_file_list_the_errors_and_write_the_error_file(tmp_path, url, capsys):
    text = "order_id,date,amount\nA,2024-01-01,10\nB,someday,=1+2\nC,2024-01-03,-4\n"
    path = _write(tmp_path, "bad.csv", text)
    errors = tmp_path / "errors.csv"
    args = ["--url", url, "--kind", "orders", str(path), "--map", "ordered_at=date", "--map", "paid_total=amount",
            "--set", "store_id=S1", "--set", "channel=direct", "--errors", str(errors)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "line 3, column date: not a date ('someday')" in err
    assert "error: bad.csv: The import was refused: 3 rows have errors; nothing was written." not in err
    assert "The import was refused: 2 rows have errors; nothing was written." in err
    raw = errors.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["line"], r["column"], r["reason_code"]) for r in rows] == [
        ("3", "amount", "not_number"), ("3", "date", "not_date"), ("4", "amount", "negative")]
    assert rows[0]["value"] == "'=1+2"  # a formula from the file is escaped in the error file
    assert not _has_table(url, "orders")


def test_a_missing_file_or_folder_is_refused_without_touching_the_database(tmp_path, url, capsys):
    assert main(["--url", url, "--kind", "orders", str(tmp_path / "nope.csv")]) == 2
    assert main(["--url", url, "--kind", "orders", str(tmp_path)]) == 2
    assert main(["--url", url, "--kind", "olist", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"error: {tmp_path / 'nope.csv'}: no such file", f"error: {tmp_path}: no such file",
                   f"error: {tmp_path / 'nope'}: no such folder"]
    assert not (tmp_path / "shop.duckdb").exists()


def test_dry_run_validates_and_writes_nothing(tmp_path, url, capsys):
    path = _write(tmp_path, "orders.csv", ORDERS_CSV)
    args = ["--url", url, "--kind", "orders", str(path), "--set", "store_id=S1", "--set", "channel=direct"]
    assert main([*args, "--dry-run"]) == 0
    assert "dry run: 2 rows valid; nothing written" in capsys.readouterr().out
    assert not _has_table(url, "orders")


@pytest.mark.parametrize(("content", "code_text"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "not a text or Excel file"),
    (b"", "The file is empty."),
    (b"a,b,c\n1,2,3\n4,5\n6,7,8\n", "line 3"),
    (b'a,b\n1,"never closed\n2,3\n', "cut off"),
    (",".join(f"c{i}" for i in range(10_000)).encode() + b"\n" + b"1," * 9_999 + b"1\n", "10000 columns"),
    (b"a,b\n1," + b"x" * (5 * 1024 * 1024) + b"\n", "KB long"),
])
def test_malformed_files_exit_2_and_leave_the_database_untouched(tmp_path, url, capsys, content, code_text):
    good = _write(tmp_path, "good.csv", ORDERS_CSV)
    base = ["--url", url, "--set", "store_id=S1", "--set", "channel=direct"]
    assert main([*base, "--kind", "orders", str(good)]) == 0
    before = _query(url, "SELECT * FROM orders ORDER BY order_id")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    assert main([*base, "--kind", "orders", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: bad.csv") and code_text in err
    assert _query(url, "SELECT * FROM orders ORDER BY order_id") == before


def test_the_facebook_ads_report_imports_as_marketing_spend_with_a_day_and_channel(url, capsys):
    with open(FB_ADS, encoding="utf-8-sig", newline="") as fh:
        ads = list(csv.DictReader(fh))
    by_campaign: dict[str, list[float]] = {}
    for ad in ads:
        sums = by_campaign.setdefault(ad["xyz_campaign_id"], [0.0, 0, 0, 0])
        sums[0] += float(ad["Spent"])
        sums[1] += int(ad["Impressions"])
        sums[2] += int(ad["Clicks"])
        sums[3] += int(ad["Total_Conversion"])
    args = ["--url", url, "--kind", "marketing_spend", str(FB_ADS), "--set", "day=2017-08-17",
            "--set", "channel=paid_social"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "spend<-Spent" in out and "impressions<-Impressions" in out
    rows = _query(url, "SELECT campaign_id, day, channel, spend, impressions, clicks, conversions "
                       "FROM marketing_spend ORDER BY campaign_id")
    assert [r[0] for r in rows] == sorted(by_campaign)
    for campaign, day, channel, spend, impressions, clicks, conversions in rows:
        expected = by_campaign[campaign]
        assert (str(day), channel) == ("2017-08-17", "paid_social")
        assert float(spend) == pytest.approx(round(expected[0], 2), abs=0.011)
        assert (impressions, clicks, conversions) == tuple(expected[1:])
    assert main(args) == 0
    assert "marketing_spend: 0 new, 0 changed, 3 unchanged" in capsys.readouterr().out
    detail = json.loads(_query(url, "SELECT detail FROM audit_log ORDER BY id DESC LIMIT 1")[0][0])
    assert (detail["file_rows"], detail["rows"]) == (len(ads), 3)  # 1,143 ads summed to 3 campaign-days


def test_the_facebook_ads_report_imports_with_no_flag_on_the_import_day(url, capsys):
    """An audience breakdown (no date column, no channel): Meta's channel, and as its day a date in the file name,
    else the day of the import, printed as a default; the campaigns then read back with the file's spend."""
    from data_access.ingest.listings import snapshot_day
    from data_access.marketing import queries as mq

    assert main(["--url", url, str(FB_ADS)]) == 0
    out = capsys.readouterr().out
    day = snapshot_day(FB_ADS.name)
    assert "looks like a Meta Ads audience breakdown report" in out
    assert f"default day={day.isoformat()}" in out and "default channel=paid_social" in out
    assert "imported fb_ads_KAG_conversion_data.csv as marketing_spend: marketing_spend: 3 new" in out
    engine = create_engine(url)
    try:
        campaigns = mq.campaign_performance(engine, Filters(day, day)).set_index("campaign_id")
    finally:
        engine.dispose()
    with open(FB_ADS, encoding="utf-8-sig", newline="") as fh:
        ads = list(csv.DictReader(fh))
    assert sorted(campaigns.index) == sorted({ad["xyz_campaign_id"] for ad in ads})
    assert campaigns["clicks"].sum() == sum(int(ad["Clicks"]) for ad in ads)
    assert campaigns["spend"].sum() == pytest.approx(sum(float(ad["Spent"]) for ad in ads), abs=0.03)


def _olist_rows(name: str) -> list[dict]:
    with open(REAL_DATA / f"olist4k_{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_olist_folder_imports_through_the_olist_layout_and_totals_match_the_csv(url, capsys):
    status = {r["order_id"]: r["order_status"] for r in _olist_rows("orders")}
    sold = {"delivered", "shipped", "invoiced", "processing", "approved"}
    net_sales = round(sum(float(r["price"]) for r in _olist_rows("order_items") if status[r["order_id"]] in sold), 2)
    orders = sum(1 for s in status.values() if s not in {"canceled", "unavailable"})
    assert main(["--url", url, "--kind", "olist", str(REAL_DATA), "--user", "admin"]) == 0
    assert "orders: 4,000" in capsys.readouterr().out
    engine = create_engine(url)
    totals = queries.kpi_totals(engine, Filters(date(2016, 1, 1), date(2018, 12, 31))).set_index("period")
    events = audit.recent_events(engine)
    engine.dispose()
    assert totals.loc["current", "net_sales"] == pytest.approx(net_sales, abs=0.005)
    assert totals.loc["current", "orders"] == orders
    assert events.loc[0, "action"] == audit.IMPORT and json.loads(events.loc[0, "detail"])["kind"] == "olist"


def test_module_entry_point_exits_2_on_refusal(tmp_path, url):
    path = _write(tmp_path, "ads.csv", "date,spent\n2024-06-01,5\n")
    done = subprocess.run([sys.executable, "-m", "data_access.ingest", "--url", url, "--kind", "marketing_spend",
                           str(path)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "ads.csv: The required field channel is not mapped to any column." in done.stderr


def test_an_excel_workbook_imports_like_a_csv(tmp_path, url, capsys):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["评价时间", "评分", "评价内容"])
    sheet.append([datetime(2024, 3, 1, 9, 30), 5, "很好"])
    sheet.append(["2024-03-02", 2, "=HYPERLINK(\"http://x\")"])
    book.save(tmp_path / "评价.xlsx")
    args = ["--url", url, "--kind", "reviews", str(tmp_path / "评价.xlsx"), "--set", "store_id=S1"]
    assert main(args) == 0
    assert "reviews: 2 new" in capsys.readouterr().out
    rows = _query(url, "SELECT created_at, rating, comment FROM reviews ORDER BY created_at")
    # A formula is never evaluated: only a cached value would be read, and a workbook written by code has none.
    assert rows == [(datetime(2024, 3, 1, 9, 30), 5, "很好"), (datetime(2024, 3, 2), 2, None)]


def test_a_saved_mapping_is_reused_with_its_constants_and_date_order(tmp_path, url, capsys):
    from data_access.ingest.mappings import save_mapping

    path = _write(tmp_path, "export.csv", "编号,时间,实付\nX1,03/04/2024,10\nX2,03/05/2024,20\n")
    engine = create_engine(url)
    schema.create_schema(engine)  # as the app does on start
    save_mapping(engine, ["编号", "时间", "实付"], "orders",
                 {"order_id": "编号", "ordered_at": "时间", "paid_total": "实付"}, username="lily",
                 constants={"store_id": "S7", "channel": "email"}, date_order="mdy")
    engine.dispose()
    assert main(["--url", url, "--kind", "orders", str(path)]) == 0
    assert "orders: 2 new" in capsys.readouterr().out
    assert _query(url, "SELECT order_id, store_id, channel, ordered_at FROM orders ORDER BY order_id") == [
        ("X1", "S7", "email", datetime(2024, 3, 4)), ("X2", "S7", "email", datetime(2024, 3, 5))]
    # Given on the command line, a constant and the date order win over the saved ones.
    assert main(["--url", url, "--kind", "orders", str(path), "--set", "channel=sms", "--date-order", "dmy"]) == 0
    assert _query(url, "SELECT channel, ordered_at FROM orders WHERE order_id = 'X1'") == [
        ("sms", datetime(2024, 4, 3))]


@pytest.mark.parametrize(("cell", "column", "reason"), [
    ("3000000000", "quantity", "too large for this column (at most 2,147,483,647)"),
    ("Y\x00z", "sku", "NUL"),
], ids=["overflow", "nul"])
def test_a_value_postgresql_cannot_hold_exits_2_with_one_sentence_and_writes_nothing(tmp_path, capsys,
                                                                                      database_url_factory, cell,
                                                                                      column, reason):
    """Through the CLI into the real PostgreSQL: a quantity past its integer column, a NUL byte in a text cell.
    One sentence names the file, the line and the column; exit 2; no order stored."""
    url = database_url_factory("postgresql")
    row = {"quantity": "1", "sku": "X", column: cell}
    text = ("order_id,ordered_at,sku,quantity,unit_price,store_id,channel\n"
            "A,2025-01-01,X,1,1,S,direct\n"
            f"B,2025-01-02,{row['sku']},{row['quantity']},1,S,direct\n")
    path = _write(tmp_path, "big.csv", text)
    assert main(["--url", url, "--kind", "orders", str(path)]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert any(line.startswith("big.csv") or "big.csv" in line for line in lines), err
    assert f"line 3, column {column}:" in err and reason in err, err
    assert "Traceback" not in err and len(lines) <= 3, err
    assert not _has_table(url, "orders") or _query(url, "SELECT count(*) FROM orders") == [(0,)]
