"""Argument checks shared by every engine: the same messages whichever engine runs (the C kernel copies them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import ArgumentError

__all__ = ["as_floats", "check_rate"]


def as_floats(values: Sequence[float], expected: int, what: str) -> list[float]:
    """``values`` as a list of ``expected`` floats; ArgumentError (a ValueError) naming the first bad one."""
    try:
        count = len(values)
    except TypeError:
        raise ArgumentError(f"expected a sequence of {expected} {what}, got {type(values).__name__}") from None
    if count != expected:
        raise ArgumentError(f"expected {expected} {what}, got {count}")
    numbers = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = float(value)  # numpy scalars and friends
            except (TypeError, ValueError):
                raise ArgumentError(f"{what}[{index}] is not a number: {value!r}") from None
        numbers.append(float(value))
    return numbers


def check_rate(rate: Any) -> float:
    """A learning rate: any real number (Q-RATE: a missing rate is an error, not NaN weights)."""
    if rate is None or isinstance(rate, bool) or not isinstance(rate, (int, float)):
        raise ArgumentError(f"rate must be a number, got {rate!r}")
    return float(rate)
