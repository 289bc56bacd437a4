"""The sections of the sales page, each drawing one block from cached queries (pages/sales.py lays them out)."""

from __future__ import annotations

import streamlit as st

from components import charts, data
from components.chart_render import show_chart
from components.i18n import category_label, channel_label, region_label
from components.kpi import Card, compared_period, kpi_row
from components.lang import current_lang, t
from components.names import store_names, with_product_names
from components.sales.logic import (
    FUNNEL_STEPS,
    event_markers,
    funnel_steps,
    funnel_table,
    partial_buckets,
    sparklines,
    weakest_step,
)
from components.tables import data_table
from components.text import t_md
from data_access.filters import Filters
from data_access.sales import customers as customer_queries
from data_access.sales import queries, segments

KPI_ROWS = (("net_sales", "orders", "aov", "units", "gross_margin"),
            ("margin_pct", "conversion_rate", "repurchase_rate", "returning_customer_rate", "return_rate"))


def kpis(f: Filters) -> bool:
    """Two rows of KPI cards vs the previous period and last year; False when the period has no orders and no
    sales (a daily report may give sales without orders)."""
    totals = data.run(queries.kpi_totals, f, with_customers=False).set_index("period")
    customers = data.run(customer_queries.customer_kpis, f).set_index("period")
    if totals.at["current", "orders"] == 0 and totals.at["current", "net_sales"] == 0:
        st.info(t("msg.no_data"))
        return False
    merged = totals.join(customers[["repurchase_rate", "returning_customer_rate", "return_rate"]])
    for row in KPI_ROWS:
        kpi_row([Card(k, merged.at["current", k], merged.at["previous", k], t("compare.vs_previous"),
                      merged.at["last_year", k], t("compare.vs_last_year")) for k in row])
    return True


def trend(f: Filters) -> None:
    st.subheader(t("sales.trend"))
    default = "day" if f.days <= 62 else "week" if f.days <= 370 else "month"
    grain = st.segmented_control(t("sales.grain"), ["day", "week", "month"], default=default, key="sales_grain",
                                 format_func=lambda g: t(f"grain.{g}")) or default
    current = data.run(customer_queries.sales_trend, f, grain=grain, with_customers=False)
    # The compared period (the KPI rows' choice) bucketed on this period's calendar: the same weeks or months.
    compared, compared_label = compared_period(f)
    offset = f.start - compared.start
    previous = data.run(customer_queries.sales_trend, compared, grain=grain, shift_days=offset.days,
                        with_customers=False)
    cur = current.rename(columns={"period_start": "day"})
    shifted = previous.rename(columns={"period_start": "day"})[["day", "net_sales"]]
    shifted["compare_x"] = shifted["day"] - offset
    events = event_markers(f.start, f.end, lambda h: t(f"event.{h}"))
    cut = partial_buckets(current, f.start, f.end, grain)
    partial = cur.merge(cut.rename(columns={"period_start": "day"}), on="day")
    partial["note"] = [t("sales.partial_bucket", days=c, of=n)
                       for c, n in zip(partial["days_covered"], partial["days_in_bucket"], strict=True)]
    show_chart(charts.trend_with_events,
        cur, shifted, events, x="day", y="net_sales", y_title=t("kpi.net_sales"),
        current_label=t("sales.this_period"), comparison_label=compared_label,
        partial=partial[["day", "net_sales", "note"]], draw={"width": "stretch"})
    if not partial.empty:
        st.caption(t("sales.partial_caption"))


def lazy_tabs(labels: dict[str, str], key: str) -> list[tuple[str, object]]:
    """Tabs of which only the open one runs (its queries included); the choice is kept in the link.

    `labels` maps a section id to its translated label; returns (section id, tab) for the open tab.
    """
    tabs = st.tabs(list(labels.values()), key=key, bind="query-params", on_change="rerun")
    return [(section, tab) for section, tab in zip(labels, tabs, strict=True) if tab.open]


def breakdowns(f: Filters) -> None:
    dims = {"category": t("sales.by_category"), "store": t("sales.by_store"), "region": t("sales.by_region"),
            "channel": t("sales.by_channel")}
    for dim, tab in lazy_tabs(dims, key="sales_breakdown"):
        with tab:
            _category_drill(f) if dim == "category" else _split_by(f, dim)


def _split_by(f: Filters, dim: str) -> None:
    split = data.run(queries.sales_by, f, dimension=dim)
    if split.empty:
        st.info(t("msg.no_data"))
        return
    lang = current_lang()
    if dim == "channel":
        split["label"] = split["key"].map(lambda c: channel_label(c, lang))
    elif dim == "store":
        names = store_names(f.stores, lang)
        split["label"] = split["key"].map(lambda sid: names.get(sid, sid))
    elif dim == "region":
        split["label"] = split["key"].map(lambda r: region_label(r, lang))
    show_chart(charts.ranked_bars, split, category="label", value="net_sales", value_title=t("kpi.net_sales"),
               other_label=t("chart.other"), draw={"width": "stretch"})
    data_table(split[["label", "net_sales", "orders", "aov", "units", "gross_margin", "margin_pct",
                          "conversion_rate", "share"]],
                   key=f"sales_by_{dim}", file_stem=f"sales-by-{dim}-{f.start}-{f.end}")


