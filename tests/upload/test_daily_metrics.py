"""The daily_metrics kind (aggregated daily or weekly reports: 生意参谋, weekly sales per store, a marketing-mix
series): detection, validation, one row per day x store x channel with scoped writes, and its quick analysis.

The 生意参谋 file is written here from the report's documented columns; Walmart and Robyn are the real files in
../shared/data/real (read there, never copied)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import schema
from data_access.ingest import service
from data_access.ingest.analysis import analyse
from data_access.ingest.detect import detect
from data_access.ingest.errors import IngestError
from data_access.ingest.read import read_file
from tests.conftest import BACKENDS, REAL_DATA

SYCM = ("统计日期,访客数,浏览量,支付金额,支付买家数,支付子订单数,支付转化率,客单价,成功退款金额,加购人数\n"
        "2025-05-01,1200,3600,\"8,000.00\",40,44,3.33%,200.00,120.00,90\n"
        "2025-05-02,1000,3100,\"6,300.00\",35,36,3.50%,180.00,0,75\n"
        "2025-05-03,800,2500,\"4,000.00\",20,25,2.50%,200.00,50.00,60\n")


@pytest.fixture(params=BACKENDS)
def engine(request, fresh_engine):
    return fresh_engine(request.param)


def _stored(engine) -> pd.DataFrame:
    schema.create_schema(engine)  # idempotent: a refused import may have created nothing yet
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.daily_metrics).order_by(schema.daily_metrics.c.day,
                                                                     schema.daily_metrics.c.store_id)).all()
    return pd.DataFrame(rows, columns=[c.name for c in schema.daily_metrics.columns])


def test_a_sycm_report_imports_with_no_flag_and_its_totals_are_the_files(engine):
    outcome = service.ingest(engine, SYCM.encode("gbk"), "生意参谋_经营概况.csv", username="ana")
    prepared = outcome.prepared
    assert prepared.detection.profile == "sycm_daily" and prepared.kind == "daily_metrics"
    # A store named after the platform (created on import), the marketplace channel.
    assert prepared.defaults == {"store_id": "Taobao", "channel": "marketplace"}
    assert prepared.validation.ok and outcome.result.stores_created == 1
    stored = _stored(engine)
    file = pd.read_csv(io.StringIO(SYCM), thousands=",")
    assert stored["net_sales"].astype(float).sum() == pytest.approx(file["支付金额"].sum())
    assert stored["visitors"].tolist() == file["访客数"].tolist()
    assert stored["conversion_rate"].tolist() == pytest.approx([0.0333, 0.035, 0.025])
    assert set(stored["channel"]) == {"marketplace"} and set(stored["days"]) == {1}
    again = service.ingest(engine, SYCM.encode("gbk"), "生意参谋_经营概况.csv", username="ana")
    assert not again.result.changed


def test_the_quick_analysis_sums_the_report_as_the_pages_do():
    raw = read_file(SYCM.encode("gbk"), "sycm.csv")
    found = detect(raw)
    metrics = analyse(raw, found.kind, found.mapping, meaning=found.meaning).metrics
    assert metrics["net_sales"] == pytest.approx(18_300) and metrics["visitors"] == 3_000
    assert metrics["orders"] == 105 and metrics["conversion_rate"] == pytest.approx(105 / 3_000)
    assert metrics["aov"] == pytest.approx(18_300 / 105) and metrics["days"] == 3


def test_bad_cells_are_listed_and_nothing_is_written(engine):
    text = ("date,store,visitors,sales,conversion rate\n"
            "2025-05-01,S1,-5,100,2%\n2025-05-01,S1,10,50,150%\n2025-05-02,S1,10,,1%\n")
    with pytest.raises(IngestError) as refused:
        service.ingest(engine, text.encode(), "daily.csv", "daily_metrics", username="ana")
    assert refused.value.code == "refused_errors"
    prepared = service.prepare(engine, text.encode(), "daily.csv", "daily_metrics")
    problems = prepared.validation.errors[["line", "field", "reason_code"]].values.tolist()
    assert [2, "visitors", "out_of_range"] in problems and [3, "conversion_rate", "out_of_range"] in problems
    assert any(line == 3 and code == "duplicate_key" for line, _, code in problems)  # same day and store as line 2
    assert [4, "net_sales", "required"] in problems
    assert _stored(engine).empty


def test_two_stores_keep_their_own_days_and_a_scoped_user_writes_only_theirs(engine):
    both = "date,store,visitors,sales\n2025-05-01,S1,10,100\n2025-05-01,S2,20,200\n"
    service.ingest(engine, both.encode(), "both.csv", "daily_metrics", username="admin")
    assert _stored(engine)[["store_id", "net_sales"]].values.tolist() == [["S1", 100], ["S2", 200]]
    other = "date,store,visitors,sales\n2025-05-01,S2,99,999\n"
    with pytest.raises(IngestError):
        service.ingest(engine, other.encode(), "other.csv", "daily_metrics", username="lily", stores=("S1",),
                       role="manager")
    own = "date,store,visitors,sales\n2025-05-01,S1,11,110\n"
    service.ingest(engine, own.encode(), "own.csv", "daily_metrics", username="lily", stores=("S1",),
                   role="manager")
    assert _stored(engine)[["store_id", "net_sales"]].values.tolist() == [["S1", 110], ["S2", 200]]


@pytest.mark.parametrize(("name", "total_column", "stores"), [
    ("walmart_weekly_sales_45stores.csv", "Weekly_Sales", 45), ("robyn_dt_simulated_weekly.csv", "revenue", 1)])
def test_real_weekly_reports_import_as_daily_metrics_with_no_flag(engine, name, total_column, stores):
    outcome = service.ingest(engine, REAL_DATA / name, name, username="ana")
    assert outcome.prepared.kind == "daily_metrics" and outcome.prepared.validation.ok
    stored = _stored(engine)
    direct = pd.read_csv(REAL_DATA / name)[total_column].sum()
    assert stored["net_sales"].astype(float).sum() == pytest.approx(direct, rel=1e-9, abs=0.01 * len(stored))
    assert stored["store_id"].nunique() == stores and set(stored["days"]) == {7}
