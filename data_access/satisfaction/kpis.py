"""The satisfaction page's KPI query: review and ticket KPIs for the period and its comparison periods."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import sqlalchemy as sa

from data_access.filters import Filters
from data_access.periods import comparison_periods
from data_access.satisfaction.reviews import review_totals
from data_access.satisfaction.sla import Targets
from data_access.satisfaction.tickets import ticket_totals


def satisfaction_kpis(engine: sa.Engine, f: Filters, targets: Targets | None = None,
                      as_of: datetime | None = None) -> pd.DataFrame:
    """Every satisfaction KPI for 'current', 'previous' (equal length before) and 'last_year', one row each.

    Columns: period, start, end, then review_totals' columns (reviews, avg_rating, low_ratings, low_share,
    nps_answers, promoters, detractors, nps) and ticket_totals' (opened, answered, unanswered, resolved,
    backlog, first_response_median, first_response_p90, resolution_median, resolution_p90, with_target,
    breaches, sla_breach_rate, csat_answers, csat_positive, csat). Tickets are judged as of `as_of` (now).
    """
    periods = comparison_periods(f)
    as_of = as_of or datetime.now()
    merged = review_totals(engine, periods).merge(ticket_totals(engine, periods, targets, as_of), on="period")
    merged.insert(1, "start", [periods[p].start for p in merged["period"]])
    merged.insert(2, "end", [periods[p].end for p in merged["period"]])
    return merged
