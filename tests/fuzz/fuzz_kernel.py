"""Fuzz the native kernel's entry points (issue 22 item 3): plans, sizes and buffers.

Each input (bytes) picks a network, rewrites entries, lengths and counts of its plan's tables (on copies,
so no store is touched), builds ``Program(plan)`` and, when that is accepted, calls ``activate``,
``propagate``, ``activate_batch``, ``train`` and ``dump_connections`` with sizes and buffers drawn from the
input. The property: the kernel either runs or raises one of synjson's errors (``SynjsonError``), a
``TypeError`` for a buffer of the wrong kind, or Python's own ``OverflowError``/``MemoryError``/
``ZeroDivisionError``; under AddressSanitizer (``make sanitize`` replays the corpus) it never reads or
writes outside its memory.

    .venv/bin/python tests/fuzz/fuzz_kernel.py --replay              # the corpus + 400 seeded inputs (CI)
    .venv/bin/python tests/fuzz/fuzz_kernel.py --random 20000        # a longer seeded random campaign
    .venv/bin/python tests/fuzz/fuzz_kernel.py --atheris -runs=100000  # coverage-guided (pip install atheris)

Under ASan, atheris needs the sanitizer runtime first: see docs/fuzzing.md ("The kernel").
"""

from __future__ import annotations

import contextlib
import math
import random
import struct
import sys
import tempfile
from array import array
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from synjson import Network, SynjsonError, architect, squash  # noqa: E402  (after the sys.path line)
from synjson.engine import _kernel  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "kernel_corpus"
ALLOWED = (SynjsonError, TypeError, OverflowError, MemoryError, ZeroDivisionError)
INT_TABLES = ("order", "squash", "selfconn", "in_ptr", "in_conn", "out_ptr", "out_conn", "gate_ptr", "gate_conn",
              "nb_ptr", "nb_neuron", "nb_old", "nb_xtrace", "nb_self", "inf_ptr", "inf_conn", "conn_from", "conn_to",
              "conn_gater")
DOUBLE_ARRAYS = ("bias", "state", "old", "activation", "derivative", "responsibility", "projected_error",
                 "gated_error", "weight", "gain", "eligibility", "xtrace", "aux")
SPECIAL_INTS = (0, 1, -1, 2, 3, 7, 2**31 - 1, -(2**31), 2**31, 2**62, 2**63 - 1, -(2**63), 2**64, 10**20)
SPECIAL_FLOATS = (0.0, -0.0, 1.0, -1.0, 0.5, 1e308, -1e308, 5e-324, math.inf, -math.inf, math.nan, 700.0, 710.0)


def _softsign(x: float) -> tuple[float, float]:
    return x / (1 + abs(x)), 1 / (1 + abs(x)) ** 2


def _networks() -> list[Any]:
    def custom() -> Network:
        net = architect.Perceptron(2, 3, 1, seed=3)
        net.hidden_layers[0].set(squash=squash.Squash("SOFTSIGN", _softsign))
        return net

    return [
        lambda: architect.Perceptron(2, 3, 1, seed=1),
        lambda: architect.LSTM(2, 2, 1, seed=2),
        lambda: architect.Perceptron(3, 5, 4, 2, seed=4),
        custom,
        lambda: architect.Liquid(2, 6, 1, 8, 3, seed=5),
    ]


NETWORKS = _networks()
PLANS: dict[int, Any] = {}


