"""Print the demo shop's distribution figures (README, "Command-line tools"): build time of the frames and
forecasting.shop_health's stock and service figures. python -m bench.demo_health [--scales default] [--end-date D]"""

from __future__ import annotations

import time
from datetime import date

from bench.common import scale_args
from data_access.demo import generate
from data_access.satisfaction.sla import DEFAULT_SLA_TARGETS
from forecasting import shop_health


def main() -> None:
    parser = scale_args(__doc__, scales=("default",), runs=None)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=date.fromisoformat, default=date(2026, 12, 1))
    args = parser.parse_args()
    for scale in args.scales:
        show(scale, args.seed, args.end_date)


def show(scale: str, seed: int, end_date: date) -> None:
    started = time.perf_counter()
    frames = generate(scale, seed, end_date)
    print(f"generate({scale}): {time.perf_counter() - started:.1f} s")
    stock = shop_health.stock_figures(shop_health.stock_plan(frames))
    service = shop_health.service_figures(frames["tickets"], DEFAULT_SLA_TARGETS)
    print(f"series {stock['series']:,}: at risk {stock['share_at_risk']:.1%}, reorder {stock['share_reorder']:.1%}, "
          f"overstock {stock['share_overstock']:.1%}, out of stock {stock['share_out_of_stock']:.1%}")
    print(f"tickets: SLA met {service['sla_attainment']:.1%}; backlog {service['backlog']:,} open, age median "
          f"{service['backlog_median_days']:.1f} d, p90 {service['backlog_p90_days']:.1f} d, oldest "
          f"{service['backlog_max_days']:.1f} d")
    print(frames["demo_events"].to_string(index=False))


if __name__ == "__main__":
    main()