def _category_drill(f: Filters) -> None:
    """Categories as clickable bars; a click drills into that category's products, Back returns."""
    lang = current_lang()
    version = st.session_state.setdefault("category_drill_version", 0)
    split = data.run(queries.sales_by, f, dimension="category", with_customers=False)  # the bars need no customers
    if split.empty:
        st.info(t("msg.no_data"))
        return
    split["label"] = split["key"].map(lambda c: category_label(c, lang))
    st.caption(t("sales.drill_hint"))
    event = show_chart(charts.selectable_bars, split, category="key", label="label", value="net_sales",
                       value_title=t("kpi.net_sales"), selection_name="category_pick",
                       draw={"on_select": "rerun", "key": f"category_chart_{version}", "width": "stretch"})
    picked = [p["key"] for p in (event.selection.get("category_pick") or []) if p.get("key") is not None]
    if not picked:
        return
    category = picked[0]
    if st.button(t("sales.drill_back"), key="category_back", icon=":material/arrow_back:"):
        st.session_state["category_drill_version"] = version + 1
        st.rerun()
    st.markdown(f"**{t_md('sales.products_in', category=category_label(category, lang))}**")
    products(Filters(f.start, f.end, f.stores, f.channels, (category,)), key="drill_products")


def products(f: Filters, key: str = "sales_products", limit: int = 300) -> None:
    """Product table: ABC class, units, net sales, margin, weekly sparkline; sortable and exportable."""
    table = data.run(customer_queries.product_abc, f).head(limit)
    if table.empty:
        st.info(t("msg.no_data"))
        return
    weekly = data.run(customer_queries.product_weekly_sales, f, skus=tuple(table["sku"]))
    lines = sparklines(weekly, list(table["sku"]), f.start, f.end)
    table["trend"] = table["sku"].map(lines)
    table["category"] = table["category"].map(lambda c: category_label(c, current_lang()))
    table = with_product_names(table, current_lang())
    shown = table[["abc_class", "sku", "name", "category", "units", "net_sales", "gross_margin", "share", "trend"]]
    data_table(shown, key=key, file_stem=f"products-{f.start}-{f.end}",
                   column_config={"trend": st.column_config.LineChartColumn(t("col.trend"), width="medium")})


def funnel(f: Filters) -> None:
    by_channel = data.run(customer_queries.funnel_by_channel, f)
    if by_channel.empty:
        st.info(t("sales.no_traffic"))
        return
    steps = funnel_steps(by_channel)
    weakest = weakest_step(steps)
    steps["label"] = steps["step"].map(lambda s: t(f"funnel.{s}"))
    left, right = st.columns([2, 3])
    show_chart(charts.funnel_bars, steps, step="label", value="value", value_title=t("sales.count"),
               highlight=t(f"funnel.{weakest}") if weakest else "", where=left, draw={"width": "stretch"})
    if weakest:
        left.warning(t("sales.weakest_step", step=t(f"funnel.{weakest}"),
                       rate=f"{steps.set_index('step').at[weakest, 'rate']:.1%}"))
    table = funnel_table(by_channel)
    table["channel"] = table["channel"].map(lambda c: channel_label(c, current_lang()))
    table["weakest_step"] = table["weakest_step"].map(lambda s: t(f"funnel.{s}") if isinstance(s, str) else "—")
    cols = ["channel", *FUNNEL_STEPS, *[f"{s}_rate" for s in FUNNEL_STEPS[1:]], "weakest_step"]
    with right:
        data_table(table[cols], key="funnel_table",
                   file_stem=f"funnel-{f.start}-{f.end}")


def customers(f: Filters) -> None:
    grain = "week" if f.days <= 120 else "month"
    split = data.run(customer_queries.new_vs_returning, f, grain=grain)
    if split.empty:
        st.info(t("msg.no_data"))
        return
    long = split.melt(id_vars="period_start", var_name="kind", value_name="customers")
    long["kind"] = long["kind"].map(lambda k: t(f"col.{k}"))
    show_chart(charts.stacked_bars, long, x="period_start", series="kind", value="customers",
               value_title=t("col.customers"), draw={"width": "stretch"})
    st.markdown(f"**{t('sales.rfm')}**")
    rfm = data.run(segments.rfm_segments, f)
    rfm["action"] = rfm["segment"].map(lambda s: t(f"segment.{s}.action"))
    rfm["segment"] = rfm["segment"].map(lambda s: t(f"segment.{s}"))
    data_table(rfm[["segment", "customers", "revenue", "revenue_share", "avg_recency_days", "avg_frequency",
                    "action"]], key="rfm", file_stem=f"rfm-{f.start}-{f.end}")
    st.markdown(f"**{t('sales.cohorts')}**")
    cohorts = data.run(segments.cohort_retention, f)
    if cohorts.empty:
        st.info(t("msg.no_data"))
        return
    cohorts["cohort"] = cohorts["cohort_month"].dt.strftime("%Y-%m")
    show_chart(charts.heatmap, cohorts, x="month_index", y="cohort", value="retention",
               x_title=t("sales.months_since_first"), y_title=t("sales.cohort_month"),
               value_title=t("sales.retention"), draw={"width": "stretch"})



