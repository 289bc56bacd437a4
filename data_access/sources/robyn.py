"""Import of Meta Robyn's public simulated weekly marketing-mix data (robyn_dt_simulated_weekly.csv).

The file has one row per week (DATE, a Monday): revenue, spend of five media (tv_S, ooh_S, print_S, search_S,
facebook_S), Facebook impressions (facebook_I), search clicks (search_clicks_P), competitor sales, a newsletter
count and an events column. It maps onto the canonical tables like this:

- revenue -> one order per week in one store, ROBYN ("Robyn simulated shop"), ordered at 00:00 of DATE, status
  delivered, paid_total = revenue, no lines (an order-level row: net sales = paid_total), no customer. The
  data has no per-order attribution, so these orders are on the `direct` channel (no tracked touch): every
  paid channel then shows spend but no attributed revenue, and blended ROAS (MER) = revenue / spend works.
- spend -> marketing_spend rows on DATE, always-on (campaign_id ''): tv_S + ooh_S + print_S -> `offline` (the
  channel vocabulary has one channel for offline media, so the three are summed), search_S -> `paid_search`
  with clicks = search_clicks_P, facebook_S -> `paid_social` with impressions = facebook_I (rounded).
  Platform conversions are unknown (NULL).
- events (event1, event2) -> campaigns ROBYN-event1/2 covering that week (Monday to Sunday), without a channel
  (an event of the whole shop) and without budget.
- competitor_sales_B is not shop data and newsletter is not spend: neither is stored. `competitor_series`
  returns competitor sales (ds, y) as a control series for a campaign-effect estimate.

Re-importing replaces the same rows (orders of store ROBYN, the campaigns, and spend rows with the same day,
channel and campaign_id), so the import is idempotent.
Run: python -m data_access.sources.robyn --url URL [FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access import rollup_tables, rollups, schema
from data_access.bulk import bulk_insert
from data_access.engine import cli_errors, configured_url, create_engine

STORE_ID = "ROBYN"
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "robyn_dt_simulated_weekly.csv"
NUMBERS = ("revenue", "tv_S", "ooh_S", "print_S", "facebook_I", "search_clicks_P", "search_S", "competitor_sales_B",
           "facebook_S", "newsletter")
COLUMNS = ("DATE", *NUMBERS, "events")
#: Spend column(s) of each channel, and the columns giving its impressions and clicks.
CHANNEL_SPEND = {"offline": ("tv_S", "ooh_S", "print_S"), "paid_search": ("search_S",), "paid_social": ("facebook_S",)}
IMPRESSIONS = {"paid_social": "facebook_I"}
CLICKS = {"paid_search": "search_clicks_P"}


class RobynError(ValueError):
    """A missing or malformed Robyn file, named with the file, line and column."""


def read_file(path: Path) -> pd.DataFrame:
    """The weekly rows with DATE as datetime64 and the numeric columns as floats; RobynError when malformed."""
    path = Path(path)
    if not path.exists():
        raise RobynError(f"{path}: file not found")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise RobynError(f"{path.name}: missing columns {missing}")
    out = raw[list(COLUMNS)].copy()
    out["DATE"] = pd.to_datetime(raw["DATE"], format="%Y-%m-%d", errors="coerce")
    _check(out["DATE"].isna(), raw["DATE"], path.name, "DATE", "not a date (YYYY-MM-DD)")
    for column in NUMBERS:
        out[column] = pd.to_numeric(raw[column], errors="coerce")
        _check(out[column].isna() | (out[column] < 0), raw[column], path.name, column, "not a number >= 0")
    _check(out["DATE"].duplicated(), raw["DATE"], path.name, "DATE", "week listed twice")
    return out.sort_values("DATE", ignore_index=True)


def _check(bad: pd.Series, values: pd.Series, file: str, column: str, what: str) -> None:
    if bad.any():
        at = int(np.flatnonzero(bad.to_numpy())[0])
        raise RobynError(f"{file}, line {at + 2}, column {column}: {what}: {values.iloc[at]!r}")  # header = line 1


def to_canonical(weeks: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The weekly rows as the canonical tables stores, orders, marketing_spend and campaigns (see the module doc)."""
    stores = pd.DataFrame([{"store_id": STORE_ID, "name": "Robyn simulated shop", "name_zh": "Robyn 模拟店铺",
                            "region": None, "city": None}])
    orders = pd.DataFrame({
        "order_id": "ROBYN-" + weeks["DATE"].dt.strftime("%Y-%m-%d"), "store_id": STORE_ID, "customer_id": None,
        "channel": "direct", "campaign_id": None, "ordered_at": weeks["DATE"], "paid_at": weeks["DATE"],
        "status": "delivered", "paid_total": weeks["revenue"].round(2), "refund_total": 0.0,
    })
    parts = []
    for channel, columns in CHANNEL_SPEND.items():
        part = pd.DataFrame({"day": weeks["DATE"].dt.date, "channel": channel, "campaign_id": "",
                             "spend": weeks[list(columns)].sum(axis=1).round(2)})
        part["impressions"] = weeks[IMPRESSIONS[channel]].round().astype("Int64") if channel in IMPRESSIONS else None
        part["clicks"] = weeks[CLICKS[channel]].round().astype("Int64") if channel in CLICKS else None
        part["conversions"] = None
        parts.append(part)
    spend = pd.concat(parts, ignore_index=True)
    events = weeks[~weeks["events"].isin(["", "na"])]
    campaigns = pd.DataFrame({
        "campaign_id": "ROBYN-" + events["events"], "name": "Robyn " + events["events"], "channel": None,
        "start_date": events["DATE"].dt.date, "end_date": (events["DATE"] + pd.Timedelta(days=6)).dt.date,
        "budget": None, "objective": "event",
    })
    return {"stores": stores, "orders": orders, "marketing_spend": spend, "campaigns": campaigns}


