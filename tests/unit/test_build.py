"""Installing without a C compiler: one warning line, a working pure-Python package (issue 14).

The wheel is built from a copy of this checkout's sources (no ``build/`` folder: objects left there by
an in-place build would be linked without compiling) with the compiler replaced by ``false``; it must
hold no extension, and a fresh venv with it installed must run a network with the same numbers as here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_without_a_compiler_the_package_installs_and_runs(tmp_path: Path) -> None:
    env = {**os.environ, "CC": "false", "LDSHARED": "false"}
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            "build",
            ".cache",  # the Node oracle's answers, written by other workers while this copies
            ".venv*",
            "node_modules",
            ".git",
            "tests",
            "*.so",
            "__pycache__",
            ".hypothesis",
            "*.egg-info",
            "out",
        ),
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(tmp_path), str(source)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    assert "WARNING: synjson's native kernel was not built" in built.stdout + built.stderr
    wheel = next(tmp_path.glob("synjson-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert not [name for name in names if name.endswith((".so", ".pyd"))]
    assert "synjson/engine/python.py" in names and "synjson/data/runtime.js" in names
    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    site = next((target / "lib").glob("python3*/site-packages"))
    with zipfile.ZipFile(wheel) as archive:  # a wheel is a zip: unpacking it is installing it, offline
        archive.extractall(site)
    script = (
        "import synjson, synjson.engine as e\n"
        "from synjson.architect import Perceptron\n"
        "net = Perceptron(2, 3, 1, seed=3)\n"
        "r = synjson.Trainer(net).train(synjson.tasks.XOR_SET, rate=0.3, iterations=300, error=0)\n"
        "print(e.native_available(), repr(r.error), repr(net.activate([1, 0])[0]))\n"
    )
    ran = subprocess.run(
        [str(target / "bin" / "python"), "-c", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=tmp_path,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    here = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    native, error, output = ran.stdout.split()
    assert native == "False"
    assert (error, output) == tuple(here.stdout.split()[1:])  # the same numbers as the kernel's
