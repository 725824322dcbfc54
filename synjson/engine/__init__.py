"""The engine: runs a plan's index tables over the store's numbers, in place.

Owns: the native kernel (``_kernel``, C, built at install time when a compiler
is there), the pure-Python program generated from a plan (:mod:`.python`), the
pure-Python :class:`Core` the Network class is built on, the squash math
(:mod:`.squash_math`), the argument checks every engine shares (:mod:`.arguments`) and the
facts every runtime shares (:mod:`.facts`: squash codes, the plan's fields). It knows tables and arrays, not
neurons.

May import: ``synjson.errors``, and ``synjson.document.squashes`` (the one list of squash names,
which :mod:`.facts` numbers).

``SYNJSON_PURE=1`` in the environment ignores a built kernel.
"""

from __future__ import annotations

from typing import Any

from ..errors import ArgumentError
from .core import Core as PureCore
from .native import kernel
from .python import PythonProgram, fits

__all__ = ["Core", "NATIVE", "ENGINES", "program_for", "native_available", "available_engines"]

#: What ``Network.engine`` may be: "auto" (the kernel when built, else python), "native", "python", "reference".
ENGINES = ("auto", "native", "python", "reference")


NATIVE = kernel()
Core: type = NATIVE.Core if NATIVE is not None else PureCore


def native_available() -> bool:
    """Whether the C kernel is built and in use."""
    return NATIVE is not None


def available_engines() -> list[str]:
    """The engines that can run here, the oracle first: "reference", "python", and "native" when built."""
    return ["reference", "python", *(["native"] if NATIVE is not None else [])]


def program_for(plan: Any, engine: str) -> Any:
    """A program running ``plan`` on ``engine`` ("auto", "native" or "python").

    None for "auto" without the kernel when the plan is too big to generate Python for
    (:func:`~synjson.engine.python.fits`): the caller then runs the neuron-level reference.
    """
    if engine in ("auto", "native") and NATIVE is not None:
        return NATIVE.Program(plan)
    if engine == "native":
        raise ArgumentError("engine 'native' needs the C kernel, which is not built here (see docs/engine.md)")
    if engine == "auto" and not fits(plan):
        return None
    return PythonProgram(plan)
