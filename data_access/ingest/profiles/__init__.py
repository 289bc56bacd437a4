"""Profiles of known export formats, kept as data: one module per platform or tool, each defining PROFILES, a
list of dicts with

- id, platform, label (what the upload page says: "looks like {label}"), kind (one of fields.KINDS);
- columns: canonical field -> the header the platform documents for it (in the platform's language);
- semantics (orders): paid ("net" = the paid amount is already net of refunds, "gross" = before refunds),
  unpaid_when_empty (a field whose empty cell means the order was never paid), statuses (raw value -> canonical
  status), credit_note_prefix (order ids of credit notes, whose lines are returns), line_total ("unit_price" =
  the price column is the line's total), discount ("magnitude" = shown negative), zero_quantity
  ("cancelled_item" = a row of quantity 0 is a cancelled item, left out), pending_unpaid (True = "pending" means
  not paid yet: no sale, no order); (any kind) words (field -> {export's word: stored value, None = empty},
  e.g. Zendesk's Good/Bad satisfaction), summary_rows ({"field", "prefix"}: the report's total rows, left
  out); an order-level file with no refund column counts its refunded orders as refunded in full;
- optional (optional): canonical field -> header of columns the export carries only in some versions or setups
  (a carrier, the postage): mapped when present, never counted for or against the match;
- signature (optional): more headers of the export that identify it but map to no field;
- defaults: values for fields the file has no column for (the platform's channel, a store named after it);
- undated (optional): the export has no date column (an audience breakdown): its day is a date in the file
  name, else the day of the import, as a default the user sees and may change.

A file matches a profile when most of the profile's documented headers are among its columns.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from data_access.ingest.fields import normalise

#: Share of a profile's documented headers a file must have to be taken for that platform's export.
MIN_SHARE = 0.6


@cache
def all_profiles() -> tuple[dict, ...]:
    """Every profile of every module in this package, in module-name order."""
    found: list[dict] = []
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        found.extend(importlib.import_module(f"{__name__}.{module}").PROFILES)
    return tuple(found)


def by_id(profile_id: str) -> dict | None:
    return next((p for p in all_profiles() if p["id"] == profile_id), None)


def match(columns: list[str]) -> tuple[dict, float, dict[str, str]] | None:
    """(profile, share of its headers present, mapping field -> the file's column) of the best-matching profile,
    or None when none reaches MIN_SHARE. Headers are compared whole (after normalise), never as substrings."""
    present = {normalise(c): c for c in columns}
    best = None
    for profile in all_profiles():
        wanted = profile["columns"]
        mapping = {name: present[normalise(header)] for name, header in wanted.items()
                   if normalise(header) in present}
        # A profile may name further headers that identify the export without being mapped (its signature).
        signature = [normalise(h) for h in profile.get("signature", ())]
        seen = len(mapping) + sum(1 for h in signature if h in present)
        share = seen / max(len(wanted) + len(signature), 1)
        if share >= MIN_SHARE and (best is None or share > best[1]):
            optional = {name: present[normalise(header)] for name, header in profile.get("optional", {}).items()
                        if normalise(header) in present}
            best = (profile, round(share, 3), {**mapping, **optional})
    return best
