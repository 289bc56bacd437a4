"""Order lines: basket size, category by season, SKU by popularity, quantities and discounts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.demo.catalog import Catalog
from data_access.demo.timeline import Timeline
from data_access.demo.util import money

MAX_LINES = 8
MAX_QUANTITY = 6


def draw_categories(rng: np.random.Generator, tl: Timeline, day: np.ndarray) -> np.ndarray:
    """A category per line from the day's seasonal category shares (one pass per category, little memory)."""
    u = rng.random(day.size)
    cdf = np.cumsum(tl.category_share, axis=1)
    category = np.zeros(day.size, dtype=np.int64)
    for k in range(cdf.shape[1] - 1):
        category += u >= cdf[day, k]
    return category


def draw_skus(rng: np.random.Generator, cat: Catalog, category: np.ndarray) -> np.ndarray:
    """A product of each line's category, drawn by popularity (popularity sums to 1 within a category)."""
    perm = np.lexsort((np.arange(cat.category.size), cat.category))
    cum = np.cumsum(cat.popularity[perm])
    # Category c occupies [c, c + 1) of the cumulative weights, as each category's weights sum to 1.
    offsets = np.concatenate([[0.0], np.cumsum(np.bincount(cat.category, weights=cat.popularity))])
    pos = offsets[category] + rng.random(category.size) * (offsets[category + 1] - offsets[category])
    return perm[np.minimum(np.searchsorted(cum, pos, side="right"), perm.size - 1)]


def expected_lines_per_order(eventness: np.ndarray) -> np.ndarray:
    """Mean basket size: shoppers fill bigger baskets on event days."""
    return 1 + 0.85 + 0.7 * eventness


def make_lines(rng: np.random.Generator, tl: Timeline, cat: Catalog, orders: pd.DataFrame) -> pd.DataFrame:
    """Lines of the working orders. Columns: order (row of orders), sku (index), quantity, unit_price, discount.

    Discounts are deeper and more frequent around the shopping events, and campaign orders carry a coupon.
    """
    size_rng, cat_rng, sku_rng, qty_rng, disc_rng = rng.spawn(5)
    day = tl.day_of(orders["t"].to_numpy())
    eventness = tl.eventness[day]
    n_lines = np.minimum(1 + size_rng.poisson(expected_lines_per_order(eventness) - 1), MAX_LINES)
    order = np.repeat(np.arange(len(orders)), n_lines)
    line_day = day[order]
    sku = draw_skus(sku_rng, cat, draw_categories(cat_rng, tl, line_day))
    quantity = np.minimum(1 + qty_rng.poisson(cat.qty_extra[sku]), MAX_QUANTITY)
    price = cat.price[sku]
    e = eventness[order]
    campaign = orders["campaign"].to_numpy()[order] >= 0
    u = disc_rng.random(order.size)
    pct = np.zeros(order.size)
    everyday = u < 0.22
    pct[everyday] = disc_rng.uniform(0.03, 0.12, int(everyday.sum()))
    coupon = campaign & (disc_rng.random(order.size) < 0.5)
    pct[coupon] = np.maximum(pct[coupon], disc_rng.uniform(0.08, 0.2, int(coupon.sum())))
    event = disc_rng.random(order.size) < 0.2 + 0.7 * e
    event &= e > 0.02
    pct[event] = np.maximum(pct[event], disc_rng.uniform(0.05, 0.15, int(event.sum())) + 0.25 * e[event])
    return pd.DataFrame({
        "order": order,
        "sku": sku,
        "quantity": quantity.astype(np.int64),
        "unit_price": price,
        "discount": money(quantity * price * pct),
    })
