"""Typed fields -> the canonical tables a kind of file fills: derived fields, keys repeated in the file, order
lines grouped into orders, ad rows summed to the marketing_spend key."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access import schema
from data_access.ingest import listings, rules, semantics, threads
from data_access.ingest.model import ErrorLog
from data_access.ingest.read import RawTable

#: Order-level columns that must agree across the lines of one order in a line-level file.
_ORDER_CONSISTENT = ("ordered_at", "store_id", "customer_id", "channel")
_SAME_ORDER_TIME = pd.Timedelta(minutes=5)
_SPEND_SUMS = ("spend", "impressions", "clicks", "conversions")


def build(kind: str, level: str | None, typed: pd.DataFrame, raw: RawTable, mapping: dict[str, str],
          errors: ErrorLog, known_orders: set | None = None) -> dict[str, pd.DataFrame]:
    """The canonical tables for kind; problems between rows (repeated keys, lines of one order that disagree,
    lines of orders not in known_orders, the ids the database holds; None: not checked) are added to errors."""
    ctx = _Context(typed, raw, mapping, errors)
    if kind == "orders" and level == "line":
        return _line_orders(ctx)
    if kind == "orders":
        orders = _columns(typed, "orders")
        if "status" not in orders.columns:
            orders["status"] = semantics.derived_status(typed)
        ctx.unique(orders, ["order_id"])
        return {"orders": orders}
    if kind == "order_items":
        items = _numbered_lines(ctx)
        ctx.unique(items, ["order_id", "line_no"])
        if known_orders is not None:
            _check_orders_exist(ctx, items, known_orders)
        return {"order_items": items}
    if kind == "marketing_spend":
        return {"marketing_spend": _summed_spend(typed)}
    if kind == "conversations":
        return {"tickets": _threads(ctx)}
    if kind == "daily_metrics":
        metrics = _daily_metrics(typed)
        ctx.unique(metrics, rules.key_of("daily_metrics"))
        return {"daily_metrics": metrics}
    table = rules.TABLES[kind][0]
    frame = _columns(typed, table)
    if kind == "products":
        frame["name"] = frame["name"].fillna(frame["sku"]) if "name" in frame.columns else frame["sku"]
    if kind == "reviews" and "review_id" not in frame.columns:
        frame.insert(0, "review_id", _content_ids(frame))
    if kind == "listings" and "source" not in frame.columns:
        frame.insert(1, "source", listings.source_of(raw.filename))
    ctx.unique(frame, rules.key_of(table))
    return {table: frame}


class _Context:
    """What the table builders share: the typed rows and where to report a row's problem."""

    def __init__(self, typed: pd.DataFrame, raw: RawTable, mapping: dict[str, str], errors: ErrorLog):
        self.typed, self.raw, self.mapping, self.errors = typed, raw, mapping, errors

    def column(self, field_name: str) -> str:
        """The source column of a field (the constant's '=field' when it came from a constant)."""
        return self.mapping.get(field_name, f"={field_name}")

    def values(self, field_name: str) -> pd.Series | None:
        column = self.mapping.get(field_name)
        return self.raw.frame[column] if column is not None else None

    def unique(self, frame: pd.DataFrame, keys: list[str]) -> None:
        """A key repeated in the file is an error on every repeat, naming the line of its first row."""
        complete = frame[keys].notna().all(axis=1)
        repeated = frame[keys].duplicated(keep="first") & complete
        if not repeated.any():
            return
        first_row = frame.groupby(keys, sort=False, dropna=True).cumcount() == 0
        lines = pd.Series(self.errors.lines, index=frame.index)
        first_line = lines.where(first_row & complete).groupby([frame[k] for k in keys], sort=False) \
            .transform("first")
        reason = "repeats the key " + "/".join(keys) + " of line " + first_line.astype("Int64").astype("str")
        field_name = keys[-1] if keys[-1] in self.typed.columns else keys[0]
        self.errors.add(repeated, self.column(field_name), field_name, self.values(field_name), "duplicate_key",
                        reason)


def _columns(typed: pd.DataFrame, table: str) -> pd.DataFrame:
    """The typed fields that are columns of table, in the table's column order."""
    names = [c.name for c in schema.metadata.tables[table].columns if c.name in typed.columns]
    return typed[names].copy()


def _numbered_lines(ctx: _Context) -> pd.DataFrame:
    """order_items rows; without a line number column, lines are numbered 1.. within each order in file order;
    without a quantity, each row is one unit; an empty discount is 0."""
    items = _columns(ctx.typed, "order_items")
    if "line_no" not in items.columns:
        items.insert(1, "line_no", (items.groupby("order_id", sort=False, dropna=False).cumcount() + 1)
                     .astype("Int64"))
    if "quantity" not in items.columns:
        items["quantity"] = pd.array(np.ones(len(items), dtype="int64"), dtype="Int64")
    if "discount" in items.columns:  # an empty discount cell is no discount (the column is NOT NULL)
        items["discount"] = items["discount"].fillna(0)
    return items


