"""What a file's figures mean, applied between typing and shaping (no database read): whether the paid amount is
already net of refunds, which orders were never paid, the platform's status words, line totals given as prices,
and credit notes as returns of the lines they credit.

A profile (data_access.ingest.profiles) states the semantics of a known export; without one, the data decides
where it can (a refund larger than the paid amount cannot happen when paid is gross; a gross total equal to
paid + refund on most refunded rows means paid is net). Every decision is reported as a note (code, params).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from data_access.ingest.read import RawTable

#: note code -> English sentence (the page translates "upload.note.<code>").
NOTES: dict[str, str] = {
    "profile": "Looks like {label}.",
    "paid_net": "The paid amount is already net of refunds ({why}): stored as paid + refund, so net sales equal "
                "the paid amounts.",
    "unpaid": "{rows} order(s) have no payment time and were never paid: not counted as sales or orders.",
    "credit_notes": "{lines} credit-note line(s) (invoices starting with {prefix}) are returns: {matched} original "
                    "line(s) marked returned; {unmatched} without an original line in this file were left out.",
    "line_total": "The item price is the line's total: unit price = item price / quantity.",
    "pending_unpaid": "{orders} order(s) are pending, their payment not yet authorised: not counted as sales or "
                      "orders.",
    "refunded_whole": "{rows} order(s) are marked refunded and the file has no refund amount: refunded in full, "
                      "so they are no sales.",
    "cancelled_items": "{rows} cancelled item line(s) (quantity 0, no price) left out.",
    "summary_rows": "{rows} total row(s) of the report (starting with {prefix}) left out: they sum the rows above.",
}
_NET_SHARE = 0.8


@dataclasses.dataclass
class Notes:
    """Decisions taken while reading a file's meaning, in order."""

    items: list[tuple[str, dict]] = dataclasses.field(default_factory=list)

    def add(self, code: str, **params) -> None:
        self.items.append((code, params))

    def english(self) -> list[str]:
        return [NOTES[code].format(**params) for code, params in self.items]


def prepare_raw(raw: RawTable, kind: str, mapping: dict[str, str], semantics: dict | None) -> RawTable:
    """raw with the platform's words translated (order statuses; `words`: field -> {word: value, None = no
    answer}, e.g. Zendesk's Good/Bad satisfaction), discounts given negative taken as amounts (`discount`:
    "magnitude") and credit-note quantities made positive (their lines become returns, see credit_notes); the
    same raw when nothing applies."""
    if not semantics:
        return raw
    frame = raw.frame.copy(deep=False)  # columns are replaced, never changed in place
    changed = False
    for name, words in semantics.get("words", {}).items():
        if name in mapping:
            column = mapping[name]
            lookup = {str(word).strip().lower(): value for word, value in words.items()}
            stripped = frame[column].astype("str").str.strip().str.lower()
            known = stripped.isin(list(lookup)).fillna(False).astype(bool)
            frame[column] = frame[column].mask(known, stripped.map(lookup).astype("string"))
            changed = True
    if kind != "orders":
        return dataclasses.replace(raw, frame=frame) if changed else raw
    statuses = semantics.get("statuses")
    prefix = semantics.get("credit_note_prefix")
    if statuses and "status" in mapping:
        column = mapping["status"]
        stripped = frame[column].astype("str").str.strip()
        frame[column] = stripped.map(statuses).fillna(frame[column]).where(frame[column].notna())
        changed = True
    if semantics.get("discount") == "magnitude" and "discount" in mapping:
        column = mapping["discount"]
        frame[column] = frame[column].astype("str").str.strip().str.lstrip("-").where(frame[column].notna())
        changed = True
    if prefix and "order_id" in mapping and "quantity" in mapping:
        credit = frame[mapping["order_id"]].astype("str").str.strip().str.startswith(prefix).fillna(False)
        quantity = mapping["quantity"]
        frame[quantity] = frame[quantity].where(~credit, frame[quantity].astype("str").str.strip().str.lstrip("-"))
        changed = True
    return dataclasses.replace(raw, frame=frame) if changed else raw


