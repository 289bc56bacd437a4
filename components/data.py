"""Cached calls of the named queries for pages; every cache key carries the filters, so the store scope."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime

import pandas as pd
import streamlit as st

from data_access import lookups
from data_access.engine import configured_url, get_engine
from data_access.filters import Filters
from data_access.inventory import stock
from data_access.sales import customers, queries, segments
from data_access.satisfaction import service

_QUERIES = {
    "daily_sales": queries.daily_sales,
    "kpi_totals": queries.kpi_totals,
    "sales_by": queries.sales_by,
    "top_products": queries.top_products,
    "product_movers": queries.product_movers,
    "stock_on_hand": stock.stock_on_hand,
    "lowest_recent_reviews": service.lowest_recent_reviews,
    "customer_kpis": customers.customer_kpis,
    "sales_trend": customers.sales_trend,
    "product_abc": customers.product_abc,
    "product_weekly_sales": customers.product_weekly_sales,
    "funnel_by_channel": customers.funnel_by_channel,
    "new_vs_returning": customers.new_vs_returning,
    "rfm_segments": segments.rfm_segments,
    "cohort_retention": segments.cohort_retention,
}
TTL_SECONDS = 600


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=512)
def _cached(name: str, db_url: str, filters: Filters, kwargs: tuple) -> pd.DataFrame:
    # db_url and filters (which holds the store scope) are part of the key on purpose.
    return _QUERIES[name](get_engine(db_url), filters, **dict(kwargs))


def query(name: str, filters: Filters, **kwargs) -> pd.DataFrame:
    """Run a named sales query through the cache; returns a copy the page may modify."""
    return _cached(name, configured_url(), filters, tuple(sorted(kwargs.items()))).copy()


def _resolve(path: str):
    module_name, _, attr = path.partition(":")
    if not module_name.startswith("data_access.") and not module_name.startswith("forecasting."):
        raise ValueError(f"not a query function: {path}")
    return getattr(importlib.import_module(module_name), attr)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=512)
def _cached_call(path: str, db_url: str, filters: Filters, kwargs: tuple) -> pd.DataFrame:
    # db_url and filters (which holds the store scope) are part of the key on purpose.
    return _resolve(path)(get_engine(db_url), filters, **dict(kwargs))


def run(fn: Callable[..., pd.DataFrame], filters: Filters, **kwargs) -> pd.DataFrame:
    """Run fn(engine, filters, **kwargs), a query function of data_access/ or forecasting/, through the cache.

    The key is the function's import path, the database URL, the filters (so the store scope) and the
    keyword arguments (hashable values only); returns a copy the page may modify.
    """
    path = f"{fn.__module__}:{fn.__qualname__}"
    return _cached_call(path, configured_url(), filters, tuple(sorted(kwargs.items()))).copy()


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=128)
def tickets_past_sla(db_url: str, as_of: datetime, scope: tuple[str, ...] | None) -> pd.DataFrame:
    return service.open_tickets_past_sla(get_engine(db_url), Filters.all_time(scope), as_of)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def stores(db_url: str, scope: tuple[str, ...] | None) -> pd.DataFrame:
    return lookups.list_stores(get_engine(db_url), Filters.all_time(scope))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def categories(db_url: str) -> list[str]:
    return lookups.list_categories(get_engine(db_url))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def date_range(db_url: str, scope: tuple[str, ...] | None) -> tuple | None:
    return lookups.order_date_range(get_engine(db_url), Filters.all_time(scope))
