"""The squash names Synaptic knows, and the warning for a file that names another (docs/quirks.md, Q-SQUASH).

Synaptic's ``fromJSON`` loads any name its ``Neuron.squash`` lacks as LOGISTIC, silently: a file
saying ``"SOFTMAX"`` or ``"tanh"`` runs LOGISTIC there, and in synjson, which says so.

``SYNAPTIC_SQUASHES`` is the one list of the built-in squashes: the document layer is the lowest
that needs it, and ``synjson.engine.facts`` takes its squash codes from it (a built-in's code is
its index here). ``setup.py`` loads that module by path before the package is built, and it then
loads this one by path too: so this module imports nothing of synjson at module level
(tests/unit/engine/test_facts_by_path.py).
"""

from __future__ import annotations

import json
import sys
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..errors import SynjsonWarning

__all__ = ["SYNAPTIC_SQUASHES", "OBJECT_METHODS", "squash_warnings", "warn_squashes"]

#: The squash names Synaptic 1.1.4's ``Neuron.squash`` holds, in the order of their plan codes
#: (``synjson.engine.facts.SQUASH_NAMES`` is this tuple); ``fromJSON`` loads any other as LOGISTIC.
SYNAPTIC_SQUASHES: tuple[str, ...] = ("LOGISTIC", "TANH", "IDENTITY", "HLIM", "RELU")
#: Methods of every JavaScript object: Synaptic would call one as the squash; ``validate`` refuses them.
OBJECT_METHODS = frozenset(
    (
        "constructor", "__defineGetter__", "__defineSetter__", "hasOwnProperty", "__lookupGetter__",
        "__lookupSetter__", "isPrototypeOf", "propertyIsEnumerable", "toString", "valueOf", "__proto__",
        "toLocaleString",
    )
)


def squash_warnings(doc: object) -> list[SynjsonWarning]:
    """One warning per squash name in ``doc`` that Synaptic does not know, at its first neuron."""
    from ..errors import SynjsonWarning  # here, not at the top: setup.py loads this module by path

    neurons = doc.get("neurons") if isinstance(doc, dict) else None
    places: dict[str, list[int]] = {}
    for index, neuron in enumerate(neurons if isinstance(neurons, list) else ()):
        name = neuron.get("squash") if isinstance(neuron, dict) else None
        if isinstance(name, str) and name not in SYNAPTIC_SQUASHES and name not in OBJECT_METHODS:
            places.setdefault(name, []).append(index)
    found = []
    for name, where in places.items():
        others = len(where) - 1
        more = f" (and {others} more neuron{'' if others == 1 else 's'})" if others else ""
        message = f"{json.dumps(name)[:80]} is not a Synaptic squash; Synaptic.js loads it as LOGISTIC{more}"
        found.append(SynjsonWarning(message, ("neurons", where[0], "squash")))
    return found


def warn_squashes(doc: object) -> None:
    """``warnings.warn`` each of :func:`squash_warnings`, attributed to the first caller outside synjson."""
    found = squash_warnings(doc)
    if not found:
        return
    level, frame = 2, sys._getframe(1)  # stacklevel 2 is the caller of this function
    while frame is not None and str(frame.f_globals.get("__name__", "")).startswith("synjson."):
        level, frame = level + 1, frame.f_back
    for warning in found:
        warnings.warn(warning, stacklevel=level)
