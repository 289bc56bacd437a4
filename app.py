"""Shop operations dashboard: entry point (the login-gated multipage shell replaces this in the next step)."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from data_access import queries
from data_access.engine import ConfigError, get_engine
from data_access.filters import Filters

st.set_page_config(page_title="Shop operations", page_icon="🛒", layout="wide")
st.title("Shop operations · 店铺运营")

try:
    engine = get_engine()
except ConfigError as exc:
    st.error(str(exc))
    st.stop()

yesterday = date.today() - timedelta(days=1)
kpis = queries.kpi_totals(engine, Filters(yesterday, yesterday)).set_index("period")
current, previous = kpis.loc["current"], kpis.loc["previous"]
cols = st.columns(4)
for col, (label, field) in zip(cols, [("Net sales 净销售额", "net_sales"), ("Orders 订单数", "orders"),
                                      ("AOV 客单价", "aov"), ("Units 件数", "units")], strict=True):
    delta = current[field] - previous[field]
    col.metric(label, f"{current[field]:,.2f}" if field in ("net_sales", "aov") else f"{current[field]:,.0f}",
               f"{delta:+,.2f}")
