"""A custom squash on every path, against Synaptic.js 1.1.4 in its unoptimized mode.

Synaptic's optimized mode cannot compile a custom squash (its generated code has none), so the
oracle here is ``setOptimize(false)``: each neuron calls its own ``squash(x)`` and
``squash(x, true)``. synjson must run the function on every engine, through ``clone``, the
Trainer, ``activate_batch`` and save/load, and refuse where it cannot (pages, Synaptic.js itself).
"""

from __future__ import annotations

import random

import pytest
from synaptic_oracle import run_oracle

import synjson
from synjson.engine import available_engines
from synjson.model.squash import Squash

ENGINES = available_engines()


def _softsign(x: float) -> tuple[float, float]:
    d = 1 + abs(x)
    return x / d, 1 / (d * d)


SOFTSIGN = Squash("SOFTSIGN", _softsign)
HIDDEN = [2, 3, 4]  # toJSON indices of the hidden neurons of a 2-3-1 perceptron


def network() -> synjson.Network:
    net = synjson.architect.Perceptron(2, 3, 1, seed=11)
    net.hidden_layers[0].set(squash=SOFTSIGN)
    return net


def steps(count: int = 40) -> list[dict[str, object]]:
    rng = random.Random(5)
    return [
        {"input": [rng.uniform(-2, 2), rng.uniform(-2, 2)], "target": [rng.random()], "rate": 0.3}
        for _ in range(count)
    ]


@pytest.fixture(scope="module")
def synaptic() -> dict[str, object]:
    document = network().to_json()
    for index in HIDDEN:
        document["neurons"][index]["squash"] = "LOGISTIC"  # replaced in Node by the function
    return run_oracle({"network": document, "steps": steps(), "optimized": False, "softsign": HIDDEN})


def _weights(document: dict[str, object]) -> list[float]:
    return [c["weight"] for c in document["connections"]] + [n["bias"] for n in document["neurons"]]  # type: ignore[index, union-attr]


def _run(net: synjson.Network) -> list[list[float]]:
    outputs = []
    for step in steps():
        outputs.append(net.activate(step["input"]))  # type: ignore[arg-type]
        net.propagate(0.3, step["target"])  # type: ignore[arg-type]
    return outputs


@pytest.mark.node
@pytest.mark.parametrize("engine", ENGINES)
def test_activate_and_propagate_run_the_function(engine: str, synaptic: dict[str, object]) -> None:
    net = network()
    net.engine = engine
    outputs = _run(net)
    flat = [x for row in outputs for x in row]
    expected = [x for row in synaptic["outputs"] for x in row]  # type: ignore[attr-defined]
    assert len(flat) == len(expected) and max(abs(a - b) for a, b in zip(flat, expected)) <= 1e-12
    assert max(abs(a - b) for a, b in zip(_weights(net.to_json()), _weights(synaptic["final"]))) <= 1e-12  # type: ignore[arg-type]


@pytest.mark.node
@pytest.mark.parametrize("engine", ENGINES)
def test_trainer_runs_the_function(engine: str, synaptic: dict[str, object]) -> None:
    net = network()
    data = [{"input": s["input"], "output": s["target"]} for s in steps()]
    synjson.Trainer(net, engine=engine).train(data, rate=0.3, iterations=1, error=0)
    assert max(abs(a - b) for a, b in zip(_weights(net.to_json()), _weights(synaptic["final"]))) <= 1e-12  # type: ignore[arg-type]


def test_clone_batch_and_save_load_keep_the_function(tmp_path: object) -> None:
    net = network()
    _run(net)
    clone = net.clone()
    assert [n.squash for n in clone.hidden_layers[0].neurons] == [SOFTSIGN] * 3
    rows = [s["input"] for s in steps(8)]
    expected = [clone.clone().activate(row) for row in rows[:1]]
    assert clone.activate_batch(rows[:1]).tolist() == expected
    text = synjson.dumps(net)
    document = synjson.loads(text, squashes={"SOFTSIGN": SOFTSIGN}).to_json()
    assert document["neurons"][2]["squash"] is None  # what Synaptic writes for a function of its own
    assert document["synjson"]["squashes"] == {"2": "SOFTSIGN", "3": "SOFTSIGN", "4": "SOFTSIGN"}
    loaded = synjson.loads(text, squashes={"SOFTSIGN": SOFTSIGN})
    assert loaded.activate([0.5, -0.5]) == net.clone().activate([0.5, -0.5])


def test_loading_without_the_function_is_refused() -> None:
    text = synjson.dumps(network())
    with pytest.raises(synjson.FormatError, match=r"synjson\.squashes\.2: neuron 2 uses the custom squash 'SOFTSIGN'"):
        synjson.loads(text)


def test_pages_refuse_a_custom_squash(tmp_path: object) -> None:
    from pathlib import Path

    with pytest.raises(synjson.SynjsonError, match="neuron 2 uses the custom squash 'SOFTSIGN'"):
        synjson.export(network(), Path(str(tmp_path)) / "page.html")


def test_check_refuses_a_custom_squash() -> None:
    from synjson.exporters.check import check

    with pytest.raises(synjson.SynjsonError, match="neuron 2 uses the custom squash 'SOFTSIGN'"):
        check(network(), runtimes=["reference", "runtime.js"])
