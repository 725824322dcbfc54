"""Named inputs and outputs: a dict of values keyed by the model's names, in and out of a network.

The names are the ones the exported page and ``synjson info`` show: ``net.metadata["inputs"]`` and
``["outputs"]`` (``synjson train`` takes them from a CSV header, the brain.js bridge from its
lookups), and where the model names none, "input 1", "input 2"... and "output 1"... as on the page.
``Network.activate`` and ``propagate`` come here for a dict (any Mapping) only, so the per-call
path of a list, a tuple or an array stays as it was.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import InputError

__all__ = ["names", "from_names", "unique"]

_SHOWN = 8  # names listed in a message before "..."


def names(metadata: Mapping[str, Any], key: str, count: int) -> list[str]:
    """The ``count`` names of ``key`` ("inputs" or "outputs"): the model's, position by position,
    else ``"input N"``/``"output N"`` (from 1), exactly as the exported page names its fields."""
    given = metadata.get(key)
    given = given if isinstance(given, list) else []
    prefix = key[:-1]
    return [
        given[i] if i < len(given) and isinstance(given[i], str) and given[i] else f"{prefix} {i + 1}"
        for i in range(count)
    ]


def _listed(known: Sequence[str]) -> str:
    shown = ", ".join(map(repr, known[:_SHOWN]))
    return shown + (f", ... ({len(known)} names)" if len(known) > _SHOWN else "")


def unique(known: Sequence[str], side: str) -> None:
    """InputError unless the names of ``side`` ("inputs" or "outputs") are unique: a dict needs it."""
    seen: set[str] = set()
    for name in known:
        if name in seen:
            raise InputError(f"the network's {side} names are not unique ({name!r} twice): pass a list")
        seen.add(name)


def from_names(values: Mapping[str, Any], known: Sequence[str], what: str, side: str) -> list[float]:
    """``values`` (keyed by ``known``, the names of ``side``) as a list of finite floats in the
    network's order; InputError naming the missing, unknown or bad key."""
    unique(known, side)
    wanted = set(known)
    for key in values:
        if key not in wanted:
            raise InputError(f"{what}[{key!r}]: no such name (the network's {side} are {_listed(known)})")
    numbers = []
    for name in known:
        if name not in values:
            raise InputError(f"{what}[{name!r}] is missing (the network's {side} are {_listed(known)})")
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = float(value)  # numpy scalars and friends, as as_floats takes them
            except (TypeError, ValueError):
                raise InputError(f"{what}[{name!r}] is not a number: {value!r}") from None
        number = float(value)
        if not math.isfinite(number):
            raise InputError(f"{what}[{name!r}] is not finite: {number!r}")
        numbers.append(number)
    return numbers
