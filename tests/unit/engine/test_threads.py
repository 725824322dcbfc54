"""One network, several threads (issue 20 item 7, issue 22 item 4; docs/engine.md, "Threads").

The kernel's promise: calls on one Program (activate, propagate, activate_batch, train) run one at a time;
a call from another thread waits, with the GIL released, until the running one returns; a batch that
runs off the GIL reads only memory of its own (copies of the tables and of the store's values, taken when
it starts), so whatever other threads write meanwhile, every row of one batch sees the same network.

The tests drive the kernel through a ``Core`` subclass that refreshes from a Network's plan, as Network
does, so they run whichever engine Network itself would pick (also under ``SYNJSON_PURE=1``).
"""

from __future__ import annotations

import contextlib
import math
import random
import sys
import threading
import time
from array import array
from collections.abc import Iterator
from typing import Any

import pytest

from synjson import Network, architect, squash
from synjson.engine import _kernel


class KernelNet(_kernel.Core):
    """The kernel's Core over a Network's plan: what Network does when the C kernel runs it."""

    def __init__(self, net: Network) -> None:
        self.net = net

    def _refresh(self) -> None:
        plan = self.net.plan()
        self._install(_kernel.Program(plan), plan.store.version)

    def program(self) -> Any:
        if self._version is None or self._version[0] != self._bound:
            self._refresh()
        return self._program


@pytest.fixture(autouse=True)
def fast_switches() -> Any:
    """Switch threads every 10 microseconds (not 5 ms) so the threads interleave as much as they can."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


def run_threads(*targets: Any) -> None:
    errors: list[BaseException] = []

    def guarded(target: Any) -> None:
        try:
            target()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    assert not errors, errors


def yielding(x: float) -> tuple[float, float]:
    """LOGISTIC that lets other threads run in the middle of a network (sleep releases the GIL)."""
    time.sleep(0)
    value = 1 / (1 + math.exp(-x))
    return value, value * (1 - value)


def yielding_net() -> Network:
    net = architect.Perceptron(3, 6, 2, seed=11)
    net.hidden_layers[0].set(squash=squash.Squash("YIELDING", yielding))
    return net


def test_activations_from_two_threads_are_serialized() -> None:
    """A custom squash hands the GIL to the other thread halfway through a network: without the kernel's
    one-call-at-a-time rule, one thread's hidden activations ran into the other's outputs."""
    rng = random.Random(3)
    inputs = [[rng.random() for _ in range(3)] for _ in range(60)]
    reference = yielding_net()
    reference.engine = "reference"
    expected = [reference.activate(x) for x in inputs]
    core = KernelNet(yielding_net())
    results: dict[int, list[list[float]]] = {0: [], 1: []}

    def worker(which: int) -> None:
        for _ in range(4):
            for x in inputs[which::2]:
                results[which].append(core.activate(x))

    run_threads(lambda: worker(0), lambda: worker(1))
    assert results[0] == expected[0::2] * 4
    assert results[1] == expected[1::2] * 4


class EditLock:
    """What docs/engine.md asks of a program that edits a structure other threads call: calls share the
    network (the kernel serializes them), a structural edit takes it alone (edits first when waiting)."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.calls = self.waiting_edits = 0
        self.editing = False

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        with self.condition:
            self.condition.wait_for(lambda: not self.editing and not self.waiting_edits)
            self.calls += 1
        try:
            yield
        finally:
            with self.condition:
                self.calls -= 1
                self.condition.notify_all()

    @contextlib.contextmanager
    def edit(self) -> Iterator[None]:
        with self.condition:
            self.waiting_edits += 1
            self.condition.wait_for(lambda: not self.editing and not self.calls)
            self.waiting_edits -= 1
            self.editing = True
        try:
            yield
        finally:
            with self.condition:
                self.editing = False
                self.condition.notify_all()


