"""Argument checks shared by every engine: the same messages whichever engine runs (the C kernel copies them)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..errors import ArgumentError, InputError

__all__ = ["as_floats", "check_rate", "first_non_finite"]


def as_floats(values: Sequence[float], expected: int, what: str) -> list[float]:
    """``values`` as a list of ``expected`` finite floats; InputError naming the first bad one."""
    try:
        count = len(values)
    except TypeError:
        raise InputError(f"expected a sequence of {expected} {what}, got {type(values).__name__}") from None
    if count != expected:
        raise InputError(f"expected {expected} {what}, got {count}")
    try:
        numbers = [float(value) for value in values]  # numpy scalars and friends too
    except (TypeError, ValueError):
        for index, value in enumerate(values):
            try:
                float(value)
            except (TypeError, ValueError):
                raise InputError(f"{what}[{index}] is not a number: {value!r}") from None
        raise
    # One sum instead of a test per value: it is finite when every value is (or, rarely, overflows).
    if not math.isfinite(sum(numbers)):
        index = first_non_finite(numbers)
        if index is not None:
            raise InputError(f"{what}[{index}] is not finite: {numbers[index]!r}")
    return numbers


def first_non_finite(numbers: Sequence[float]) -> int | None:
    """The index of the first NaN or infinity in ``numbers``, or None."""
    return next((index for index, number in enumerate(numbers) if not math.isfinite(number)), None)


def check_rate(rate: Any) -> float:
    """A learning rate: any real number (Q-RATE: a missing rate is an error, not NaN weights)."""
    if rate is None or isinstance(rate, bool) or not isinstance(rate, (int, float)):
        raise ArgumentError(f"rate must be a number, got {rate!r}")
    return float(rate)
