"""Daily inventory per store x SKU replenished by the product's own reorder policy; demand beyond the stock is lost.

Definitions the generated data obey exactly, for every store, SKU and day d:
  sold(d)     = sum of quantity over lines of non-cancelled orders ordered on day d (pending orders reserve stock)
  received(d) = units the supplier delivered at the start of day d (ordered lead time + delay earlier)
  on_hand(d)  = on_hand(d-1) + received(d) - sold(d)        (end-of-day snapshot, never negative)
  on_order(d) = on_order(d-1) - received(d) + ordered(d)    (ordered at the end of day d)
  expected_arrival(d) = the earliest promised date (order day + lead time) of the orders still open at the end of
                        day d (lots keep at most two open; when the first arrives, the second's date is left);
                        a late delivery keeps its promised date, so it can lie in the past. None when nothing
                        is on order.
Returned goods are written off, not restocked. Cancelled orders take no stock.

The shop plans like forecasting.policy: reorder point = demand over the lead time + z x sigma x sqrt(lead time),
z by the product's ABC class (A 1.96, B 1.65, C 1.28); every evening it orders when stock on hand plus on order
has fallen below the reorder point plus a review period's demand, in lots of at least a few weeks of demand (and
never less than the lead time's, so one order is open at a time). Suppliers are late now and then by a few days.
Planted exception: one fast A item in one store whose open order the supplier postpones past the day its stock
runs out (StockResult.stockout_soon).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.demo.catalog import Catalog
from data_access.demo.timeline import Timeline
from data_access.demo.util import days, take

REVIEW_DAYS = 7
#: z by the ABC class of the SKU's expected revenue (forecasting.policy.DEFAULT_SERVICE_LEVELS).
Z_BY_CLASS = np.array([1.96, 1.65, 1.28])
MAX_DELAY = 10
#: The buyer's cushion on the reorder level for forecast error (a recent peak inflates any planner's estimate).
PLANNING_MARGIN = 1.3
#: Largest event lift of daily demand the buyer stocks for.
PEAK_CAP = 1.3
#: The trailing plan: days of the mean and of the spread (forecasting.policy's inputs), and its cushion.
COVER_DAYS, SIGMA_DAYS = 28, 56
TRAILING_MARGIN = 1.1
#: Most stock the buyer plans, in multiples of the target cover (forecasting.policy.OVERSTOCK_FACTOR is 3).
MAX_COVER = 2.6
#: Days before the end of the history the supplier of the planted stock-out postpones its delivery.
STOCKOUT_EVENT_DAYS = 8


@dataclass
class StockResult:
    kept: np.ndarray  # per line: False = lost sale (stock ran out that day)
    on_hand: np.ndarray  # (days, cells) end-of-day snapshot
    on_order: np.ndarray  # (days, cells)
    expected: np.ndarray  # (days, cells) day index of the earliest promised arrival of open orders; -1 = none
    stockout_soon: int  # cell of the planted stock-out, -1 when the history is too short to plant it


def _expected_lines(tl: Timeline, orders_per_day: np.ndarray, mean_lines: np.ndarray) -> np.ndarray:
    """Cumulative expected lines per category: row k sums days 0..k-1 (history and look-ahead)."""
    per_cat = (orders_per_day * mean_lines)[:, None] * tl.category_share
    return np.vstack([np.zeros(per_cat.shape[1]), np.cumsum(per_cat, axis=0)])


def abc_codes(cat: Catalog, tl: Timeline) -> np.ndarray:
    """0/1/2 = A/B/C per SKU by expected revenue: A the top 80%, B the next 15%, C the rest."""
    share = tl.category_share[: tl.n_days].mean(axis=0)[cat.category]
    revenue = share * cat.popularity * (1 + cat.qty_extra) * cat.price
    order = np.argsort(-revenue, kind="stable")
    before = (np.cumsum(revenue[order]) - revenue[order]) / revenue.sum()
    codes = np.empty(revenue.size, dtype=np.int64)
    codes[order] = np.where(before < 0.80, 0, np.where(before < 0.95, 1, 2))
    return codes


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
    abc = abc_codes(cat, tl)
    rate = cat.store_weight[store] * cat.popularity[sku] * (1 + cat.qty_extra[sku])
    extra = cat.qty_extra[sku]
    # Units per line are 1 + Poisson(extra): variance of a day's units per expected unit (compound Poisson).
    dispersion = ((1 + extra) ** 2 + extra) / (1 + extra)
    z = Z_BY_CLASS[abc[sku]]
    lot_days = np.maximum(cat.lot_days[sku], lead)
    delay_prob = cat.delay_prob[sku]
    # The buyer plans on the calendar but caps an event's lift: a peak sells some items out rather than leaving
    # weeks of stock behind it.
    event_cap = np.minimum(tl.event, PEAK_CAP) / tl.event
    cum = _expected_lines(tl, orders_per_day * event_cap, mean_lines)

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

    sold_hist = np.zeros((n_days, n_cells), dtype=np.int32)
    recent = np.zeros((3, n_cells))  # units over the last 28 days, over the last 56, squares over the last 56

    # The plan on the calendar for every evening at once (vectorised: the day loop only adds the trailing plan).
    rows = np.arange(1, n_days + 1)[:, None]
    after_lead = cum[rows + lead, cat_cell]
    over_lead = rate * (after_lead - cum[rows, cat_cell])
    over_review = rate * (cum[rows + lead + REVIEW_DAYS, cat_cell] - after_lead)
    del after_lead
    daily_plan = over_lead / lead
    sigma = np.sqrt(daily_plan * dispersion + (0.5 * daily_plan) ** 2)  # plus the weekday and event swings
    level_plan = (over_lead + over_review + z * sigma * np.sqrt(lead)) * PLANNING_MARGIN
    del over_lead, over_review, sigma
    cycle = lead + REVIEW_DAYS
    sqrt_lead = np.sqrt(lead)

    def targets(d: int) -> tuple[np.ndarray, np.ndarray]:
        """Reorder level (reorder point + the review period's demand) and the lot size at the end of day d:
        the larger of the plan on the calendar and the plan on the last weeks' sales (as forecasting.policy)."""
        level, daily = level_plan[d], daily_plan[d]
        if d >= SIGMA_DAYS:
            mean28 = recent[0] / COVER_DAYS
            mean56 = recent[1] / SIGMA_DAYS
            sigma56 = np.sqrt(np.maximum(recent[2] / SIGMA_DAYS - mean56 ** 2, 0.0))
            trailing = mean28 * cycle + z * sigma56 * sqrt_lead
            level = np.maximum(level, trailing * TRAILING_MARGIN)
            lean = np.minimum(daily, mean28)
            daily = np.maximum(daily, mean28)
        else:
            lean = daily
        # Never plan beyond the overstock line on the leaner of the two rates (slow movers' safety stock alone
        # would be months of cover, and a slow month makes any stock look like too much).
        top = np.maximum(MAX_COVER * lean * cycle, lean * cycle + 1)
        level = np.minimum(level, top)
        return level, np.maximum(np.minimum(np.ceil(daily * lot_days), top - level), 1.0)

    horizon = n_days + int(lead.max()) + MAX_DELAY + 2
    pipeline = np.zeros((horizon + n_days, n_cells), dtype=np.int64)
    level0, lot0 = targets(0)
    on_hand = np.ceil(level0 + lot0 / 2).astype(np.int64)
    on_order = np.zeros(n_cells, dtype=np.int64)
    hist_hand = np.empty((n_days, n_cells), dtype=np.int32)
    hist_order = np.empty((n_days, n_cells), dtype=np.int32)
    kept_sorted = np.ones(order.size, dtype=bool)
    late = rng.random((n_days, n_cells)) < delay_prob[None, :]
    delay = np.minimum(rng.geometric(0.35, (n_days, n_cells)), MAX_DELAY)
    cells = np.arange(n_cells)
    hist_due = np.empty((n_days, n_cells), dtype=np.int32)
    # Earliest promise among the open orders, and the newest order's (lots of at least the lead time's demand keep
    # at most two open, so when the first arrives the second's promise is the one left).
    due = np.full(n_cells, -1, dtype=np.int64)
    newest = np.full(n_cells, -1, dtype=np.int64)
    event_day = n_days - STOCKOUT_EVENT_DAYS if n_days > 3 * STOCKOUT_EVENT_DAYS else -1
    planted, blocked = -1, np.zeros(n_cells, dtype=bool)
    for d in range(n_days):
        received = pipeline[d]
        on_hand += received
        on_order -= received
        arrived = received > 0
        due[arrived] = np.where(on_order[arrived] > 0, newest[arrived], -1)
        sl = slice(bounds[d], bounds[d + 1])
        c = cell_s[sl]
        ok = cumq[sl] <= on_hand[c]
        kept_sorted[sl] = ok
        sold = np.bincount(c[ok], weights=q_s[sl][ok], minlength=n_cells).astype(np.int64)
        on_hand -= sold
        sold_hist[d] = sold
        recent[0] += sold - (sold_hist[d - COVER_DAYS] if d >= COVER_DAYS else 0)
        gone = sold_hist[d - SIGMA_DAYS] if d >= SIGMA_DAYS else 0
        recent[1] += sold - gone
        recent[2] += sold ** 2 - gone ** 2
        level, lot = targets(d)
        if d == event_day:
            planted = _plant_stockout(d, on_hand, on_order, recent[0] / COVER_DAYS, abc[sku], pipeline)
            if planted >= 0:
                blocked[planted] = True
                due[planted] = newest[planted] = int(np.flatnonzero(pipeline[:, planted])[-1])
        position = on_hand + on_order
        need = (position < level) & ~blocked
        qty = np.maximum(np.ceil(level - position), lot).astype(np.int64)
        promised = d + lead
        arrive = promised + np.where(late[d], delay[d], 0)
        pipeline[arrive[need], cells[need]] += qty[need]
        due[need] = np.where(on_order[need] > 0, np.minimum(due[need], promised[need]), promised[need])
        newest[need] = promised[need]
        on_order += np.where(need, qty, 0)
        hist_hand[d] = on_hand
        hist_order[d] = on_order
        hist_due[d] = due
    kept = np.ones(line_cell.size, dtype=bool)
    kept[order] = kept_sorted
    return StockResult(kept=kept, on_hand=hist_hand, on_order=hist_order,
                       expected=hist_due, stockout_soon=planted)


def _plant_stockout(d: int, on_hand: np.ndarray, on_order: np.ndarray, daily: np.ndarray, sku_abc: np.ndarray,
                    pipeline: np.ndarray) -> int:
    """Pick the fastest A item with an open order and 9-12 days of stock left at its last 28 days' rate (`daily`),
    and have its supplier postpone that order to a week after the stock runs out (and say so: the promised date
    moves too, so the planner sees the delivery coming too late). Returns the cell, or -1 when none qualifies."""
    cover = on_hand / np.maximum(daily, 1e-9)
    fits = (sku_abc == 0) & (on_order > 0) & (cover >= 9) & (cover <= 12) & (daily >= 0.5)
    if not fits.any():
        return -1
    cell = int(np.argmax(np.where(fits, daily, -1.0)))
    moved = int(pipeline[d + 1:, cell].sum())
    pipeline[d + 1:, cell] = 0
    new_day = d + int(np.ceil(cover[cell])) + STOCKOUT_EVENT_DAYS
    pipeline[new_day, cell] = moved
    return cell


def inventory_frame(tl: Timeline, cat: Catalog, result: StockResult) -> pd.DataFrame:
    """Columns: snapshot_date, store_id, sku, on_hand, on_order, expected_arrival; one row per day x store x SKU."""
    n_days, n_cells = result.on_hand.shape
    n_products = cat.category.size
    cell = np.tile(np.arange(n_cells), n_days)
    expected = result.expected.reshape(-1)
    return pd.DataFrame({
        "snapshot_date": days(np.repeat(np.arange(n_days), n_cells), tl.start),
        "store_id": take(cat.stores["store_id"], cell // n_products),
        "sku": take(cat.products["sku"], cell % n_products),
        "on_hand": result.on_hand.reshape(-1).astype(np.int64),
        "on_order": result.on_order.reshape(-1).astype(np.int64),
        "expected_arrival": days(np.maximum(expected, 0), tl.start, valid=expected >= 0),
    })
