"""Daily inventory per store x SKU under a reorder-point policy; demand beyond the stock is lost.

Definitions the generated data obey exactly, for every store, SKU and day d:
  sold(d)     = sum of quantity over lines of non-cancelled orders ordered on day d (pending orders reserve stock)
  received(d) = units the supplier delivered at the start of day d (ordered lead time + delay earlier)
  on_hand(d)  = on_hand(d-1) + received(d) - sold(d)        (end-of-day snapshot, never negative)
  on_order(d) = on_order(d-1) - received(d) + ordered(d)    (ordered at the end of day d)
Returned goods are written off, not restocked. Cancelled orders take no stock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.demo.catalog import Catalog
from data_access.demo.timeline import Timeline
from data_access.demo.util import days, take

REVIEW_DAYS = 7


@dataclass
class StockResult:
    kept: np.ndarray  # per line: False = lost sale (stock ran out that day)
    on_hand: np.ndarray  # (days, cells) end-of-day snapshot
    on_order: np.ndarray  # (days, cells)


def _expected_lines(tl: Timeline, orders_per_day: np.ndarray, mean_lines: np.ndarray) -> np.ndarray:
    """Cumulative expected lines per category: row k sums days 0..k-1 (history and look-ahead)."""
    per_cat = (orders_per_day * mean_lines)[:, None] * tl.category_share
    return np.vstack([np.zeros(per_cat.shape[1]), np.cumsum(per_cat, axis=0)])


def simulate(rng: np.random.Generator, tl: Timeline, cat: Catalog, line_cell: np.ndarray, line_day: np.ndarray,
             line_time: np.ndarray, quantity: np.ndarray, active: np.ndarray, orders_per_day: np.ndarray,
             mean_lines: np.ndarray) -> StockResult:
    """Run the day loop over all store x SKU cells at once.

    line_cell = store * n_products + sku. Lines of inactive (cancelled) orders are always kept and take no stock.
    Within a cell and day, orders are served first come first served until the stock runs out.
    """
    n_products = cat.category.size
    n_cells = cat.store_weight.size * n_products
    n_days = tl.n_days
    sku = np.arange(n_cells) % n_products
    store = np.arange(n_cells) // n_products
    cat_cell = cat.category[sku]
    lead = cat.lead_time[sku].astype(np.int64)
    rate = cat.store_weight[store] * cat.popularity[sku] * (1 + cat.qty_extra[sku])
    z = cat.service_z[sku]
    delay_prob = cat.delay_prob[sku]
    cum = _expected_lines(tl, orders_per_day, mean_lines)

    idx = np.flatnonzero(active)
    order = idx[np.lexsort((line_time[idx], line_cell[idx], line_day[idx]))]
    cell_s, day_s, q_s = line_cell[order], line_day[order], quantity[order].astype(np.int64)
    total = np.cumsum(q_s)
    new_group = np.ones(order.size, dtype=bool)
    new_group[1:] = (cell_s[1:] != cell_s[:-1]) | (day_s[1:] != day_s[:-1])
    starts = np.flatnonzero(new_group)
    group_base = np.repeat(total[starts] - q_s[starts], np.diff(np.append(starts, order.size)))
    cumq = total - group_base  # units asked for in the cell that day, up to and including this line
    bounds = np.searchsorted(day_s, np.arange(n_days + 1))

    def targets(d: int) -> tuple[np.ndarray, np.ndarray]:
        """Reorder point and order-up-to level at the end of day d (demand forecast over the lead time)."""
        now = cum[d + 1, cat_cell]
        over_lead = rate * (cum[d + 1 + lead, cat_cell] - now)
        over_cycle = rate * (cum[d + 1 + lead + REVIEW_DAYS, cat_cell] - now)
        safety = z * np.sqrt(2.0 * over_lead + (0.15 * over_lead) ** 2)
        return over_lead + safety, over_cycle + safety

    max_delay = 30
    pipeline = np.zeros((n_days + int(lead.max()) + max_delay + 2, n_cells), dtype=np.int64)
    on_hand = np.ceil(targets(0)[1]).astype(np.int64)
    on_order = np.zeros(n_cells, dtype=np.int64)
    hist_hand = np.empty((n_days, n_cells), dtype=np.int32)
    hist_order = np.empty((n_days, n_cells), dtype=np.int32)
    kept_sorted = np.ones(order.size, dtype=bool)
    late = rng.random((n_days, n_cells)) < delay_prob[None, :]
    extra = np.minimum(rng.geometric(0.25, (n_days, n_cells)), max_delay)
    cells = np.arange(n_cells)
    for d in range(n_days):
        received = pipeline[d]
        on_hand += received
        on_order -= received
        sl = slice(bounds[d], bounds[d + 1])
        c = cell_s[sl]
        ok = cumq[sl] <= on_hand[c]
        kept_sorted[sl] = ok
        on_hand -= np.bincount(c[ok], weights=q_s[sl][ok], minlength=n_cells).astype(np.int64)
        reorder_point, order_up_to = targets(d)
        position = on_hand + on_order
        need = position <= np.maximum(reorder_point, 1.0)
        qty = np.maximum(np.ceil(order_up_to - position), 1).astype(np.int64)
        arrive = d + lead + np.where(late[d], extra[d], 0)
        pipeline[arrive[need], cells[need]] += qty[need]
        on_order += np.where(need, qty, 0)
        hist_hand[d] = on_hand
        hist_order[d] = on_order
    kept = np.ones(line_cell.size, dtype=bool)
    kept[order] = kept_sorted
    return StockResult(kept=kept, on_hand=hist_hand, on_order=hist_order)


def inventory_frame(tl: Timeline, cat: Catalog, result: StockResult) -> pd.DataFrame:
    """Columns: snapshot_date, store_id, sku, on_hand, on_order; one row per day x store x SKU."""
    n_days, n_cells = result.on_hand.shape
    n_products = cat.category.size
    cell = np.tile(np.arange(n_cells), n_days)
    return pd.DataFrame({
        "snapshot_date": days(np.repeat(np.arange(n_days), n_cells), tl.start),
        "store_id": take(cat.stores["store_id"], cell // n_products),
        "sku": take(cat.products["sku"], cell % n_products),
        "on_hand": result.on_hand.reshape(-1).astype(np.int64),
        "on_order": result.on_order.reshape(-1).astype(np.int64),
    })

