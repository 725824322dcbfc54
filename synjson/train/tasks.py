"""Synaptic's built-in training tasks: XOR, distracted sequence recall, embedded Reber grammar, timing.

Each function takes a :class:`~synjson.Trainer` or a :class:`~synjson.Network`
and Synaptic's options (snake_case), with Synaptic's defaults, and draws from
``rng`` (or ``random.Random(seed)``) exactly where ``Trainer.js`` calls
``Math.random``: given an rng that yields the same numbers, the task makes the
same sequences and leaves the same weights. Synaptic's own accidents are
kept and listed in docs/quirks.md ("Trainer and Architect").
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model.network import Network
from . import cost as costs
from .cost import Cost, js_round
from .trainer import TestResult, Trainer, TrainResult, _js

__all__ = ["xor", "dsr", "erg", "timing_task", "DSRResult", "ERGResult", "TimingResult", "XOR_SET"]

#: The XOR set in Synaptic's order.
XOR_SET: list[dict[str, list[float]]] = [
    {"input": [0, 0], "output": [0]},
    {"input": [1, 0], "output": [1]},
    {"input": [0, 1], "output": [1]},
    {"input": [1, 1], "output": [0]},
]


def _trainer(target: Trainer | Network) -> Trainer:
    if isinstance(target, Trainer):
        return target
    if isinstance(target, Network):
        return Trainer(target)
    raise TypeError(f"expected a Trainer or a Network, got {type(target).__name__}")


def _rng(rng: random.Random | None, seed: int | None) -> random.Random:
    if rng is not None and seed is not None:
        raise ValueError("pass rng or seed, not both")
    return rng if rng is not None else random.Random(seed)


def _pick(rng: random.Random, n: int) -> int:
    return int(rng.random() * n)  # Math.random() * n | 0


def _milliseconds(start: float) -> int:
    return int((time.perf_counter() - start) * 1000)


def xor(
    target: Trainer | Network,
    *,
    iterations: int = 100_000,
    log: int = 0,
    shuffle: bool = True,
    cost: Cost = costs.MSE,
    rng: random.Random | None = None,
    seed: int | None = None,
    **options: Any,
) -> TrainResult:
    """Train XOR (2 inputs, 1 output): ``Trainer.XOR``. Other options go to :meth:`Trainer.train`."""
    trainer = _trainer(target)
    if trainer.network.inputs() != 2 or trainer.network.outputs() != 1:
        raise ValueError("Incompatible network (2 inputs, 1 output)")
    return trainer.train(
        XOR_SET, iterations=iterations, log=log, shuffle=shuffle, cost=cost, rng=rng, seed=seed, **options
    )


@dataclass(frozen=True)
class DSRResult:
    """What :func:`dsr` returns: trials run, success rate, last trial's mean error, seconds."""

    iterations: int
    success: float
    error: float
    time: float


