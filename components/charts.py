"""Altair chart builders: pure functions DataFrame -> alt.Chart sharing one theme. Labels come in translated."""

from __future__ import annotations

import altair as alt
import pandas as pd

PALETTE = ["#C8102E", "#1F77B4", "#2CA02C", "#FF7F0E", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F",
           "#BCBD22", "#17BECF", "#393B79", "#637939", "#8C6D31", "#843C39"]
CURRENT_COLOR, COMPARISON_COLOR, UP_COLOR, DOWN_COLOR = "#C8102E", "#9E9E9E", "#2E7D32", "#C62828"
FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"  # CJK-capable first


def themed(chart: alt.TopLevelMixin, height: int = 280) -> alt.TopLevelMixin:
    """Apply the one shared look: fonts that render Chinese, quiet grid, no chart border."""
    return (
        chart.properties(height=height)
        .configure(font=FONT)
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=12, titleFontSize=12, gridColor="#EEEEEE", domainColor="#BDBDBD")
        .configure_legend(orient="bottom", labelFontSize=12, titleFontSize=12)
        .configure_range(category=PALETTE)
    )


def trend_with_comparison(current: pd.DataFrame, comparison: pd.DataFrame | None, *, x: str, y: str,
                          y_title: str, current_label: str, comparison_label: str,
                          y_format: str = ",.0f", height: int = 280) -> alt.Chart:
    """A daily line for the period with a dashed line for the comparison period aligned on the same x.

    `current` has columns x and y; `comparison` (optional) has the same columns with x already
    shifted onto the current period's dates, plus `compare_x` (its own dates) for the tooltip.
    """
    return themed(_trend_lines(current, comparison, x=x, y=y, y_title=y_title, current_label=current_label,
                               comparison_label=comparison_label, y_format=y_format), height)


def _trend_lines(current: pd.DataFrame, comparison: pd.DataFrame | None, *, x: str, y: str, y_title: str,
                 current_label: str, comparison_label: str, y_format: str) -> alt.Chart:
    series = current[[x, y]].assign(series=current_label, compare_x=current[x])
    if comparison is not None and not comparison.empty:
        series = pd.concat([series, comparison[[x, y, "compare_x"]].assign(series=comparison_label)])
    chart = alt.Chart(series).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        x=alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%m-%d", tickCount=_tick_interval(current[x]))),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
        color=alt.Color("series:N", title=None,
                        scale=alt.Scale(domain=[current_label, comparison_label],
                                        range=[CURRENT_COLOR, COMPARISON_COLOR])),
        strokeDash=alt.StrokeDash("series:N", legend=None,
                                  scale=alt.Scale(domain=[current_label, comparison_label], range=[[1, 0], [5, 4]])),
        tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("compare_x:T", title=" ", format="%Y-%m-%d"),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=y_format)],
    )
    return chart


def _tick_interval(dates: pd.Series) -> str:
    """A time tick interval that gives one label per day, week or month, never repeated labels."""
    span = (pd.to_datetime(dates).max() - pd.to_datetime(dates).min()).days if len(dates) else 0
    return "day" if span <= 31 else "week" if span <= 180 else "month"


def ranked_bars(df: pd.DataFrame, *, category: str, value: str, value_title: str, value_format: str = ",.0f",
                color_by_sign: bool = False, height: int | None = None, tooltip: list | None = None) -> alt.Chart:
    """Horizontal bars, largest on top; with color_by_sign, rises green and falls red."""
    color = (alt.condition(f"datum['{value}'] >= 0", alt.value(UP_COLOR), alt.value(DOWN_COLOR))
             if color_by_sign else alt.value(CURRENT_COLOR))
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format)),
        color=color,
        tooltip=tooltip or [alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q", format=value_format)],
    )
    return themed(chart, height or max(120, 28 * len(df)))


