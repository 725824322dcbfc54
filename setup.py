"""Build synjson's optional native kernel (synjson.engine._kernel); pyproject.toml owns the metadata.

The extension is optional: without a working C compiler (or with SYNJSON_NO_EXTENSION=1 at build
time) one warning line is printed and the pure-Python package is installed, with the same numbers.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# IEEE arithmetic exactly as written: no contraction into fused multiply-adds, never -ffast-math.
POSIX = ["-O2", "-ffp-contract=off", "-fno-fast-math", "-std=c11", "-pthread"]
FLAGS = POSIX if os.name != "nt" else ["/O2", "/fp:precise"]
LINK = ["-pthread"] if os.name != "nt" else []  # activate_batch splits long batches across two threads


class OptionalBuildExt(build_ext):
    """build_ext that warns in one line and carries on when the compiler is missing or fails."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as failure:
            self._warn(failure)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as failure:
            self._warn(failure)

    @staticmethod
    def _warn(failure: Exception) -> None:
        text = str(failure).strip()
        reason = (text.splitlines()[-1] if text else type(failure).__name__)[-100:]
        print(f"WARNING: synjson's native kernel was not built ({reason}); installing pure Python "
              f"(same numbers, slower)", file=sys.stderr)


def write_facts_header(module: str = "facts") -> None:
    """Write a generated header (synjson/engine/_facts.h from synjson/engine/facts.py, _pow10.h from pow10_table.py).

    The module is loaded by path: the package is not built yet.
    """
    root = Path(__file__).resolve().parent
    spec = importlib.util.spec_from_file_location(f"_synjson_{module}", root / "synjson" / "engine" / f"{module}.py")
    facts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(facts)
    header = root / facts.HEADER
    text = facts.c_header()
    if not header.is_file() or header.read_text(encoding="utf-8") != text:  # untouched: no needless rebuild
        header.write_text(text, encoding="utf-8")


extensions = []
if os.environ.get("SYNJSON_NO_EXTENSION", "") in ("", "0"):
    write_facts_header()
    write_facts_header("pow10_table")
    extensions.append(
        Extension(
            "synjson.engine._kernel",
            sources=["synjson/engine/_kernel.c"],
            depends=["synjson/engine/_facts.h", "synjson/engine/_pow10.h"]
            + [f"synjson/engine/_kernel_{part}.inc"
               for part in ("run", "batch", "train", "json", "core", "args", "digits")],
            extra_compile_args=FLAGS,
            extra_link_args=LINK,
        )
    )

setup(ext_modules=extensions, cmdclass={"build_ext": OptionalBuildExt})