def dsr(
    target: Trainer | Network,
    *,
    targets: Sequence[int] = (2, 4, 7, 8),
    distractors: Sequence[int] = (3, 5, 6, 9),
    prompts: Sequence[int] = (0, 1),
    length: int = 24,
    success: float = 0.95,
    iterations: int = 100_000,
    rate: float = 0.1,
    log: int = 0,
    log_to: Callable[[str], Any] | None = None,
    schedule: tuple[int, Callable[[dict[str, Any]], Any]] | None = None,
    cost: Cost = costs.CROSS_ENTROPY,
    rng: random.Random | None = None,
    seed: int | None = None,
) -> DSRResult:
    """Distracted sequence recall: ``Trainer.DSR``.

    Each trial is ``length`` one-hot symbols: distractors with targets hidden
    at random positions, then the prompts, after which the network must name
    the targets. The network learns only on steps it gets wrong. Training
    stops after ``iterations`` trials, or at a multiple of 1000 trials once the
    success rate reaches ``success``. ``schedule=(every, callback)`` reports
    progress (its result is ignored, as in Synaptic).
    """
    net = _trainer(target).network
    rng = _rng(rng, seed)
    symbols = len(targets) + len(distractors) + len(prompts)
    if net.inputs() != symbols or net.outputs() != len(targets):
        raise ValueError(f"DSR needs {symbols} inputs and {len(targets)} outputs, the network has "
                         f"{net.inputs()} and {net.outputs()}")
    if any(not 0 <= symbol < symbols for symbol in (*targets, *distractors, *prompts)):
        raise ValueError(f"every symbol must be in range(0, {symbols})")
    if length <= len(prompts):
        raise ValueError(f"length must exceed the number of prompts ({len(prompts)})")
    write = log_to if log_to is not None else print
    sequence_length = length - len(prompts)

    def no_repeat(avoid: list[int]) -> int:
        while True:
            number = _pick(rng, sequence_length)
            if number not in avoid:
                return number

    trial = correct = 0
    success_rate, error = 0.0, 1.0
    start = time.perf_counter()
    while trial < iterations and (success_rate < success or trial % 1000 != 0):
        sequence = [distractors[_pick(rng, len(distractors))] for _ in range(sequence_length)]
        indexes: list[int] = []
        positions: list[int] = []
        for _ in prompts:
            indexes.append(_pick(rng, len(targets)))
            positions.append(no_repeat(positions))
        positions.sort(key=str)  # Q-T-DSR: JavaScript's default sort compares numbers as strings
        for index, position, prompt in zip(indexes, positions, prompts):
            sequence[position] = targets[index]
            sequence.append(prompt)

        distractors_correct = targets_correct = 0
        error = 0.0
        for i in range(length):
            inputs = [0.0] * symbols
            inputs[sequence[i]] = 1.0
            outputs = [0.0] * len(targets)
            if i >= sequence_length:
                outputs[indexes[i - sequence_length]] = 1.0
            prediction = net.activate(inputs)
            if all(js_round(p) == o for p, o in zip(prediction, outputs)):
                if i < sequence_length:
                    distractors_correct += 1
                else:
                    targets_correct += 1
            else:
                net.propagate(rate, outputs)
            error += cost(outputs, prediction)
            if distractors_correct + targets_correct == length:
                correct += 1
        if trial % 1000 == 0:
            correct = 0
        trial += 1
        success_rate = correct / (trial % 1000 or 1000)
        error /= length
        if log and trial % log == 0:
            write(f"iterations: {trial}  success: {_js(success_rate)}  correct: {correct}  "
                  f"time: {_milliseconds(start)}  error: {_js(error)}")
        if schedule is not None and schedule[0] and trial % schedule[0] == 0:
            schedule[1]({"iterations": trial, "success": success_rate, "error": error,
                         "time": _milliseconds(start), "correct": correct})
    return DSRResult(iterations=trial, success=success_rate, error=error, time=time.perf_counter() - start)


class _Node:
    """A state of a Reber grammar: labelled paths to other states."""

    def __init__(self) -> None:
        self.paths: list[tuple[_Node, str]] = []

    def connect(self, node: _Node, value: str) -> _Node:
        self.paths.append((node, value))
        return self

    def any(self, rng: random.Random) -> tuple[_Node, str] | None:
        return self.paths[_pick(rng, len(self.paths))] if self.paths else None

    def test(self, value: str) -> tuple[_Node, str] | None:
        return next((path for path in self.paths if path[1] == value), None)


def _reber() -> tuple[_Node, _Node]:
    output = _Node()
    n1 = _Node().connect(output, "E")
    n2 = _Node().connect(n1, "S")
    n3 = _Node().connect(n1, "V").connect(n2, "P")
    n4 = _Node().connect(n2, "X")
    n4.connect(n4, "S")
    n5 = _Node().connect(n3, "V")
    n5.connect(n5, "T")
    n2.connect(n5, "X")
    n6 = _Node().connect(n4, "T").connect(n5, "P")
    return _Node().connect(n6, "B"), output


def _embedded_reber() -> _Node:
    input1, output1 = _reber()
    input2, output2 = _reber()
    n1 = _Node().connect(_Node(), "E")
    output1.connect(n1, "T")  # Q-T-ERG: Synaptic's grammar enters with P and leaves with T
    output2.connect(n1, "P")
    n2 = _Node().connect(input1, "P").connect(input2, "T")
    return _Node().connect(n2, "B")


#: One-hot positions of the symbols; "V" has none, so it reads as all zeros (as in Synaptic).
_ERG_TABLE = {"B": 0, "P": 1, "T": 2, "X": 3, "S": 4, "E": 5}


@dataclass(frozen=True)
class ERGResult:
    """What :func:`erg` returns; ``generate()`` makes a string and ``test(s)`` checks one."""

    iterations: int
    error: float
    time: float
    test: Callable[[str], bool]
    generate: Callable[[], str]


