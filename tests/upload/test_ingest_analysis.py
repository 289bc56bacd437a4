"""Quick analysis of uploaded files (data_access.ingest.analysis) against hand-computed figures."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.ingest.analysis import analyse, profile
from data_access.ingest.detect import detect, map_columns
from data_access.ingest.errors import IngestError
from data_access.ingest.fields import KINDS
from data_access.ingest.read import read_file
from tests.conftest import REAL_DATA

ORDER_REPORT = (
    "订单编号,订单创建时间,买家实际支付金额,退款金额,收货地址,订单状态,买家会员名\n"
    "A1,2024-03-04 09:15:00,\"1,000.00\",0,浙江,交易成功,u1\n"   # Monday 9h
    "A2,2024-03-04 09:40:00,200.00,50,北京,交易成功,u2\n"        # Monday 9h, refund 50
    "A3,2024-03-05 20:05:00,300.00,0,浙江,已发货,u1\n"           # Tuesday 20h
    "A4,2024-03-05 21:00:00,999.00,0,上海,交易关闭,u3\n"         # cancelled: not a sale
    "A5,2024-03-06 08:00:00,￥100,100,北京,退款成功,u4\n"         # returned: net 0, still an order
)


def _analyse(text: str, codec: str = "utf-8", **kwargs):
    raw = read_file(text.encode(codec), "upload.csv")
    found = detect(raw)
    return analyse(raw, kwargs.pop("kind", found.kind), kwargs.pop("mapping", found.mapping), **kwargs)


def test_order_report_metrics():
    result = _analyse(ORDER_REPORT, "gbk")
    assert result.kind == "orders"
    # Net sales = paid - refunded over non-cancelled orders: 1000 + 150 + 300 + 0.
    assert result.metrics["net_sales"] == pytest.approx(1450.0)
    assert result.metrics["orders"] == 4
    assert result.metrics["aov"] == pytest.approx(1450.0 / 4)
    assert result.metrics["refund_rate"] == pytest.approx(2 / 4)
    assert result.metrics["refund_share"] == pytest.approx(150 / 1600)
    assert result.metrics["customers"] == 3
    assert result.metrics["cancelled_orders"] == 1


def test_order_report_tables():
    tables = _analyse(ORDER_REPORT).tables
    daily = tables["daily"]
    assert daily["day"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-04", "2024-03-05", "2024-03-06"]
    assert daily["net_sales"].tolist() == pytest.approx([1150.0, 300.0, 0.0])
    assert daily["orders"].tolist() == [2, 1, 1]
    region = tables["by_region"].set_index("region")
    assert region.loc["浙江", "net_sales"] == pytest.approx(1300.0)
    assert region.loc["浙江", "share"] == pytest.approx(1300 / 1450)
    assert region.index[0] == "浙江"
    grid = tables["hour_weekday"].set_index(["weekday", "hour"])["orders"]
    assert len(grid) == 7 * 24 and grid.sum() == 4
    assert grid.loc[(0, 9)] == 2 and grid.loc[(1, 20)] == 1 and grid.loc[(2, 8)] == 1
    weekday = tables["weekday"].set_index("weekday")
    assert weekday.loc[0, "orders"] == 2 and weekday.loc[1, "net_sales"] == pytest.approx(300.0)
    status = tables["status"].set_index("status")["orders"]
    assert status.to_dict() == {"交易成功": 2, "已发货": 1, "交易关闭": 1, "退款成功": 1}


def test_line_level_export_sums_lines_into_orders():
    text = ("Order ID,Order Date,SKU,Quantity,Unit Price,Discount\n"
            "B1,03/13/2024,TEA,2,$4.50,1\n"
            "B1,03/13/2024,CUP,1,$9.00,0\n"
            "B2,03/14/2024,TEA,3,$4.50,0\n")
    result = _analyse(text)
    assert result.kind == "orders"
    # B1 = 2 x 4.5 - 1 + 9 = 17; B2 = 13.5.
    assert result.metrics["net_sales"] == pytest.approx(30.5)
    assert result.metrics["orders"] == 2
    assert result.metrics["units"] == 6
    assert "refund_rate" not in result.metrics
    top = result.tables["top_products"].set_index("sku")
    assert top.loc["TEA", "units"] == 5 and top.loc["TEA", "net_sales"] == pytest.approx(21.5)
    assert result.tables["daily"]["net_sales"].tolist() == pytest.approx([17.0, 13.5])
    assert result.dates["Order Date"].order == "mdy"
    assert "hour_weekday" not in result.tables  # dates without times


def test_ambiguous_dates_follow_the_order_given():
    text = "订单号,下单时间,实付金额\nC1,04/05/2024,10\nC2,04/05/2024,20\n"
    by_default = _analyse(text)
    assert by_default.dates["下单时间"].ambiguous
    assert by_default.tables["daily"]["day"].iloc[0] == pd.Timestamp("2024-05-04")
    overridden = _analyse(text, date_order="mdy")
    assert overridden.tables["daily"]["day"].iloc[0] == pd.Timestamp("2024-04-05")


def test_olist_orders_without_amounts_count_orders():
    raw = read_file(REAL_DATA / "olist4k_orders.csv", "olist4k_orders.csv")
    result = analyse(raw, "orders", detect(raw).mapping)
    source = pd.read_csv(REAL_DATA / "olist4k_orders.csv", dtype=str)
    not_sold = source["order_status"].isin(["canceled", "unavailable", "created"])
    assert result.metrics["orders"] == (~not_sold).sum()
    assert "net_sales" not in result.metrics
    assert result.tables["daily"]["orders"].sum() == (~not_sold).sum()
    assert ("no_amounts", {}) in result.notes


def test_facebook_ads_report_channel_metrics_match_the_csv():
    name = "fb_ads_KAG_conversion_data.csv"
    raw = read_file(REAL_DATA / name, name)
    found = detect(raw)
    result = analyse(raw, found.kind, found.mapping, constants={"channel": "paid_social"})
    source = pd.read_csv(REAL_DATA / name, encoding="utf-8-sig")
    spend, impressions = source["Spent"].sum(), source["Impressions"].sum()
    clicks, conversions = source["Clicks"].sum(), source["Total_Conversion"].sum()
    metrics = result.metrics
    assert metrics["spend"] == pytest.approx(spend)
    assert metrics["impressions"] == impressions and metrics["clicks"] == clicks
    assert metrics["ctr"] == pytest.approx(clicks / impressions)
    assert metrics["cpc"] == pytest.approx(spend / clicks)
    assert metrics["cpm"] == pytest.approx(spend / impressions * 1000)
    assert metrics["cvr"] == pytest.approx(conversions / clicks)
    assert metrics["cpa"] == pytest.approx(spend / conversions)
    campaigns = result.tables["by_campaign"].set_index("campaign_id")
    expected = source.groupby(source["xyz_campaign_id"].astype(str))[["Spent", "Clicks"]].sum()
    assert campaigns["spend"].to_dict() == pytest.approx(expected["Spent"].to_dict())
    assert campaigns.loc["1178", "cpc"] == pytest.approx(expected.loc["1178", "Spent"] / expected.loc["1178", "Clicks"])
    assert list(campaigns.index) == list(expected["Spent"].sort_values(ascending=False).index)
    # The constant channel gives one row; age and gender become segments.
    assert result.tables["by_channel"]["channel"].tolist() == ["paid_social"]
    age = result.tables["segment:age"].set_index("value")
    assert age["spend"].to_dict() == pytest.approx(source.groupby("age")["Spent"].sum().to_dict())
    assert "segment:gender" in result.tables


def test_daily_spend_report_with_channels():
    text = ("日期,渠道,花费,展现量,点击量\n"
            "2024-03-01,抖音,100,10000,200\n2024-03-01,小红书,50,4000,40\n2024-03-02,抖音,300,20000,300\n")
    result = _analyse(text)
    assert result.kind == "marketing_spend"
    assert result.metrics["cpm"] == pytest.approx(450 / 34000 * 1000)
    channels = result.tables["by_channel"].set_index("channel")
    assert channels.loc["抖音", "ctr"] == pytest.approx(500 / 30000)
    assert channels.index[0] == "抖音"
    daily = result.tables["daily"]
    assert daily["spend"].tolist() == pytest.approx([150.0, 300.0])
    assert daily["ctr"].tolist() == pytest.approx([240 / 14000, 300 / 20000])
    assert "cvr" not in result.metrics  # no conversions column


def test_reviews_distribution_trend_and_low_comments():
    text = ("评价ID,评分,评价内容,评价时间,推荐度\n"
            "R1,5,很好,2024-03-01,10\nR2,4,不错,2024-03-01,9\nR3,1,太差了,2024-03-02,2\n"
            "R4,2,一般般,2024-03-03,6\nR5,5,,2024-03-03,8\nR6,9,打错了,2024-03-03,\n")
    result = _analyse(text)
    assert result.kind == "reviews"
    assert result.metrics["reviews"] == 5  # the 9-star row is left out
    assert result.metrics["avg_rating"] == pytest.approx(17 / 5)
    assert result.metrics["csat"] == pytest.approx(3 / 5)
    # NPS over 10, 9, 2, 6, 8: promoters 2, detractors 2 -> 0.
    assert result.metrics["nps"] == pytest.approx(0.0)
    dist = result.tables["rating_distribution"]
    assert dist["reviews"].tolist() == [1, 1, 0, 1, 2]
    assert dist["share"].sum() == pytest.approx(1.0)
    trend = result.tables["trend"]
    assert trend["reviews"].tolist() == [2, 1, 2]
    assert trend["avg_rating"].tolist() == pytest.approx([4.5, 1.0, 3.5])
    assert ("period", {"period": "day"}) in result.notes
    assert result.tables["low_comments"]["comment"].tolist() == ["一般般", "太差了"]
    assert ("rows_left_out", {"rows": 1}) in result.notes


def test_olist_reviews_average_matches_the_csv():
    name = "olist4k_order_reviews.csv"
    raw = read_file(REAL_DATA / name, name)
    result = analyse(raw, "reviews", detect(raw).mapping)
    scores = pd.read_csv(REAL_DATA / name)["review_score"]
    assert result.metrics["avg_rating"] == pytest.approx(scores.mean())
    assert result.tables["rating_distribution"]["reviews"].tolist() == [
        int((scores == star).sum()) for star in range(1, 6)]


def test_tickets_counts_and_times():
    text = ("工单编号,创建时间,首次响应时间,解决时间,状态,问题类型,满意度\n"
            "K1,2024-03-01 09:00,2024-03-01 10:00,2024-03-01 13:00,已解决,物流,5\n"
            "K2,2024-03-01 12:00,2024-03-01 12:30,2024-03-02 12:00,已解决,退款,2\n"
            "K3,2024-03-02 08:00,,,处理中,物流,\n")
    result = _analyse(text)
    assert result.kind == "tickets"
    assert result.metrics["tickets"] == 3
    assert result.metrics["first_response_time"] == pytest.approx(0.75)  # median of 1 h and 0.5 h
    assert result.metrics["resolution_time"] == pytest.approx(14.0)  # median of 4 h and 24 h
    assert result.metrics["csat"] == pytest.approx(0.5)
    assert result.tables["daily"]["tickets"].tolist() == [2, 1]
    assert result.tables["by_category"].set_index("value")["tickets"].to_dict() == {"物流": 2, "退款": 1}


def test_unknown_file_gets_numbers_over_time_and_top_values():
    text = ("when,store,temperature,visitors\n"
            "2024-03-01,North,10.5,100\n2024-03-01,South,12,80\n2024-03-02,North,9,120\n2024-03-03,South,,90\n")
    result = _analyse(text)
    assert result.kind == "unknown"
    over = result.tables["over_time"].pivot(index="period", columns="column", values="value")
    assert over["visitors"].tolist() == [180, 120, 90]
    assert over["temperature"].iloc[:2].tolist() == pytest.approx([22.5, 9.0])
    assert pd.isna(over["temperature"].iloc[2])
    assert result.tables["top_values"].set_index("value")["rows"].to_dict() == {"North": 2, "South": 2}
    assert ("over_time", {"date": "when", "period": "day"}) in result.notes


def test_unknown_file_without_dates_gets_a_distribution():
    text = "size\n" + "\n".join(str(v) for v in [1, 2, 2, 3, 3, 3, 10]) + "\n"
    result = _analyse(text)
    dist = result.tables["distribution"]
    assert dist["rows"].sum() == 7
    assert dist["bin_start"].iloc[0] == 1 and dist["bin_end"].iloc[-1] == 10


def test_profile_columns_types_ranges_missing_and_duplicates():
    text = ("id,amount,day,flag,note\n"
            "1,\"1,200.50\",2024-03-01,yes,a\n2,30,2024-03-05,no,\n2,30,2024-03-05,no,\n3,,2024-02-28,yes,b\n")
    prof = profile(read_file(text.encode(), "p.csv"))
    assert (prof.rows, prof.columns, prof.duplicate_rows, prof.missing_cells) == (4, 5, 1, 3)
    table = prof.table.set_index("column")
    assert table["type"].to_dict() == {"id": "number", "amount": "number", "day": "date", "flag": "bool",
                                       "note": "text"}
    assert (table.loc["amount", "min"], table.loc["amount", "max"]) == ("30", "1,200.5")
    assert (table.loc["day", "min"], table.loc["day", "max"]) == ("2024-02-28", "2024-03-05")
    assert table.loc["amount", "missing"] == 1 and table.loc["note", "missing_share"] == pytest.approx(0.5)
    assert table.loc["id", "distinct"] == 3


def test_empty_and_odd_files_never_crash():
    for text in ("订单号,下单时间,实付金额\n", "a\n\n", "订单号,下单时间,实付金额\nX,not a date,abc\n"):
        result = _analyse(text, kind="orders", mapping={"order_id": "订单号", "ordered_at": "下单时间",
                                                        "paid_total": "实付金额"} if "订单号" in text else {})
        assert result.profile.rows <= 1
    result = _analyse("订单号,下单时间,实付金额\nX,not a date,abc\n", kind="orders",
                      mapping={"order_id": "订单号", "ordered_at": "下单时间", "paid_total": "实付金额"})
    assert result.metrics["orders"] == 0
    assert ("rows_left_out", {"rows": 1}) in result.notes
    assert _analyse("a,b\n", kind="marketing_spend", mapping={"spend": "a"}).metrics == {}


_CELLS = st.sampled_from(["", "1", "2.5", "-3", "abc", "2024-03-05", "05/03/2024", "13/01/2024", "2024年3月5日",
                          "1709632800", "是", "¥1,234", "12%", "交易关闭", "S1", "x y"])
_HEADERS = st.sampled_from(["订单编号", "下单时间", "实付金额", "退款金额", "渠道", "评分", "评价内容", "花费",
                            "点击量", "展现量", "日期", "工单编号", "创建时间", "状态", "数量", "单价",
                            "商品编码", "x", "y"])


@st.composite
def _tables(draw) -> bytes:
    columns = draw(st.lists(_HEADERS, min_size=1, max_size=6, unique=True))
    rows = draw(st.lists(st.lists(_CELLS, min_size=len(columns), max_size=len(columns)), max_size=15))
    return (",".join(columns) + "\n" + "\n".join(",".join(row) for row in rows)).encode()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables(), st.sampled_from([*KINDS, "unknown"]), st.sampled_from([None, "dmy", "mdy"]))
def test_any_table_analysed_as_any_kind_never_crashes(data, kind, order):
    try:
        raw = read_file(data, "fuzz.csv")
    except IngestError:
        return
    found = detect(raw)
    mapping = found.mapping if found.kind == kind else map_columns(kind, raw.frame)[0] if kind in KINDS else {}
    result = analyse(raw, kind, mapping, date_order=order, constants={"channel": "paid_social"})
    assert result.profile.rows == len(raw.frame)
    assert all(isinstance(value, float) and value == value for value in result.metrics.values())
