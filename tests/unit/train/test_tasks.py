"""synjson.train.tasks: Synaptic's built-in tasks, checked for their contracts (Synaptic parity: tests/conformance)."""

from __future__ import annotations

import random

import pytest

from synjson import Trainer, architect, tasks
from synjson.train.tasks import timing_samples


def test_xor_accepts_network_or_trainer_and_is_seeded() -> None:
    a, b = architect.Perceptron(2, 3, 1, seed=1), architect.Perceptron(2, 3, 1, seed=1)
    ra = tasks.xor(a, iterations=30, seed=4)
    rb = tasks.xor(Trainer(b), iterations=30, rng=random.Random(4))
    assert ra.error == rb.error and a.to_json() == b.to_json()
    assert ra.iterations == 30


def test_xor_solves_xor() -> None:
    net = architect.Perceptron(2, 3, 1, seed=2)
    result = tasks.xor(net, rate=0.5, seed=1)
    assert result.error <= 0.005
    assert [round(net.activate(x)[0]) for x in ([0, 0], [0, 1], [1, 0], [1, 1])] == [0, 1, 1, 0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tasks.xor(architect.Perceptron(3, 2, 1, seed=1)), "Incompatible network (2 inputs, 1 output)"),
        (lambda: tasks.timing_task(architect.Perceptron(2, 2, 2, seed=1)), "Invalid Network: must have 2 inputs and one output"),
        (lambda: tasks.erg(architect.Perceptron(2, 2, 2, seed=1)), "ERG needs 6 inputs and 6 outputs, the network has 2 and 2"),
        (lambda: tasks.dsr(architect.Perceptron(2, 2, 2, seed=1)), "DSR needs 10 inputs and 4 outputs, the network has 2 and 2"),
        (lambda: tasks.dsr(architect.LSTM(10, 2, 4, seed=1), targets=(2, 4, 7, 18)), "every symbol must be in range(0, 10)"),
        (lambda: tasks.xor(Trainer, iterations=1), "expected a Trainer or a Network, got type"),
    ],
)
def test_incompatible_networks(call: object, message: str) -> None:
    with pytest.raises((ValueError, TypeError)) as caught:
        call()  # type: ignore[operator]
    assert str(caught.value) == message


def test_dsr_contract_and_schedule() -> None:
    seen: list[dict[str, float]] = []
    lines: list[str] = []
    net = architect.LSTM(10, 3, 4, seed=1)
    result = tasks.dsr(net, iterations=6, seed=2, log=3, log_to=lines.append, schedule=(2, seen.append))
    assert result.iterations == 6 and 0 <= result.success <= 1 and result.error > 0
    assert [s["iterations"] for s in seen] == [2, 4, 6]
    assert set(seen[0]) == {"iterations", "success", "error", "time", "correct"}
    assert [line.split("  ")[0] for line in lines] == ["iterations: 3", "iterations: 6"]


def test_erg_generate_and_test() -> None:
    net = architect.LSTM(6, 3, 6, seed=1)
    result = tasks.erg(net, iterations=3, seed=5, log=0)
    assert result.iterations == 3
    for _ in range(20):
        text = result.generate()
        assert text[0] == "B" and text[-1] == "E" and result.test(text)
        # Synaptic's embedded grammar enters with P and leaves with T (or T ... P)
        assert (text[1], text[-2]) in {("P", "T"), ("T", "P")}
    assert not result.test("BPBTSXSEPE") and not result.test("BX")


def test_erg_logs_every_500_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    tasks.erg(architect.LSTM(6, 2, 6, seed=1), iterations=3, seed=1)
    assert capsys.readouterr().out == ""  # fewer than 500 iterations
    lines: list[str] = []
    tasks.erg(architect.LSTM(6, 2, 6, seed=1), iterations=4, seed=1, log=2, log_to=lines.append)
    assert [line.split("  ")[0] for line in lines] == ["iterations: 2", "iterations: 4"]


def test_timing_samples_shape() -> None:
    samples = timing_samples(200, random.Random(3))
    assert len(samples) == 200
    assert all(len(s["input"]) == 2 and len(s["output"]) == 1 for s in samples)
    assert {s["input"][0] for s in samples} <= {0.0, 1.0}
    assert {s["output"][0] for s in samples} <= {0.0, 0.5}
    starts = [i for i, s in enumerate(samples) if s["input"][0] == 1]
    assert starts and all(samples[i]["output"][0] == 0.5 for i in starts)


def test_timing_task_sizes_follow_synaptic() -> None:
    net = architect.LSTM(2, 2, 1, seed=1)
    result = tasks.timing_task(net, iterations=2, log=0, train_samples=40, seed=1)
    assert result.train.iterations == 2 and result.test.error >= 0
    lines: list[str] = []
    tasks.timing_task(architect.LSTM(2, 2, 1, seed=1), iterations=2, log=1, log_to=lines.append, train_samples=40, test_samples=25, seed=1)
    assert [line.split(" ")[1] for line in lines] == ["1", "2"] and lines[1].endswith("rate 0.02")
