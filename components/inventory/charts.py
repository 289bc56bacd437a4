"""Altair builders of the inventory page (pure: frames in, chart out), in the shared look of components.charts."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts import COMPARISON_COLOR, CURRENT_COLOR, DOWN_COLOR, themed

FORECAST_COLOR = "#1F77B4"


def demand_with_forecast(history: pd.DataFrame, forecast: pd.DataFrame, *, actual_label: str, forecast_label: str,
                         stockout_label: str, y_title: str, height: int = 280) -> alt.LayerChart:
    """Daily units sold (line), stock-out days (red points: demand there is censored), the forecast line and its
    80% band. history: ds, units, censored; forecast: ds, yhat, yhat_lower, yhat_upper."""
    domain = [actual_label, forecast_label, stockout_label]
    colors = alt.Scale(domain=domain, range=[COMPARISON_COLOR, FORECAST_COLOR, DOWN_COLOR])
    actual = history.assign(series=actual_label)
    fc = forecast.assign(series=forecast_label)
    x = alt.X("ds:T", title=None, axis=alt.Axis(format="%m-%d"))
    band = alt.Chart(fc).mark_area(opacity=0.25, color=FORECAST_COLOR).encode(
        x=x, y=alt.Y("yhat_lower:Q", title=y_title), y2="yhat_upper:Q",
        tooltip=[alt.Tooltip("ds:T", format="%Y-%m-%d"), alt.Tooltip("yhat_lower:Q", format=".1f"),
                 alt.Tooltip("yhat_upper:Q", format=".1f")])
    line = alt.Chart(fc).mark_line(strokeDash=[5, 3]).encode(
        x=x, y="yhat:Q", color=alt.Color("series:N", title=None, scale=colors),
        tooltip=[alt.Tooltip("ds:T", format="%Y-%m-%d"), alt.Tooltip("yhat:Q", format=".2f")])
    sold = alt.Chart(actual).mark_line(point=alt.OverlayMarkDef(size=12)).encode(
        x=x, y="units:Q", color=alt.Color("series:N", title=None, scale=colors),
        tooltip=[alt.Tooltip("ds:T", format="%Y-%m-%d"), alt.Tooltip("units:Q")])
    out = alt.Chart(actual[actual["censored"]].assign(series=stockout_label)).mark_point(
        shape="triangle-down", size=60, filled=True).encode(
        x=x, y="units:Q", color=alt.Color("series:N", title=None, scale=colors),
        tooltip=[alt.Tooltip("ds:T", format="%Y-%m-%d"), alt.Tooltip("units:Q")])
    return themed(alt.layer(band, line, sold, out), height)


def stock_projection(history: pd.DataFrame, projection: pd.DataFrame, reorder_point: float, *, stock_label: str,
                     projected_label: str, reorder_label: str, y_title: str, height: int = 240) -> alt.LayerChart:
    """Past on hand (solid), projected on hand if nothing arrives (dashed) and the reorder point (red rule).
    history: ds, on_hand; projection: ds, on_hand_projected."""
    past = history[["ds", "on_hand"]].dropna().rename(columns={"on_hand": "units"}).assign(series=stock_label)
    ahead = projection.rename(columns={"on_hand_projected": "units"}).assign(series=projected_label)
    lines = pd.concat([past, ahead], ignore_index=True)
    domain = [stock_label, projected_label, reorder_label]
    colors = alt.Scale(domain=domain, range=[COMPARISON_COLOR, FORECAST_COLOR, CURRENT_COLOR])
    stock = alt.Chart(lines).mark_line().encode(
        x=alt.X("ds:T", title=None, axis=alt.Axis(format="%m-%d")), y=alt.Y("units:Q", title=y_title),
        color=alt.Color("series:N", title=None, scale=colors),
        strokeDash=alt.StrokeDash("series:N", legend=None, scale=alt.Scale(domain=domain,
                                                                          range=[[1, 0], [5, 3], [2, 2]])),
        tooltip=[alt.Tooltip("ds:T", format="%Y-%m-%d"), alt.Tooltip("units:Q", format=".1f")])
    rule = alt.Chart(pd.DataFrame({"units": [float(reorder_point)], "series": [reorder_label]})).mark_rule(
        strokeDash=[2, 2], size=2).encode(y="units:Q", color=alt.Color("series:N", scale=colors),
                                          tooltip=[alt.Tooltip("units:Q", title=reorder_label, format=".1f")])
    return themed(alt.layer(stock, rule), height)
