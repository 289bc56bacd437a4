"""The shop's campaigns as calendar events of the forecasts (forecasting.shop_calendar): Prophet learns them as a
holiday, the statistical models leave their days out of the level and carry the series' campaign uplift onto
planned campaign days; used by forecast() and by the catalogue batch."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting import catalogue, demand, engine
from forecasting.catalogue import Catalogue, Settings
from forecasting.shop_calendar import CAMPAIGN_EVENT, campaign_events, campaign_mask

START = pd.Timestamp("2024-01-01")
DAYS = 420
H = 28


def campaigns_at(*spans, stores=None) -> pd.DataFrame:
    """Campaign rows (start_date, end_date, stores) from (first day index, last day index) spans."""
    return pd.DataFrame({"start_date": [START + pd.Timedelta(days=a) for a, _ in spans],
                         "end_date": [START + pd.Timedelta(days=b) for _, b in spans],
                         "stores": [stores] * len(spans)})


def series_with(spans, level: float, lift: float, seed: int, days: int = DAYS + H) -> np.ndarray:
    """Poisson demand at `level` a day, `lift` times that on the campaign days of `spans`."""
    rate = np.full(days, float(level))
    for a, b in spans:
        rate[a:b + 1] *= lift
    return np.random.default_rng(seed).poisson(rate).astype(float)


def test_campaign_rows_and_masks():
    rows = campaign_events(campaigns_at((3, 5), (5, 6)))
    assert (rows["holiday"] == CAMPAIGN_EVENT).all()
    assert list(rows["ds"]) == list(pd.date_range(START + pd.Timedelta(days=3), periods=4))  # day 5 once
    days = pd.date_range(START, periods=10)
    local = pd.concat([campaigns_at((1, 2), stores=("S2",)), campaigns_at((8, 8))], ignore_index=True)
    mask = campaign_mask(local, days, ["S1", "S2"])
    assert np.flatnonzero(mask[0]).tolist() == [8] and np.flatnonzero(mask[1]).tolist() == [1, 2, 8]
    assert not campaign_mask(None, days, ["S1"]).any()


@pytest.mark.slow
def test_a_campaign_at_the_end_of_history_is_not_extrapolated_as_level():
    spans = [(DAYS - 14, DAYS - 1)]  # the last two weeks of history sold twice the level
    y = series_with(spans, 5.0, 2.0, seed=1)[:DAYS]
    history = pd.DataFrame({"ds": pd.date_range(START, periods=DAYS), "y": y})
    informed = demand.forecast(history, H, campaigns=campaigns_at(*spans), holidays=None)
    blind = demand.forecast(history, H, holidays=None)
    assert informed["yhat"].mean() == pytest.approx(5.0, rel=0.15)
    assert blind["yhat"].mean() > 6.0  # what the same models make of it without the campaigns table


def test_a_planned_campaign_is_known_to_forecast():
    past = [(a, a + 6) for a in range(60, DAYS - 40, 70)]  # five past week-long campaigns at twice the level
    planned = (DAYS + 7, DAYS + 13)  # the second week ahead
    y = series_with(past, 4.0, 2.0, seed=2)[:DAYS]
    history = pd.DataFrame({"ds": pd.date_range(START, periods=DAYS), "y": y})
    fc = demand.forecast(history, H, campaigns=campaigns_at(*past, planned), holidays=None)["yhat"].to_numpy()
    ahead = np.zeros(H, bool)
    ahead[7:14] = True
    assert fc[ahead].mean() > 1.5 * fc[~ahead].mean()
    assert fc[~ahead].mean() == pytest.approx(4.0, rel=0.2)


def test_event_uplift_is_shrunk_and_neutral_without_campaigns():
    y = np.array([[2.0, 2.0, 10.0, 10.0], [1.0, 1.0, 1.0, 1.0]])
    level = np.full((2, 4), 2.0)
    flags = np.array([[False, False, True, True], [False] * 4])
    uplift = engine.event_uplift(y, level, flags)
    assert uplift[0] == pytest.approx((20 + 5) / (4 + 5)) and uplift[1] == 1.0


def _catalogue(units: np.ndarray, campaigns) -> Catalogue:
    n, t = units.shape
    return Catalogue(pd.date_range(START, periods=t), np.array(["S1"] * n), np.array([f"K{i}" for i in range(n)]),
                     np.array(["c"] * n), units, np.zeros(units.shape, bool), campaigns)


def _batch(cat: Catalogue, settings: Settings) -> pd.DataFrame:
    results = [catalogue.fit_category(task, settings.horizon, campaigns=cat.campaigns, country="US")
               for task in catalogue.category_tasks(cat, settings)]
    assert all(r.yhat is not None for r in results)
    parts = [catalogue.run_chunk(task) for task in catalogue.chunk_tasks(cat, settings, results)]
    return pd.concat([p.forecasts for p in parts]).sort_values(["sku", "step"])


@pytest.mark.slow
def test_the_batch_leaves_campaign_days_out_of_the_level_and_knows_a_planned_campaign():
    settings = Settings(horizon=H)
    past = [(a, a + 6) for a in range(70, DAYS - 60, 70)] + [(DAYS - 14, DAYS - 1)]
    planned = (DAYS + 14, DAYS + 20)  # the third week ahead
    units = np.vstack([series_with(past, level, 2.0, seed=10 + i)[:DAYS] for i, level in enumerate((3, 5, 8, 12))])
    informed = _batch(_catalogue(units, campaigns_at(*past, planned)), settings)
    blind = _batch(_catalogue(units, None), settings)
    levels = np.array([3, 5, 8, 12], float)
    per_day = informed.pivot(index="sku", columns="step", values="yhat").to_numpy()
    ahead = np.zeros(H, bool)
    ahead[14:21] = True
    ordinary = per_day[:, ~ahead].mean(axis=1)
    # the last two weeks' campaign is not the level: ordinary days ahead near the planted level, not above it
    assert np.all(np.abs(ordinary / levels - 1) < 0.2), ordinary
    assert blind.groupby("sku")["yhat"].mean().to_numpy().mean() > 1.15 * ordinary.mean()
    # the planned campaign week ahead is forecast above the ordinary days
    assert np.all(per_day[:, ahead].mean(axis=1) > 1.3 * ordinary)
