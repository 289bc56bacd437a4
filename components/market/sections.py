"""Sections of the market page (市场与竞品): the pickers, the sales-count note, KPI cards, price bands, sales share,
price moves, new entrants and our items beside their closest competitors (pages/market.py lays them out)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import data
from components.chart_render import show_chart
from components.formatting import fmt_date, fmt_money, fmt_number, fmt_percent
from components.i18n import category_label
from components.lang import current_lang, t
from components.market import charts as market_charts
from components.tables import data_table
from data_access.filters import Filters
from data_access.market import analysis, queries

WINDOWS = (4, 13, 26, 52, 0)  # weeks of snapshots up to the latest; 0 = all of them
_KINDS = {"price": "money", "median_price": "money", "price_before": "money", "competitor_price": "money",
          "market_median": "money", "list_price": "money", "change": "ratio", "sales_change": "ratio",
          "price_gap": "ratio",
          "cheaper_share": "ratio", "share": "ratio", "share_first": "ratio", "share_last": "ratio",
          "share_change": "points", "sales": "count", "sales_before": "count", "items": "count",
          "own_items": "count", "similarity": "decimal", "price_index": "decimal"}


@dataclass
class Market:
    """What the sections show: the period's snapshot rows with period sales, how the counts were read, the
    latest day, and whether the row limit was reached."""

    sales: pd.DataFrame
    bases: list[analysis.Basis]
    start: object
    end: object
    truncated: bool


def _header(column: str) -> str:
    return t(f"market.col.{column}")


def pickers(filters: Filters) -> tuple[str | None, str | None, int] | None:
    """The category, keyword and window pickers; None (after an empty-state message) without listings."""
    choices = data.run(queries.market_choices, Filters.all_time(filters.stores))
    if choices.empty:
        st.info(t("market.no_listings"))
        return None
    lang = current_lang()
    categories = choices.loc[choices["kind"] == "category", "value"].tolist()
    keywords = choices.loc[choices["kind"] == "keyword", "value"].tolist()
    # Labels decided now, in this run's language (a format_func may be called outside the run).
    category_names = {None: t("filter.all"), **{c: category_label(c, lang) for c in categories}}
    window_names = {w: t("market.window_all") if w == 0 else t("market.window_weeks", weeks=w) for w in WINDOWS}
    left, middle, right = st.columns([1.3, 1.6, 1])
    category = left.selectbox(t("market.category"), list(category_names), key=f"market_category_{lang}",
                              format_func=category_names.get)
    keyword = middle.text_input(t("market.keyword"), key="market_keyword", max_chars=100,
                                placeholder=", ".join(keywords[:3]) or t("market.keyword_hint"))
    weeks = right.selectbox(t("market.window"), WINDOWS, index=1, key=f"market_window_{lang}",
                            format_func=window_names.get)
    return category, (keyword or "").strip() or None, weeks


def load(filters: Filters, category: str | None, keyword: str | None, weeks: int) -> Market | None:
    """The snapshots of the chosen market in the window ending on the latest snapshot; None (after a message)
    when there are none."""
    span = data.run(queries.snapshot_span, Filters.all_time(filters.stores))
    if span is None:
        st.info(t("market.no_listings"))
        return None
    first, last = span
    start = first if weeks == 0 else max(first, last - pd.Timedelta(days=7 * weeks - 1))
    window = filters.with_dates(start, last)
    snapshots = data.run(queries.listing_snapshots, window, category=category, keyword=keyword)
    if snapshots.empty:
        st.info(t("market.no_match"))
        return None
    bases = analysis.sales_bases(snapshots)
    return Market(analysis.with_period_sales(snapshots, bases), bases, start, last,
                  len(snapshots) >= queries.MAX_ROWS)


def basis_note(market: Market) -> None:
    """Which reading of the sales counts was assumed, per source, with the evidence."""
    lang = current_lang()
    for basis in market.bases:
        share = fmt_percent(basis.non_decreasing_share, lang) if basis.non_decreasing_share is not None else "—"
        st.caption(t(f"market.basis.{basis.basis}", source=basis.source, pairs=fmt_number(basis.pairs, lang),
                     share=share))
    st.caption(t("market.window_note", start=fmt_date(market.start, lang), end=fmt_date(market.end, lang)))
    if market.truncated:
        st.warning(t("market.truncated", rows=fmt_number(queries.MAX_ROWS, lang)))


def cards(market: Market) -> None:
    """Items and shops on the latest day, our share of the period's sales, our median price index."""
    lang = current_lang()
    latest = analysis.latest_listings(market.sales)
    own_sales = market.sales.loc[market.sales["own"], "period_sales"].sum()
    total = market.sales["period_sales"].sum()
    positions = analysis.own_positions(market.sales)
    values = [("items", fmt_number(len(latest), lang)), ("shops", fmt_number(latest["shop"].nunique(), lang)),
              ("own_items", fmt_number(int(latest["own"].sum()), lang)),
              ("own_share", fmt_percent(own_sales / total, lang) if total > 0 else "—"),
              ("price_index", fmt_number(positions["price_index"].median(), lang, decimals=2)
               if not positions.empty and positions["price_index"].notna().any() else "—")]
    for column, (name, value) in zip(st.columns(len(values)), values, strict=True):
        column.metric(t(f"market.kpi.{name}"), value, help=t(f"market.kpi.{name}.help"))


