"""Every ```sh block of README.md and docs/*.md runs, line by line, through the real ``synjson``
command (the console script installed beside this Python) or this Python for ``python`` lines, in
a fresh folder after the blocks before it on the same page. Each line must exit 0; a comment that
starts with a number and ``...`` (``# 0.93...``) is the start of what the line prints.

Lines that cannot run here (the network, a server, the suite itself) are fenced as ```text, with
the reason in the prose; a synopsis (``synjson convert IN -o OUT [...]``) is text too. SETUP gives
a page the files its commands assume, in the page's own names."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```sh\n(.*?)^```$", re.MULTILINE | re.DOTALL)
SHOWN = re.compile(r"#\s*(-?[0-9][0-9.e+-]*)\.\.\.")
BIN = Path(sys.executable).parent


def _model_and_rows(folder: Path) -> None:
    import synjson
    from synjson.train.architect import LSTM

    synjson.save(LSTM(2, 3, 1, seed=1), folder / "model.json")
    (folder / "rows.csv").write_text("a,b\n0,1\n1,0\n0.5,0.25\n", encoding="utf-8")


def _xor(folder: Path) -> None:
    import synjson
    from synjson.train.architect import Perceptron

    synjson.save(Perceptron(2, 3, 1, seed=1), folder / "xor.json")


def _onnx(folder: Path) -> None:
    # written by torch.onnx.export as docs/formats.md shows (tests/data/onnx/VERSIONS.txt)
    shutil.copyfile(ROOT / "tests" / "data" / "onnx" / "torch_script_sigmoid_f32.onnx", folder / "model.onnx")


SETUP: dict[str, Callable[[Path], None]] = {
    "bringing-models.md": _model_and_rows,
    "export.md": _xor,
    "formats.md": _onnx,
}


def blocks(page: Path) -> list[str]:
    return FENCE.findall(page.read_text(encoding="utf-8"))


def commands(block: str) -> list[tuple[str, list[str], str | None]]:
    """(line, argv, the start of its output when a comment shows it) for each command line."""
    found = []
    for line in block.splitlines():
        argv = shlex.split(line, comments=True)
        if argv:
            _, mark, comment = line.partition("  #")  # the doc pages set comments off by two spaces
            shown = SHOWN.match("#" + comment) if mark else None
            found.append((line, argv, shown.group(1) if shown else None))
    return found


CASES = [(page, index) for page in PAGES for index in range(len(blocks(page)))]


def test_the_pages_have_shell_blocks_and_every_line_can_run() -> None:
    assert {page.name for page, _ in CASES} >= {"README.md", "bringing-models.md", "export.md", "formats.md"}
    for page, index in CASES:
        for line, argv, _ in commands(blocks(page)[index]):
            assert argv[0] in ("synjson", "python"), (
                f"{page.name} sh block {index}: {line!r} cannot run in the suite; fence it as ```text and say why"
            )


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    program = str(BIN / "synjson") if argv[0] == "synjson" else sys.executable
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([program, *argv[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(("page", "index"), CASES, ids=[f"{p.name}#{i}" for p, i in CASES])
def test_shell_block_runs(page: Path, index: int, tmp_path: Path) -> None:
    if page.name in SETUP:
        SETUP[page.name](tmp_path)
    for number, block in enumerate(blocks(page)[: index + 1]):
        for line, argv, shown in commands(block):
            done = run(argv, tmp_path)
            where = f"{page.name} sh block {number}: {line}"
            assert done.returncode == 0, f"{where}\nexit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
            if shown is not None and number == index:
                assert done.stdout.startswith(shown), f"{where}\nprinted {done.stdout[:200]!r}"


# -- the other runnable blocks: JSON documents load, the runtime's JavaScript runs in Node ----------------


def fenced(language: str) -> list[tuple[Path, str]]:
    pattern = re.compile(rf"^```{language}\n(.*?)^```$", re.MULTILINE | re.DOTALL)
    return [(page, code) for page in PAGES for code in pattern.findall(page.read_text(encoding="utf-8"))]


def test_json_blocks_are_network_documents() -> None:
    import synjson

    found = fenced("json")
    assert [page.name for page, _ in found] == ["format.md"]
    for _, code in found:
        synjson.loads(code).activate([1.0])


def test_js_blocks_run_in_node_beside_the_runtime(tmp_path: Path) -> None:
    import synjson
    from synjson.train.architect import Perceptron

    found = fenced("js")
    assert [page.name for page, _ in found] == ["runtime.md"]
    for name in ("runtime.js", "plan.js"):
        shutil.copyfile(ROOT / "web" / name, tmp_path / name)
    for number, (_, code) in enumerate(found):
        # the names the fragment assumes: a document's JSON text and a random source (imports are hoisted)
        prelude = f"const json = {synjson.dumps(Perceptron(2, 3, 1, seed=1))!r};\nconst random = Math.random;\n"
        script = tmp_path / f"block{number}.mjs"
        script.write_text(prelude + code + "console.log(JSON.stringify(net.activate([0, 1])));\n", encoding="utf-8")
        done = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr[-2000:]
        assert len(json.loads(done.stdout)) == 1
