"""Walmart weekly sales (45 stores): the shipped forecast vs three baselines on the last 13 weeks, all in one run.

Data: ../shared/data/real/walmart_weekly_sales_45stores.csv (143 weeks per store, dd/mm/yy week-ending Fridays).
Per store the last 13 weeks are held out; MASE = MAE / in-sample mean |y(t) - y(t-52)| of the 130 training weeks,
averaged over the 45 stores (the median is printed too). 80% interval coverage = share of held-out weeks inside.

Baselines: seasonal naive (the same week last year), 8-week moving average, default Prophet with yearly seasonality.
Shipped: forecasting.backtest.forecast_best, the per-series choice the on-demand forecast uses: for each store the
moving average, the seasonal naive and forecasting.demand.forecast's model (Prophet with the holidays, combined
with the level-adjusted seasonal naive) are backtested from two rolling origins inside the 130 training weeks, and
the lowest-MASE one forecasts the held-out weeks. Holidays: the file's Holiday_Flag weeks named by their US holiday
(Super Bowl, Labor Day, Thanksgiving, Christmas) plus the last shopping week before Christmas. Nothing here looks
at the held-out weeks before scoring them.
Run: .venv/bin/python bench/walmart.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting import backtest, demand, metrics

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT.parent / "shared" / "data" / "real" / "walmart_weekly_sales_45stores.csv"
HELD_OUT = 13
#: Holiday_Flag weeks by month -> the US holiday in them.
FLAG_NAMES = {2: "super_bowl", 9: "labor_day", 11: "thanksgiving", 12: "christmas"}


def load() -> pd.DataFrame:
    """Columns: store, ds (week-ending Friday), y (weekly sales), holiday_flag."""
    raw = pd.read_csv(DATA)
    return pd.DataFrame({"store": raw["Store"], "ds": pd.to_datetime(raw["Date"], format="%d/%m/%y"),
                         "y": raw["Weekly_Sales"].astype(float), "holiday_flag": raw["Holiday_Flag"] == 1})


def walmart_holidays(df: pd.DataFrame) -> pd.DataFrame:
    """Holiday_Flag weeks named by their holiday, plus the week before each Christmas week (Prophet's format)."""
    flagged = sorted(df.loc[df["holiday_flag"], "ds"].unique())
    rows = [(FLAG_NAMES[pd.Timestamp(d).month], pd.Timestamp(d)) for d in flagged]
    rows += [("pre_christmas", pd.Timestamp(d) - pd.Timedelta(days=7)) for d in flagged if pd.Timestamp(d).month == 12]
    return pd.DataFrame(rows, columns=["holiday", "ds"]).assign(lower_window=0, upper_window=0)


def default_prophet(train: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """Prophet as it comes, with yearly seasonality (weekly data: no weekly or daily terms)."""
    demand.quiet_prophet()
    from prophet import Prophet

    demand.quiet_prophet()  # importing prophet.forecaster sets its logger to INFO
    model = Prophet(yearly_seasonality=True)
    model.fit(train[["ds", "y"]])
    future = model.make_future_dataframe(periods=horizon, freq="7D", include_history=False)
    np.random.seed(0)
    return model.predict(future)[["ds", "yhat", "yhat_lower", "yhat_upper"]]


def score(test: pd.DataFrame, fc: pd.DataFrame, scale: float) -> dict:
    a = test["y"].to_numpy(float)
    f = fc["yhat"].to_numpy(float)
    return {"mase": float(metrics.mase(a, f, [scale])[0]), "smape": float(metrics.smape(a, f)[0]),
            "bias_pct": float(metrics.bias(a, f)[0] / a.mean()),
            "coverage": float(metrics.coverage(a, fc["yhat_lower"], fc["yhat_upper"])[0])}


def main() -> int:
    df = load()
    holidays = walmart_holidays(df)
    methods = {
        "seasonal naive (lag 52)": lambda tr: demand.forecast(tr, HELD_OUT, method="seasonal_naive", holidays=None),
        "8-week moving average": lambda tr: demand.forecast(tr, HELD_OUT, method="moving_average", holidays=None),
        "default Prophet, yearly": lambda tr: default_prophet(tr, HELD_OUT),
        "Prophet + holidays": lambda tr: demand.forecast(tr, HELD_OUT, method="prophet", holidays=holidays),
        "demand.forecast (auto)": lambda tr: demand.forecast(tr, HELD_OUT, holidays=holidays),
    }
    rows, seconds, chosen = [], dict.fromkeys([*methods, "shipped"], 0.0), []
    for store, g in df.groupby("store"):
        g = g.sort_values("ds")
        train, test = g.iloc[:-HELD_OUT][["ds", "y"]], g.iloc[-HELD_OUT:][["ds", "y"]]
        scale = float(metrics.naive_scale(train["y"].to_numpy(), 52)[0])
        for name, run in methods.items():
            t0 = time.perf_counter()
            fc = run(train)
            seconds[name] += time.perf_counter() - t0
            rows.append({"store": store, "method": name, **score(test, fc, scale)})
        t0 = time.perf_counter()
        fc, pick, _ = backtest.forecast_best(train, HELD_OUT, origins=2, holidays=holidays)
        seconds["shipped"] += time.perf_counter() - t0
        chosen.append(pick)
        rows.append({"store": store, "method": "shipped", **score(test, fc, scale)})
    table = pd.DataFrame(rows)
    summary = table.groupby("method", sort=False).agg(
        mase=("mase", "mean"), mase_median=("mase", "median"), smape=("smape", "mean"),
        bias_pct=("bias_pct", "mean"), coverage=("coverage", "mean"))
    default = summary.at["default Prophet, yearly", "mase"]
    print(f"Walmart weekly sales: {df['store'].nunique()} stores, last {HELD_OUT} weeks held out "
          f"({df['ds'].max() - pd.Timedelta(weeks=HELD_OUT - 1):%Y-%m-%d} .. {df['ds'].max():%Y-%m-%d})")
    print(f"{'method':<26}{'MASE mean':>10}{'median':>8}{'sMAPE':>8}{'bias':>8}{'80% cov':>9}"
          f"{'vs Prophet':>11}{'seconds':>9}")
    for name, r in summary.iterrows():
        print(f"{name:<26}{r.mase:>10.3f}{r.mase_median:>8.3f}{r.smape:>8.3f}{r.bias_pct:>+8.1%}{r.coverage:>9.1%}"
              f"{r.mase / default - 1:>+11.1%}{seconds[name]:>9.1f}")
    mix = pd.Series(chosen).value_counts()
    print("shipped choice per store (in-sample backtest): " + ", ".join(f"{k} {v}" for k, v in mix.items()))
    shipped = summary.loc["shipped"]
    best_baseline = summary.loc[["seasonal naive (lag 52)", "8-week moving average", "default Prophet, yearly"],
                                "mase"].min()
    checks = [("MASE <= 0.65", shipped.mase <= 0.65),
              ("at least 5% better than default Prophet", shipped.mase <= 0.95 * default),
              ("beats every baseline", shipped.mase < best_baseline),
              ("80% interval covers 70-90%", 0.70 <= shipped.coverage <= 0.90)]
    for label, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
