"""Customer satisfaction: every query against hand-computed values on both backends, the Olist sample against
its CSVs, the keyword and SLA logic, and the page in AppTest.

The hand-made shop is tests/support/satisfaction_shop.py: period 1-7 Mar 2025, tickets judged at 8 Mar 12:00.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from components.i18n import code_label, translate
from components.satisfaction import keywords, logic
from data_access import schema
from data_access.bulk import bulk_insert
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.satisfaction import review_language, service, sla, tickets
from data_access.satisfaction import reviews as review_queries
from data_access.satisfaction.kpis import satisfaction_kpis
from data_access.schema import create_schema
from data_access.sources import olist
from tests.conftest import BACKENDS, REAL_DATA
from tests.support import apptest_helpers as h
from tests.support import fixtures
from tests.support import satisfaction_shop as shop

AS_OF, TARGETS = shop.AS_OF, shop.TARGETS


def period(**kw) -> Filters:
    return Filters(*shop.PERIOD, **kw)


engine = fixtures.shop_engine(shop.load)


def kpis(engine, f=None, targets=TARGETS, as_of=AS_OF) -> pd.DataFrame:
    return satisfaction_kpis(engine, f or period(), targets, as_of).set_index("period")


# ---------------------------------------------------------------- review KPIs


def test_review_kpis_with_comparisons(engine):
    k = kpis(engine)
    cur = k.loc["current"]
    # R1..R9: ratings 5, 4, 2, 1, 3, 1, 4, 5, 1 (R6, R8, R9 have no order and still count)
    assert cur["reviews"] == 9
    assert cur["avg_rating"] == pytest.approx(26 / 9)
    assert cur["low_ratings"] == 4 and cur["low_share"] == pytest.approx(4 / 9)  # R3, R4, R6, R9
    assert cur["high_ratings"] == 4 and cur["review_csat"] == pytest.approx(4 / 9)  # R1, R2, R7, R8
    # NPS answers 10, 9, 5, 7, 0, 9: promoters R1, R2, R8; detractors R3, R6
    assert (cur["nps_answers"], cur["promoters"], cur["detractors"]) == (6, 3, 2)
    assert cur["nps"] == pytest.approx(100 * (3 - 2) / 6)
    prev, last_year = k.loc["previous"], k.loc["last_year"]
    assert (prev["start"], prev["end"]) == (date(2025, 2, 22), date(2025, 2, 28))
    assert prev["reviews"] == 2 and prev["avg_rating"] == pytest.approx(3.0) and prev["nps"] == pytest.approx(50.0)
    assert prev["review_csat"] == pytest.approx(0.5)  # R10's 4 of R10, R11
    assert last_year["reviews"] == 1 and last_year["avg_rating"] == 5 and last_year["nps"] == 100


def test_ticket_kpis_with_open_and_unanswered_tickets(engine):
    cur = kpis(engine).loc["current"]
    assert cur["opened"] == 7  # T1..T7
    assert cur["resolved"] == 5  # T1, T2, T3, T7 and T8 (opened before the period)
    assert cur["backlog"] == 4  # T4 (answered, open), T5 and T6 (unanswered), T10 (open since February)
    assert (cur["answered"], cur["unanswered"]) == (5, 2)  # T5 and T6 have no response
    # first responses 1, 6, 0.5, 8, 1/6 h -> median 1; p90 at rank 3.6 between 6 and 8
    assert cur["first_response_median"] == pytest.approx(1.0)
    assert cur["first_response_p90"] == pytest.approx(6 + 0.6 * 2)
    # resolutions of the period's tickets so far 10, 24, 72, 2 h -> median 17; p90 at rank 2.7 between 24 and 72
    assert cur["resolution_median"] == pytest.approx(17.0)
    assert cur["resolution_p90"] == pytest.approx(24 + 0.7 * 48)
    # targets for T1-T6 (T7's priority has none); breached: T2 (answer), T3 (resolution), T4 (open 96 h > 72 h),
    # T5 (unanswered 50 h), T6 (unanswered 14 h > 2 h)
    assert (cur["with_target"], cur["breaches"]) == (6, 5) and cur["sla_breach_rate"] == pytest.approx(5 / 6)
    # surveys of tickets resolved in the period: 5, 3, 2, 4, 1 -> two of 4-5
    assert (cur["csat_answers"], cur["csat_positive"]) == (5, 2) and cur["csat"] == pytest.approx(0.4)


def test_ticket_kpis_of_the_comparison_periods(engine):
    k = kpis(engine)
    prev = k.loc["previous"]
    assert (prev["opened"], prev["resolved"], prev["backlog"], prev["unanswered"]) == (2, 1, 2, 0)
    assert prev["first_response_median"] == pytest.approx(1.0)
    assert prev["resolution_median"] == pytest.approx((72 + 3) / 2)
    assert prev["resolution_p90"] == pytest.approx(3 + 0.9 * 69)
    assert prev["sla_breach_rate"] == pytest.approx(0.5)  # T8 resolved after 72 h
    assert prev["csat"] == 1.0  # T9's 5
    ly = k.loc["last_year"]
    assert (ly["opened"], ly["resolved"], ly["backlog"], ly["sla_breach_rate"]) == (1, 1, 0, 0.0)


def test_tickets_are_judged_as_of_a_moment(engine):
    cur = kpis(engine, as_of=datetime(2025, 3, 3, 12)).loc["current"]
    assert cur["opened"] == 3  # T1, T2, T3 exist by then
    assert cur["resolved"] == 3  # T1, T8, T2; T3's resolution on 6 Mar has not happened yet
    assert cur["backlog"] == 2  # T3 and T10 at 3 Mar 12:00
    assert cur["resolution_median"] == pytest.approx(17.0)  # T1 10 h, T2 24 h
    assert cur["sla_breach_rate"] == pytest.approx(1 / 3)  # only T2; T3 is 28 h old, within 48 h


def test_the_other_row_gives_every_other_priority_a_target(engine):
    targets = sla.as_targets({"high": (2, 24), "normal": (4, 48), "low": (None, 72), sla.OTHER: (4, 48)})
    cur = kpis(engine, targets=targets).loc["current"]
    assert (cur["with_target"], cur["breaches"]) == (7, 5)  # T7 (vip) answered in 10 min, resolved in 2 h


def test_store_scope(engine):
    k = kpis(engine, period(stores=["S1"]))
    cur = k.loc["current"]
    assert cur["reviews"] == 5 and cur["avg_rating"] == pytest.approx(14 / 5)  # R1, R2, R5, R6, R9
    assert cur["nps"] == pytest.approx(100 * (2 - 1) / 4)
    assert (cur["opened"], cur["resolved"], cur["backlog"], cur["unanswered"]) == (4, 3, 3, 2)
    assert cur["first_response_median"] == pytest.approx(3.5) and cur["first_response_p90"] == pytest.approx(5.5)
    assert cur["sla_breach_rate"] == pytest.approx(3 / 4) and cur["csat"] == pytest.approx(1 / 3)
    nothing = kpis(engine, period(stores=())).loc["current"]
    assert nothing["reviews"] == 0 and nothing["opened"] == 0 and nothing["backlog"] == 0
    assert np.isnan(nothing["avg_rating"]) and np.isnan(nothing["sla_breach_rate"])


def test_channel_and_category_picks(engine):
    direct = kpis(engine, period(channels=["direct"])).loc["current"]
    assert direct["reviews"] == 3 and direct["avg_rating"] == pytest.approx(3.0)  # R1, R4, R5 (orders O1, O4, O5)
    assert direct["opened"] == 3  # T2 (O1), T4 (O4), T6 (O5)
    category_b = kpis(engine, period(categories=["B"])).loc["current"]
    assert category_b["reviews"] == 3 and category_b["avg_rating"] == pytest.approx(4 / 3)  # R3, R6, R9
    assert category_b["opened"] == 2  # T1 (O2 holds P3), T3 (O3)


# ---------------------------------------------------------------- trends


def test_rating_trend_by_day(engine):
    trend = review_queries.rating_trend(engine, period(), "day").set_index("period_start")
    assert len(trend) == 7 and trend.at[pd.Timestamp("2025-03-01"), "reviews"] == 0
    assert np.isnan(trend.at[pd.Timestamp("2025-03-01"), "avg_rating"])
    assert trend.at[pd.Timestamp("2025-03-05"), "avg_rating"] == pytest.approx((2 + 1) / 2)  # R3, R9
    assert trend.at[pd.Timestamp("2025-03-05"), "nps"] == pytest.approx(-100)  # R3's 5 is the only answer
    assert trend.at[pd.Timestamp("2025-03-07"), "nps"] == pytest.approx(0)  # R6's 0 and R8's 9


def test_ticket_flow_and_backlog(engine):
    daily = tickets.ticket_flow(engine, period(), "day", AS_OF)
    assert list(daily["created"]) == [1, 1, 1, 1, 1, 1, 1]
    assert list(daily["resolved"]) == [1, 1, 1, 0, 1, 1, 0]  # T1, T8, T2, -, T7, T3, -
    assert list(daily["backlog"]) == [2, 2, 2, 3, 3, 3, 4]  # T8 and T10 open at the start
    weekly = tickets.ticket_flow(engine, period(), "week", AS_OF)
    assert list(weekly["period_start"]) == [pd.Timestamp("2025-02-24"), pd.Timestamp("2025-03-03")]
    assert list(weekly["created"]) == [2, 5] and list(weekly["resolved"]) == [2, 3]
    assert list(weekly["backlog"]) == [2, 4]
    quiet = tickets.ticket_flow(engine, Filters(date(2025, 2, 10), date(2025, 2, 12)), "day", AS_OF)
    assert list(quiet["created"]) == [0, 0, 0] and list(quiet["backlog"]) == [0, 0, 0]


def test_response_times_by_channel(engine):
    times = tickets.response_times(engine, period(), AS_OF).set_index("channel")
    assert list(times.index) == ["chat", "email", "phone", "wechat"]
    assert (times.at["chat", "tickets"], times.at["chat", "answered"], times.at["chat", "unanswered"]) == (3, 2, 1)
    assert times.at["chat", "first_response_median"] == pytest.approx(4.5)  # T1 1 h, T4 8 h
    assert times.at["phone", "first_response_median"] == pytest.approx((0.5 + 1 / 6) / 2)
    assert times.at["phone", "resolution_median"] == pytest.approx((72 + 2) / 2)
    assert np.isnan(times.at["wechat", "first_response_median"])  # T5 never answered
    by_day = tickets.response_times(engine, period(), AS_OF, grain="day")
    chat = by_day[by_day["channel"] == "chat"].set_index("period_start")["first_response_median"]
    assert chat[pd.Timestamp("2025-03-04")] == pytest.approx(8.0)


# ---------------------------------------------------------------- drivers


def test_rating_by_delivery_delay(engine):
    by = review_queries.rating_by_delay(engine, period()).set_index("bucket")
    assert list(by.index) == list(review_queries.DELAY_BUCKETS)
    expected = {"on_time": (1, 5.0), "late_1_2": (1, 4.0), "late_3_7": (1, 2.0), "late_over_7": (1, 1.0),
                "not_delivered": (1, 3.0), "no_promise": (1, 4.0), "no_order": (3, 7 / 3)}
    for bucket, (n, avg) in expected.items():
        assert by.at[bucket, "reviews"] == n, bucket
        assert by.at[bucket, "avg_rating"] == pytest.approx(avg), bucket


def test_rating_distribution_and_splits(engine):
    dist = review_queries.rating_distribution(engine, period())
    assert list(dist["reviews"]) == [3, 1, 1, 2, 2] and dist["share"].sum() == pytest.approx(1)
    empty = review_queries.rating_distribution(engine, period(stores=()))
    assert list(empty["reviews"]) == [0] * 5
    stores = review_queries.rating_by(engine, period(), "store").set_index("key")
    assert stores.at["S1", "avg_rating"] == pytest.approx(2.8) and stores.at["S2", "avg_rating"] == pytest.approx(3)
    assert stores.at["S1", "name_zh"] == "上海旗舰店"
    channels = review_queries.rating_by(engine, period(), "channel")
    assert list(channels["key"].fillna("-")) == ["marketplace", "-", "direct", "email", "paid_search"]
    assert channels["avg_rating"].iloc[1] == pytest.approx(7 / 3)  # the reviews without an order
    categories = review_queries.rating_by(engine, period(), "category")
    categories = categories.set_index(categories["key"].fillna("-"))
    assert categories.at["A", "avg_rating"] == pytest.approx(17 / 5)
    assert categories.at["B", "avg_rating"] == pytest.approx(4 / 3) and categories.at["-", "reviews"] == 1
    assert review_queries.rating_by(engine, period(stores=["S2"]), "store")["key"].tolist() == ["S2"]


def test_worst_products_use_a_bayesian_average(engine):
    worst = review_queries.worst_products(engine, period(), min_reviews=1, prior_weight=2)
    m = (10 + 7 + 3 + 1) / 8  # every rating of a product in the period
    assert worst["prior_mean"].iloc[0] == pytest.approx(m)
    # P4 has the lowest plain average (one 1-star review) but P3's two low reviews rank it worst
    assert list(worst["sku"]) == ["P3", "P4", "P1", "P2"]
    assert worst.set_index("sku")["avg_rating"]["P4"] == 1.0
    expected = {"P3": (2 * m + 3) / 4, "P4": (2 * m + 1) / 3, "P1": (2 * m + 10) / 5, "P2": (2 * m + 7) / 4}
    for sku, value in expected.items():
        assert worst.set_index("sku").at[sku, "bayes_rating"] == pytest.approx(value)
    assert list(review_queries.worst_products(engine, period(), min_reviews=2, prior_weight=2)["sku"]) == [
        "P3", "P1", "P2"]
    # S1 only, C = 10: m = 14 / 5; P3 and P4 tie at (28 + 1) / 11 (one 1-star review each), then P2, P1
    s1 = review_queries.worst_products(engine, period(stores=["S1"]), min_reviews=1)
    assert list(s1["sku"]) == ["P3", "P4", "P2", "P1"]
    assert list(s1["bayes_rating"]) == pytest.approx([29 / 11, 29 / 11, 35 / 12, 33 / 11])
    assert list(review_queries.worst_products(engine, period(stores=["S1"]), min_reviews=1, limit=1)["sku"]) == ["P3"]


def test_complaint_categories_with_trend(engine):
    ranked = tickets.complaint_categories(engine, period())
    assert list(ranked["category"]) == ["delivery", "quality", "inquiry", "payment", "return"]
    top = ranked.iloc[0]
    assert (top["tickets"], top["previous_tickets"], top["change"], top["change_pct"]) == (3, 1, 2, 2.0)
    assert top["share"] == pytest.approx(3 / 7) and np.isnan(ranked.iloc[2]["change_pct"])
    trend = tickets.complaint_trend(engine, period(), "day")
    delivery = trend[trend["category"] == "delivery"]
    assert list(delivery["period_start"].dt.day) == [1, 3, 5] and delivery["tickets"].sum() == 3
    assert tickets.complaint_categories(engine, period(stores=())).empty


def test_sla_by_priority(engine):
    by = tickets.sla_by_priority(engine, period(), TARGETS, AS_OF).set_index("priority")
    assert (by.at["normal", "tickets"], by.at["normal", "first_response_breaches"],
            by.at["normal", "resolution_breaches"], by.at["normal", "breaches"]) == (3, 2, 2, 3)  # T2, T3, T5
    assert by.at["high", "breach_rate"] == pytest.approx(0.5)  # T6 of T1, T6
    assert np.isnan(by.at["low", "first_response_target"]) and by.at["low", "resolution_target"] == 72
    assert by.at["vip", "with_target"] == 0 and np.isnan(by.at["vip", "breach_rate"])


def test_open_tickets_past_their_priority_target(engine):
    past = service.open_tickets_past_sla(engine, Filters.all_time(), AS_OF, TARGETS)
    # Newest breach first: T6 (high, unanswered 14 h: 12 h past 2 h), T4 (low, open 96 h: 24 h past 72 h),
    # T5 (normal, unanswered 50 h: 46 h past 4 h), T10 (normal, open 387 h: 339 h past 48 h);
    # T11 (normal) has waited 3 h of its 4
    assert list(past["ticket_id"]) == ["T6", "T4", "T5", "T10"]
    assert list(past["breach"]) == ["first_response", "resolution", "first_response", "resolution"]
    assert past["overdue_hours"].tolist() == pytest.approx([12.0, 24.0, 46.0, 339.0])
    assert list(service.open_tickets_past_sla(engine, Filters.all_time(("S2",)), AS_OF, TARGETS)["ticket_id"]) == ["T4"]


# ---------------------------------------------------------------- review reader


def test_review_search(engine):
    newest_low = review_queries.review_search(engine, period())
    assert list(newest_low["review_id"]) == ["R6", "R4", "R3"]  # R9 is low but has only blanks
    assert list(newest_low["language"]) == ["pt", "zh", "pt"]
    assert list(review_queries.review_search(engine, period(), with_comment=False)["review_id"]) == [
        "R6", "R4", "R9", "R3"]
    assert list(review_queries.review_search(engine, period(), 1, 5, text="物流")["review_id"]) == ["R4", "R2"]
    assert list(review_queries.review_search(engine, period(), 1, 5, text="NÃO")["review_id"]) == ["R6"]
    assert review_queries.review_search(engine, period(), 1, 5, text="%").empty  # searched literally
    by_language = {lang: list(review_queries.review_search(engine, period(), 1, 5, language=lang)["review_id"])
                   for lang in review_language.LANGUAGES}
    assert by_language == {"zh": ["R8", "R4", "R2"], "en": ["R5", "R1"], "pt": ["R6", "R3"]}
    assert list(review_queries.review_search(engine, period(stores=["S1"]))["review_id"]) == ["R6"]
    assert review_queries.review_search_count(engine, period(), 1, 5)["matches"].iloc[0] == 7
    assert review_queries.review_search(engine, period(), 1, 5, limit=2)["review_id"].tolist() == ["R8", "R6"]


def test_keyword_comments(engine):
    comments = review_queries.keyword_comments(engine, period())
    assert comments.groupby("side")["comment"].apply(set).to_dict() == {
        "low": {"Não recebi, péssimo", "物流太慢了，包装破损", "Chegou atrasado, produto com defeito"},
        "high": {"很好", "物流稍慢，质量很好", "Great quality, fast delivery"}}
    assert len(review_queries.keyword_comments(engine, period(), limit=1)) == 2


def test_review_span(engine):
    assert review_queries.review_span(engine, Filters.all_time()) == (date(2024, 3, 3), date(2025, 3, 8))
    assert review_queries.review_span(engine, Filters.all_time(())) is None


def test_every_query_applies_the_store_scope(engine):
    s2, none = period(stores=["S2"]), period(stores=())
    # S2 has reviews R3, R4, R7, R8 and tickets T3, T4, T7 in the period
    assert review_queries.rating_trend(engine, s2, "day")["reviews"].sum() == 4
    assert review_queries.rating_by_delay(engine, s2)["reviews"].sum() == 4
    assert tickets.ticket_flow(engine, s2, "day", AS_OF)["created"].sum() == 3
    assert tickets.response_times(engine, s2, AS_OF)["tickets"].sum() == 3
    assert tickets.sla_by_priority(engine, s2, TARGETS, AS_OF)["tickets"].sum() == 3
    assert tickets.complaint_trend(engine, s2, "day")["tickets"].sum() == 3
    comments = review_queries.keyword_comments(engine, s2)
    assert sorted(comments["rating"]) == [1, 2, 5]  # R4, R3 low; R8 high (R7 has no comment)
    assert review_queries.rating_trend(engine, none, "day")["reviews"].sum() == 0
    assert review_queries.rating_by_delay(engine, none)["reviews"].sum() == 0
    assert list(tickets.ticket_flow(engine, none, "day", AS_OF)["backlog"]) == [0] * 7
    for empty in (tickets.response_times(engine, none, AS_OF), tickets.complaint_trend(engine, none),
                  tickets.sla_by_priority(engine, none, TARGETS, AS_OF),
                  review_queries.keyword_comments(engine, none), review_queries.review_search(engine, none, 1, 5),
                  review_queries.worst_products(engine, none, min_reviews=1),
                  review_queries.rating_by(engine, none, "channel")):
        assert empty.empty


@pytest.mark.parametrize("pick, n_reviews, n_tickets", [
    ({"channels": ["direct"]}, 3, 3),  # R1, R4, R5; T2, T4, T6
    ({"categories": ["B"]}, 3, 2),  # R3, R6, R9; T1, T3
    ({"channels": ["direct"], "categories": ["B"]}, 0, 0),  # direct orders O1, O4, O5 hold only A products
])
def test_every_query_applies_channel_and_category_picks(engine, pick, n_reviews, n_tickets):
    # Queries that join orders or products themselves used to lose the pick's EXISTS subquery (auto-correlation).
    f = period(**pick)
    assert review_queries.rating_trend(engine, f, "day")["reviews"].sum() == n_reviews
    assert review_queries.rating_distribution(engine, f)["reviews"].sum() == n_reviews
    assert review_queries.rating_by_delay(engine, f)["reviews"].sum() == n_reviews
    for dimension in ("store", "channel", "category"):
        assert review_queries.rating_by(engine, f, dimension)["reviews"].sum() == n_reviews
    everything = review_queries.review_search(engine, f, 1, 5, with_comment=False)
    assert len(everything) == n_reviews
    assert review_queries.review_search_count(engine, f, 1, 5, with_comment=False)["matches"].iloc[0] == n_reviews
    assert review_queries.worst_products(engine, f, min_reviews=1)["reviews"].sum() == n_reviews
    assert tickets.ticket_flow(engine, f, "day", AS_OF)["created"].sum() == n_tickets
    assert tickets.response_times(engine, f, AS_OF)["tickets"].sum() == n_tickets
    assert tickets.complaint_categories(engine, f)["tickets"].sum() == n_tickets
    assert tickets.complaint_trend(engine, f, "day")["tickets"].sum() == n_tickets
    assert tickets.sla_by_priority(engine, f, TARGETS, AS_OF)["tickets"].sum() == n_tickets


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_ticket_resolved_without_a_reply_is_answered_by_its_resolution(fresh_engine, backend):
    engine = fresh_engine(backend)
    create_schema(engine)
    rows = pd.DataFrame([
        # normal priority (4 h / 48 h): closed after 1 h with no recorded reply -> within both targets
        shop._ticket("Q1", "S1", "email", "inquiry", "normal", None, "2025-03-02 10:00", None, "2025-03-02 11:00"),
        # no reply at all, still open at as_of -> unanswered and breached
        shop._ticket("Q2", "S1", "email", "inquiry", "normal", None, "2025-03-03 10:00"),
    ]).astype({"csat": "Int64"})
    with engine.begin() as conn:
        bulk_insert(conn, schema.tickets, rows)
    totals = tickets.ticket_totals(engine, {"current": period()}, TARGETS, AS_OF).iloc[0]
    assert (totals["opened"], totals["answered"], totals["unanswered"]) == (2, 1, 1)
    assert (totals["breaches"], totals["with_target"]) == (1, 2)  # only Q2
    assert np.isnan(totals["first_response_median"])  # no reply was recorded, so no reply time either
    assert totals["resolution_median"] == pytest.approx(1.0)


# ---------------------------------------------------------------- the Olist sample against its CSV files

OLIST_ALL = Filters(date(2016, 1, 1), date(2018, 12, 31))
LATE = {"on_time": (None, 0), "late_1_2": (1, 2), "late_3_7": (3, 7), "late_over_7": (8, None)}


def _csv(name: str) -> list[dict]:
    with open(REAL_DATA / f"olist4k_{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _csv_bucket(order: dict | None) -> str:
    if order is None:
        return "no_order"
    promised, delivered = order["order_estimated_delivery_date"], order["order_delivered_customer_date"]
    if not promised:
        return "no_promise"
    if not delivered:
        return "not_delivered"
    days = (date.fromisoformat(delivered[:10]) - date.fromisoformat(promised[:10])).days
    return next(b for b, (lo, hi) in LATE.items() if (lo is None or days >= lo) and (hi is None or days <= hi))


@pytest.fixture(scope="module")
def olist_truth() -> dict:
    """Ratings, their distribution and rating by delivery delay, straight from the CSVs with the csv module."""
    orders = {r["order_id"]: r for r in _csv("orders")}
    reviews = _csv("order_reviews")
    scores = [int(r["review_score"]) for r in reviews]
    by_bucket: dict[str, list[int]] = {}
    for review in reviews:
        by_bucket.setdefault(_csv_bucket(orders.get(review["order_id"])), []).append(int(review["review_score"]))
    low_with_atraso = sum(
        1 for r in reviews if int(r["review_score"]) <= 2
        and "atraso" in f"{r['review_comment_title'].strip()} {r['review_comment_message'].strip()}".lower())
    return {"mean": sum(scores) / len(scores), "count": len(scores), "distribution": Counter(scores),
            "by_bucket": {b: (len(v), sum(v) / len(v)) for b, v in by_bucket.items()},
            "low_with_atraso": low_with_atraso}


olist_engine = fixtures.shop_engine(lambda engine: olist.load(engine, REAL_DATA))


def test_olist_average_rating_and_distribution_match_the_csv(olist_engine, olist_truth):
    cur = satisfaction_kpis(olist_engine, OLIST_ALL, as_of=datetime(2019, 1, 1)).set_index("period").loc["current"]
    assert cur["reviews"] == olist_truth["count"]
    assert cur["avg_rating"] == pytest.approx(olist_truth["mean"])
    assert cur["opened"] == 0 and np.isnan(cur["csat"])  # Olist has no service tickets
    dist = review_queries.rating_distribution(olist_engine, OLIST_ALL).set_index("rating")["reviews"]
    assert dist.to_dict() == {k: olist_truth["distribution"][k] for k in range(1, 6)}


def test_olist_late_delivery_vs_rating_matches_the_csv(olist_engine, olist_truth):
    by = review_queries.rating_by_delay(olist_engine, OLIST_ALL).set_index("bucket")
    for bucket in review_queries.DELAY_BUCKETS:
        n, mean = olist_truth["by_bucket"].get(bucket, (0, float("nan")))
        assert by.at[bucket, "reviews"] == n, bucket
        if n:
            assert by.at[bucket, "avg_rating"] == pytest.approx(mean), bucket
    # the real relation: every step later costs rating
    steps = [by.at[b, "avg_rating"] for b in ("on_time", "late_1_2", "late_3_7", "late_over_7")]
    assert steps == sorted(steps, reverse=True) and steps[0] - steps[-1] > 2


def test_olist_portuguese_search_and_keywords(olist_engine, olist_truth):
    found = review_queries.review_search_count(olist_engine, OLIST_ALL, 1, 2, text="ATRASO")
    assert found["matches"].iloc[0] == olist_truth["low_with_atraso"]
    assert review_queries.review_search_count(olist_engine, OLIST_ALL, 1, 5, language="zh")["matches"].iloc[0] == 0
    words = keywords.keyword_table(review_queries.keyword_comments(olist_engine, OLIST_ALL))
    low = words[words["side"] == "low"]
    assert any(w.startswith("não ") for w in low["word"])  # negations stay with their verb ("não recebi")
    assert (low["share"] > low["other_share"]).mean() > 0.5  # the low side's words are mostly the low side's


# ---------------------------------------------------------------- pure logic


def test_language_detection():
    assert review_language.detect_language("物流太慢了") == "zh"
    assert review_language.detect_language("Chegou antes do prazo") == "pt"
    assert review_language.detect_language("Nao recebi") == "pt"  # no accent, a Portuguese word
    assert review_language.detect_language("Arrived late, packaging damaged") == "en"
    assert review_language.detect_language("12345 !!") is None and review_language.detect_language(None) is None
    with pytest.raises(ValueError):
        review_language.language_condition(review_queries.reviews.c.comment, "fr")


def test_keywords_segment_chinese_and_keep_negations():
    assert keywords.keywords("物流太慢了，包装破损") == ["物流", "太慢", "包装", "破损"]
    assert "不回复" in keywords.keywords("客服不回复，体验很差。")
    assert keywords.keywords("非常失望，和描述不符。") == ["失望", "描述", "不符"]  # 非常 is a filler
    assert keywords.keywords("It is not very good") == ["not good"]
    assert keywords.keywords("Great quality, fast delivery") == ["great", "quality", "fast", "delivery"]
    assert keywords.keywords(None) == []


def test_keyword_table_counts_comments_per_side():
    comments = pd.DataFrame({"side": ["low", "low", "low", "high", "high"],
                             "comment": ["Não recebi", "nao recebi nada", "物流太慢 物流", "物流很快", "很好"]})
    words = keywords.keyword_table(comments, min_comments=1).set_index(["side", "word"])
    assert words.at[("low", "não recebi"), "comments"] == 2  # accents ignored when counting
    assert words.at[("low", "物流"), "comments"] == 1  # once per comment
    assert words.at[("low", "物流"), "share"] == pytest.approx(1 / 3)
    assert words.at[("low", "物流"), "other_share"] == pytest.approx(1 / 2)
    assert ("low", "太慢") not in keywords.keyword_table(comments, min_comments=2).set_index(
        ["side", "word"]).index
    assert keywords.keyword_table(comments.iloc[:0]).empty


def test_sla_targets_validation_and_table_round_trip():
    assert sla.as_targets({"low": ("", float("nan"))}) == (("low", None, None),)
    with pytest.raises(ValueError):
        sla.as_targets({"low": (-1, 2)})
    with pytest.raises(ValueError):
        sla.as_targets({"low": ("soon", 2)})
    table = logic.sla_table(sla.as_targets())
    assert list(table["priority"]) == ["urgent", "high", "normal", "low", sla.OTHER]
    assert logic.targets_from_table(table) == sla.as_targets()
    twice = pd.concat([table, table.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match="urgent"):
        logic.targets_from_table(twice)
    blank = pd.concat([table, pd.DataFrame([{"priority": None, "first_response_target": 1.0}])], ignore_index=True)
    assert logic.targets_from_table(blank) == sla.as_targets()


def test_the_sla_editor_shows_priorities_escaped_and_keeps_what_was_typed():
    typed = sla.as_targets({"=HYPERLINK(\"http://x\")": (1, 2), "-5": (3, None), "normal": (4, 48)})
    shown = logic.sla_editor_table(logic.sla_table(typed))
    # What the editor shows is what its toolbar CSV writes: no formula-leading cell (a plain number stays).
    assert set(shown["priority"]) == {"'=HYPERLINK(\"http://x\")", "-5", "normal"}
    assert logic.targets_from_table(shown) == typed  # read back as the admin typed it
    # A priority typed in the editor comes back raw and is kept raw.
    edited = pd.concat([shown, pd.DataFrame([{"priority": "@cmd", "first_response_target": 1.0}])])
    assert ("@cmd", 1.0, None) in logic.targets_from_table(edited)


def test_page_helpers():
    by_delay = pd.DataFrame({"bucket": review_queries.DELAY_BUCKETS, "reviews": [10, 2, 0, 4, 0, 0, 3],
                             "avg_rating": [4.5, 4.0, np.nan, 1.5, np.nan, np.nan, 3.0]})
    assert logic.delay_finding(by_delay) == {"on_time": 4.5, "on_time_n": 10, "bucket": "late_over_7",
                                                          "late": 1.5, "late_n": 4}
    assert logic.delay_finding(by_delay.assign(reviews=[10, 0, 0, 0, 0, 0, 3])) is None
    assert list(logic.delay_rows(by_delay)["bucket"]) == ["on_time", "late_1_2", "late_3_7",
                                                                       "late_over_7", "no_order"]
    assert logic.as_of_now(datetime(2025, 3, 8, 12, 44, 59)) == datetime(2025, 3, 8, 12, 30)
    assert code_label("ticket_category", "delivery", "zh", "?") == "物流配送"
    assert code_label("ticket_category", "warranty", "zh", "?") == "warranty"
    assert code_label("ticket_category", None, "zh", "?") == "?"
    trend = pd.DataFrame({"period_start": pd.to_datetime(["2025-03-02", "2025-03-02", "2025-03-04"]),
                          "category": ["a", "b", "a"], "tickets": [2, 1, 5]})
    series = logic.bucket_series(trend, ["a", "b", "c"], date(2025, 3, 1), date(2025, 3, 4), "day",
                                              "category", "tickets")
    assert series == {"a": [0, 2, 0, 5], "b": [0, 1, 0, 0], "c": [0, 0, 0, 0]}


def test_kpi_card_kinds():
    from components.kpi import format_value

    assert format_value("avg_rating", 2.8889, "en", "decimal") == "2.89"
    assert format_value("nps", 16.667, "en", "score") == "16.7"
    assert format_value("first_response_p90", 57.6, "zh", "hours") == "2.4 天"
    assert format_value("orders", 1234, "en") == "1,234"  # KIND still decides without a kind


# ---------------------------------------------------------------- the page in AppTest


sat_app = fixtures.shop_app(shop.load, "satisfaction")


sat_env = fixtures.app_env("sat_app")


TABS = {"trends": "satisfaction.trends", "drivers": "satisfaction.drivers", "reader": "satisfaction.reader",
        "sla": "satisfaction.sla_tab"}


def page(username="admin", start="2025-03-01", end="2025-03-07", session=None, tab=None, **params):
    at = h.logged_in("pages/satisfaction.py", username, timeout=120)
    at.query_params.update({"preset": "custom", "from": start, "to": end, **params})
    for key, value in (session or {}).items():
        at.session_state[key] = value
    if tab:
        lang = params.get("lang", "en")
        at.session_state[f"satisfaction_tab_{lang}"] = translate(TABS[tab], lang)
    return at.run()


def open_tab(at, tab: str):
    """Switch the page's (English) tabs as a click would (only the open tab's content runs)."""
    at.session_state["satisfaction_tab_en"] = translate(TABS[tab], "en")
    return at.run()


def values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at, column: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_page_shows_every_kpi_with_its_formula(sat_env):
    at = page()
    assert not at.exception, at.exception
    got = values(at)
    # The page judges tickets now (long after 8 Mar 2025) with the default targets, whose "*" row gives
    # T7 (vip) a target it met: 5 breaches of 7; everything else as in the query tests.
    assert got == {"Average rating": "2.89", "Reviews": "9", "1–2 star share": "44.44%", "NPS": "16.7",
                   "CSAT": "44.44%", "Service CSAT": "40.00%", "Tickets opened": "7", "Tickets resolved": "5",
                   "Backlog": "4",
                   "Unanswered tickets": "2", "SLA breach rate": "71.43%", "First response, median": "1.0 h",
                   "First response, P90": "7.2 h", "Resolution, median": "17.0 h", "Resolution, P90": "2.4 d"}
    card = next(m for m in at.metric if m.label == "Average rating")
    assert card.delta == "-3.7%"  # 26/9 vs 3.0
    assert card.proto.help.startswith("Average rating = sum of ratings / reviews")
    assert next(m for m in at.metric if m.label == "NPS").proto.help.startswith("NPS = % of scores 9–10")
    assert "2 tickets opened in the period have no response yet; 4 tickets are unresolved" in h.all_text(at)
    times = table_with(at, "First response, median (h)").set_index("Channel")
    assert times.at["Live chat", "First response, median (h)"] == pytest.approx(4.5)
    assert "On time: 5.00 ★" not in h.all_text(at)  # the drivers tab is closed, so it did not run


def test_the_sla_editor_on_the_page_shows_no_formula_leading_cell(sat_env):
    from components.satisfaction.sections import SLA_SAVED
    from data_access.export import escape_cell

    typed = sla.as_targets({**dict((p, (a, b)) for p, a, b in sla.as_targets()), "=1+2": (5, 50)})
    at = page(session={SLA_SAVED: logic.sla_table(typed), "satisfaction_sla_open": True})
    assert not at.exception, at.exception
    editor = next(df.value for df in at.dataframe if "Priority" in df.value.columns or "priority" in df.value.columns)
    cells = [str(v) for v in editor.to_numpy().ravel()]
    assert "'=1+2" in cells and [c for c in cells if escape_cell(c) != c] == []


def test_drivers_reader_and_sla_tabs(sat_env):
    at = open_tab(page(), "drivers")
    assert not at.exception, at.exception
    assert "On time: 5.00 ★ on average (n = 1) · More than 7 days late: 1.00 ★ (n = 1)" in h.all_text(at)
    delay = table_with(at, "Delivery").set_index("Delivery")
    assert delay.at["No order linked", "Reviews"] == 3
    assert list(table_with(at, "Share of reviews")["Reviews"]) == [3, 1, 1, 2, 2]
    categories = table_with(at, "Share of tickets")
    assert list(categories["Category"])[:2] == ["Delivery", "Quality"]
    assert list(categories.iloc[0]["Trend"]) == [1, 0, 1, 0, 1, 0, 0]
    at = open_tab(at, "reader")
    reviews = table_with(at, "Comment")
    assert list(reviews["Review"]) == ["R6", "R4", "R3"] and list(reviews["Language"]) == [
        "Portuguese", "Chinese", "Portuguese"]
    assert "The newest 3 of 3 matching reviews." in h.all_text(at)
    words = table_with(at, "Share on the other side")
    assert {"物流", "não recebi", "太慢"} <= set(words["Word"])
    at = open_tab(at, "sla")
    assert set(table_with(at, "Overdue")["Ticket"]) == {"T10", "T4", "T5", "T6", "T11"}


def test_manager_sees_only_their_store(sat_env):
    at = page("manager")
    assert not at.exception, at.exception
    got = values(at)
    assert got["Average rating"] == "2.80" and got["Tickets opened"] == "4"
    assert got["CSAT"] == "40.00%"  # R1, R2 of S1's R1, R2, R5, R6, R9
    assert got["Service CSAT"] == "33.33%"
    shown = ""
    for tab in ("drivers", "reader", "sla"):
        shown += "\n".join(df.value.to_string() for df in open_tab(at, tab).dataframe)
    assert "Beijing Sanlitun" not in shown and "T4" not in shown and "Shanghai Flagship" in shown
    linked = page("manager", stores="S2")  # a shared link cannot widen the scope
    assert values(linked)["Average rating"] == "2.80"


def test_an_empty_period_says_where_the_data_is(sat_env):
    at = page(start="2020-01-01", end="2020-01-31")
    assert not at.exception, at.exception
    text = h.all_text(at)
    assert "No data for this selection" in text and "run from Mar 3, 2024 to Mar 8, 2025" in text
    assert len(at.metric) == 0
    assert "No data for this selection" in h.all_text(page("nostores"))


def test_the_page_in_chinese(sat_env):
    at = page(lang="zh", tab="drivers")
    assert not at.exception, at.exception
    got = values(at)
    assert got["平均评分"] == "2.89" and got["解决时长（P90）"] == "2.4 天" and got["净推荐值 (NPS)"] == "16.7"
    assert "准时送达：平均 5.00 星（n = 1）" in h.all_text(at)
    assert "物流配送" in set(table_with(at, "工单占比")["品类"])


def test_sla_targets_edited_in_the_session_change_the_breaches(sat_env):
    edited = logic.sla_table(sla.as_targets({**sla.DEFAULT_SLA_TARGETS, "normal": (10, 48)}))
    at = page(session={"satisfaction_sla_table": edited}, tab="sla")
    assert not at.exception, at.exception
    # T2 answered after 6 h is now within 10 h: T3, T4, T5 and T6 remain
    assert values(at)["SLA breach rate"] == "57.14%"
    priorities = table_with(at, "Breach rate").set_index("Priority")
    assert priorities.at["Normal", "First response target (h)"] == 10


def test_searching_the_reviews(sat_env):
    at = page(tab="reader")
    at.text_input(key="sat_search").input("物流")
    at.slider(key="sat_ratings").set_range(1, 5)
    at.run()
    assert not at.exception, at.exception
    assert list(table_with(at, "Comment")["Review"]) == ["R4", "R2"]
    assert "The newest 2 of 2 matching reviews." in h.all_text(at)
    at.selectbox(key="sat_language_en").set_value("pt").run()
    assert "No review matches these filters." in h.all_text(at)


def test_the_page_on_the_olist_sample(tmp_path, monkeypatch, olist_truth):
    url = f"duckdb:///{tmp_path / 'olist.duckdb'}"
    engine = create_engine(url)
    olist.load(engine, REAL_DATA)
    engine.dispose()
    credentials = tmp_path / "credentials.yaml"
    h.write_users(credentials)
    h.configure(monkeypatch, url, credentials)
    at = page(start="2016-01-01", end="2018-12-31")
    assert not at.exception, at.exception
    got = values(at)
    assert got["Average rating"] == f"{olist_truth['mean']:.2f}" and got["Reviews"] == f"{olist_truth['count']:,}"
    assert "No service tickets in this period." in h.all_text(at)
    at = open_tab(at, "drivers")
    dist = table_with(at, "Share of reviews").set_index("Rating")["Reviews"]
    assert dist.to_dict() == {k: olist_truth["distribution"][k] for k in range(1, 6)}
    on_time_n, on_time = olist_truth["by_bucket"]["on_time"]
    late_n, late = olist_truth["by_bucket"]["late_over_7"]
    assert (f"On time: {on_time:.2f} ★ on average (n = {on_time_n:,}) · More than 7 days late: {late:.2f} ★ "
            f"(n = {late_n})") in h.all_text(at)
