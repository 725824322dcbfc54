"""The hostile corpus (tests/data/hostile), each case in a fresh process, against the budget.

The budget (docs/security.md): for a file of B bytes, loading it, one ``activate`` and a
lossless ``dumps`` finish within 2 s + 2 s per MB and a peak of max(400 MB, 50 x B), or stop
early with LimitError; and nothing but our exceptions escapes. Each case runs under an
address-space cap (``RLIMIT_AS``) a little above the memory budget, so a runaway allocation
ends the case instead of the machine. The corpus is written at full size (about 1 MB a file,
the sizes of issue 15) into a temporary folder; the committed ``small/`` set is the same
generator at 1 % and is checked to be current.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import synjson
from synjson.document.datafiles import DataFileError
from synjson.document.limits import MEMORY_FLOOR, MEMORY_PER_BYTE, SECONDS_FLOOR, SECONDS_PER_MB

HOSTILE = Path(__file__).resolve().parents[2] / "data" / "hostile"
sys.path.insert(0, str(HOSTILE))
import generate  # noqa: E402  (the corpus generator, beside its data)

SMALL_SCALE = 0.01
OURS = {"ok", "FormatError", "LimitError", "DataFileError"}
#: Address space a fresh interpreter with synjson imported maps beyond what it touches.
ADDRESS_SLACK = 300_000_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("hostile")
    generate.write(directory)
    return directory


def run(path: Path, loader: str, address_space: int) -> dict[str, object]:
    command = [sys.executable, str(HOSTILE / "run_case.py"), str(path), loader, "--address-space", str(address_space)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def on_every_engine(name: str) -> object:
    """A case read from a network file runs on both engines (marker ``engine``, tests/conftest.py): the kernel
    reads its connections (``scan_connections``), builds its plan and runs its first ``activate``, the pure
    engine does each in Python. The ``.js`` imports (a three-neuron network before 1 MB of text), the data rows
    and the validator run the same Python on either engine: once."""
    return pytest.param(name, marks=pytest.mark.engine) if generate.CASES[name][1].startswith("read") else name


@pytest.mark.parametrize("name", [on_every_engine(name) for name in generate.CASES])
def test_case_keeps_the_budget(corpus: Path, name: str) -> None:
    _, loader, (expected, fragment) = generate.CASES[name]
    path = corpus / name
    size = path.stat().st_size
    memory = max(MEMORY_FLOOR, MEMORY_PER_BYTE * size)
    seconds = SECONDS_FLOOR + SECONDS_PER_MB * size / 1e6
    result = run(path, loader, memory + ADDRESS_SLACK)
    assert result["outcome"] in OURS, result
    assert (result["outcome"], fragment in str(result["message"])) == (expected, True), result
    # CPU time: the wall clock of a shared CI runner also counts other jobs (measured both: docs/security.md).
    # CPU time still grows when the other core is busy (shared cache and memory; the same case alone, idle machine:
    # 3.0 to 4.8 s): a case over its budget runs once more, and fails when it is over both times.
    if result["cpu"] > seconds:
        again = run(path, loader, memory + ADDRESS_SLACK)
        result = again if again["cpu"] < result["cpu"] else result
    assert result["cpu"] <= seconds, f"{name}: {result['cpu']:.2f} s of CPU, budget {seconds:.2f} s"
    assert result["peak"] <= memory, f"{name}: peak {result['peak'] / 1e6:.0f} MB, budget {memory / 1e6:.0f} MB"


def test_the_committed_small_set_is_what_the_generator_writes(tmp_path: Path) -> None:
    generate.write(tmp_path, SMALL_SCALE)
    committed = sorted(path.name for path in (HOSTILE / "small").iterdir())
    assert committed == sorted(generate.CASES)
    for name in committed:
        assert (HOSTILE / "small" / name).read_bytes() == (tmp_path / name).read_bytes(), name


@pytest.mark.parametrize("name", list(generate.CASES))
def test_small_case_raises_only_our_exceptions(name: str) -> None:
    sys.path.insert(0, str(HOSTILE))
    import run_case

    try:
        net = run_case.load(str(HOSTILE / "small" / name), generate.CASES[name][1])
    except (synjson.FormatError, DataFileError):
        return
    if net is not None:
        net.activate([0.5] * net.inputs())  # type: ignore[attr-defined]
        synjson.dumps(net, state=True)  # type: ignore[arg-type]