def _line_orders(ctx: _Context) -> dict[str, pd.DataFrame]:
    """A line-level orders file: its lines, and one order per order id built from the order's first line."""
    items = _numbered_lines(ctx)
    ctx.unique(items, ["order_id", "line_no"])
    typed = ctx.typed
    first = typed.groupby("order_id", sort=False, dropna=True).transform("first") if len(typed) else typed
    for name in _ORDER_CONSISTENT:
        if name in typed.columns and name in ctx.mapping:
            differs = (typed[name].notna() & first[name].notna() & (typed[name] != first[name])).astype(bool)
            if name == "ordered_at":
                # The lines of one invoice are often stamped a few seconds or minutes apart.
                differs &= ((typed[name] - first[name]).abs() > _SAME_ORDER_TIME).fillna(False).astype(bool)
            ctx.errors.add(differs, ctx.column(name), name, ctx.values(name), "inconsistent_order",
                           f"differs from the {name} of an earlier line of the same order")
    level_fields = [n for n in typed.columns if n not in rules.LINE_FIELDS]
    orders = typed[level_fields].dropna(subset=["order_id"]).drop_duplicates("order_id", keep="first")
    orders = _columns(orders, "orders")
    if "status" not in orders.columns:
        orders["status"] = "paid"
    return {"orders": orders.reset_index(drop=True), "order_items": items}


def _check_orders_exist(ctx: _Context, items: pd.DataFrame, known: set) -> None:
    missing = (items["order_id"].notna() & ~items["order_id"].isin(known)).astype(bool)
    ctx.errors.add(missing, ctx.column("order_id"), "order_id", ctx.values("order_id"), "unknown_order",
                   "no order with this id in the database: import the orders first")


def _summed_spend(typed: pd.DataFrame) -> pd.DataFrame:
    """Ad rows summed to the marketing_spend key (day, channel, campaign_id; '' = no campaign)."""
    frame = _columns(typed, "marketing_spend")
    if "campaign_id" not in frame.columns:
        frame["campaign_id"] = ""
    frame["campaign_id"] = frame["campaign_id"].fillna("")
    sums = [c for c in _SPEND_SUMS if c in frame.columns]
    keyed = frame.dropna(subset=["day", "channel"])
    if keyed.empty:
        return keyed.reset_index(drop=True)
    summed = keyed.groupby(["day", "channel", "campaign_id"], sort=True)[sums].sum(min_count=1).reset_index()
    for name in sums:
        if name != "spend":
            summed[name] = summed[name].round().astype("Int64")
    summed["spend"] = summed["spend"].round(2)
    return summed


def _threads(ctx: _Context) -> pd.DataFrame:
    """Messages -> tickets rows (data_access.ingest.threads): the thread is the conversation id, else the first
    message of the reply chain; a thread without any id is an error on its rows."""
    typed = ctx.typed
    if "conversation_id" in typed.columns:
        thread = typed["conversation_id"]
    elif {"message_id", "in_reply_to"} <= set(typed.columns):
        thread = threads.thread_ids(typed["message_id"], typed["in_reply_to"])
    else:
        thread = typed["message_id"] if "message_id" in typed.columns else pd.Series(pd.NA, index=typed.index)
    lost = thread.isna().to_numpy()
    if lost.any():
        ctx.errors.add(pd.Series(lost, index=typed.index), ctx.column("author"), "conversation_id",
                       ctx.values("author"), "required", "the message names no conversation or message id")
    messages = pd.DataFrame({"thread": thread, "at": typed["sent_at"], "author": typed["author"]})
    for name in ("customer_id", "store_id", "channel"):
        if name in typed.columns:
            messages[name] = typed[name]
    tickets = threads.tickets_from_messages(messages)
    return tickets[[c.name for c in schema.tickets.columns if c.name in tickets.columns]]


def _daily_metrics(typed: pd.DataFrame) -> pd.DataFrame:
    """Report rows as daily_metrics rows: channel '' (all channels) where the file has none, and days = 7 when
    the report's dates are a week apart (a weekly report), else 1."""
    frame = _columns(typed, "daily_metrics")
    frame["channel"] = frame["channel"].fillna("") if "channel" in frame.columns else ""
    days = pd.Series(frame["day"].dropna().unique()).sort_values()
    weekly = len(days) > 1 and days.diff().dropna().dt.days.median() == 7
    frame["days"] = 7 if weekly else 1
    return frame


def _content_ids(frame: pd.DataFrame) -> pd.Series:
    """Stable review ids for files without one: a hash of the review's content and how many identical reviews
    came before it, so the same file always yields the same ids and identical reviews stay distinct."""
    content = frame.astype("str")
    hashes = pd.util.hash_pandas_object(content, index=False).to_numpy()
    occurrence = pd.Series(hashes).groupby(hashes, sort=False).cumcount().to_numpy()
    mixed = pd.util.hash_array(hashes ^ (occurrence.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)))
    return pd.Series([f"H{value:016x}" for value in mixed], index=frame.index, dtype="str")
