"""Synaptic's five squashing functions, as its optimized network computes them.

Each squash maps a neuron's state to ``(activation, derivative)``. The formulas
are the ones Synaptic 1.1.4's ``Network.optimize()`` writes into its generated
code, which is what ``Network.activate`` runs by default. That is not always the
textbook function: TANH is ``(e^s - e^-s) / (e^s + e^-s)`` built from one
``exp`` call, so it differs from ``math.tanh`` in the last bits and is NaN for
``|s| > ~709.78`` (docs/quirks.md, Q-TANH).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..engine.squash import exp_or_inf, hlim, identity, logistic, relu, tanh_js

__all__ = ["Squash", "LOGISTIC", "TANH", "IDENTITY", "HLIM", "RELU", "SQUASHES", "by_name"]

_exp = exp_or_inf  # the names the reference model has always used
_logistic, _tanh, _identity, _hlim, _relu = logistic, tanh_js, identity, hlim, relu


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
