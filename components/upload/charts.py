"""Altair builders the upload page needs beyond components.charts: pure DataFrame -> chart, the shared theme."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts import CURRENT_COLOR, themed, tick_interval


def hour_weekday(df: pd.DataFrame, *, weekday_labels: list[str], hour_title: str, weekday_title: str,
                 value_title: str, height: int = 380) -> alt.Chart:
    """Orders per hour (x, 0-23) and weekday (y, Monday on top). df: weekday (0-6), hour (0-23), orders."""
    data = df.assign(day=df["weekday"].map(dict(enumerate(weekday_labels))))
    chart = alt.Chart(data).mark_rect().encode(
        x=alt.X("hour:O", title=hour_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("day:N", title=weekday_title, sort=weekday_labels, axis=alt.Axis(labelOverlap=False)),
        color=alt.Color("orders:Q", title=value_title, scale=alt.Scale(scheme="reds")),
        tooltip=[alt.Tooltip("day:N", title=weekday_title), alt.Tooltip("hour:O", title=hour_title),
                 alt.Tooltip("orders:Q", title=value_title, format=",.0f")],
    )
    return themed(chart, height)


def columns(df: pd.DataFrame, *, x: str, y: str, x_title: str | None, y_title: str, order: list | None = None,
            y_format: str = ",.0f", height: int = 240) -> alt.Chart:
    """Vertical bars of a count in the given x order (e.g. weekdays or histogram bins); whole-number ticks."""
    chart = alt.Chart(df).mark_bar(color=CURRENT_COLOR).encode(
        x=alt.X(f"{x}:N", title=x_title, sort=order if order is not None else None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format, tickMinStep=1)),
        tooltip=[alt.Tooltip(f"{x}:N", title=x_title or " "), alt.Tooltip(f"{y}:Q", title=y_title, format=y_format)],
    )
    return themed(chart, height)


def daily_counts(df: pd.DataFrame, *, x: str, y: str, y_title: str, height: int = 280) -> alt.Chart:
    """A count per day (orders, tickets) as a line on a time axis, with whole-number ticks."""
    chart = alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=18), color=CURRENT_COLOR).encode(
        x=alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%m-%d", tickCount=tick_interval(df[x]))),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=",.0f", tickMinStep=1)),
        tooltip=[alt.Tooltip(f"{x}:T", format="%Y-%m-%d"), alt.Tooltip(f"{y}:Q", title=y_title, format=",.0f")],
    )
    return themed(chart, height)