def without_rows(raw: RawTable, kind: str, mapping: dict[str, str],
                 semantics: dict | None) -> tuple[RawTable, list[tuple[str, dict]]]:
    """raw without the rows an export adds that are no records, with their line numbers, and a note for each
    kind left out: items shown cancelled by a quantity of 0 and no price (Amazon's All Orders report,
    `zero_quantity`: "cancelled_item"), and the report's total rows (`summary_rows`: {"field", "prefix"}, e.g.
    Google Ads' "Total: Campaign" lines under the rows they sum)."""
    semantics = semantics or {}
    drop = np.zeros(len(raw.frame), dtype=bool)
    notes: list[tuple[str, dict]] = []
    if kind == "orders" and semantics.get("zero_quantity") == "cancelled_item" and "quantity" in mapping:
        cells = pd.to_numeric(raw.frame[mapping["quantity"]].astype("str").str.strip(), errors="coerce")
        zero = (cells == 0).fillna(False).to_numpy(dtype=bool)
        if zero.any():
            drop |= zero
            notes.append(("cancelled_items", {"rows": int(zero.sum())}))
    summary = semantics.get("summary_rows")
    if summary and summary["field"] in mapping:
        cells = raw.frame[mapping[summary["field"]]].astype("str").str.strip()
        total = cells.str.startswith(summary["prefix"]).fillna(False).to_numpy(dtype=bool)
        if total.any():
            drop |= total
            notes.append(("summary_rows", {"rows": int(total.sum()), "prefix": summary["prefix"]}))
    if not drop.any():
        return raw, []
    keep = ~drop
    return (dataclasses.replace(raw, frame=raw.frame[keep].reset_index(drop=True),
                                line_numbers=np.asarray(raw.line_numbers)[keep]), notes)


def derived_status(typed: pd.DataFrame) -> pd.Series:
    """Status of orders whose file has none: returned when the whole paid amount was refunded, else paid."""
    status = pd.Series("paid", index=typed.index, dtype="str")
    if "refund_total" in typed.columns and "paid_total" in typed.columns:
        refunded = (typed["paid_total"] > 0) & (typed["refund_total"] >= typed["paid_total"])
        status[refunded.fillna(False).astype(bool)] = "returned"
    return status


def apply(kind: str, level: str | None, typed: pd.DataFrame, mapping: dict[str, str], semantics: dict | None,
          notes: Notes) -> pd.DataFrame:
    """typed orders with paid amounts made gross, unpaid orders cancelled and line totals made unit prices."""
    if kind != "orders":
        return typed
    semantics = semantics or {}
    typed = typed.copy()
    if level != "line" and "paid_total" in typed.columns and "refund_total" in typed.columns:
        why = _paid_is_net(typed, semantics)
        if why:
            typed["paid_total"] = (typed["paid_total"] + typed["refund_total"].fillna(0)).round(2)
            notes.add("paid_net", why=why)
    if level != "line" and "status" in typed.columns and "paid_total" in typed.columns \
            and "refund_total" not in typed.columns:
        # A refund the file shows by the status alone (Pinduoduo's 退款成功): the whole paid amount came back.
        returned = (typed["status"] == "returned").fillna(False).astype(bool)
        if returned.any():
            typed["refund_total"] = typed["paid_total"].where(returned)
            notes.add("refunded_whole", rows=int(returned.sum()))
    if semantics.get("line_total") == "unit_price" and {"unit_price", "quantity"} <= set(typed.columns):
        typed["unit_price"] = (typed["unit_price"] / typed["quantity"].astype("Float64")).round(2)
        notes.add("line_total")
    unpaid_field = semantics.get("unpaid_when_empty", "paid_at")
    # In a line-level export the payment time may sit on an order's first line only (Shopify): there only a
    # profile that says so makes an order without any payment time unpaid.
    by_order = level == "line"
    if (not by_order or "unpaid_when_empty" in semantics) and unpaid_field in mapping \
            and unpaid_field in typed.columns:
        if "status" not in typed.columns:
            typed["status"] = derived_status(typed)
        # An order the export shows without a payment time was not paid when it was exported (awaiting
        # payment included): no sale and, as the platform's own reports count, no order.
        never_paid = typed[unpaid_field].isna()
        if by_order and "order_id" in typed.columns:
            never_paid = never_paid.groupby(typed["order_id"]).transform("all")
        unpaid = (never_paid & (typed["status"] != "cancelled")).astype(bool)
        if unpaid.any():
            typed.loc[unpaid, "status"] = "cancelled"
            notes.add("unpaid", rows=int(unpaid.sum()))
    if semantics.get("pending_unpaid") and "status" in typed.columns:
        # The platform's "pending" means the payment is not authorised yet (Amazon): no sale and no order.
        pending = (typed["status"] == "pending").fillna(False).astype(bool)
        if pending.any():
            typed.loc[pending, "status"] = "cancelled"
            orders = typed.loc[pending, "order_id"].nunique() if "order_id" in typed.columns else pending.sum()
            notes.add("pending_unpaid", orders=int(orders))
    return typed


