"""Charts of the alerts area: the waterfall of a sales change (pure: data -> alt.Chart)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts import DOWN_COLOR, PALETTE, UP_COLOR, label_axis, themed

#: Totals in a neutral colour: the shop's red is also the colour of a fall.
TOTAL_COLOR = PALETTE[1]


def waterfall_frame(before: float, factors: list[tuple[str, float]], before_label: str,
                    after_label: str) -> pd.DataFrame:
    """One row per bar: label, start, end, kind ('total', 'up', 'down'), value, order. The factor bars float from
    the running total, so the last total equals before + the sum of the factors."""
    rows = [{"label": before_label, "start": 0.0, "end": before, "kind": "total", "value": before}]
    running = before
    for name, value in factors:
        rows.append({"label": name, "start": running, "end": running + value,
                     "kind": "up" if value >= 0 else "down", "value": value})
        running += value
    rows.append({"label": after_label, "start": 0.0, "end": running, "kind": "total", "value": running})
    df = pd.DataFrame(rows)
    df["order"] = range(len(df))
    return df


def waterfall(df: pd.DataFrame, value_title: str, value_format: str = ",.0f", height: int = 280) -> alt.Chart:
    """Bars from start to end in order; totals blue, rises green, falls red."""
    color = alt.Color("kind:N", scale=alt.Scale(domain=["total", "up", "down"],
                                               range=[TOTAL_COLOR, UP_COLOR, DOWN_COLOR]), legend=None)
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("label:N", sort=alt.EncodingSortField("order"), title=None, axis=label_axis(14, labelAngle=0)),
        y=alt.Y("start:Q", title=value_title, axis=alt.Axis(format=value_format)),
        y2="end:Q",
        color=color,
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", format=value_format)],
    )
    return themed(chart, height)
