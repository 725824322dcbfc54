"""The Trainer's errors when an iteration fails: one wording for every engine's loop.

The Python loop (train/trainer.py) and the kernel's (train/kernel_loop.py) both raise these; the
kernel only reports where it found a NaN or an infinity (Q-T-NAN in docs/quirks.md).
"""

from __future__ import annotations

from ..errors import TrainingError

__all__ = ["diverged", "error_not_finite", "arithmetic"]

_LEFT = "the network is left as it was before this iteration"


def diverged(iteration: int, neuron: int, field: str) -> TrainingError:
    """Neuron ``neuron`` (a position) holds a NaN or infinity in ``field`` after ``iteration``."""
    return TrainingError(
        f"training diverged at iteration {iteration}: neuron {neuron} has a non-finite {field}; {_LEFT}",
        iteration,
        neuron,
    )


def error_not_finite(error: float, iteration: int) -> TrainingError:
    """The mean error of ``iteration`` is a NaN or infinity although the network's numbers are finite."""
    return TrainingError(
        f"the error is {error!r} at iteration {iteration} (outputs outside the cost's domain?); {_LEFT}",
        iteration,
    )


def arithmetic(iteration: int, failure: ArithmeticError) -> TrainingError:
    """An OverflowError or ZeroDivisionError raised inside ``iteration`` (by a squash or a cost)."""
    return TrainingError(f"iteration {iteration}: {failure}", iteration)
