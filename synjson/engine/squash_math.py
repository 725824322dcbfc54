"""The five squashing functions as Synaptic's optimized network computes them, as plain math.

``synjson.model.squash`` wraps them in named :class:`~synjson.model.squash.Squash` objects;
the generated Python calls them directly. Each maps a state to ``(activation, derivative)``.
"""

from __future__ import annotations

import math

__all__ = ["exp_or_inf", "logistic", "tanh_js", "identity", "hlim", "relu"]

_INF = math.inf


def exp_or_inf(x: float) -> float:
    """``Math.exp``: overflow gives infinity instead of raising."""
    try:
        return math.exp(x)
    except OverflowError:
        return _INF


def logistic(state: float) -> tuple[float, float]:
    """1 / (1 + e^-s), and a(1 - a)."""
    activation = 1 / (1 + exp_or_inf(-state))
    return activation, activation * (1 - activation)


def tanh_js(state: float) -> tuple[float, float]:
    """(e^s - e^-s) / (e^s + e^-s) from one ``exp``, as the generated code computes it (Q-TANH)."""
    positive = exp_or_inf(state)
    if positive == 0 or positive == _INF:  # JavaScript divides inf by inf here: NaN
        return math.nan, math.nan
    negative = 1 / positive
    activation = (positive - negative) / (positive + negative)
    return activation, 1 - activation * activation


def identity(state: float) -> tuple[float, float]:
    """s, and 1."""
    return state, 1.0


def hlim(state: float) -> tuple[float, float]:
    """1 above 0, else 0; the derivative is 1 (as Synaptic has it)."""
    return (1.0 if state > 0 else 0.0), 1.0


def relu(state: float) -> tuple[float, float]:
    """max(s, 0), and 1 above 0, else 0."""
    if state > 0:
        return state, 1.0
    return 0.0, 0.0
