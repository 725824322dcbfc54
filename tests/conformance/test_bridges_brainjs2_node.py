"""brain.js 2.x's NeuralNetwork layout, both ways, against the real brain.js 2.0.0-beta.24 in Node.

``node/brainjs2_oracle.js`` loads (or builds and trains) a network in brain.js 2 (the npm alias
``brain.js-2`` pinned in package.json) and runs it. Into synjson: files brain.js 2 writes are read
with ``synjson.read`` and must give brain.js's outputs. Out of synjson: networks synjson builds are
saved with ``format="brain.js-2"``, loaded by brain.js 2, and must give synjson's outputs; what
brain.js writes back is the file synjson wrote, with the numbers brain.js keeps (float32).
brain.js computes in float32 (weights, biases and each layer's outputs rounded): 1e-6.
"""

from __future__ import annotations

import json
import random
import struct
from pathlib import Path
from typing import Any

import pytest
from synaptic_oracle import NODE_DIR, OracleError, run_node

import synjson
from synjson import FormatError, Network, architect, squash

pytestmark = pytest.mark.node

ORACLE = NODE_DIR / "brainjs2_oracle.js"
TOLERANCE = 1e-6


def oracle(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    try:
        text = run_node(ORACLE, stdin=json.dumps({"cases": cases}, allow_nan=False))
    except OracleError as error:
        if "Cannot find module 'brain.js-2" in str(error):
            raise OracleError("brain.js-2 is not installed: run `npm ci` (package.json pins it)") from error
        raise
    answer = json.loads(text)
    assert answer["version"] == "2.0.0-beta.24", f"run `npm ci`: node_modules has brain.js-2 {answer['version']}"
    return answer["results"]


def rows(count: int, width: int, seed: int) -> list[list[float]]:
    rng = random.Random(seed)
    return [[rng.uniform(-1.5, 1.5) for _ in range(width)] for _ in range(count)]


def worst(got: list[list[float]], want: list[list[float]]) -> float:
    assert len(got) == len(want) and all(len(a) == len(b) for a, b in zip(got, want))
    return max(abs(x - y) for a, b in zip(got, want) for x, y in zip(a, b))


def f32(value: Any) -> Any:
    """``value`` with every float rounded to float32, as brain.js's Float32Arrays hold it."""
    if isinstance(value, float):
        return struct.unpack("<f", struct.pack("<f", value))[0]
    if isinstance(value, list):
        return [f32(item) for item in value]
    return value


BUILDS = {
    "sigmoid-2-3-1": {"hiddenLayers": [3], "activation": "sigmoid", "inputs": 2, "outputs": 1},
    "tanh-named": {"hiddenLayers": [4, 3], "activation": "tanh", "inputs": ["x", "y", "z"], "outputs": ["a", "b"]},
    "relu-deep": {"hiddenLayers": [5, 4, 3], "activation": "relu", "inputs": 4, "outputs": 2, "iterations": 50},
}


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_brainjs2_files_read_as_brainjs2_runs_them(name: str, tmp_path: Path) -> None:
    build = BUILDS[name]
    width = build["inputs"] if isinstance(build["inputs"], int) else len(build["inputs"])
    inputs = rows(10, width, 1)
    (answer,) = oracle([{"build": build, "seed": 7, "inputs": inputs}])
    assert answer["json"]["type"] == "NeuralNetwork"
    path = tmp_path / "model.json"
    path.write_text(json.dumps(answer["json"], indent=2))
    net = synjson.read(path)  # detected as brain.js, the 2.x layout told by its layers
    assert worst([net.activate(row) for row in inputs], answer["outputs"]) < TOLERANCE
    if not isinstance(build["inputs"], int):
        assert net.metadata == {"inputs": build["inputs"], "outputs": build["outputs"]}


def _perceptron(sizes: list[int], squash_: Any, seed: int, names: bool = False) -> Network:
    net = architect.Perceptron(*sizes, seed=seed)
    rng = random.Random(seed)
    for neuron, layer in net.neurons():
        if layer != "input":
            neuron.squash = squash_
            neuron.bias = rng.uniform(-1, 1)
            for connection in neuron.inputs:
                connection.weight = rng.uniform(-1.5, 1.5)
    if names:
        net.metadata["inputs"] = [f"in{k}" for k in range(sizes[0])][::-1]  # any order: the lookup maps it
        net.metadata["outputs"] = [str(k) for k in range(sizes[-1])][::-1]
    return net


WRITES = {
    "sigmoid": ([3, 5, 2], squash.LOGISTIC, False),
    "tanh-named": ([4, 3, 3, 2], squash.TANH, True),
    "relu": ([2, 6, 1], squash.RELU, False),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_synjson_networks_run_in_brainjs2(name: str, tmp_path: Path) -> None:
    sizes, squash_, names = WRITES[name]
    net = _perceptron(sizes, squash_, seed=len(name), names=names)
    inputs = rows(10, sizes[0], 2)
    path = synjson.save(net, tmp_path / "net.json", format="brain.js-2")
    written = json.loads(path.read_text())
    (answer,) = oracle([{"json": written, "inputs": inputs}])
    assert worst(answer["outputs"], [net.activate(row) for row in inputs]) < TOLERANCE
    layers = [{key: f32(value) for key, value in layer.items()} for layer in written["layers"]]
    assert answer["json"] == {**written, "layers": layers}  # brain.js keeps the file, weights and biases as float32


def test_the_1x_layout_converts_to_what_brainjs2_runs(tmp_path: Path) -> None:
    """A brain.js 1.6.1 file converted with --to brain.js-2 runs the same in brain.js 2."""
    net = _perceptron([3, 4, 2], squash.TANH, seed=9)
    old = synjson.save(net, tmp_path / "old.json", format="brain.js")
    new = synjson.convert(old, tmp_path / "new.json", to="brain.js-2")
    inputs = rows(5, 3, 3)
    (answer,) = oracle([{"json": json.loads(new.read_text()), "inputs": inputs}])
    assert worst(answer["outputs"], [net.activate(row) for row in inputs]) < TOLERANCE


def test_leaky_relu_is_refused(tmp_path: Path) -> None:
    build = {"hiddenLayers": [3], "activation": "leaky-relu", "inputs": 2, "outputs": 1}
    (answer,) = oracle([{"build": build, "seed": 1, "inputs": [[0.5, -0.5]]}])
    path = tmp_path / "leaky.json"
    path.write_text(json.dumps(answer["json"]))
    with pytest.raises(FormatError) as error:
        synjson.read(path)
    assert str(error.value) == (
        'trainOpts.activation: activation "leaky-relu": brain.js 2 computes leaky-relu as max(x, alpha * x),'
        " and Synaptic has no such squash"
    )