def trend_with_events(current: pd.DataFrame, comparison: pd.DataFrame | None, events: pd.DataFrame, *, x: str,
                      y: str, y_title: str, current_label: str, comparison_label: str, y_format: str = ",.0f",
                      height: int = 300, partial: pd.DataFrame | None = None) -> alt.LayerChart:
    """The trend line (with comparison) plus a dashed rule and label at each shop event in range.

    `events` has columns ds (datetime) and label (translated event name). `partial` (optional) has
    columns x, y and note: buckets the period covers only in part (a week cut by the date range),
    drawn as open rings so a short last week does not read as a slump.
    """
    base = _trend_lines(current, comparison, x=x, y=y, y_title=y_title, current_label=current_label,
                        comparison_label=comparison_label, y_format=y_format)
    if partial is not None and not partial.empty:
        rings = alt.Chart(partial).mark_point(filled=False, size=140, strokeWidth=2, color=CURRENT_COLOR).encode(
            x=alt.X(f"{x}:T"), y=alt.Y(f"{y}:Q"),
            tooltip=[alt.Tooltip("note:N", title=" "), alt.Tooltip(f"{y}:Q", title=y_title, format=y_format)])
        base = alt.layer(base, rings)
    if events.empty:
        return themed(base, height)
    rules = alt.Chart(events).mark_rule(strokeDash=[3, 3], color="#616161").encode(
        x=alt.X("ds:T"), tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("ds:T", format="%Y-%m-%d")])
    labels = alt.Chart(events).mark_text(align="left", dx=3, dy=-4, fontSize=11, color="#424242").encode(
        x="ds:T", y=alt.value(8), text="label:N")
    return themed(alt.layer(base, rules, labels), height)


def selectable_bars(df: pd.DataFrame, *, category: str, value: str, value_title: str, selection_name: str,
                    label: str | None = None, value_format: str = ",.0f", height: int | None = None) -> alt.Chart:
    """Horizontal bars whose click selects a category (st.altair_chart(on_select="rerun") reads it)."""
    pick = alt.selection_point(name=selection_name, fields=[category], on="click", clear="dblclick")
    chart = alt.Chart(df).mark_bar(cursor="pointer").encode(
        y=alt.Y(f"{label or category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format)),
        color=alt.condition(pick, alt.value(CURRENT_COLOR), alt.value("#E0B4BB")),
        tooltip=[alt.Tooltip(f"{label or category}:N", title=" "), alt.Tooltip(f"{value}:Q", format=value_format)],
        detail=f"{category}:N",
    ).add_params(pick)
    return themed(chart, height or max(140, 26 * len(df)))


def stacked_bars(df: pd.DataFrame, *, x: str, series: str, value: str, value_title: str, x_format: str = "%Y-%m-%d",
                 height: int = 260) -> alt.Chart:
    """Stacked bars over time, one colour per series (e.g. new vs returning customers)."""
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X(f"{x}:T", title=None, axis=alt.Axis(format=x_format)),
        y=alt.Y(f"{value}:Q", title=value_title, stack="zero"),
        color=alt.Color(f"{series}:N", title=None),
        tooltip=[alt.Tooltip(f"{x}:T", format=x_format), alt.Tooltip(f"{series}:N"), alt.Tooltip(f"{value}:Q")],
    )
    return themed(chart, height)


def heatmap(df: pd.DataFrame, *, x: str, y: str, value: str, x_title: str, y_title: str, value_title: str,
            value_format: str = ".0%", height: int | None = None) -> alt.LayerChart:
    """A heatmap with the value printed in each cell (e.g. cohort retention)."""
    base = alt.Chart(df).encode(x=alt.X(f"{x}:O", title=x_title), y=alt.Y(f"{y}:O", title=y_title))
    cells = base.mark_rect().encode(
        color=alt.Color(f"{value}:Q", title=value_title, scale=alt.Scale(scheme="reds", domain=[0, 1])),
        tooltip=[alt.Tooltip(f"{y}:O", title=y_title), alt.Tooltip(f"{x}:O", title=x_title),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=value_format)])
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text(f"{value}:Q", format=value_format),
        color=alt.condition(f"datum['{value}'] > 0.5", alt.value("white"), alt.value("#212121")))
    return themed(alt.layer(cells, text), height or max(160, 24 * df[y].nunique()))


def funnel_bars(df: pd.DataFrame, *, step: str, value: str, highlight: str, value_title: str,
                height: int = 220) -> alt.Chart:
    """Funnel steps as bars in order; the step named by `highlight` (the weakest) in the alert colour."""
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y(f"{step}:N", sort=None, title=None),
        x=alt.X(f"{value}:Q", title=value_title),
        color=alt.condition(alt.datum[step] == highlight, alt.value(DOWN_COLOR), alt.value(COMPARISON_COLOR)),
        tooltip=[alt.Tooltip(f"{step}:N"), alt.Tooltip(f"{value}:Q", format=",.0f")],
    )
    return themed(chart, height)
