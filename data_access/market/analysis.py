"""The market analysis of listing snapshots (pure pandas on listing_snapshots' rows): how sales counts are meant,
sales per snapshot period, price bands, sales share by shop or brand, price moves and promotions, new entrants.

Sales counts: many exports show a running total (累计销量, total sold) that only grows; others the sales of a period
(this week) or of a rolling window (月销量, "bought in past month") that rises and falls. sales_basis decides per
source from the data: counts that never fall between an item's snapshots (allowing a few relisted items) are running
totals and are differenced; anything else is taken as each snapshot's sales. The page says which was assumed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.market.similarity import closest_items

CUMULATIVE, PER_PERIOD, SINGLE = "cumulative", "per_period", "single_snapshot"
#: Share of an item's consecutive counts that must not fall for the counts to be read as running totals.
MONOTONE_SHARE = 0.95
#: Fewer consecutive pairs than this cannot prove running totals (too few to tell a trend from a total).
MIN_PAIRS = 5
#: A promotion: a price cut of at least this share with period sales up by at least PROMOTION_JUMP.
PROMOTION_DROP = 0.05
PROMOTION_JUMP = 0.5
#: A price change smaller than this share is noise (rounding, currency), not a move.
MIN_PRICE_MOVE = 0.01
#: Shops or brands shown by name in the share chart; the rest are summed as OTHER.
TOP_SHOPS = 8
OTHER = "__other__"
UNKNOWN_SHOP = "__unknown__"
_KEY = ["source", "item_id"]


@dataclass(frozen=True)
class Basis:
    """How one source's sales counts were read: basis (CUMULATIVE, PER_PERIOD or SINGLE), the consecutive pairs
    it was decided on and the share of them that did not fall."""

    source: str
    basis: str
    pairs: int
    non_decreasing_share: float | None


def sales_bases(snapshots: pd.DataFrame) -> list[Basis]:
    """The sales-count basis of each source in snapshots (see the module docstring)."""
    found = []
    for source, rows in snapshots.groupby("source", sort=True):
        counts = rows.dropna(subset=["sales_count"]).sort_values("observed_at")
        steps = counts.groupby("item_id", sort=False)["sales_count"].diff().dropna()
        if steps.empty:
            found.append(Basis(str(source), SINGLE, 0, None))
            continue
        share = float((steps >= 0).mean())
        cumulative = len(steps) >= MIN_PAIRS and share >= MONOTONE_SHARE and bool((steps > 0).any())
        found.append(Basis(str(source), CUMULATIVE if cumulative else PER_PERIOD, int(len(steps)), round(share, 3)))
    return found


def with_period_sales(snapshots: pd.DataFrame, bases: list[Basis] | None = None) -> pd.DataFrame:
    """snapshots plus period_sales: a running total differenced between an item's snapshots (its first snapshot
    and a count that fell, a relisting, have none), else the count itself; plus own (the row is our item)."""
    bases = sales_bases(snapshots) if bases is None else bases
    cumulative = {b.source for b in bases if b.basis == CUMULATIVE}
    out = snapshots.sort_values(["observed_at", *_KEY], ignore_index=True)
    steps = out.groupby(_KEY, sort=False)["sales_count"].diff()
    running = out["source"].isin(cumulative)
    out["period_sales"] = np.where(running, steps.where(steps >= 0), out["sales_count"])
    out["own"] = out["store_id"].notna()
    return out


def latest_listings(snapshots: pd.DataFrame) -> pd.DataFrame:
    """Each source's last snapshot day: the market as it stands (items gone before it are not listed)."""
    if snapshots.empty:
        return snapshots
    last = snapshots.groupby("source")["observed_at"].transform("max")
    return snapshots[snapshots["observed_at"] == last].reset_index(drop=True)


def _item_sales(sales: pd.DataFrame) -> pd.Series:
    """Sales of each item over the window (sum of its period sales), indexed by (source, item_id)."""
    return sales.groupby(_KEY)["period_sales"].sum(min_count=1)


