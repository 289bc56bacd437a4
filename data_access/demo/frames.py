"""Turn the simulation's index arrays into the schema's tables (ids, strings, timestamps, planted truth)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from data_access.demo import config, fulfilment, marketing, stock, text
from data_access.demo.catalog import Catalog
from data_access.demo.customers import CITIES, Customers
from data_access.demo.fulfilment import CANCELLED, CARRIERS, STATUSES, Lifecycle
from data_access.demo.service import OrderFacts, reviews_frame
from data_access.demo.tickets import BACKLOG_DAYS, tickets_frame
from data_access.demo.timeline import Timeline
from data_access.demo.traffic import traffic_frame
from data_access.demo.util import DAY, days, ids, take, timestamps
from data_access.schema import SOLD_STATUSES

SOLD_CODES = [STATUSES.index(s) for s in SOLD_STATUSES]


def _times(values: np.ndarray, tl: Timeline) -> pd.Series:
    present = ~np.isnan(values)
    return timestamps(np.where(present, values, 0.0), tl.start, present)


def customers_frame(tl: Timeline, people: Customers, orders: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Customers who kept at least one order, numbered by first order; returns the frame and old -> new index."""
    who = orders["customer"].to_numpy()
    present, first_pos = np.unique(who, return_index=True)  # orders are sorted by time: first hit = first order
    rank = np.argsort(first_pos, kind="stable")
    present, first_pos = present[rank], first_pos[rank]
    new_index = np.full(len(people), -1, dtype=np.int64)
    new_index[present] = np.arange(present.size)
    frame = pd.DataFrame({
        "customer_id": ids("C", present.size, 7),
        "first_order_at": timestamps(orders["t"].to_numpy()[first_pos], tl.start),
        "region": take(text.REGIONS, people.region[present]),
        "city": take(CITIES, people.city[present]),
        "acquisition_channel": take(config.CHANNEL_IDS, orders["channel"].to_numpy()[first_pos]),
    })
    return frame, new_index


def orders_frame(tl: Timeline, cat: Catalog, orders: pd.DataFrame, life: Lifecycle, region: np.ndarray,
                 customer_ids: pd.Series, campaign_ids: list[str]) -> pd.DataFrame:
    n = len(orders)
    campaign = orders["campaign"].to_numpy()
    return pd.DataFrame({
        "order_id": ids("O", n, 8),
        "store_id": take(cat.stores["store_id"], orders["store"].to_numpy()),
        "customer_id": customer_ids,
        "channel": take(config.CHANNEL_IDS, orders["channel"].to_numpy()),
        "campaign_id": take(campaign_ids or [""], np.maximum(campaign, 0), campaign >= 0),
        "ordered_at": timestamps(orders["t"].to_numpy(), tl.start),
        "paid_at": _times(life.paid, tl),
        "status": take(STATUSES, life.status),
        "paid_total": life.paid_total,
        "refund_total": life.refund_total,
        "region": take(text.REGIONS, region),
        "promised_at": _times(life.promised, tl),
        "shipped_at": _times(life.shipped, tl),
        "delivered_at": _times(life.delivered, tl),
        "carrier": take(CARRIERS, np.maximum(life.carrier, 0), life.carrier >= 0),
        "shipping_cost": life.shipping_cost,
    })


def items_frame(cat: Catalog, items: pd.DataFrame, order_ids: pd.Series, returned: np.ndarray) -> pd.DataFrame:
    order = items["order"].to_numpy()
    starts = np.flatnonzero(np.r_[True, order[1:] != order[:-1]])
    line_no = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size])) + 1
    return pd.DataFrame({
        "order_id": order_ids.take(order).reset_index(drop=True),
        "line_no": line_no.astype(np.int64),
        "sku": take(cat.products["sku"], items["sku"].to_numpy()),
        "quantity": items["quantity"].to_numpy(),
        "unit_price": items["unit_price"].to_numpy(),
        "discount": items["discount"].to_numpy(),
        "returned": returned,
    })


