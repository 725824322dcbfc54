"""Synaptic's five squashing functions, as its optimized network computes them.

Each squash maps a neuron's state to ``(activation, derivative)``. The formulas
are the ones Synaptic 1.1.4's ``Network.optimize()`` writes into its generated
code, which is what ``Network.activate`` runs by default. That is not always the
textbook function: TANH is ``(e^s - e^-s) / (e^s + e^-s)`` built from one
``exp`` call, so it differs from ``math.tanh`` in the last bits and is NaN for
``|s| > ~709.78`` (docs/quirks.md, Q-TANH).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Squash", "LOGISTIC", "TANH", "IDENTITY", "HLIM", "RELU", "SQUASHES", "by_name"]

_INF = math.inf


def _exp(x: float) -> float:
    """``Math.exp``: overflow gives infinity instead of raising."""
    try:
        return math.exp(x)
    except OverflowError:
        return _INF


def _logistic(state: float) -> tuple[float, float]:
    activation = 1 / (1 + _exp(-state))
    return activation, activation * (1 - activation)


def _tanh(state: float) -> tuple[float, float]:
    positive = _exp(state)
    if positive == 0 or positive == _INF:  # JavaScript divides inf by inf here: NaN
        return math.nan, math.nan
    negative = 1 / positive
    activation = (positive - negative) / (positive + negative)
    return activation, 1 - activation * activation


def _identity(state: float) -> tuple[float, float]:
    return state, 1.0


def _hlim(state: float) -> tuple[float, float]:
    return (1.0 if state > 0 else 0.0), 1.0


def _relu(state: float) -> tuple[float, float]:
    if state > 0:
        return state, 1.0
    return 0.0, 0.0


@dataclass(frozen=True)
class Squash:
    """A named squashing function: ``squash(state) -> (activation, derivative)``."""

    name: str
    function: Callable[[float], tuple[float, float]]

    def __call__(self, state: float) -> tuple[float, float]:
        return self.function(state)

    def value(self, state: float) -> float:
        """The activation for ``state``."""
        return self.function(state)[0]

    def derivative(self, state: float) -> float:
        """The derivative used by training for ``state``."""
        return self.function(state)[1]

    def __repr__(self) -> str:
        return f"synjson.squash.{self.name}"


LOGISTIC = Squash("LOGISTIC", _logistic)
TANH = Squash("TANH", _tanh)
IDENTITY = Squash("IDENTITY", _identity)
HLIM = Squash("HLIM", _hlim)
RELU = Squash("RELU", _relu)

SQUASHES: dict[str, Squash] = {s.name: s for s in (LOGISTIC, TANH, IDENTITY, HLIM, RELU)}


def by_name(name: object) -> Squash:
    """The squash called ``name``; anything unknown (or None) is LOGISTIC, as in Synaptic's ``fromJSON``."""
    if isinstance(name, str):
        return SQUASHES.get(name, LOGISTIC)
    return LOGISTIC
