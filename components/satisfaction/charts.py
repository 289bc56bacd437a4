"""Altair builders of the satisfaction page: pure DataFrame -> chart functions in the shared theme."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts import (
    COMPARISON_COLOR,
    CURRENT_COLOR,
    PALETTE,
    RATING_SCALE,
    bars_height,
    category_axis,
    themed,
    tick_interval,
)


def rating_bars(df: pd.DataFrame, *, category: str, rating_title: str, count_title: str, sort=None,
                height: int | None = None) -> alt.Chart:
    """Horizontal bars of avg_rating (0-5 axis) per category, coloured by rating, with the review count as text.

    df: columns `category`, avg_rating, reviews. sort: None keeps the row order, "x" puts the lowest on top.
    """
    data = df.dropna(subset=["avg_rating"])
    y = category_axis(category, list(data[category]) if sort is None else sort)
    marks = alt.Chart(data).mark_bar().encode(
        y=y,
        x=alt.X("avg_rating:Q", title=rating_title, scale=alt.Scale(domain=[0, 5]), axis=alt.Axis(tickCount=5)),
        color=alt.Color("avg_rating:Q", scale=RATING_SCALE, legend=None),
        tooltip=[alt.Tooltip(f"{category}:N", title=" "), alt.Tooltip("avg_rating:Q", title=rating_title, format=".2f"),
                 alt.Tooltip("reviews:Q", title=count_title, format=",.0f")],
    )
    labels = marks.mark_text(align="left", dx=4, fontSize=11, color="#424242").encode(
        text=alt.Text("avg_rating:Q", format=".2f"), color=alt.value("#424242"))
    return themed(alt.layer(marks, labels), height or bars_height(len(data)))


def rating_and_nps(df: pd.DataFrame, *, x: str, rating_title: str, nps_title: str, count_title: str,
                   height: int = 280) -> alt.LayerChart:
    """Average rating (left axis, 1-5) and NPS (right axis, -100..100) per period bucket.

    df: columns x (datetime), avg_rating, reviews, nps, nps_answers; buckets without data leave gaps.
    """
    axis_x = alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%m-%d", tickCount=tick_interval(df[x])))
    rating = alt.Chart(df).mark_line(point=True, color=CURRENT_COLOR).encode(
        x=axis_x,
        y=alt.Y("avg_rating:Q", title=rating_title, scale=alt.Scale(domain=[1, 5]),
                axis=alt.Axis(titleColor=CURRENT_COLOR)),
        tooltip=[alt.Tooltip(f"{x}:T", format="%Y-%m-%d", title=" "),
                 alt.Tooltip("avg_rating:Q", title=rating_title, format=".2f"),
                 alt.Tooltip("reviews:Q", title=count_title, format=",.0f")],
    )
    nps = alt.Chart(df).mark_line(point=True, color=PALETTE[1], strokeDash=[5, 3]).encode(
        x=axis_x,
        y=alt.Y("nps:Q", title=nps_title, scale=alt.Scale(domain=[-100, 100]),
                axis=alt.Axis(titleColor=PALETTE[1], orient="right")),
        tooltip=[alt.Tooltip(f"{x}:T", format="%Y-%m-%d", title=" "),
                 alt.Tooltip("nps:Q", title=nps_title, format=".1f"),
                 alt.Tooltip("nps_answers:Q", title=count_title, format=",.0f")],
    )
    return themed(alt.layer(rating, nps).resolve_scale(y="independent"), height)


def ticket_flow(df: pd.DataFrame, *, created_label: str, resolved_label: str, backlog_label: str, y_title: str,
                height: int = 280) -> alt.LayerChart:
    """Created and resolved tickets per bucket as paired bars, the backlog at each bucket's end as a line (right axis).

    df: columns period (text label of the bucket), created, resolved, backlog.
    """
    order = list(df["period"])
    bars_data = df.melt(id_vars="period", value_vars=["created", "resolved"], var_name="kind", value_name="tickets")
    bars_data["kind"] = bars_data["kind"].map({"created": created_label, "resolved": resolved_label})
    x = alt.X("period:O", title=None, sort=order, axis=alt.Axis(labelAngle=-45, labelOverlap=True))
    bars = alt.Chart(bars_data).mark_bar().encode(
        x=x, xOffset=alt.XOffset("kind:N", sort=[created_label, resolved_label]),
        y=alt.Y("tickets:Q", title=y_title, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=[created_label, resolved_label, backlog_label],
                                                               range=[COMPARISON_COLOR, PALETTE[2], CURRENT_COLOR])),
        tooltip=[alt.Tooltip("period:O", title=" "), alt.Tooltip("kind:N", title=" "), alt.Tooltip("tickets:Q")],
    )
    line = alt.Chart(df.assign(kind=backlog_label)).mark_line(point=True, color=CURRENT_COLOR).encode(
        x=x, y=alt.Y("backlog:Q", title=backlog_label, axis=alt.Axis(orient="right", titleColor=CURRENT_COLOR,
                                                                      tickMinStep=1)),
        color=alt.Color("kind:N", title=None),
        tooltip=[alt.Tooltip("period:O", title=" "), alt.Tooltip("backlog:Q", title=backlog_label)],
    )
    # The backlog is a level, often many days of tickets: its own axis keeps the daily bars readable.
    return themed(alt.layer(bars, line).resolve_scale(y="independent"), height)
