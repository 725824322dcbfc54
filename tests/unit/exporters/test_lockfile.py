"""synjson.exporters.lockfile: where the Pyodide toolchain is looked for, and what happens when it
is missing or fails. The real toolchain's output is checked in test_export.py and in Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from synjson.errors import SynjsonError
from synjson.exporters import lockfile
from synjson.exporters.pages import export
from synjson.train.architect import Perceptron

ROOT = Path(__file__).resolve().parents[3]
NPM = ROOT / "node_modules" / "pyodide"


def _tool(folder: Path, body: str) -> Path:
    tool = folder / "pyodide"
    tool.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    tool.chmod(0o755)
    return tool


def test_the_environment_variable_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tool = _tool(tmp_path, "exit 0\n")
    monkeypatch.setenv(lockfile.LOCK_TOOL_ENV, str(tool))
    assert lockfile.find_lock_tool() == tool
    monkeypatch.setenv(lockfile.LOCK_TOOL_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(SynjsonError, match=r"\$SYNJSON_PYODIDE_CLI names .*nowhere, which does not exist"):
        lockfile.find_lock_tool()


def test_the_checkout_tool_venv_is_found() -> None:
    # scripts/setup.sh makes it; the suite's bundle tests rely on it
    assert lockfile.find_lock_tool() == ROOT / ".venv-pyodide" / "bin" / "pyodide"


def test_a_missing_toolchain_writes_nothing_and_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(lockfile.LOCK_TOOL_ENV, raising=False)
    monkeypatch.setattr(lockfile, "__file__", str(tmp_path / "src" / "lockfile.py"))
    monkeypatch.setattr(lockfile.sys, "executable", str(tmp_path / "bin" / "python"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SynjsonError) as caught:
        export(Perceptron(2, 2, 1, seed=1), tmp_path / "site" / "p.html", "pyodide", bundle_pyodide=True,
               pyodide_dir=NPM)
    assert str(caught.value) == (
        "bundle_pyodide registers synjson in pyodide-lock.json with the Pyodide toolchain "
        f"(`pyodide lockfile add-wheels`), which is not installed: {lockfile.INSTALL_LOCK_TOOL}, "
        "or set $SYNJSON_PYODIDE_CLI to its `pyodide` executable"
    )
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("echo 'Error: No such command lockfile' >&2; exit 2\n", "failed ({tool}): Error: No such command lockfile"),
        # a tool that writes the lock unchanged (an old pyodide-lock, say) is caught by the entry check
        ('cp "$4" "$6"\n', "{tool} did not register synjson-"),
    ],
)
def test_a_failing_toolchain_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str
) -> None:
    tool = _tool(tmp_path, body)
    monkeypatch.setenv(lockfile.LOCK_TOOL_ENV, str(tool))
    with pytest.raises(SynjsonError) as caught:
        export(Perceptron(2, 2, 1, seed=1), tmp_path / "site" / "p.html", "pyodide", bundle_pyodide=True,
               pyodide_dir=NPM)
    assert message.format(tool=tool) in str(caught.value)
    assert not (tmp_path / "site" / "p.html").exists()
    left = sorted(p.name for p in (tmp_path / "site" / "pyodide").iterdir())
    assert "pyodide-lock.json" not in left and not [name for name in left if name.startswith("synjson-lock-")]