def truth_frame(cat: Catalog, campaigns: list[marketing.Campaign], orders: pd.DataFrame, life: Lifecycle,
                items: pd.DataFrame) -> pd.DataFrame:
    """Columns of campaign_truth: the planted lift and what it added to the final data."""
    campaign = orders["campaign"].to_numpy()
    extra = orders["extra"].to_numpy()
    counted = life.status != CANCELLED
    sold = np.isin(life.status, SOLD_CODES)
    line_order = items["order"].to_numpy()
    net = items["quantity"].to_numpy() * items["unit_price"].to_numpy() - items["discount"].to_numpy()
    net = np.where(sold[line_order] & ~life.returned_line, net, 0.0)
    order_net = np.bincount(line_order, weights=net, minlength=len(orders))
    store_ids = cat.stores["store_id"].to_numpy()
    rows = []
    for i, (cid, c) in enumerate(zip(marketing.campaign_ids(campaigns), campaigns, strict=True)):
        mine = campaign == i
        rows.append({
            "campaign_id": cid,
            "channel": config.CHANNEL_IDS[c.channel],
            "store_ids": ",".join(store_ids[c.stores]),
            "true_channel_lift": c.lift,
            "expected_incremental_orders": round(c.lift * float((mine & ~extra & counted).sum()), 2),
            "incremental_orders": int((mine & extra & counted).sum()),
            "incremental_net_sales": round(float(order_net[mine & extra].sum()), 2),
        })
    return pd.DataFrame(rows)


def assemble(tl: Timeline, cat: Catalog, people: Customers, orders: pd.DataFrame, items: pd.DataFrame,
             life: Lifecycle, campaigns: list[marketing.Campaign], result: stock.StockResult,
             drop_store: int, lost_visits: pd.DataFrame, rngs: dict[str, np.random.Generator],
             step: Callable[[str], None]) -> dict[str, pd.DataFrame]:
    customers, new_index = customers_frame(tl, people, orders)
    customer_ids = customers["customer_id"].take(new_index[orders["customer"].to_numpy()]).reset_index(drop=True)
    region = people.region[orders["customer"].to_numpy()]
    cids = marketing.campaign_ids(campaigns)
    day = np.floor(orders["t"].to_numpy() / DAY).astype(np.int64)
    channel, campaign = orders["channel"].to_numpy(), orders["campaign"].to_numpy()
    events = plan_events(tl, cat, drop_store, result)
    stall = events.loc[events["what"] == "shipping_stall"]
    if len(stall):
        fulfilment.stall_shipping(life, orders["store"].to_numpy(), int(stall["store"].iloc[0]),
                                  int(stall["day_index"].iloc[0]) * DAY, channel == config.CHANNEL_IDS.index("offline"))
    order_frame = orders_frame(tl, cat, orders, life, region, customer_ids, cids)
    item_frame = items_frame(cat, items, order_frame["order_id"], life.returned_line)
    step(f"tables: {len(order_frame):,} orders, {len(item_frame):,} lines, {len(customers):,} customers")
    inventory = stock.inventory_frame(tl, cat, result)
    step(f"tables: {len(inventory):,} inventory snapshots")
    visits = pd.concat([orders[["t", "store", "channel", "campaign"]], lost_visits], ignore_index=True)
    traffic = traffic_frame(rngs["traffic"], tl, cat, np.floor(visits["t"].to_numpy() / DAY).astype(np.int64),
                            visits["store"].to_numpy(), visits["channel"].to_numpy(), visits["campaign"].to_numpy())
    revenue = np.nan_to_num(life.paid_total)
    spend = marketing.spend_frame(rngs["spend"], tl, campaigns, day, channel, revenue, campaign,
                                  orders["extra"].to_numpy())
    step(f"marketing: {len(traffic):,} traffic rows, {len(spend):,} spend rows")
    line_order = items["order"].to_numpy()
    first_line = np.flatnonzero(np.r_[True, line_order[1:] != line_order[:-1]])
    partial = np.bincount(line_order, weights=life.returned_line, minlength=len(orders)) > 0
    facts = OrderFacts(order_id=order_frame["order_id"], store_id=order_frame["store_id"],
                       customer_id=customer_ids, sku=item_frame["sku"].take(first_line).reset_index(drop=True),
                       t=orders["t"].to_numpy(), status=life.status, promised=life.promised,
                       delivered=life.delivered, partial_return=partial & (life.status != STATUSES.index("returned")))
    reviews = reviews_frame(rngs["reviews"], tl, facts, cat.products["sku"], cat.stores["store_id"])
    backlog = events.loc[events["what"] == "ticket_backlog", "store"]
    tickets = tickets_frame(rngs["tickets"], tl, facts, customers["customer_id"], cat.stores["store_id"],
                            backlog_store=cat.stores["store_id"].iloc[int(backlog.iloc[0])] if len(backlog) else None)
    step(f"service: {len(reviews):,} reviews, {len(tickets):,} tickets")
    return {
        "stores": cat.stores,
        "products": cat.products,
        "customers": customers,
        "orders": order_frame,
        "order_items": item_frame,
        "inventory": inventory,
        "traffic": traffic,
        "campaigns": marketing.campaigns_frame(tl, campaigns, cat.stores["store_id"].to_numpy()),
        "marketing_spend": spend,
        "reviews": reviews,
        "tickets": tickets,
        "campaign_truth": truth_frame(cat, campaigns, orders, life, items),
        "demo_events": events_frame(tl, cat, events),
    }


