"""The upload page's quick analysis and profile: KPI cards with formulas, and the charts that fit the file's kind,
built with the same chart builders as the other pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts
from components.chart_render import show_chart
from components.formatting import fmt_number
from components.i18n import KPI_IDS, channel_label, kpi_formula, kpi_label
from components.kpi import format_value
from components.lang import current_lang, t
from components.tables import data_table
from components.text import t_md
from components.upload import charts as uc
from data_access.ingest.analysis import Analysis, Profile

# How metrics without a KPI id of their own are written (format_value kinds).
_METRIC_KIND = {"customers": "count", "cancelled_orders": "count", "impressions": "count", "clicks": "count",
                "conversions": "count", "reviews": "count", "tickets": "count", "refund_rate": "ratio",
                "refund_share": "ratio", "cvr": "ratio", "avg_rating": "decimal", "first_response_time": "hours",
                "resolution_time": "hours", "nps": "score", "ctr": "ratio", "csat": "ratio", "units": "count",
                "orders": "count", "listing_items": "count", "shops": "count", "snapshots": "count",
                "median_price": "decimal",
                "visitors": "count", "buyers": "count", "page_views": "count",
                "days": "count", "messages": "count"}
# Money of an uploaded file may be in any currency, so amounts are written as plain numbers.
_PLAIN_MONEY = {"net_sales", "aov", "spend", "cpc", "cpm", "cpa"}
_ORDER = {
    "orders": ("net_sales", "orders", "aov", "units", "customers", "refund_rate", "refund_share", "cancelled_orders"),
    "marketing_spend": ("spend", "impressions", "clicks", "ctr", "cpc", "cpm", "conversions", "cvr", "cpa"),
    "reviews": ("reviews", "avg_rating", "csat", "nps"),
    "tickets": ("tickets", "first_response_time", "resolution_time", "csat"),
    "listings": ("listing_items", "shops", "snapshots", "median_price"),
    "conversations": ("tickets", "messages", "first_response_time", "resolution_time"),
    "daily_metrics": ("net_sales", "visitors", "orders", "conversion_rate", "aov", "buyers", "page_views", "days"),
}
_PER_ROW = 4


def _label(metric: str) -> tuple[str, str]:
    """(name, formula) of a metric in the user's language."""
    lang = current_lang()
    own = f"upload.metric.{metric}"
    if metric in KPI_IDS and metric != "cpa":
        return kpi_label(metric, lang), kpi_formula(metric, lang)
    if metric == "cpa":
        return kpi_label(metric, lang), t("upload.metric.cpa.formula")
    return t(own), t(f"{own}.formula")


def metric_cards(analysis: Analysis) -> None:
    """The kind's metrics as cards (formula in the tooltip), four to a row."""
    lang = current_lang()
    names = [m for m in _ORDER.get(analysis.kind, ()) if m in analysis.metrics]
    for start in range(0, len(names), _PER_ROW):
        row = names[start:start + _PER_ROW]
        for cell, metric in zip(st.columns(_PER_ROW), row, strict=False):
            name, formula = _label(metric)
            kind = "decimal" if metric in _PLAIN_MONEY else _METRIC_KIND.get(metric)
            cell.metric(name, format_value(metric, analysis.metrics[metric], lang, kind), help=formula or None,
                        border=True)
    if names:
        st.caption(t("upload.kpi_note"))


def _header(column: str) -> str:
    """A table header in the user's language for an analysis column."""
    for key in (f"upload.axis.{column}", f"upload.field.{column}", f"upload.metric.{column}"):
        text = t(key)
        if text != key:
            return text
    if column in KPI_IDS:
        return kpi_label(column, current_lang())
    return column


def _table(df: pd.DataFrame, key: str, stem: str) -> None:
    """data_table with the analysis headers in the user's language."""
    data_table(df, key=key, file_stem=stem, header=_header)


def render(analysis: Analysis) -> None:
    """Notes, metric cards and the kind's charts."""
    for code, params in analysis.notes:
        # What the file's figures mean (paid net of refunds, ...) reads as on the import tab.
        key = f"upload.meaning.{params['code']}" if code == "meaning" else f"upload.note.{code}"
        if t(key) != key:
            st.caption(t(key, **params))
    metric_cards(analysis)
    {"orders": _orders, "marketing_spend": _spend, "reviews": _reviews, "tickets": _tickets,
     "listings": _listings, "daily_metrics": _daily_metrics, "conversations": _tickets}.get(
        analysis.kind, _overview)(analysis)


def _trend(df: pd.DataFrame, x: str, y: str, title: str, y_format: str = ",.0f") -> None:
    show_chart(charts.trend_with_comparison, df, None, x=x, y=y, y_title=title, current_label=title,
               comparison_label=" ", y_format=y_format)


