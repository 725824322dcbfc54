"""Core: the base of ``synjson.Network``, in pure Python (the C kernel has the same type, faster).

A Core runs its network on a *program*: the native kernel's ``Program``, the
generated :class:`~synjson.engine.python.PythonProgram`, or the neuron-level
reference. Before each call it compares the store's structure version with the
one its program was built for; when they differ it asks the subclass to build a
new one (``_refresh``), which calls :meth:`_install`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import StateError

__all__ = ["Core"]

_NOT_ACTIVATED = "propagate() needs a prior activate(): there is no activation to learn from"


class Core:
    """``activate`` and ``propagate`` through a program kept in step with the store's version."""

    _program: Any = None
    _version: Any = None
    _bound = -1
    _activated = False

    def _refresh(self) -> None:  # pragma: no cover - Network defines it
        raise NotImplementedError

    def _install(self, program: Any, version: Any) -> None:
        """Run on ``program`` while ``version[0]`` keeps its current value."""
        self._program, self._version, self._bound = program, version, version[0]

    def _activate_named(self, inputs: Any) -> Any:  # pragma: no cover - Network defines it
        raise NotImplementedError

    def _propagate_named(self, rate: float, targets: Any) -> None:  # pragma: no cover - Network defines it
        raise NotImplementedError

    def activate(self, inputs: Sequence[float] | Mapping[str, float], /) -> Any:
        """Feed one input vector forward and return the output activations.

        ``inputs``: a list, tuple or array of numbers (a list of floats comes back), or a dict keyed
        by the input names (a dict keyed by the output names comes back). InputError for a wrong
        count, a value that is not a number, a NaN or an infinity, or a missing or unknown name.
        """
        if inputs.__class__ is not list and inputs.__class__ is not tuple and isinstance(inputs, Mapping):
            return self._activate_named(inputs)
        if self._version is None or self._version[0] != self._bound:
            self._refresh()
        outputs = self._program.activate(inputs)
        self._activated = True
        return outputs

    def propagate(self, rate: float, targets: Sequence[float] | Mapping[str, float], /) -> None:
        """Back-propagate the error against ``targets`` and learn at ``rate``.

        ``targets``: as ``activate``'s inputs (a dict is keyed by the output names). Unlike
        Synaptic, a missing rate is an error rather than NaN weights (Q-RATE).
        """
        if targets.__class__ is not list and targets.__class__ is not tuple and isinstance(targets, Mapping):
            return self._propagate_named(rate, targets)
        if self._version is None or self._version[0] != self._bound:
            self._refresh()
        if not self._activated:
            raise StateError(_NOT_ACTIVATED)
        self._program.propagate(rate, targets)
