"""The review reader of the satisfaction page: search and filter comments, and keywords of low vs high ratings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data
from components.chart_render import show_chart
from components.charts import ranked_bars
from components.formatting import fmt_number
from components.i18n import category_label, channel_label
from components.lang import current_lang, t
from components.names import localised, with_product_names
from components.satisfaction.keywords import keyword_table
from components.tables import data_table
from data_access.filters import Filters
from data_access.satisfaction import reviews
from data_access.satisfaction.review_language import LANGUAGES

ROW_CHOICES = (50, 200, 1000)
KEYWORD_COMMENTS = 2000


@st.cache_data(ttl=data.TTL_SECONDS, show_spinner=False, max_entries=64)
def _keywords(comments: pd.DataFrame, min_comments: int) -> pd.DataFrame:
    # keyed by the fetched comments themselves (which the scope already decided): segmentation costs seconds
    return keyword_table(comments, top=15, min_comments=min_comments)


def reader(f: Filters) -> None:
    """Search box, rating range, language and row count; the newest matching reviews as a downloadable table."""
    lang = current_lang()
    search_col, rating_col, lang_col, rows_col = st.columns([3, 2, 2, 1])
    text = search_col.text_input(t("satisfaction.search"), key="sat_search",
                                 placeholder=t("satisfaction.search_placeholder")).strip()
    low, high = rating_col.slider(t("satisfaction.rating_range"), 1, 5, (1, reviews.LOW_MAX), key="sat_ratings")
    language = lang_col.selectbox(t("satisfaction.language"), (None, *LANGUAGES), key=f"sat_language_{lang}",
                                  format_func=lambda code: t(f"language.{code or 'all'}"))
    limit = rows_col.selectbox(t("satisfaction.rows"), ROW_CHOICES, index=1, key="sat_rows")
    query = {"min_rating": int(low), "max_rating": int(high), "text": text or None, "language": language}
    found = data.run(reviews.review_search, f, limit=int(limit), **query)
    total = int(data.run(reviews.review_search_count, f, **query)["matches"].iloc[0])
    if found.empty:
        st.info(t("satisfaction.no_match"))
        return
    st.caption(t("satisfaction.showing", shown=fmt_number(len(found), lang), total=fmt_number(total, lang)))
    found["store_name"] = localised(found["store_name"], found["store_name_zh"], lang, found["store_id"])
    found = with_product_names(found, lang)
    found["category"] = found["category"].map(lambda c: category_label(c, lang) if isinstance(c, str) else c)
    found["channel"] = found["channel"].map(lambda c: channel_label(c, lang) if isinstance(c, str) else c)
    found["language"] = found["language"].map(lambda code: t(f"language.{code}") if code else "")
    found = found.rename(columns={"nps": "nps_score"})
    columns = ["created_at", "rating", "comment", "language", "store_name", "product_name", "category", "channel",
               "order_id", "nps_score", "review_id"]
    data_table(found[columns], key="sat_reviews", file_stem=f"reviews-{f.start}-{f.end}",
               column_config={"comment": st.column_config.TextColumn(t("col.comment"), width="large")})


def keywords(f: Filters) -> None:
    """The words of 1-2 star vs 4-5 star comments side by side (share of comments using each word)."""
    st.markdown(f"**{t('satisfaction.keywords')}**")
    st.caption(t("satisfaction.keywords_help", limit=fmt_number(KEYWORD_COMMENTS, current_lang())))
    comments = data.run(reviews.keyword_comments, f, limit=KEYWORD_COMMENTS)
    # small periods: a word in a single comment is still worth showing; larger ones need two
    words = _keywords(comments, 1 if len(comments) < 100 else 2)
    if words.empty:
        st.info(t("satisfaction.no_keywords"))
        return
    columns = st.columns(2)
    for col, side, title in zip(columns, ("low", "high"), ("satisfaction.low_side", "satisfaction.high_side"),
                                strict=True):
        part = words[words["side"] == side]
        col.markdown(f"*{t(title)}*")
        if part.empty:
            col.caption(t("satisfaction.no_keywords"))
            continue
        show_chart(ranked_bars, part, category="word", value="share", value_format=".0%",
                   value_title=t("satisfaction.share_of_comments"),
                   where=col, draw={"width": "stretch"})
    words["side"] = words["side"].map({"low": t("satisfaction.low_side"), "high": t("satisfaction.high_side")})
    data_table(words.rename(columns={"share": "comment_share"}), key="sat_keywords",
          file_stem=f"review-keywords-{f.start}-{f.end}")
