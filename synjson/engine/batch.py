"""Batches: many rows through one program, as ``activate`` called row after row.

The rows form a sequence: a recurrent network carries its state from one row to
the next, exactly as a loop of ``activate`` calls would. The native kernel runs
the whole batch in C; the pure path loops in Python. numpy is used when present
(an array in, an array out) and never needed.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import ArgumentError, InputError

__all__ = ["as_rows", "activate_batch", "check_threads"]


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def as_rows(rows: Any, width: int) -> Any:
    """Check the shape of a batch: a numpy array stays one (float64, C order), anything else a list of lists."""
    expected = f"(n, {width})"
    shape = getattr(rows, "shape", None)
    if shape is not None:
        if len(shape) != 2 or shape[1] != width:
            raise ArgumentError(f"expected an array of shape {expected}, got shape {tuple(shape)}")
        np = _numpy()
        try:
            matrix = np.ascontiguousarray(rows, dtype=float)
        except (TypeError, ValueError):
            raise ArgumentError(f"expected an array of numbers of shape {expected}") from None
        if not np.isfinite(matrix).all():
            row, column = (int(i) for i in np.argwhere(~np.isfinite(matrix))[0])
            raise InputError(f"rows[{row}][{column}] is not finite: {float(matrix[row, column])!r}")
        return matrix
    try:
        table = [list(row) for row in rows]
    except TypeError:
        raise ArgumentError(f"expected an array of shape {expected}, got {type(rows).__name__}") from None
    for index, row in enumerate(table):
        if len(row) != width:
            raise ArgumentError(f"expected an array of shape {expected}, got a row {index} of length {len(row)}")
        try:
            table[index] = [float(value) for value in row]
        except (TypeError, ValueError):
            raise ArgumentError(f"expected an array of numbers of shape {expected} (row {index})") from None
        for column, value in enumerate(table[index]):
            if not math.isfinite(value):
                raise InputError(f"rows[{index}][{column}] is not finite: {value!r}")
    return table


#: The most threads a batch may be asked to use (the kernel's MAX_THREADS).
MAX_THREADS = 256


def check_threads(threads: Any) -> int | None:
    """``threads`` as given (None: the kernel's default, the processors online), or ArgumentError."""
    if threads is None:
        return None
    if isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= MAX_THREADS:
        raise ArgumentError(f"activate_batch: threads must be a whole number from 1 to {MAX_THREADS}, got {threads!r}")
    return threads


def activate_batch(program: Any, rows: Any, width: int, outputs: int, threads: int | None = None) -> Any:
    """Every row's outputs: an ``(n, outputs)`` numpy array when numpy is there, else a list of lists.

    ``threads``: at most this many threads for rows without state between them (native kernel only;
    None: the processors online). The outputs are the same whatever the count.
    """
    threads = check_threads(threads)
    table = as_rows(rows, width)
    np = _numpy()
    batch = getattr(program, "activate_batch", None)
    if batch is not None and np is not None:
        matrix = table if hasattr(table, "shape") else np.asarray(table, dtype=float).reshape(len(table), width)
        matrix = np.ascontiguousarray(matrix, dtype=float)
        out = np.empty((len(matrix), outputs))
        batch(matrix, len(matrix), out, threads)
        return out
    run = getattr(program, "run", None) or program.activate
    result = [run([float(x) for x in row]) for row in (table.tolist() if hasattr(table, "tolist") else table)]
    if np is not None:
        return np.asarray(result, dtype=float).reshape(len(result), outputs)
    return result
