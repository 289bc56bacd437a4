"""Campaigns with a planted lift, their extra orders, and daily marketing spend per paid channel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access import calendar
from data_access.demo import config, text
from data_access.demo.catalog import Catalog
from data_access.demo.customers import Customers, make_customers, order_frame
from data_access.demo.timeline import Timeline
from data_access.demo.util import DAY, choice, days, money
from data_access.schema import CHANNELS

#: Days around the shopping events where no campaign runs, and clean history needed before one.
EVENT_MARGIN = 21
CLEAN_DAYS = 56
#: How often each of config.CAMPAIGN_CHANNELS carries a campaign (the big paid channels most).
CHANNEL_WEIGHTS = np.array([0.3, 0.25, 0.07, 0.12, 0.2, 0.06])


@dataclass
class Campaign:
    channel: int
    stores: np.ndarray  # store indices
    start: int  # first day index
    end: int  # last day index (included)
    lift: float
    theme: tuple[str, str]
    objective: str
    budget: float = 0.0


def _assign_lifts(rng: np.random.Generator, campaigns: list[Campaign], store_weight: np.ndarray) -> None:
    """1-2 campaigns that did nothing, the rest between 0.1 and 0.8; the biggest campaign (stores x channel
    x days) is a strong one (0.6-0.8), so even a small shop shows one clearly measurable effect."""
    n = len(campaigns)
    zeros = int(rng.integers(1, 3))
    lifts = np.round(rng.permutation(np.concatenate([np.zeros(zeros), rng.uniform(0.1, 0.8, n - zeros)])), 2)
    mix = (config.ACQUISITION_MIX + config.REPEAT_MIX) / 2
    size = [store_weight[c.stores].sum() * mix[c.channel] * (c.end - c.start + 1) for c in campaigns]
    biggest = int(np.argmax(size))
    if lifts[biggest] < 0.6:
        strong = np.flatnonzero(lifts >= 0.6)
        if strong.size:
            lifts[[biggest, strong[0]]] = lifts[[strong[0], biggest]]
        else:
            lifts[biggest] = np.round(rng.uniform(0.6, 0.8), 2) if lifts[biggest] > 0 else lifts[biggest]
    if lifts[biggest] < 0.6:  # it was a zero-lift one: give it a strong lift and zero another
        other = (biggest + 1) % n
        lifts[other], lifts[biggest] = 0.0, np.round(rng.uniform(0.6, 0.8), 2)
    for c, lift in zip(campaigns, lifts, strict=True):
        c.lift = float(lift)


def _start_slots(tl: Timeline) -> tuple[list[np.ndarray], Callable[[int, int], bool]]:
    """Runs of days a campaign may start on, and the test whether (start, duration) is allowed."""
    n_days = tl.n_days
    history = np.datetime64(tl.start, "D") + np.arange(n_days).astype("timedelta64[D]")
    # Windows keep EVENT_MARGIN days away from the events; pre-periods must not touch an event window at all.
    blocked = np.concatenate([[0], np.cumsum(calendar.event_mask(history, margin=EVENT_MARGIN))])
    events = np.concatenate([[0], np.cumsum(calendar.event_mask(history))])

    def fits(start: int, duration: int) -> bool:
        end = start + duration - 1
        return (CLEAN_DAYS <= start and end < n_days - 14 and blocked[end + 1] == blocked[start]
                and events[start] == events[start - CLEAN_DAYS])

    starts = np.array([s for s in range(CLEAN_DAYS, n_days) if fits(s, 7)], dtype=np.int64)
    if starts.size == 0:
        return [], fits
    return np.split(starts, np.flatnonzero(np.diff(starts) > 1) + 1), fits


def schedule(rng: np.random.Generator, tl: Timeline, store_weight: np.ndarray) -> list[Campaign]:
    """10-16 campaigns on paid channels, away from the big events, never overlapping in a store, each with
    at least CLEAN_DAYS of clean history before it: no campaign in its stores and no shopping event.

    An event lies between any two start slots and pre-periods contain no event, so campaigns of different
    slots never meet; within a slot, campaigns get disjoint store groups (some stores stay as controls).
    """
    n_stores = store_weight.size
    slots, fits = _start_slots(tl)
    per_slot = max(1, n_stores // 2)
    wanted = min(10 + int(rng.binomial(6, 0.3)), len(slots) * per_slot)
    counts = np.zeros(len(slots), dtype=np.int64)
    sizes = np.array([len(s) for s in slots], dtype=float)
    for _ in range(wanted):
        weight = np.where(counts < per_slot, sizes, 0.0)
        counts[choice(rng, weight, 1)[0]] += 1
    campaigns: list[Campaign] = []
    for slot, k in zip(slots, counts, strict=True):
        if k == 0:
            continue
        if k == 1 and rng.random() < 0.35:
            groups = [np.arange(n_stores)]
        else:
            used = rng.permutation(n_stores)[: int(rng.integers(max(2 * k, n_stores - 2), n_stores + 1))]
            group_sizes = 2 + rng.multinomial(used.size - 2 * k, np.full(k, 1 / k))
            groups = np.split(used, np.cumsum(group_sizes)[:-1])
        for stores in groups:
            duration, start = 7, int(slot[0])
            for _ in range(50):
                d, s = int(rng.integers(7, 22)), int(rng.choice(slot))
                if fits(s, d):
                    duration, start = d, s
                    break
            channel = config.CHANNEL_IDS.index(config.CAMPAIGN_CHANNELS[choice(rng, CHANNEL_WEIGHTS, 1)[0]])
            objective = "acquisition" if rng.random() < 0.6 else text.OBJECTIVES[rng.integers(1, 4)]
            campaigns.append(Campaign(channel, np.sort(stores), start, start + duration - 1, 0.0, ("", ""), objective))
    campaigns.sort(key=lambda c: (c.start, c.channel, c.stores[0]))
    for c, theme in zip(campaigns, rng.permutation(len(text.CAMPAIGN_THEMES)), strict=False):
        c.theme = text.CAMPAIGN_THEMES[theme]
    _assign_lifts(rng, campaigns, store_weight)
    return campaigns


def campaign_mask(orders: pd.DataFrame, c: Campaign) -> np.ndarray:
    day = np.floor(orders["t"].to_numpy() / DAY)
    return ((orders["channel"].to_numpy() == c.channel) & np.isin(orders["store"].to_numpy(), c.stores)
            & (day >= c.start) & (day <= c.end))


def extra_orders(rng: np.random.Generator, tl: Timeline, cat: Catalog, base: pd.DataFrame,
                 campaigns: list[Campaign], first_customer: int) -> tuple[Customers, pd.DataFrame]:
    """Orders the lift adds: for each window day and store, Poisson(lift x that day's channel orders there),
    each from a new customer the campaign's channel acquired."""
    day_parts, store_parts, camp_parts = [], [], []
    day_all = np.floor(base["t"].to_numpy() / DAY).astype(np.int64)
    for i, c in enumerate(campaigns):
        mask = campaign_mask(base, c)
        counts = np.zeros((c.end - c.start + 1, cat.store_weight.size))
        np.add.at(counts, (day_all[mask] - c.start, base["store"].to_numpy()[mask]), 1)
        extra = rng.poisson(c.lift * counts)
        d, s = np.nonzero(extra)
        reps = extra[d, s]
        day_parts.append(np.repeat(d + c.start, reps))
        store_parts.append(np.repeat(s, reps))
        camp_parts.append(np.full(reps.sum(), i))
    day, store, campaign = (np.concatenate([np.zeros(0, dtype=np.int64), *parts]).astype(np.int64)
                            for parts in (day_parts, store_parts, camp_parts))
    time_rng, cust_rng = rng.spawn(2)
    t = tl.sample_seconds(time_rng, day)
    order = np.argsort(t, kind="stable")
    t, store, campaign = t[order], store[order], campaign[order]
    customers = make_customers(cust_rng, cat, store)
    channel = np.array([campaigns[k].channel for k in campaign], dtype=np.int64)
    frame = order_frame(t, store, channel, first_customer + np.arange(t.size), extra=True)
    frame["campaign"] = campaign
    return customers, frame


def tag_orders(orders: pd.DataFrame, campaigns: list[Campaign]) -> None:
    """Every order of a campaign's channel in its stores during its window belongs to the campaign."""
    campaign = orders["campaign"].to_numpy().copy()
    for i, c in enumerate(campaigns):
        campaign[campaign_mask(orders, c)] = i
    orders["campaign"] = campaign


def campaign_ids(campaigns: list[Campaign]) -> list[str]:
    return [f"CMP{i + 1:02d}" for i in range(len(campaigns))]


def campaigns_frame(tl: Timeline, campaigns: list[Campaign], store_ids: np.ndarray) -> pd.DataFrame:
    """Columns: campaign_id, name, channel, start_date, end_date, budget, objective, store_ids (comma-separated)."""
    labels = config.CHANNEL_IDS
    names = [f"{c.theme[0]} · {CHANNELS[labels[c.channel]][0]} {c.theme[1]}" for c in campaigns]
    return pd.DataFrame({
        "campaign_id": campaign_ids(campaigns),
        "name": names,
        "channel": [labels[c.channel] for c in campaigns],
        "start_date": days(np.array([c.start for c in campaigns]), tl.start),
        "end_date": days(np.array([c.end for c in campaigns]), tl.start),
        "budget": money([c.budget for c in campaigns]),
        "objective": [c.objective for c in campaigns],
        "store_ids": [",".join(store_ids[c.stores]) for c in campaigns],
    })


def spend_frame(rng: np.random.Generator, tl: Timeline, campaigns: list[Campaign], order_day: np.ndarray,
                order_channel: np.ndarray, order_revenue: np.ndarray, order_campaign: np.ndarray,
                order_extra: np.ndarray) -> pd.DataFrame:
    """Columns: day, channel, campaign_id ('' = always-on), spend, impressions, clicks, conversions.

    Always-on spend follows the channel's expected revenue at its target ROAS (more at the peaks);
    a campaign's budget is a share of its window's baseline revenue, whatever lift it turned out to have.
    """
    n_days = tl.n_days
    shape = tl.total_factor[:n_days] / tl.total_factor[:n_days].mean()
    ids = campaign_ids(campaigns)
    parts = []
    for ch, (cpm, ctr, roas) in config.PAID_CHANNELS.items():
        k = config.CHANNEL_IDS.index(ch)
        mean_revenue = order_revenue[order_channel == k].sum() / n_days
        spend = mean_revenue * shape ** 0.8 / roas * rng.lognormal(0, 0.15, n_days)
        parts.append((np.arange(n_days), ch, np.full(n_days, ""), spend, cpm, ctr))
    for i, c in enumerate(campaigns):
        in_campaign = (order_campaign == i) & ~order_extra
        baseline = order_revenue[in_campaign].sum()
        c.budget = max(2000.0, float(np.round(baseline * rng.uniform(0.3, 0.6), -2)))
        n = c.end - c.start + 1
        weights = rng.uniform(0.7, 1.3, n)
        cpm, ctr, _ = config.PAID_CHANNELS[config.CHANNEL_IDS[c.channel]]
        parts.append((np.arange(c.start, c.end + 1), config.CHANNEL_IDS[c.channel], np.full(n, ids[i]),
                      c.budget * weights / weights.sum(), cpm * 1.1, ctr * 1.2))
    frames = []
    for day, ch, cid, spend, cpm, ctr in parts:
        spend = money(spend)
        impressions = np.round(spend / cpm * 1000 * rng.lognormal(0, 0.1, spend.size)).astype(np.int64)
        clicks = rng.binomial(impressions, np.clip(ctr * rng.lognormal(0, 0.15, spend.size), 0, 1))
        frames.append(pd.DataFrame({"day": day, "channel": ch, "campaign_id": cid, "spend": spend,
                                    "impressions": impressions, "clicks": clicks.astype(np.int64)}))
    out = pd.concat(frames, ignore_index=True).sort_values(["day", "channel", "campaign_id"], ignore_index=True)
    # Platform-reported conversions (view-through included, so more than the shop's attributed orders).
    # A spawned generator keeps the main stream, and so every other table, as it was.
    conversions_rng = rng.spawn(1)[0]
    out["conversions"] = conversions_rng.binomial(out["clicks"].to_numpy(), 0.035).astype(np.int64)
    out["day"] = days(out["day"].to_numpy(), tl.start)
    out["campaign_id"] = out["campaign_id"].astype("str")
    out["channel"] = out["channel"].astype("str")
    return out

