"""Quick analysis of an uploaded file without importing it: a profile of every column, and the analysis that
fits the detected kind (orders, marketing spend, reviews, tickets, listings, daily reports, conversations; anything
else gets its main numbers over time). Pure pandas/numpy, no Streamlit; a million rows take a few seconds.

Long because each kind's analysis (orders with the file's meaning, ad spend, reviews, tickets, listings, daily
reports) and the generic overview share its helpers; split, they would import each other's privates.

Metric definitions follow DESIGN.md: net sales of order-level rows = paid - refunded; AOV = net sales / orders;
CTR = clicks / impressions; CPC = spend / clicks; CPM = spend / impressions x 1000; CSAT = share of ratings 4-5.

Long because each kind's builder sits here beside the helpers they share (_needs, _period, _ratio); the listings
builder only adapts the file's columns to data_access.market's analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access import schema
from data_access.ingest import parse, semantics, threads
from data_access.ingest.profile import SAMPLE as _SAMPLE
from data_access.ingest.profile import Profile, TypedColumns, profile_frame
from data_access.ingest.read import RawTable
from data_access.market import analysis as market

__all__ = ["Analysis", "Profile", "analyse", "profile"]

TOP = 20  # rows in breakdown tables


@dataclass
class Analysis:
    """kind analysed; profile; metrics: KPI id -> value (ids of components.i18n KPI_IDS where one exists);
    tables: name -> DataFrame (each documented in the function that builds it); dates: column -> DateParse of
    the date columns used (the d/m vs m/d decision shown to the user); notes: (code, params) to show."""

    kind: str
    profile: Profile
    metrics: dict[str, float] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    dates: dict[str, parse.DateParse] = field(default_factory=dict)
    notes: list[tuple[str, dict]] = field(default_factory=list)


def analyse(raw: RawTable, kind: str, mapping: dict[str, str] | None = None, *, date_order: str | None = None,
            constants: dict[str, object] | None = None, meaning: dict | None = None) -> Analysis:
    """Profile raw and run the analysis for kind with mapping (canonical field -> column); constants stand in for
    fields the file lacks (e.g. a channel). An unknown kind, or one without the fields its analysis needs,
    gets the generic overview. meaning: the known format's semantics (data_access.ingest.semantics), applied
    as the import applies them, so the figures equal what the pages show after the import."""
    mapping = {name: column for name, column in (mapping or {}).items() if column in raw.frame.columns}
    # Rows the export adds that are no records (a report's total rows, cancelled empty items), as the import.
    raw, left_out = semantics.without_rows(raw, kind, mapping, meaning)
    columns = TypedColumns(raw.frame, date_order)
    prof, types = profile_frame(raw.frame, columns)
    result = Analysis(kind, prof)
    result.notes.extend(("meaning", {"code": code, **params}) for code, params in left_out)
    builder = _BUILDERS.get(kind)
    if builder is _orders:
        # Status words translated and credit-note quantities made positive, as validate() does before typing.
        meant = semantics.prepare_raw(raw, kind, mapping, meaning)
        order_columns = columns if meant is raw else TypedColumns(meant.frame, date_order)
        done = _orders(result, order_columns, mapping, constants or {}, meaning)
    else:
        done = builder(result, columns, mapping, constants or {}) if builder else False
    if not done:
        result.kind = kind if kind in _BUILDERS else "unknown"
        _overview(result, columns, types)
    result.dates = columns.parsed_dates
    return result


def profile(raw: RawTable, date_order: str | None = None) -> Profile:
    """The profile alone (see Profile)."""
    return profile_frame(raw.frame, TypedColumns(raw.frame, date_order))[0]


def _ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, None when the denominator is zero or missing (never inf)."""
    if denominator is None or not np.isfinite(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def _period(stamps: pd.Series) -> tuple[str, pd.Series]:
    """("day"|"week"|"month", stamps floored to it): days up to 92 days of data, weeks up to two years."""
    valid = stamps.dropna()
    span = (valid.max() - valid.min()).days if len(valid) else 0
    if span <= 92:
        return "day", stamps.dt.floor("D")
    if span <= 730:
        return "week", (stamps.dt.floor("D") - pd.to_timedelta(stamps.dt.day_of_week, unit="D"))
    return "month", stamps.dt.to_period("M").dt.to_timestamp()


def _top(frame: pd.DataFrame, by: str, value: str) -> pd.DataFrame:
    return frame.sort_values(value, ascending=False, kind="stable").head(TOP).reset_index(drop=True)


def _needs(result: Analysis, mapping: dict[str, str], *groups: tuple[str, ...]) -> bool:
    """True when mapping holds at least one field of every group; else a note names what is missing."""
    missing = [group for group in groups if not any(name in mapping for name in group)]
    if missing:
        result.notes.append(("analysis_needs", {"fields": ", ".join(" / ".join(group) for group in missing)}))
    return not missing


def _orders(result: Analysis, cols: TypedColumns, mapping: dict[str, str], constants: dict,
            meaning: dict | None = None) -> bool:
    """Orders (order-level report or line-level export), counted as the sales pages count them after an import
    (DESIGN.md): orders = non-cancelled orders; net sales = paid - refund of paid/shipped/delivered/returned
    orders of an order-level file, the lines of paid/shipped/delivered orders less returned lines otherwise; the
    file's meaning applied first (paid net of refunds, unpaid orders cancelled, credit notes as returns).
    Tables: daily (day, net_sales, orders); by_region and by_channel (region|channel, net_sales, orders, share);
    weekday (weekday 0=Monday, orders, net_sales); hour_weekday (weekday, hour, orders) when times are given;
    status (status, orders) as written in the file; top_products (sku, units, net_sales) for line-level files."""
    if not _needs(result, mapping, ("order_id",), ("ordered_at",)):
        return False
    dates = cols.date(mapping["ordered_at"])
    frame = pd.DataFrame({"order_id": cols.text(mapping["order_id"]), "at": dates.values})
    line_level = "paid_total" not in mapping and "unit_price" in mapping
    amounts = "paid_total" in mapping or "unit_price" in mapping
    typed = _meant_figures(result, cols, mapping, meaning, line_level, frame)
    if line_level:
        units = typed["quantity"] if "quantity" in typed else pd.Series(1.0, index=frame.index)
        discount = cols.number(mapping["discount"]).fillna(0) if "discount" in mapping else 0.0
        frame["net"] = units * typed["unit_price"] - discount
        frame["units"] = units
        frame["refund"] = 0.0
    elif amounts:
        refund = typed["refund_total"].fillna(0) if "refund_total" in typed else 0.0
        frame["net"] = typed["paid_total"] - refund
        frame["refund"] = refund
        frame["paid"] = typed["paid_total"]
    else:  # dates and ids only (e.g. Olist's orders file): counts without money
        result.notes.append(("no_amounts", {}))
        frame["net"] = frame["refund"] = frame["paid"] = np.nan
        if "quantity" in typed:
            frame["units"] = typed["quantity"]
    for name in ("region", "channel", "customer_id", "sku", "status"):
        if name in mapping:
            frame[name] = cols.text(mapping[name])
        elif name in constants and constants[name] not in (None, ""):
            frame[name] = str(constants[name])
    valid = frame["order_id"].notna() & frame["at"].notna() & (frame["net"].notna() | (not amounts))
    if (~valid).any():
        result.notes.append(("rows_left_out", {"rows": int((~valid).sum())}))
    if line_level:
        valid &= _credited(result, frame, meaning)
    status = typed["status"]
    counted = (status != "cancelled").fillna(True).astype(bool)
    selling = status.isin(schema.SOLD_STATUSES if line_level else schema.ORDER_LEVEL_STATUSES) | status.isna()
    frame.loc[~selling.astype(bool), "net"] = 0.0
    # The profile's exact distinct count tells whether order ids repeat; hashing a million ids again costs a second.
    stats = result.profile.table.set_index("column").loc[mapping["order_id"]]
    unique_ids = int(stats["distinct"]) == int(stats["filled"]) == len(frame)
    if "status" in frame:
        per_order = frame[valid] if unique_ids else frame[valid].drop_duplicates(["order_id", "status"])
        result.tables["status"] = (per_order["status"].value_counts().rename("orders").rename_axis("status")
                                   .reset_index())
    lines = frame[valid & counted]
    if "returned" in frame:
        lines = lines.assign(net=lines["net"].where(~lines["returned"], 0.0))
    orders = lines if unique_ids and not line_level else _per_order(lines, line_level)
    if not line_level and len(orders) < len(lines):
        result.notes.append(("repeated_orders", {"rows": len(lines) - len(orders)}))
    _order_metrics(result, frame[valid], lines, orders, line_level, amounts)
    _order_tables(result, lines, orders, dates.has_time)
    return True


def _meant_figures(result: Analysis, cols: TypedColumns, mapping: dict[str, str], meaning: dict | None,
                   line_level: bool, frame: pd.DataFrame) -> pd.DataFrame:
    """The amounts, quantities and canonical status of every row after the file's meaning (semantics.apply, as
    the import applies it): columns paid_total, refund_total, unit_price, quantity where mapped, and status
    (canonical; NaN for a word outside the vocabulary). Its notes join the analysis' notes."""
    from data_access.ingest.vocab import to_canonical

    typed = pd.DataFrame({"order_id": frame["order_id"]}, index=frame.index)
    for name in ("paid_total", "refund_total", "gross_total", "unit_price", "quantity"):
        if name in mapping:
            typed[name] = cols.number(mapping[name])
    if "paid_at" in mapping:
        typed["paid_at"] = cols.date(mapping["paid_at"]).values
    if "status" in mapping:
        status = cols.text(mapping["status"])
        if line_level:  # an order's status is written on its first line only (Shopify)
            status = status.groupby(frame["order_id"]).transform("first")
        canonical = to_canonical(status, "order_status")[0]
        typed["status"] = canonical.astype(object).where(canonical.notna(), np.nan)
    notes = semantics.Notes()
    typed = semantics.apply("orders", "line" if line_level else "order", typed, mapping, meaning, notes)
    if "status" not in typed:
        typed["status"] = semantics.derived_status(typed)
    result.notes.extend(("meaning", {"code": code, **params}) for code, params in notes.items)
    return typed


def _credited(result: Analysis, frame: pd.DataFrame, meaning: dict | None) -> pd.Series:
    """Rows that are no credit note (semantics.credit_notes); the lines credit notes return get returned=True."""
    keep = pd.Series(True, index=frame.index)
    if not (meaning or {}).get("credit_note_prefix") or "sku" not in frame:
        return keep
    header = frame[["order_id", "at"] + (["customer_id"] if "customer_id" in frame else [])]
    orders = header.rename(columns={"at": "ordered_at"}).drop_duplicates("order_id").dropna(subset=["order_id"])
    items = frame[["order_id", "sku"]].copy()
    notes = semantics.Notes()
    tables = semantics.credit_notes({"orders": orders, "order_items": items.reset_index(drop=True)}, meaning, notes)
    if not notes.items:
        return keep
    credited = frame["order_id"].isin(set(orders["order_id"]) - set(tables["orders"]["order_id"]))
    returned = pd.Series(False, index=frame.index)
    marked = tables["order_items"]
    positions = frame.index[~credited.to_numpy()]
    returned.loc[positions] = marked["returned"].fillna(False).to_numpy(dtype=bool)
    frame["returned"] = returned
    result.notes.extend(("meaning", {"code": code, **params}) for code, params in notes.items)
    return ~credited


def _per_order(lines: pd.DataFrame, line_level: bool) -> pd.DataFrame:
    """One row per order: order_id, at, net, refund, units?, and region/channel/customer_id when present.
    Line-level rows are summed; an order-level report repeating an order keeps its first row."""
    if not line_level:
        return lines.drop_duplicates("order_id", keep="first")
    agg = {"at": ("at", "min"), "net": ("net", "sum"), "refund": ("refund", "sum"), "units": ("units", "sum")}
    for name in ("region", "channel", "customer_id"):
        if name in lines:
            agg[name] = (name, "first")
    return lines.groupby("order_id", sort=False).agg(**agg).reset_index()


def _order_metrics(result: Analysis, every: pd.DataFrame, lines: pd.DataFrame, orders: pd.DataFrame,
                   line_level: bool, amounts: bool) -> None:
    count = len(orders)
    net = float(orders["net"].sum())
    metrics = {"net_sales": net, "orders": float(count), "aov": _ratio(net, count)} if amounts else {
        "orders": float(count)}
    if "units" in lines:
        metrics["units"] = float(lines["units"].sum())
    if "customer_id" in orders:
        metrics["customers"] = float(orders["customer_id"].nunique())
    if amounts and not line_level:
        metrics["refund_rate"] = _ratio(int((orders["refund"] > 0).sum()), count)
        metrics["refund_share"] = _ratio(float(orders["refund"].sum()), float(orders["paid"].sum()))
    metrics["cancelled_orders"] = float(every["order_id"].nunique() - count)
    result.metrics.update({key: value for key, value in metrics.items() if value is not None})


def _order_tables(result: Analysis, lines: pd.DataFrame, orders: pd.DataFrame, has_time: bool) -> None:
    day = orders["at"].dt.floor("D")
    result.tables["daily"] = (orders.groupby(day)["net"].agg(net_sales=lambda v: v.sum(min_count=1),
                                                              orders="size").rename_axis("day").reset_index())
    for name in ("region", "channel"):
        if name in orders and orders[name].notna().any():
            table = orders.groupby(name)["net"].agg(net_sales=lambda v: v.sum(min_count=1),
                                                    orders="size").reset_index()
            total = table["net_sales"].sum()
            table["share"] = table["net_sales"] / total if total else np.nan
            result.tables[f"by_{name}"] = _top(table, name, "net_sales" if table["net_sales"].notna().any()
                                               else "orders")
    weekday = orders["at"].dt.day_of_week
    result.tables["weekday"] = (orders.groupby(weekday)["net"].agg(orders="size",
                                                                   net_sales=lambda v: v.sum(min_count=1))
                                .rename_axis("weekday").reset_index())
    if has_time:
        grid = orders.groupby([weekday.rename("weekday"), orders["at"].dt.hour.rename("hour")]).size()
        full = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
        result.tables["hour_weekday"] = grid.reindex(full, fill_value=0).rename("orders").reset_index()
    if "sku" in lines and "units" in lines and lines["sku"].notna().any():
        table = lines.groupby("sku").agg(units=("units", "sum"), net_sales=("net", "sum")).reset_index()
        result.tables["top_products"] = _top(table, "sku", "net_sales")


_SPEND_COLUMNS = ("spend", "impressions", "clicks", "conversions")


def _spend_metrics(frame: pd.DataFrame) -> dict[str, float | None]:
    """Totals and rates of spend rows (columns spend, impressions, clicks, conversions; NaN where unknown)."""
    totals = {name: float(frame[name].sum(min_count=1)) if frame[name].notna().any() else None
              for name in _SPEND_COLUMNS}
    spend, impressions, clicks, conversions = (totals[name] for name in _SPEND_COLUMNS)
    totals.update({
        "ctr": _ratio(clicks, impressions) if clicks is not None and impressions else None,
        "cpc": _ratio(spend, clicks) if clicks else None,
        "cpm": _ratio(spend * 1000, impressions) if impressions and spend is not None else None,
        "cvr": _ratio(conversions, clicks) if conversions is not None and clicks else None,
        "cpa": _ratio(spend, conversions) if conversions else None,
    })
    return totals


def _spend_table(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """by, spend, impressions, clicks, conversions, ctr, cpc, cpm, cvr, cpa; largest spend first."""
    sums = frame.groupby(by)[list(_SPEND_COLUMNS)].sum(min_count=1).reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        sums["ctr"] = sums["clicks"] / sums["impressions"]
        sums["cpc"] = sums["spend"] / sums["clicks"]
        sums["cpm"] = sums["spend"] / sums["impressions"] * 1000
        sums["cvr"] = sums["conversions"] / sums["clicks"]
        sums["cpa"] = sums["spend"] / sums["conversions"]
    sums = sums.replace([np.inf, -np.inf], np.nan)
    return _top(sums, by, "spend")


def _marketing(result: Analysis, cols: TypedColumns, mapping: dict[str, str], constants: dict) -> bool:
    """Ad spend. Tables: by_campaign and by_channel (see _spend_table); daily (day + the spend columns + ctr) when
    there are days; segment:<column> (the same metrics per value) for each other text column with 2-30 values,
    such as age or gender in an ads report."""
    if not _needs(result, mapping, ("spend",)):
        return False
    frame = pd.DataFrame({name: cols.number(mapping[name]) if name in mapping else np.nan
                          for name in _SPEND_COLUMNS}, index=cols.frame.index)
    for name in ("campaign_id", "channel"):
        if name in mapping:
            frame[name] = cols.text(mapping[name]).fillna("")
        elif constants.get(name):
            frame[name] = str(constants[name])
    result.metrics.update({k: v for k, v in _spend_metrics(frame).items() if v is not None})
    for name, table in (("campaign_id", "by_campaign"), ("channel", "by_channel")):
        if name in frame:
            result.tables[table] = _spend_table(frame, name)
    if "day" in mapping:
        frame["day"] = cols.date(mapping["day"]).values.dt.floor("D")
        daily = frame.dropna(subset=["day"]).groupby("day")[list(_SPEND_COLUMNS)].sum(min_count=1).reset_index()
        with np.errstate(divide="ignore", invalid="ignore"):
            daily["ctr"] = (daily["clicks"] / daily["impressions"]).replace([np.inf, -np.inf], np.nan)
        result.tables["daily"] = daily
    used = set(mapping.values())
    for column in cols.frame.columns:
        if column in used:
            continue
        values = cols.text(column)
        distinct = values.nunique()
        if 2 <= distinct <= 30 and parse.parse_numbers(values.dropna().head(_SAMPLE))[1].mean() > 0.5:
            result.tables[f"segment:{column}"] = _spend_table(frame.assign(**{"value": values}), "value")
    return True


def _reviews(result: Analysis, cols: TypedColumns, mapping: dict[str, str], constants: dict) -> bool:
    """Reviews. Tables: rating_distribution (rating 1-5, reviews, share); trend (period, reviews, avg_rating,
    csat) when dated, bucketed by day/week/month (notes: period); low_comments (created_at, rating, comment):
    the ten most recent reviews of 1-2 stars with a comment."""
    if not _needs(result, mapping, ("rating",)):
        return False
    rating = cols.number(mapping["rating"])
    rating = rating.where(rating.between(1, 5)).round()
    frame = pd.DataFrame({"rating": rating})
    if "created_at" in mapping:
        frame["created_at"] = cols.date(mapping["created_at"]).values
    if "comment" in mapping:
        frame["comment"] = cols.text(mapping["comment"])
    rated = frame.dropna(subset=["rating"])
    if len(rated) < len(frame):
        result.notes.append(("rows_left_out", {"rows": len(frame) - len(rated)}))
    metrics = {"reviews": float(len(rated)), "avg_rating": float(rated["rating"].mean()) if len(rated) else None,
               "csat": _ratio(int((rated["rating"] >= 4).sum()), len(rated))}
    if "nps" in mapping:
        nps = cols.number(mapping["nps"])
        nps = nps[nps.between(0, 10)]
        if len(nps):
            metrics["nps"] = float(((nps >= 9).mean() - (nps <= 6).mean()) * 100)
    result.metrics.update({k: v for k, v in metrics.items() if v is not None})
    counts = rated["rating"].value_counts().reindex([1.0, 2.0, 3.0, 4.0, 5.0], fill_value=0)
    distribution = pd.DataFrame({"rating": [1, 2, 3, 4, 5], "reviews": counts.to_numpy().astype(int)})
    distribution["share"] = distribution["reviews"] / len(rated) if len(rated) else np.nan
    result.tables["rating_distribution"] = distribution
    if "created_at" in rated and rated["created_at"].notna().any():
        dated = rated.dropna(subset=["created_at"])
        period, bucket = _period(dated["created_at"])
        trend = dated.groupby(bucket.rename("period"))["rating"].agg(
            reviews="size", avg_rating="mean", csat=lambda r: float((r >= 4).mean())).reset_index()
        result.tables["trend"] = trend
        result.notes.append(("period", {"period": period}))
    if "comment" in rated:
        low = rated[(rated["rating"] <= 2) & rated["comment"].notna()]
        if "created_at" in low:
            low = low.sort_values("created_at", ascending=False, kind="stable")
        columns = [c for c in ("created_at", "rating", "comment") if c in low]
        result.tables["low_comments"] = low[columns].head(10).reset_index(drop=True)
    return True


def _tickets(result: Analysis, cols: TypedColumns, mapping: dict[str, str], constants: dict) -> bool:
    """Service tickets. Tables: daily (day, tickets) created per day; by_status, by_category, by_priority
    (value, tickets). Metrics: tickets, median first response and resolution in hours, CSAT."""
    if not _needs(result, mapping, ("created_at",)):
        return False
    created = cols.date(mapping["created_at"]).values
    metrics: dict[str, float | None] = {"tickets": float(created.notna().sum())}
    for name, metric in (("first_response_at", "first_response_time"), ("resolved_at", "resolution_time")):
        if name in mapping:
            hours = (cols.date(mapping[name]).values - created).dt.total_seconds() / 3600
            hours = hours[hours >= 0]
            metrics[metric] = float(hours.median()) if len(hours) else None
    if "csat" in mapping:
        score = cols.number(mapping["csat"])
        score = score[score.between(1, 5)]
        metrics["csat"] = _ratio(int((score >= 4).sum()), len(score))
    result.metrics.update({k: v for k, v in metrics.items() if v is not None})
    result.tables["daily"] = (created.dropna().dt.floor("D").value_counts().sort_index().rename("tickets")
                              .rename_axis("day").reset_index())
    for name in ("status", "category", "priority"):
        if name in mapping:
            values = cols.text(mapping[name]).dropna()
            result.tables[f"by_{name}"] = (values.value_counts().head(TOP).rename("tickets").rename_axis("value")
                                           .reset_index())
    return True


_ID_WORDS = ("id", "编号", "单号", "号码", "code", "编码", "zip", "邮编", "phone", "电话")


def _looks_like_id(column: str, stats: pd.Series) -> bool:
    """Identifier-like numbers (ids, codes, phone numbers) make no sense summed or charted."""
    name = column.lower()
    return any(word in name for word in _ID_WORDS) or (stats["distinct"] == stats["filled"] and stats["filled"] > 20)


def _overview(result: Analysis, cols: TypedColumns, types: dict[str, str]) -> None:
    """Any file: its main numbers over time, else their distribution, and the most common values of a category
    column. Tables: over_time (period, column, value = sum per period; notes: period) when a date column exists;
    distribution (bin_start, bin_end, rows) of the main number column otherwise; top_values (value, rows) of the
    text column with the fewest (2-50) distinct values, named in notes (category)."""
    table = result.profile.table.set_index("column")
    dates = [c for c, t in types.items() if t in ("date", "datetime")]
    numbers = [c for c, t in types.items() if t == "number" and not _looks_like_id(c, table.loc[c])]
    numbers = sorted(numbers, key=lambda c: -table.loc[c, "filled"])[:3]
    if dates and numbers:
        date_column = max(dates, key=lambda c: table.loc[c, "filled"])
        stamps = cols.date(date_column).values
        period, bucket = _period(stamps)
        parts = [pd.DataFrame({"period": bucket, "column": column, "value": cols.number(column)})
                 for column in numbers]
        long = pd.concat(parts).dropna(subset=["period"])
        result.tables["over_time"] = (long.groupby(["period", "column"], sort=True)["value"].sum(min_count=1)
                                      .reset_index())
        result.notes.append(("over_time", {"date": date_column, "period": period}))
    elif numbers:
        values = cols.number(numbers[0]).dropna()
        if len(values):
            counts, edges = np.histogram(values, bins=min(20, max(1, values.nunique())))
            result.tables["distribution"] = pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:],
                                                          "rows": counts})
            result.notes.append(("distribution", {"column": numbers[0]}))
    texts = [c for c, t in types.items() if t == "text" and 2 <= table.loc[c, "distinct"] <= 50]
    if texts:
        category = min(texts, key=lambda c: table.loc[c, "distinct"])
        result.tables["top_values"] = (cols.text(category).value_counts().head(TOP).rename("rows")
                                       .rename_axis("value").reset_index())
        result.notes.append(("category", {"column": category}))


