"""synjson.train.cost: Synaptic's three cost functions, with JavaScript's log and round."""

from __future__ import annotations

import math

import pytest

from synjson import cost
from synjson.train.cost import js_round


def test_mse() -> None:
    assert cost.MSE([1, 0], [0.5, 0.25]) == (0.25 + 0.0625) / 2
    assert cost.MSE([1e200], [-1e200]) == math.inf  # overflows like Math.pow, no OverflowError


def test_cross_entropy_guards() -> None:
    # perfect answers cost about 1e-15 per output instead of log(0)
    assert cost.CROSS_ENTROPY([1, 0], [1, 0]) == pytest.approx(0, abs=1e-14)
    assert cost.CROSS_ENTROPY([1], [0]) == -math.log(1e-15)
    assert cost.CROSS_ENTROPY([0.5], [0.5]) == -(0.5 * math.log(0.5 + 1e-15) + 0.5 * math.log(1 + 1e-15 - 0.5))


def test_cross_entropy_outside_its_domain_is_nan_or_infinite() -> None:
    assert math.isnan(cost.CROSS_ENTROPY([1], [-0.5]))  # Math.log(-0.5) is NaN; Python's would raise
    assert math.isnan(cost.CROSS_ENTROPY([0], [2.0]))
    assert cost.CROSS_ENTROPY([1], [-1e-15]) == math.inf  # Math.log(0) is -Infinity


def test_binary_counts_misses_after_doubling_and_rounding() -> None:
    assert cost.BINARY([1, 0, 0.5], [0.8, 0.2, 0.5]) == 0
    assert cost.BINARY([1, 0], [0.7, 0.3]) == 2  # round(1.4) = 1 != 2 and round(0.6) = 1 != 0
    assert cost.BINARY([0], [0.25]) == 1  # round(0.5) is 1 in JavaScript, 0 in Python
    assert cost.BINARY([0], [math.nan]) == 1


@pytest.mark.parametrize(
    ("x", "expected"),
    [(0.5, 1), (1.5, 2), (2.5, 3), (-0.5, 0), (-1.5, -1), (-2.5, -2), (0.49999999999999994, 0), (-0.7, -1), (3, 3)],
)
def test_js_round(x: float, expected: int) -> None:
    assert js_round(x) == expected


def test_js_round_keeps_non_finite() -> None:
    assert math.isnan(js_round(math.nan)) and js_round(math.inf) == math.inf


def test_costs_by_name() -> None:
    assert cost.COSTS == {"CROSS_ENTROPY": cost.CROSS_ENTROPY, "MSE": cost.MSE, "BINARY": cost.BINARY}
