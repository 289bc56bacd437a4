"""The store scope enforces itself: every public query of data_access, found by introspection, sees only its scope.

A query is a public function of a data_access module whose first parameters are (engine, f: Filters). Each is
called on the small demo shop with a one-store scope and with the empty scope, and its result must equal the
result of the same call on a copy of the shop that holds only that store's rows:
a query that forgets the scope, or reads another store's rows into a sum, answers differently there. Rows that
carry a store_id must also carry only the scope's stores. The scope reaches data_access only inside a Filters:
a public function with a bare `stores` or `scope` parameter fails too.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date, datetime

import pandas as pd
import pytest
import sqlalchemy as sa

import data_access
from data_access import rollups, schema
from data_access.bulk import bulk_insert
from data_access.demo import generate
from data_access.engine import create_engine
from data_access.filters import Filters
from data_access.inventory import forecast_store
from data_access.read import read_frame
from tests.conftest import BACKENDS

END = date(2025, 6, 30)
PERIOD = (date(2025, 4, 1), END)
RUN = "scope-test"
#: Packages that write (imports, the demo build, credentials) rather than read a scope's rows.
NOT_QUERIES = ("data_access.ingest", "data_access.demo", "data_access.users", "data_access.accounts")
#: Values for parameters a query requires beyond (engine, f): every listed value is tried.
ARGUMENTS = {
    "dimension": ("store", "region", "channel", "category", "product"),
    "run_id": (RUN,),
    "channel": ("paid_search", "live_stream"),
    "as_of": (datetime(2025, 7, 1),),
    "days": ((date(2025, 6, 28), date(2025, 6, 29), date(2025, 6, 30)),),
    "alert_id": (1,),
    "state": ("acknowledged",),
    "by": ("store", "region", "channel", "carrier"),
}


def public_queries() -> list[tuple[str, object]]:
    """(qualified name, function) of every public data_access function taking (engine, f: Filters, ...)."""
    found = []
    for info in pkgutil.walk_packages(data_access.__path__, "data_access."):
        if info.name.startswith(NOT_QUERIES) or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters.values())
            if len(params) >= 2 and params[0].name == "engine" and params[1].annotation == "Filters":
                found.append((f"{info.name}.{name}", fn))
    return found


def bare_scope_parameters() -> list[str]:
    """Public data_access functions (outside the write paths) that take a scope other than inside a Filters."""
    bad = []
    for info in pkgutil.walk_packages(data_access.__path__, "data_access."):
        if info.name.startswith(NOT_QUERIES) or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_"):
                if {"stores", "scope"} & set(inspect.signature(fn).parameters):
                    bad.append(f"{info.name}.{name}")
    return bad


def test_the_scope_arrives_only_inside_filters():
    assert bare_scope_parameters() == []


def test_every_query_is_found():
    names = {name for name, _ in public_queries()}
    # a few from each area, so a broken discovery cannot pass by finding nothing
    assert {"data_access.sales.queries.kpi_totals", "data_access.sales.segments.rfm_segments",
            "data_access.marketing.queries.channel_comparison", "data_access.satisfaction.tickets.ticket_flow",
            "data_access.inventory.queries.inventory_plan", "data_access.lookups.list_stores"} <= names
    assert len(names) >= 50


def _with_forecast_run(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Result frames of a made-up forecast run (a flat 1 a day, 14 days) for every stocked store x SKU."""
    inv = frames["inventory"]
    cells = inv[inv["snapshot_date"] == inv["snapshot_date"].max()][["store_id", "sku"]]
    days = pd.date_range(pd.Timestamp(END) + pd.Timedelta(days=1), periods=14, freq="D")
    forecasts = cells.merge(pd.DataFrame({"ds": days.date, "step": range(14)}), how="cross").assign(
        yhat=1.0, yhat_lower=0.0, yhat_upper=2.0, model="moving_average")
    series = cells.assign(model="moving_average", mase=0.8, smape=0.5, bias=0.0, coverage=0.8, sigma_daily=1.0,
                          mean_daily=1.0, censored_days=0)
    backtests = cells.assign(model="moving_average", mase=0.8, smape=0.4, bias=0.1, actual_mean=1.0, coverage=0.8,
                             n_points=10, chosen=True)
    failures = pd.DataFrame([{"stage": "series", "key": f"{s}/X", "store_id": s, "sku": "X", "error": "bad"}
                             for s in sorted(cells["store_id"].unique())]
                            + [{"stage": "category", "key": "A@0", "store_id": None, "sku": None, "error": "boom"}])
    return {"forecasts": forecasts, "forecast_series": series, "forecast_backtests": backtests,
            "forecast_failures": failures}


def _keep_stores(frames: dict[str, pd.DataFrame], keep: set[str]) -> dict[str, pd.DataFrame]:
    """The frames with every row of another store removed (order lines go with their orders)."""
    out = {}
    for name, df in frames.items():
        out[name] = df[df["store_id"].isna() | df["store_id"].isin(keep)] if "store_id" in df.columns else df
    if "order_items" in frames:
        out["order_items"] = frames["order_items"][frames["order_items"]["order_id"].isin(out["orders"]["order_id"])]
    return out