def _listings(result: Analysis, cols: TypedColumns, mapping: dict[str, str], constants: dict) -> bool:
    """Listing snapshots, with data_access.market's analysis (a file's rows are all competitors' here: which are
    ours is decided on import). Tables: price_bands (band_low, band_high, items, sales, sales_share) of the last
    snapshot; share_by_shop (name, sales, share, share_first, share_last) over the file; over_time (observed_at,
    items, median_price, sales). Metrics: listing_items, shops, snapshots, median_price. Notes: sales_basis_<basis>."""
    if not _needs(result, mapping, ("item_id",), ("price",)):
        return False
    frame = pd.DataFrame({"source": "file", "item_id": cols.text(mapping["item_id"]),
                          "price": cols.number(mapping["price"]), "store_id": None})
    for name in ("title", "shop", "brand", "category"):
        frame[name] = cols.text(mapping[name]) if name in mapping else None
    frame["sales_count"] = cols.number(mapping["sales_count"]) if "sales_count" in mapping else np.nan
    day = cols.date(mapping["observed_at"]).values.dt.floor("D") if "observed_at" in mapping else pd.Series(
        pd.Timestamp(str(constants.get("observed_at") or pd.Timestamp.today().date())), index=frame.index)
    frame["observed_at"] = day.dt.date
    frame = frame.dropna(subset=["item_id", "observed_at", "price"]).drop_duplicates(["observed_at", "item_id"])
    if frame.empty:
        return False
    bases = market.sales_bases(frame)
    sales = market.with_period_sales(frame, bases)
    latest = market.latest_listings(sales)
    result.metrics.update({"listing_items": float(len(latest)), "shops": float(latest["shop"].nunique()),
                           "snapshots": float(frame["observed_at"].nunique()),
                           "median_price": float(latest["price"].median())})
    result.notes.append((f"sales_basis_{bases[0].basis}", {"pairs": bases[0].pairs}))
    bands = market.price_bands(sales)
    result.tables["price_bands"] = bands[["band_low", "band_high", "items", "sales", "sales_share"]]
    if sales["period_sales"].notna().any():
        _, summary = market.sales_share(sales)
        result.tables["share_by_shop"] = summary[["name", "sales", "share", "share_first", "share_last"]].head(TOP)
    result.tables["over_time"] = sales.groupby("observed_at", as_index=False).agg(
        items=("item_id", "nunique"), median_price=("price", "median"), sales=("period_sales", "sum"))
    return True


