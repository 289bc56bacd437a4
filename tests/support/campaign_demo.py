"""The demo shop's campaigns as effect-estimation cases: planted lift vs estimate, and placebo windows before them.

Used by tests/marketing/test_campaign.py (the done-when check) and bench/campaign.py. A case's series is the non-
cancelled orders of the campaign's channel in its stores (where the demo plants the lift: Poisson(lift x that day's
channel orders) extra orders); its optional control is the orders of every other channel in the same stores, which
share the stores' demand and events but not the lift. Days any campaign ran in those stores are unknown in the pre-
period (earlier campaigns are not the baseline), and the pre-period starts no earlier than the shop's first order.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.marketing.campaign_series import channel_series, planted_campaigns
from forecasting.campaign import CampaignEffect, estimate_effect

PRE_DAYS = 120


def case_frames(engine: sa.Engine, campaign: pd.Series, windows: pd.DataFrame, start: date, end: date,
                pre_days: int = PRE_DAYS) -> tuple[pd.DataFrame, pd.DataFrame, tuple[date, date], tuple[date, date]]:
    """(series ds, y; controls ds, other_channels; pre_period; post_period) for a window start..end of `campaign`'s
    channel and stores. windows: every campaign (store_ids, start_date, end_date), to blank their days."""
    pre_start = start - timedelta(days=pre_days)
    frame = channel_series(engine, Filters(pre_start, end, stores=campaign["store_ids"]), campaign["channel"])
    for w in windows.itertuples(index=False):
        if set(w.store_ids) & set(campaign["store_ids"]) and w.end_date < start:
            frame.loc[frame["ds"].between(pd.Timestamp(w.start_date), pd.Timestamp(w.end_date)), "y"] = np.nan
    pre = (max(pre_start, frame["ds"].iloc[0].date()), start - timedelta(days=1))
    return frame[["ds", "y"]], frame[["ds", "other_channels"]], pre, (start, end)


def evaluate(engine: sa.Engine, with_controls: bool = False, pre_days: int = PRE_DAYS,
             placebos: int = 1) -> pd.DataFrame:
    """One row per campaign (kind "campaign") and per placebo window (kind "placebo"; true lift 0): `placebos`
    windows of the campaign's length in its channel and stores, back to back, the last ending the day before it
    starts (the generator keeps 56 clean days before each campaign; earlier campaign days are blanked anyway).

    Columns: campaign_id, kind, channel, stores, start, end, true_lift, relative_lift, relative_lower,
    relative_upper, p_value, covered (true lift within the relative interval), significant, method, seconds.
    """
    camps = planted_campaigns(engine, Filters.all_time())
    rows = []
    for _, c in camps.iterrows():
        length = timedelta(days=(c["end_date"] - c["start_date"]).days + 1)
        windows = [("campaign", c["start_date"], c["end_date"], c["true_channel_lift"])]
        windows += [("placebo", c["start_date"] - k * length, c["start_date"] - (k - 1) * length - timedelta(days=1),
                     0.0) for k in range(1, placebos + 1)]
        for kind, start, end, truth in windows:
            series, controls, pre, post = case_frames(engine, c, camps, start, end, pre_days)
            began = time.perf_counter()
            result = estimate_effect(series, pre, post, controls=controls if with_controls else None)
            rows.append(_row(c, kind, start, end, truth, result, time.perf_counter() - began))
    return pd.DataFrame(rows)


def _row(c: pd.Series, kind: str, start: date, end: date, truth: float, result: CampaignEffect,
         seconds: float) -> dict:
    return {
        "campaign_id": c["campaign_id"], "kind": kind, "channel": c["channel"], "stores": ",".join(c["store_ids"]),
        "start": start, "end": end, "true_lift": truth, "relative_lift": result.relative_lift,
        "relative_lower": result.relative_lower, "relative_upper": result.relative_upper,
        "p_value": result.p_value,
        "covered": bool(result.relative_lower <= truth <= result.relative_upper),
        "significant": result.significant, "method": result.method, "seconds": seconds,
    }