#: The planted conversion drop keeps one online order in this many (a checkout outage: conversion falls to a tenth).
CONVERSION_DROP = 10


def conversion_drop_store(cat: Catalog) -> int:
    """Index of the store of the planted conversion drop: the largest (the one whose day is least noise)."""
    by_size = np.argsort(-cat.store_weight, kind="stable")
    return int(by_size[0])


def lost_to_conversion_drop(order_day: np.ndarray, order_store: np.ndarray, order_channel: np.ndarray,
                            last: int, drop_store: int) -> np.ndarray:
    """Per order, True for the orders the planted drop loses: of the store's online orders on the last day (every
    channel but offline), all but every CONVERSION_DROP-th (a checkout fault in its online shop: the visitors come,
    most cannot buy). The traffic still counts their visitors, so the store's visitors stay, its conversion falls
    to a fraction and its sales with it. A store-wide fault, so even a small shop's store shows it above the noise
    of a day's sales."""
    mine = np.flatnonzero((order_day == last) & (order_store == drop_store)
                          & (order_channel != config.CHANNEL_IDS.index("offline")))
    lost = np.zeros(order_day.size, dtype=bool)
    lost[mine[np.arange(mine.size) % CONVERSION_DROP != 0]] = True
    return lost


def plan_events(tl: Timeline, cat: Catalog, drop_store: int, result: stock.StockResult) -> pd.DataFrame:
    """The planted exceptions: the conversion drop in `drop_store`'s online shop on the last day, the stock
    simulation's stock-out to come, a ticket backlog from BACKLOG_DAYS before the end in the largest store after
    those two that neither of them is in, and a warehouse that ships nothing paid from fulfilment.STALL_DAYS before
    the end in the largest store after that one that none of them is in.

    Columns: kind, what, store (index), sku (index, -1 = none), channel (index, -1 = none), day_index (the first
    day the exception is in the data). The conversion drop is always the first row."""
    by_size = np.argsort(-cat.store_weight, kind="stable")
    rows = [dict(kind="sales", what="conversion_drop", store=drop_store, sku=-1, channel=-1,
                 day_index=tl.n_days - 1)]
    if result.stockout_soon >= 0:
        n_products = cat.category.size
        rows.append(dict(kind="stock", what="stockout_soon", store=result.stockout_soon // n_products,
                         sku=result.stockout_soon % n_products, channel=-1,
                         day_index=tl.n_days - stock.STOCKOUT_EVENT_DAYS))
    used = {row["store"] for row in rows}
    backlog_store = next((int(s) for s in by_size[2:] if int(s) not in used), int(by_size[-1]))
    rows.append(dict(kind="service", what="ticket_backlog", store=backlog_store, sku=-1, channel=-1,
                     day_index=tl.n_days - BACKLOG_DAYS))
    used.add(backlog_store)
    stall_store = next((int(s) for s in by_size[2:] if int(s) not in used), int(by_size[-1]))
    rows.append(dict(kind="fulfilment", what="shipping_stall", store=stall_store, sku=-1, channel=-1,
                     day_index=tl.n_days - fulfilment.STALL_DAYS))
    return pd.DataFrame(rows)


def events_frame(tl: Timeline, cat: Catalog, events: pd.DataFrame) -> pd.DataFrame:
    """Columns of demo_events: id, kind, store_id, sku (None when the event is not about one), day, what."""
    sku = events["sku"].to_numpy()
    return pd.DataFrame({
        "id": np.arange(1, len(events) + 1, dtype=np.int64),
        "kind": pd.array(events["kind"], dtype="str"),
        "store_id": take(cat.stores["store_id"], events["store"].to_numpy()),
        "sku": take(cat.products["sku"], np.maximum(sku, 0), sku >= 0),
        "day": days(events["day_index"].to_numpy(), tl.start),
        "what": pd.array(events["what"], dtype="str"),
    })
