"""No leaks in the kernel (issue 22 item 5): memory and reference counts hold flat over many calls of every
entry point, the error paths included (wrong lengths, non-numbers, NaN, callbacks that raise).

Memory is what tracemalloc sees (every PyMem and object allocation, the kernel's scratch included), not the
process's RSS: each case is warmed up (100 calls), then run 400 times in each of up to three windows; a leak of the
smallest object (16 bytes) per call would be 6.4 kB in every one, of a float 9.6 kB, against 6 kB allowed (the
noise seen is up to 4 kB a window, whatever its length: freelists and caches, not growth per call).
"""

from __future__ import annotations

import contextlib
import gc
import math
import random
import sys
import tracemalloc
from array import array
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from synjson import Network, StateError, architect, squash
from synjson.engine import _kernel

CALLS = 400
WARM_UP = 100
ALLOWED = 6144  # bytes: freelists, caches and exception cycles in flight; a per-call leak is 6.4 kB or more


def tables(net: Network) -> SimpleNamespace:
    plan = net.plan()
    return SimpleNamespace(**{name: getattr(plan, name) for name in dir(plan) if not name.startswith("_")})


def growth(call: Callable[[], Any], expected: type[BaseException] | None) -> int:
    """Bytes still allocated after CALLS calls (the smallest of up to three windows); each call raises ``expected``
    or returns. The windows stop at the first one under ALLOWED: the smallest is then under it too, the same verdict
    as after three, in a third of the time (tracemalloc slows every allocation)."""

    def once() -> None:
        if expected is None:
            call()
            return
        try:
            call()
        except expected:
            return
        raise AssertionError(f"expected {expected.__name__}")

    # What the process holds already (in an xdist worker, thousands of earlier tests' objects) is frozen out of
    # the collector's reach: gc.collect() then walks only what the calls made (a full walk of a late worker's heap
    # took longer than the calls), and old garbage freed mid-window cannot hide a leak.
    gc.collect()
    gc.freeze()
    tracemalloc.start()
    try:
        for _ in range(WARM_UP):  # warm-up inside the trace: one-time caches count before the windows
            once()
        windows = []
        for _ in range(3):  # a cache filled late shows in one window, a leak in every one
            gc.collect()
            before = tracemalloc.get_traced_memory()[0]
            for _ in range(CALLS):
                once()
            gc.collect()
            windows.append(tracemalloc.get_traced_memory()[0] - before)
            if windows[-1] < ALLOWED:
                break
        return min(windows)
    finally:
        tracemalloc.stop()
        gc.unfreeze()


class Raises:
    def __float__(self) -> float:
        raise ArithmeticError("no number here")


def perceptron() -> Any:
    return _kernel.Program(tables(architect.Perceptron(2, 3, 1, seed=1)))


def custom(function: Any) -> Any:
    net = architect.Perceptron(2, 3, 1, seed=1)
    net.hidden_layers[0].set(squash=squash.Squash("LEAK_CHECK", function))
    return _kernel.Program(tables(net))


def logistic(x: float) -> tuple[float, float]:
    value = 1 / (1 + math.exp(-x))
    return value, value * (1 - value)


def failing(x: float) -> tuple[float, float]:
    raise ArithmeticError("squash failed")


def nested_holder() -> Any:
    holder: list[Any] = []

    def calls_back(x: float) -> tuple[float, float]:
        holder[0].activate([0.0, 0.0])
        return x, 1.0

    holder.append(custom(calls_back))
    return holder[0]


P = perceptron()
LSTM = _kernel.Program(tables(architect.LSTM(2, 3, 1, seed=1)))
P.activate([0.0, 1.0])
LSTM.activate([0.0, 1.0])
ROWS = array("d", [random.Random(1).random() for _ in range(80)])
OUT = array("d", bytes(8 * 40))
XOR, XOR_T = array("d", [0, 0, 0, 1, 1, 0, 1, 1]), array("d", [0, 1, 1, 0])
GOOD_SQUASH, BAD_SQUASH, ODD_SQUASH = custom(logistic), custom(failing), custom(lambda x: (x, 1.0, 2.0))
NESTED = nested_holder()
NAN = float("nan")


def activate_nan() -> None:
    """NaN runs through (Synaptic's numbers) or is refused by a check: either way, nothing stays."""
    with contextlib.suppress(ValueError):
        P.activate([NAN, 0.0])


class Net(_kernel.Core):
    def __init__(self) -> None:
        self.net = architect.Perceptron(2, 3, 1, seed=2)

    def _refresh(self) -> None:
        plan = self.net.plan()
        self._install(_kernel.Program(plan), plan.store.version)


CORE = Net()

