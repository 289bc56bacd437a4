"""Each known export's figures as the platform means them: one file per profile, written here from the
platform's documented columns (no copy of any real export), imported with no flag on both backends, and the
pages' totals compared with a direct pandas computation from the same text.

Orders: net sales (net of refunds as the source means it, unpaid and cancelled orders no sales), orders and,
for line exports, units. Ads: spend, clicks, impressions. Reviews: count and mean score. Tickets: count,
median first response and resolution hours, CSAT answers.
(Taobao, ERP invoice lines, Shopify, eBay and Shopee have their own tests in test_ingest_profiles.py.)
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
import pytest

from data_access.filters import Filters
from data_access.ingest import service
from data_access.ingest.analysis import analyse
from data_access.ingest.detect import detect
from data_access.ingest.read import read_file
from data_access.marketing import queries as marketing
from data_access.sales import queries
from data_access.satisfaction.kpis import satisfaction_kpis
from tests.conftest import BACKENDS

MAY = Filters(date(2025, 5, 1), date(2025, 5, 31))
AS_OF = datetime(2025, 6, 1)

WOOCOMMERCE = (
    "Order Number,Order Status,Order Date,Paid Date,Customer User ID,Order Total Amount,Order Refund Amount,"
    "State Code (Shipping)\n"
    "1001,completed,2025-05-01 10:00:00,2025-05-01 10:01:00,7,50.00,0,CA\n"
    "1002,completed,2025-05-02 10:00:00,2025-05-02 10:01:00,8,80.00,20.00,NY\n"
    "1003,refunded,2025-05-03 10:00:00,2025-05-03 10:01:00,9,40.00,40.00,NY\n"
    "1004,on-hold,2025-05-04 10:00:00,,10,30.00,0,TX\n"
    "1005,cancelled,2025-05-05 10:00:00,,11,25.00,0,TX\n"
    "1006,processing,2025-05-06 10:00:00,2025-05-06 10:02:00,7,60.00,0,CA\n")
# The All Orders report: tab-separated, one row per item; item-price is the line's total, the promotion discount
# is shown negative, a cancelled item has quantity 0 and no price, Pending = payment not yet authorised.
_AMAZON_HEAD = ("amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status",
                "fulfillment-channel", "sales-channel", "product-name", "sku", "asin", "item-status", "quantity",
                "currency", "item-price", "item-tax", "shipping-price", "item-promotion-discount", "ship-city",
                "ship-state", "ship-postal-code", "ship-country")
_AMAZON_ROWS = (
    "111-0000001-0000001,,2025-05-01T10:00:00+00:00,2025-05-02T10:00:00+00:00,Shipped,Amazon,Amazon.com,Mug,SKU-A,"
    "B0001,Shipped,2,USD,25.00,2.00,0.00,0.00,Seattle,WA,98101,US",
    "111-0000001-0000001,,2025-05-01T10:00:00+00:00,2025-05-02T10:00:00+00:00,Shipped,Amazon,Amazon.com,Lamp,SKU-B,"
    "B0002,Shipped,1,USD,10.00,1.00,0.00,-2.00,Seattle,WA,98101,US",
    "111-0000001-0000001,,2025-05-01T10:00:00+00:00,2025-05-02T10:00:00+00:00,Shipped,Amazon,Amazon.com,Cup,SKU-C,"
    "B0003,Cancelled,0,USD,,,,,Seattle,WA,98101,US",
    "111-0000002-0000002,,2025-05-02T10:00:00+00:00,2025-05-02T11:00:00+00:00,Cancelled,Amazon,Amazon.com,Mug,SKU-A,"
    "B0001,Cancelled,0,USD,,,,,Portland,OR,97201,US",
    "111-0000003-0000003,,2025-05-03T10:00:00+00:00,2025-05-03T10:00:00+00:00,Pending,Amazon,Amazon.com,Mug,SKU-A,"
    "B0001,Unshipped,1,USD,12.50,,,,Boise,ID,83701,US",
    "111-0000004-0000004,,2025-05-04T10:00:00+00:00,2025-05-04T10:00:00+00:00,Unshipped,Merchant,Non-Amazon,Lamp,"
    "SKU-B,B0002,Unshipped,3,USD,30.00,3.00,0.00,0.00,Austin,TX,73301,US")
AMAZON = "\n".join(["\t".join(_AMAZON_HEAD), *(row.replace(",", "\t") for row in _AMAZON_ROWS)]) + "\n"
JD = ("订单号,下单帐号,下单时间,付款确认时间,应付金额,订单金额,订单状态,客户地址,店铺名称\n"
      "J1,jd_a,2025-05-01 10:00:00,2025-05-01 10:01:00,99.00,109.00,完成,北京市,京东店\n"
      "J2,jd_b,2025-05-02 10:00:00,2025-05-02 10:01:00,50.00,50.00,等待确认收货,上海市,京东店\n"
      "J3,jd_c,2025-05-03 10:00:00,2025-05-03 10:01:00,30.00,30.00,已取消,上海市,京东店\n"
      "J4,jd_d,2025-05-04 10:00:00,,20.00,20.00,等待付款,广东省,京东店\n"
      "J5,jd_e,2025-05-05 10:00:00,,15.00,15.00,(删除)锁定,广东省,京东店\n")
# No refund amount column: a refund shows as the order status (退款成功) only.
PINDUODUO = ("订单号,订单状态,商品总价(元),用户实付金额(元),订单成交时间,支付时间,发货时间,确认收货时间,省,商品id,"
             "商品数量(件),快递公司\n"
             "P1,已收货,60.00,55.00,2025-05-01 10:00:00,2025-05-01 10:00:30,2025-05-02 09:00:00,"
             "2025-05-04 09:00:00,浙江省,101,2,中通快递\n"
             "P2,\"已发货，待收货\",30.00,30.00,2025-05-02 10:00:00,2025-05-02 10:00:30,2025-05-03 09:00:00,,"
             "江苏省,102,1,圆通速递\n"
             "P3,\"未发货，退款成功\",40.00,40.00,2025-05-03 10:00:00,2025-05-03 10:00:30,,,江苏省,101,1,\n"
             "P4,已取消,20.00,20.00,2025-05-04 10:00:00,,,,广东省,103,1,\n"
             "P5,待发货,25.00,22.00,2025-05-05 10:00:00,2025-05-05 10:00:30,,,广东省,103,1,\n")
DOUYIN = ("主订单编号,订单状态,订单应付金额,订单提交时间,支付完成时间,发货时间,省,店铺名称,售后退款金额\n"
          "D1,已完成,100.00,2025-05-01 20:00:00,2025-05-01 20:00:10,2025-05-02 09:00:00,四川省,抖店一号,0\n"
          "D2,已完成,80.00,2025-05-02 20:00:00,2025-05-02 20:00:10,2025-05-03 09:00:00,四川省,抖店一号,30.00\n"
          "D3,已关闭,60.00,2025-05-03 20:00:00,2025-05-03 20:00:10,,重庆市,抖店一号,60.00\n"
          "D4,待支付,45.00,2025-05-04 20:00:00,,,重庆市,抖店一号,0\n"
          "D5,待发货,40.00,2025-05-05 20:00:00,2025-05-05 20:00:10,,湖南省,抖店一号,0\n")


def _paid(frame: pd.DataFrame, paid_at: str, status: str, not_sold: tuple[str, ...]) -> pd.Series:
    """Orders the platform counts as sold: a payment time and a status that is not a cancellation."""
    return frame[paid_at].notna() & ~frame[status].isin(not_sold)


def _woocommerce(f: pd.DataFrame) -> dict:
    # Order Total Amount is before refunds; Order Refund Amount what was refunded since.
    sold = _paid(f, "Paid Date", "Order Status", ("cancelled", "failed"))
    return {"net_sales": (f["Order Total Amount"] - f["Order Refund Amount"])[sold].sum(), "orders": sold.sum()}


def _amazon(f: pd.DataFrame) -> dict:
    # Pending = payment not authorised (no sale, no order); a quantity of 0 is a cancelled item.
    sold = f["order-status"].isin(["Shipped", "Shipping", "Unshipped"]) & (f["quantity"] > 0)
    net = f["item-price"] - f["item-promotion-discount"].fillna(0).abs()
    return {"net_sales": net[sold].sum(), "orders": f.loc[sold, "amazon-order-id"].nunique(),
            "units": f.loc[sold, "quantity"].sum()}


def _jd(f: pd.DataFrame) -> dict:
    sold = _paid(f, "付款确认时间", "订单状态", ("已取消", "(删除)锁定"))
    return {"net_sales": f.loc[sold, "应付金额"].sum(), "orders": sold.sum()}


def _pinduoduo(f: pd.DataFrame) -> dict:
    # A refunded order (退款成功) was paid and counts as an order, but its sale was refunded in full.
    sold = _paid(f, "支付时间", "订单状态", ("已取消",))
    refunded = f["订单状态"].str.contains("退款成功")
    return {"net_sales": f.loc[sold & ~refunded, "用户实付金额(元)"].sum(), "orders": sold.sum()}


def _douyin(f: pd.DataFrame) -> dict:
    # 订单应付金额 is before after-sales refunds; 已关闭 is a closed order (cancelled, or refunded in full).
    sold = _paid(f, "支付完成时间", "订单状态", ("已关闭",))
    return {"net_sales": (f["订单应付金额"] - f["售后退款金额"])[sold].sum(), "orders": sold.sum()}


ORDER_FILES = [
    ("woocommerce_orders", WOOCOMMERCE, "orders-export.csv", ",", _woocommerce),
    ("amazon_orders", AMAZON, "All Orders.txt", "\t", _amazon),
    ("jd_orders", JD, "jd_orders.csv", ",", _jd),
    ("pinduoduo_orders", PINDUODUO, "pdd_orders.csv", ",", _pinduoduo),
    ("douyin_orders", DOUYIN, "douyin_orders.csv", ",", _douyin),
]


@pytest.fixture(params=BACKENDS)
def engine(request, fresh_engine):
    return fresh_engine(request.param)


def _imported(engine, text: str, name: str, profile: str):
    outcome = service.ingest(engine, text.encode(), name, username="ana")
    assert outcome.prepared.detection.profile == profile and outcome.prepared.validation.ok
    assert not service.ingest(engine, text.encode(), name, username="ana").result.changed
    return outcome


@pytest.mark.parametrize(("profile", "text", "name", "sep", "expected"), ORDER_FILES,
                         ids=[row[0] for row in ORDER_FILES])
def test_order_exports_total_as_the_platform_means_them(engine, profile, text, name, sep, expected):
    _imported(engine, text, name, profile)
    want = expected(pd.read_csv(io.StringIO(text), sep=sep))
    totals = queries.kpi_totals(engine, MAY).set_index("period").loc["current"]
    assert totals["net_sales"] == pytest.approx(want["net_sales"])
    assert totals["orders"] == want["orders"]
    if "units" in want:
        assert totals["units"] == want["units"]
    # The upload page's quick analysis applies the same meaning before the import.
    raw = read_file(text.encode(), name)
    found = detect(raw)
    shown = analyse(raw, found.kind, found.mapping, meaning=found.meaning).metrics
    assert shown["net_sales"] == pytest.approx(want["net_sales"]) and shown["orders"] == want["orders"]


# A downloaded Google Ads report: its name and date range above the header, "Total: ..." rows at the end.
GOOGLE_ADS = ("Campaign report\n\"May 1, 2025 - May 31, 2025\"\n"
              "Day,Campaign,Impr.,Clicks,Currency code,Cost,Conversions\n"
              "2025-05-01,Brand,\"1,200\",80,USD,40.50,3.00\n"
              "2025-05-01,Generic,900,30,USD,25.00,1.00\n"
              "2025-05-02,Brand,\"1,100\",70,USD,38.00,2.00\n"
              "Total: Campaigns,,\"3,200\",180,USD,103.50,6.00\n"
              "Total: Account,,\"3,200\",180,USD,103.50,6.00\n")
META_ADS = ("Reporting starts,Reporting ends,Campaign name,Impressions,Link clicks,Amount spent (USD),Results,"
            "Result indicator\n"
            "2025-05-01,2025-05-01,Spring,5000,120,60.25,4,actions:offsite_conversion.fb_pixel_purchase\n"
            "2025-05-01,2025-05-01,Retarget,2000,,15.00,,actions:offsite_conversion.fb_pixel_purchase\n"
            "2025-05-02,2025-05-02,Spring,4500,100,55.75,3,actions:offsite_conversion.fb_pixel_purchase\n")
OCEAN_ENGINE = ("日期,计划名称,消耗,展示数,点击数,转化数\n"
                "2025-05-01,直播引流,300.50,20000,800,12\n"
                "2025-05-01,短视频,120.00,9000,300,4\n"
                "2025-05-02,直播引流,280.00,18000,760,10\n")
ALIMAMA = ("日期,计划名字,展现量,点击量,花费,总成交笔数\n"
           "2025-05-01,关键词推广,15000,450,225.00,9\n"
           "2025-05-02,关键词推广,14000,400,200.00,8\n"
           "2025-05-02,货品加速,6000,150,90.50,2\n")
AD_FILES = [  # profile, text, file name, title lines, (spend, clicks, impressions) columns
    ("google_ads", GOOGLE_ADS, "Campaign report.csv", 2, ("Cost", "Clicks", "Impr.")),
    ("meta_ads", META_ADS, "meta-ads.csv", 0, ("Amount spent (USD)", "Link clicks", "Impressions")),
    ("ocean_engine", OCEAN_ENGINE, "巨量引擎_计划报表.csv", 0, ("消耗", "点击数", "展示数")),
    ("alimama", ALIMAMA, "阿里妈妈_计划报表.csv", 0, ("花费", "点击量", "展现量")),
]


@pytest.mark.parametrize(("profile", "text", "name", "titles", "columns"), AD_FILES,
                         ids=[row[0] for row in AD_FILES])
def test_ad_reports_total_their_spend_clicks_and_impressions(engine, profile, text, name, titles, columns):
    _imported(engine, text, name, profile)
    file = pd.read_csv(io.StringIO(text), thousands=",", skiprows=titles)
    file = file[~file.iloc[:, 0].str.startswith("Total")]  # a report's total rows sum the rows above
    channels = marketing.channel_comparison(engine, MAY)
    for measure, column in zip(("spend", "clicks", "impressions"), columns, strict=True):
        assert channels[measure].sum() == pytest.approx(file[column].sum()), measure
    raw = read_file(text.encode(), name)
    found = detect(raw)
    shown = analyse(raw, found.kind, found.mapping, meaning=found.meaning).metrics
    assert shown["spend"] == pytest.approx(file[columns[0]].sum())


AMAZON_REVIEWS = ("marketplace,customer_id,review_id,product_id,product_parent,product_title,product_category,"
                  "star_rating,helpful_votes,total_votes,vine,verified_purchase,review_headline,review_body,"
                  "review_date\n"
                  "US,1,R1,B0001,9,Mug,Kitchen,5,0,0,N,Y,Great,Lovely mug,2025-05-01\n"
                  "US,2,R2,B0001,9,Mug,Kitchen,2,1,1,N,Y,Chipped,Arrived chipped,2025-05-02\n"
                  "US,3,R3,B0002,8,Lamp,Home,4,0,0,N,N,Good,Bright,2025-05-03\n")
TRUSTPILOT = ("Review ID,Review Created (UTC),Review Consumer User ID,Review Title,Review Content,Review Stars,"
              "Source Of Review,Review Language,Domain URL,Webshop Name,Business Unit ID,Tags,"
              "Company Reply Date (UTC),Location Name,Location ID,Reference Id\n"
              "t1,2025-05-01 10:00:00,u1,Fast,Fast delivery,5,Invitation,en,shop.example,Shop,bu1,,,,,O-1\n"
              "t2,2025-05-02 10:00:00,u2,Slow,Slow delivery,1,Organic,en,shop.example,Shop,bu1,,,,,O-2\n"
              "t3,2025-05-03 10:00:00,u3,Ok,Okay,3,Organic,en,shop.example,Shop,bu1,,,,,\n")
TAOBAO_REVIEWS = ("评价ID,订单编号,宝贝ID,评分,评价内容,评价时间,买家昵称\n"
                  "E1,T1,600001,5,很好,2025-05-01 12:00:00,u1\n"
                  "E2,T2,600001,4,还行,2025-05-02 12:00:00,u2\n"
                  "E3,T3,600002,1,太差了,2025-05-03 12:00:00,u3\n"
                  "E4,T4,600002,5,满意,2025-05-04 12:00:00,u4\n")
REVIEW_FILES = [
    ("amazon_reviews", AMAZON_REVIEWS, "amazon_reviews.csv", "star_rating"),
    ("trustpilot_reviews", TRUSTPILOT, "trustpilot.csv", "Review Stars"),
    ("taobao_reviews", TAOBAO_REVIEWS, "评价.csv", "评分"),
]


@pytest.mark.parametrize(("profile", "text", "name", "score"), REVIEW_FILES, ids=[row[0] for row in REVIEW_FILES])
def test_review_exports_count_and_average_their_scores(engine, profile, text, name, score):
    _imported(engine, text, name, profile)
    file = pd.read_csv(io.StringIO(text))
    kpis = satisfaction_kpis(engine, MAY, as_of=AS_OF).set_index("period").loc["current"]
    assert kpis["reviews"] == len(file)
    assert kpis["avg_rating"] == pytest.approx(file[score].mean())


ZENDESK = ("Id,Requester,Assignee,Subject,Status,Priority,Via,Type,Created at,Updated at,Solved at,"
           "Satisfaction Score\n"
           "101,Amy,Bo,Late parcel,Solved,Normal,Email,Incident,2025-05-01 09:00:00,2025-05-01 15:00:00,"
           "2025-05-01 15:00:00,Good\n"
           "102,Bob,Bo,Refund,Closed,High,Web form,Question,2025-05-02 09:00:00,2025-05-03 09:00:00,"
           "2025-05-03 09:00:00,Bad\n"
           "103,Cat,Bo,Wrong size,Solved,Normal,Email,Question,2025-05-02 10:00:00,2025-05-02 12:00:00,"
           "2025-05-02 12:00:00,Offered\n"
           "104,Dan,,Broken,Open,Urgent,Chat,Problem,2025-05-03 09:00:00,2025-05-03 09:30:00,,Unoffered\n"
           "105,Eve,Bo,Size,Pending,Low,Email,Question,2025-05-04 09:00:00,2025-05-04 12:00:00,,Offered\n")
FRESHDESK = ("Ticket ID,Subject,Status,Priority,Source,Type,Agent,Created time,Due by Time,Resolved time,"
             "Closed time,Initial response time,Contact ID\n"
             "1,Where is my order,Resolved,Medium,Email,Question,Li,2025-05-01 09:00:00,2025-05-02 09:00:00,"
             "2025-05-01 17:00:00,2025-05-01 17:00:00,2025-05-01 10:00:00,C1\n"
             "2,Damaged,Closed,High,Portal,Problem,Li,2025-05-02 09:00:00,2025-05-03 09:00:00,"
             "2025-05-04 09:00:00,2025-05-04 09:00:00,2025-05-02 12:00:00,C2\n"
             "3,Exchange,Open,Low,Phone,Request,,2025-05-03 09:00:00,2025-05-04 09:00:00,,,,C3\n"
             "4,Invoice,Pending,Urgent,Chat,Question,Li,2025-05-04 09:00:00,2025-05-05 09:00:00,,,"
             "2025-05-04 09:30:00,C1\n")
TICKET_FILES = [  # profile, text, file name, created, first response, resolved, satisfaction columns
    ("zendesk_tickets", ZENDESK, "zendesk_tickets.csv", "Created at", None, "Solved at", "Satisfaction Score"),
    ("freshdesk_tickets", FRESHDESK, "freshdesk_tickets.csv", "Created time", "Initial response time",
     "Resolved time", None),
]


def _hours(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (pd.to_datetime(later) - pd.to_datetime(earlier)).dt.total_seconds() / 3600


@pytest.mark.parametrize(("profile", "text", "name", "created", "first", "resolved", "satisfaction"),
                         TICKET_FILES, ids=[row[0] for row in TICKET_FILES])
def test_ticket_exports_count_and_time_their_tickets(engine, profile, text, name, created, first, resolved,
                                                     satisfaction):
    _imported(engine, text, name, profile)
    file = pd.read_csv(io.StringIO(text))
    kpis = satisfaction_kpis(engine, MAY, as_of=AS_OF).set_index("period").loc["current"]
    assert kpis["opened"] == len(file)
    assert kpis["resolved"] == file[resolved].notna().sum()
    assert kpis["resolution_median"] == pytest.approx(_hours(file[resolved], file[created]).median())
    if first:
        assert kpis["first_response_median"] == pytest.approx(_hours(file[first], file[created]).median())
    if satisfaction:
        # Zendesk rates Good or Bad (Offered / Unoffered: no answer); CSAT = good answers / answers.
        answered = file[satisfaction].isin(["Good", "Bad"])
        assert kpis["csat_answers"] == answered.sum()
        assert kpis["csat"] == pytest.approx((file[satisfaction] == "Good").sum() / answered.sum())
