"""A training run's error curve, for people: a text plot for the terminal and CSV for other tools.

``TrainResult.history`` holds the mean error after each iteration, or after each ``log`` step
on long runs; :func:`synjson.train.history.points` places each point on its iteration (and
``TrainResult._repr_html_`` draws the page's SVG curve from the same points).

>>> print(text_plot((1.0, 0.1, 0.01, 0.001), 4, height=4), end="")
error (log scale), 4 points over 4 iterations
    1 |*
      | *
      |  *
0.001 |   *
      +----
       1  4
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..train.history import pick, points

__all__ = ["points", "text_plot", "to_csv", "training_block"]


def to_csv(history: Sequence[float], iterations: int) -> str:
    """``iteration,error`` lines with a header; errors at full precision (``repr``)."""
    return "iteration,error\n" + "".join(f"{i},{e!r}\n" for i, e in points(history, iterations))


def text_plot(history: Sequence[float], iterations: int, *, width: int = 60, height: int = 12) -> str:
    """The error curve as text: one column per stretch of iterations, a log scale when every error
    is positive and they span more than a factor of 10, else a linear one."""
    pairs = [(i, e) for i, e in points(history, iterations) if math.isfinite(e)]
    if not pairs:
        return "no error history to plot\n"
    errors = [e for _, e in pairs]
    low, high = min(errors), max(errors)
    log = low > 0 and high / low > 10
    scale = (lambda v: math.log10(v)) if log else (lambda v: v)
    bottom, top = scale(low), scale(high)
    span = (top - bottom) or 1.0
    width = max(2, min(width, len(pairs)))
    columns: list[list[float]] = [[] for _ in range(width)]
    for k, error in enumerate(errors):
        columns[k * width // len(errors)].append(error)
    rows = [[" "] * width for _ in range(height)]
    for x, column in enumerate(columns):
        if column:
            mean = sum(column) / len(column)
            y = round((scale(mean) - bottom) / span * (height - 1))
            rows[height - 1 - y][x] = "*"
    labels = {0: f"{high:.4g}", height - 1: f"{low:.4g}"}
    pad = max(len(text) for text in labels.values())
    kind = "log scale" if log else "linear"
    lines = [f"error ({kind}), {len(pairs)} points over {pairs[-1][0]} iterations"]
    for y, row in enumerate(rows):
        lines.append(f"{labels.get(y, ''):>{pad}} |{''.join(row).rstrip()}")
    first, last = str(pairs[0][0]), str(pairs[-1][0])
    lines.append(" " * pad + " +" + "-" * width)
    lines.append(" " * pad + "  " + first + last.rjust(width - len(first)))
    return "\n".join(lines) + "\n"


def training_block(
    history: Sequence[float], iterations: int, *, error: float, time: float, cost: str | None = None,
    limit: int = 2000,
) -> dict[str, object]:
    """The ``training`` entry of a model's ``synjson`` block that an exported page draws as a curve:
    ``history`` as ``[iteration, error]`` pairs (at most ``limit``, evenly picked, the last kept)
    and the final figures."""
    pairs = pick([(i, e) for i, e in points(history, iterations) if math.isfinite(e)], limit)
    block: dict[str, object] = {
        "history": [[i, e] for i, e in pairs], "iterations": iterations, "error": error, "time": time,
    }
    if cost is not None:
        block["cost"] = cost
    return block
