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

from ..engine.facts import SQUASH_NAMES
from ..engine.squash_math import exp_or_inf, hlim, identity, logistic, relu, tanh_js
from ..errors import SynjsonError

__all__ = ["Squash", "LOGISTIC", "TANH", "IDENTITY", "HLIM", "RELU", "SQUASHES", "by_name", "register", "registered"]

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

    # A squash is a value that names itself: copies are the object itself (to_json tells a
    # built-in by identity), and a pickle carries the name only (a lambda does not pickle).
    def __copy__(self) -> Squash:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Squash:
        return self

    def __reduce__(self) -> tuple[Callable[[str], Squash], tuple[str]]:
        if SQUASHES.get(self.name) is not self and _REGISTERED.get(self.name) is not self:
            raise SynjsonError(
                f"cannot pickle the custom squash {self.name[:80]!r}: register it first with "
                f"synjson.squash.register(...) here and where it is unpickled (a pickle carries its name only)"
            )
        return registered, (self.name,)


LOGISTIC = Squash("LOGISTIC", _logistic)
TANH = Squash("TANH", _tanh)
IDENTITY = Squash("IDENTITY", _identity)
HLIM = Squash("HLIM", _hlim)
RELU = Squash("RELU", _relu)

_BUILT_IN = {s.name: s for s in (LOGISTIC, TANH, IDENTITY, HLIM, RELU)}
#: The built-in squashes by name, in the order of their plan codes (synjson.engine.facts.SQUASH_NAMES).
SQUASHES: dict[str, Squash] = {name: _BUILT_IN[name] for name in SQUASH_NAMES}


#: Custom squashes by name, for pickles (see :func:`register`). Process-wide, like ``copyreg``'s table.
_REGISTERED: dict[str, Squash] = {}


def register(squash: Squash) -> Squash:
    """Make ``squash`` known by its name, so networks using it pickle (and unpickle) here; returns it.

    A pickle carries a custom squash by name: register it at import time of your own module, in
    every process that sends or receives such a network (a worker imports that module too).
    Registering another function under a name replaces the earlier one; the built-in names are taken.
    """
    if not isinstance(squash, Squash):
        raise TypeError(f"register() takes a synjson.squash.Squash, got {type(squash).__name__}")
    if squash.name in SQUASHES and SQUASHES[squash.name] is not squash:
        raise ValueError(f"{squash.name!r} is the name of a built-in squash: choose another name")
    _REGISTERED[squash.name] = squash
    return squash


def registered(name: str) -> Squash:
    """The built-in or registered squash called ``name``; SynjsonError when there is none (unpickling uses it)."""
    found = SQUASHES.get(name) or _REGISTERED.get(name)
    if found is None:
        raise SynjsonError(
            f"the custom squash {str(name)[:80]!r} is not registered in this process: call "
            f"synjson.squash.register(Squash({str(name)[:80]!r}, fn)) before unpickling"
        )
    return found


def by_name(name: object) -> Squash:
    """The squash called ``name``; anything unknown (or None) is LOGISTIC, as in Synaptic's ``fromJSON``."""
    if isinstance(name, str):
        return SQUASHES.get(name, LOGISTIC)
    return LOGISTIC
