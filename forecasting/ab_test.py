"""A/B test calculator: two-proportion z-test (pooled), unpooled interval, Fisher's exact test, sample size, power.

Conventions (DESIGN.md): the z statistic uses the pooled rate (the null hypothesis says both arms share one rate);
the confidence interval of the difference uses each arm's own rate (unpooled Wald), so on a borderline result the
interval can exclude zero while p is just above alpha. When any expected cell of the 2x2 table is below 5 the
normal approximation is poor and Fisher's exact test is the recommended p-value. Sample size and power follow the
standard normal-approximation formula (the one R's power.prop.test uses, two-sided, non-strict).

Input errors raise ABInputError (a ValueError) carrying `field` and `problem` codes, so a page can word them in
the user's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

#: Expected cell count below which Fisher's exact test is recommended over the z-test.
MIN_EXPECTED_CELL = 5.0


class ABInputError(ValueError):
    """An invalid calculator input. field: the argument's name; problem: "negative", "zero", "not_integer",
    "exceeds_visitors", "out_of_range" or "no_difference"."""

    def __init__(self, field: str, problem: str, message: str):
        super().__init__(message)
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Peeking:
    """A test looked at before its planned sample size: smallest_arm visitors of planned_n per arm (share_reached)."""

    planned_n: int
    smallest_arm: int
    share_reached: float


@dataclass(frozen=True)
class TwoProportionResult:
    """B against A. difference = rate_b - rate_a; relative_difference = difference / rate_a (NaN when rate_a is 0);
    z and p_value: pooled two-sided z-test; ci_lower, ci_upper: unpooled (1 - alpha) interval of the difference;
    fisher_p_value: two-sided Fisher's exact test (NaN unless recommended or asked for); recommended_test:
    "fisher" when any expected cell is below 5, else "z"; p_value_used: that test's p-value; peeking: set when the
    test stopped before planned_n per arm."""

    conv_a: int
    n_a: int
    conv_b: int
    n_b: int
    rate_a: float
    rate_b: float
    difference: float
    relative_difference: float
    z: float
    p_value: float
    ci_lower: float
    ci_upper: float
    fisher_p_value: float
    min_expected_cell: float
    recommended_test: str
    p_value_used: float
    alpha: float
    peeking: Peeking | None = None

    @property
    def significant(self) -> bool:
        """True when the recommended test's p-value is below alpha."""
        return self.p_value_used < self.alpha

    @property
    def stopped_early(self) -> bool:
        """True when the test was read before its planned sample size (the page shows a peeking warning)."""
        return self.peeking is not None


def two_proportion_test(conv_a: int, n_a: int, conv_b: int, n_b: int, alpha: float = 0.05,
                        planned_n: int | None = None, exact: bool = False) -> TwoProportionResult:
    """Compare the conversion rates conv_a / n_a (control) and conv_b / n_b (variant).

    planned_n: the sample size per arm the test was planned for (from required_sample_size); when given and either
    arm has fewer visitors, the result carries a Peeking warning. exact: compute Fisher's exact p-value even when
    the counts are large enough for the z-test (it is always computed when any expected cell is below 5).
    """
    conv_a, n_a = _count(conv_a, "conv_a"), _count(n_a, "n_a", positive=True)
    conv_b, n_b = _count(conv_b, "conv_b"), _count(n_b, "n_b", positive=True)
    for conv, n, name in ((conv_a, n_a, "conv_a"), (conv_b, n_b, "conv_b")):
        if conv > n:
            raise ABInputError(name, "exceeds_visitors", f"{name} ({conv}) is larger than its visitors ({n})")
    _probability(alpha, "alpha")
    rate_a, rate_b = conv_a / n_a, conv_b / n_b
    difference = rate_b - rate_a
    pooled = (conv_a + conv_b) / (n_a + n_b)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    # Both arms all-converted or all-not: no variation, no evidence of a difference.
    z = difference / se_pooled if se_pooled > 0 else 0.0
    p_value = float(2 * stats.norm.sf(abs(z)))
    half = float(stats.norm.ppf(1 - alpha / 2)) * math.sqrt(rate_a * (1 - rate_a) / n_a + rate_b * (1 - rate_b) / n_b)
    table = [[conv_a, n_a - conv_a], [conv_b, n_b - conv_b]]
    total = n_a + n_b
    converted = conv_a + conv_b
    min_expected = min(n * c / total for n in (n_a, n_b) for c in (converted, total - converted))
    recommended = "fisher" if min_expected < MIN_EXPECTED_CELL else "z"
    fisher = (float(stats.fisher_exact(table, alternative="two-sided").pvalue) if exact or recommended == "fisher"
              else math.nan)
    return TwoProportionResult(
        conv_a=conv_a, n_a=n_a, conv_b=conv_b, n_b=n_b, rate_a=rate_a, rate_b=rate_b, difference=difference,
        relative_difference=difference / rate_a if rate_a > 0 else math.nan, z=z, p_value=p_value,
        ci_lower=difference - half, ci_upper=difference + half, fisher_p_value=fisher,
        min_expected_cell=min_expected, recommended_test=recommended,
        p_value_used=fisher if recommended == "fisher" else p_value, alpha=alpha,
        peeking=peeking_warning(n_a, n_b, planned_n),
    )


