"""generate(): the whole demo shop as DataFrames named and shaped like the schema's tables."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from data_access.demo import config, customers, fulfilment, lines, market, marketing, stock
from data_access.demo.catalog import make_catalog
from data_access.demo.frames import assemble, conversion_drop_store, lost_to_conversion_drop
from data_access.demo.timeline import make_timeline
from data_access.demo.util import DAY

Progress = Callable[[str], None]


def default_end_date() -> date:
    return date.today() - timedelta(days=1)


def _quiet(_: str) -> None:
    return None


def generate(scale: str = "small", seed: int = 42, end_date: date | None = None,
             progress: Progress | None = None) -> dict[str, pd.DataFrame]:
    """The demo shop, deterministic for (scale, seed, end_date): table name -> DataFrame with the schema's columns.

    end_date is the last day of the 730-day history (default yesterday). progress receives one line per step.
    """
    if scale not in config.SCALES:
        raise ValueError(f"unknown scale {scale!r}: use one of {', '.join(config.SCALES)}")
    say = progress or _quiet
    sc = config.SCALES[scale]
    end = end_date or default_end_date()
    if isinstance(end, str):
        end = date.fromisoformat(end)
    started = time.perf_counter()

    def step(text: str) -> None:
        say(f"[{time.perf_counter() - started:5.1f}s] {text}")

    root = np.random.default_rng(seed)
    (r_cat, r_new, r_rep, r_camp, r_extra, r_crep, r_cancel, r_lines, r_stock, r_life, r_traffic, r_spend,
     r_reviews, r_tickets) = root.spawn(14)
    tl = make_timeline(end)
    cat = make_catalog(sc.n_stores, sc.n_products, r_cat)
    step(f"catalogue: {sc.n_stores} stores, {sc.n_products} products; history {tl.start} .. {tl.end}")

    expected = customers.expected_new_customers(tl, sc.target_orders)
    people, first = customers.first_orders(r_new, tl, cat, expected)
    repeat = customers.repeat_orders(r_rep, tl, cat, people, first["t"].to_numpy(), np.arange(len(people)))
    base = pd.concat([first, repeat], ignore_index=True)
    campaigns = marketing.schedule(r_camp, tl, cat.store_weight)
    extra_people, extra = marketing.extra_orders(r_extra, tl, cat, base, campaigns, len(people))
    # Customers a campaign acquired start their repeat purchases after it, so its window holds only the lift.
    ends = np.array([c.end for c in campaigns] or [0], dtype=np.int64)
    since = (ends[extra["campaign"].to_numpy()] + 1) * DAY
    extra_repeat = customers.repeat_orders(r_crep, tl, cat, extra_people, since,
                                           len(people) + np.arange(len(extra_people)))
    people = people.extend(extra_people)
    orders = pd.concat([base, extra, extra_repeat], ignore_index=True)
    orders = orders.sort_values("t", kind="stable", ignore_index=True)
    marketing.tag_orders(orders, campaigns)
    day = np.floor(orders["t"].to_numpy() / DAY).astype(np.int64)
    orders["cancelled"] = r_cancel.random(len(orders)) < 0.025 + 0.03 * tl.eventness[day]
    step(f"demand: {len(orders):,} orders from {len(people):,} customers, {len(campaigns)} campaigns")

    items = lines.make_lines(r_lines, tl, cat, orders)
    step(f"demand: {len(items):,} order lines")
    n_products = cat.category.size
    line_order = items["order"].to_numpy()
    base_rate = sc.target_orders / tl.total_factor[: tl.n_days].sum()
    drop_store = conversion_drop_store(cat)
    lost = lost_to_conversion_drop(day, orders["store"].to_numpy(), orders["channel"].to_numpy(), tl.n_days - 1,
                                   drop_store)
    # Their visitors still came: the traffic counts them.
    lost_visits = orders.loc[lost, ["t", "store", "channel", "campaign"]].reset_index(drop=True)
    result = stock.simulate(
        r_stock, tl, cat,
        line_cell=orders["store"].to_numpy()[line_order] * n_products + items["sku"].to_numpy(),
        line_day=day[line_order], line_time=orders["t"].to_numpy()[line_order],
        quantity=items["quantity"].to_numpy(), active=~(orders["cancelled"].to_numpy() | lost)[line_order],
        orders_per_day=base_rate * tl.total_factor * 0.97,
        mean_lines=lines.expected_lines_per_order(tl.eventness),
    )
    items = items[result.kept & ~lost[line_order]].reset_index(drop=True)
    has_lines = np.bincount(items["order"].to_numpy(), minlength=len(orders)) > 0
    new_index = np.cumsum(has_lines) - 1
    orders = orders[has_lines].reset_index(drop=True)
    items["order"] = new_index[items["order"].to_numpy()]
    step(f"stock: {(~result.kept).sum():,} lines lost to stock-outs, {lost.sum()} orders to the planted drop; "
         f"{len(orders):,} orders, {len(items):,} lines")

    region = people.region[orders["customer"].to_numpy()]
    store_region = cat.store_region[orders["store"].to_numpy()]
    life = fulfilment.simulate(r_life, tl, orders, region, store_region, items,
                               cat.category[items["sku"].to_numpy()])
    step("fulfilment: statuses, deliveries, returns")
    frames = assemble(tl, cat, people, orders, items, life, campaigns, result, drop_store, lost_visits,
                      rngs=dict(traffic=r_traffic, spend=r_spend, reviews=r_reviews, tickets=r_tickets), step=step)
    # A stream of its own, so the listings never shift what the other tables draw.
    frames["listings"] = market.listings_frame(np.random.default_rng([seed, 18]), end, frames["stores"],
                                               frames["products"], cat.popularity)
    step(f"market: {len(frames['listings']):,} listing snapshot rows")
    frames["demo_meta"] = pd.DataFrame({
        "key": ["seed", "scale", "end_date", "start_date", "history_days"],
        "value": [str(seed), scale, end.isoformat(), tl.start.isoformat(), str(tl.n_days)],
    })
    step("done")
    return frames
