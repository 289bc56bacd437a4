"""Stores and products of the demo shop (sizes, price tiers, suppliers, heavy-tailed popularity)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.demo import text
from data_access.demo.util import ids, money


@dataclass
class Catalog:
    """Stores and products as frames plus the arrays the simulation needs (indexed like the frames)."""

    stores: pd.DataFrame
    store_weight: np.ndarray  # share of orders per store
    store_region: np.ndarray  # region index per store
    products: pd.DataFrame
    category: np.ndarray  # category index per product
    popularity: np.ndarray  # share of its category's lines per product
    qty_extra: np.ndarray  # mean extra units per line (quantity = 1 + Poisson)
    lead_time: np.ndarray  # days
    delay_prob: np.ndarray  # chance a delivery from the supplier is late
    lot_days: np.ndarray  # smallest order the buyer places, in days of demand (supplier minimums, freight)
    price: np.ndarray
    cost: np.ndarray


CATEGORY_NAMES = list(text.CATEGORIES)
EDITIONS = [("", ""), ("Premium", "臻选"), ("Eco", "环保")]
EDITION_PRICE = [1.0, 1.6, 1.15]


def make_stores(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rows = text.STORES[:n]
    frame = pd.DataFrame({
        "store_id": ids("S", n, 2),
        "name": [r[0] for r in rows],
        "name_zh": [r[1] for r in rows],
        "region": [r[2] for r in rows],
        "city": [r[3] for r in rows],
    })
    size = np.array([r[4] for r in rows]) * rng.uniform(0.9, 1.1, n)
    region = np.array([text.REGIONS.index(r[2]) for r in rows])
    return frame, size / size.sum(), region


def _price_points(raw: np.ndarray) -> np.ndarray:
    """Shop-like prices: x9.9 under 100, whole 9s above."""
    low = np.maximum(np.round(raw / 10) * 10 - 0.1, 9.9)
    high = np.round(raw / 10) * 10 - 1
    return np.where(raw < 100, low, high)


def make_products(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    shares = np.array([c[0] for c in text.CATEGORIES.values()])
    counts = np.maximum(np.round(shares * n).astype(int), 3)
    counts[0] += n - counts.sum()
    names, names_zh, cats, suppliers, lead, delay, prices, costs, qty = [], [], [], [], [], [], [], [], []
    for ci, (cat, (_, (c_lo, c_hi), extra, _, _)) in enumerate(text.CATEGORIES.items()):
        items, specs = text.PRODUCT_WORDS[cat]
        # Big catalogues add editions of the same item once the plain item x spec pairs run out.
        fits = text.ITEM_SPECS.get(cat, [range(len(specs))] * len(items))
        pairs = [(i, s) for i in range(len(items)) for s in sorted(fits[i])]
        combos = [(e, i, s) for e in range(len(EDITIONS)) for i, s in pairs]
        per_edition = len(pairs)
        if counts[ci] > len(combos):
            raise ValueError(f"{cat}: {counts[ci]} products asked for, only {len(combos)} sensible names")
        picked = np.concatenate([e * per_edition + rng.permutation(per_edition)
                                 for e in range(len(EDITIONS))])[: counts[ci]]
        sup_lead = rng.integers(3, 22, len(text.SUPPLIERS[cat]))
        sup_delay = rng.choice([0.02, 0.05, 0.12], len(sup_lead), p=[0.5, 0.3, 0.2])
        # The item's typical price, the edition's premium and a little variation by spec.
        base = np.array(text.ITEM_PRICES[cat], dtype=float)[[combos[c][1] for c in picked]]
        edition = np.array([EDITION_PRICE[combos[c][0]] for c in picked])
        raw = base * edition * rng.lognormal(0, 0.12, counts[ci])
        price = _price_points(raw)
        cheap = raw < np.median(raw)
        for k, combo in enumerate(picked):
            edition, item, spec = EDITIONS[combos[combo][0]], items[combos[combo][1]], specs[combos[combo][2]]
            names.append(f"{edition[0]} {item[0]} {spec[0]}".strip())
            names_zh.append(f"{edition[1]}{item[1]} {spec[1]}".strip())
            s = rng.integers(len(sup_lead))
            suppliers.append(text.SUPPLIERS[cat][s])
            lead.append(sup_lead[s])
            delay.append(sup_delay[s])
            cats.append(ci)
            prices.append(price[k])
            costs.append(price[k] * rng.uniform(c_lo, c_hi))
            qty.append(extra * (1.3 if cheap[k] else 0.8))
    category = np.array(cats)
    # Heavy-tailed popularity: a few products make most of the revenue (ABC roughly 80/15/5).
    pop = rng.pareto(1.3, n) + 1.0
    pop = pop / np.bincount(category, weights=pop)[category]
    frame = pd.DataFrame({
        "sku": ids("SKU", n, 4),
        "name": names,
        "name_zh": names_zh,
        "category": [CATEGORY_NAMES[c] for c in category],
        "unit_cost": money(costs),
        "unit_price": money(prices),
        "lead_time_days": np.array(lead, dtype=np.int64),
        "supplier": suppliers,
    })
    arrays = dict(category=category, popularity=pop, qty_extra=np.array(qty), lead_time=np.array(lead),
                  delay_prob=np.array(delay), price=frame["unit_price"].to_numpy(float),
                  cost=frame["unit_cost"].to_numpy(float))
    return frame, arrays


def make_catalog(n_stores: int, n_products: int, rng: np.random.Generator) -> Catalog:
    store_rng, product_rng, policy_rng = rng.spawn(3)
    stores, weight, region = make_stores(n_stores, store_rng)
    products, arrays = make_products(n_products, product_rng)
    lot_days = policy_rng.choice([7, 14, 21], n_products, p=[0.3, 0.45, 0.25])
    return Catalog(stores=stores, store_weight=weight, store_region=region, products=products,
                   lot_days=lot_days, **arrays)
