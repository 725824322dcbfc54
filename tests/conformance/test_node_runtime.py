"""Runs the JavaScript runtime's own Node tests (web/runtime.js against synaptic@1.1.4) from pytest.

They are written for Node's built-in test runner; each file is one pytest test here so that
``make test`` (and CI) runs them, and a failure shows Node's report.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.node

NODE_TESTS = Path(__file__).parent / "node"
ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p.name for p in NODE_TESTS.glob("runtime_*.test.mjs"))


def test_there_are_runtime_tests() -> None:
    assert len(FILES) >= 4, FILES


@pytest.mark.parametrize("name", FILES)
def test_node_runtime_suite(name: str) -> None:
    node = shutil.which("node")
    assert node, "Node.js is not installed: install Node 20 and run `npm ci`"
    assert (ROOT / "node_modules" / "synaptic").is_dir(), "node_modules is missing: run `npm ci`"
    result = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(NODE_TESTS / name)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"node --test {name} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    assert "# fail 0" in result.stdout or "ℹ fail 0" in result.stdout, result.stdout[-2000:]
