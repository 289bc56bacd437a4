"""The digest's key charts as PNG images for its e-mail: why yesterday's net sales changed (the waterfall of
visitors x conversion x AOV) and the last 28 days' net sales against the week before, for the user's stores."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa

from components.alerts.charts import waterfall, waterfall_frame
from components.charts import to_png, trend_with_comparison
from components.i18n import kpi_label, translate
from data_access.alerts import queries as q
from data_access.filters import Filters

TREND_DAYS = 28


def digest_charts(engine: sa.Engine, day: date, scope: tuple[str, ...] | None, explanation: dict,
                  lang: str) -> list[dict]:
    """[{cid, title, png}] in the user's language: 'change' (the waterfall of `explanation`, alerts.explain's
    result for `day`) and 'trend' (daily net sales of the scope's last TREND_DAYS days, dashed a week earlier)."""
    net_sales = kpi_label("net_sales", lang)
    factors = [(translate(f"alerts.factor.{f['name']}", lang), f["contribution"]) for f in explanation["factors"]]
    frame = waterfall_frame(explanation["before"]["net_sales"], factors, translate("alerts.waterfall.before", lang),
                            translate("alerts.waterfall.after", lang))
    charts = [{"cid": "change", "title": translate("alerts.digest.chart.change", lang),
               "chart": waterfall(frame, net_sales).properties(width=520)}]
    daily = trend_frame(engine, day, scope)
    current = daily[daily["day"] > pd.Timestamp(day - timedelta(days=TREND_DAYS))]
    earlier = daily.assign(compare_x=daily["day"], day=daily["day"] + pd.Timedelta(days=7))
    earlier = earlier[earlier["day"].isin(current["day"])]
    charts.append({"cid": "trend", "title": translate("alerts.digest.chart.trend", lang, days=TREND_DAYS),
                   "chart": trend_with_comparison(
                       current, earlier, x="day", y="net_sales", y_title=net_sales,
                       current_label=translate("alerts.digest.chart.current", lang, days=TREND_DAYS),
                       comparison_label=translate("alerts.digest.chart.week_before", lang)).properties(width=520)})
    return [{"cid": c["cid"], "title": c["title"], "png": to_png(c["chart"])} for c in charts]


def trend_frame(engine: sa.Engine, day: date, scope: tuple[str, ...] | None) -> pd.DataFrame:
    """Net sales of every day from TREND_DAYS + 7 days before `day` to it, in the scope (0 where nothing sold).
    Columns: day (Timestamp), net_sales."""
    start = day - timedelta(days=TREND_DAYS + 6)
    df = q.store_daily(engine, Filters(start, day, scope))
    days = pd.date_range(start, day, freq="D")
    totals = (df.assign(day=pd.to_datetime(df["day"])).groupby("day")["net_sales"].sum() if not df.empty
              else pd.Series(dtype=float))
    return pd.DataFrame({"day": days, "net_sales": totals.reindex(days, fill_value=0.0).astype(float).to_numpy()})