def test_a_batch_sees_one_network_while_other_threads_write_and_grow_it() -> None:
    """Two threads activate and propagate the network, one writes weights through the connection objects,
    one adds neurons (structural edits, under the EditLock), while batches run off the GIL. Every row
    of a batch is the same row, so every output row of a batch must be the same: that fails when the
    lanes read weights another thread is writing (as they did before the kernel copied them)."""
    net = architect.Perceptron(6, 24, 24, 3, seed=5)
    core = KernelNet(net)
    lock = EditLock()
    rows = 9000  # more than 8 192: the batch splits across two threads of its own
    row = [0.1, 0.9, 0.3, 0.5, 0.7, 0.2]
    batches: list[list[float]] = []
    stop = threading.Event()

    def train(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            x = [rng.random() for _ in range(6)]
            with lock.call():
                outputs = core.activate(x)
                core.propagate(0.05, [x[0], x[1], x[2]])
            assert len(outputs) == 3 and all(0 < value < 1 for value in outputs)

    def batch() -> None:
        flat = array("d", row * rows)
        try:
            for _ in range(12):
                out = array("d", bytes(8 * 3 * rows))
                with lock.call():
                    core.program().activate_batch(flat, rows, out)
                batches.append(out.tolist())
        finally:
            stop.set()

    def write() -> None:
        rng = random.Random(2)
        connections = [c for neuron, _ in net.neurons() for c in neuron.inputs]
        while not stop.is_set():
            rng.choice(connections).weight += rng.uniform(-1e-3, 1e-3)  # a value, not the structure: no lock

    def grow() -> None:
        count = 0
        while not stop.is_set() and count < 40:
            with lock.edit():
                neuron = net.hidden_layers[1].add()
                net.input_layer.neurons[count % 6].project(neuron, 0.01)
            count += 1
            time.sleep(0.001)

    run_threads(lambda: train(1), lambda: train(2), batch, write, grow)
    assert len(batches) == 12
    for out in batches:
        first = out[:3]
        assert all(out[i : i + 3] == first for i in range(0, len(out), 3)), "rows of one batch saw different weights"
    assert len(net.hidden_layers[1].neurons) > 24
    # nothing is corrupted: the store and the plan still agree with the neuron objects (the reference)
    reference = Network.from_json(net.to_json())
    reference.engine = "reference"
    for x, t in [([0.2, 0.4, 0.6, 0.8, 1.0, 0.0], [0.1, 0.5, 0.9])] * 5:
        assert core.activate(x) == reference.activate(x)
        core.propagate(0.3, t)
        reference.propagate(0.3, t)
    assert net.to_json() == reference.to_json()


def test_a_call_from_another_thread_waits_for_a_training() -> None:
    """A recurrent network's training with a callback (the GIL is handed over at each): another thread's
    activate on the same network waits until the training returns, so the training gives the numbers it
    gives alone, and the other thread sees the trained network."""
    rows = array("d", [0, 0, 0, 1, 1, 0, 1, 1] * 3)
    targets = array("d", [0, 1, 1, 0] * 3)
    started = threading.Event()

    def cost(target: list[float], output: list[float]) -> float:
        started.set()
        time.sleep(0)
        return (target[0] - output[0]) ** 2

    alone = KernelNet(architect.LSTM(2, 3, 1, seed=4))
    expected = alone.program().train(rows, targets, 12, 30, 0.0, cost, 0.2)
    expected_after = alone.activate([1.0, 1.0])
    started.clear()
    core = KernelNet(architect.LSTM(2, 3, 1, seed=4))
    program = core.program()
    got: list[Any] = []

    def trainer() -> None:
        got.append(program.train(rows, targets, 12, 30, 0.0, cost, 0.2))

    def other() -> None:
        started.wait(60)
        got.append(core.activate([1.0, 1.0]))

    run_threads(trainer, other)
    assert got == [expected, expected_after]
    assert core.net.to_json() == alone.net.to_json()


def test_a_call_that_raises_lets_the_waiting_thread_in() -> None:
    """A call that ends in an exception leaves the network to the thread waiting for it (which waits in
    slices of 0.1 s, looking at its signals between)."""
    release = threading.Event()
    entered = threading.Event()
    calls: list[str] = []

    def blocking(x: float) -> tuple[float, float]:
        calls.append(threading.current_thread().name)
        entered.set()
        release.wait(10)
        raise ArithmeticError("the squash gives up")

    net = architect.Perceptron(2, 2, 1, seed=1)
    net.hidden_layers[0].set(squash=squash.Squash("BLOCKING", blocking))
    core = KernelNet(net)
    core.program()

    def caller() -> None:
        with pytest.raises(ArithmeticError, match=r"^the squash gives up$"):
            core.activate([0.1, 0.2])

    def releaser() -> None:
        entered.wait(10)
        time.sleep(0.35)  # the second caller waits through a few slices meanwhile
        assert len(calls) == 1, "a second call entered the network while the first ran"
        release.set()

    first = threading.Thread(target=caller, name="first")
    first.start()
    entered.wait(10)
    run_threads(caller, releaser)
    first.join(10)
    assert calls == ["first", calls[1]] and len(calls) == 2


def test_the_programs_built_for_one_network_take_turns() -> None:
    """Two threads that both find the network stale each compile a Program: the network's Core gives
    every Program it installs its own turn-taking, so the second Program waits for the first too."""
    release = threading.Event()
    entered = threading.Event()
    calls: list[str] = []

    def blocking(x: float) -> tuple[float, float]:
        calls.append(threading.current_thread().name)
        entered.set()
        release.wait(10)
        return x, 1.0

    net = architect.Perceptron(2, 2, 1, seed=1)
    net.hidden_layers[0].set(squash=squash.Squash("BLOCKING", blocking))
    core = KernelNet(net)
    first_program = core.program()
    first = threading.Thread(target=lambda: core.activate([0.1, 0.2]), name="first")
    first.start()
    assert entered.wait(10)
    core._refresh()  # what a second thread's stale check does: a new Program for the same network
    assert core._program is not first_program

    def releaser() -> None:
        time.sleep(0.35)
        assert calls == ["first"], "the second Program ran while the first was half way"
        release.set()

    run_threads(lambda: core.activate([0.3, 0.4]), releaser)
    first.join(10)
    assert calls[0] == "first" and len(calls) == 4  # two hidden neurons per activation