def _band_label(low: float, high: float, lang: str) -> str:
    if high == float("inf"):
        return f"{fmt_money(low, lang, decimals=0)}+"
    return f"{fmt_money(low, lang, decimals=0)}–{fmt_money(high, lang, decimals=0)}"


def bands(market: Market) -> None:
    """Price bands of the latest listings with each band's share of sales; our items' place among them."""
    lang = current_lang()
    table = analysis.price_bands(market.sales)
    if table.empty:
        st.info(t("msg.no_data"))
        return
    table.insert(0, "band", [_band_label(lo, hi, lang) for lo, hi in zip(table["band_low"], table["band_high"],
                                                                         strict=True)])
    show_chart(market_charts.price_band_bars, table, band_title=t("market.col.band"),
               share_title=t("market.col.sales_share"),
               own_title=t("market.col.own_items"), draw={"width": "stretch"})
    st.caption(t("market.bands_note"))
    data_table(table.drop(columns=["band_low", "band_high"]).rename(columns={"sales_share": "share"}),
               "market_bands", "price_bands", kinds=_KINDS, header=_header)
    st.subheader(t("market.positions"))
    positions = analysis.own_positions(market.sales).drop(columns=["store_id"])
    positions["category"] = positions["category"].map(lambda c: category_label(c, current_lang()))
    data_table(positions, "market_positions",
               "our_positions", kinds=_KINDS, header=_header)


def _named(names: pd.Series) -> pd.Series:
    return names.replace({analysis.OTHER: t("market.other"), analysis.UNKNOWN_SHOP: t("market.unknown_shop")})


def share(market: Market) -> None:
    """Sales share by shop or brand: its trend over the snapshots and the period's table."""
    names = {b: t(f"market.by.{b}") for b in ("shop", "brand")}
    by = st.segmented_control(t("market.share_by"), list(names), default="shop",
                              key=f"market_share_by_{current_lang()}", format_func=names.get)
    trend, summary = analysis.sales_share(market.sales, by=by or "shop")
    if summary.empty:
        st.info(t("market.no_sales"))
        return
    show_chart(market_charts.share_area, trend.assign(label=_named(trend["name"])),
               share_title=t("market.col.share"), draw={"width": "stretch"})
    summary = summary.assign(name=_named(summary["name"]),
                             share_change=summary["change"]).drop(columns=["change"])
    data_table(summary, "market_share", f"share_by_{by}", kinds=_KINDS, header=_header)


def moves(market: Market) -> None:
    """Competitors' price changes between snapshots, promotions (a cut with a sales jump) first."""
    found = analysis.price_moves(market.sales)
    rivals = found[~found["own"].astype(bool)] if not found.empty else found
    if rivals.empty:
        st.info(t("market.no_moves"))
        return
    promotions = int(rivals["promotion"].sum())
    st.caption(t("market.moves_note", moves=fmt_number(len(rivals), current_lang()),
                 promotions=fmt_number(promotions, current_lang()),
                 drop=fmt_percent(analysis.PROMOTION_DROP, current_lang(), decimals=0),
                 jump=fmt_percent(analysis.PROMOTION_JUMP, current_lang(), decimals=0)))
    shown = rivals.sort_values(["promotion", "observed_at"], ascending=[False, False])
    data_table(shown.drop(columns=["source", "own"]), "market_moves", "price_moves", kinds=_KINDS, header=_header)


def entrants(market: Market) -> None:
    """Items (and shops) first seen after the window's first snapshot."""
    found = analysis.new_entrants(market.sales)
    if found.empty:
        st.info(t("market.no_entrants"))
        return
    data_table(found.drop(columns=["source"]), "market_entrants", "new_entrants", kinds=_KINDS, header=_header)


@st.cache_data(ttl=600, show_spinner=False, max_entries=32)
def _closest(latest: pd.DataFrame) -> pd.DataFrame:
    # Cached by the rows it is given (already scoped by the query): segmenting every title costs a second or so.
    return analysis.closest_competitors(latest)


def matches(market: Market) -> None:
    """Our latest items beside the three competitor items with the most similar titles."""
    latest = analysis.latest_listings(market.sales)
    if not latest["own"].any():
        st.info(t("market.no_own"))
        return
    found = _closest(latest)
    if found.empty:
        st.info(t("market.no_matches"))
        return
    st.caption(t("market.matches_note"))
    data_table(found.drop(columns=["item_id", "competitor_item"]), "market_matches", "closest_competitors",
               kinds=_KINDS, header=_header)
