"""The generic Altair chart builders: pure functions DataFrame -> alt.Chart sharing one theme; labels come in
translated. Area modules (components/<area>/charts.py) hold only the charts of their own page."""

from __future__ import annotations

import altair as alt
import pandas as pd

PALETTE = ["#C8102E", "#1F77B4", "#2CA02C", "#FF7F0E", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F",
           "#BCBD22", "#17BECF", "#393B79", "#637939", "#8C6D31", "#843C39"]
CURRENT_COLOR, COMPARISON_COLOR, UP_COLOR, DOWN_COLOR = "#C8102E", "#9E9E9E", "#2E7D32", "#C62828"
#: Ratings coloured from red (1 star) to green (5 stars).
RATING_SCALE = alt.Scale(domain=[1, 3, 5], range=["#C62828", "#F9A825", "#2E7D32"])
#: Height per horizontal bar and the room for the value axis below them.
ROW_HEIGHT, AXIS_HEIGHT = 32, 60
FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"  # CJK-capable first


def themed(chart: alt.TopLevelMixin, height: int | alt.Step = 280) -> alt.TopLevelMixin:
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
        x=alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%m-%d", tickCount=tick_interval(current[x]))),
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


def compact_axis(lang: str, **axis) -> alt.Axis:
    """A value axis with compact labels in the user's language: 2k / 1.5M in English, 2,000 / 1.5万 / 3亿 in
    Chinese (the way formatting.fmt_number(compact=True) writes figures)."""
    if lang != "zh":
        return alt.Axis(format="~s", **axis)
    expr = ("abs(datum.value) >= 1e8 ? format(datum.value / 1e8, '.3~r') + '亿' : "
            "abs(datum.value) >= 1e4 ? format(datum.value / 1e4, '.3~r') + '万' : format(datum.value, ',.0f')")
    return alt.Axis(labelExpr=expr, **axis)


def tick_interval(dates: pd.Series) -> str:
    """A time tick interval that gives one label per day, week or month, never repeated labels."""
    span = (pd.to_datetime(dates).max() - pd.to_datetime(dates).min()).days if len(dates) else 0
    return "day" if span <= 31 else "week" if span <= 180 else "month"


def bars_height(rows: int) -> int:
    """Height of horizontal bars: a row per bar plus room for the value axis and its title (Streamlit fits the
    axes inside the height); thinner rows make Vega hide every other label."""
    return AXIS_HEIGHT + ROW_HEIGHT * max(rows, 2)


#: Bars a ranked chart draws: the largest TOP_BARS - 1 and one "other" bar for the rest (top N + other).
TOP_BARS = 12
#: Characters of a category label per line: a longer one wraps onto a second line at its last space before this
#: (or at this many characters: CJK text has no spaces), so no label is cut; the tooltip has the full name.
WRAP_CHARS = 24
#: Widest line of a label in pixels (a second line longer than this ends in "…", past twice WRAP_CHARS).
LABEL_WIDTH = 320


def wrap_expr(chars: int = WRAP_CHARS) -> str:
    """Vega's label expression that wraps a label longer than `chars` onto two lines at its last space before
    `chars` (or at `chars` characters: CJK text has no spaces)."""
    cut = (f"(lastindexof(substring(datum.label, 0, {chars}), ' ') > {chars // 2} ? "
           f"lastindexof(substring(datum.label, 0, {chars}), ' ') : {chars})")
    return (f"length(datum.label) > {chars} ? [substring(datum.label, 0, {cut}), "
            f"trim(substring(datum.label, {cut}))] : datum.label")


def label_axis(chars: int = WRAP_CHARS, **axis) -> alt.Axis:
    """The axis of categories: every label drawn (no overlap thinning), long ones wrapped onto two lines."""
    return alt.Axis(labelOverlap=False, labelLimit=LABEL_WIDTH, labelExpr=wrap_expr(chars), **axis)


