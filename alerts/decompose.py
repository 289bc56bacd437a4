"""Exact decomposition of a change in a product of factors (LMDI, with a Shapley fallback where logs are undefined).

A value V = x1 * x2 * ... moves from V0 to V1. The additive log-mean Divisia index (LMDI-I, Ang 2005) gives
factor k the contribution L(V1, V0) * ln(xk1 / xk0), where L(a, b) = (a - b) / (ln a - ln b) and L(a, a) = a.
When every factor is positive in both periods the contributions add up to V1 - V0 exactly (the logs of the
factors add up to the log of V). Logs fail on zeros and on negative values (a new store has no sales last week,
a day of returns can have negative net sales), so there the Shapley split of the product is used instead: each
factor gets its change averaged over every order in which the factors could change one by one. It is exact for
any values, and for a factor that appears or disappears (0 -> x) it gives the whole change to the factors that
moved. A factor undefined in one period (AOV with no orders) takes the other period's value, so it explains
nothing, which is the limit LMDI tends to when its quantity tends to zero.
"""

from __future__ import annotations

import math
from itertools import permutations


def log_mean(a: float, b: float) -> float:
    """L(a, b) = (a - b) / (ln a - ln b) for positive a, b; L(a, a) = a."""
    if a <= 0 or b <= 0:
        raise ValueError("the log mean needs positive values")
    if math.isclose(a, b, rel_tol=1e-12):
        return (a + b) / 2
    return (a - b) / (math.log(a) - math.log(b))


def _product(values) -> float:
    out = 1.0
    for v in values:
        out *= v
    return out


def shapley(before: list[float], after: list[float]) -> list[float]:
    """Each factor's Shapley share of product(after) - product(before); they add up exactly."""
    n = len(before)
    shares = [0.0] * n
    orders = list(permutations(range(n)))
    for order in orders:
        current = list(before)
        for k in order:
            old = _product(current)
            current[k] = after[k]
            shares[k] += _product(current) - old
    return [s / len(orders) for s in shares]


def split(before: list[float | None], after: list[float | None]) -> list[float]:
    """Contributions of each factor to product(after) - product(before), adding up to it.

    None marks a factor undefined in that period (a ratio over zero); it takes the other period's value (0 when
    undefined in both). LMDI where every factor is positive in both periods, otherwise Shapley.
    """
    if len(before) != len(after):
        raise ValueError("before and after need the same factors")
    b = [(a if x is None else x) for x, a in zip(before, after, strict=True)]
    a = [(x if y is None else y) for x, y in zip(b, after, strict=True)]
    b = [0.0 if x is None else float(x) for x in b]
    a = [0.0 if x is None else float(x) for x in a]
    v0, v1 = _product(b), _product(a)
    if all(x > 0 for x in b) and all(x > 0 for x in a):
        weight = log_mean(v1, v0)
        parts = [weight * math.log(x1 / x0) for x0, x1 in zip(b, a, strict=True)]
        # The logs add up exactly in real numbers; the last part absorbs the float rounding so the sum is exact.
        parts[-1] = (v1 - v0) - sum(parts[:-1])
        return parts
    return shapley(b, a)