def _band_edges(prices: pd.Series, bands: int) -> np.ndarray:
    """Band edges at price quantiles, rounded to 2 significant figures so bands read like a shop's (50-99)."""
    quantiles = prices.quantile(np.linspace(0, 1, bands + 1)).to_numpy()
    inner = [float(f"{q:.2g}") for q in quantiles[1:-1] if q > 0]
    return np.unique([0.0, *inner, np.inf])


def price_bands(sales: pd.DataFrame, bands: int = 5) -> pd.DataFrame:
    """The latest listings in price bands (edges at price quantiles): per band its items, our items, sales over
    the window and share of them. Columns: band_low, band_high (inf for the top band), items, own_items,
    sales, sales_share, median_price."""
    columns = ["band_low", "band_high", "items", "own_items", "sales", "sales_share", "median_price"]
    latest = latest_listings(sales).dropna(subset=["price"])
    if latest.empty:
        return pd.DataFrame(columns=columns)
    edges = _band_edges(latest["price"], bands)
    latest = latest.assign(item_sales=latest.set_index(_KEY).index.map(_item_sales(sales)).to_numpy())
    band = pd.cut(latest["price"], edges, right=False, include_lowest=True)
    grouped = latest.groupby(band, observed=True)
    out = pd.DataFrame({
        "band_low": [i.left for i in grouped.groups], "band_high": [i.right for i in grouped.groups],
        "items": grouped.size().to_numpy(), "own_items": grouped["own"].sum().to_numpy(),
        "sales": grouped["item_sales"].sum(min_count=1).to_numpy(),
        "median_price": grouped["price"].median().to_numpy()})
    total = out["sales"].sum()
    out["sales_share"] = out["sales"] / total if total > 0 else np.nan
    return out[columns]


def own_positions(sales: pd.DataFrame) -> pd.DataFrame:
    """Where each of our latest items sits among the competitors' latest prices of its category (all competitors
    when either side names none). Columns: item_id, title, shop, sku, store_id, category, price, market_median
    (competitors' median price), cheaper_share (share of competitor items priced below ours), price_index (ours /
    market median)."""
    columns = ["item_id", "title", "shop", "sku", "store_id", "category", "price", "market_median", "cheaper_share",
               "price_index"]
    latest = latest_listings(sales).dropna(subset=["price"])
    ours, theirs = latest[latest["own"]], latest[~latest["own"]]
    if ours.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for mine in ours.itertuples():
        same = theirs[theirs["category"] == mine.category] if pd.notna(mine.category) else theirs
        prices = np.sort((same if len(same) else theirs)["price"].to_numpy(dtype=float))
        median = float(np.median(prices)) if prices.size else np.nan
        cheaper = np.searchsorted(prices, mine.price, side="left") / prices.size if prices.size else np.nan
        rows.append([mine.item_id, mine.title, mine.shop, mine.sku, mine.store_id, mine.category, mine.price, median,
                     cheaper, mine.price / median if median > 0 else np.nan])
    return pd.DataFrame(rows, columns=columns)


