"""The kernel's guard checks a window of iterations at once (issue 24 item 5) and still stops where a
check after every iteration stops: the same iteration, neuron, message, values and rng as the reference.

A neuron outside the output's path, with an identity squash and a self-connection of weight > 1,
overflows after some hundred iterations while the outputs (and so the error) stay finite: only the
window's check sees it, in the middle of a window, and the replay finds the iteration.
"""

from __future__ import annotations

import functools
import random
from typing import Any

import pytest

from synjson import Network, Trainer, TrainingError, architect, squash
from synjson.engine import available_engines

XOR = [{"input": [0, 0], "output": [0]}, {"input": [0, 1], "output": [1]},
       {"input": [1, 0], "output": [1]}, {"input": [1, 1], "output": [0]}]


def growing(weight: float) -> Network:
    net = architect.Perceptron(2, 3, 1, seed=1)
    extra = net.hidden_layers[0].add()
    extra.squash, extra.bias = squash.IDENTITY, 0.125  # a new neuron draws its bias: fix it
    net.input_layer.neurons[0].project(extra, 0.5)
    extra.project(extra)
    extra.selfconnection.weight = weight  # Synaptic's project() sets a self-connection to 1
    return net


def outcome(engine: str, weight: float, **options: Any) -> tuple[Any, ...]:
    net = growing(weight)
    rng = random.Random(5)
    if options.pop("shuffle", False):
        options.update(shuffle=True, rng=rng)
    with pytest.raises(TrainingError) as caught:
        Trainer(net, engine=engine).train(XOR, **{"rate": 0.3, "iterations": 2000, "error": 0, **options})
    return str(caught.value), caught.value.iteration, net.to_json(), rng.getstate()


OPTIONS: dict[str, dict[str, Any]] = {
    "plain": {}, "shuffle": {"shuffle": True}, "cross-validate": {"cross_validate": (0.25, None)},
    "rate-list": {"rate": [0.3, 0.2]}, "log": {"log": 100, "log_to": lambda line: None},
}


@functools.cache
def reference(weight: float, name: str) -> tuple[Any, ...]:
    return outcome("reference", weight, **dict(OPTIONS[name]))


@pytest.mark.parametrize("weight", [1.5, 3.0, 2.5, 4.0])
@pytest.mark.parametrize("name", sorted(OPTIONS))
@pytest.mark.parametrize("engine", [engine for engine in available_engines() if engine != "reference"])
def test_a_failure_inside_a_window_is_found_at_its_iteration(engine: str, weight: float, name: str) -> None:
    expected = reference(weight, name)
    assert outcome(engine, weight, **dict(OPTIONS[name])) == expected
    assert "neuron 5 has a non-finite state" in expected[0]


def test_the_figures() -> None:
    """The iterations the cases above stop at: inside a window of 32 (windows start at 1, 33, 65, ...),
    and 4.0's at the start of one (nothing to replay)."""
    assert [reference(weight, "plain")[1] for weight in (1.5, 3.0, 2.5, 4.0)] == [438, 163, 195, 129]
