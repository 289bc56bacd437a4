"""The one cache gateway between the pages and the database.

The rule, stated once: a component reads the database only through run(fn, filters, **kwargs), where fn is a
query fn(engine, filters, **kwargs) of data_access/ or forecasting/ (or an adapter below). The cache key is the
function's import path, the database URL, the Filters (so the store scope, always) and the keyword arguments;
the result is a copy the caller may change. Nothing else in components/ caches a query. The other caches are
for work that is not a query, each with its reason where it is declared: the word segmentation of the review
keywords (components.satisfaction.reader) and the campaign effect fit (components.marketing.campaigns), both
keyed by the data they are given, which the scope has already decided.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from data_access.engine import configured_url, get_engine
from data_access.filters import Filters
from data_access.inventory import forecast_store
from data_access.sales import queries
from data_access.satisfaction import reviews, service
from data_access.satisfaction.sla import Targets

TTL_SECONDS = 600
#: Forecast run metadata is read with a short time to live, so a batch that just finished shows within a minute.
RUN_TTL_SECONDS = 60


def _resolve(path: str):
    module_name, _, attr = path.partition(":")
    if not (module_name.startswith(("data_access.", "forecasting.")) or module_name == __name__):
        raise ValueError(f"not a query function: {path}")
    return getattr(importlib.import_module(module_name), attr)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=512)
def _cached_call(path: str, db_url: str, filters: Filters, kwargs: tuple):
    # db_url and filters (which holds the store scope) are part of the key on purpose.
    return _resolve(path)(get_engine(db_url), filters, **dict(kwargs))


@st.cache_data(ttl=RUN_TTL_SECONDS, show_spinner=False, max_entries=64)
def _cached_run_call(path: str, db_url: str, filters: Filters, kwargs: tuple):
    return _resolve(path)(get_engine(db_url), filters, **dict(kwargs))


def run(fn: Callable, filters: Filters, *, ttl: str = "default", **kwargs):
    """fn(engine, filters, **kwargs) through the cache (see the module docstring); keyword values must be hashable.

    ttl="run" keeps the result a minute only (forecast run metadata, which a batch run changes).
    """
    path = f"{fn.__module__}:{fn.__qualname__}"
    call = _cached_run_call if ttl == "run" else _cached_call
    result = call(path, configured_url(), filters, tuple(sorted(kwargs.items())))
    return result.copy() if isinstance(result, pd.DataFrame) else copy.copy(result)


def scope_filters(stores: tuple[str, ...] | None) -> Filters:
    """A Filters that carries only a store scope, for the queries that read no period (store list, data span).

    The dates are fixed so the cache key of such a query changes with the scope alone.
    """
    return Filters(date.min, date.min, stores=stores)


# Adapters: the queries below take the scope as a bare tuple (or none); these give them the shape
# fn(engine, filters, **kwargs) that run() calls, so they are cached by the same rule.

def list_stores(engine: sa.Engine, f: Filters) -> pd.DataFrame:
    """The stores of the scope f.stores."""
    return queries.list_stores(engine, f.stores)


def list_categories(engine: sa.Engine, f: Filters) -> list[str]:
    """Every product category (the catalogue is not store-level; f only keys the cache)."""
    return queries.list_categories(engine)


def order_date_range(engine: sa.Engine, f: Filters) -> tuple | None:
    """First and last order day of the scope's stores."""
    return queries.order_date_range(engine, f.stores)


def review_span(engine: sa.Engine, f: Filters) -> tuple | None:
    """First and last review day of the scope's stores."""
    return reviews.review_span(engine, f.stores)


def open_tickets_past_sla(engine: sa.Engine, f: Filters, as_of: datetime, targets: Targets | None = None,
                          limit: int = 50) -> pd.DataFrame:
    """Open tickets of the scope's stores past their SLA at as_of."""
    return service.open_tickets_past_sla(engine, as_of, f.stores, targets, limit=limit)


def latest_forecast_run(engine: sa.Engine, f: Filters) -> dict | None:
    """The newest finished forecast run (run metadata is not store-level; f only keys the cache)."""
    return forecast_store.latest_run(engine)
