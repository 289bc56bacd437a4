"""Charts of the market page only: price bands with our items marked, and sales share over time."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts import COMPARISON_COLOR, CURRENT_COLOR, themed


def price_band_bars(bands: pd.DataFrame, *, band_title: str, share_title: str, own_title: str) -> alt.Chart:
    """One bar per price band (label column 'band'), its height the band's share of sales; bands holding our items
    in the brand colour, the others grey."""
    chart = alt.Chart(bands).mark_bar().encode(
        x=alt.X("band:N", title=band_title, sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sales_share:Q", title=share_title, axis=alt.Axis(format=".0%")),
        color=alt.condition("datum.own_items > 0", alt.value(CURRENT_COLOR), alt.value(COMPARISON_COLOR)),
        tooltip=[alt.Tooltip("band:N", title=band_title), alt.Tooltip("sales_share:Q", title=share_title, format=".1%"),
                 alt.Tooltip("items:Q", title="#"), alt.Tooltip("own_items:Q", title=own_title)],
    )
    return themed(chart, 260)


def share_area(trend: pd.DataFrame, *, share_title: str) -> alt.Chart:
    """Sales share per snapshot (stacked to 100%), one colour per shop or brand ('label' column)."""
    chart = alt.Chart(trend).mark_area().encode(
        x=alt.X("observed_at:T", title=None, axis=alt.Axis(format="%m-%d")),
        y=alt.Y("share:Q", title=share_title, stack="normalize", axis=alt.Axis(format=".0%")),
        color=alt.Color("label:N", title=None),
        tooltip=[alt.Tooltip("observed_at:T", format="%Y-%m-%d", title=" "), alt.Tooltip("label:N", title=" "),
                 alt.Tooltip("share:Q", title=share_title, format=".1%")],
    )
    return themed(chart, 300)
