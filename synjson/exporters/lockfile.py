"""Register synjson's wheel in a bundled ``pyodide-lock.json`` with the Pyodide toolchain.

``export(..., bundle_pyodide=True)`` writes the wheel beside the bundled Pyodide files and runs
``pyodide lockfile add-wheels`` (the ``pyodide-lock[wheel]`` plugin of ``pyodide-cli``, which
pyodide-build depends on) on the npm package's lock file. Pyodide then installs synjson by name,
``await pyodide.loadPackage("synjson")``, checking the wheel's SHA-256 against the lock: no
micropip, no network. The tool runs offline in well under a second.

pyodide-lock 0.2 reads Pyodide 314's lock file and needs Python >= 3.12 (on Python 3.11 pip
resolves 0.1.2, which cannot), so the tool usually lives in its own virtual environment:
``scripts/setup.sh`` makes ``.venv-pyodide``. :func:`find_lock_tool` says where it looks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..errors import SynjsonError

__all__ = ["LOCK_TOOL_ENV", "INSTALL_LOCK_TOOL", "find_lock_tool", "add_wheel"]

#: The environment variable naming the ``pyodide`` executable to use.
LOCK_TOOL_ENV = "SYNJSON_PYODIDE_CLI"
#: How to get the tool (the versions scripts/setup.sh pins).
INSTALL_LOCK_TOOL = (
    "python3.12 -m venv .venv-pyodide && .venv-pyodide/bin/pip install 'pyodide-lock[wheel]==0.2.1' "
    "'pyodide-cli==0.5.0' (Python >= 3.12; scripts/setup.sh does this)"
)


def find_lock_tool() -> Path:
    """The ``pyodide`` executable that runs ``pyodide lockfile add-wheels``.

    In order: ``$SYNJSON_PYODIDE_CLI``; ``.venv-pyodide/bin/pyodide`` in the working directory or
    a folder above it, or above synjson's source (a checkout); ``pyodide`` beside this Python
    (installed into the same environment, Python >= 3.12); ``pyodide`` on PATH.
    """
    named = os.environ.get(LOCK_TOOL_ENV)
    if named:
        if not Path(named).is_file():
            raise SynjsonError(f"${LOCK_TOOL_ENV} names {named}, which does not exist")
        return Path(named)
    here = Path.cwd().resolve()
    source = Path(__file__).resolve().parent
    for base in (here, *here.parents, *source.parents):
        candidate = base / ".venv-pyodide" / "bin" / "pyodide"
        if candidate.is_file():
            return candidate
    beside = Path(sys.executable).parent / "pyodide"
    if beside.is_file():
        return beside
    found = shutil.which("pyodide")
    if found:
        return Path(found)
    raise SynjsonError(
        "bundle_pyodide registers synjson in pyodide-lock.json with the Pyodide toolchain "
        f"(`pyodide lockfile add-wheels`), which is not installed: {INSTALL_LOCK_TOOL}, "
        f"or set ${LOCK_TOOL_ENV} to its `pyodide` executable"
    )


def add_wheel(lock: Path, wheel: Path, output: Path, *, timeout: float = 120) -> dict[str, Any]:
    """Write ``output``: the lock file ``lock`` with ``wheel`` (which sits in ``output``'s folder)
    added by the toolchain. Returns the wheel's entry, checked against the wheel's name and hash."""
    tool = find_lock_tool()
    folder = output.parent
    with tempfile.TemporaryDirectory(prefix="synjson-lock-", dir=folder) as scratch:
        written = Path(scratch).resolve() / "pyodide-lock.json"
        command = [str(tool), "lockfile", "add-wheels", "--input", str(lock.resolve()),
                   "--output", str(written), "--base-path", str(folder.resolve()), str(wheel.resolve())]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=folder)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SynjsonError(f"could not run {tool}: {error}") from None
        if done.returncode != 0:
            tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no message"]
            raise SynjsonError(f"`pyodide lockfile add-wheels` failed ({tool}): {tail[0]}")
        entry = json.loads(written.read_text(encoding="utf-8")).get("packages", {}).get("synjson")
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if not isinstance(entry, dict) or entry.get("file_name") != wheel.name or entry.get("sha256") != digest:
            raise SynjsonError(f"{tool} did not register {wheel.name} in pyodide-lock.json as expected: {entry!r}")
        os.replace(written, output)
    return entry
