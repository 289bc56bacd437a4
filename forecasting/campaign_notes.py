"""Notes on a campaign-effect estimate: a code and values a page words in the user's language, plus English text."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Every note code, with the values it carries.
CODES = {
    "pre_clipped": "start, requested",  # the pre-period starts with the data
    "post_clipped": "end, requested",  # the post-period ends with the data
    "post_gaps": "periods",  # post periods without a value, left out of the sums
    "control_unused": "control",  # a constant or empty control series
    "control_rows_dropped": "rows",  # pre rows missing a control value, left out of the fit
    "zero_history": "",  # every pre value is zero: the counterfactual is zero
    "short_pre_period": "known, needed",  # too short for Prophet: the (weekday) mean, interval widened
    "prophet_failed": "error",  # Prophet raised: the (weekday) mean instead
    "fallback_ignores_controls": "",
    "few_backtests": "count, widening",  # too few backtests: the in-sample interval widened
    "few_placebos": "count, span",  # placebo windows spanning under MIN_JUDGE_K windows' worth: too short to judge
    "short_backtests": "window",  # backtest windows shorter than the post-period, their error extrapolated
    "no_interval": "",  # one known pre value: no interval, no p-value
    "no_relative_lift": "",  # the counterfactual total is about zero (or negative)
    "relative_unbounded": "",  # the counterfactual total's interval reaches zero: relative_upper is +inf
    "events_excluded": "events, periods",  # post periods of shop events the pre-period cannot support, left out
}


@dataclass(frozen=True)
class Note:
    """code: one of CODES; text: the note in English; values: what the code's wording needs."""

    code: str
    text: str
    values: dict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return self.text
