"""Customers and their orders: Poisson acquisition, then a Pareto/NBD-like repeat-purchase process."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.demo import config, text
from data_access.demo.catalog import Catalog
from data_access.demo.timeline import Timeline
from data_access.demo.util import DAY, choice

CITIES = [city for cities in text.REGION_CITIES.values() for city in cities]
_CITY_REGION = np.array([text.REGIONS.index(r) for r, cities in text.REGION_CITIES.items() for _ in cities])
OFFLINE = config.CHANNEL_IDS.index("offline")


@dataclass
class Customers:
    """Customer attributes, one entry per customer index."""

    home_store: np.ndarray
    region: np.ndarray  # index into text.REGIONS
    city: np.ndarray  # index into CITIES
    rate: np.ndarray  # repeat purchases per ordinary day while active
    lifetime: np.ndarray  # days active after the first order

    def __len__(self) -> int:
        return self.home_store.size

    def extend(self, other: Customers) -> Customers:
        return Customers(*(np.concatenate([getattr(self, f), getattr(other, f)]) for f in self.__dataclass_fields__))


def order_frame(t, store, channel, customer, extra=False) -> pd.DataFrame:
    """The working order table: seconds since the start of history, store/channel/customer indices."""
    n = len(t)
    return pd.DataFrame({
        "t": np.asarray(t, dtype=float), "store": np.asarray(store, dtype=np.int64),
        "channel": np.asarray(channel, dtype=np.int64), "customer": np.asarray(customer, dtype=np.int64),
        "campaign": np.full(n, -1, dtype=np.int64), "extra": np.full(n, extra, dtype=bool),
    })


def _survival(age_days: np.ndarray) -> np.ndarray:
    """Share of customers still active age days after their first order (Gamma-mixed exponential lifetime)."""
    return (config.DROPOUT_RATE / (config.DROPOUT_RATE + age_days)) ** config.DROPOUT_SHAPE


def expected_new_customers(tl: Timeline, target_orders: float) -> np.ndarray:
    """New customers per day such that first orders plus expected repeats follow the target demand curve."""
    n = tl.n_days
    base = target_orders / tl.total_factor[:n].sum()
    target = base * tl.total_factor[:n]
    survival = _survival(np.arange(n + 1, dtype=float))
    new = np.zeros(n)
    for day in range(n):
        # Active customers acquired on earlier days, weighted by how many are still active.
        active = new[:day][::-1] @ survival[1 : day + 1] if day else 0.0
        repeats = config.RATE_MEAN * tl.repeat_factor[day] * active
        new[day] = max(target[day] - repeats, 0.1 * target[day])
    return new


def make_customers(rng: np.random.Generator, cat: Catalog, home_store: np.ndarray) -> Customers:
    """Attributes of new customers of the given home stores: where they live and how often they buy."""
    n = home_store.size
    store_region = cat.store_region[home_store]
    local = rng.random(n) < 0.85
    region = np.where(local, store_region, rng.integers(0, len(text.REGIONS), n))
    # Within the region: the store's own city half the time, else any city of the region.
    store_city = np.array([CITIES.index(c) for c in cat.stores["city"]])[home_store]
    city = np.empty(n, dtype=np.int64)
    for r in range(len(text.REGIONS)):
        in_r = np.flatnonzero(_CITY_REGION == r)
        mask = region == r
        city[mask] = rng.choice(in_r, int(mask.sum()))
    same_city = local & (rng.random(n) < 0.5)
    city[same_city] = store_city[same_city]
    rate = rng.gamma(config.RATE_SHAPE, config.RATE_MEAN / config.RATE_SHAPE, n)
    dropout = rng.gamma(config.DROPOUT_SHAPE, 1 / config.DROPOUT_RATE, n)
    lifetime = rng.exponential(1 / dropout)
    return Customers(home_store=home_store, region=region, city=city, rate=rate, lifetime=lifetime)


def first_orders(rng: np.random.Generator, tl: Timeline, cat: Catalog, expected: np.ndarray
                 ) -> tuple[Customers, pd.DataFrame]:
    """Newly acquired customers and their first orders (acquisition channel mix)."""
    attr_rng, time_rng, channel_rng, store_rng = rng.spawn(4)
    per_day = rng.poisson(expected)
    day = np.repeat(np.arange(tl.n_days), per_day)
    n = day.size
    home = choice(store_rng, cat.store_weight, n)
    customers = make_customers(attr_rng, cat, home)
    channel = choice(channel_rng, config.ACQUISITION_MIX, n)
    t = tl.sample_seconds(time_rng, day, channel == OFFLINE)
    order = np.argsort(t, kind="stable")  # customer ids in order of acquisition
    customers = Customers(*(getattr(customers, f)[order] for f in Customers.__dataclass_fields__))
    return customers, order_frame(t[order], home[order], channel[order], np.arange(n))


def repeat_orders(rng: np.random.Generator, tl: Timeline, cat: Catalog, customers: Customers,
                  since: np.ndarray, ids: np.ndarray) -> pd.DataFrame:
    """Repeat orders of customers active from `since` (seconds) for their lifetime, following the seasonality.

    The count is Poisson(rate x integral of the daily demand shape); times are drawn by inverting that integral.
    """
    count_rng, time_rng, hour_rng, channel_rng, store_rng = rng.spawn(5)
    n_days = tl.n_days
    grid = np.arange(n_days + 1, dtype=float)
    cum = np.concatenate([[0.0], np.cumsum(tl.repeat_factor[:n_days])])
    begin = since / DAY
    stop = np.minimum(begin + customers.lifetime, n_days)
    lo, hi = np.interp(begin, grid, cum), np.interp(np.maximum(stop, begin), grid, cum)
    k = count_rng.poisson(customers.rate * (hi - lo))
    who = np.repeat(np.arange(k.size), k)
    u = lo[who] + time_rng.random(who.size) * (hi - lo)[who]
    day = np.minimum(np.floor(np.interp(u, cum, grid)).astype(np.int64), n_days - 1)
    channel = choice(channel_rng, config.REPEAT_MIX, who.size)
    t = tl.sample_seconds(hour_rng, day, channel == OFFLINE)
    t = np.maximum(t, since[who] + 600.0)  # same-day repeats come after the first order
    keep = t < n_days * DAY
    home = customers.home_store[who]
    away = store_rng.random(who.size) > config.HOME_STORE_SHARE
    store = np.where(away, choice(store_rng, cat.store_weight, who.size), home)
    return order_frame(t[keep], store[keep], channel[keep], ids[who][keep])
