"""``activate_batch`` split across threads: the same numbers as one thread, as the pure engine, as row by row.

The kernel splits a batch of independent rows into shares of whole lanes, one thread each
(``threads``, default: the processors online), when each share is worth a thread
(``_kernel_batch.inc``: WORK_PER_THREAD). The sizes here are chosen so that every count asked for
is used: 64-128-10 needs ~857 rows a thread, 2-3-1 ~135 000.
"""

from __future__ import annotations

import sys
from array import array
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_engine_common import NETWORKS, data

from synjson import architect
from synjson.engine import _kernel
from synjson.engine.batch import MAX_THREADS, check_threads
from synjson.errors import ArgumentError

np = pytest.importorskip("numpy")

THREADS = (1, 2, 3, 8)


def _rows(width: int, count: int, seed: int) -> object:
    return np.random.default_rng(seed).uniform(-1, 1, (count, width))


def _kernel_batch(net: object, rows: object, threads: int | None) -> object:
    """The kernel's batch on the network's own plan (a Program of its own: the engine choice plays no part)."""
    program = _kernel.Program(net.plan())
    out = np.empty((len(rows), net.outputs()))
    program.activate_batch(np.ascontiguousarray(rows), len(rows), out, threads)
    return out


@pytest.mark.parametrize(
    ("shape", "count"),
    [((64, 128, 10), 7_000), ((2, 3, 1), 1_100_000), ((30, 40, 5), 41_000), ((3, 5, 4, 2), 370_000)],
)
def test_every_thread_count_gives_one_threads_numbers_and_the_pure_engines(shape: tuple[int, ...], count: int) -> None:
    rows = _rows(shape[0], count, seed=len(shape) + count)
    one = _kernel_batch(architect.Perceptron(*shape, seed=2), rows, 1)
    for threads in (*THREADS[1:], MAX_THREADS, None):
        assert (_kernel_batch(architect.Perceptron(*shape, seed=2), rows, threads) == one).all(), threads
    pure = architect.Perceptron(*shape, seed=2)
    pure.engine = "python"
    head = rows[:300]  # the generated Python takes seconds for a few thousand rows of 64-128-10
    assert pure.activate_batch(head, threads=3).tolist() == _kernel_batch(pure, head, 3).tolist() == one[:300].tolist()


def test_the_split_rows_are_the_reference_row_by_row() -> None:
    net = architect.Perceptron(64, 128, 10, seed=2)
    rows = _rows(64, 3_000, seed=3)
    reference = net.clone()
    reference.engine = "reference"
    picked = [0, 1, 31, 32, 1023, 1024, 1499, 1500, 2047, 2048, 2997, 2998, 2999]  # lane and share edges
    expected = [reference.activate(rows[i].tolist()) for i in picked]
    for threads in THREADS:
        assert _kernel_batch(net, rows, threads)[picked].tolist() == expected


def test_the_store_ends_as_after_activate_whatever_the_count() -> None:
    rows = _rows(64, 7_000, seed=4)
    states = []
    for threads in THREADS:  # the kernel's own Program: the pure pass (SYNJSON_PURE=1) would take minutes
        net = architect.Perceptron(64, 128, 10, seed=2)
        out = _kernel_batch(net, rows, threads)
        states.append((out.tolist(), net.to_json()))
    alone = architect.Perceptron(64, 128, 10, seed=2)
    for row in rows[-2:]:
        alone.activate(row.tolist())
    assert all(state == states[0] for state in states)
    assert states[0][1] == alone.to_json()


@pytest.mark.parametrize("name", ["lstm_2_8_1", "mixed", "gated_self_connection"])
def test_recurrent_networks_run_row_by_row_whatever_the_count(name: str) -> None:
    reference = NETWORKS[name]()
    rows = [inputs for inputs, _ in data(reference, 300, seed=5)]
    expected = [reference.activate(row) for row in rows]
    for threads in THREADS:
        net = NETWORKS[name]()
        program = _kernel.Program(net.plan())
        assert program.rows_independent is False
        out = array("d", bytes(8 * len(rows) * net.outputs()))
        program.activate_batch(array("d", [x for row in rows for x in row]), len(rows), out, threads)
        width = net.outputs()
        assert [out[i * width : (i + 1) * width].tolist() for i in range(len(rows))] == expected
        again = NETWORKS[name]()
        assert again.activate_batch(rows, threads=threads).tolist() == expected


BAD = [0, -1, MAX_THREADS + 1, 2**70, True, 1.5, "2", 2.0]


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_thread_count_is_refused_by_every_engine(bad: object) -> None:
    message = f"activate_batch: threads must be a whole number from 1 to 256, got {bad!r}"
    rows = _rows(2, 100, seed=6)
    for engine in ("auto", "python", "reference"):
        net = architect.Perceptron(2, 3, 1, seed=1)
        net.engine = engine
        with pytest.raises(ArgumentError) as raised:
            net.activate_batch(rows, threads=bad)
        assert str(raised.value) == message
    program = _kernel.Program(architect.Perceptron(2, 3, 1, seed=1).plan())
    with pytest.raises(ArgumentError) as raised:
        program.activate_batch(rows, 100, np.empty((100, 1)), bad)
    assert str(raised.value) == message
    with pytest.raises(ArgumentError) as raised:
        check_threads(bad)
    assert str(raised.value) == message


def test_threads_is_keyword_only_and_none_is_the_default() -> None:
    net = architect.Perceptron(2, 3, 1, seed=1)
    rows = _rows(2, 50, seed=7)
    with pytest.raises(TypeError):
        net.activate_batch(rows, 2)  # type: ignore[misc]
    assert check_threads(None) is None and check_threads(MAX_THREADS) == MAX_THREADS
    assert net.activate_batch(rows, threads=None).tolist() == net.activate_batch(rows).tolist()
    program = _kernel.Program(net.plan())
    with pytest.raises(TypeError, match=r"^activate_batch\(\) takes 3 or 4 arguments \(5 given\)$"):
        program.activate_batch(rows, 50, np.empty((50, 1)), 1, 2)
