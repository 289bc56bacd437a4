"""Campaign-effect trial panel: how often each estimator's 95% interval covers a planted lift, how often it calls a
placebo (no lift) significant, how often it finds +10/20/30%, and its seconds per call, in one run.

Trials are windows of series (synthetic shapes from a seeded generator, plus real series read from
/work/shared/data/real: Walmart weekly store sales with another store as the control, Olist daily orders of Sao Paulo
with the other states as the control), each run without and with its control, at planted lifts 0, 10, 20 and 30%
(the post-period's actual multiplied by 1 + lift; the control untouched). Estimators:

- estimate_effect: forecasting.campaign.estimate_effect as the page calls it;
- state-space (CausalImpact-style): statsmodels' UnobservedComponents, local level + weekly season + the control
  as regression, fitted on the pre-period, with its own model-based interval of the post-period's sum (no
  backtests): the method of Google's CausalImpact, as the baseline.

Figures are shares over the trials (coverage over every lift, false positives at lift 0, power at each lift) and
the median seconds per call; the load average is printed because the machine is shared.
Run: .venv/bin/python -m bench.campaign_trials [--trials 24] [--seed 7] [--only estimate_effect]
"""

from __future__ import annotations

import argparse
import time
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import load_average
from forecasting.campaign import estimate_effect
from forecasting.campaign_state_space import state_space_forecast
from forecasting.shop_calendar import black_friday, china_holidays, shop_calendar

ROOT = Path(__file__).resolve().parent.parent

REAL = Path("/work/shared/data/real")
LIFTS = (0.0, 0.1, 0.2, 0.3)
SHAPES = ("weekly", "yearly_trend", "level_shift", "heavy_noise", "holiday_in_post", "january_short",
          "july_short", "weekly_data")


@dataclass
class Trial:
    """One window: series ds, y (lift not yet planted), control ds, control, and the two periods."""

    name: str
    series: pd.DataFrame
    control: pd.DataFrame
    pre: tuple[pd.Timestamp, pd.Timestamp]
    post: tuple[pd.Timestamp, pd.Timestamp]
    #: the shop's calendar estimate_effect is given ("china", or a frame in Prophet's format)
    holidays: object = "china"