_DAILY_SUMS = ("net_sales", "visitors", "page_views", "orders", "buyers")


def _daily_metrics(result: Analysis, cols: TypedColumns, mapping: dict[str, str], constants: dict) -> bool:
    """Aggregated daily/weekly reports, summed as the pages sum them: net sales, visitors, orders, buyers over
    the rows; conversion = orders (buyers when the report has no orders) / visitors; AOV = net sales / orders.
    Tables: daily (day, net_sales, visitors, orders where given); by_store (store_id, net_sales, share) when the
    file has stores."""
    if not _needs(result, mapping, ("day",), ("net_sales", "visitors", "orders")):
        return False
    frame = pd.DataFrame({"day": cols.date(mapping["day"]).values.dt.floor("D")}, index=cols.frame.index)
    for name in _DAILY_SUMS:
        if name in mapping:
            frame[name] = cols.number(mapping[name])
    dated = frame.dropna(subset=["day"])
    if len(dated) < len(frame):
        result.notes.append(("rows_left_out", {"rows": len(frame) - len(dated)}))
    sums = {name: float(dated[name].sum()) for name in _DAILY_SUMS if name in dated}
    counted = sums.get("orders", sums.get("buyers"))
    visitors = sums.get("visitors")
    metrics = {**sums, "conversion_rate": _ratio(counted, visitors) if counted is not None and visitors else None,
               "aov": _ratio(sums["net_sales"], sums["orders"]) if {"net_sales", "orders"} <= set(sums) else None,
               "days": float(dated["day"].nunique())}
    result.metrics.update({k: v for k, v in metrics.items() if v is not None})
    measures = [name for name in _DAILY_SUMS if name in dated]
    result.tables["daily"] = dated.groupby("day")[measures].sum(min_count=1).reset_index()
    if "store_id" in mapping:
        stores = dated.assign(store_id=cols.text(mapping["store_id"]))
        if "net_sales" in stores:
            table = stores.groupby("store_id")["net_sales"].sum(min_count=1).reset_index()
            total = table["net_sales"].sum()
            table["share"] = table["net_sales"] / total if total else np.nan
            result.tables["by_store"] = _top(table, "store_id", "net_sales")
    return True