def competitor_series(weeks: pd.DataFrame) -> pd.DataFrame:
    """Competitor sales per week as a control series for estimate_effect: columns ds (datetime64), y."""
    return pd.DataFrame({"ds": weeks["DATE"], "y": weeks["competitor_sales_B"].astype(float)})


def load(engine: sa.Engine, path: Path = DEFAULT_FILE) -> dict[str, int]:
    """Import the file in one transaction, replacing the rows an earlier import made, then rebuild the sales
    rollups; returns rows per table."""
    tables = to_canonical(read_file(path))
    schema.create_schema(engine)
    s, o, c = schema.marketing_spend.c, schema.orders.c, schema.campaigns.c
    spend = tables["marketing_spend"]
    with engine.begin() as conn:
        conn.execute(schema.orders.delete().where(o.store_id == STORE_ID))
        conn.execute(schema.stores.delete().where(schema.stores.c.store_id == STORE_ID))
        conn.execute(schema.campaigns.delete().where(c.campaign_id.in_(list(tables["campaigns"]["campaign_id"]))))
        conn.execute(schema.marketing_spend.delete().where(
            s.day.in_(sorted(set(spend["day"]))), s.channel.in_(list(CHANNEL_SPEND)), s.campaign_id == ""))
        for name, frame in tables.items():
            bulk_insert(conn, schema.metadata.tables[name], frame)
        rollup_tables.invalidate(conn)  # a changed file may keep every count the rollups' stamp looks at
    rollups.refresh(engine)
    return {name: len(frame) for name, frame in tables.items()}


@cli_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access.sources.robyn", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, nargs="?", default=DEFAULT_FILE)
    parser.add_argument("--url", default=None)
    args = parser.parse_args(argv)
    try:
        counts = load(create_engine(args.url or configured_url()), args.file)
    except RobynError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(", ".join(f"{name}: {n:,}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
