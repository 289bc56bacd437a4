"""Which calendar events a campaign's pre-period can support, and which periods they cover.

A holiday the pre-period holds fewer than MIN_OCCURRENCES times cannot be learned from it (a model given a dummy
seen once fits that day exactly: zero residual, an interval of zero width), so it is not a regressor (inside the
pre-period its days then count as noise and widen the interval). A shop event (618, Double 11, Double 12, Spring
Festival: forecasting.shop_calendar's events, the big spikes and slumps) that cannot be learned is worse inside the
post-period: its spike would be read as the campaign's effect. Those post periods are left out, and named.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.calendar import shop_events
from forecasting.demand import Frequency

#: Occurrences in the pre-period's known rows a holiday needs to be a regressor.
MIN_OCCURRENCES = 2
#: Shop events beyond forecasting.shop_calendar's Chinese ones whose unsupported post days are left out.
OTHER_SHOP_EVENTS = {"black_friday"}


@dataclass(frozen=True)
class EventPlan:
    """calendar: the holidays kept as regressors (Prophet's format) or None; dropped: holiday names left out;
    post_blank: boolean mask over the post rows covered by an unsupported shop event;
    post_events: the names of those events in the post-period, in date order; quiet: no calendar event touches
    the pre- or post-period."""

    calendar: pd.DataFrame | None
    dropped: tuple[str, ...]
    post_blank: np.ndarray
    post_events: tuple[str, ...]
    quiet: bool


def plan_events(calendar: pd.DataFrame | None, freq: Frequency, pre: pd.DataFrame, post: pd.DataFrame,
                max_holidays: int) -> EventPlan:
    """Split `calendar` (Prophet's holiday format) into supported regressors (at most max_holidays, the most often
    seen first) and unsupported events, over pre (ds, y; y NaN = unknown) and post (ds)."""
    if calendar is None or calendar.empty:
        return EventPlan(None, (), np.zeros(len(post), bool), (), quiet=True)
    days = covered_rows(calendar, freq, pre["ds"].iloc[0], post["ds"].iloc[-1])
    known = set(pre.loc[pre["y"].notna(), "ds"])
    seen = days[days["ds"].isin(known)].groupby("holiday")["occurrence"].nunique()
    ranked = seen[seen >= MIN_OCCURRENCES].sort_values(ascending=False, kind="stable")
    kept = list(ranked.index[:max_holidays])
    dropped = tuple(sorted(set(calendar["holiday"]) - set(kept)))
    events = set(shop_events(pre["ds"].iloc[0].date(), post["ds"].iloc[-1].date())["holiday"]) | OTHER_SHOP_EVENTS
    unsupported = days[days["holiday"].isin(set(dropped) & events)]
    post_blank = post["ds"].isin(set(unsupported["ds"])).to_numpy()
    in_post = unsupported[unsupported["ds"].isin(set(post["ds"]))].sort_values("ds")
    names = tuple(dict.fromkeys(in_post["holiday"]))
    frame = calendar[calendar["holiday"].isin(kept)].reset_index(drop=True)
    return EventPlan(frame if not frame.empty else None, dropped, post_blank, names, quiet=days.empty)


def covered_rows(calendar: pd.DataFrame, freq: Frequency, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """holiday, occurrence (its date), ds: every grid row (day, or week labelled by its first day counted from
    `first`) a holiday's window touches within [first, last]."""
    rows = []
    for row in calendar.itertuples(index=False):
        centre = pd.Timestamp(row.ds)
        low, high = int(getattr(row, "lower_window", 0)), int(getattr(row, "upper_window", 0))
        for offset in range(low, high + 1):
            day = centre + pd.Timedelta(days=offset)
            label = first + pd.Timedelta(days=freq.step_days * ((day - first).days // freq.step_days))
            if first <= label <= last:
                rows.append((row.holiday, centre, label))
    return pd.DataFrame(rows, columns=["holiday", "occurrence", "ds"]).drop_duplicates()