def _conversations(result: Analysis, cols: TypedColumns, mapping: dict[str, str], constants: dict) -> bool:
    """A support conversation export: its threads as the tickets the import writes (data_access.ingest.threads),
    then the tickets analysis. Tables: daily (day, tickets) opened per day. Metrics: tickets, messages, median
    first response and resolution in hours (calendar hours, over the threads answered / resolved)."""
    if not _needs(result, mapping, ("sent_at",), ("author",), ("conversation_id", "message_id")):
        return False
    if "conversation_id" in mapping:
        thread = cols.text(mapping["conversation_id"])
    elif "in_reply_to" in mapping:
        thread = threads.thread_ids(cols.text(mapping["message_id"]), cols.text(mapping["in_reply_to"]))
    else:
        thread = cols.text(mapping["message_id"])
    messages = pd.DataFrame({"thread": thread, "at": cols.date(mapping["sent_at"]).values,
                             "author": cols.text(mapping["author"])})
    tickets = threads.tickets_from_messages(messages)
    metrics = {"tickets": float(len(tickets)), "messages": float(tickets["messages"].sum())}
    for name, metric in (("first_response_at", "first_response_time"), ("resolved_at", "resolution_time")):
        hours = ((tickets[name] - tickets["created_at"]).dt.total_seconds() / 3600).dropna()
        if len(hours):
            metrics[metric] = float(hours.median())
    result.metrics.update(metrics)
    result.tables["daily"] = (tickets["created_at"].dt.floor("D").value_counts().sort_index().rename("tickets")
                              .rename_axis("day").reset_index())
    result.tables["by_status"] = (tickets["status"].value_counts().rename("tickets").rename_axis("value")
                                  .reset_index())
    return True


_BUILDERS = {"orders": _orders, "marketing_spend": _marketing, "reviews": _reviews, "tickets": _tickets,
             "listings": _listings, "daily_metrics": _daily_metrics, "conversations": _conversations}
