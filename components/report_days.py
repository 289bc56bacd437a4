"""The caption that says which days of a period come from aggregated daily reports instead of orders."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data
from components.formatting import fmt_date, fmt_number
from components.i18n import channel_label
from components.lang import current_lang, t
from components.names import store_names
from components.text import t_md
from data_access.filters import Filters
from data_access.sales import queries

#: Store x channel spans named in the caption; the rest are counted.
SHOWN_SPANS = 3
#: Between the spans: punctuation, not words, so it is not in the catalogue.
_SEPARATOR = {"en": "; ", "zh": "；"}


def _count(dates: pd.DataFrame, lang: str) -> str:
    """"3 days", "5 weeks" or "3 days and 5 weeks" for queries.report_dates rows."""
    daily = int(dates.loc[dates["days"] == 1, "dates"].sum())
    weekly = int(dates.loc[dates["days"] > 1, "dates"].sum())
    parts = [t(f"report_days.{unit}" if n != 1 else f"report_days.{unit}_one", n=fmt_number(n, lang))
             for unit, n in (("days", daily), ("weeks", weekly)) if n]
    return t("report_days.and").join(parts)


def report_days_text(days: pd.DataFrame, dates: pd.DataFrame, names: dict[str, str], lang: str) -> str | None:
    """The caption for queries.report_days and report_dates rows (None when there are none): how many days or
    weeks come from daily reports, and for which store and channel from when to when."""
    if days.empty:
        return None
    spans = []
    for row in days.head(SHOWN_SPANS).itertuples(index=False):
        first, last = fmt_date(row.first_day, lang), fmt_date(row.last_day, lang)
        spans.append(t_md("report_days.span", store=names.get(row.store_id, row.store_id),
                          channel=channel_label(row.channel, lang),
                          dates=first if first == last else t("report_days.range", first=first, last=last)))
    more = len(days) - SHOWN_SPANS
    if more > 0:
        spans.append(t("report_days.more", n=fmt_number(more, lang)))
    text = t("report_days.caption", count=_count(dates, lang), spans=_SEPARATOR.get(lang, "; ").join(spans))
    if (days["days"] > days["reports"]).any():
        text += " " + t("report_days.weekly")
    return text


def report_days_caption(f: Filters) -> None:
    """Write the caption under a page's KPIs when some of f's days come from daily reports (nothing otherwise)."""
    lang = current_lang()
    text = report_days_text(data.run(queries.report_days, f), data.run(queries.report_dates, f),
                            store_names(f.stores, lang), lang)
    if text is not None:
        st.caption(text)
