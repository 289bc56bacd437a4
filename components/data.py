"""The one cache gateway between the pages and the database.

The rule, stated once: a component reads the database only through run(fn, filters, **kwargs), where fn is a
query fn(engine, filters, **kwargs) of data_access/, forecasting/ or alerts/ (or an adapter below). The cache key is the
function's import path, the database URL, the Filters (so the store scope, always) and the keyword arguments;
the result is a copy the caller may change. Nothing else in components/ caches a query. The other caches are
for work that is not a query, each with its reason where it is declared: the word segmentation of the review
keywords (components.satisfaction.reader), the campaign effect fit (components.marketing.campaigns) and the
title matching of the market page (components.market.sections), each keyed by the data it is given, which the
scope has already decided.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from dataclasses import fields
from datetime import date

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from data_access import lookups, shop_settings
from data_access.engine import configured_url, get_engine
from data_access.filters import Filters
from data_access.inventory import forecast_store

TTL_SECONDS = 600
#: Forecast run metadata is read with a short time to live, so a run a job just finished shows within seconds.
RUN_TTL_SECONDS = 5


def _resolve(path: str):
    module_name, _, attr = path.partition(":")
    if not (module_name.startswith(("data_access.", "forecasting.", "alerts.")) or module_name == __name__):
        raise ValueError(f"not a query function: {path}")
    return getattr(importlib.import_module(module_name), attr)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=512)
def _cached_call(path: str, db_url: str, key: str, hashed_kwargs: tuple, _filters: Filters, _kwargs: tuple):
    # db_url and the filters (which hold the store scope, in key) are part of the cache key on purpose.
    return _resolve(path)(get_engine(db_url), _filters, **dict(_kwargs))


@st.cache_data(ttl=RUN_TTL_SECONDS, show_spinner=False, max_entries=64)
def _cached_run_call(path: str, db_url: str, key: str, hashed_kwargs: tuple, _filters: Filters, _kwargs: tuple):
    return _resolve(path)(get_engine(db_url), _filters, **dict(_kwargs))


#: Values whose repr() is exact and stable (unlike an object's default repr, which holds its address).
_PLAIN = (str, int, float, bool, type(None), date)


def _plain(value) -> bool:
    return isinstance(value, _PLAIN) or (isinstance(value, tuple) and all(_plain(v) for v in value))


def cache_key(filters: Filters, kwargs: tuple) -> tuple[str, tuple]:
    """The cache key's text for filters and kwargs, and the kwargs Streamlit must hash itself (those not plain).

    The key is the repr of the fields that make Filters equal (dates, tuples of strings; so the store scope
    always) and of the plain keyword values: exact, and ~40x cheaper than Streamlit hashing a Filters object
    (0.29 ms a call, ~20 calls an overview rerun; issue 17, point 8).
    """
    compared = tuple((f.name, getattr(filters, f.name)) for f in fields(filters) if f.compare)
    plain = tuple(item for item in kwargs if _plain(item[1]))
    if not _plain(compared):
        raise TypeError(f"Filters fields must be plain values: {compared!r}")
    return repr((compared, plain)), tuple(item for item in kwargs if not _plain(item[1]))


def run(fn: Callable, filters: Filters, *, ttl: str = "default", **kwargs):
    """fn(engine, filters, **kwargs) through the cache (see the module docstring); keyword values must be hashable.

    ttl="run" keeps the result a minute only (forecast run metadata, which a batch run changes).
    """
    path = f"{fn.__module__}:{fn.__qualname__}"
    call = _cached_run_call if ttl == "run" else _cached_call
    items = tuple(sorted(kwargs.items()))
    key, hashed = cache_key(filters, items)
    result = call(path, configured_url(), key, hashed, filters, items)
    return result.copy() if isinstance(result, pd.DataFrame) else copy.copy(result)


# Adapters for reads that are not store-level, so that run() caches them by the same rule (f keys the cache).

def list_categories(engine: sa.Engine, f: Filters) -> list[str]:
    """Every product category (the catalogue is not store-level; f only keys the cache)."""
    return lookups.list_categories(engine)


def product_names(engine: sa.Engine, f: Filters, skus: tuple[str, ...]) -> pd.DataFrame:
    """lookups.product_names (the catalogue is not store-level; f only keys the cache)."""
    return lookups.product_names(engine, skus)


def shop_country(engine: sa.Engine, f: Filters) -> str:
    """The shop's country code (a shop-wide setting; f only keys the cache; ttl="run" so an admin's change shows
    within a minute)."""
    return shop_settings.shop_country(engine)


def latest_forecast_run(engine: sa.Engine, f: Filters) -> dict | None:
    """The newest finished forecast run (run metadata is not store-level; f only keys the cache)."""
    return forecast_store.latest_run(engine)