class Draw:
    """Numbers read from the input bytes, front to back; zeros once they run out."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def byte(self) -> int:
        if self.at >= len(self.data):
            return 0
        self.at += 1
        return self.data[self.at - 1]

    def below(self, n: int) -> int:
        return (self.byte() | self.byte() << 8) % n if n > 0 else 0

    def integer(self, near: int = 0) -> int:
        kind = self.byte() % 4
        if kind == 0:
            return SPECIAL_INTS[self.below(len(SPECIAL_INTS))]
        if kind == 1:
            return near + self.below(5) - 2
        if kind == 2:
            return self.below(64)
        raw = bytes(self.byte() for _ in range(4))
        return struct.unpack("<i", raw)[0]

    def number(self) -> float:
        if self.byte() % 2:
            return SPECIAL_FLOATS[self.below(len(SPECIAL_FLOATS))]
        return (self.below(2001) - 1000) / 250


def _plan(index: int) -> Any:
    if index not in PLANS:
        net = NETWORKS[index]()
        net.activate([0.5] * net.inputs())
        PLANS[index] = (net, net.plan())
    return PLANS[index]


def tables(draw: Draw) -> SimpleNamespace:
    """A copy of one network's plan, with 0-5 of its tables rewritten."""
    _, plan = _plan(draw.below(len(NETWORKS)))
    fields: dict[str, Any] = {name: array("i", getattr(plan, name)) for name in INT_TABLES}
    fields.update({name: array("d", getattr(plan, name)) for name in DOUBLE_ARRAYS})
    fields.update(n_inputs=plan.n_inputs, n_outputs=plan.n_outputs, custom=list(plan.custom))
    for _ in range(draw.byte() % 6):
        kind = draw.byte() % 7
        if kind <= 2:  # one entry of an int table
            column = fields[INT_TABLES[draw.below(len(INT_TABLES))]]
            if isinstance(column, array) and column.typecode == "i" and column:
                position = draw.below(len(column))
                column[position] = max(-(2**31), min(2**31 - 1, draw.integer(column[position])))
        elif kind == 3:  # a table shortened or lengthened
            name = (INT_TABLES + DOUBLE_ARRAYS)[draw.below(len(INT_TABLES) + len(DOUBLE_ARRAYS))]
            column = fields[name]
            change = draw.below(7) - 3
            if not isinstance(column, array):
                pass
            elif change < 0:
                del column[max(0, len(column) + change) :]
            else:
                column.extend([column[-1] if column else 0] * change)
        elif kind == 4:
            fields[("n_inputs", "n_outputs")[draw.byte() % 2]] = draw.integer(plan.n_inputs)
        elif kind == 5:  # a value in a double array
            column = fields[DOUBLE_ARRAYS[draw.below(len(DOUBLE_ARRAYS))]]
            if isinstance(column, array) and column:
                column[draw.below(len(column))] = draw.number()
        else:  # the wrong kind of buffer, or a custom squash that is not there
            choice = draw.byte() % 3
            if choice == 0:
                fields[INT_TABLES[draw.below(len(INT_TABLES))]] = array("q", [0, 1])
            elif choice == 1:
                fields[DOUBLE_ARRAYS[draw.below(len(DOUBLE_ARRAYS))]] = memoryview(bytearray(17))[1:9].cast("d")
            else:
                fields["custom"] = [None] * draw.below(12)
    return SimpleNamespace(**fields)


def doubles(draw: Draw, count: int) -> array:
    count = max(0, min(count, 4096))
    return array("d", [draw.number() for _ in range(min(count, 8))] + [0.25] * max(0, count - 8))


def near(draw: Draw, count: int) -> int:
    """Mostly ``count``, sometimes one off."""
    return count if draw.byte() % 4 != 1 else max(0, count + draw.below(3) - 1)


def calls(program: Any, draw: Draw) -> None:
    for _ in range(1 + draw.byte() % 6):
        with contextlib.suppress(ALLOWED):
            call(program, draw)


