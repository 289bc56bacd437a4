"""Altair builders of the marketing page: pure DataFrame -> chart functions in the shared theme."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts import COMPARISON_COLOR, CURRENT_COLOR, PALETTE, compact_axis, themed, tick_interval

BAND_COLOR = "#9E9E9E"


def spend_revenue_scatter(df: pd.DataFrame, *, spend_title: str, revenue_title: str, orders_title: str,
                          roas_title: str, break_even_label: str, lang: str = "en",
                          height: int = 320) -> alt.LayerChart:
    """One bubble per channel: spend (x) vs attributed revenue (y), sized by orders, with the ROAS = 1 line.

    df: columns label (channel name), spend, attributed_revenue, orders, roas.
    """
    top = float(max(df["spend"].max(), 1.0))  # the break-even line over the spend range only
    tooltip = [alt.Tooltip("label:N", title=" "), alt.Tooltip("spend:Q", title=spend_title, format=",.2f"),
               alt.Tooltip("attributed_revenue:Q", title=revenue_title, format=",.2f"),
               alt.Tooltip("orders:Q", title=orders_title, format=",.0f"),
               alt.Tooltip("roas:Q", title=roas_title, format=".2f")]
    bubbles = alt.Chart(df).mark_circle(opacity=0.75, stroke="white", strokeWidth=1).encode(
        x=alt.X("spend:Q", title=spend_title, axis=compact_axis(lang), scale=alt.Scale(zero=True)),
        y=alt.Y("attributed_revenue:Q", title=revenue_title, axis=compact_axis(lang), scale=alt.Scale(zero=True)),
        size=alt.Size("orders:Q", title=orders_title, scale=alt.Scale(range=[60, 1600])),
        color=alt.Color("label:N", title=None, legend=None),
        tooltip=tooltip,
    )
    labels = bubbles.mark_text(align="left", dx=10, fontSize=11, color="#424242").encode(
        text="label:N", size=alt.value(11), color=alt.value("#424242"))
    line = alt.Chart(pd.DataFrame({"x": [0.0, top], "y": [0.0, top], "kind": [break_even_label] * 2})).mark_line(
        strokeDash=[4, 4], color=COMPARISON_COLOR).encode(x="x:Q", y="y:Q", tooltip=[alt.Tooltip("kind:N", title=" ")])
    return themed(alt.layer(line, bubbles, labels), height)


def share_bars(df: pd.DataFrame, *, share_title: str, height: int | None = None) -> alt.Chart:
    """Share of spend next to share of revenue per channel (grouped horizontal bars).

    df: columns label (channel name), kind (translated "share of spend" / "share of revenue"), share (0-1).
    """
    order = list(dict.fromkeys(df["label"]))
    kinds = list(dict.fromkeys(df["kind"]))
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=200, labelOverlap=False)),
        yOffset=alt.YOffset("kind:N", sort=kinds),
        x=alt.X("share:Q", title=share_title, axis=alt.Axis(format="%")),
        color=alt.Color("kind:N", title=None, sort=kinds, scale=alt.Scale(range=[CURRENT_COLOR, PALETTE[1]])),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("kind:N", title=" "),
                 alt.Tooltip("share:Q", format=".1%")],
    )
    return themed(chart, height or 60 + 34 * max(len(order), 2))


def _start_rule(start: pd.Timestamp, label: str) -> alt.Chart:
    return alt.Chart(pd.DataFrame({"ds": [start], "label": [label]})).mark_rule(
        strokeDash=[3, 3], color="#616161").encode(x="ds:T", tooltip=[alt.Tooltip("label:N", title=" ")])


def _x(daily: pd.DataFrame) -> alt.X:
    """The date axis over all of daily's days, so the three effect panels line up."""
    domain = [daily["ds"].min().isoformat(), daily["ds"].max().isoformat()]
    return alt.X("ds:T", title=None, scale=alt.Scale(domain=domain),
                 axis=alt.Axis(format="%m-%d", tickCount=tick_interval(daily["ds"])))


def actual_vs_expected(daily: pd.DataFrame, *, start: pd.Timestamp, actual_label: str, expected_label: str,
                       y_title: str, start_label: str, y_format: str = ",.0f", height: int = 260) -> alt.LayerChart:
    """Actual (solid) and the counterfactual (dashed) with its interval band; a rule where the campaign starts.

    daily: CampaignEffect.daily (ds, actual, predicted, predicted_lower, predicted_upper).
    """
    lines = daily.melt(id_vars="ds", value_vars=["actual", "predicted"], var_name="series", value_name="value")
    lines["series"] = lines["series"].map({"actual": actual_label, "predicted": expected_label})
    band = alt.Chart(daily).mark_area(opacity=0.25, color=BAND_COLOR).encode(
        x=_x(daily), y=alt.Y("predicted_lower:Q", title=y_title, axis=alt.Axis(format=y_format)),
        y2="predicted_upper:Q")
    domain = [actual_label, expected_label]
    drawn = alt.Chart(lines).mark_line().encode(
        x=_x(daily), y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=y_format)),
        color=alt.Color("series:N", title=None, scale=alt.Scale(domain=domain, range=[CURRENT_COLOR, "#424242"])),
        strokeDash=alt.StrokeDash("series:N", legend=None, scale=alt.Scale(domain=domain, range=[[1, 0], [5, 4]])),
        tooltip=[alt.Tooltip("ds:T", title=" ", format="%Y-%m-%d"), alt.Tooltip("series:N", title=" "),
                 alt.Tooltip("value:Q", title=y_title, format=y_format)],
    )
    return themed(alt.layer(band, drawn, _start_rule(start, start_label)), height)


def effect_band(daily: pd.DataFrame, *, value: str, lower: str, upper: str, start: pd.Timestamp, y_title: str,
                start_label: str, y_format: str = ",.0f", height: int = 200) -> alt.LayerChart:
    """An effect line (pointwise `effect` or `cumulative_effect`) with its interval band (`lower` .. `upper`) and
    the zero line. daily: CampaignEffect.daily (the cumulative columns are set on post rows only)."""
    rows = daily.dropna(subset=[value])
    band = alt.Chart(rows).mark_area(opacity=0.25, color=BAND_COLOR).encode(
        x=_x(daily), y=alt.Y(f"{lower}:Q", title=y_title, axis=alt.Axis(format=y_format)), y2=f"{upper}:Q")
    line = alt.Chart(rows).mark_line(color=CURRENT_COLOR, point=alt.OverlayMarkDef(size=14)).encode(
        x=_x(daily), y=alt.Y(f"{value}:Q", title=y_title),
        tooltip=[alt.Tooltip("ds:T", title=" ", format="%Y-%m-%d"),
                 alt.Tooltip(f"{value}:Q", title=y_title, format=y_format),
                 alt.Tooltip(f"{lower}:Q", format=y_format), alt.Tooltip(f"{upper}:Q", format=y_format)],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#BDBDBD").encode(y="y:Q")
    return themed(alt.layer(band, zero, line, _start_rule(start, start_label)), height)
