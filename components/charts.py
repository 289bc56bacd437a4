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
    series = current[[x, y]].assign(series=current_label, compare_x=current[x])
    if comparison is not None and not comparison.empty:
        series = pd.concat([series, comparison[[x, y, "compare_x"]].assign(series=comparison_label)])
    chart = alt.Chart(series).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        x=alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%m-%d")),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
        color=alt.Color("series:N", title=None,
                        scale=alt.Scale(domain=[current_label, comparison_label],
                                        range=[CURRENT_COLOR, COMPARISON_COLOR])),
        strokeDash=alt.StrokeDash("series:N", legend=None,
                                  scale=alt.Scale(domain=[current_label, comparison_label], range=[[1, 0], [5, 4]])),
        tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("compare_x:T", title=" ", format="%Y-%m-%d"),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=y_format)],
    )
    return themed(chart, height)


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
