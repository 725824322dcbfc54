"""Loader of the native kernel (``synjson.engine._kernel``, built from ``_kernel.c`` by ``pip install``).

:func:`kernel` returns the extension module, or None when it was not built (no C compiler,
``SYNJSON_NO_EXTENSION=1`` at build time, Pyodide) or when ``SYNJSON_PURE=1`` is set at run time:
then the pure-Python path runs, with the same numbers.
"""

from __future__ import annotations

import os
from types import ModuleType

__all__ = ["kernel", "PURE_VARIABLE"]

#: Set to 1 to ignore a built extension (the suite runs once this way).
PURE_VARIABLE = "SYNJSON_PURE"


def kernel() -> ModuleType | None:
    """The native kernel module, or None (not built, or ignored by ``SYNJSON_PURE=1``)."""
    if os.environ.get(PURE_VARIABLE, "") not in ("", "0"):
        return None
    try:
        from . import _kernel
    except ImportError:
        return None
    return _kernel
