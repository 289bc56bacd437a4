"""Checked inputs of a campaign-effect estimate: the series on a regular grid, its control series and the periods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.campaign_notes import Note
from forecasting.demand import Frequency, frequency_of

#: Internal column names of the control series (Prophet reserves names such as "trend" or "holidays").
CONTROL_PREFIX = "control_"


def prepare_series(series: pd.DataFrame) -> tuple[pd.DataFrame, Frequency]:
    """series (ds, y) -> ds, y on a regular daily or weekly grid from its first to its last date (gaps are NaN,
    duplicate dates add up), and the frequency. Raises ValueError naming the row of a bad date or value."""
    if not isinstance(series, pd.DataFrame):
        raise ValueError("series must be a DataFrame with columns ds and y")
    missing = {"ds", "y"} - set(series.columns)
    if missing:
        raise ValueError(f"series needs columns ds and y; missing {sorted(missing)}")
    ds = _dates(series["ds"], "series")
    y = _numbers(series["y"], "series", "y")
    frame = pd.DataFrame({"ds": ds, "y": y}).dropna(subset=["ds"])
    if frame.empty:
        raise ValueError("series has no dated rows")
    frame = frame.groupby("ds", as_index=False).agg(y=("y", lambda s: s.sum(min_count=1)))
    freq = frequency_of(frame["ds"])
    grid = pd.date_range(frame["ds"].iloc[0], frame["ds"].iloc[-1], freq=f"{freq.step_days}D")
    off_grid = ~frame["ds"].isin(grid)
    if off_grid.any():
        first = frame.loc[off_grid, "ds"].iloc[0].date()
        raise ValueError(f"series dates must be evenly spaced ({freq.step_days} days); {first} is off the grid")
    return frame.set_index("ds").reindex(grid).rename_axis("ds").reset_index(), freq


def merge_controls(frame: pd.DataFrame, controls: pd.DataFrame | None, notes: list[Note]) -> list[str]:
    """Add each control column to `frame` (in place, as control_0, control_1, ...); returns the original names
    in that order. Constant controls carry no information and are left out (noted)."""
    if controls is None:
        return []
    if not isinstance(controls, pd.DataFrame) or "ds" not in controls.columns:
        raise ValueError("controls must be a DataFrame with a ds column and one column per control series")
    names = [str(c) for c in controls.columns if c != "ds"]
    if not names:
        return []
    table = pd.DataFrame({"ds": _dates(controls["ds"], "controls")})
    for name, column in zip(names, [c for c in controls.columns if c != "ds"], strict=True):
        table[name] = _numbers(controls[column], "controls", name)
    table = table.dropna(subset=["ds"])
    duplicated = table["ds"].duplicated()
    if duplicated.any():
        raise ValueError(f"controls has the date {table.loc[duplicated, 'ds'].iloc[0].date()} more than once")
    merged = frame[["ds"]].merge(table, on="ds", how="left")
    kept = []
    for name in names:
        values = merged[name].to_numpy(float)
        if np.nanstd(values) == 0 if np.isfinite(values).any() else True:
            notes.append(Note("control_unused", f"control {name!r} is constant or empty and is not used",
                              {"control": name}))
            continue
        frame[f"{CONTROL_PREFIX}{len(kept)}"] = values
        kept.append(name)
    return kept


def check_controls(pre: pd.DataFrame, post: pd.DataFrame, names: list[str], notes: list[Note]) -> pd.DataFrame:
    """The pre-period with rows missing a control made unknown (y NaN, noted; the control carried over so the grid
    stays whole); ValueError when a post row misses one."""
    for i, name in enumerate(names):
        column = f"{CONTROL_PREFIX}{i}"
        gaps = post[column].isna()
        if gaps.any():
            raise ValueError(f"control {name!r} has no value on {post.loc[gaps, 'ds'].iloc[0].date()} in the "
                             "post-period; controls must cover the whole post-period")
    columns = [f"{CONTROL_PREFIX}{i}" for i in range(len(names))]
    if not columns:
        return pre
    missing = pre[columns].isna().any(axis=1)
    if not missing.any():
        return pre
    rows = int(missing.sum())
    notes.append(Note("control_rows_dropped",
                      f"{rows} pre-period rows without every control value are left out of the fit", {"rows": rows}))
    out = pre.copy()
    out.loc[missing, "y"] = np.nan
    out[columns] = out[columns].ffill().bfill()
    return out


def resolve_periods(frame: pd.DataFrame, freq: Frequency, pre_period, post_period,
                    notes: list[Note]) -> tuple[tuple[pd.Timestamp, pd.Timestamp], tuple[pd.Timestamp, pd.Timestamp]]:
    """Both (start, end) periods as timestamps, clipped to the data (noted). ValueError when a period is
    malformed or reversed, when they overlap or are in the wrong order, or when one holds no rows."""
    pre_start, pre_end = _period(pre_period, "pre_period")
    post_start, post_end = _period(post_period, "post_period")
    if pre_end >= post_start:
        raise ValueError(f"pre_period ({pre_start.date()} .. {pre_end.date()}) and post_period "
                         f"({post_start.date()} .. {post_end.date()}) overlap: the pre-period must end before the "
                         "post-period starts")
    first, last = frame["ds"].iloc[0], frame["ds"].iloc[-1] + pd.Timedelta(days=freq.step_days - 1)
    if post_start > last:
        raise ValueError(f"post_period starts on {post_start.date()}, after the data ends ({last.date()})")
    if pre_end < first:
        raise ValueError(f"pre_period ends on {pre_end.date()}, before the data starts ({first.date()})")
    if post_end > last:
        notes.append(Note("post_clipped", f"the post-period is clipped to the data: it ends on {last.date()}, not "
                          f"{post_end.date()}", {"end": last.date(), "requested": post_end.date()}))
        post_end = last
    if pre_start < first:
        notes.append(Note("pre_clipped", f"the pre-period starts with the data on {first.date()}, not "
                          f"{pre_start.date()}", {"start": first.date(), "requested": pre_start.date()}))
        pre_start = first
    for name, (start, end) in (("pre_period", (pre_start, pre_end)), ("post_period", (post_start, post_end))):
        if not ((frame["ds"] >= start) & (frame["ds"] <= end)).any():
            raise ValueError(f"{name} {start.date()} .. {end.date()} holds no date of the series")
    return (pre_start, pre_end), (post_start, post_end)


def _period(pair, name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if isinstance(pair, str) or not hasattr(pair, "__len__") or len(pair) != 2:
        raise ValueError(f"{name} must be a (start, end) pair of dates")
    try:
        start, end = (pd.Timestamp(value).normalize() for value in pair)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a (start, end) pair of dates: {exc}") from None
    if pd.isna(start) or pd.isna(end):
        raise ValueError(f"{name} must be a (start, end) pair of dates, not {pair!r}")
    if start > end:
        raise ValueError(f"{name} starts ({start.date()}) after it ends ({end.date()})")
    return start, end


def _dates(values: pd.Series, table: str) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce")
    bad = parsed.isna() & values.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(f"{table} row {row}: ds {values.iloc[row]!r} is not a date")
    return parsed.dt.tz_localize(None).dt.normalize() if parsed.dt.tz is not None else parsed.dt.normalize()


def _numbers(values: pd.Series, table: str, column: str) -> pd.Series:
    parsed = pd.to_numeric(values, errors="coerce").astype(float)
    bad = parsed.isna() & values.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(f"{table} row {row}: {column} {values.iloc[row]!r} is not a number")
    return parsed.where(np.isfinite(parsed))
