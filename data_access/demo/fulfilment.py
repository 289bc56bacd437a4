"""Order lifecycle: payment, shipping, delivery against the promise, returns, and the order totals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.demo import config, text
from data_access.demo.timeline import Timeline
from data_access.demo.util import DAY, money

STATUSES = ("pending", "paid", "shipped", "delivered", "cancelled", "returned")
PENDING, PAID, SHIPPED, DELIVERED, CANCELLED, RETURNED = range(6)
#: Promised delivery days and typical courier transit days by the customer's region.
PROMISE_DAYS = {"East": 2, "North": 3, "South": 3, "Central": 3, "Southwest": 4, "Northwest": 4}
TRANSIT_DAYS = {"East": 0.8, "North": 1.3, "South": 1.3, "Central": 1.4, "Southwest": 2.2, "Northwest": 2.7}
#: Couriers, fastest first, with their share of parcels and their price: base fee, per extra unit, across regions.
#: A courier is drawn from the parcel's own transit luck (see carriers()), so the fast ones really are faster.
CARRIERS = ("SF Express", "JD Logistics", "ZTO Express", "YTO Express", "China Post EMS")
CARRIER_SHARES = np.array([0.20, 0.15, 0.30, 0.22, 0.13])
CARRIER_FEES = np.array([[13.0, 2.0, 5.0], [11.0, 1.5, 4.0], [5.0, 1.0, 2.0], [4.5, 1.0, 2.0], [8.0, 1.5, 3.0]])
#: Every courier charges more for the far west.
REMOTE_REGIONS, REMOTE_SURCHARGE = ("Southwest", "Northwest"), 3.0
OFFLINE = config.CHANNEL_IDS.index("offline")
APPAREL = list(text.CATEGORIES).index("Apparel")


@dataclass
class Lifecycle:
    """Per order: status code and event times in seconds since the start of history (NaN = not happened)."""

    status: np.ndarray
    paid: np.ndarray
    promised: np.ndarray
    shipped: np.ndarray
    delivered: np.ndarray
    returned_line: np.ndarray  # per line
    paid_total: np.ndarray  # NaN for pending and cancelled orders
    refund_total: np.ndarray
    carrier: np.ndarray  # index into CARRIERS, -1 = none (not shipped, or handed over in a store)
    shipping_cost: np.ndarray  # NaN where no carrier


def simulate(rng: np.random.Generator, tl: Timeline, orders: pd.DataFrame, region: np.ndarray,
             store_region: np.ndarray, lines: pd.DataFrame, line_category: np.ndarray) -> Lifecycle:
    """orders: t, channel, cancelled; region / store_region per order; lines: order, quantity, unit_price, discount."""
    pay_rng, ship_rng, transit_rng, pend_rng, ret_rng = rng.spawn(5)
    # A further spawned stream: every earlier table stays as it was.
    carrier_rng = rng.spawn(1)[0]
    now = tl.n_days * DAY
    t = orders["t"].to_numpy()
    n = t.size
    day = np.floor(t / DAY).astype(np.int64)
    eventness, festival = tl.eventness[day], tl.festival[day]
    cancelled = orders["cancelled"].to_numpy()
    offline = orders["channel"].to_numpy() == OFFLINE
    region_names = np.array(text.REGIONS)
    promise = np.array([PROMISE_DAYS[r] for r in region_names])[region]
    transit = np.array([TRANSIT_DAYS[r] for r in region_names])[region]

    paid = t + np.minimum(pay_rng.lognormal(np.log(120), 1.0, n), 1800)
    pending = ~cancelled & ((paid > now) | ((t > now - DAY) & (pend_rng.random(n) < 0.08)))
    # Warehouses fall behind at the peaks; couriers nearly stop around the Spring Festival.
    processing_h = ship_rng.lognormal(np.log(10), 0.6, n) * (1 + 1.2 * eventness) * np.where(festival, 2.5, 1.0)
    shipped = paid + processing_h * 3600
    transit_luck = transit_rng.lognormal(0, 0.3, n)
    transit_d = (transit + 0.8 * (region != store_region)) * transit_luck
    transit_d = transit_d * (1 + 0.6 * eventness) + 2.0 * festival
    delivered = shipped + transit_d * DAY
    shipped = np.where(offline, paid + 300, shipped)  # bought in the store: handed over at once
    delivered = np.where(offline, shipped, delivered)
    promised = t + promise * DAY

    status = np.full(n, DELIVERED)
    status[delivered > now] = SHIPPED
    status[shipped > now] = PAID
    status[pending] = PENDING
    status[cancelled] = CANCELLED
    unpaid = (status == PENDING) | (status == CANCELLED)
    paid[unpaid] = np.nan
    shipped[unpaid | (status == PAID)] = np.nan
    delivered[status != DELIVERED] = np.nan

    # Returns: more after late deliveries and for apparel; counted only once the return has happened.
    line_order = lines["order"].to_numpy()
    net = money(lines["quantity"].to_numpy() * lines["unit_price"].to_numpy() - lines["discount"].to_numpy())
    n_lines = np.bincount(line_order, minlength=n)
    apparel = np.bincount(line_order, weights=line_category == APPAREL, minlength=n) > 0
    late = np.nan_to_num((delivered - promised) / DAY, nan=0.0)
    back_at = delivered + ret_rng.uniform(1, 12, n) * DAY
    can_return = (status == DELIVERED) & (back_at <= now) & ~offline
    p_full = 0.024 + 0.05 * (late > 1) + 0.03 * apparel
    full = can_return & (ret_rng.random(n) < p_full)
    partial = can_return & ~full & (n_lines >= 2) & (ret_rng.random(n) < 0.07)
    status[full] = RETURNED
    returned_line = full[line_order].copy()
    # The partially returned line: one line per order, picked at random.
    pick = np.floor(ret_rng.random(n) * n_lines).astype(np.int64)
    first_line = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
    returned_line[(first_line + pick)[partial]] = True

    paid_total = money(np.bincount(line_order, weights=net, minlength=n))
    refund_total = money(np.bincount(line_order, weights=np.where(returned_line, net, 0.0), minlength=n))
    paid_total[unpaid] = np.nan
    refund_total[unpaid] = np.nan
    carrier, cost = carriers(carrier_rng, transit_luck, ~np.isnan(shipped) & ~offline, region != store_region,
                             np.isin(region_names[region], REMOTE_REGIONS),
                             np.bincount(line_order, weights=lines["quantity"].to_numpy(), minlength=n))
    return Lifecycle(status=status, paid=paid, promised=promised, shipped=shipped, delivered=delivered,
                     returned_line=returned_line, paid_total=paid_total, refund_total=refund_total,
                     carrier=carrier, shipping_cost=cost)


def carriers(rng: np.random.Generator, transit_luck: np.ndarray, shipped: np.ndarray, cross_region: np.ndarray,
             remote: np.ndarray, units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each shipped parcel's courier (index into CARRIERS, -1 = none) and shipping cost (NaN = none).

    The courier is drawn from the parcel's transit luck plus noise, split at CARRIER_SHARES fastest first: a
    courier and its speed are drawn together, so SF and JD deliver faster than ZTO, YTO and EMS on the same
    routes while the transit times (and so every other table of the demo) stay exactly as they were.
    The cost is the courier's fees for the units and the route, give or take 10%.
    """
    n = transit_luck.size
    score = np.log(transit_luck) / 0.3 + rng.normal(0.0, 0.7, n)
    cuts = np.quantile(score, np.cumsum(CARRIER_SHARES)[:-1]) if n else np.array([])
    carrier = np.searchsorted(cuts, score).astype(np.int64)
    fees = CARRIER_FEES[carrier]
    cost = (fees[:, 0] + fees[:, 1] * np.maximum(units - 1, 0) + fees[:, 2] * cross_region
            + REMOTE_SURCHARGE * remote) * rng.lognormal(0.0, 0.1, n)
    carrier = np.where(shipped, carrier, -1)
    return carrier, np.where(shipped, money(cost), np.nan)


#: The planted warehouse stall: a store ships nothing it was paid for in the last STALL_DAYS days.
STALL_DAYS = 4


def stall_shipping(life: Lifecycle, store: np.ndarray, stalled_store: int, since: float,
                   offline: np.ndarray) -> np.ndarray:
    """Hold back every parcel of `stalled_store` paid at or after `since` (seconds), in place: not shipped, not
    delivered, status paid, no courier. Orders already returned and store sales are left alone. Returns the mask."""
    held = ((store == stalled_store) & (life.paid >= since) & ~offline
            & np.isin(life.status, (PAID, SHIPPED, DELIVERED)))
    life.status[held] = PAID
    life.shipped[held] = np.nan
    life.delivered[held] = np.nan
    life.carrier[held] = -1
    life.shipping_cost[held] = np.nan
    return held
