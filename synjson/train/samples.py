"""Training data as the Trainer takes it: Synaptic's ``[{"input", "output"}]`` samples, ``(x, y)``
pairs or ``(X, Y)`` row sequences (numpy arrays read through ``tolist()``), checked and turned into
lists of floats, each mistake named by its sample."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["Sample", "as_samples"]

#: One training sample: the input values and the target values.
Sample = tuple[list[float], list[float]]


def _vector(values: Any, width: int, index: int, what: str) -> list[float]:
    if hasattr(values, "tolist"):  # numpy arrays and scalars, without importing numpy
        values = values.tolist()
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise ValueError(f"sample {index}: {what} must be a list of numbers, got {type(values).__name__}")
    if len(values) != width:
        raise ValueError(f"sample {index}: {what} has {len(values)} values, the network has {width} {what}s")
    numbers = []
    for position, value in enumerate(values):
        if isinstance(value, (bool, str, bytes)):
            raise ValueError(f"sample {index}: {what}[{position}] is not a number: {value!r}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"sample {index}: {what}[{position}] is not a number: {value!r}") from None
        if not math.isfinite(number):
            raise ValueError(f"sample {index}: {what}[{position}] is not finite: {number!r}")
        numbers.append(number)
    return numbers


def as_samples(data: Any, inputs: int, outputs: int) -> list[Sample]:
    """Check a training set and return it as ``[(input, output), ...]`` lists of floats.

    ``data`` is a list of ``{"input": [...], "output": [...]}`` (Synaptic's shape),
    a list of ``(x, y)`` pairs, or a tuple ``(X, Y)`` of row sequences, such as two
    numpy arrays (a tuple of two is always read as ``(X, Y)``). For a network with
    one output, ``y`` may be a bare number, so a 1-D ``Y`` works.
    Anything malformed raises ValueError naming the sample.
    """
    if isinstance(data, tuple) and len(data) == 2 and not isinstance(data[0], Mapping):
        xs, ys = (part.tolist() if hasattr(part, "tolist") else part for part in data)
        if len(xs) != len(ys):
            raise ValueError(f"X has {len(xs)} rows but Y has {len(ys)}")
        pairs: list[tuple[Any, Any]] = list(zip(xs, ys))
    else:
        if isinstance(data, (str, bytes, Mapping)) or not isinstance(data, Sequence):
            raise ValueError(
                "data must be a list of {'input', 'output'} samples, a list of (x, y) pairs or (X, Y), "
                f"got {type(data).__name__}"
            )
        pairs = []
        for index, sample in enumerate(data):
            if isinstance(sample, Mapping) and "input" in sample and "output" in sample:
                pairs.append((sample["input"], sample["output"]))
            elif isinstance(sample, (tuple, list)) and len(sample) == 2:
                pairs.append((sample[0], sample[1]))
            else:
                raise ValueError(f"sample {index}: expected a mapping with 'input' and 'output' or an (x, y) pair")
    if not pairs:
        raise ValueError("the training set is empty")
    return [
        (_vector(x, inputs, index, "input"), _vector(_row(y, outputs), outputs, index, "output"))
        for index, (x, y) in enumerate(pairs)
    ]


def _row(y: Any, outputs: int) -> Any:
    """A bare number stands for a one-value row when the network has one output (1-D ``Y``)."""
    if hasattr(y, "tolist"):
        y = y.tolist()
    if outputs == 1 and isinstance(y, (int, float)) and not isinstance(y, bool):
        return [y]
    return y
