"""brain.js 1.6.1 and neataptic 1.4.7, both ways, against the real runtimes in Node.

``node/bridges_oracle.js`` loads (or builds) a model in the real runtime and runs it.
Into synjson: models the runtimes build and train are read with ``synjson.read`` and
must give the runtime's outputs. Out of synjson: networks synjson builds are written
with ``synjson.save(..., format=...)``, loaded by the runtime, and must give synjson's
outputs. brain.js computes in float32 (1e-6); neataptic in float64 (1e-9).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from synaptic_oracle import NODE_DIR, REPO_ROOT, run_node

import synjson
from synjson import Layer, Network, Neuron, architect, squash

pytestmark = pytest.mark.node

ORACLE = NODE_DIR / "bridges_oracle.js"


def oracle(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for package, version in (("brain.js", "1.6.1"), ("neataptic", "1.4.7")):
        manifest = json.loads((REPO_ROOT / "node_modules" / package / "package.json").read_text())
        assert manifest["version"] == version, f"run `npm ci`: node_modules has {package} {manifest['version']}"
    return json.loads(run_node(ORACLE, stdin=json.dumps({"cases": cases}, allow_nan=False)))["results"]


def rows(count: int, width: int, seed: int) -> list[list[float]]:
    rng = random.Random(seed)
    return [[rng.uniform(-1.5, 1.5) for _ in range(width)] for _ in range(count)]


def run(net: Network, inputs: list[list[float]]) -> list[list[float]]:
    return [net.activate(row) for row in inputs]


def worst(got: list[list[float]], want: list[list[float]], relative: bool = False) -> float:
    assert len(got) == len(want)
    error = 0.0
    for a, b in zip(got, want):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            error = max(error, abs(x - y) / (max(abs(y), 1e-3) if relative else 1.0))
    return error


# -- brain.js ------------------------------------------------------------------------------------

BRAIN_BUILDS = {
    "sigmoid-2-3-1": {"hiddenLayers": [3], "activation": "sigmoid", "inputs": 2, "outputs": 1},
    "tanh-named": {"hiddenLayers": [4, 3], "activation": "tanh", "inputs": ["x", "y", "z"], "outputs": ["a", "b"]},
    "relu-deep": {"hiddenLayers": [5, 4, 3], "activation": "relu", "inputs": 4, "outputs": 2, "iterations": 50},
}


@pytest.mark.parametrize("name", sorted(BRAIN_BUILDS))
def test_brainjs_models_read_as_brainjs_runs_them(name: str, tmp_path: Path) -> None:
    build = BRAIN_BUILDS[name]
    width = build["inputs"] if isinstance(build["inputs"], int) else len(build["inputs"])
    inputs = rows(10, width, 1)
    (answer,) = oracle([{"runtime": "brain.js", "build": build, "seed": 7, "inputs": inputs}])
    path = tmp_path / "model.json"
    path.write_text(json.dumps(answer["json"]))
    net = synjson.read(path)  # detected as brain.js from the content
    assert worst(run(net, inputs), answer["outputs"]) < 1e-6
    if not isinstance(build["inputs"], int):
        assert net.metadata["inputs"] == build["inputs"]
        assert net.metadata["outputs"] == build["outputs"]


def _perceptron(sizes: list[int], squash_: Any, seed: int) -> Network:
    net = architect.Perceptron(*sizes, seed=seed)
    rng = random.Random(seed)
    for layer in net.layers()[1:]:
        layer.set(squash=squash_)
        for neuron in layer.neurons:  # weights large enough to use the whole squash
            neuron.bias = rng.uniform(-1, 1)
            for connection in neuron.inputs:
                connection.weight = rng.uniform(-2, 2)
    return net


@pytest.mark.parametrize(("squash_", "sizes"), [
    (squash.LOGISTIC, [2, 3, 1]), (squash.TANH, [3, 5, 4, 2]), (squash.RELU, [4, 6, 3]),
])
def test_synjson_perceptrons_run_in_brainjs(squash_: Any, sizes: list[int], tmp_path: Path) -> None:
    net = _perceptron(sizes, squash_, seed=len(sizes))
    if squash_ is squash.TANH:
        net.metadata["inputs"] = ["alpha", "beta", "gamma"]
        net.metadata["outputs"] = ["up", "down"]
    path = tmp_path / "brain.json"
    synjson.save(net, path, format="brain.js")
    inputs = rows(12, sizes[0], 2)
    (answer,) = oracle([{"runtime": "brain.js", "json": json.loads(path.read_text()), "inputs": inputs}])
    assert worst(answer["outputs"], run(net, inputs)) < 1e-6
    assert list(answer["json"]["layers"][0]) == net.metadata.get("inputs", [str(k) for k in range(sizes[0])])


# -- neataptic -----------------------------------------------------------------------------------

NEATAPTIC_BUILDS = {
    "perceptron": {"kind": "Perceptron", "args": [3, 4, 2]},
    "lstm": {"kind": "LSTM", "args": [2, 3, 1]},
    "lstm-two-blocks": {"kind": "LSTM", "args": [2, 2, 2, 1]},
    "narx": {"kind": "NARX", "args": [2, 3, 1, 2, 2]},
    "mutated-gated-self": {"kind": "mutated", "args": [2, 2], "squash": "TANH", "mutations": [
        "ADD_NODE", "ADD_NODE", "ADD_NODE", "ADD_CONN", "ADD_GATE", "ADD_SELF_CONN", "ADD_BACK_CONN", "ADD_GATE",
        "ADD_SELF_CONN", "ADD_GATE"]},
}


@pytest.mark.parametrize("name", sorted(NEATAPTIC_BUILDS))
def test_neataptic_models_read_as_neataptic_runs_them(name: str, tmp_path: Path) -> None:
    build = NEATAPTIC_BUILDS[name]
    inputs = rows(15, build["args"][0], 3)
    (answer,) = oracle([{"runtime": "neataptic", "build": build, "seed": 11, "inputs": inputs}])
    assert "error" not in answer, answer
    path = tmp_path / "model.json"
    path.write_text(json.dumps(answer["json"]))
    net = synjson.read(path, format="neataptic")
    assert worst(run(net, inputs), answer["outputs"]) < 1e-9
    if name.startswith("mutated"):
        assert any(c["gater"] is not None for c in answer["json"]["connections"])
        assert any(c["from"] == c["to"] for c in answer["json"]["connections"])


def test_neataptic_gru_is_refused_naming_the_squash(tmp_path: Path) -> None:
    (answer,) = oracle([{"runtime": "neataptic", "build": {"kind": "GRU", "args": [2, 2, 1]}, "seed": 1}])
    path = tmp_path / "gru.json"
    path.write_text(json.dumps(answer["json"]))
    with pytest.raises(synjson.FormatError) as error:
        synjson.read(path)
    assert str(error.value) == "nodes[4].squash: squash INVERSE: Synaptic has no such squash"


def _gated_self_net() -> Network:
    """Hand-wired: a gated self-connection, a gated input, a gater after its target, HLIM and IDENTITY."""
    rng = random.Random(5)
    inputs = Layer(2, rng=rng)
    a, b, c = (Neuron(rng=rng, squash=s) for s in (squash.TANH, squash.LOGISTIC, squash.IDENTITY))
    out = Neuron(rng=rng, squash=squash.HLIM)
    out2 = Neuron(rng=rng)
    for source in inputs.neurons:
        for target in (a, b, c):
            source.project(target, rng.uniform(-1, 1))
    a.project(a)
    b.gate(a.selfconnection)
    c.gate(b.inputs[0])  # c runs after b: b reads the gain c set in the previous step
    a.project(out, 0.9)
    b.project(out2, -1.3)
    c.project(out2, 0.4)
    a.project(out2, 0.8)
    out2.project(a, 0.3)  # recurrent: a reads out2's previous activation
    return Network(input=inputs, hidden=[Layer.of([a, b, c])], output=Layer.of([out, out2]))


EXPORTS = {
    "lstm": lambda: architect.LSTM(2, 3, 1, seed=4),
    "lstm-peepholes-two-blocks": lambda: architect.LSTM(3, 2, 2, 2, seed=5),
    "liquid": lambda: architect.Liquid(2, 6, 1, 5, 3, seed=6),
    "hopfield": lambda: architect.Hopfield(5, seed=7),
    "hand-gated-self": _gated_self_net,
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_synjson_networks_run_in_neataptic(name: str, tmp_path: Path) -> None:
    net = EXPORTS[name]()
    path = tmp_path / "neat.json"
    synjson.save(net, path, format="neataptic")
    inputs = rows(20, net.inputs(), 4)
    (answer,) = oracle([{"runtime": "neataptic", "json": json.loads(path.read_text()), "inputs": inputs}])
    assert "error" not in answer, answer
    assert worst(answer["outputs"], run(net, inputs)) < 1e-9
    back = synjson.read(path)  # and back: the same layers, the same outputs
    assert [layer.size for layer in back.layers()] == [layer.size for layer in net.layers()]
    assert worst(run(back, inputs), answer["outputs"]) < 1e-9


def test_the_gated_net_uses_what_it_claims() -> None:
    net = _gated_self_net()
    text = synjson.dumps(net)
    document = json.loads(text)
    gated = [c for c in document["connections"] if c["gater"] is not None]
    assert len(gated) == 2
    assert any(c["from"] == c["to"] for c in gated)
    assert {n["squash"] for n in document["neurons"]} >= {"HLIM", "IDENTITY", "TANH"}