CASES: dict[str, tuple[Callable[[], Any], type[BaseException] | None]] = {
    "activate": (lambda: P.activate([0.25, 0.5]), None),
    "activate a tuple of numpy-like numbers": (lambda: P.activate((True, 0.5)), None),
    "activate a range": (lambda: P.activate(range(2)), None),
    "activate wrong length": (lambda: P.activate([1.0]), ValueError),
    "activate not a number": (lambda: P.activate([1.0, "x"]), ValueError),
    "activate not a sequence": (lambda: P.activate(3), ValueError),
    "activate NaN": (lambda: activate_nan(), None),
    "activate a float() that raises": (lambda: P.activate([0.0, Raises()]), ArithmeticError),
    "activate an int too big": (lambda: P.activate([10**400, 0]), OverflowError),
    "activate 70 inputs (heap path)": (lambda: WIDE.activate([0.5] * 70), None),
    "activate 70 inputs, one bad": (lambda: WIDE.activate([0.5] * 69 + ["x"]), ValueError),
    "propagate": (lambda: P.propagate(0.1, [0.5]), None),
    "propagate bad rate": (lambda: P.propagate(None, [0.5]), ValueError),
    "propagate bad targets": (lambda: P.propagate(0.1, [0.5, 1.0]), ValueError),
    "propagate a target whose float() raises": (lambda: P.propagate(0.1, [Raises()]), ArithmeticError),
    "batch, side by side": (lambda: P.activate_batch(ROWS, 40, OUT), None),
    "batch, row by row (recurrent)": (lambda: LSTM.activate_batch(ROWS, 40, OUT), None),
    "batch too small": (lambda: P.activate_batch(ROWS, 41, OUT), ValueError),
    "batch wrong buffer": (lambda: P.activate_batch(b"x" * 16, 1, OUT), TypeError),
    "batch rows overflow": (lambda: P.activate_batch(ROWS, 2**62, OUT), ValueError),
    "custom squash": (lambda: GOOD_SQUASH.activate([0.1, 0.2]), None),
    "custom squash raising": (lambda: BAD_SQUASH.activate([0.1, 0.2]), ArithmeticError),
    "custom squash returning three values": (lambda: ODD_SQUASH.activate([0.1, 0.2]), ValueError),
    "custom squash calling its network back": (lambda: NESTED.activate([0.1, 0.2]), StateError),
    "core activate and propagate": (lambda: (CORE.activate([0.3, 0.6]), CORE.propagate(0.1, [1.0])), None),
    "core activate wrong length": (lambda: CORE.activate([0.3]), ValueError),
    "program built and dropped": (lambda: perceptron(), None),
    "program whose plan is refused": (lambda: _kernel.Program(BAD_PLAN), ValueError),
    "js_number": (lambda: _kernel.js_number(0.1 + 0.2), None),
}

WIDE = _kernel.Program(tables(architect.Perceptron(70, 3, 1, seed=1)))
BAD_PLAN = tables(architect.Perceptron(2, 3, 1, seed=1))
BAD_PLAN.order = array("i", [0, 1, 2, 3, 4, 99])


COST = {"MSE": 0, "callback": lambda t, o: (t[0] - o[0]) ** 2, "raising": lambda t, o: 1 / 0}

TRAIN_CASES: dict[str, tuple[dict[str, Any], type[BaseException] | None]] = {
    "train MSE": ({}, None),
    "train with every option": ({"cost_name": "callback", "rate": array("d", [0.3, 0.2, 0.1]), "keywords": {
        "orders": lambda: array("i", [3, 1, 0, 2, 1, 0, 2, 3]), "every": 1, "schedule": lambda info: False, "history": array("d", [0.0] * 3)}},
        None),
    "train logging": ({"rate": lambda i, e: 0.3, "keywords": {"log_every": 1, "log": lambda *args: None}}, None),
    "train with a test set": ({"keywords": {"n_test": 2, "test_rows": XOR, "test_targets": XOR_T,
                                            "test_error": 0.001}}, None),
    "train a cost that raises": ({"cost_name": "raising"}, ZeroDivisionError),
    "train a rate that raises": ({"rate": lambda i, e: 1 / 0}, ZeroDivisionError),
    "train a schedule that raises": ({"keywords": {"every": 1, "schedule": lambda info: 1 / 0}}, ZeroDivisionError),
    "train a bad cost name": ({"cost_name": "MAE"}, ValueError),
    "train a diverging rate (guard restores)": ({"rate": 1e308}, None),
    "train rows overflow": ({"keywords": {"n_test": 2**62, "test_rows": XOR, "test_targets": XOR_T}}, ValueError),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_memory_holds_flat(name: str) -> None:
    call, expected = CASES[name]
    assert growth(call, expected) < ALLOWED


@pytest.mark.parametrize("name", sorted(TRAIN_CASES))
def test_memory_holds_flat_in_training(name: str) -> None:
    options, expected = TRAIN_CASES[name]
    program = perceptron()
    cost = COST.get(options.get("cost_name", "MSE"), options.get("cost_name"))
    keywords = options.get("keywords", {})

    def call() -> Any:
        return program.train(XOR, XOR_T, 4, 3, 0.0, cost, options.get("rate", 0.3), **keywords)

    assert growth(call, expected) < ALLOWED


def test_reference_counts_hold() -> None:
    """The objects passed in (and the callbacks) are neither kept nor freed by the kernel's calls."""
    inputs, targets, rate = [0.25, 0.5], [0.5], 0.125
    bad = object()
    program = custom(logistic)
    function = logistic

    def counts() -> list[int]:
        return [sys.getrefcount(x) for x in (inputs, targets, rate, bad, function, program, XOR, OUT)]

    before = counts()
    for _ in range(3000):
        program.activate(inputs)
        program.propagate(rate, targets)
        with pytest.raises(ValueError):
            program.activate([0.1, bad])
        program.activate_batch(ROWS, 40, OUT)
        with pytest.raises(ValueError):
            program.activate_batch(ROWS, 41, OUT)
    program.train(XOR, XOR_T, 4, 5, 0.0, 0, rate)
    assert counts() == before


def test_the_measure_sees_a_leak_of_one_object_per_call() -> None:
    """The windows are long enough: keeping one new float, or the smallest object, per call is over the allowance."""
    kept: list[object] = []
    rng = random.Random(3)
    assert growth(lambda: kept.append(rng.random()), None) >= ALLOWED
    assert growth(lambda: kept.append(object()), None) >= ALLOWED
