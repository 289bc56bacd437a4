"""A/B calculator against hand-computed and published values (R's prop.test, fisher.test, power.prop.test)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from forecasting.ab_test import (
    ABInputError,
    power,
    required_sample_size,
    two_proportion_test,
)


def test_z_test_and_unpooled_interval_match_the_hand_computed_example():
    # A: 200 of 1000 convert (20%), B: 250 of 1000 (25%).
    # Pooled rate 450 / 2000 = 0.225; SE = sqrt(0.225 x 0.775 x (1/1000 + 1/1000)) = sqrt(0.00034875) = 0.0186748;
    # z = 0.05 / 0.0186748 = 2.67740; two-sided p = 0.007420 (R: prop.test(c(250, 200), c(1000, 1000),
    # correct = FALSE) gives X-squared = 7.1685 = z^2, p-value = 0.00742).
    # Unpooled SE = sqrt(0.2 x 0.8 / 1000 + 0.25 x 0.75 / 1000) = sqrt(0.0003475) = 0.0186414;
    # 95% interval 0.05 -/+ 1.959964 x 0.0186414 = 0.05 -/+ 0.036536 = [0.013464, 0.086536].
    r = two_proportion_test(200, 1000, 250, 1000)
    assert (r.rate_a, r.rate_b) == (0.2, 0.25)
    assert r.difference == pytest.approx(0.05)
    assert r.relative_difference == pytest.approx(0.25)
    assert r.z == pytest.approx(2.67740, abs=1e-5)
    assert r.z ** 2 == pytest.approx(7.1685, abs=1e-4)
    assert r.p_value == pytest.approx(0.007420, abs=2e-6)
    assert r.ci_lower == pytest.approx(0.013464, abs=1e-6)
    assert r.ci_upper == pytest.approx(0.086536, abs=1e-6)
    # Smallest expected cell: 1000 x 450 / 2000 = 225, so the z-test is the one used.
    assert r.min_expected_cell == pytest.approx(225.0)
    assert r.recommended_test == "z" and r.p_value_used == r.p_value
    assert r.significant and not r.stopped_early
    # Fisher's exact test only when asked for at these counts; it agrees with the z-test here.
    assert math.isnan(r.fisher_p_value)
    assert two_proportion_test(200, 1000, 250, 1000, exact=True).fisher_p_value == pytest.approx(
        stats.fisher_exact([[200, 800], [250, 750]]).pvalue)


def test_second_worked_example_pooled_se_is_wider_than_unpooled():
    # A: 100 / 1000, B: 130 / 1000. Pooled 0.115: SE = sqrt(0.115 x 0.885 x 0.002) = sqrt(0.00020355) = 0.0142671,
    # z = 0.03 / 0.0142671 = 2.10274, p = 0.03549. Unpooled SE = sqrt(0.09/1000 + 0.1131/1000) = 0.0142513,
    # interval 0.03 -/+ 1.959964 x 0.0142513 = 0.03 -/+ 0.027932.
    r = two_proportion_test(100, 1000, 130, 1000)
    assert r.z == pytest.approx(2.10274, abs=1e-5)
    assert r.p_value == pytest.approx(0.03549, abs=1e-5)
    assert r.ci_lower == pytest.approx(0.03 - 0.027932, abs=1e-6)
    assert r.ci_upper == pytest.approx(0.03 + 0.027932, abs=1e-6)


def test_small_counts_use_fishers_exact_test_lady_tasting_tea():
    # Fisher's tea-tasting table [[3, 1], [1, 3]]: P(X = k) = C(4, k) C(4, 4 - k) / C(8, 4) = 1, 16, 36, 16, 1 / 70;
    # two-sided p sums the tables as unlikely as the observed one: (1 + 16 + 16 + 1) / 70 = 0.485714
    # (R: fisher.test(TeaTasting) p-value = 0.4857). Expected cells are 4 x 4 / 8 = 2 < 5.
    r = two_proportion_test(3, 4, 1, 4)
    assert r.fisher_p_value == pytest.approx(34 / 70)
    assert r.min_expected_cell == pytest.approx(2.0)
    assert r.recommended_test == "fisher"
    assert r.p_value_used == pytest.approx(34 / 70)
    assert not r.significant


def test_no_conversions_at_all_is_no_evidence_and_has_no_relative_difference():
    r = two_proportion_test(0, 500, 0, 500)
    assert r.difference == 0 and r.z == 0
    assert r.p_value == 1.0 and r.fisher_p_value == 1.0
    assert math.isnan(r.relative_difference)
    assert r.recommended_test == "fisher"
    assert (r.ci_lower, r.ci_upper) == (0.0, 0.0)


def test_z_test_false_positive_rate_is_near_alpha_under_the_null():
    # 4000 simulated A/A tests at 10% conversion, 2000 visitors per arm: about 5% reject at alpha 0.05
    # (binomial standard error of the rate over 4000 tests: sqrt(0.05 x 0.95 / 4000) = 0.0034).
    rng = np.random.default_rng(7)
    conv = rng.binomial(2000, 0.10, size=(4000, 2))
    rejected = np.mean([two_proportion_test(a, 2000, b, 2000).p_value < 0.05 for a, b in conv])
    assert 0.04 <= rejected <= 0.06


def test_sample_size_matches_r_power_prop_test_and_the_formula():
    # R: power.prop.test(p1 = .50, p2 = .75, power = .90) gives n = 76.7 per group -> 77 visitors per arm.
    # By hand: p = 0.625, z_.975 sqrt(2 x 0.625 x 0.375) = 1.959964 x 0.684653 = 1.341895,
    # z_.90 sqrt(0.25 + 0.1875) = 1.281552 x 0.661438 = 0.847667; (2.189562)^2 / 0.25^2 = 76.707.
    assert required_sample_size(0.5, 0.25, power=0.9, relative=False) == 77
    assert required_sample_size(0.5, 0.5, power=0.9, relative=True) == 77  # +50% of 0.5 is the same 0.75
    # Baseline 20%, +25% relative (to 25%), 80% power: p = 0.225, 1.959964 x sqrt(0.34875) = 1.157459,
    # 0.841621 x sqrt(0.3475) = 0.496128; (1.653587)^2 / 0.05^2 = 1093.74 -> 1094.
    assert required_sample_size(0.2, 0.25) == 1094
    assert required_sample_size(0.2, 0.05, relative=False) == 1094
    # A drop is as detectable as the formula says (it is symmetric in p1 and p2): 25% -> 20% needs the same n.
    assert required_sample_size(0.25, -0.05, relative=False) == 1094


def test_power_matches_r_and_inverts_the_sample_size():
    # R: power.prop.test(n = 50, p1 = .50, p2 = .75) gives power = 0.7401659. By hand:
    # (0.25 x sqrt(50) - 1.341895) / 0.661438 = 0.643860 -> Phi = 0.74017.
    assert power(0.5, 0.25, 50, relative=False) == pytest.approx(0.7401659, abs=1e-6)
    n = required_sample_size(0.03, 0.1, alpha=0.05, power=0.8)
    assert power(0.03, 0.1, n) >= 0.8 > power(0.03, 0.1, n - 1)
    # More visitors, more power; a stricter alpha, less.
    assert power(0.03, 0.1, 2 * n) > power(0.03, 0.1, n) > power(0.03, 0.1, n, alpha=0.01)


def test_power_is_the_simulated_rejection_rate():
    # 3000 simulated tests with a true 10% -> 12% lift and the n for 80% power reject about 80% of the time.
    n = required_sample_size(0.10, 0.2)
    rng = np.random.default_rng(11)
    a, b = rng.binomial(n, 0.10, 3000), rng.binomial(n, 0.12, 3000)
    rejected = np.mean([two_proportion_test(x, n, y, n).p_value < 0.05 for x, y in zip(a, b, strict=True)])
    assert 0.77 <= rejected <= 0.83


def test_stopping_before_the_planned_sample_size_is_flagged():
    r = two_proportion_test(40, 500, 60, 400, planned_n=1094)
    assert r.stopped_early
    assert r.peeking.planned_n == 1094 and r.peeking.smallest_arm == 400
    assert r.peeking.share_reached == pytest.approx(400 / 1094)
    assert not two_proportion_test(40, 1100, 60, 1094, planned_n=1094).stopped_early
    assert not two_proportion_test(40, 500, 60, 400).stopped_early  # no plan, nothing to compare


@pytest.mark.parametrize(("args", "field", "problem"), [
    ((11, 10, 5, 10), "conv_a", "exceeds_visitors"),
    ((1, 10, 12, 10), "conv_b", "exceeds_visitors"),
    ((-1, 10, 5, 10), "conv_a", "negative"),
    ((1, 0, 0, 10), "n_a", "zero"),
    ((1, 10, 1, -5), "n_b", "negative"),
    ((1.5, 10, 1, 10), "conv_a", "not_integer"),
    (("many", 10, 1, 10), "conv_a", "not_integer"),
])
def test_invalid_counts_raise_with_field_and_problem(args, field, problem):
    with pytest.raises(ValueError) as caught:
        two_proportion_test(*args)
    assert isinstance(caught.value, ABInputError)
    assert (caught.value.field, caught.value.problem) == (field, problem)
    assert field in str(caught.value)


@pytest.mark.parametrize(("call", "field", "problem"), [
    (lambda: required_sample_size(0.0, 0.1), "baseline_rate", "out_of_range"),
    (lambda: required_sample_size(1.2, 0.1), "baseline_rate", "out_of_range"),
    (lambda: required_sample_size(0.6, 0.8), "min_detectable_effect", "out_of_range"),  # 0.6 x 1.8 > 1
    (lambda: required_sample_size(0.1, 0.0), "min_detectable_effect", "no_difference"),
    (lambda: required_sample_size(0.1, 0.1, power=1.0), "power", "out_of_range"),
    (lambda: power(0.1, 0.1, 0), "n_per_arm", "zero"),
    (lambda: two_proportion_test(1, 10, 2, 10, alpha=0), "alpha", "out_of_range"),
    (lambda: two_proportion_test(1, 10, 2, 10, planned_n=0), "planned_n", "zero"),
])
def test_invalid_design_inputs_raise(call, field, problem):
    with pytest.raises(ABInputError) as caught:
        call()
    assert (caught.value.field, caught.value.problem) == (field, problem)
