"""Web/app traffic per day, store and channel, consistent with the orders it converted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.demo import config
from data_access.demo.catalog import Catalog
from data_access.demo.timeline import Timeline
from data_access.demo.util import days, take


def traffic_frame(rng: np.random.Generator, tl: Timeline, cat: Catalog, order_day: np.ndarray,
                  order_store: np.ndarray, order_channel: np.ndarray, order_campaign: np.ndarray) -> pd.DataFrame:
    """Columns: day, store_id, channel, sessions, product_views, add_to_carts, checkouts.

    One row per (day, store, channel) with orders; sessions = orders / the channel's conversion rate
    with day-to-day noise, and the funnel narrows strictly: sessions > views > carts > checkouts >= orders.
    Campaign days bring extra, less convertible sessions (the clicks the budget bought).
    The orders given are the visits that meant to buy: the planted conversion drop's lost orders are among them
    (frames.lost_to_conversion_drop), so their sessions stay while the orders table lacks them.
    """
    n_stores, n_channels = cat.store_weight.size, len(config.CHANNEL_IDS)
    key = (order_day * n_stores + order_store) * n_channels + order_channel
    keys, orders = np.unique(key, return_counts=True)
    in_campaign = np.bincount(np.searchsorted(keys, key), weights=order_campaign >= 0, minlength=keys.size) > 0
    channel = keys % n_channels
    store = (keys // n_channels) % n_stores
    day = keys // (n_channels * n_stores)
    n = keys.size
    conversion = np.array([config.CONVERSION[c] for c in config.CHANNEL_IDS])[channel]
    conversion = conversion * rng.lognormal(0, 0.15, n) / np.where(in_campaign, 1.35, 1.0)
    sessions = np.maximum(np.round(orders / conversion), orders + 3)
    checkouts = np.ceil(orders * rng.uniform(1.15, 1.6, n))
    views = np.round(sessions * rng.uniform(0.45, 0.7, n))
    carts = np.maximum(np.round(views * rng.uniform(0.12, 0.25, n)), checkouts + 1)
    views = np.maximum(views, carts + 1)
    sessions = np.maximum(sessions, views + 1)
    return pd.DataFrame({
        "day": days(day, tl.start),
        "store_id": take(cat.stores["store_id"], store),
        "channel": take(config.CHANNEL_IDS, channel),
        "sessions": sessions.astype(np.int64),
        "product_views": views.astype(np.int64),
        "add_to_carts": carts.astype(np.int64),
        "checkouts": checkouts.astype(np.int64),
    })
