"""Structural edits made by Trainer callbacks while the native kernel runs the loop (issue 22, Why-2).

The kernel trains on the tables and arrays it was given; a rate or log callback that adds neurons
replaces the store's arrays and changes the structure. The kernel then stops after that callback and
the Python loop goes on with a new program, so the native run equals the pure one exactly (`==`).
Before the fix the kernel kept training on the orphaned arrays: every iteration after the edit was lost.
"""

from __future__ import annotations

from typing import Any

import pytest

from synjson import Neuron, Trainer
from synjson.architect import Perceptron
from synjson.engine import available_engines

XOR = [([0, 0], [0]), ([0, 1], [1]), ([1, 0], [1]), ([1, 1], [0])]


def _values(net: Any) -> list[float]:
    store = net.store
    return [*store.bias[: len(store.neurons)], *store.weight[: len(store.connections)]]


def _train(engine: str, *, when: str, at: int, **options: Any) -> tuple[Any, list[float], float]:
    net = Perceptron(2, 3, 1, seed=31)
    hidden = net.hidden_layers[0].neurons[0]

    def grow() -> None:
        for _ in range(11):
            hidden.project(Neuron(bias=0.1), 0.05)

    def rate(iteration: int, last_error: float) -> float:
        if when == "rate" and iteration == at:
            grow()
        return 0.3

    def log_to(line: str) -> None:
        if when == "log" and line.startswith(f"iterations {at} "):
            grow()

    result = Trainer(net, engine=engine).train(
        XOR, rate=rate, iterations=10, error=0, log=2 if when == "log" else 0, log_to=log_to, **options
    )
    return result, _values(net), net.output_layer.neurons[0].bias


@pytest.mark.parametrize("options", [{}, {"shuffle": True, "seed": 3}], ids=["in order", "shuffled"])
@pytest.mark.parametrize(("when", "at"), [("rate", 5), ("rate", 1), ("log", 4)])
def test_edit_inside_native_training_is_kept(when: str, at: int, options: dict[str, Any]) -> None:
    """Every engine ends with the same numbers, history and rates (==) as the reference."""
    expected = _train("reference", when=when, at=at, **options)
    for engine in available_engines():
        result, values, bias = _train(engine, when=when, at=at, **options)
        assert values == expected[1], engine
        assert bias == expected[2], engine
        assert result.history == expected[0].history and result.rates == expected[0].rates, engine
        assert result.iterations == 10


def test_issue_example_output_bias() -> None:
    """The issue's case: 11 neurons added by the rate function at iteration 5 of 10.

    The new neurons are outside the network and never propagated: their responsibility is 0, so
    they change no number; before the fix the kernel lost iterations 5-10 (-0.015114 here).
    """
    _, _, reference = _train("reference", when="rate", at=5)
    for engine in available_engines():
        assert _train(engine, when="rate", at=5)[2] == reference
    assert reference == pytest.approx(-0.014534258410484086, abs=1e-15)


@pytest.mark.parametrize("engine", available_engines())
def test_issue_figures_layer_add(engine: str) -> None:
    """The issue's figures: rate 0.2, 11 neurons added to the hidden layer at iteration 5 of 10.

    Native ended at -0.011161 (its value after 4 iterations); the pure engine at -0.008454.
    """
    net = Perceptron(2, 3, 1, seed=31)

    def rate(iteration: int, last_error: float) -> float:
        if iteration == 5:
            for _ in range(11):
                net.hidden_layers[0].add()
        return 0.2

    result = Trainer(net, engine=engine).train(XOR, rate=rate, iterations=10, error=0)
    assert result.iterations == 10 and net.hidden_layers[0].size == 14
    assert net.output_layer.neurons[0].bias == pytest.approx(-0.008454, abs=5e-7)


@pytest.mark.parametrize("engine", available_engines())
def test_edit_inside_a_cost_function_is_refused(engine: str) -> None:
    """A cost function that adds a neuron mid-iteration: the iteration's program writes arrays the store
    no longer owns, so every engine refuses it alike rather than lose the rest of the iteration."""
    from synjson import cost as costs
    from synjson.errors import StateError

    net = Perceptron(2, 3, 1, seed=31)
    calls = []

    def cost(target: list[float], output: list[float]) -> float:
        calls.append(1)
        if len(calls) == 6:
            net.hidden_layers[0].neurons[0].project(Neuron(bias=0.1), 0.05)
        return costs.MSE(target, output)

    with pytest.raises(StateError) as caught:
        Trainer(net, engine=engine).train(XOR, rate=0.2, iterations=10, error=0, cost=cost)
    assert str(caught.value) == (
        "the cost function changed the network's structure in the middle of an iteration: make structural "
        "edits in a rate or schedule callback, between iterations"
    )
    assert len(calls) == 6