def top_with_other(df: pd.DataFrame, *, category: str, value: str, other_label: str, top: int = TOP_BARS,
                   sums: tuple[str, ...] = ()) -> pd.DataFrame:
    """df's `top - 1` largest rows by value plus one row named other_label that adds up the rest (value and the
    columns in sums); df itself when it has `top` rows or fewer. Keeps a ranked chart to bars that can be read."""
    if len(df) <= top:
        return df
    ranked = df.sort_values(value, ascending=False, kind="stable")
    head, rest = ranked.iloc[: top - 1], ranked.iloc[top - 1:]
    other = {column: rest[column].sum() for column in (value, *sums) if column in rest}
    other[category] = other_label
    return pd.concat([head, pd.DataFrame([other])], ignore_index=True)


def category_axis(category: str, sort) -> alt.Y:
    """The category axis of horizontal bars: every label shown in full (long ones wrapped onto two lines)."""
    return alt.Y(f"{category}:N", title=None, sort=sort, axis=label_axis())


def ranked_bars(df: pd.DataFrame, *, category: str, value: str, value_title: str, value_format: str = ",.0f",
                color_by_sign: bool = False, whole_numbers: bool = False, height: int | None = None,
                tooltip: list | None = None, other_label: str | None = None) -> alt.Chart:
    """Horizontal bars, largest on top, every label shown; with color_by_sign, rises green and falls red;
    whole_numbers keeps a count axis to integers; with other_label, past TOP_BARS rows the rest is one bar
    of that name (top_with_other)."""
    if other_label is not None:
        df = top_with_other(df, category=category, value=value, other_label=other_label)
    color = (alt.condition(f"datum['{value}'] >= 0", alt.value(UP_COLOR), alt.value(DOWN_COLOR))
             if color_by_sign else alt.value(CURRENT_COLOR))
    axis = alt.Axis(format=value_format, tickMinStep=1) if whole_numbers else alt.Axis(format=value_format)
    chart = alt.Chart(df).mark_bar().encode(
        y=category_axis(category, "-x"),
        x=alt.X(f"{value}:Q", title=value_title, axis=axis),
        color=color,
        tooltip=tooltip or [alt.Tooltip(f"{category}:N", title=" "),
                            alt.Tooltip(f"{value}:Q", title=value_title, format=value_format)],
    )
    return themed(chart, height or bars_height(len(df)))


def lines_by_series(df: pd.DataFrame, *, x: str, y: str, series: str, y_title: str, y_format: str = ",.1f",
                    x_format: str = "%m-%d", partial: str | None = None, point_size: int = 20,
                    height: int = 260) -> alt.Chart | alt.LayerChart:
    """One line per series over time (channels, contact channels, the numeric columns of a file).

    partial (optional) names a boolean column: buckets the date range covers only in part, drawn as open rings.
    """
    chart = alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=point_size)).encode(
        x=alt.X(f"{x}:T", title=None, axis=alt.Axis(format=x_format, tickCount=tick_interval(df[x]))),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
        color=alt.Color(f"{series}:N", title=None),
        tooltip=[alt.Tooltip(f"{x}:T", format="%Y-%m-%d", title=" "), alt.Tooltip(f"{series}:N", title=" "),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=y_format)],
    )
    if partial and partial in df.columns and df[partial].any():
        rings = alt.Chart(df[df[partial]]).mark_point(filled=False, size=140, strokeWidth=2).encode(
            x=f"{x}:T", y=f"{y}:Q", color=alt.Color(f"{series}:N", title=None))
        return themed(alt.layer(chart, rings), height)
    return themed(chart, height)


