"""When a Trainer callback edits the network while the native kernel runs the training loop.

The kernel trains on the index tables and arrays it was given. A rate or log callback that adds
neurons or connections changes the structure and replaces the store's arrays, so the kernel's
loop must stop right after that callback and the Python loop go on with a new program (issue 22).
These are the pieces that hand the loop over: the exception the callback wrappers raise and the
state the Python loop resumes from (the sample order is train/shuffle.py's, decided in Python).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import StateError

__all__ = ["Restructured", "Resume", "guard_cost"]


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
