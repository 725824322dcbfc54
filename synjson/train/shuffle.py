"""The Trainer's shuffle: Synaptic's Fisher-Yates, and the orders Python hands the C kernel's loop.

Python decides the order of the samples at every iteration, for every engine: the Python loop
shuffles its list with :func:`fisher_yates`, and the kernel's loop (``Program.train``) asks
:class:`Orders` for the next permutations of the sample indices, in chunks, and only applies them.
"""

from __future__ import annotations

import random
from array import array
from typing import Any

from ..errors import ArgumentError

__all__ = ["fisher_yates", "Orders"]

#: Permutations handed to the kernel per call when they can be taken back (a ``random.Random``).
CHUNK = 256


def fisher_yates(items: list[Any], rng: random.Random) -> None:
    """Shuffle in place exactly as Synaptic's ``shuffleInplace`` does with ``Math.random`` (Q-T-SHUFFLE).

    Raises ArgumentError when ``rng.random()`` returns a number outside [0, 1)."""
    for i in range(len(items), 0, -1):
        r = rng.random()
        if not 0.0 <= r < 1.0:
            raise ArgumentError(f"rng.random() returned {r!r}, outside [0, 1)")
        j = int(r * i)
        items[i - 1], items[j] = items[j], items[i - 1]


def _rewindable(rng: Any) -> bool:
    """Whether ``rng`` is a plain ``random.Random``, whose draws ``setstate`` can take back."""
    kind = type(rng)
    return (
        isinstance(rng, random.Random)
        and kind.random is random.Random.random
        and kind.getstate is random.Random.getstate
        and kind.setstate is random.Random.setstate
    )


class Orders:
    """The sample order after each shuffle, as ``array('i')`` chunks of permutations for ``Program.train``.

    The kernel trains iteration 1 in the data's order and calls the instance after every iteration,
    when its chunk of permutations is used up, as the Python loop shuffles after every iteration.
    To hand over many permutations per call it shuffles ahead; :meth:`settle` then puts the rng back
    where exactly ``shuffles`` shuffles leave it, so the caller's rng ends as the Python loop leaves it.
    ``chunk=1`` (forced for any rng but a plain ``random.Random``) draws exactly when the Python loop
    draws, between the user's callbacks; ``every=N`` (a log callback every N iterations) ends every
    chunk right before the shuffle after iteration N, 2N, ..., so the draws still come after each log.
    """

    def __init__(self, rng: random.Random, count: int, iterations: int, chunk: int = CHUNK, every: int = 0) -> None:
        self.rng = rng
        self.every = every
        self.perm = list(range(count))
        self.left = iterations  # shuffles the run may still want
        self.chunk = chunk if _rewindable(rng) else 1
        self.done = 0  # shuffles made before the current chunk
        self.made = 0  # shuffles made in all
        self.state: Any = None  # the rng's state and the order before the current chunk
        self.before: list[int] = self.perm[:]

    def __call__(self) -> array:
        """The next permutations, one after another: the order after each of the next shuffles."""
        size = max(1, min(self.chunk, self.left))
        if self.every:  # this chunk starts with shuffle made + 1; the log of iteration L comes before shuffle L
            size = min(size, self.every - (self.made + 1) % self.every)
        self.done, self.before = self.made, self.perm[:]
        self.state = self.rng.getstate() if self.chunk > 1 else None
        if self.chunk == 1:
            fisher_yates(self.perm, self.rng)
            out = array("i", self.perm)
        else:  # fisher_yates, written out (random.Random's draws are always in [0, 1)): the draws first
            perm, draw, flat, count = self.perm, self.rng.random, [], len(self.perm)
            swaps = [(i - 1, int(draw() * i)) for i in list(range(count, 0, -1)) * size]
            for start in range(0, len(swaps), count):
                for i, j in swaps[start : start + count]:
                    perm[i], perm[j] = perm[j], perm[i]
                flat += perm
            out = array("i", flat)
        self.made += size
        self.left -= size
        return out

    def settle(self, shuffles: int) -> list[int]:
        """Leave the rng and the order as exactly ``shuffles`` shuffles from the start leave them
        (taking back the ones made ahead, or making the missing ones); return the order."""
        if shuffles < self.made:
            if self.state is None or shuffles < self.done:
                raise AssertionError(f"cannot take back shuffle {shuffles} of {self.made}")
            self.rng.setstate(self.state)
            self.perm, self.made = self.before[:], self.done
        while self.made < shuffles:
            fisher_yates(self.perm, self.rng)
            self.made += 1
        return self.perm
