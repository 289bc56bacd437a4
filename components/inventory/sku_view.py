"""The inventory page's SKU view: history, forecast band, on-hand projection, reorder point; forecast on demand."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data
from components.chart_render import show_chart
from components.formatting import fmt_number, fmt_percent
from components.inventory import charts, logic
from components.inventory.sections import ON_DEMAND_KEY, model_label
from components.lang import current_lang, t
from data_access.filters import Filters
from data_access.inventory import queries
from forecasting import on_demand

HISTORY_DAYS = 90


def _pick(rows: pd.DataFrame) -> pd.Series:
    """Store and SKU pickers; the first suggestion is the most urgent stock-out risk (of an A item if any)."""
    urgent = logic.risk_table(rows, abc=["A"])
    urgent = urgent if not urgent.empty else logic.risk_table(rows)
    first = urgent.iloc[0] if not urgent.empty else rows.iloc[0]
    stores = sorted(rows["store_id"].unique())
    left, right = st.columns([1, 3])
    store = left.selectbox(t("inventory.pick_store"), stores, index=stores.index(first["store_id"]),
                           key="inventory_sku_store")
    in_store = rows[rows["store_id"] == store].sort_values("sku")
    skus = list(in_store["sku"])
    names = dict(zip(in_store["sku"], in_store["name"].fillna(""), strict=True))
    default = skus.index(first["sku"]) if first["sku"] in skus else 0
    sku = right.selectbox(t("inventory.pick_sku"), skus, index=default, key=f"inventory_sku_{store}",
                          format_func=lambda s: f"{s} · {names.get(s, '')}")
    return in_store[in_store["sku"] == sku].iloc[0]


def sku_view(f: Filters, run: dict, rows: pd.DataFrame) -> None:
    row = _pick(rows)
    store, sku = row["store_id"], row["sku"]
    history = data.run(queries.cell_history, f, store_id=store, sku=sku, days=HISTORY_DAYS)
    if history.empty:
        st.info(t("inventory.no_series"))
        return
    if st.button(t("inventory.forecast_now"), key="inventory_forecast_now", icon=":material/auto_graph:"):
        st.session_state[ON_DEMAND_KEY] = (store, sku)
    fresh = st.session_state.get(ON_DEMAND_KEY) == (store, sku)
    if fresh:
        with st.spinner(t("inventory.forecasting")):
            forecast = data.run(on_demand.forecast_cell, f, store_id=store, sku=sku,
                                horizon=int(run["horizon_days"]))
        model = forecast["model"].iloc[0] if not forecast.empty else ""
        caption = t("inventory.on_demand_caption", model=model_label(model))
    else:
        forecast = data.run(queries.cell_forecast, f, run_id=run["run_id"], store_id=store, sku=sku)
        caption = t("inventory.run_forecast_caption", model=model_label(row["forecast_model"]))
    snapshot = pd.Timestamp(row["snapshot_date"])
    on_order, arrival = float(row["on_order"]), row.get("expected_arrival")
    stockout = (logic.projected_stockout(forecast, float(row["on_hand"]), snapshot, on_order, arrival) if fresh
                else row["stockout_date"])
    _figures(row, stockout)
    st.caption(caption)
    st.markdown(f"**{t('inventory.demand_chart')}**")
    show_chart(charts.demand_with_forecast,
        history, forecast, actual_label=t("inventory.actual"), forecast_label=t("inventory.forecast_band"),
        stockout_label=t("inventory.stockout_day"), y_title=t("inventory.units_per_day"), draw={"width": "stretch"})
    st.markdown(f"**{t('inventory.stock_chart')}**")
    projection = logic.stock_projection(forecast, float(row["on_hand"]), snapshot, on_order, arrival)
    _arrival_caption(on_order, arrival, snapshot)
    show_chart(charts.stock_projection,
        history, projection, float(row["reorder_point"]), stock_label=t("inventory.stock_history"),
        projected_label=t("inventory.projected_stock"), reorder_label=t("inventory.reorder_point_line"),
        y_title=t("inventory.units"), draw={"width": "stretch"})


def _figures(row: pd.Series, stockout) -> None:
    lang = current_lang()
    if float(row["on_hand"]) <= 0:
        out_text = t("inventory.out_now")
    elif pd.isna(stockout):
        out_text = t("inventory.no_stockout")
    else:
        out_text = pd.Timestamp(stockout).strftime("%Y-%m-%d")
    figures = [
        (t("inventory.on_hand"), fmt_number(row["on_hand"], lang), None),
        (t("inventory.on_order"), fmt_number(row["on_order"], lang), None),
        (t("kpi.safety_stock"), fmt_number(row["safety_stock"], lang, decimals=1), t("kpi.safety_stock.formula")),
        (t("kpi.reorder_point"), fmt_number(row["reorder_point"], lang, decimals=1), _reorder_help(row, lang)),
        (t("kpi.suggested_order"), fmt_number(row["suggested_order"], lang), t("kpi.suggested_order.formula")),
        (t("col.stockout_date"), out_text, None),
    ]
    cols = [*st.columns(3), *st.columns(3)]
    for col, (label, value, help_text) in zip(cols, figures, strict=True):
        col.metric(label, value, help=help_text, border=True)


def _reorder_help(row: pd.Series, lang: str) -> str:
    """The reorder point's formula, and which of its two forms this SKU's figure comes from."""
    basis = row.get("reorder_basis", "normal")
    basis = basis if basis in ("lead_time_quantile", "normal") else "normal"
    which = t(f"inventory.reorder_basis.{basis}", level=fmt_percent(row["service_level"], lang),
              lead=int(row["lead_time"]))
    return f"{t('kpi.reorder_point.formula')}\n\n{which}"


def _arrival_caption(on_order: float, arrival, snapshot: pd.Timestamp) -> None:
    """Say when the on-order stock enters the projection, or that it does not (no expected date in the data)."""
    if on_order <= 0:
        return
    amount = fmt_number(on_order, current_lang())
    if arrival is None or pd.isna(arrival):
        st.caption(t("inventory.arrival_unknown_caption", on_order=amount))
        return
    day = pd.Timestamp(arrival)
    key = "inventory.arrival_late_caption" if day <= snapshot else "inventory.arrival_caption"
    st.caption(t(key, on_order=amount, date=day.strftime("%Y-%m-%d")))