def synthetic(shape: str, rng: np.random.Generator) -> Trial:
    """A series of the shape with a control sharing its market-wide movements (not the lift)."""
    weekly = shape == "weekly_data"
    step = 7 if weekly else 1
    pre_n = {"january_short": 28, "july_short": 28, "weekly_data": 78}.get(shape, int(rng.integers(90, 240)))
    post_n = 8 if weekly else int(rng.choice([14, 21, 28]))
    if shape == "january_short":
        start = pd.Timestamp(f"{int(rng.integers(2021, 2025))}-01-01") + pd.Timedelta(days=int(rng.integers(0, 10)))
    elif shape == "july_short":
        start = pd.Timestamp(f"{int(rng.integers(2021, 2025))}-07-01") + pd.Timedelta(days=int(rng.integers(0, 10)))
    elif shape == "holiday_in_post":  # the post-period holds Double 11's run-up and day, the pre-period none
        year = int(rng.integers(2021, 2025))
        post_start = pd.Timestamp(f"{year}-11-11") - pd.Timedelta(days=int(rng.integers(3, post_n - 2)))
        start = post_start - pd.Timedelta(days=pre_n)
    else:
        start = pd.Timestamp("2021-01-04") + pd.Timedelta(days=int(rng.integers(0, 900)))
    n = pre_n + post_n
    ds = pd.date_range(start, periods=n, freq=f"{step}D")
    t = np.arange(n) * step
    level = float(rng.uniform(80, 400))
    market = np.cumsum(rng.normal(0, 0.01, n))  # market-wide drift both series share
    season = 0.0 if weekly else 0.15 * np.sin(2 * np.pi * (ds.dayofweek.to_numpy() + 2) / 7)
    season = season + (0.2 if shape in ("yearly_trend", "weekly_data") else 0.08) * np.sin(2 * np.pi * t / 365.25)
    trend = (0.0015 if shape == "yearly_trend" else 0.0003) * t
    shift = np.where(np.arange(n) >= pre_n // 2, 0.25, 0.0) if shape == "level_shift" else 0.0
    spikes = _holiday_effect(ds, weekly) if shape in ("holiday_in_post", "january_short") else 0.0
    log_mean = season + trend + shift + market + spikes
    noise_sd = 0.25 if shape == "heavy_noise" else 0.08
    noise = _ar1(rng, n, noise_sd)
    y = level * np.exp(log_mean + noise) * (step if weekly else 1)
    control = 0.8 * level * np.exp(log_mean + _ar1(rng, n, noise_sd * 0.7)) * (step if weekly else 1)
    return Trial(shape, pd.DataFrame({"ds": ds, "y": y}), pd.DataFrame({"ds": ds, "control": control}),
                 (ds[0], ds[pre_n - 1]), (ds[pre_n], ds[-1]))


def _ar1(rng: np.random.Generator, n: int, sd: float, phi: float = 0.4) -> np.ndarray:
    e = rng.normal(0, sd * np.sqrt(1 - phi ** 2), n)
    out = np.empty(n)
    out[0] = rng.normal(0, sd)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + e[i]
    return out


def _holiday_effect(ds: pd.DatetimeIndex, weekly: bool) -> np.ndarray:
    """Log effect of the shop calendar's events: Double 11 / 618 / Double 12 spikes, the Spring Festival slump."""
    calendar = china_holidays(ds[0].date(), ds[-1].date())
    effect = np.zeros(len(ds))
    size = {"double_11": 0.8, "618": 0.4, "double_12": 0.3, "spring_festival": -0.5}
    for row in calendar.itertuples(index=False):
        if row.holiday not in size:
            continue
        first = row.ds + pd.Timedelta(days=int(row.lower_window))
        last = row.ds + pd.Timedelta(days=int(row.upper_window))
        peak = (ds >= row.ds - pd.Timedelta(days=2)) & (ds <= last)
        effect[peak] += size[row.holiday]
        effect[(ds >= first) & ~peak & (ds <= last)] += size[row.holiday] * 0.3
    return effect


def real_trials(rng: np.random.Generator, count: int) -> list[Trial]:
    """Windows of Walmart weekly store sales (another store as the control) and Olist daily Sao Paulo orders
    (orders of the other states as the control)."""
    walmart = pd.read_csv(REAL / "walmart_weekly_sales_45stores.csv")
    walmart["ds"] = pd.to_datetime(walmart["Date"], format="%d/%m/%y")
    wide = walmart.pivot_table(index="ds", columns="Store", values="Weekly_Sales").sort_index()
    orders = pd.read_csv(REAL / "olist4k_orders.csv", usecols=["customer_id", "order_purchase_timestamp"])
    customers = pd.read_csv(REAL / "olist4k_customers.csv", usecols=["customer_id", "customer_state"])
    orders = orders.merge(customers, on="customer_id")
    orders["ds"] = pd.to_datetime(orders["order_purchase_timestamp"]).dt.normalize()
    orders["sp"] = orders["customer_state"] == "SP"
    daily = orders.groupby(["ds", "sp"]).size().unstack(fill_value=0)
    daily = daily.reindex(pd.date_range("2017-03-01", "2018-07-31"), fill_value=0)
    # a Brazilian shop's calendar: its public holidays and Black Friday (the shop events of a Chinese shop would
    # miss Olist's biggest day)
    brazil = shop_calendar(date(2017, 1, 1), date(2018, 12, 31), country="BR",
                           events=black_friday(date(2017, 1, 1), date(2018, 12, 31)))
    out = []
    for i in range(count):
        if i % 2 == 0:
            store, other = (int(s) for s in rng.choice(wide.columns, 2, replace=False))
            pre_n, post_n = int(rng.integers(40, 90)), 8
            first = int(rng.integers(0, len(wide) - pre_n - post_n))
            part = wide.iloc[first: first + pre_n + post_n]
            out.append(Trial("walmart_weekly", pd.DataFrame({"ds": part.index, "y": part[store].to_numpy()}),
                             pd.DataFrame({"ds": part.index, "control": part[other].to_numpy()}),
                             (part.index[0], part.index[pre_n - 1]), (part.index[pre_n], part.index[-1])))
        else:
            pre_n, post_n = int(rng.integers(90, 200)), int(rng.choice([21, 28]))
            first = int(rng.integers(0, len(daily) - pre_n - post_n))
            part = daily.iloc[first: first + pre_n + post_n]
            out.append(Trial("olist_daily", pd.DataFrame({"ds": part.index, "y": part[True].to_numpy(float)}),
                             pd.DataFrame({"ds": part.index, "control": part[False].to_numpy(float)}),
                             (part.index[0], part.index[pre_n - 1]), (part.index[pre_n], part.index[-1]),
                             brazil))
    return out


def lifted(trial: Trial, lift: float) -> pd.DataFrame:
    series = trial.series.copy()
    post = series["ds"].between(*trial.post)
    series.loc[post, "y"] = series.loc[post, "y"] * (1 + lift)
    return series


def run_estimate_effect(series, trial, control, model="regression"):
    r = estimate_effect(series, trial.pre, trial.post, controls=trial.control if control else None, model=model,
                        holidays=trial.holidays)
    # what the marketer is told: a lift or drop only when the verdict says so (not when it is "too short to judge")
    return r.relative_lower, r.relative_upper, r.verdict in ("increase", "decrease"), r.verdict == "too_short"


def run_state_space(series, trial, control):
    """CausalImpact's recipe: fit on the pre-period, the model's own 95% interval of the post-period's sum."""
    frame = series.merge(trial.control, on="ds")
    pre, post = frame[frame["ds"].between(*trial.pre)], frame[frame["ds"].between(*trial.post)]
    daily = (frame["ds"].iloc[1] - frame["ds"].iloc[0]).days == 1
    mean, se = state_space_forecast(pre, post, ["control"] if control else [], daily)
    predicted, actual, half = float(mean.sum()), float(post["y"].sum()), 1.96 * float(se[-1])
    significant = abs(actual - predicted) > half
    lower = actual / (predicted + half) - 1
    upper = actual / (predicted - half) - 1 if predicted > half else np.inf
    return lower, upper, bool(significant), False


def run_prophet(series, trial, control):
    return run_estimate_effect(series, trial, control, model="prophet")


ESTIMATORS = {"estimate_effect": run_estimate_effect, "state-space (CausalImpact-style)": run_state_space}
#: Opt-in (--only): the Prophet counterfactual estimate_effect offers as model="prophet" (seconds per call).
OPTIONAL = {"estimate_effect model=prophet": run_prophet}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=24, help="windows (each run with and without its control)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=[*ESTIMATORS, *OPTIONAL], help="run one estimator")
    parser.add_argument("--shapes", help="comma-separated shapes (real series included unless left out)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    rng = np.random.default_rng(args.seed)
    shapes = args.shapes.split(",") if args.shapes else list(SHAPES) + ["real"]
    synthetic_shapes = [s for s in shapes if s in SHAPES]
    n_real = args.trials // 4 if "real" in shapes else 0
    trials = [synthetic(synthetic_shapes[i % len(synthetic_shapes)], rng)
              for i in range(args.trials - n_real)] if synthetic_shapes else []
    trials += real_trials(rng, n_real)
    estimators = {args.only: {**ESTIMATORS, **OPTIONAL}[args.only]} if args.only else ESTIMATORS
    rows = []
    for trial in trials:
        for control in (False, True):
            for lift in LIFTS:
                series = lifted(trial, lift)
                for name, run in estimators.items():
                    began, cpu = time.perf_counter(), time.process_time()
                    lower, upper, significant, too_short = run(series, trial, control)
                    rows.append({"estimator": name, "control": control, "shape": trial.name, "lift": lift,
                                 "covered": bool(lower <= lift <= upper), "significant": significant,
                                 "too_short": too_short, "seconds": time.perf_counter() - began,
                                 "cpu_seconds": time.process_time() - cpu})
    table = pd.DataFrame(rows)
    print(f"{len(trials)} windows x 2 (without / with control) x {len(LIFTS)} lifts; {load_average()}")
    print(summary(table, ["estimator", "control"]).to_string())
    print("\nby shape (both control settings):")
    print(summary(table, ["estimator", "shape"]).to_string())


def summary(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    def one(g: pd.DataFrame) -> pd.Series:
        placebo = g[g["lift"] == 0]
        out = {"coverage_95": g["covered"].mean(), "placebo_significant": placebo["significant"].mean()}
        for lift in LIFTS[1:]:
            out[f"power_+{lift:.0%}"] = g.loc[g["lift"] == lift, "significant"].mean()
        out["too_short"] = g["too_short"].mean()
        out["s_per_call"] = g["seconds"].median()
        out["cpu_s_per_call"] = g["cpu_seconds"].median()
        out["n"] = len(placebo)
        return pd.Series(out)

    rows = {key: one(g) for key, g in table.groupby(by)}
    frame = pd.DataFrame(rows).T
    frame.index.names = by
    return frame.round(3)


if __name__ == "__main__":
    main()
