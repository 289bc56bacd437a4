"""Small vectorised helpers: id strings, string columns from codes, timestamps from seconds."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

DAY = 86_400.0


def ids(prefix: str, n: int, width: int) -> pd.Series:
    """prefix + zero-padded 1..n, as a string Series (built in Arrow: millions per second)."""
    width = max(width, len(str(n)))
    digits = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), width, "0")
    joined = pc.binary_join_element_wise(pa.scalar(prefix), digits, "")
    return pd.Series(pd.array(joined, dtype="str"))


def take(values, codes: np.ndarray, mask: np.ndarray | None = None) -> pd.Series:
    """values[codes] as a string Series; positions where mask is False become missing."""
    arr = pd.array(np.asarray(values, dtype=object), dtype="str").take(np.asarray(codes, dtype=np.int64))
    out = pd.Series(arr)
    if mask is not None:
        out = out.where(pd.Series(mask))
    return out


def timestamps(seconds: np.ndarray, origin: date, mask: np.ndarray | None = None) -> pd.Series:
    """Seconds since origin (midnight) as datetime64[us], rounded to the second; NaT where mask is False."""
    secs = np.floor(np.asarray(seconds, dtype=float)).astype(np.int64)
    values = np.datetime64(origin, "s") + secs.astype("timedelta64[s]")
    out = pd.Series(values.astype("datetime64[us]"))
    if mask is not None:
        out = out.where(pd.Series(mask))
    return out


def days(day_index: np.ndarray, origin: date, valid: np.ndarray | None = None) -> pd.Series:
    """Day numbers since origin as a date column (Arrow date32: compact, loads as DATE); missing where valid is
    False."""
    values = np.datetime64(origin, "D") + np.asarray(day_index, dtype=np.int64).astype("timedelta64[D]")
    mask = None if valid is None else ~np.asarray(valid, dtype=bool)
    return pd.Series(pa.array(values, type=pa.date32(), mask=mask), dtype=pd.ArrowDtype(pa.date32()))


def choice(rng: np.random.Generator, probs: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn from one discrete distribution (inverse CDF, faster than rng.choice for big sizes)."""
    cdf = np.cumsum(probs)
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), len(probs) - 1)


def choice_rows(rng: np.random.Generator, cdf_rows: np.ndarray) -> np.ndarray:
    """One index per row of a matrix of row-wise CDFs (each row ends at 1)."""
    u = rng.random(cdf_rows.shape[0])
    return np.minimum((u[:, None] >= cdf_rows).sum(axis=1), cdf_rows.shape[1] - 1)


def money(values: np.ndarray) -> np.ndarray:
    """Round to cents."""
    return np.round(np.asarray(values, dtype=float), 2)
