"""The lead-time demand distribution: conformal quantiles of cumulative demand (forecasting.lead_time) made by the
batch, stored in the forecasts table on both backends (old databases get the columns), and the reorder point
that reads them (forecasting.policy), with the z x sigma x sqrt(L) fallback where a run has none."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import schema
from data_access.filters import Filters
from data_access.inventory import forecast_store, queries
from forecasting import catalogue, lead_time, policy
from forecasting.catalogue import Catalogue, Settings

H = 28


def simulated(n: int, seed: int, days: int = 400) -> np.ndarray:
    """n daily series of days + H days: even rows Poisson, odd rows negative binomial (k = 2, overdispersed),
    each at its own constant mean between 0.3 and 6 units a day."""
    rng = np.random.default_rng(seed)
    lam = np.repeat(rng.uniform(0.3, 6.0, n)[:, None], days + H, axis=1)
    poisson = rng.poisson(lam)
    negative_binomial = rng.negative_binomial(2.0, 2.0 / (2.0 + lam))
    return np.where((np.arange(n) % 2 == 0)[:, None], poisson, negative_binomial).astype(float)


def chunk_forecast(history: np.ndarray) -> pd.DataFrame:
    """The batch's per-chunk path (no category fits: the shaped candidates drop out) on one store's series."""
    n, t = history.shape
    cat = Catalogue(pd.date_range("2024-01-01", periods=t, freq="D"), np.array(["S1"] * n),
                    np.array([f"K{i:04d}" for i in range(n)]), np.array(["c"] * n), history,
                    np.zeros(history.shape, bool))
    task = catalogue.ChunkTask("S1", cat, {"c": np.full((4, H), np.nan)}, {"c": np.zeros(4)}, Settings(horizon=H))
    return catalogue.run_chunk(task).forecasts


@pytest.mark.parametrize("seed", [1, 2])
def test_lead_time_quantiles_cover_held_out_lead_time_demand(seed):
    n = 2000
    y = simulated(n, seed)
    fc = chunk_forecast(y[:, :-H])
    held_out = np.cumsum(y[:, -H:], axis=1)  # demand summed over lead times 1..28 after the end of history
    for q in lead_time.LEVELS:
        quantile = fc[lead_time.COLUMNS[q]].to_numpy().reshape(n, H)
        assert np.isfinite(quantile).all()
        for lead in (7, 14, 28):
            covered = held_out[:, lead - 1] <= quantile[:, lead - 1]
            # 2,000 independent series: a binomial standard error of 0.5-0.7 points; 2.5 points is ~4 of them.
            assert abs(covered.mean() - q) <= 0.025, (q, lead, covered.mean())
            # and on each distribution alone (the pooled errors are scaled by each series' own spread)
            for rows in (slice(0, None, 2), slice(1, None, 2)):
                assert abs(covered[rows].mean() - q) <= 0.04, (q, lead, rows, covered[rows].mean())
    # The quantiles are of cumulative demand: they grow with the lead time and with the level.
    q95 = fc["cum_q95"].to_numpy().reshape(n, H)
    q99 = fc["cum_q99"].to_numpy().reshape(n, H)
    assert (np.diff(q95, axis=1) >= 0).all() and (q99 >= q95).all()
    # Wider for the overdispersed series than for Poisson ones of the same mean forecast
    point = np.cumsum(fc["yhat"].to_numpy().reshape(n, H), axis=1)[:, 13]
    spread = (q95[:, 13] - point) / np.sqrt(point)
    assert np.median(spread[1::2]) > 1.3 * np.median(spread[0::2])


def test_error_quantiles_use_a_series_own_errors_only_when_it_has_enough_windows():
    rng = np.random.default_rng(3)
    errors = rng.normal(size=(6, 39, 2))
    errors[0] += 10.0  # series 0 is far off its group: its own errors must be used once it has enough
    groups = np.array([0, 0, 0, 1, 1, 1])
    out = lead_time.error_quantiles(errors, groups, levels=(0.9, 0.99))
    # 39 windows: the 0.9 quantile is the ceil(40 x 0.9) = 36th smallest of the series' own errors ...
    assert out[0, 1, 0] == pytest.approx(np.sort(errors[0, :, 1])[35])
    # ... but 0.99 needs ceil(40 x 0.99) = 40 > 39 errors: the group's pooled 117 errors, rank ceil(118 x .99)
    assert out[0, 1, 1] == pytest.approx(np.sort(errors[:3, :, 1].ravel())[116])
    assert out[4, 0, 1] == pytest.approx(np.sort(errors[3:, :, 0].ravel())[116])
    # three windows (the batch's default) are too few for any level: always the group's
    few = lead_time.error_quantiles(errors[:, :3], groups, levels=(0.9,))
    assert few[0, 0, 0] == pytest.approx(np.sort(errors[:3, :3, 0].ravel())[8])
    assert lead_time.conformal_rank(3, 0.9) is None and lead_time.conformal_rank(9, 0.9) == 9


def test_series_without_spread_get_their_cumulative_forecast_and_unknown_factors_stay_unknown():
    forecast = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [2.0, 2.0, 2.0]])
    factors = np.ones((3, 3, 1))
    factors[2] = np.nan
    out = lead_time.cumulative_quantiles(forecast, np.array([np.nan, 0.0, 1.0]), factors)[:, :, 0]
    assert out[0].tolist() == [1.0, 2.0, 3.0] and out[1].tolist() == [0.0, 0.0, 0.0]
    assert np.isnan(out[2]).all()


# ---------------------------------------------------------------- the reorder point from the stored quantiles


def _rows(**extra) -> pd.DataFrame:
    base = {"snapshot_date": [pd.Timestamp("2025-03-04")] * 3, "on_hand": [20, 20, 20], "on_order": [0, 0, 0],
            "lead_time_days": [7, 7, 7], "avg_daily_units": [2.0] * 3, "abc_class": ["A", "B", "C"],
            "sigma_daily": [1.0] * 3, "demand_lead": [14.0] * 3, "demand_review": [14.0] * 3,
            "stockout_date": [pd.NaT] * 3}
    return pd.DataFrame({**base, **extra})


def test_reorder_point_is_the_stored_quantile_at_the_service_level():
    stored = {"cum_q90": [18.0, 18.0, np.nan], "cum_q95": [20.0, 20.0, np.nan], "cum_q975": [23.0, 23.0, np.nan],
              "cum_q99": [27.0, 27.0, np.nan]}
    out = policy.plan(_rows(**stored))
    a, b, c = out.itertuples()
    assert (a.reorder_point, a.safety_stock, a.reorder_basis) == (23.0, 9.0, "lead_time_quantile")  # A: 97.5%
    assert (b.reorder_point, b.reorder_basis) == (20.0, "lead_time_quantile")  # B: 95%
    # C's run has no distribution: mean demand over the lead time + z x sigma x sqrt(L)
    assert c.reorder_basis == "normal" and c.reorder_point == pytest.approx(14.0 + 1.28 * 1.0 * 7 ** 0.5)
    assert a.suggested_order == int(np.ceil(23.0 + 14.0 - 20))
    # a higher level reads the next stored quantile; levels between stored ones are interpolated
    assert policy.plan(_rows(**stored), {"A": 0.99}).iloc[0].reorder_point == 27.0
    table = pd.DataFrame(stored).iloc[:1]
    assert policy.lead_time_quantile(table, 0.9625).iloc[0] == pytest.approx(21.5)
    assert policy.lead_time_quantile(table, 0.995).iloc[0] == 27.0  # past the last: the last
    # never below the mean demand over the lead time (a quantile under it would plan for a stock-out)
    low = {k: [5.0, 5.0, 5.0] for k in stored}
    assert (policy.plan(_rows(**low))["reorder_point"] == 14.0).all()
    # a row planned without a forecast ignores any quantile columns
    missing = policy.plan(_rows(**stored).assign(demand_lead=[np.nan, 14.0, 14.0])).iloc[0]
    assert missing.no_forecast and missing.reorder_basis == "normal"
    assert missing.reorder_point == pytest.approx(2.0 * 7 + 1.96 * 1.0 * 7 ** 0.5)


def test_plan_without_the_quantile_columns_keeps_the_normal_formula():
    out = policy.plan(_rows())
    assert (out["reorder_basis"] == "normal").all()
    assert out.iloc[1].reorder_point == pytest.approx(14.0 + 1.65 * 7 ** 0.5)


# ---------------------------------------------------------------- storage on both backends


def test_the_forecasts_table_declares_every_stored_level():
    assert set(lead_time.COLUMNS.values()) <= set(schema.forecasts.c.keys())
    assert set(queries.LEAD_QUANTILES) == set(lead_time.COLUMNS.values())


@pytest.mark.parametrize("backend", ["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_an_old_forecasts_table_gets_the_new_columns(fresh_engine, backend):
    engine = fresh_engine(backend)
    old = sa.MetaData()
    sa.Table("forecasts", old, *[sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
                                 for c in schema.forecasts.columns if not c.name.startswith("cum_q")])
    old.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO forecasts (run_id, store_id, sku, ds, yhat, step) "
                             "VALUES ('old', 'S1', 'P1', DATE '2025-03-05', 1.0, 1)"))
    schema.create_schema(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM forecasts")).mappings().one()
    assert {k: row[k] for k in lead_time.COLUMNS.values()} == dict.fromkeys(lead_time.COLUMNS.values())
    assert schema.add_missing_columns(engine) == []


@pytest.fixture(scope="module")
def quantile_run(tiny_engine):
    """A run on the tiny shop (history to 4 Mar 2025) of 10 days whose rows carry quantiles (step k: 10k .. 13k)
    for S1/P1 (lead time 7), S2/P2 (7; S2 has a later snapshot, 6 Mar) and S1/P3 (14: past the 10 days)."""
    engine = tiny_engine
    schema.create_schema(engine)
    names = lead_time.COLUMNS.values()
    rows = [{"store_id": store, "sku": sku, "ds": date(2025, 3, 4 + step), "yhat": 1.0, "step": step,
             "model": "moving_average", **{name: (10.0 + j) * step for j, name in enumerate(names)}}
            for store, sku in (("S1", "P1"), ("S2", "P2"), ("S1", "P3")) for step in range(1, 11)]
    forecast_store.start_run(engine, "lt", history_end=date(2025, 3, 4), horizon=10, scheduler=None, params={})
    forecast_store.save_results(engine, "lt", {"forecasts": pd.DataFrame(rows)})
    forecast_store.finish_run(engine, "lt", status="ok", duration_s=1.0, n_series=3, n_failed=0)
    return engine


def test_inventory_plan_reads_the_quantiles_at_the_lead_time(quantile_run):
    columns = list(queries.LEAD_QUANTILES)
    plan = queries.inventory_plan(quantile_run, Filters(date(2025, 3, 1), date(2025, 3, 4)), "lt")
    plan = plan.set_index(["store_id", "sku"])
    assert plan.loc[("S1", "P1"), columns].tolist() == [70.0, 77.0, 84.0, 91.0]  # step 7 = the lead time
    assert plan.loc[("S2", "P2"), columns].tolist() == [70.0, 77.0, 84.0, 91.0]
    assert plan.loc[("S1", "P3"), columns].isna().all()  # lead time 14 days, past the run's 10
    # S2's snapshot of 6 Mar is two days after the run's history: those quantiles would count two days already
    # past, so the plan has none (the policy falls back to z x sigma x sqrt(L)), while the point forecast is read
    later = queries.inventory_plan(quantile_run, Filters(date(2025, 3, 1), date(2025, 3, 6), ("S2",)), "lt").iloc[0]
    assert later.snapshot_date == pd.Timestamp("2025-03-06") and later.demand_lead == 7.0
    assert later[columns].isna().all()