def rating_distribution(df: pd.DataFrame, *, rating_title: str, count_title: str, share_labels: bool = True,
                        height: int = 220) -> alt.Chart | alt.LayerChart:
    """Reviews per star rating (1-5) as columns coloured red to green; share_labels prints the share on top.

    df: columns rating, reviews, share.
    """
    base = alt.Chart(df).encode(x=alt.X("rating:O", title=rating_title, axis=alt.Axis(labelAngle=0)))
    columns = base.mark_bar().encode(
        y=alt.Y("reviews:Q", title=count_title, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("rating:Q", scale=RATING_SCALE, legend=None),
        tooltip=[alt.Tooltip("rating:O", title=rating_title),
                 alt.Tooltip("reviews:Q", title=count_title, format=",.0f"), alt.Tooltip("share:Q", format=".1%")],
    )
    if not share_labels:
        return themed(columns, height)
    labels = base.mark_text(dy=-6, fontSize=11, color="#424242").encode(
        y="reviews:Q", text=alt.Text("share:Q", format=".0%"))
    return themed(alt.layer(columns, labels), height)


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
        y=category_axis(label or category, "-x"),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format)),
        color=alt.condition(pick, alt.value(CURRENT_COLOR), alt.value("#E0B4BB")),
        tooltip=[alt.Tooltip(f"{label or category}:N", title=" "), alt.Tooltip(f"{value}:Q", format=value_format)],
        detail=f"{category}:N",
    ).add_params(pick)
    return themed(chart, height or bars_height(len(df)))


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


#: Rows (cohorts) and columns a heatmap draws at most: the newest rows; past HEATMAP_TEXT_COLUMNS columns the
#: values are in the tooltip only (printed they would overlap at 1280 px).
HEATMAP_ROWS, HEATMAP_TEXT_COLUMNS, HEATMAP_ROW_HEIGHT = 24, 13, 22


def heatmap(df: pd.DataFrame, *, x: str, y: str, value: str, x_title: str, y_title: str, value_title: str,
            value_format: str = ".0%", height: int | None = None) -> alt.LayerChart | alt.Chart:
    """A heatmap with the value printed in each cell (e.g. cohort retention), readable at 12-24 rows: the newest
    HEATMAP_ROWS rows (y sorts as text: "2025-01" style keys), a fixed height per row, every row and column label
    shown, values printed while there are few enough columns."""
    rows = sorted(df[y].astype(str).unique())[-HEATMAP_ROWS:]
    df = df[df[y].astype(str).isin(rows)]
    base = alt.Chart(df).encode(
        x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0, labelOverlap=False)),
        y=alt.Y(f"{y}:O", title=y_title, sort=rows, axis=alt.Axis(labelOverlap=False)))
    cells = base.mark_rect().encode(
        color=alt.Color(f"{value}:Q", title=value_title, scale=alt.Scale(scheme="reds", domain=[0, 1]),
                        legend=alt.Legend(format=value_format)),
        tooltip=[alt.Tooltip(f"{y}:O", title=y_title), alt.Tooltip(f"{x}:O", title=x_title),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=value_format)])
    # A fixed step per row: the chart grows with the cohorts instead of squashing them into a fixed height.
    chart_height = height or alt.Step(HEATMAP_ROW_HEIGHT)
    if df[x].nunique() > HEATMAP_TEXT_COLUMNS:
        return themed(cells, chart_height)
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text(f"{value}:Q", format=value_format),
        color=alt.condition(f"datum['{value}'] > 0.5", alt.value("white"), alt.value("#212121")))
    return themed(alt.layer(cells, text), chart_height)


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


_FONTS_REGISTERED = False
#: Where Debian's fonts-noto-cjk puts its fonts: the PNGs need them for Chinese (vl-convert bundles none).
CJK_FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart rendered on the server as a PNG (vl-convert: no browser), for e-mail and other static places."""
    import os

    import vl_convert

    global _FONTS_REGISTERED
    if not _FONTS_REGISTERED:
        for folder in CJK_FONT_DIRS:
            if os.path.isdir(folder):
                vl_convert.register_font_directory(folder)
        _FONTS_REGISTERED = True
    return vl_convert.vegalite_to_png(chart.to_json(), scale=scale)