def _bars(df: pd.DataFrame, category: str, value: str, title: str, value_format: str = ",.0f",
          whole_numbers: bool = False) -> None:
    show_chart(charts.ranked_bars, df.dropna(subset=[value]).astype({category: "str"}), category=category,
               value=value, value_title=title, value_format=value_format,
               whole_numbers=whole_numbers)


def _counts(df: pd.DataFrame, x: str, y: str, title: str) -> None:
    show_chart(uc.daily_counts, df, x=x, y=y, y_title=title)


def _dated(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """df with a datetime column shown as plain dates in tables."""
    return df.assign(**{column: df[column].dt.date}) if column in df else df


def _weekday_labels() -> list[str]:
    return [t(f"upload.weekday.{day}") for day in range(7)]


def _orders(analysis: Analysis) -> None:
    tables = analysis.tables
    daily = tables.get("daily")
    if daily is None or daily.empty:
        st.info(t("msg.no_data"))
        return
    has_sales = daily["net_sales"].notna().any()
    st.subheader(t("upload.chart.daily") if has_sales else t("upload.chart.daily_orders"))
    if has_sales:
        left, right = st.columns(2)
        with left:
            _trend(daily, "day", "net_sales", t("upload.axis.net_sales"))
        with right:
            _counts(daily, "day", "orders", t("upload.axis.orders"))
    else:
        _counts(daily, "day", "orders", t("upload.axis.orders"))
    _table(_dated(daily, "day"), "upload_daily", "daily")
    value = "net_sales" if has_sales else "orders"
    breakdowns = [name for name in ("by_region", "by_channel") if name in tables]
    for cell, name in zip(st.columns(max(len(breakdowns), 1)), breakdowns, strict=False):
        with cell:
            st.subheader(t(f"upload.chart.{name}"))
            _bars(tables[name], name.removeprefix("by_"), value, _header(value), whole_numbers=not has_sales)
    left, right = st.columns(2)
    with left:
        st.subheader(t("upload.chart.weekday"))
        labels = _weekday_labels()
        weekday = tables["weekday"].assign(day=lambda df: df["weekday"].map(dict(enumerate(labels))))
        show_chart(uc.columns, weekday, x="day", y="orders", x_title=None, y_title=t("upload.axis.orders"),
                   order=labels)
    if "hour_weekday" in tables:
        with right:
            st.subheader(t("upload.chart.hour_weekday"))
            show_chart(uc.hour_weekday, tables["hour_weekday"], weekday_labels=_weekday_labels(),
                       hour_title=t("upload.axis.hour"), weekday_title=t("upload.axis.weekday"),
                       value_title=t("upload.axis.orders"))
    if "status" in tables:
        st.subheader(t("upload.chart.status"))
        _bars(tables["status"], "status", "orders", t("upload.axis.orders"), whole_numbers=True)
    if "top_products" in tables:
        st.subheader(t("upload.chart.top_products"))
        _bars(tables["top_products"], "sku", "net_sales", t("upload.axis.net_sales"))
        _table(tables["top_products"], "upload_top_products", "top_products")


def _spend(analysis: Analysis) -> None:
    tables = analysis.tables
    lang = current_lang()
    if "daily" in tables and not tables["daily"].empty:
        st.subheader(t("upload.chart.daily_spend"))
        _trend(tables["daily"], "day", "spend", t("upload.axis.spend"), ",.2f")
    sections = [("by_campaign", "campaign_id", t("upload.chart.by_campaign")),
                ("by_channel", "channel", t("upload.chart.by_channel_spend"))]
    sections += [(name, "value", t("upload.chart.segment", column=name.partition(":")[2]))
                 for name in tables if name.startswith("segment:")]
    for name, category, title in sections:
        table = tables.get(name)
        if table is None or table.empty:
            continue
        if category == "channel":
            table = table.assign(channel=table["channel"].map(lambda c: channel_label(c, lang)))
        st.subheader(title)
        _bars(table, category, "spend", t("upload.axis.spend"), ",.2f")
        _table(table.rename(columns={"value": name.partition(":")[2] or "value"}), f"upload_{name}",
               name.replace(":", "_"))


def _reviews(analysis: Analysis) -> None:
    tables = analysis.tables
    left, right = st.columns(2)
    with left:
        st.subheader(t("upload.chart.rating_distribution"))
        show_chart(charts.rating_distribution, tables["rating_distribution"], share_labels=False,
                   rating_title=t("upload.axis.rating"),
                   count_title=t("upload.axis.reviews"), height=240)
    if "trend" in tables and not tables["trend"].empty:
        period = next((p["period"] for code, p in analysis.notes if code == "period"), "day")
        with right:
            st.subheader(t("upload.chart.rating_trend", period=t(f"upload.period.{period}")))
            _trend(tables["trend"], "period", "avg_rating", t("upload.axis.avg_rating"), ".2f")
    if "low_comments" in tables and not tables["low_comments"].empty:
        st.subheader(t("upload.chart.low_comments"))
        _table(_dated(tables["low_comments"], "created_at"), "upload_low_comments", "low_rated_comments")


def _daily_metrics(analysis: Analysis) -> None:
    """A daily (or weekly) report: net sales and visitors per day, sales by store."""
    tables = analysis.tables
    daily = tables.get("daily")
    if daily is not None and not daily.empty:
        for measure in ("net_sales", "visitors", "orders"):
            if measure in daily and daily[measure].notna().any():
                st.subheader(t(f"upload.chart.daily_{measure}"))
                _trend(daily, "day", measure, _header(measure))
        _table(daily, "upload_daily_metrics", "daily_metrics")
    if "by_store" in tables:
        st.subheader(t("upload.chart.by_store"))
        _bars(tables["by_store"], "store_id", "net_sales", _header("net_sales"))


def _tickets(analysis: Analysis) -> None:
    tables = analysis.tables
    if "daily" in tables and not tables["daily"].empty:
        st.subheader(t("upload.chart.tickets_daily"))
        _counts(tables["daily"], "day", "tickets", t("upload.axis.tickets"))
    names = [name for name in ("by_status", "by_category", "by_priority") if name in tables]
    for cell, name in zip(st.columns(max(len(names), 1)), names, strict=False):
        with cell:
            field_name = name.removeprefix("by_")
            st.subheader(t("upload.chart.tickets_by", field=t(f"upload.field.{field_name}")))
            _bars(tables[name], "value", "tickets", t("upload.axis.tickets"), whole_numbers=True)


def _overview(analysis: Analysis) -> None:
    tables, notes = analysis.tables, dict(analysis.notes)
    if "over_time" in tables:
        params = notes["over_time"]
        st.subheader(t_md("upload.chart.over_time", date=params["date"], period=t(f"upload.period.{params['period']}")))
        show_chart(charts.lines_by_series, tables["over_time"], x="period", y="value", series="column",
                   y_title=t("upload.axis.value"), y_format=",.0f", point_size=14,
                   height=280)
    if "distribution" in tables:
        dist = tables["distribution"]
        lang = current_lang()
        labels = [f"{fmt_number(a, lang, 2)}–{fmt_number(b, lang, 2)}" for a, b in zip(dist["bin_start"],
                                                                                     dist["bin_end"], strict=True)]
        st.subheader(t_md("upload.chart.distribution", column=notes["distribution"]["column"]))
        show_chart(uc.columns, dist.assign(bin=labels), x="bin", y="rows", x_title=None,
                   y_title=t("upload.axis.rows"), order=labels)
    if "top_values" in tables:
        st.subheader(t_md("upload.chart.top_values", column=notes["category"]["column"]))
        _bars(tables["top_values"], "value", "rows", t("upload.axis.rows"), whole_numbers=True)
    if not tables:
        st.info(t("msg.no_data"))


def profile_section(prof: Profile) -> None:
    """Rows, columns, duplicates and empties, then one row per column with its type, range and an example."""
    lang = current_lang()
    st.markdown(t("upload.profile.summary", rows=fmt_number(prof.rows, lang), columns=fmt_number(prof.columns, lang),
                  duplicates=fmt_number(prof.duplicate_rows, lang), missing=fmt_number(prof.missing_cells, lang)))
    table = prof.table.assign(type=prof.table["type"].map(lambda kind: t(f"upload.type.{kind}")))
    data_table(table, key="upload_profile", file_stem="profile", header=lambda c: t(f"upload.col.{c}"))


def _listings(analysis: Analysis) -> None:
    """Listing snapshots: price bands of the last snapshot, sales share by shop, items and prices over time."""
    tables = analysis.tables
    st.subheader(t("upload.chart.price_bands"))
    _table(tables["price_bands"], "upload_price_bands", "price_bands")
    if "share_by_shop" in tables:
        st.subheader(t("upload.chart.share_by_shop"))
        _bars(tables["share_by_shop"], "name", "share", _header("share"), value_format=".0%")
        _table(tables["share_by_shop"], "upload_share_by_shop", "share_by_shop")
    over_time = tables["over_time"]
    if len(over_time) > 1:
        st.subheader(t("upload.chart.listing_prices"))
        _trend(over_time.assign(observed_at=pd.to_datetime(over_time["observed_at"])), "observed_at", "median_price",
               _header("median_price"), y_format=",.2f")
    _table(over_time, "upload_listing_over_time", "listings_over_time")