def _load(engine, frames: dict[str, pd.DataFrame], run: dict[str, pd.DataFrame]) -> None:
    schema.create_schema(engine)
    with engine.begin() as conn:
        for name, df in frames.items():
            if name in schema.metadata.tables:
                bulk_insert(conn, schema.metadata.tables[name], df)
    rollups.refresh(engine)
    forecast_store.start_run(engine, RUN, history_end=END, horizon=14, scheduler=None, params={})
    forecast_store.save_results(engine, RUN, run)
    forecast_store.finish_run(engine, RUN, status="partial", duration_s=1.0, n_series=len(run["forecast_series"]),
                              n_failed=1)


@pytest.fixture(scope="module")
def demo_frames():
    frames = generate("small", 42, END)
    return frames, _with_forecast_run(frames)


@pytest.fixture(scope="module", params=BACKENDS)
def shops(request, demo_frames, database_url_factory):
    """{'all': the whole shop, 'one': only the first store's rows} on one backend (with the empty scope the two
    must answer alike too: neither may show a row)."""
    frames, run = demo_frames
    store = sorted(frames["stores"]["store_id"])[0]
    engines = {}
    for label, keep in (("all", None), ("one", {store})):
        engine = create_engine(database_url_factory(request.param))
        if keep is None:
            _load(engine, frames, run)
        else:
            _load(engine, _keep_stores(frames, keep), _keep_stores(run, keep))
        engines[label] = engine
    yield store, sorted(frames["stores"]["store_id"])[1], engines
    for engine in engines.values():
        engine.dispose()


def _calls(fn, store: str, other: str, sku: str):
    """Keyword arguments to call fn with: each listed value of each required parameter (store_id: the scope's
    store and another one; sku: a SKU the scope's store sells)."""
    required = [p for p in list(inspect.signature(fn).parameters.values())[2:]
                if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    calls = [{}]
    for p in required:
        if p.name == "store_id":
            values = (store, other)
        elif p.name == "sku":
            values = (sku,)
        elif p.name == "skus":
            values = ((sku,),)
        elif p.name in ARGUMENTS:
            values = ARGUMENTS[p.name]
        else:
            raise AssertionError(f"{fn.__module__}.{fn.__name__}: give tests/core/test_scope.py a value for {p.name!r}")
        calls = [{**c, p.name: v} for c in calls for v in values]
    return calls


def _comparable(result):
    """A result in a form two runs can be compared in: frames sorted on every column, index dropped."""
    if isinstance(result, pd.DataFrame):
        df = result.reset_index(drop=True)
        if df.empty:
            return df.iloc[0:0]
        df = df.sort_values(list(df.columns), key=lambda s: s.astype(str)).reset_index(drop=True)
        return df
    return result


def _assert_same(got, expected, where: str) -> None:
    got, expected = _comparable(got), _comparable(expected)
    if isinstance(expected, pd.DataFrame):
        assert isinstance(got, pd.DataFrame), where
        if expected.empty:
            assert got.empty, f"{where}: {len(got)} rows where the scope's own data gives none"
            return
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=False, rtol=1e-9, obj=where)
    else:
        assert got == expected, where


def _foreign_stores(result, allowed: set[str]) -> set:
    if isinstance(result, pd.DataFrame) and "store_id" in result.columns:
        return set(result["store_id"].dropna()) - allowed
    return set()


def _sku_of(engine, store: str) -> str:
    sold = forecast_store.daily_units(engine, Filters(*PERIOD, (store,)))
    return str(sold.sort_values(["units", "sku"], ascending=[False, True])["sku"].iloc[0])


def check_scope(queries, shops) -> int:
    """Call each query with a one-store and an empty scope on the whole shop and on the scope's twin; the
    number of calls checked. Fails on a foreign store's row or on any difference between the two."""
    store, other, engines = shops
    sku = _sku_of(engines["all"], store)
    checked = 0
    for name, fn in queries:
        for scope in ((store,), ()):
            f = Filters(*PERIOD, stores=scope)
            for kwargs in _calls(fn, store, other, sku):
                where = f"{name}(stores={scope}, {kwargs})"
                try:
                    got = fn(engines["all"], f, **kwargs)
                except ValueError as exc:  # a dimension this query does not split by
                    assert "unknown" in str(exc) or "expected" in str(exc), where
                    with pytest.raises(ValueError):
                        fn(engines["one"], f, **kwargs)
                    continue
                assert not _foreign_stores(got, set(scope)), f"{where} returned rows of other stores"
                _assert_same(got, fn(engines["one"], f, **kwargs), where)
                checked += 1
    return checked


@pytest.mark.slow
def test_every_query_sees_only_its_scope(shops):
    assert check_scope(public_queries(), shops) >= 100


def forgetful_order_count(engine, f: Filters) -> pd.DataFrame:
    """A query written without the scope: the period's orders of every store."""
    o = schema.orders.c
    return read_frame(engine, sa.select(sa.func.count().label("orders"))
                      .where(o.ordered_at >= f.start_at, o.ordered_at < f.end_before))


def test_a_new_query_that_forgets_the_scope_fails(shops, monkeypatch):
    """Put a query without the scope into a data_access module: discovery finds it and the check fails on it."""
    from data_access.sales import queries

    monkeypatch.setattr(forgetful_order_count, "__module__", queries.__name__)
    monkeypatch.setattr(queries, "forgetful_order_count", forgetful_order_count, raising=False)
    found = [(name, fn) for name, fn in public_queries() if fn is forgetful_order_count]
    assert found == [("data_access.sales.queries.forgetful_order_count", forgetful_order_count)]
    with pytest.raises(AssertionError, match="forgetful_order_count"):
        check_scope(found, shops)
