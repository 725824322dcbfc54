"""When a Trainer callback edits the network while the native kernel runs the training loop.

The kernel trains on the index tables and arrays it was given. A rate or log callback that adds
neurons or connections changes the structure and replaces the store's arrays, so the kernel's
loop must stop right after that callback and the Python loop go on with a new program (issue 22).
These are the pieces that hand the loop over: the exception the callback wrappers raise, the
state the Python loop resumes from, and the rng wrapper that follows the kernel's shuffles.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import StateError

__all__ = ["Restructured", "Resume", "Recorder", "guard_cost"]


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
    elapsed: float = 0.0  # seconds the kernel trained


class Recorder:
    """An rng for the kernel that follows its shuffles, so Python can rebuild the sample order.

    Each draw makes the swap ``fisher_yates`` makes (``perm`` holds the kernel's permutation):
    O(1) per draw and O(n) memory, whatever the number of iterations.
    """

    def __init__(self, rng: random.Random, count: int) -> None:
        self.rng = rng
        self.perm = list(range(count))
        self.left = count  # the i of fisher_yates' loop, counting down to 1

    def random(self) -> float:
        value = self.rng.random()
        i = self.left
        j = int(value * i)
        self.perm[i - 1], self.perm[j] = self.perm[j], self.perm[i - 1]
        self.left = i - 1 if i > 1 else len(self.perm)
        return value

    def reorder(self, order: list[Any]) -> None:
        """Put ``order`` (the samples as they were before training) in the kernel's current order."""
        order[:] = [order[k] for k in self.perm]


_EDITED_IN_COST = (
    "the cost function changed the network's structure in the middle of an iteration: make structural "
    "edits in a rate or schedule callback, between iterations"
)


def guard_cost(cost: Callable[[Any, Any], float], net: Any) -> Callable[[Any, Any], float]:
    """``cost`` refusing (StateError) a structural edit made inside it.

    An engine runs a whole iteration on one program, whose arrays an edit replaces: what the rest of
    the iteration computed would be lost. Every engine refuses it alike.
    """

    def guarded(target: Any, output: Any) -> float:
        value = cost(target, output)
        if net.edited_since_compiled():
            raise StateError(_EDITED_IN_COST)
        return value

    return guarded
