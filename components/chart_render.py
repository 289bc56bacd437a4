"""Every chart is drawn through show_chart: a chart built once from the same data, labels and language is reused.

Building an Altair chart and turning it into a Vega-Lite spec (Altair validates the whole spec against its JSON
schema) costs tens of milliseconds per chart, on every rerun of every session, although most sessions draw the
same charts from the same rows. show_chart keys the finished spec (its data already Arrow bytes, as
st.altair_chart makes them) by the builder (the chart's kind), a fingerprint of every argument (DataFrames by
their values, columns, dtypes and index) and the language, so only identical charts share a spec: a user never
gets a chart built from rows they could not read themselves. Arguments it cannot fingerprint are built
uncached.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from components.lang import current_lang

#: Specs kept per process (least recently used dropped first); an overview spec is a few kB to a few 10 kB.
MAX_SPECS = 512
_SPECS: OrderedDict[str, dict] = OrderedDict()
_LOCK = threading.Lock()
_SCALARS = (str, int, float, bool, type(None), dt.date, dt.datetime, dt.timedelta, pd.Timestamp, pd.Timedelta,
            np.generic)


class _Unhashable(Exception):
    """An argument show_chart cannot fingerprint safely: the chart is built without the cache."""


#: What an object column may hold to be fingerprinted: types whose repr is their value.
_CELL_TYPES = frozenset({str, int, float, bool, type(None), type(pd.NA), type(pd.NaT), pd.Timestamp, pd.Timedelta,
                         dt.date, dt.datetime, dt.timedelta, np.float64, np.int64, np.bool_})


def _feed_values(digest: Any, values: Any) -> None:
    """One column or index: numbers and dates by their bytes, text and other cells by their reprs."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        _feed_values(digest, pd.Index(values.cat.categories) if hasattr(values, "cat") else values.categories)
        codes = values.cat.codes if hasattr(values, "cat") else values.codes
        digest.update(np.ascontiguousarray(np.asarray(codes)).tobytes())
        return
    array = values.to_numpy()
    if array.dtype.kind in "biufcmM":
        digest.update(array.dtype.str.encode())
        digest.update(np.ascontiguousarray(array).tobytes())
        return
    if not {type(cell) for cell in array} <= _CELL_TYPES:
        raise _Unhashable(str(values.dtype))
    # repr escapes control characters, so the separator cannot occur inside a cell's repr.
    digest.update("\x1f".join(map(repr, array)).encode("utf-8", "surrogatepass"))


def _feed(digest: Any, value: Any) -> None:
    if isinstance(value, pd.DataFrame | pd.Series):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        digest.update(repr((type(value).__name__, list(frame.columns), [str(d) for d in frame.dtypes],
                            frame.shape, getattr(value, "name", None))).encode())
        _feed_values(digest, frame.index)
        for _, column in frame.items():
            _feed_values(digest, column)
    elif isinstance(value, _SCALARS):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, list | tuple):
        digest.update(f"{type(value).__name__}[{len(value)}](".encode())
        for item in value:
            _feed(digest, item)
        digest.update(b")")
    elif isinstance(value, dict):
        digest.update(f"dict[{len(value)}](".encode())
        for key in sorted(value, key=repr):
            _feed(digest, key)
            _feed(digest, value[key])
        digest.update(b")")
    else:
        raise _Unhashable(type(value).__name__)


def fingerprint(builder: Callable, args: tuple, kwargs: dict, lang: str) -> str | None:
    """The cache key of builder(*args, **kwargs) drawn in lang; None when an argument cannot be fingerprinted."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{builder.__module__}.{builder.__qualname__}|{lang}|".encode())
    try:
        _feed(digest, args)
        _feed(digest, kwargs)
    except _Unhashable:
        return None
    return digest.hexdigest()


def chart_spec(builder: Callable, *args: Any, **kwargs: Any) -> dict:
    """The Vega-Lite spec (data as Arrow bytes in "datasets") of builder(*args, **kwargs), built once per key.

    The returned dict is a copy: Streamlit may change the spec it is given.
    """
    key = fingerprint(builder, args, kwargs, current_lang())
    if key is not None:
        with _LOCK:
            spec = _SPECS.get(key)
            if spec is not None:
                _SPECS.move_to_end(key)
                return copy.deepcopy(spec)
    spec = _convert_altair_to_vega_lite_spec(builder(*args, **kwargs))
    if key is not None:
        with _LOCK:
            _SPECS[key] = spec
            while len(_SPECS) > MAX_SPECS:
                _SPECS.popitem(last=False)
    return copy.deepcopy(spec)


def show_chart(builder: Callable, *args: Any, where: Any = None, draw: dict | None = None, **kwargs: Any):
    """Draw builder(*args, **kwargs) (a chart builder of components/) in where (st, a column, st.sidebar).

    draw holds st.altair_chart's own arguments (width, key, on_select, ...); returns what it returns
    (the selection state with on_select).
    """
    return (where or st).vega_lite_chart(spec=chart_spec(builder, *args, **kwargs), **(draw or {}))


def clear() -> None:
    """Forget every cached spec (tests)."""
    with _LOCK:
        _SPECS.clear()