def peeking_warning(n_a: int, n_b: int, planned_n: int | None) -> Peeking | None:
    """A Peeking record when either arm is below the planned sample size per arm, else None (no plan: None).

    Why it matters: reading a test repeatedly and stopping at the first p < alpha inflates the false-positive
    rate far above alpha; the p-value is only valid at the planned sample size.
    """
    if planned_n is None:
        return None
    planned = _count(planned_n, "planned_n", positive=True)
    smallest = min(_count(n_a, "n_a"), _count(n_b, "n_b"))
    if smallest >= planned:
        return None
    return Peeking(planned_n=planned, smallest_arm=smallest, share_reached=smallest / planned)


def required_sample_size(baseline_rate: float, min_detectable_effect: float, alpha: float = 0.05,
                         power: float = 0.8, relative: bool = True) -> int:
    """Visitors needed per arm to detect the effect with the given power in a two-sided test at alpha.

    min_detectable_effect: relative to the baseline (0.1 = +10%) when relative, else in rate points (0.02 =
    +2 points); negative effects are allowed. n = (z_{1-alpha/2} sqrt(2 p q) + z_power sqrt(p1 q1 + p2 q2))^2 /
    (p2 - p1)^2 with p the mean of p1 and p2, rounded up.
    """
    p1, p2 = _rates(baseline_rate, min_detectable_effect, relative)
    _probability(alpha, "alpha")
    _probability(power, "power")
    mean = (p1 + p2) / 2
    numerator = (float(stats.norm.ppf(1 - alpha / 2)) * math.sqrt(2 * mean * (1 - mean))
                 + float(stats.norm.ppf(power)) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)))
    return math.ceil(numerator ** 2 / (p2 - p1) ** 2 - 1e-9)


def power(baseline_rate: float, min_detectable_effect: float, n_per_arm: int, alpha: float = 0.05,
          relative: bool = True) -> float:
    """Probability that a two-sided test at alpha with n_per_arm visitors per arm detects the effect (the inverse
    of required_sample_size; the chance of rejecting in the wrong direction is left out, as in power.prop.test)."""
    p1, p2 = _rates(baseline_rate, min_detectable_effect, relative)
    _probability(alpha, "alpha")
    n = _count(n_per_arm, "n_per_arm", positive=True)
    mean = (p1 + p2) / 2
    shift = abs(p2 - p1) * math.sqrt(n) - float(stats.norm.ppf(1 - alpha / 2)) * math.sqrt(2 * mean * (1 - mean))
    return float(stats.norm.cdf(shift / math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))))


def _rates(baseline_rate: float, effect: float, relative: bool) -> tuple[float, float]:
    p1 = _probability(baseline_rate, "baseline_rate")
    effect = float(effect)
    if not math.isfinite(effect) or effect == 0:
        raise ABInputError("min_detectable_effect", "no_difference",
                           "min_detectable_effect must be a non-zero number")
    p2 = p1 * (1 + effect) if relative else p1 + effect
    if not 0 < p2 < 1:
        raise ABInputError("min_detectable_effect", "out_of_range",
                           f"the baseline rate {p1:g} with this effect gives a rate of {p2:g}, outside (0, 1)")
    return p1, p2


def _probability(value: float, name: str) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ABInputError(name, "out_of_range", f"{name} must be a number between 0 and 1") from None
    if not 0 < value < 1:
        raise ABInputError(name, "out_of_range", f"{name} must be between 0 and 1 (exclusive), not {value:g}")
    return value


def _count(value, name: str, positive: bool = False) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ABInputError(name, "not_integer", f"{name} must be a whole number, not {value!r}") from None
    if not math.isfinite(number) or number != int(number):
        raise ABInputError(name, "not_integer", f"{name} must be a whole number, not {value!r}")
    if number < 0:
        raise ABInputError(name, "negative", f"{name} cannot be negative ({int(number)})")
    if positive and number == 0:
        raise ABInputError(name, "zero", f"{name} must be greater than zero")
    return int(number)
