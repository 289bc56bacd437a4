"""Named queries over product reviews: ratings, NPS, delivery-delay drivers, worst products, the review reader.

Same rules as data_access.sales.queries: Filters in, aggregation in SQL with bound parameters, DataFrame out.
A review belongs to the period by its created_at and to a store by its own store_id (the store scope is
applied to that). A channel pick keeps reviews whose order came through those channels (so reviews
without an order drop out); a category pick keeps reviews of products in those categories.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.periods import bucket, bucket_starts, in_order, periods_table
from data_access.read import day_span, read_frame
from data_access.sales.core import FLOAT, category_condition
from data_access.satisfaction.review_language import detect_language, language_condition
from data_access.schema import orders, products, reviews, stores
from data_access.scope import in_scope

#: Ratings at or below LOW_MAX are "low" (1-2 stars), at or above HIGH_MIN "high" (4-5 stars).
LOW_MAX, HIGH_MIN = 2, 4
RATINGS = (1, 2, 3, 4, 5)

#: Delivery delay buckets of a review's order, in display order (see delay_bucket for the rules).
DELAY_BUCKETS = ("on_time", "late_1_2", "late_3_7", "late_over_7", "not_delivered", "no_promise", "no_order")

RATING_COLUMNS = ["reviews", "avg_rating", "low_ratings", "low_share", "nps_answers", "promoters", "detractors",
                  "nps", "high_ratings", "review_csat"]


def review_conditions(f: Filters) -> list:
    """The period (by created_at), the store scope and the channel/category picks as conditions on reviews."""
    return [reviews.c.created_at >= f.start_at, reviews.c.created_at < f.end_before, *review_scope(f)]


def review_scope(f: Filters) -> list:
    """The store scope and the channel/category picks as conditions on reviews (no dates)."""
    r = reviews.c
    conds = [in_scope(r.store_id, f)]
    # Aliased, so that a query which itself joins orders or products keeps them inside the EXISTS
    # (SQLAlchemy would otherwise correlate them away and leave the subquery without a FROM).
    if f.channels is not None:
        o = orders.alias("scope_orders")
        conds.append(sa.exists().where(o.c.order_id == r.order_id, o.c.channel.in_(f.channels)))
    if f.categories is not None:
        # The product's category (NULL when the SKU is not in the catalogue, which counts as uncategorised).
        p = products.alias("scope_products")
        category = sa.select(p.c.category).where(p.c.sku == r.sku).scalar_subquery()
        conds.append(sa.and_(r.sku.is_not(None), category_condition(category, f.categories)))
    return conds


def rating_measures() -> list[sa.ColumnElement]:
    """Summable review measures: reviews, rating_sum, low_ratings, high_ratings, nps_answers, promoters, detractors."""
    r = reviews.c

    def count_if(cond) -> sa.ColumnElement:
        return sa.cast(sa.func.sum(sa.case((cond, 1), else_=0)), sa.BigInteger)

    return [
        sa.cast(sa.func.count(), sa.BigInteger).label("reviews"),
        sa.cast(sa.func.sum(r.rating), sa.BigInteger).label("rating_sum"),
        count_if(r.rating <= LOW_MAX).label("low_ratings"),
        count_if(r.rating >= HIGH_MIN).label("high_ratings"),
        sa.cast(sa.func.count(r.nps), sa.BigInteger).label("nps_answers"),
        count_if(r.nps >= 9).label("promoters"),
        count_if(r.nps <= 6).label("detractors"),
    ]


def finish_ratings(df: pd.DataFrame) -> pd.DataFrame:
    """Add avg_rating, low_share, review_csat (4-5 stars / reviews) and nps (% promoters - % detractors, in points)
    to summed measures; NaN if none."""
    out = df.copy()
    for col in ("reviews", "rating_sum", "low_ratings", "high_ratings", "nps_answers", "promoters", "detractors"):
        out[col] = pd.to_numeric(out[col]).fillna(0).astype("int64")
    reviewed = out["reviews"].where(out["reviews"] > 0)
    answered = out["nps_answers"].where(out["nps_answers"] > 0)
    out["avg_rating"] = out["rating_sum"] / reviewed
    out["low_share"] = out["low_ratings"] / reviewed
    out["review_csat"] = out["high_ratings"] / reviewed
    out["nps"] = 100.0 * (out["promoters"] - out["detractors"]) / answered
    return out.drop(columns=["rating_sum"])


def review_totals(engine: sa.Engine, periods: dict[str, Filters]) -> pd.DataFrame:
    """Review KPIs of each named period (same scope, any dates), one row each, in one pass.

    Columns: period, reviews, avg_rating, low_ratings, low_share (1-2 stars / reviews), nps_answers,
    promoters (9-10), detractors (0-6), nps (% promoters - % detractors over reviews with an NPS answer).
    Reviews without an order count (unless a channel is picked).
    """
    if len({(p.stores, p.channels, p.categories) for p in periods.values()}) != 1:
        raise ValueError("review_totals compares periods of one scope")
    r, table = reviews.c, periods_table(periods)
    stmt = (sa.select(table.c.period, *rating_measures())
            .select_from(reviews.join(table, sa.and_(r.created_at >= table.c.start_at,
                                                     r.created_at < table.c.end_before)))
            .where(*review_scope(next(iter(periods.values())))).group_by(table.c.period))
    df = finish_ratings(in_order(read_frame(engine, stmt), periods))
    return df[["period", *RATING_COLUMNS]]


def rating_trend(engine: sa.Engine, f: Filters, grain: str = "day") -> pd.DataFrame:
    """Ratings and NPS per day, ISO week or month of the period, buckets without reviews included (NaN).

    Columns: period_start (datetime64), reviews, avg_rating, low_ratings, low_share, nps_answers,
    promoters, detractors, nps.
    """
    day = bucket(reviews.c.created_at, grain)
    stmt = (sa.select(day.label("period_start"), *rating_measures())
            .where(*review_conditions(f)).group_by(day))
    df = read_frame(engine, stmt)
    df["period_start"] = pd.to_datetime(df["period_start"])
    frame = pd.DataFrame({"period_start": bucket_starts(f.start, f.end, grain)}).merge(df, how="left")
    return finish_ratings(frame)[["period_start", *RATING_COLUMNS]]


def rating_distribution(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """How many reviews gave each rating 1-5 (all five rows, zeros included).

    Columns: rating, reviews, share (of the period's reviews).
    """
    r = reviews.c
    stmt = (sa.select(r.rating, sa.cast(sa.func.count(), sa.BigInteger).label("reviews"))
            .where(*review_conditions(f)).group_by(r.rating))
    counts = read_frame(engine, stmt).astype({"rating": "int64"}).set_index("rating")["reviews"]
    df = pd.DataFrame({"rating": RATINGS})
    df["reviews"] = df["rating"].map(counts).fillna(0).astype("int64")
    total = df["reviews"].sum()
    df["share"] = df["reviews"] / total if total else np.nan
    return df


def delay_bucket() -> sa.ColumnElement:
    """SQL for the delivery-delay bucket of a review's order (reviews LEFT JOIN orders).

    Days late = calendar date delivered - calendar date promised. on_time: <= 0 (on or before the promised
    day); late_1_2: 1-2 days; late_3_7: 3-7 days; late_over_7: 8 days or more; not_delivered: the order has
    no delivery time (still on its way, lost or cancelled); no_promise: the order has no promised date;
    no_order: the review has no order (or its order is not in the database).
    """
    o = orders.c
    days_late = sa.cast(o.delivered_at, sa.Date) - sa.cast(o.promised_at, sa.Date)
    return sa.case(
        (o.order_id.is_(None), "no_order"),
        (o.promised_at.is_(None), "no_promise"),
        (o.delivered_at.is_(None), "not_delivered"),
        (days_late <= 0, "on_time"),
        (days_late <= 2, "late_1_2"),
        (days_late <= 7, "late_3_7"),
        else_="late_over_7",
    )


def rating_by_delay(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """Ratings by the delivery delay of the reviewed order, every bucket of DELAY_BUCKETS in order.

    Columns: bucket, reviews, avg_rating, low_ratings, low_share, nps_answers, promoters, detractors, nps.
    """
    key = delay_bucket()
    stmt = (sa.select(key.label("bucket"), *rating_measures())
            .select_from(reviews.outerjoin(orders, orders.c.order_id == reviews.c.order_id))
            .where(*review_conditions(f)).group_by(key))
    df = read_frame(engine, stmt)
    frame = pd.DataFrame({"bucket": DELAY_BUCKETS}).merge(df, how="left")
    return finish_ratings(frame)[["bucket", *RATING_COLUMNS]]


_BY = {
    "store": (reviews.c.store_id, "store"),
    "channel": (orders.c.channel, "order"),
    "category": (products.c.category, "product"),
}


def rating_by(engine: sa.Engine, f: Filters, dimension: str) -> pd.DataFrame:
    """Ratings split by 'store', 'channel' (the sales channel of the reviewed order) or 'category' (of the product).

    Columns: key (None for reviews without a store / order / product), name, name_zh (store names; the
    key otherwise), reviews, avg_rating, low_ratings, low_share, nps_answers, promoters, detractors, nps.
    Sorted by avg_rating, lowest first.
    """
    if dimension not in _BY:
        raise ValueError(f"unknown dimension {dimension!r}; expected one of {sorted(_BY)}")
    key, join = _BY[dimension]
    source = {"store": reviews, "order": reviews.outerjoin(orders, orders.c.order_id == reviews.c.order_id),
              "product": reviews.outerjoin(products, products.c.sku == reviews.c.sku)}[join]
    agg = (sa.select(key.label("key"), *rating_measures()).select_from(source)
           .where(*review_conditions(f)).group_by(key).subquery("agg"))
    if dimension == "store":
        stmt = (sa.select(agg, stores.c.name, stores.c.name_zh)
                .select_from(agg.outerjoin(stores, stores.c.store_id == agg.c.key)))
    else:
        stmt = sa.select(agg, agg.c.key.label("name"), agg.c.key.label("name_zh"))
    df = finish_ratings(read_frame(engine, stmt))
    df = df.sort_values(["avg_rating", "reviews", "key"], ascending=[True, False, True], na_position="last")
    return df[["key", "name", "name_zh", *RATING_COLUMNS]].reset_index(drop=True)


def worst_products(engine: sa.Engine, f: Filters, min_reviews: int = 5, prior_weight: float = 10.0,
                   limit: int = 20) -> pd.DataFrame:
    """The lowest-rated products with at least `min_reviews` reviews, ranked by a Bayesian average.

    bayes_rating = (C x m + sum of ratings) / (C + n): each product's ratings plus C = prior_weight
    imaginary reviews at m, the mean rating of all the period's reviews of products. A product with a
    handful of reviews stays near m, so one bad (or one perfect) review does not decide its rank.
    Columns: sku, name, name_zh (Chinese name or None), category, reviews, avg_rating, low_share, bayes_rating,
    prior_mean. Worst first.
    """
    r = reviews.c
    conds = [*review_conditions(f), r.sku.is_not(None)]
    prior = (sa.select((sa.cast(sa.func.sum(r.rating), FLOAT) / sa.func.count()).label("m"))
             .where(*conds).scalar_subquery())
    agg = sa.select(r.sku, *rating_measures()).where(*conds).group_by(r.sku).subquery("agg")
    weight = sa.literal(float(prior_weight), FLOAT)
    bayes = (weight * prior + sa.cast(agg.c.rating_sum, FLOAT)) / (weight + agg.c.reviews)
    stmt = (sa.select(agg.c.sku, products.c.name, products.c.name_zh, products.c.category, agg.c.reviews,
                      agg.c.rating_sum,
                      agg.c.low_ratings, agg.c.high_ratings, agg.c.nps_answers, agg.c.promoters, agg.c.detractors,
                      bayes.label("bayes_rating"), prior.label("prior_mean"))
            .select_from(agg.outerjoin(products, products.c.sku == agg.c.sku))
            .where(agg.c.reviews >= sa.bindparam("min_reviews", int(min_reviews)))
            .order_by(bayes, agg.c.reviews.desc(), agg.c.sku)
            .limit(sa.bindparam("limit", int(limit))))
    df = finish_ratings(read_frame(engine, stmt))
    for col in ("bayes_rating", "prior_mean"):
        df[col] = df[col].astype(float)
    return df[["sku", "name", "name_zh", "category", "reviews", "avg_rating", "low_share", "bayes_rating",
               "prior_mean"]]


def _search_conditions(f: Filters, min_rating: int, max_rating: int, text: str | None, language: str | None,
                       with_comment: bool) -> list:
    r = reviews.c
    conds = [*review_conditions(f), r.rating >= int(min_rating), r.rating <= int(max_rating)]
    if with_comment or text or language:
        conds.append(sa.func.length(sa.func.trim(sa.func.coalesce(r.comment, ""))) > 0)
    # No stored comment holds NUL (PostgreSQL text cannot), and a NUL bound to a PostgreSQL query is an error.
    text = (text or "").replace("\x00", "")
    if text.strip():
        # icontains escapes % and _ so the words are searched literally, case-insensitively
        conds.append(r.comment.icontains(text.strip(), autoescape=True))
    if language:
        conds.append(language_condition(r.comment, language))
    return conds


def review_search(engine: sa.Engine, f: Filters, min_rating: int = 1, max_rating: int = LOW_MAX,
                  text: str | None = None, language: str | None = None, with_comment: bool = True,
                  limit: int = 200) -> pd.DataFrame:
    """The newest reviews rated min_rating..max_rating whose comment contains `text` (any case) in `language`.

    Columns: review_id, created_at, rating, nps, store_id, store_name, store_name_zh, sku, product_name,
    product_name_zh, category, order_id, channel (of the order), comment, language ('zh', 'en', 'pt'; see
    review_language).
    Newest first, at most `limit` rows.
    """
    r, o, p, s = reviews.c, orders.c, products.c, stores.c
    stmt = (sa.select(r.review_id, r.created_at, r.rating, r.nps, r.store_id, s.name.label("store_name"),
                      s.name_zh.label("store_name_zh"), r.sku, p.name.label("product_name"),
                      p.name_zh.label("product_name_zh"), p.category,
                      r.order_id, o.channel, r.comment)
            .select_from(reviews.outerjoin(stores, s.store_id == r.store_id)
                         .outerjoin(products, p.sku == r.sku)
                         .outerjoin(orders, o.order_id == r.order_id))
            .where(*_search_conditions(f, min_rating, max_rating, text, language, with_comment))
            .order_by(r.created_at.desc(), r.review_id)
            .limit(sa.bindparam("limit", int(limit))))
    df = read_frame(engine, stmt)
    df["created_at"] = pd.to_datetime(df["created_at"])
    df["language"] = df["comment"].map(detect_language)
    return df


def review_search_count(engine: sa.Engine, f: Filters, min_rating: int = 1, max_rating: int = LOW_MAX,
                        text: str | None = None, language: str | None = None,
                        with_comment: bool = True) -> pd.DataFrame:
    """How many reviews review_search would find without its limit. Columns: matches (one row)."""
    stmt = (sa.select(sa.cast(sa.func.count(), sa.BigInteger).label("matches"))
            .where(*_search_conditions(f, min_rating, max_rating, text, language, with_comment)))
    return read_frame(engine, stmt)


def keyword_comments(engine: sa.Engine, f: Filters, limit: int = 2000) -> pd.DataFrame:
    """The newest `limit` low-rated (1-2) and `limit` high-rated (4-5) comments of the period, for keywords.

    Columns: side ('low' or 'high'), rating, comment.
    """
    parts = []
    for side, cond in (("low", reviews.c.rating <= LOW_MAX), ("high", reviews.c.rating >= HIGH_MIN)):
        stmt = (sa.select(reviews.c.rating, reviews.c.comment)
                .where(*_search_conditions(f, 1, 5, None, None, True), cond)
                .order_by(reviews.c.created_at.desc(), reviews.c.review_id)
                .limit(sa.bindparam("limit", int(limit))))
        parts.append(read_frame(engine, stmt).assign(side=side))
    return pd.concat(parts, ignore_index=True)[["side", "rating", "comment"]]


def review_span(engine: sa.Engine, f: Filters) -> tuple | None:
    """First and last review day of f's stores (f's dates do not apply; None when they have none)."""
    return day_span(engine, reviews.c.created_at, in_scope(reviews.c.store_id, f))
