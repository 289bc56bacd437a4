"""Campaign-effect benchmark: estimate_effect's time per campaign and how well it recovers the demo's planted lifts.

Builds the demo database once under bench/results/ (as bench/queries.py does; reused afterwards), then for every
planted campaign estimates the effect on the orders of its channel in its stores, without and with the other
channels of those stores as a control, plus placebo windows (same length, just before the campaign, no lift).
Prints the time per estimate (median, p90) against a baseline in the same run (one Prophet fit with in-sample
calibration only, no backtests), the recovery table, the placebo results and the load average (the machine is
shared, so absolute times move with it).
Run: .venv/bin/python -m bench.campaign [--scales default] [--placebos 2]
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import load_average, scale_args
from bench.queries import ensure_db
from data_access.engine import create_engine
from forecasting import campaign_model
from forecasting.campaign import estimate_effect
from tests.support import campaign_demo

ROOT = Path(__file__).resolve().parent.parent


def timing(seconds: pd.Series) -> str:
    return f"median {seconds.median():.2f} s, p90 {seconds.quantile(0.9):.2f} s over {seconds.size} estimates"


def warm_up() -> None:
    """One estimate on a made-up series, so Prophet's import and first fit are not in the timings."""
    days = pd.date_range("2024-01-01", periods=90)
    series = pd.DataFrame({"ds": days, "y": 50 + 5 * np.sin(np.arange(90))})
    estimate_effect(series, (days[0], days[79]), (days[80], days[89]))


def without_backtests(engine, placebos: int) -> pd.DataFrame:
    """The baseline: the same cases with the backtests switched off (one Prophet fit each)."""
    saved = campaign_model.MAX_BACKTESTS
    campaign_model.MAX_BACKTESTS = 0
    try:
        return campaign_demo.evaluate(engine, with_controls=False, placebos=placebos)
    finally:
        campaign_model.MAX_BACKTESTS = saved


def recovery_table(table: pd.DataFrame) -> str:
    rows = table[table["kind"] == "campaign"]
    return pd.DataFrame({
        "campaign": rows["campaign_id"], "channel": rows["channel"], "stores": rows["stores"],
        "days": [(e - s).days + 1 for s, e in zip(rows["start"], rows["end"], strict=True)],
        "planted": rows["true_lift"].map("{:+.0%}".format),
        "estimate": rows["relative_lift"].map("{:+.0%}".format),
        "interval": [f"[{lo:+.0%}, {hi:+.0%}]" for lo, hi in zip(rows["relative_lower"], rows["relative_upper"],
                                                                  strict=True)],
        "p": rows["p_value"].map("{:.3f}".format), "covered": rows["covered"].map({True: "yes", False: "NO"}),
    }).to_string(index=False)


def placebo_table(table: pd.DataFrame) -> str:
    rows = table[table["kind"] == "placebo"]
    return pd.DataFrame({
        "campaign": rows["campaign_id"], "window": [f"{s} .. {e}" for s, e in zip(rows["start"], rows["end"],
                                                                                   strict=True)],
        "estimate": rows["relative_lift"].map("{:+.0%}".format),
        "interval": [f"[{lo:+.0%}, {hi:+.0%}]" for lo, hi in zip(rows["relative_lower"], rows["relative_upper"],
                                                                  strict=True)],
        "p": rows["p_value"].map("{:.3f}".format),
        "significant": rows["significant"].map({True: "YES", False: "no"}),
    }).to_string(index=False)


def summary(table: pd.DataFrame) -> str:
    campaigns = table[table["kind"] == "campaign"]
    placebos = table[(table["kind"] == "placebo") | (table["true_lift"] == 0)]
    strong = campaigns[campaigns["true_lift"] >= 0.5]
    return (f"planted lift inside the interval: {campaigns['covered'].mean():.0%} of {len(campaigns)} campaigns; "
            f"placebos with p >= 0.05: {(placebos['p_value'] >= 0.05).mean():.0%} of {len(placebos)} "
            f"(shifted windows and zero-lift campaigns); lifts >= 50% found significant: "
            f"{strong['significant'].mean():.0%} of {len(strong)}")


def main() -> None:
    parser = scale_args(__doc__.splitlines()[0], scales=("default",), runs=None)
    parser.add_argument("--placebos", type=int, default=2, help="placebo windows per campaign")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=FutureWarning)
    for scale in args.scales:
        bench_scale(scale, args.placebos)


def bench_scale(scale: str, placebos: int) -> None:
    print(f"{scale} demo shop; {load_average()}")
    engine = create_engine(ensure_db(scale))
    warm_up()
    results = {}
    for name, controls in (("no controls", False), ("other channels as control", True)):
        results[name] = campaign_demo.evaluate(engine, with_controls=controls, placebos=placebos)
    baseline = without_backtests(engine, placebos)
    print(f"\ntime per estimate ({load_average()}):")
    base = baseline["seconds"].median()
    print(f"  baseline, one Prophet fit, no backtests: {timing(baseline['seconds'])}")
    for name, table in results.items():
        ratio = table["seconds"].median() / base
        print(f"  estimate_effect, {name}: {timing(table['seconds'])} ({ratio:.1f}x the baseline)")
    for name, table in results.items():
        print(f"\n== {name}: {summary(table)}\n{recovery_table(table)}\n\nplacebo windows:\n{placebo_table(table)}")
    no_backtest_fp = np.mean(baseline.loc[baseline["kind"] == "placebo", "p_value"] < 0.05)
    print(f"\nfor comparison, without backtests (in-sample calibration only): {summary(baseline)}; "
          f"placebo false positives {no_backtest_fp:.0%}")
    print(f"\n{load_average()}")
    engine.dispose()


if __name__ == "__main__":
    main()
