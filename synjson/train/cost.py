"""Synaptic's cost functions: ``cost(target, output) -> float``, argument order as in Synaptic.

Each computes exactly what ``synaptic.Trainer.cost.*`` computes, in the same
order of operations, with JavaScript's arithmetic where Python's differs:
``Math.log`` of 0 is -infinity and of a negative number NaN (Python raises),
and ``Math.round`` rounds halves up (Python rounds them to even). See Q-T-COST in docs/quirks.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

__all__ = ["Cost", "CROSS_ENTROPY", "MSE", "BINARY", "COSTS", "js_round"]

#: A cost function: ``cost(target, output)``.
Cost = Callable[[Sequence[float], Sequence[float]], float]

_NUDGE = 1e-15
_ONE_PLUS_NUDGE = 1 + 1e-15  # Synaptic writes (1 + 1e-15), folded to this double


def _log(x: float) -> float:
    """``Math.log``: -infinity at 0, NaN below 0 and for NaN."""
    if x > 0:
        return math.log(x)
    if x == 0:
        return -math.inf
    return math.nan


def js_round(x: float) -> float:
    """``Math.round``: the nearest integer, halves rounded towards +infinity; NaN and infinities unchanged."""
    if not math.isfinite(x):
        return x
    floor = math.floor(x)
    return float(floor + 1 if x - floor >= 0.5 else floor)  # x - floor(x) is exact for doubles


def CROSS_ENTROPY(target: Sequence[float], output: Sequence[float]) -> float:
    """Cross-entropy summed over the outputs, with Synaptic's 1e-15 guards against log(0) (eq. 9)."""
    total = 0.0
    for t, o in zip(target, output):
        total -= (t * _log(o + _NUDGE)) + ((1 - t) * _log(_ONE_PLUS_NUDGE - o))
    return total


def MSE(target: Sequence[float], output: Sequence[float]) -> float:
    """Mean squared error over the outputs."""
    total = 0.0
    for t, o in zip(target, output):
        difference = t - o
        total += difference * difference  # Math.pow(d, 2) is exactly d * d
    return total / len(output)


def BINARY(target: Sequence[float], output: Sequence[float]) -> float:
    """Number of outputs whose ``round(2 * value)`` differs from the target's ``round(2 * value)``."""
    misses = 0
    for t, o in zip(target, output):
        a, b = js_round(t * 2), js_round(o * 2)
        misses += a != b  # NaN != NaN counts as a miss, as in JavaScript
    return float(misses)


#: Cost functions by Synaptic's name.
COSTS: dict[str, Cost] = {"CROSS_ENTROPY": CROSS_ENTROPY, "MSE": MSE, "BINARY": BINARY}
