"""The Trainer's learning rate: a number, a list spread over the iterations, or a callable, decided here.

Both training loops take the rate of each iteration from here: the Python loop calls
:meth:`Rates.at`, and the C kernel's loop (``Program.train``) gets :meth:`Rates.argument`, which is the
number itself, a table of one double per iteration, or the checked callable. The checks and their
messages live only here.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["Rate", "Rates", "number"]

#: A learning rate: a number; a list of numbers spread over the iterations in equal buckets;
#: or a callable ``rate(iteration, last_error) -> number``.
Rate = float | Sequence[float] | Callable[[int, float], float]


def number(value: Any, what: str) -> float:
    """``value`` as a finite float; ValueError naming ``what`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{what} must be a number, got {value!r}") from None
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return value


def _table(rates: list[float], iterations: int) -> array:
    """Q-T-BUCKET: iteration i (from 1) trains at ``rates[i // bucket]``; past the end the last rate stays."""
    bucket = iterations // len(rates)
    table = array("d")
    for k, value in enumerate(rates):
        first = max(1, k * bucket)  # the first iteration of bucket k (bucket 0 starts at iteration 1)
        last = (k + 1) * bucket - 1 if k < len(rates) - 1 else iterations
        table.extend(array("d", [value]) * (last - first + 1))
    return table


class Rates:
    """The checked rate of every iteration of one ``train`` call.

    ``callback`` is None unless the rate is a callable; ``constant`` is set for a number and
    ``table[i - 1]`` holds iteration i's rate for a list.
    """

    def __init__(self, rate: Rate, iterations: int) -> None:
        self.constant: float | None = None
        self.table: array | None = None
        self.callback: Callable[[int, float], float] | None = None
        if callable(rate):
            function = rate

            def called(iteration: int, last_error: float) -> float:
                return number(function(iteration, last_error), f"rate({iteration}, {last_error!r})")

            self.callback = called
            return
        if isinstance(rate, (str, bytes)):
            raise ValueError(f"rate must be a number, a list of numbers or a callable, got {rate!r}")
        if isinstance(rate, Sequence) or hasattr(rate, "tolist"):
            rates = [number(value, f"rate[{index}]") for index, value in enumerate(list(rate))]
            if not rates or any(value == 0 for value in rates):
                # Q-T-FALSY: Synaptic skips a 0 entry (`rate[bucket] || currentRate`): refuse it instead.
                raise ValueError("a rate list needs at least one entry and no zeros")
            if iterations // len(rates) == 0:
                # Q-T-RATELEN: Synaptic would pass the whole array as the rate and compute NaN weights.
                raise ValueError(f"a rate list longer than the iterations ({len(rates)} > {iterations})")
            self.table = _table(rates, iterations)
            return
        self.constant = number(rate, "rate")

    def at(self, iteration: int, last_error: float) -> float:
        """The rate iteration ``iteration`` (from 1) trains at, after an iteration of ``last_error``."""
        if self.callback is not None:
            return self.callback(iteration, last_error)
        if self.table is not None:
            return self.table[iteration - 1]
        assert self.constant is not None
        return self.constant

    def argument(self) -> float | array | Callable[[int, float], float]:
        """What ``Program.train`` takes as its rate: the number, the table or the callable."""
        if self.callback is not None:
            return self.callback
        return self.table if self.table is not None else self.constant  # type: ignore[return-value]

    def first(self, count: int) -> Sequence[float]:
        """The rates of iterations 1 to ``count`` for a number or a list (a callable's are recorded as called):
        a tuple, or for a list an ``array('d')``."""
        if self.table is not None:
            return self.table[:count]
        return (self.constant,) * count  # type: ignore[operator]
