"""When a Trainer callback edits the network while the native kernel runs the training loop.

The kernel trains on the index tables and arrays it was given. A rate or log callback that adds
neurons or connections changes the structure and replaces the store's arrays, so the kernel's
loop must stop right after that callback and the Python loop go on with a new program (issue 22).
These are the pieces that hand the loop over: the exception the callback wrappers raise, the
state the Python loop resumes from, and the rng wrapper that keeps the kernel's shuffle draws.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Restructured", "Resume", "Recorder", "replay_shuffles"]


class Restructured(Exception):
    """Raised by a callback wrapper inside the kernel's loop: the network's structure changed."""


@dataclass(frozen=True)
class Resume:
    """Where the kernel's loop stopped because a callback edited the structure.

    ``history`` and ``rates`` cover the iterations done; ``rate`` is the next iteration's rate when the
    rate callback made the edit (None when a log callback did); ``shuffle_next`` says the last iteration
    done has not shuffled yet (the log callback runs before the shuffle).
    """

    history: tuple[float, ...]
    rates: tuple[float, ...]
    rate: float | None
    shuffle_next: bool


class Recorder:
    """An rng for the kernel that keeps its draws, so the sample order can be rebuilt in Python."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.draws: list[float] = []

    def random(self) -> float:
        value = self.rng.random()
        self.draws.append(value)
        return value


class _Replay:
    def __init__(self, draws: list[float]) -> None:
        self.draws = iter(draws)

    def random(self) -> float:
        return next(self.draws)


def replay_shuffles(order: list[Any], draws: list[float], shuffle: Callable[[list[Any], Any], None]) -> None:
    """Shuffle ``order`` as the kernel did: ``shuffle(order, rng)`` once per ``len(order)`` draws."""
    replay = _Replay(draws)
    for _ in range(len(draws) // max(len(order), 1)):
        shuffle(order, replay)