def call(program: Any, draw: Draw) -> None:
    n_in, n_out = program.n_inputs, program.n_outputs
    kind = draw.byte() % 5
    if kind == 0:
        program.activate([draw.number() for _ in range(near(draw, n_in))])
    elif kind == 1:
        program.propagate(draw.number(), [draw.number() for _ in range(near(draw, n_out))])
    elif kind == 2:
        have = draw.below(40)
        rows = have if draw.byte() % 2 else draw.integer(3)
        if n_in == 0 and n_out == 0 and abs(rows) > 64:
            rows = 64  # nothing to read or write: a huge count would only take long
        program.activate_batch(doubles(draw, near(draw, have * n_in)), rows, doubles(draw, near(draw, have * n_out)))
    elif kind == 3:
        have = 1 + draw.below(8)
        rows = have if draw.byte() % 2 else draw.integer(4)
        if n_in == 0 and n_out == 0 and abs(rows) > 64:
            rows = 64
        rate: Any = (draw.number(), array("d", [0.3] * 3), lambda i, e: 0.2)[draw.byte() % 3]
        cost: Any = (0, 1, 2, lambda t, o: 0.5)[draw.byte() % 4]
        options: dict[str, Any] = {}
        if draw.byte() % 2:
            n_test = draw.integer(2)
            if not (n_in == 0 and n_out == 0 and abs(n_test) > 64):
                options = {"n_test": n_test, "test_rows": doubles(draw, 2 * n_in), "test_targets":
                           doubles(draw, 2 * n_out)}
        if draw.byte() % 2:
            chunk = array("i", [draw.below(max(have, 1) + 1) for _ in range(draw.below(2 * have + 2))])
            options["orders"] = lambda chunk=chunk: chunk  # often not permutations: an ArgumentError
        program.train(doubles(draw, have * n_in), doubles(draw, have * n_out), rows, 1 + draw.byte() % 3,
                      0.0, cost, rate, **options)
    else:
        count = draw.below(6)
        ints = [array("i", [draw.integer(1) for _ in range(count + (draw.byte() % 7 == 0))]) for _ in range(3)]
        order = array("i", [draw.integer(1) for _ in range(draw.below(6))])
        with contextlib.suppress(ValueError):  # the format layer catches these (the general encoder takes over)
            _kernel.dump_connections(*ints, doubles(draw, count), order)


def one_input(data: bytes) -> None:
    draw = Draw(data)
    try:
        program = _kernel.Program(tables(draw))
    except ALLOWED:
        return
    calls(program, draw)


def seeded_inputs(count: int, seed: int = 22) -> list[bytes]:
    rng = random.Random(seed)
    return [bytes(rng.randrange(256) for _ in range(rng.randrange(8, 160))) for _ in range(count)]


def replay(count: int = 400) -> int:
    files = sorted(CORPUS.glob("*")) if CORPUS.is_dir() else []
    for path in files:
        one_input(path.read_bytes())
    for data in seeded_inputs(count):
        one_input(data)
    print(f"fuzz_kernel: {len(files)} corpus files and {count} seeded inputs, nothing escaped")
    return 0


def run_atheris(argv: list[str]) -> None:
    import atheris

    # Only the harness: its branches (which table, which call, which size) are the coverage that matters, since
    # the kernel (gcc) gives none; instrument_all() takes minutes under ASan.
    module = sys.modules[__name__]
    for name in ("tables", "near", "calls", "call", "doubles", "one_input"):
        setattr(module, name, atheris.instrument_func(getattr(module, name)))
    for name in ("byte", "below", "integer", "number"):
        setattr(Draw, name, atheris.instrument_func(getattr(Draw, name)))
    corpus = Path(tempfile.mkdtemp(prefix="fuzz-kernel-"))
    for path in sorted(CORPUS.glob("*")) if CORPUS.is_dir() else []:
        (corpus / path.name).write_bytes(path.read_bytes())
    atheris.Setup([sys.argv[0], *argv, "-timeout=20", "-rss_limit_mb=4096", str(corpus)], module.one_input)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--atheris"]:
        run_atheris(argv[1:])
        return 0
    if argv[:1] == ["--random"]:
        count = int(argv[1]) if len(argv) > 1 else 10_000
        for data in seeded_inputs(count, seed=int(argv[2]) if len(argv) > 2 else random.randrange(2**32)):
            one_input(data)
        print(f"fuzz_kernel: {count} random inputs, nothing escaped")
        return 0
    return replay()


if __name__ == "__main__":
    sys.exit(main())
