"""Pure helpers behind the satisfaction page: KPI cards, labels of codes, the delay finding, SLA table edits."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from components.kpi import Card
from data_access.export import escape_text_cells, unescape_cell
from data_access.periods import bucket_starts
from data_access.satisfaction.reviews import DELAY_BUCKETS
from data_access.satisfaction.sla import OTHER, Targets, as_targets

#: (card id, column of satisfaction_kpis, value kind, lower is better), one tuple per card, one row per section.
REVIEW_CARDS = (("avg_rating", "avg_rating", "decimal", False), ("review_count", "reviews", "count", False),
                ("low_rating_share", "low_share", "ratio", True), ("nps", "nps", "score", False),
                ("csat", "review_csat", "ratio", False))
TICKET_CARDS = (("tickets_opened", "opened", "count", True), ("tickets_resolved", "resolved", "count", False),
                ("backlog", "backlog", "count", True), ("unanswered_tickets", "unanswered", "count", True),
                ("sla_breach_rate", "sla_breach_rate", "ratio", True), ("ticket_csat", "csat", "ratio", False))
TIME_CARDS = (("first_response_median", "first_response_median", "hours", True),
              ("first_response_p90", "first_response_p90", "hours", True),
              ("resolution_median", "resolution_median", "hours", True),
              ("resolution_p90", "resolution_p90", "hours", True))
LATE_BUCKETS = ("late_over_7", "late_3_7", "late_1_2")
SLA_COLUMNS = ["priority", "first_response_target", "resolution_target"]


def cards(kpis: pd.DataFrame, spec: tuple, previous_label: str, last_year_label: str) -> list[Card]:
    """KPI cards of one section from satisfaction_kpis (indexed by period): value vs previous, then last year."""
    return [Card(card_id, kpis.at["current", column], kpis.at["previous", column], previous_label,
                 kpis.at["last_year", column], last_year_label, kind=kind, lower_is_better=lower)
            for card_id, column, kind, lower in spec]


def has_tickets(kpis: pd.DataFrame) -> bool:
    """Whether any ticket touches the period or its comparisons (else the ticket sections are left out)."""
    return bool((kpis[["opened", "resolved", "backlog"]].to_numpy() > 0).any())


def delay_finding(by_delay: pd.DataFrame) -> dict | None:
    """On-time reviews vs the worst late bucket (lowest average, among late buckets with reviews).

    by_delay: review_queries.rating_by_delay. Returns on_time, on_time_n, bucket, late, late_n, or None
    when there is no on-time or no late review.
    """
    rows = by_delay.set_index("bucket")
    late = rows.loc[[b for b in LATE_BUCKETS if rows.at[b, "reviews"] > 0]]
    if rows.at["on_time", "reviews"] == 0 or late.empty:
        return None
    worst = late["avg_rating"].idxmin()
    return {"on_time": float(rows.at["on_time", "avg_rating"]), "on_time_n": int(rows.at["on_time", "reviews"]),
            "bucket": worst, "late": float(late.at[worst, "avg_rating"]), "late_n": int(late.at[worst, "reviews"])}


def delay_rows(by_delay: pd.DataFrame) -> pd.DataFrame:
    """The buckets worth showing: always the four delivery buckets, the others only when they hold reviews."""
    keep = by_delay["bucket"].isin(DELAY_BUCKETS[:4]) | (by_delay["reviews"] > 0)
    return by_delay[keep].reset_index(drop=True)


def sla_table(targets: Targets) -> pd.DataFrame:
    """Targets as the editable table: priority, first_response_target, resolution_target (hours, NaN = none).

    Known priorities first (urgent, high, normal, low), any others alphabetically, the OTHER row last.
    """
    order = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
    rows = sorted(targets, key=lambda r: (r[0] == OTHER, order.get(r[0], 4), r[0]))
    return pd.DataFrame([(p, float("nan") if a is None else a, float("nan") if b is None else b) for p, a, b in rows],
                        columns=SLA_COLUMNS)


def sla_editor_table(table: pd.DataFrame) -> pd.DataFrame:
    """sla_table as the editor shows it: priorities escaped (data_access.export), so the editor's toolbar CSV
    holds no formula-leading cell; targets_from_table takes the apostrophe off again."""
    return escape_text_cells(table)


def targets_from_table(table: pd.DataFrame) -> Targets:
    """The edited table (as sla_table or sla_editor_table gives it) back as Targets; rows without a priority are
    dropped. ValueError on a bad value or a priority listed twice."""
    table = table.assign(priority=table["priority"].map(unescape_cell))
    rows = table.dropna(subset=["priority"])
    rows = rows[rows["priority"].astype(str).str.strip() != ""]
    names = rows["priority"].astype(str).str.strip()
    twice = sorted(set(names[names.duplicated()]))
    if twice:
        raise ValueError(f"listed twice: {', '.join(twice)}")
    return as_targets({name: (first, resolution) for name, first, resolution in
                       zip(names, rows["first_response_target"], rows["resolution_target"], strict=True)})


def as_of_now(now: datetime | None = None, minutes: int = 15) -> datetime:
    """The moment tickets are judged at: now, rounded down to `minutes` so cached results live that long."""
    now = now or datetime.now()
    floored = now.replace(second=0, microsecond=0)
    return floored - timedelta(minutes=floored.minute % minutes)


def bucket_series(trend: pd.DataFrame, keys: list, start, end, grain: str, key: str, value: str) -> dict:
    """Per key, the value of every bucket of the period in order (0 where missing), e.g. for sparklines."""
    starts = bucket_starts(start, end, grain)
    table = trend.pivot_table(index=key, columns="period_start", values=value, aggfunc="sum", dropna=False)
    table = table.reindex(index=keys, columns=starts).fillna(0)
    return {k: [float(v) for v in row] for k, row in zip(table.index, table.to_numpy(), strict=True)}
