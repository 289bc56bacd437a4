"""components.data.run's cache key: the Filters (so the store scope) and the keyword values, without Streamlit
hashing the Filters object (issue 17, point 8)."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest
import streamlit as st

from components import data
from data_access import lookups
from data_access.filters import Filters

BASE = Filters(date(2025, 1, 1), date(2025, 3, 5), stores=("S1",))


@pytest.mark.parametrize("change", [
    {"stores": ("S2",)}, {"stores": None}, {"stores": ()}, {"stores": ("S1", "S2")}, {"channels": ("Direct",)},
    {"categories": ("",)}, {"start": date(2025, 1, 2)}, {"end": date(2025, 3, 4)},
    {"compare_with": (date(2024, 1, 1), date(2024, 3, 5))},
])
def test_every_field_that_makes_filters_differ_makes_the_key_differ(change):
    other = dataclasses.replace(BASE, **change)
    assert other != BASE
    assert data.cache_key(other, ())[0] != data.cache_key(BASE, ())[0]


def test_equal_filters_and_values_give_one_key_and_odd_values_are_left_to_streamlit():
    same = Filters(date(2025, 1, 1), date(2025, 3, 5), stores=["S1"], order_id_range=("a", "z"))
    assert same == BASE and data.cache_key(same, ())[0] == data.cache_key(BASE, ())[0]
    key, hashed = data.cache_key(BASE, (("days", 30), ("level", "sku")))
    assert hashed == () and key != data.cache_key(BASE, (("days", 31), ("level", "sku")))[0]
    assert data.cache_key(BASE, (("days", 1),))[0] != data.cache_key(BASE, (("days", True),))[0]
    assert data.cache_key(BASE, (("days", 1),))[0] != data.cache_key(BASE, (("days", 1.0),))[0]
    key, hashed = data.cache_key(BASE, (("days", np.int64(30)), ("skus", frozenset({"A"}))))
    assert hashed == (("days", np.int64(30)), ("skus", frozenset({"A"})))


def test_run_reads_once_per_scope_and_value(monkeypatch):
    calls = []

    def counting(engine, f, top=3):
        calls.append((f.stores, top))
        return list(f.stores or ()) * top

    counting.__module__, counting.__qualname__ = "data_access.lookups", "counting_for_test"
    monkeypatch.setattr(lookups, "counting_for_test", counting, raising=False)
    monkeypatch.setattr(data, "configured_url", lambda: "duckdb:///:memory:")
    monkeypatch.setattr(data, "get_engine", lambda url=None: None)
    st.cache_data.clear()
    assert data.run(counting, BASE) == ["S1"] * 3
    assert data.run(counting, dataclasses.replace(BASE, stores=["S1"])) == ["S1"] * 3  # the same: cached
    assert data.run(counting, dataclasses.replace(BASE, stores=("S2",))) == ["S2"] * 3
    assert data.run(counting, BASE, top=np.int64(1)) == ["S1"]
    assert data.run(counting, BASE, top=np.int64(1)) == ["S1"]
    assert calls == [(("S1",), 3), (("S2",), 3), (("S1",), np.int64(1))]
    st.cache_data.clear()
