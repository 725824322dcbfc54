"""Every ```python block of README.md and docs/*.md runs (doctest blocks, with ``>>>``, are run by
test_docs.py). A block runs in a fresh folder after the blocks before it on the same page, so a
page reads top to bottom; a few reference pages show fragments, and PRELUDES gives them the names
they assume; the blocks of a page in SCRIPTS are one script, run by a fresh interpreter. A block
that is a signature, not code, is fenced as ```text instead."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)

# What a fragment on a reference page assumes: a network and some data, in the page's own names.
PRELUDES = {
    "engine.md": (
        "import synjson\nfrom synjson.architect import LSTM\n"
        "net = LSTM(2, 3, 1, seed=1)\nx, y = [0.0, 1.0], [1.0]\nX, Y = [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]]\n"
    ),
    "format.md": "import synjson\nfrom synjson.architect import Perceptron\ntext = synjson.dumps(Perceptron(2, 3, 1, seed=1))\n",
    "security.md": (
        "import io, synjson\nfrom synjson.architect import Perceptron\n"
        "text = synjson.dumps(Perceptron(2, 3, 1, seed=1))\nsynjson.save(synjson.loads(text), 'model.json')\n"
        "fp = io.StringIO(text)\ndocument = synjson.to_json(synjson.loads(text))\n"
    ),
    "export.md": (
        "import synjson\nfrom synjson.architect import Perceptron\n"
        "synjson.save(Perceptron(2, 3, 1, seed=1), 'xor.json')\n"
    ),
}

#: Pages whose blocks make a script the reader runs (``python sweep.py``): a Dask cluster starts
#: processes, and the page runs it under ``if __name__ == "__main__"``. Run as that script, in an
#: interpreter of its own: not in the test worker, whose threads, hooks and state are not the reader's
#: (in the worker, the cluster's pickling once met a finalizer at the recursion limit).
SCRIPTS = {"scale.md"}


def blocks(page: Path) -> list[str]:
    return [code for code in FENCE.findall(page.read_text(encoding="utf-8")) if not code.lstrip().startswith(">>>")]


CASES = [(page, index) for page in PAGES for index in range(len(blocks(page)))]


def test_the_pages_have_code() -> None:
    names = {page.name for page, _ in CASES}
    assert {"README.md", "api.md", "export.md"} <= names


@pytest.mark.parametrize(("page", "index"), CASES, ids=[f"{p.name}#{i}" for p, i in CASES])
def test_python_block_runs(page: Path, index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    if page.name in SCRIPTS:
        script = tmp_path / "script.py"
        script.write_text("\n\n".join(blocks(page)[: index + 1]), encoding="utf-8")
        done = subprocess.run([sys.executable, script.name], capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, f"{page.name} as a script, blocks 0-{index}:\n{done.stderr[-3000:]}"
        return
    namespace: dict[str, object] = {"__name__": "__docs__"}
    exec(compile(PRELUDES.get(page.name, ""), f"<prelude of {page.name}>", "exec"), namespace)
    for number, code in enumerate(blocks(page)[: index + 1]):
        exec(compile(code, f"{page.name} block {number}", "exec"), namespace)
