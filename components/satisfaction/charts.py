"""Altair builders of the satisfaction page: pure DataFrame -> chart functions in the shared theme."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts import COMPARISON_COLOR, CURRENT_COLOR, PALETTE, _tick_interval, themed

#: Ratings coloured from red (1 star) to green (5 stars).
RATING_SCALE = alt.Scale(domain=[1, 3, 5], range=["#C62828", "#F9A825", "#2E7D32"])
#: Height per bar, plus room for the value axis and its title (Streamlit fits the axes inside the height);
#: thinner rows make Vega hide every other label.
ROW_HEIGHT, AXIS_HEIGHT = 32, 60


def _bars_height(rows: int) -> int:
    return AXIS_HEIGHT + ROW_HEIGHT * max(rows, 2)


def _category_axis(category: str, sort) -> alt.Y:
    return alt.Y(f"{category}:N", title=None, sort=sort, axis=alt.Axis(labelLimit=260, labelOverlap=False))


def bars(df: pd.DataFrame, *, category: str, value: str, value_title: str, value_format: str = ",.0f",
         whole_numbers: bool = False, height: int | None = None) -> alt.Chart:
    """Horizontal bars, largest on top, every label shown; whole_numbers keeps a count axis to integers."""
    axis = alt.Axis(format=value_format, tickMinStep=1) if whole_numbers else alt.Axis(format=value_format)
    chart = alt.Chart(df).mark_bar(color=CURRENT_COLOR).encode(
        y=_category_axis(category, "-x"),
        x=alt.X(f"{value}:Q", title=value_title, axis=axis),
        tooltip=[alt.Tooltip(f"{category}:N", title=" "), alt.Tooltip(f"{value}:Q", title=value_title,
                                                                     format=value_format)],
    )
    return themed(chart, height or _bars_height(len(df)))


def rating_bars(df: pd.DataFrame, *, category: str, rating_title: str, count_title: str, sort=None,
                height: int | None = None) -> alt.Chart:
    """Horizontal bars of avg_rating (0-5 axis) per category, coloured by rating, with the review count as text.

    df: columns `category`, avg_rating, reviews. sort: None keeps the row order, "x" puts the lowest on top.
    """
    data = df.dropna(subset=["avg_rating"])
    y = _category_axis(category, list(data[category]) if sort is None else sort)
    marks = alt.Chart(data).mark_bar().encode(
        y=y,
        x=alt.X("avg_rating:Q", title=rating_title, scale=alt.Scale(domain=[0, 5]), axis=alt.Axis(tickCount=5)),
        color=alt.Color("avg_rating:Q", scale=RATING_SCALE, legend=None),
        tooltip=[alt.Tooltip(f"{category}:N", title=" "), alt.Tooltip("avg_rating:Q", title=rating_title, format=".2f"),
                 alt.Tooltip("reviews:Q", title=count_title, format=",.0f")],
    )
    labels = marks.mark_text(align="left", dx=4, fontSize=11, color="#424242").encode(
        text=alt.Text("avg_rating:Q", format=".2f"), color=alt.value("#424242"))
    return themed(alt.layer(marks, labels), height or _bars_height(len(data)))


def rating_and_nps(df: pd.DataFrame, *, x: str, rating_title: str, nps_title: str, count_title: str,
                   height: int = 280) -> alt.LayerChart:
    """Average rating (left axis, 1-5) and NPS (right axis, -100..100) per period bucket.

    df: columns x (datetime), avg_rating, reviews, nps, nps_answers; buckets without data leave gaps.
    """
    axis_x = alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%m-%d", tickCount=_tick_interval(df[x])))
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


def lines_by_series(df: pd.DataFrame, *, x: str, y: str, series: str, y_title: str, y_format: str = ",.1f",
                    height: int = 260) -> alt.Chart:
    """One line per series over time (e.g. median first response hours per contact channel)."""
    chart = alt.Chart(df).mark_line(point=True).encode(
        x=alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%m-%d", tickCount=_tick_interval(df[x]))),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
        color=alt.Color(f"{series}:N", title=None),
        tooltip=[alt.Tooltip(f"{x}:T", format="%Y-%m-%d", title=" "), alt.Tooltip(f"{series}:N", title=" "),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=y_format)],
    )
    return themed(chart, height)


def distribution_bars(df: pd.DataFrame, *, rating_title: str, count_title: str, height: int = 220) -> alt.Chart:
    """Reviews per star rating (1-5) as columns coloured by rating, the share as the label on top.

    df: columns rating, reviews, share.
    """
    base = alt.Chart(df).encode(x=alt.X("rating:O", title=rating_title, axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar().encode(
        y=alt.Y("reviews:Q", title=count_title, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("rating:Q", scale=RATING_SCALE, legend=None),
        tooltip=[alt.Tooltip("rating:O", title=rating_title),
                 alt.Tooltip("reviews:Q", title=count_title, format=",.0f"), alt.Tooltip("share:Q", format=".1%")],
    )
    labels = base.mark_text(dy=-6, fontSize=11, color="#424242").encode(
        y="reviews:Q", text=alt.Text("share:Q", format=".0%"))
    return themed(alt.layer(bars, labels), height)