def _paid_is_net(typed: pd.DataFrame, semantics: dict) -> str | None:
    """Why the paid amount is net of refunds ('the profile says so', ...), None when it is gross."""
    stated = semantics.get("paid")
    if stated == "net":
        return "the platform's export defines it so"
    if stated == "gross":
        return None
    paid, refund = typed["paid_total"], typed["refund_total"]
    refunded = (refund > 0).fillna(False).astype(bool)
    if not refunded.any():
        return None
    if "gross_total" in typed.columns:
        agrees = ((typed["gross_total"] - paid - refund).abs() <= 0.01).fillna(False).astype(bool)
        if agrees[refunded].mean() >= _NET_SHARE:
            return "the total equals paid + refund on most refunded rows"
    larger = (refund > paid + 0.01).fillna(False).astype(bool)
    if larger.any():
        return f"{int(larger.sum())} row(s) refund more than was paid, which only a net paid amount allows"
    return None


def credit_notes(tables: dict[str, pd.DataFrame], semantics: dict | None, notes: Notes) -> dict[str, pd.DataFrame]:
    """Credit-note invoices (ids starting with the profile's prefix) removed from orders and lines; each credit
    line marks the latest earlier line of the same customer and SKU returned."""
    prefix = (semantics or {}).get("credit_note_prefix")
    orders, items = tables.get("orders"), tables.get("order_items")
    if not prefix or orders is None or items is None or orders.empty:
        return tables
    credit_ids = orders.loc[orders["order_id"].astype("str").str.startswith(prefix), "order_id"]
    if credit_ids.empty:
        return tables
    items = items.copy()
    if "returned" not in items.columns:
        items["returned"] = pd.array(np.zeros(len(items), dtype=bool), dtype="boolean")
    header = orders[["order_id", "ordered_at"] + (["customer_id"] if "customer_id" in orders.columns else [])]
    lines = items.reset_index(names="_line").merge(header, on="order_id", how="left")
    is_credit = lines["order_id"].isin(credit_ids)
    keys = ["sku"] + (["customer_id"] if "customer_id" in lines.columns else [])
    credit = lines[is_credit].dropna(subset=keys)
    original = lines[~is_credit].dropna(subset=keys)
    pairs = credit.merge(original, on=keys, suffixes=("_c", "_o"))
    pairs = pairs[pairs["ordered_at_o"] <= pairs["ordered_at_c"]].sort_values(["ordered_at_o", "_line_o"])
    chosen = pairs.groupby("_line_c", sort=False).tail(1)
    marked = chosen["_line_o"].unique()
    items.loc[marked, "returned"] = True
    notes.add("credit_notes", lines=int(is_credit.sum()), prefix=prefix, matched=len(marked),
              unmatched=int(is_credit.sum()) - int(chosen["_line_c"].nunique()))
    keep = ~items["order_id"].isin(credit_ids)
    return {**tables, "orders": orders[~orders["order_id"].isin(credit_ids)].reset_index(drop=True),
            "order_items": items[keep].reset_index(drop=True)}