def erg(
    target: Trainer | Network,
    *,
    iterations: int = 150_000,
    error: float = 0.05,
    rate: float = 0.1,
    log: int = 500,
    log_to: Callable[[str], Any] | None = None,
    cost: Cost = costs.CROSS_ENTROPY,
    rng: random.Random | None = None,
    seed: int | None = None,
) -> ERGResult:
    """Embedded Reber grammar (6 inputs, 6 outputs): ``Trainer.ERG``.

    Each iteration generates a string and trains the network to predict each
    next symbol, learning only where the strongest output is not the target.
    ``log=0`` turns the log off (Synaptic cannot).
    """
    net = _trainer(target).network
    if net.inputs() != 6 or net.outputs() != 6:
        raise ValueError(
            f"ERG needs 6 inputs and 6 outputs, the network has {net.inputs()} and {net.outputs()}"
        )
    rng = _rng(rng, seed)
    write = log_to if log_to is not None else print

    def generate() -> str:
        text = ""
        step = _embedded_reber().any(rng)
        while step is not None:
            text += step[1]
            step = step[0].any(rng)
        return text

    def test(text: str) -> bool:
        node = _embedded_reber()
        for char in text:
            step = node.test(char)
            if step is None:
                return False
            node = step[0]
        return True

    def different(output: Sequence[float], target: Sequence[float]) -> bool:
        max1 = max2 = 0.0
        i1 = i2 = -1
        for i in range(len(output)):
            if output[i] > max1:
                max1, i1 = output[i], i
            if target[i] > max2:
                max2, i2 = target[i], i
        return i1 != i2

    iteration, mean_error = 0, 1.0
    start = time.perf_counter()
    while iteration < iterations and mean_error > error:
        mean_error = 0.0
        sequence = generate()
        for i in range(len(sequence) - 1):
            inputs, targets = [0.0] * 6, [0.0] * 6
            if sequence[i] in _ERG_TABLE:
                inputs[_ERG_TABLE[sequence[i]]] = 1.0
            if sequence[i + 1] in _ERG_TABLE:
                targets[_ERG_TABLE[sequence[i + 1]]] = 1.0
            output = net.activate(inputs)
            if different(output, targets):
                net.propagate(rate, targets)
            mean_error += cost(targets, output)
        mean_error /= len(sequence)  # Q-T-ERG: one more than the steps taken
        iteration += 1
        if log and iteration % log == 0:
            write(f"iterations: {iteration}  time: {_milliseconds(start)}  error: {_js(mean_error)}")
    return ERGResult(iteration, mean_error, time.perf_counter() - start, test, generate)


@dataclass(frozen=True)
class TimingResult:
    """What :func:`timing_task` returns: the training result and the test result."""

    train: TrainResult
    test: TestResult


def timing_samples(size: int, rng: random.Random) -> list[dict[str, list[float]]]:
    """The timing task's samples: input 0 marks a pulse start, input 1 and the target hold its length."""
    samples: list[dict[str, list[float]]] = [{"input": [0.0, 0.0], "output": [0.0]} for _ in range(size)]
    t = 0
    while t < size - 20:
        n = int(js_round(rng.random() * 20))
        samples[t]["input"][0] = 1.0
        for j in range(t, t + n + 1):
            samples[j]["input"][1] = n / 20
            samples[j]["output"][0] = 0.5
        t += n
        n = int(js_round(rng.random() * 20))
        for k in range(t + 1, min(t + n, size - 1) + 1):
            samples[k]["input"][1] = samples[t]["input"][1]
        t += n
    return samples


def timing_task(
    target: Trainer | Network,
    *,
    iterations: int = 200,
    error: float = 0.005,
    rate: Any = (0.03, 0.02),
    log: int = 10,
    log_to: Callable[[str], Any] | None = None,
    cost: Cost = costs.MSE,
    train_samples: int | None = None,
    test_samples: int | None = None,
    rng: random.Random | None = None,
    seed: int | None = None,
) -> TimingResult:
    """The timing task (2 inputs, 1 output): ``Trainer.timingTask``.

    Synaptic reads the test size from ``trainSamples`` too, so giving
    ``train_samples`` alone also sets the test size; ``test_samples`` (which
    Synaptic lacks) overrides it. Defaults: 7000 to train, 1000 to test.
    """
    trainer = _trainer(target)
    if trainer.network.inputs() != 2 or trainer.network.outputs() != 1:
        raise ValueError("Invalid Network: must have 2 inputs and one output")
    rng = _rng(rng, seed)
    if test_samples is None:  # Q-T-TIMING
        test_samples = train_samples if train_samples is not None else 1000
    if train_samples is None:
        train_samples = 7000
    samples = timing_samples(train_samples + test_samples, rng)
    result = trainer.train(
        samples[:train_samples],
        rate=rate,
        log=log,
        log_to=log_to,
        iterations=iterations,
        error=error,
        cost=cost,
    )
    return TimingResult(train=result, test=trainer.test(samples[train_samples:], cost=cost))