def sales_share(sales: pd.DataFrame, by: str = "shop", top: int = TOP_SHOPS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sales share by shop or brand: (trend, summary).

    trend: observed_at, name, sales, share (of that snapshot's sales), the top shops by name and the rest as OTHER.
    summary: name, own (one of ours), sales, share (of the window), share_first, share_last (first and last
    snapshot with sales), change (last - first), sorted by sales.
    """
    named = sales.dropna(subset=["period_sales"]).copy()
    if named.empty:
        return (pd.DataFrame(columns=["observed_at", "name", "sales", "share"]),
                pd.DataFrame(columns=["name", "own", "sales", "share", "share_first", "share_last", "change"]))
    named["name"] = named[by].astype("string").fillna(UNKNOWN_SHOP).replace("", UNKNOWN_SHOP)
    per_day = named.groupby(["observed_at", "name"], as_index=False).agg(sales=("period_sales", "sum"),
                                                                         own=("own", "any"))
    per_day["share"] = per_day["sales"] / per_day.groupby("observed_at")["sales"].transform("sum").replace(0, np.nan)
    totals = per_day.groupby("name").agg(sales=("sales", "sum"), own=("own", "any"))
    totals["share"] = totals["sales"] / totals["sales"].sum() if totals["sales"].sum() > 0 else np.nan
    days = sorted(per_day["observed_at"].unique())
    wide = per_day.pivot_table(index="name", columns="observed_at", values="share", aggfunc="sum").reindex(
        columns=days).fillna(0.0)
    totals["share_first"] = wide[days[0]]
    totals["share_last"] = wide[days[-1]]
    totals["change"] = totals["share_last"] - totals["share_first"]
    summary = totals.sort_values(["sales", "share_last"], ascending=False).reset_index()
    keep = set(summary["name"].head(top)) | set(summary.loc[summary["own"], "name"])
    trend = per_day.assign(name=per_day["name"].where(per_day["name"].isin(keep), OTHER))
    trend = trend.groupby(["observed_at", "name"], as_index=False)[["sales", "share"]].sum()
    return trend, summary[["name", "own", "sales", "share", "share_first", "share_last", "change"]]


def price_moves(sales: pd.DataFrame, drop: float = PROMOTION_DROP, jump: float = PROMOTION_JUMP) -> pd.DataFrame:
    """Price changes between an item's consecutive snapshots (at least MIN_PRICE_MOVE), newest first; promotion
    marks a cut of at least drop with period sales up by at least jump. Columns: observed_at, source, item_id,
    title, shop, own, price_before, price, change, sales_before, sales, sales_change, promotion."""
    columns = ["observed_at", "source", "item_id", "title", "shop", "own", "price_before", "price", "change",
               "sales_before", "sales", "sales_change", "promotion"]
    rows = sales.sort_values(["observed_at", *_KEY]).copy()
    grouped = rows.groupby(_KEY, sort=False)
    rows["price_before"] = grouped["price"].shift()
    rows["sales_before"] = grouped["period_sales"].shift()
    rows["sales"] = rows["period_sales"]
    rows["change"] = rows["price"] / rows["price_before"].where(rows["price_before"] > 0) - 1
    moved = rows[rows["change"].abs() >= MIN_PRICE_MOVE].copy()
    if moved.empty:
        return pd.DataFrame(columns=columns)
    before = moved["sales_before"].where(moved["sales_before"] > 0)
    moved["sales_change"] = moved["sales"] / before - 1
    moved["promotion"] = (moved["change"] <= -drop) & (moved["sales_change"] >= jump)
    moved = moved.sort_values(["observed_at", "change"], ascending=[False, True], ignore_index=True)
    return moved[columns]


def new_entrants(sales: pd.DataFrame) -> pd.DataFrame:
    """Items first seen after their source's first snapshot day in the window, newest first; new_shop marks a
    shop never seen before the item. Columns: first_seen, source, item_id, title, shop, own, new_shop, price
    (latest), sales (since first seen)."""
    columns = ["first_seen", "source", "item_id", "title", "shop", "own", "new_shop", "price", "sales"]
    if sales.empty:
        return pd.DataFrame(columns=columns)
    rows = sales.sort_values("observed_at")
    start = rows.groupby("source")["observed_at"].transform("min")
    first_seen = rows.groupby(_KEY)["observed_at"].transform("min")
    shop_first = rows.groupby(["source", "shop"], dropna=False)["observed_at"].transform("min")
    rows = rows.assign(first_seen=first_seen, new_shop=shop_first == first_seen)
    late = rows[first_seen > start]
    if late.empty:
        return pd.DataFrame(columns=columns)
    last = late.groupby(_KEY).tail(1).set_index(_KEY)
    out = last[["first_seen", "title", "shop", "own", "new_shop", "price"]].copy()
    out["sales"] = late.groupby(_KEY)["period_sales"].sum(min_count=1)
    return out.reset_index().sort_values(["first_seen", "sales"], ascending=[False, False],
                                         ignore_index=True)[columns]


def closest_competitors(sales: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    """Our latest items beside the k competitor items with the most similar titles (similarity.closest_items)."""
    latest = latest_listings(sales).dropna(subset=["price"])
    return closest_items(latest[latest["own"]], latest[~latest["own"]], k=k)
