"""The training progress bar: tqdm, by itself in a terminal or a notebook, never in a pipe or a CI log.

``Trainer.train(progress=None)`` (the default) shows a bar when stderr is a terminal or the code
runs in a Jupyter kernel (``tqdm.auto`` then draws a widget), and never when the ``CI``
environment variable is set (some CI runners give their jobs a terminal); ``progress=True`` and
``progress=False`` force it either way. tqdm is imported only when a bar is shown.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from typing import IO, Any

__all__ = ["wanted", "progress_bar", "native_reporter"]

#: Bar updates over a run in the kernel: the kernel calls back every ``iterations / UPDATES``.
UPDATES = 200


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (the test tqdm.autonotebook makes)."""
    return "ipykernel.zmqshell" in sys.modules or "IPython.utils._process_emscripten" in sys.modules


def _terminal(stream: IO[str] | None) -> bool:
    try:
        return stream is not None and bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def wanted(progress: bool | None, stream: IO[str] | None) -> bool:
    """Whether to show a bar on ``stream`` (stderr): ``progress`` when it is a bool; for None, in a
    terminal or a notebook unless ``CI`` is set."""
    if progress is not None:
        if not isinstance(progress, bool):
            raise ValueError(f"progress must be True, False or None, got {progress!r}")
        return progress
    if os.environ.get("CI"):
        return False
    return in_notebook() or _terminal(stream)


def progress_bar(total: int, stream: IO[str] | None) -> Any:
    """A tqdm bar of ``total`` iterations on ``stream`` (a widget in a notebook)."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        raise ImportError("a progress bar needs tqdm: pip install tqdm") from None
    return tqdm(total=total, unit="it", desc="training", file=stream)


def native_reporter(
    bar: Any, iterations: int, log: int, write: Callable[[str], Any], line: Callable[[int, float, float], str]
) -> tuple[int, Callable[[int, float, float], None]]:
    """``(every, callback)`` for the kernel's log hook: the bar moves every ``every`` iterations,
    and Synaptic's log line is written every ``log`` of them as without a bar."""
    step = max(1, iterations // UPDATES)
    every = math.gcd(log, step) if log else step

    def report(iteration: int, error: float, rate: float) -> None:
        if log and iteration % log == 0:
            write(line(iteration, error, rate))
        bar.set_postfix(error=f"{error:.6g}", rate=f"{rate:.6g}", refresh=False)
        bar.update(iteration - bar.n)

    return every, report
