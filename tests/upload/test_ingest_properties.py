"""Property-based tests (hypothesis): random and corrupted files never crash the reader or the importer, a refused
file leaves the database exactly as it was, and any valid orders file imports to exactly its own totals."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from data_access import schema
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.ingest import service
from data_access.ingest.errors import IngestError
from data_access.ingest.fields import FIELDS
from data_access.ingest.read import read_file
from data_access.sales import queries
from tests.conftest import BACKENDS

pytestmark = pytest.mark.slow
# Derandomized (the same examples every run) and without shrinking: a failure is reported as found, at once,
# instead of after minutes of shrinking against a database.
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
WATCHED = ("stores", "orders", "order_items", "products", "inventory", "marketing_spend", "reviews", "tickets",
           "daily_metrics", "audit_log")

CELLS = ["A1", "A2", "B7", "2024-03-05", "2024年3月5日", "05/03/2024", "13/03/2024", "1710000000", "yesterday",
         "1,234.50", "¥88", "$1,000", "R$ 9,90", "€5", "12%", "-3", "0", "1e13", "已付款", "已完成", "weird",
         "直播", "paid_social", "=1+2", "@SUM(A1)", "", " ", '"', "a\nb", "x" * 300, "5", "4.5", "S1",
         # date forms real exports hold (issue 14): no year, ordinals, "no date" placeholders
         "01-May", "Jan-15", "March 5th", "0001-01-01", "9999-12-31 00:00:00", "3.25%", "150%"]


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request, database_url_factory):
    """A database holding a few orders already, shared by every example of the module's tests."""
    engine = create_engine(database_url_factory(request.param))
    schema.create_schema(engine)
    seed = "order_id,ordered_at,paid_total\nS-1,2024-01-01,10\nS-2,2024-01-02,20\n"
    service.ingest(engine, seed.encode(), "seed.csv", "orders", None, {"store_id": "S1", "channel": "direct"},
                   username="seed")
    yield engine
    engine.dispose()


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table an import can touch, sorted, as text: equal snapshots = identical databases."""
    with engine.connect() as conn:
        return {name: sorted(tuple(str(v) for v in row) for row in conn.execute(sa.select(schema.metadata.tables[
            name])).all()) for name in WATCHED}


# Files of a kind: (kind, constants it needs, columns with valid cells); junk cells and corruption are mixed in.
TEMPLATES = [
    ("orders", {"store_id": "S1", "channel": "直播"}, {
        "订单编号": ["A1", "A2", "A3", "B7", "S-1"], "订单创建时间": ["2024-03-05", "2024年3月6日 10:00", "13/03/2024"],
        "买家实际支付金额": ["1,234.50", "¥88", "0", "12.5"], "订单状态": ["已付款", "已完成", "交易关闭", "paid"]}),
    ("orders", {"store_id": "S2", "channel": "direct"}, {
        "order_id": ["O1", "O2", "O3"], "date": ["2024-05-01 10:00", "2024-05-02"], "sku": ["P1", "P2"],
        "quantity": ["1", "2", "3"], "price": ["9.90", "$20", "5"]}),
    ("marketing_spend", {"day": "2024-03-01", "channel": "paid_social"}, {
        "campaign": ["C1", "C2", ""], "Spent": ["10.5", "0", "1,000"], "Impressions": ["100", "2000"],
        "Clicks": ["1", "20"]}),
    ("reviews", {}, {"created_at": ["2024-03-01", "2024-03-02 08:00"], "rating": ["1", "3", "5"],
                     "评价内容": ["很好", "一般", ""]}),
    ("products", {}, {"商品编码": ["P1", "P2", "P3"], "商品名称": ["杯子", "Mug", ""], "单价": ["10", "¥20"]}),
    ("daily_metrics", {"store_id": "S1"}, {
        "统计日期": ["2024-03-01", "2024-03-02", "2024-03-03"], "访客数": ["1200", "0", "35"],
        "支付金额": ["8,000.00", "¥88", "0"], "支付转化率": ["3.25%", "0%", "1.5%"]}),
    ("conversations", {"store_id": "S1"}, {
        "会话ID": ["K1", "K2", "K3"], "发送方": ["买家", "客服", "buyer", "agent"],
        "发送时间": ["2024-03-01 09:00", "2024-03-01 09:30", "2024年3月2日 10:00"], "消息内容": ["在吗", "您好", ""]}),
]


@st.composite
def csv_files(draw) -> tuple[bytes, str | None, dict[str, str]]:
    """(file, kind or None, constants): a file of one kind with mostly valid cells, some junk, sometimes ragged
    rows, a random delimiter and encoding, then maybe corrupted (cut short, random bytes spliced in)."""
    kind, constants, columns = draw(st.sampled_from(TEMPLATES))
    names = list(columns)
    cell = st.sampled_from(CELLS)
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        row = [draw(st.sampled_from(columns[n])) if draw(st.integers(0, 9)) else draw(cell) for n in names]
        if not draw(st.integers(0, 19)):
            row = row[:-1] if draw(st.booleans()) else [*row, "extra"]
        rows.append(row)
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(names)
    writer.writerows(rows)
    codec = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    data = buffer.getvalue().encode(codec, errors="replace")
    corruption = draw(st.sampled_from(["none", "none", "none", "truncate", "splice", "nul"]))
    if corruption == "truncate" and data:
        data = data[:draw(st.integers(0, len(data)))]
    elif corruption == "splice":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
    elif corruption == "nul":
        data = data.replace(b",", b"\x00", 1)
    if draw(st.integers(0, 4)) == 0:
        constants = {**constants, **draw(st.sampled_from([{"channel": "nonsense"}, {"store_id": ""},
                                                           {"day": "soon"}]))}
    return data, draw(st.sampled_from([kind, kind, None])), {k: v for k, v in constants.items()
                                                            if k in {f.name for f in FIELDS[kind]}}


@SETTINGS
@given(data=st.one_of(st.binary(max_size=2048), csv_files().map(lambda file: file[0])))
def test_reader_returns_a_table_or_refuses_with_a_reason(data):
    try:
        raw = read_file(data, "fuzz.csv")
    except IngestError as exc:
        assert exc.code and str(exc).startswith("fuzz.csv")
        return
    assert len(raw.line_numbers) == len(raw.frame)
    assert all(str(dtype) == "str" or dtype == "string" for dtype in raw.frame.dtypes)


@settings(SETTINGS, max_examples=100)
@given(file=csv_files())
def test_import_is_all_or_nothing(engine, file):
    data, kind, constants = file
    before = snapshot(engine)
    try:
        outcome = service.ingest(engine, data, "fuzz.csv", kind, None, constants, username="fuzz")
    except (IngestError, ValueError) as exc:
        # ValueError: no kind given and none recognised, or a constant for a field the kind lacks.
        assert str(exc)
        assert snapshot(engine) == before
        return
    after = snapshot(engine)
    result = outcome.result
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1
    for name, counts in result.tables.items():
        assert len(after[name]) == len(before[name]) + counts.inserted - counts.deleted
    assert len(after["stores"]) == len(before["stores"]) + result.stores_created


@st.composite
def order_files(draw) -> tuple[bytes, list[tuple[str, Decimal]]]:
    """A valid order-level file in a random encoding, delimiter, number and date form; with its (id, amount)s."""
    count = draw(st.integers(1, 15))
    ids = draw(st.lists(st.from_regex(r"[A-Z]{1,3}[0-9]{1,6}", fullmatch=True), min_size=count, max_size=count,
                        unique=True))
    cents = draw(st.lists(st.integers(0, 10**9), min_size=count, max_size=count))
    amounts = [Decimal(c) / 100 for c in cents]
    money = draw(st.sampled_from(["{:.2f}", "{:,.2f}", "¥{:,.2f}", "${:.2f}", "€{:,.2f}"]))
    dates = draw(st.sampled_from(["2024-03-{d:02d} 10:00:00", "2024年3月{d}日", "{d:02d}/03/2024"]))
    days = draw(st.lists(st.integers(13, 28), min_size=count, max_size=count))  # a day > 12 proves d/m/y
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["订单编号", "订单创建时间", "买家实际支付金额"])
    for order_id, amount, day in zip(ids, amounts, days, strict=True):
        writer.writerow([order_id, dates.format(d=day), money.format(amount)])
    codec = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return buffer.getvalue().encode(codec), list(zip(ids, amounts, strict=True))


@SETTINGS
@given(file=order_files())
def test_any_valid_orders_file_imports_exactly_its_totals_and_once(engine, file):
    data, orders = file
    constants = {"store_id": "P1", "channel": "direct"}
    with engine.begin() as conn:  # earlier examples (and tests) may hold some of these ids
        conn.execute(schema.orders.delete().where(schema.orders.c.store_id == "P1"))
        conn.execute(schema.orders.delete().where(schema.orders.c.order_id.in_([i for i, _ in orders])))
    first = service.ingest(engine, data, "orders.csv", "orders", None, constants, username="prop")
    assert first.result.tables["orders"].inserted == len(orders)
    with engine.connect() as conn:
        stored = dict(conn.execute(sa.select(schema.orders.c.order_id, schema.orders.c.paid_total)
                                   .where(schema.orders.c.store_id == "P1")).all())
    assert stored == {order_id: amount for order_id, amount in orders}
    again = service.ingest(engine, data, "orders.csv", "orders", None, constants, username="prop")
    assert again.result.tables["orders"].unchanged == len(orders) and not again.result.changed


@st.composite
def line_files(draw) -> tuple[bytes, list[tuple[str, int, int]]]:
    """A valid line-level sales export (order, day in June 2023, SKU, quantity, unit price in cents); with its
    lines as (order id, quantity, cents)."""
    orders = draw(st.lists(st.from_regex(r"L[0-9]{1,6}", fullmatch=True), min_size=1, max_size=8, unique=True))
    lines = []
    for order_id in orders:
        day = draw(st.integers(1, 30))
        for _ in range(draw(st.integers(1, 4))):
            lines.append((order_id, day, draw(st.sampled_from(["P1", "P2", "茶杯"])), draw(st.integers(1, 50)),
                          draw(st.integers(1, 10**6))))
    lines = draw(st.permutations(lines))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", "\t", ";"])), lineterminator="\n")
    writer.writerow(["订单编号", "下单时间", "商品编码", "数量", "单价"])
    writer.writerows([order_id, f"2023-06-{day:02d} 12:00", sku, quantity, f"¥{cents / 100:,.2f}"]
                     for order_id, day, sku, quantity, cents in lines)
    codec = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return buffer.getvalue().encode(codec), [(o, q, c) for o, _, _, q, c in lines]


@settings(SETTINGS, max_examples=25)
@given(file=line_files())
def test_any_line_level_file_reads_back_as_its_own_net_sales_and_units(engine, file):
    data, lines = file
    june = Filters(date(2023, 6, 1), date(2023, 6, 30), stores=("LINES",))
    with engine.begin() as conn:  # only this test writes store LINES; start each example from none of its rows
        ids = sa.select(schema.orders.c.order_id).where(schema.orders.c.store_id == "LINES")
        conn.execute(schema.order_items.delete().where(schema.order_items.c.order_id.in_(ids)))
        conn.execute(schema.orders.delete().where(schema.orders.c.store_id == "LINES"))
    outcome = service.ingest(engine, data, "lines.csv", "orders", None, {"store_id": "LINES", "channel": "direct"},
                             username="prop")
    assert outcome.prepared.validation.level == "line"
    assert outcome.result.tables["order_items"].inserted == len(lines)
    totals = queries.kpi_totals(engine, june).set_index("period").loc["current"]
    assert totals["net_sales"] == pytest.approx(sum(q * c for _, q, c in lines) / 100, abs=0.005)
    assert totals["units"] == sum(q for _, q, _ in lines)
    assert totals["orders"] == len({o for o, _, _ in lines})
