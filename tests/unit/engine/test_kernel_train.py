"""Program.train (the native Trainer loop) against ``Trainer(engine="reference").train``, bit for bit."""

from __future__ import annotations

import math
import random
from array import array
from typing import Any

import pytest
from test_kernel import everything, kernel_tables

from synjson import Network, Trainer, TrainingError, architect, cost, squash
from synjson.engine import _kernel
from synjson.train.kernel_loop import cost_code
from synjson.train.rate import Rates
from synjson.train.shuffle import Orders

XOR = [{"input": [0, 0], "output": [0]}, {"input": [0, 1], "output": [1]},
       {"input": [1, 0], "output": [1]}, {"input": [1, 1], "output": [0]}]


def kernel_train(net: Network, data: list[dict[str, Any]], *, iterations: int = 100_000, error: float = 0.005,
                 rate: Any = 0.2, cost: Any = cost.MSE, seed: int | None = None, shuffle: bool = False,
                 cross_validate: tuple[float, float | None] | None = None, **options: Any) -> tuple[Any, ...]:
    """What the Trainer does with a Program: (error, iterations, failure, history, program).

    The rate, the orders and the cost code are decided in Python (train/rate.py, train/shuffle.py)."""
    tables = kernel_tables(net)
    program = _kernel.Program(tables)
    rows = [sample["input"] for sample in data]
    goals = [sample["output"] for sample in data]
    test: dict[str, Any] = {}
    if cross_validate is not None:
        cut = math.ceil((1 - cross_validate[0]) * len(rows))
        test = {"test_rows": array("d", [x for row in rows[cut:] for x in row]),
                "test_targets": array("d", [y for goal in goals[cut:] for y in goal]),
                "n_test": len(rows) - cut, "test_error": cross_validate[1]}
        rows, goals = rows[:cut], goals[:cut]
    history = array("d", [math.nan] * iterations)
    if shuffle:
        orders = Orders(random.Random(seed), len(data), iterations)
        if cross_validate is None:
            options["orders"] = orders
        else:  # Q-T-CV: the shuffles draw over the whole set, the split stays
            options["orders"] = lambda: array("i", range(len(rows))) * (len(orders()) // len(data))
    result = program.train(array("d", [x for row in rows for x in row]), array("d", [y for g in goals for y in g]),
                           len(rows), iterations, error, cost_code(cost) if cost_code(cost) is not None else cost,
                           Rates(rate, iterations).argument(), history=history, **test, **options)
    return (*result, history, program)


def reference_train(net: Network, data: list[dict[str, Any]], **options: Any) -> tuple[float, int]:
    result = Trainer(net, engine="reference").train(data, **options)
    return result.error, result.iterations


def mixed_data(n: int, seed: int, outputs: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [{"input": [rng.uniform(-1, 1), rng.uniform(-1, 1)], "output": [rng.random() for _ in range(outputs)]}
            for _ in range(n)]


@pytest.mark.parametrize("rate", [0.3, [0.5, 0.3, 0.1], "function"])
def test_xor_training_equals_the_reference(rate: Any) -> None:
    if rate == "function":
        rate = lambda iteration, last: 0.2 + 0.1 * (iteration % 3) + last * 0.01  # noqa: E731
    reference, net = architect.Perceptron(2, 3, 1, seed=1), architect.Perceptron(2, 3, 1, seed=1)
    expected = reference_train(reference, XOR, rate=rate, iterations=3000)
    error, iterations, failure, history, _ = kernel_train(net, XOR, rate=rate, iterations=3000)
    assert (error, iterations, failure) == (*expected, None)
    assert everything(net) == everything(reference)
    assert history[iterations - 1] == error and math.isnan(history[iterations])


def test_the_error_stop_and_the_history_are_the_schedules() -> None:
    reference, net = architect.Perceptron(2, 3, 1, seed=1), architect.Perceptron(2, 3, 1, seed=1)
    seen: list[float] = []
    expected = reference_train(reference, XOR, rate=0.5, iterations=20_000, error=0.01,
                               schedule=(1, lambda info: seen.append(info["error"])))
    error, iterations, _, history, _ = kernel_train(net, XOR, rate=0.5, iterations=20_000, error=0.01)
    assert (error, iterations) == expected and iterations < 20_000 and error <= 0.01
    assert history[:iterations].tolist() == seen
    assert everything(net) == everything(reference)


@pytest.mark.parametrize("which", [cost.MSE, cost.CROSS_ENTROPY, cost.BINARY, "callback"])
def test_each_cost_equals_the_reference(which: Any) -> None:
    if which == "callback":
        which = lambda target, output: sum(abs(t - o) for t, o in zip(target, output))  # noqa: E731
    data = mixed_data(12, seed=3, outputs=2)
    reference, net = architect.LSTM(2, 3, 2, seed=5), architect.LSTM(2, 3, 2, seed=5)
    expected = reference_train(reference, data, rate=0.2, iterations=40, cost=which, error=0)
    assert kernel_train(net, data, rate=0.2, iterations=40, cost=which, error=0)[:3] == (*expected, None)
    assert everything(net) == everything(reference)


def test_shuffle_draws_from_the_seeded_rng() -> None:
    data = mixed_data(9, seed=4)
    reference, net = architect.LSTM(2, 4, 1, seed=6), architect.LSTM(2, 4, 1, seed=6)
    expected = reference_train(reference, data, rate=0.1, iterations=30, error=0, shuffle=True, seed=11)
    assert kernel_train(net, data, rate=0.1, iterations=30, error=0, shuffle=True, seed=11)[:2] == expected
    assert everything(net) == everything(reference)
    unshuffled = architect.LSTM(2, 4, 1, seed=6)
    kernel_train(unshuffled, data, rate=0.1, iterations=30, error=0)
    assert everything(unshuffled) != everything(net)


def test_schedule_log_and_abort() -> None:
    reference, net = architect.Perceptron(2, 3, 1, seed=1), architect.Perceptron(2, 3, 1, seed=1)
    infos: list[list[Any]] = [[], []]
    lines: list[str] = []
    logged: list[tuple[int, float, float]] = []

    def schedule(number: int) -> Any:
        return lambda info: infos[number].append(info) or info["iterations"] == 9

    expected = reference_train(reference, XOR, rate=0.3, iterations=100, error=0, schedule=(3, schedule(0)),
                               log=2, log_to=lines.append)
    result = kernel_train(net, XOR, rate=0.3, iterations=100, error=0, every=3, schedule=schedule(1), log_every=2,
                          log=lambda *values: logged.append(values))
    assert result[:2] == expected == (result[0], 9)
    assert infos[1] == infos[0]
    assert [f"iterations {i} error {e!r} rate {r!r}" for i, e, r in logged] == lines
    assert [i for i, _, _ in logged] == [2, 4, 8]
    assert everything(net) == everything(reference)


def test_cross_validation_stops_on_the_test_error() -> None:
    data = mixed_data(10, seed=5)
    for target in (None, 0.17):
        reference, net = architect.Perceptron(2, 3, 1, seed=2), architect.Perceptron(2, 3, 1, seed=2)
        options = {"rate": 0.3, "iterations": 300, "error": 0, "cross_validate": (0.3, target), "shuffle": True,
                   "seed": 1}
        expected = reference_train(reference, data, **options)
        assert kernel_train(net, data, **options)[:2] == expected
        assert everything(net) == everything(reference)
    assert expected[1] < 300


def diverging_net() -> Network:
    net = architect.Perceptron(2, 3, 1, seed=1)
    for layer in net.layers()[1:]:
        layer.set(squash=squash.IDENTITY)
    return net


def test_divergence_restores_and_names_the_neuron() -> None:
    data = [{"input": [1e3, -1e3], "output": [1e3]}, {"input": [-1e3, 1e3], "output": [-1e3]}]
    reference, net = diverging_net(), diverging_net()
    with pytest.raises(TrainingError) as caught:
        Trainer(reference, engine="reference").train(data, rate=5, iterations=1000, error=0)
    _, iterations, failure, _, program = kernel_train(net, data, rate=5, iterations=1000, error=0)
    assert (iterations, program.iteration) == (caught.value.iteration,) * 2
    assert failure[0] == caught.value.neuron
    assert f"neuron {failure[0]} has a non-finite {failure[1]};" in str(caught.value)
    assert everything(net) == everything(reference)


def test_a_non_finite_error_restores() -> None:
    reference, net = diverging_net(), diverging_net()
    for each in (reference, net):
        each.output_layer.set(bias=-5.0)
    data = [{"input": [1, 1], "output": [1]}]
    with pytest.raises(TrainingError, match=r"^the error is nan at iteration 1 "):
        Trainer(reference, engine="reference").train(data, cost=cost.CROSS_ENTROPY, rate=1e-9, iterations=3)
    result = kernel_train(net, data, cost=cost.CROSS_ENTROPY, rate=1e-9, iterations=3)
    assert math.isnan(result[0]) and result[1:3] == (1, (-1, "error"))
    assert everything(net) == everything(reference)


def test_an_overflow_inside_an_iteration_restores() -> None:
    def build() -> Network:
        calls = [0]

        def fragile(x: float) -> tuple[float, float]:
            calls[0] += 1
            if calls[0] > 25:
                raise OverflowError("math range error")
            return x * 0.5, 0.5

        net = architect.Perceptron(2, 3, 1, seed=1)
        net.hidden_layers[0].set(squash=squash.Squash("FRAGILE", fragile))
        return net

    reference, net = build(), build()
    with pytest.raises(TrainingError, match=r"^iteration 3: math range error$"):
        Trainer(reference, engine="reference").train(XOR, rate=0.3, iterations=10, error=0)
    with pytest.raises(OverflowError, match=r"^math range error$"):
        kernel_train(net, XOR, rate=0.3, iterations=10, error=0)
    assert everything(net) == everything(reference)


def test_train_options_are_checked() -> None:
    """The checks of rates and shuffles live in Python (tests/unit/train/test_rate.py, test_shuffle.py);
    the kernel checks what it is handed (tests/unit/engine/test_kernel_train_arguments.py)."""
    tables = kernel_tables(architect.Perceptron(2, 3, 1, seed=1))
    program = _kernel.Program(tables)
    rows, goals = array("d", [0, 0, 1, 1]), array("d", [0, 1])
    with pytest.raises(ValueError, match=r"^train: 3 rows need 6 input and 3 target doubles$"):
        program.train(rows, goals, 3, 2, 0.0, 0, 0.1)
