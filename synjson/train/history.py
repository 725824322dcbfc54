"""A training's error history: the iteration each point belongs to, and the curve the report page draws.

``TrainResult.history`` holds the mean error after each iteration (or after each ``log`` step on
long runs); either way its points are spread evenly over the iterations run, so point ``k`` (from
0) of ``n`` belongs to iteration ``round((k + 1) * iterations / n)``. ``curve_svg`` draws them as
the exported report page does (web/templates/app.js, ``buildCurve``): the same sizes, scale and
labels, with the colours written on the elements so that a notebook shows it without the page's
stylesheet. ``TrainResult._repr_html_`` shows it; ``synjson.exporters.curve`` builds the text plot,
the CSV and the page's ``training`` block on the same points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from ..document.text import js_number

__all__ = ["points", "pick", "curve_svg", "short_number", "result_html"]

#: The page's curve: sizes in SVG units.
WIDTH, HEIGHT, LEFT, RIGHT, PAD = 640, 260, 70, 16, 16


def points(history: Sequence[float], iterations: int) -> list[tuple[int, float]]:
    """``(iteration, error)`` for every point of ``history`` over ``iterations`` iterations."""
    count = len(history)
    if count == 0:
        return []
    total = max(iterations, count)
    return [(round((k + 1) * total / count), float(error)) for k, error in enumerate(history)]


def pick(pairs: Sequence[tuple[int, float]], limit: int) -> list[tuple[int, float]]:
    """At most ``limit`` of ``pairs``, evenly picked, the last one kept."""
    if len(pairs) <= limit:
        return list(pairs)
    step = len(pairs) / limit
    return [pairs[min(len(pairs) - 1, round((k + 1) * step) - 1)] for k in range(limit)]


def short_number(value: float) -> str:
    """A short form of ``value``, as the page's ``shortNumber``: 4 significant digits, or an exponent."""
    if value == 0:
        return "0"
    if 1e-4 <= abs(value) < 1e6:
        return js_number(float(f"{value:.4g}"))
    mantissa, exponent = f"{value:.3e}".split("e")
    return f"{mantissa}e{'+' if int(exponent) >= 0 else '-'}{abs(int(exponent))}"


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def curve_svg(history: Sequence[float], iterations: int, *, limit: int = 2000) -> str | None:
    """The error curve as SVG text (at most ``limit`` points), or None with fewer than two finite points.

    A log scale when every error is positive and they span more than a factor of 10, else linear.
    """
    pairs = pick([(i, e) for i, e in points(history, iterations) if math.isfinite(e)], limit)
    if len(pairs) < 2:
        return None
    errors = [e for _, e in pairs]
    low, high = min(errors), max(errors)
    log = low > 0 and high / low > 10
    scale = math.log10 if log else (lambda v: v)
    bottom, top = scale(low), scale(high)
    first, last = pairs[0][0], pairs[-1][0]

    def x(i: float) -> float:
        return LEFT + (i - first) / ((last - first) or 1) * (WIDTH - LEFT - RIGHT)

    def y(e: float) -> float:
        return PAD + (1 - (scale(e) - bottom) / ((top - bottom) or 1)) * (HEIGHT - 2 * PAD - 24)

    label = f"Error curve over {last} iterations, from {js_number(high)} to {js_number(low)}"
    label += " (log scale)" if log else ""
    line = " ".join(f"{x(i):.2f},{y(e):.2f}" for i, e in pairs)
    texts = [
        (short_number(high), LEFT - 6, y(high) + 4, "end"),
        (short_number(low), LEFT - 6, y(low) + 4, "end"),
        (str(first), x(first), HEIGHT - 8, "start"),
        (f"{last} iterations", x(last), HEIGHT - 8, "end"),
        ("error (log scale)" if log else "error", LEFT + 6, PAD + 4, "start"),
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="synjson-curve" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(label)}" '
        'style="max-width: 100%; height: auto; font: 11px system-ui, sans-serif">',
        f'<path class="axis" d="M {LEFT} {PAD} V {HEIGHT - PAD - 24} H {WIDTH - RIGHT}" fill="none" stroke="#6a737d"/>',
        f'<polyline class="curve" points="{line}" fill="none" stroke="#0b6bcb" stroke-width="2"/>',
        *(
            f'<text x="{_n(tx)}" y="{_n(ty)}" text-anchor="{anchor}" fill="currentColor">{escape(text)}</text>'
            for text, tx, ty, anchor in texts
        ),
        "</svg>",
    ]
    return "\n".join(parts)


def result_html(error: float, iterations: int, time: float, history: Sequence[float]) -> str:
    """What a notebook shows for a ``TrainResult``: the report page's figures and error curve."""
    figures = [f"final error {js_number(error)}", f"{iterations} iterations", f"{time:.3f} s"]
    svg = curve_svg(history, iterations)
    if svg is None:
        figures.append("no error history kept")
    return (
        f'<div class="synjson-training">\n<strong>TrainResult</strong>: {escape(", ".join(figures))}\n'
        + (f"<div>\n{svg}\n</div>\n" if svg is not None else "")
        + "</div>"
    )
