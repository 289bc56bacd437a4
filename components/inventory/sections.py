"""The sections of the inventory page, each drawing one block from cached queries (pages/inventory.py lays them out)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from components import data
from components.attention import attention_table
from components.i18n import category_label
from components.inventory import logic
from components.kpi import error_change_color
from components.lang import current_lang, t
from components.names import with_product_names, with_store_names
from components.tables import data_table
from data_access.filters import Filters
from data_access.inventory import queries
from forecasting import classes, policy

LEVEL_OPTIONS = sorted(policy.Z_BY_SERVICE_LEVEL)
ON_DEMAND_KEY = "inventory_on_demand"
#: Session-state key (plus _<lang>) of the page's tabs.
TAB_KEY = "inventory_tab"


def latest_run() -> dict | None:
    return data.run(data.latest_forecast_run, Filters.all_time(), ttl="run")


def no_run_yet() -> None:
    st.info(t("inventory.no_forecast"))


def run_caption(run: dict) -> None:
    finished = pd.Timestamp(run["finished_at"]).strftime("%Y-%m-%d %H:%M")
    st.caption(t("inventory.run_caption", finished=finished, series=f"{run['n_series']:,}",
                 seconds=f"{run['duration_s']:.1f}", failed=run["n_failed"], history_end=run["history_end"],
                 horizon=run["horizon_days"]))
    with st.expander(t("inventory.method_title"), icon=":material/info:"):
        st.markdown(t("inventory.method"))


def policy_settings() -> tuple[dict[str, float], int]:
    """Service level per ABC class and the review period, editable, remembered for the session."""
    with st.expander(t("inventory.settings"), icon=":material/tune:"):
        st.caption(t("inventory.settings_help"))
        cols = st.columns(4)
        levels = {}
        for col, (abc, default) in zip(cols, policy.DEFAULT_SERVICE_LEVELS.items(), strict=False):
            levels[abc] = col.selectbox(t("inventory.service_level_for", abc=abc), LEVEL_OPTIONS,
                                        index=LEVEL_OPTIONS.index(default), key=f"inventory_level_{abc}",
                                        format_func=lambda v: f"{v:.1%} (z = {policy.z_value(v)})")
        review = cols[3].number_input(t("inventory.review_period"), min_value=1, max_value=28,
                                      value=policy.REVIEW_DAYS, step=1, key="inventory_review_days")
    return levels, int(review)


def planned_rows(f: Filters, run: dict, levels: dict[str, float], review_days: int) -> pd.DataFrame:
    plan = data.run(queries.inventory_plan, f, run_id=run["run_id"], review_days=review_days)
    if plan.empty:
        return plan
    sku_classes = data.run(classes.sku_classes, f)
    rows = logic.planned(plan, sku_classes, levels, review_days)
    rows["category"] = rows["category"].map(lambda c: category_label(c, current_lang()))
    return with_product_names(rows, current_lang())


def stale_warning(run: dict, rows: pd.DataFrame) -> None:
    snapshot = pd.Timestamp(rows["snapshot_date"].iloc[0]).date()
    if run["history_end"] is not None and run["history_end"] < snapshot:
        st.warning(t("inventory.stale_run", history_end=run["history_end"], snapshot=snapshot))


def kpis(f: Filters, run: dict, rows: pd.DataFrame) -> None:
    summary = data.run(queries.backtest_summary, f, run_id=run["run_id"])
    shipped, best = logic.shipped_vs_best_baseline(summary)
    cols = st.columns(4)
    cols[0].metric(t("inventory.kpi_at_risk"), f"{logic.at_risk_within_lead_time(rows):,}",
                   help=t("inventory.kpi_at_risk_help"), border=True)
    cols[1].metric(t("inventory.kpi_reorder"), f"{int((rows['suggested_order'] > 0).sum()):,}",
                   help=t("kpi.suggested_order.formula"), border=True)
    cols[2].metric(t("inventory.kpi_overstock"), f"{int(rows['overstock'].sum()):,}",
                   help=t("inventory.kpi_overstock_help", factor=f"{policy.OVERSTOCK_FACTOR:g}"), border=True)
    gap = shipped - best if math.isfinite(shipped) and math.isfinite(best) else None
    cols[3].metric(t("inventory.kpi_mase"), f"{shipped:.2f}" if math.isfinite(shipped) else "—",
                   delta=f"{gap:+.2f}" if gap is not None else None, delta_color=error_change_color(shipped, gap),
                   help=t("inventory.kpi_mase_help"), border=True)


def _table(df: pd.DataFrame, key: str, stem: str, attention: bool = False) -> None:
    """data_table (or, for a needs-attention list, attention_table) with the forecast model named in the user's
    language and the stockout and arrival dates as dates."""
    if "forecast_model" in df.columns:
        df = df.assign(forecast_model=df["forecast_model"].map(model_label))
    # The store's name in the user's language, looked up for the rows' own stores only.
    if "store_id" in df.columns and not df.empty:
        df = with_store_names(df, tuple(sorted(df["store_id"].dropna().unique())), current_lang())
    dates = {col: st.column_config.DateColumn(t(f"col.{col}"), format="YYYY-MM-DD")
             for col in ("stockout_date", "expected_arrival") if col in df.columns}
    if attention:
        attention_table(df, key=key, file_stem=stem, column_config=dates)
    else:
        data_table(df, key=key, file_stem=stem, column_config=dates)


def model_label(model) -> str:
    return t(f"inventory.model.{model}") if isinstance(model, str) and model else "—"


def risk(rows: pd.DataFrame) -> None:
    st.caption(t("inventory.risk_caption"))
    left, right = st.columns(2)
    abc = left.multiselect(t("inventory.filter_abc"), ["A", "B", "C"], key="inventory_risk_abc",
                           placeholder=t("filter.all"))
    xyz = right.multiselect(t("inventory.filter_xyz"), ["X", "Y", "Z"], key="inventory_risk_xyz",
                            placeholder=t("filter.all"))
    table = logic.risk_table(rows, abc, xyz)
    if table.empty:
        st.success(t("inventory.no_risk"))
        return
    _table(table, "inventory_risk", "stockout-risk", attention=True)


def reorder(rows: pd.DataFrame) -> None:
    st.caption(t("inventory.reorder_caption"))
    table = logic.reorder_list(rows)
    if table.empty:
        st.success(t("inventory.no_reorder"))
        return
    _table(table, "inventory_reorder", f"reorder-{pd.Timestamp(rows['snapshot_date'].iloc[0]):%Y-%m-%d}",
           attention=True)


def overstock(rows: pd.DataFrame) -> None:
    st.caption(t("inventory.overstock_caption", factor=f"{policy.OVERSTOCK_FACTOR:g}"))
    table = logic.overstock_list(rows)
    if table.empty:
        st.success(t("inventory.no_overstock"))
        return
    _table(table, "inventory_overstock", "overstock", attention=True)


def accuracy(f: Filters, run: dict) -> None:
    st.caption(t("inventory.accuracy_caption"))
    summary = data.run(queries.backtest_summary, f, run_id=run["run_id"])
    if summary.empty:
        st.info(t("msg.no_data"))
        return
    table = summary.rename(columns={"series": "n_series", "chosen": "n_chosen", "coverage": "interval_coverage",
                                    "model": "forecast_model"})
    _table(table[["forecast_model", "n_series", "n_chosen", "mase", "smape", "bias_pct", "interval_coverage"]],
           "inventory_accuracy", f"backtest-{run['run_id']}")
    failures = data.run(queries.run_failures, f, run_id=run["run_id"])
    if not failures.empty:
        st.markdown(f"**{t('inventory.failures')}**")
        _table(failures.rename(columns={"stage": "failed_stage", "key": "failed_series", "error": "failure_reason"})
               [["failed_stage", "failed_series", "failure_reason"]], "inventory_failures", "forecast-failures")
