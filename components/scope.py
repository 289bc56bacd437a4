"""The store scope rule: a user sees only their stores, whatever they pick or put in a link."""

from __future__ import annotations

from collections.abc import Iterable


def effective_stores(allowed: tuple[str, ...] | None, picked: Iterable[str] | None) -> tuple[str, ...] | None:
    """The stores a query may read: the pick within the allowed scope.

    allowed None = every store: the pick, or None (all) when nothing is picked.
    Otherwise the pick intersected with the scope, or the whole scope when nothing valid is picked;
    never None, so a scoped user can never widen to all stores.
    """
    picked_set = {str(s) for s in picked or ()}
    if allowed is None:
        return tuple(sorted(picked_set)) or None
    inside = tuple(sorted(picked_set & set(allowed)))
    return inside or tuple(sorted(allowed))
