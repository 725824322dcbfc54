"""The one error hierarchy of synjson.

Every error synjson raises on purpose derives from :class:`SynjsonError`.
A model file that is not a valid Synaptic network raises :class:`FormatError`,
which is also a :class:`ValueError`, and knows *where* the problem is.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "SynjsonError", "FormatError", "LimitError", "TrainingError", "StateError", "StructureError", "ArgumentError",
    "InputError", "SynjsonWarning", "format_path",
]


class SynjsonError(Exception):
    """Root of every error synjson raises on purpose."""

    def __init__(self, *args: object) -> None:  # written out so that inspect.signature reads one
        super().__init__(*args)


def format_path(path: Iterable[str | int]) -> str:
    """Render a JSON path tuple as ``connections[12].to``.

    >>> format_path(("connections", 12, "to"))
    'connections[12].to'
    >>> format_path(())
    '$'
    """
    text = ""
    for part in path:
        if isinstance(part, str) and len(part) > 60:  # a hostile key: the message stays readable
            part = part[:60] + "..."
        if isinstance(part, int):
            text += f"[{part}]"
        elif text:
            text += f".{part}"
        else:
            text = str(part)
    return text or "$"


class FormatError(SynjsonError, ValueError):
    """A model document is not a valid Synaptic network.

    ``path`` is a tuple of keys and indices (``("connections", 12, "to")``)
    and ``message`` is the reason; ``str(error)`` joins them as
    ``connections[12].to: neuron 40 does not exist (31 neurons)``.
    ``errors`` holds every problem found when validation collected them all.
    """

    def __init__(
        self,
        message: str,
        path: Iterable[str | int] = (),
        errors: list[FormatError] | None = None,
    ) -> None:
        self.message = message
        self.path = tuple(path)
        self.errors = errors if errors is not None else [self]
        super().__init__(f"{format_path(self.path)}: {message}" if self.path else message)


class LimitError(FormatError):
    """A document exceeds a configured load limit (neurons, connections, size)."""


class TrainingError(SynjsonError, ArithmeticError):
    """Training diverged: a NaN or infinity appeared in the network.

    ``iteration`` is the 1-based trainer iteration (or step) and ``neuron``
    the index of the first neuron found with a non-finite value.
    """

    def __init__(self, message: str, iteration: int | None = None, neuron: int | None = None) -> None:
        self.iteration = iteration
        self.neuron = neuron
        super().__init__(message)


class StateError(SynjsonError, RuntimeError):
    """An operation needs state the network does not have yet, such as ``propagate`` before ``activate``."""


class ArgumentError(SynjsonError, ValueError):
    """A call was given something it cannot take: the wrong number of inputs or targets, a value that is not a
    number, a rate that is not a number, a buffer too small for its rows. The message says what to pass."""


class SynjsonWarning(UserWarning):
    """A file loads, but not as it says: a squash name Synaptic does not know loads as LOGISTIC.

    ``path`` and ``message`` as for :class:`FormatError`: ``str(warning)`` is
    ``neurons[3].squash: "SOFTMAX" is not a Synaptic squash; Synaptic.js loads it as LOGISTIC``.
    """

    def __init__(self, message: str, path: Iterable[str | int] = ()) -> None:
        self.message = message
        self.path = tuple(path)
        super().__init__(f"{format_path(self.path)}: {message}" if self.path else message)


class InputError(ArgumentError):
    """Inputs or targets given to a network are refused: the wrong count, not a number, a NaN or an
    infinity, or a name the network does not have (or a missing one). The message names the position
    (``inputs[2]``) or the key (``inputs['x']``). An :class:`ArgumentError`, so a ValueError too."""


class StructureError(SynjsonError, ValueError):
    """A network's structure cannot run, such as one neuron in two of its layers."""
