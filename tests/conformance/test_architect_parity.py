"""synjson.train.architect against Synaptic.js 1.1.4's Architect (needs Node: `npm ci`).

Three checks per architecture:

1. Topology with weights masked: each side draws its own random numbers; the
   JSON must agree on everything but weights and biases, and the LSTM gate
   biases (1) stay unmasked. (Not for Liquid, whose wiring is random.)
2. Exact build: synjson draws from the same mulberry32 stream the oracle
   installs as ``Math.random``, so the whole JSON, weights included, is equal.
3. Behaviour: synjson's build, and Synaptic's JSON loaded into synjson, give
   the activations and, after 100 training steps, the weights Synaptic's built
   network gives (tolerance 1e-9; observed differences are ~1e-15).

LSTM: every option combination (2^4 booleans x 3 peephole types = 48) on
2-3-1, plus stacked blocks (1-3-3-1, 3-2-2-2) on a covering set of 5 options.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from synjson import Network, architect, from_json
from synjson.model.layer import ConnectionType

# The helpers live beside this file; import them whether or not tests/conformance is a package.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from builders import Mulberry32
from synaptic_oracle import NODE_DIR, run_node, run_oracle

pytestmark = pytest.mark.node

TOLERANCE = 1e-9
STEPS = 100
OPTION_NAMES = ("hidden_to_hidden", "output_to_hidden", "output_to_gates", "input_to_output")
JS_OPTION = {
    "hidden_to_hidden": "hiddenToHidden",
    "output_to_hidden": "outputToHidden",
    "output_to_gates": "outputToGates",
    "input_to_output": "inputToOutput",
}
ALL_LSTM_OPTIONS = [
    {"peepholes": peepholes, **dict(zip(OPTION_NAMES, flags))}
    for peepholes in ("ALL_TO_ALL", "ONE_TO_ONE", "ALL_TO_ELSE")
    for flags in itertools.product((False, True), repeat=4)
]
COVERING_LSTM_OPTIONS = [
    {"peepholes": "ALL_TO_ALL"},
    {"peepholes": "ONE_TO_ONE", "hidden_to_hidden": True, "output_to_gates": True},
    {"peepholes": "ALL_TO_ELSE", "output_to_hidden": True, "input_to_output": False},
    {"peepholes": "ALL_TO_ALL", **dict.fromkeys(OPTION_NAMES, True)},
    {"peepholes": "ONE_TO_ONE", **dict.fromkeys(OPTION_NAMES, False)},
]


def js_options(options: dict[str, Any]) -> dict[str, Any]:
    return {JS_OPTION.get(key, key): value for key, value in options.items()}


def masked(doc: dict[str, Any], keep_bias: bool = False) -> dict[str, Any]:
    """The JSON with weights and biases replaced by None (biases of 1 kept when asked: LSTM gates)."""
    neurons = [dict(n, bias=n["bias"] if keep_bias and n["bias"] == 1 else None) for n in doc["neurons"]]
    connections = [
        dict(c, weight=1 if c["from"] == c["to"] else None) for c in doc["connections"]
    ]
    return {"neurons": neurons, "connections": connections}


def synaptic_only(net: Network) -> dict[str, Any]:
    doc = net.to_json()
    doc.pop("synjson", None)
    return doc


def steps(inputs: int, outputs: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [
        {
            "input": [rng.uniform(-1, 1) for _ in range(inputs)],
            "target": [rng.random() for _ in range(outputs)],
            "rate": 0.1,
        }
        for _ in range(STEPS)
    ]


def run_steps(net: Network, plan: list[dict[str, Any]]) -> list[list[float]]:
    outputs = []
    for step in plan:
        outputs.append(net.activate(step["input"]))
        net.propagate(step["rate"], step["target"])
    return outputs


def max_difference(a: Any, b: Any) -> float:
    """Largest absolute difference between two equally shaped JSON values (inf when shapes differ)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return math.inf
        return max((max_difference(a[k], b[k]) for k in a), default=0.0)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return math.inf
        return max((max_difference(x, y) for x, y in zip(a, b)), default=0.0)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b)
    return 0.0 if a == b else math.inf


def check(kind: str, args: list[int], build: Any, options: dict[str, Any] | None = None, seed: int = 11) -> None:
    net_inputs, net_outputs = (args[0], args[-1]) if kind != "Liquid" else (args[0], args[2])
    if kind == "Hopfield":
        net_outputs = net_inputs
    plan = steps(net_inputs, net_outputs, seed)
    request: dict[str, Any] = {"build": {"kind": kind, "args": args}, "seed": seed, "steps": plan}
    if options is not None:
        request["build"]["options"] = js_options(options)
    answer = run_oracle(request)
    synaptic_json = answer["network"]

    # 1. topology, weights masked, from an unrelated stream (Liquid's topology *is* random: skip)
    if kind != "Liquid":
        independent = build(random.Random(seed + 1000))
        assert masked(synaptic_only(independent), kind == "LSTM") == masked(synaptic_json, kind == "LSTM")
    # 2. exact build from the same stream
    same = build(Mulberry32(seed))
    assert synaptic_only(same) == synaptic_json
    # 3. synjson's build runs as Synaptic's build ...
    assert max_difference(run_steps(same, plan), answer["outputs"]) <= TOLERANCE
    assert max_difference(synaptic_only(same), answer["final"]) <= TOLERANCE
    # ... and Synaptic's JSON loaded into synjson runs as Synaptic's network. A Liquid
    # connection gated twice loses its first gater in JSON (Q-DOUBLEGATE), so a loaded
    # Liquid is compared with Synaptic's loaded one, not with its build.
    if kind == "Liquid":
        answer = run_oracle({"network": synaptic_json, "steps": plan})
    loaded = from_json(synaptic_json)
    assert max_difference(run_steps(loaded, plan), answer["outputs"]) <= TOLERANCE
    assert max_difference(synaptic_only(loaded), answer["final"]) <= TOLERANCE

@pytest.mark.parametrize("sizes", [(2, 3, 1), (3, 5, 4, 2), (1, 1, 1), (4, 6, 6, 6, 3)])
def test_perceptron(sizes: tuple[int, ...]) -> None:
    check("Perceptron", list(sizes), lambda rng: architect.Perceptron(*sizes, rng=rng))


@pytest.mark.parametrize("options", ALL_LSTM_OPTIONS, ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()))
def test_lstm_every_option(options: dict[str, Any]) -> None:
    check("LSTM", [2, 3, 1], lambda rng: architect.LSTM(2, 3, 1, rng=rng, **options), options)


@pytest.mark.parametrize("sizes", [(1, 3, 3, 1), (3, 2, 2, 2)])
@pytest.mark.parametrize("options", COVERING_LSTM_OPTIONS, ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()))
def test_lstm_stacked(sizes: tuple[int, ...], options: dict[str, Any]) -> None:
    check("LSTM", list(sizes), lambda rng: architect.LSTM(*sizes, rng=rng, **options), options)


def test_lstm_default_options_and_peephole_spellings() -> None:
    answer = run_oracle({"build": {"kind": "LSTM", "args": [2, 4, 1]}, "seed": 5})
    for peepholes in (ConnectionType.ALL_TO_ALL, "ALL_TO_ALL", "ALL TO ALL"):
        assert synaptic_only(architect.LSTM(2, 4, 1, rng=Mulberry32(5), peepholes=peepholes)) == answer["network"]


@pytest.mark.parametrize("args", [(2, 8, 2, 14, 6), (3, 10, 2, 40, 20), (1, 5, 1, 0, 0), (2, 4, 3, 12, 12)])
def test_liquid(args: tuple[int, ...]) -> None:
    """Liquid's random wiring comes from the stream: same stream, same network, duplicates and all."""
    seed = 11
    plan = steps(args[0], args[2], seed)
    answer = run_oracle({"build": {"kind": "Liquid", "args": list(args)}, "seed": seed, "steps": plan})
    net = architect.Liquid(*args, rng=Mulberry32(seed))
    assert synaptic_only(net) == answer["network"]
    assert max_difference(run_steps(net, plan), answer["outputs"]) <= TOLERANCE
    assert max_difference(synaptic_only(net), answer["final"]) <= TOLERANCE


def test_liquid_behaviour_from_synaptic_json() -> None:
    # seed 11 draws no duplicate connection pair, so the JSON loads (docs/quirks.md, Q-DUP)
    check("Liquid", [2, 8, 2, 14, 6], lambda rng: architect.Liquid(2, 8, 2, 14, 6, rng=rng))


def test_liquid_with_duplicate_connections_loads_as_synaptic_loads_it() -> None:
    """Seed 2 draws a duplicate pair (Q-REPROJECT): duplicates="synaptic" reads it as fromJSON does."""
    seed, args = 2, [2, 8, 2, 14, 6]
    built = run_oracle({"build": {"kind": "Liquid", "args": args}, "seed": seed})["network"]
    pairs = [(c["from"], c["to"]) for c in built["connections"]]
    assert len(pairs) > len(set(pairs)), "seed 2 no longer draws a duplicate pair"
    plan = steps(args[0], args[2], seed)
    answer = run_oracle({"network": built, "steps": plan})
    net = from_json(built, duplicates="synaptic")
    assert max_difference(run_steps(net, plan), answer["outputs"]) <= TOLERANCE
    assert max_difference(synaptic_only(net), answer["final"]) <= TOLERANCE


def test_hopfield_structure() -> None:
    check("Hopfield", [5], lambda rng: architect.Hopfield(5, rng=rng))


@pytest.mark.parametrize(
    ("size", "patterns", "feed"),
    [
        (8, [[1, 0, 1, 0, 1, 0, 1, 0], [1, 1, 1, 1, 0, 0, 0, 0]], [[1, 0, 1, 0, 1, 0, 1, 1], [1, 1, 1, 0, 0, 0, 0, 0]]),
        (6, [[0, 1, 1, 0, 0, 1], [1, 0, 0, 1, 1, 0], [1, 1, 1, 0, 0, 0]], [[0, 1, 1, 0, 0, 0], [0, 0, 0, 0, 0, 0]]),
    ],
)
def test_hopfield_learn_and_feed(size: int, patterns: list[list[int]], feed: list[list[int]]) -> None:
    request = {"op": "Hopfield", "size": size, "seed": 4, "patterns": patterns, "feed": feed + patterns}
    answer = json.loads(run_node(NODE_DIR / "trainer_oracle.js", stdin=json.dumps(request)))
    net = architect.Hopfield(size, rng=Mulberry32(4))
    assert synaptic_only(net) == answer["network"]
    result = net.learn(patterns)
    assert result.iterations == answer["result"]["iterations"]
    assert abs(result.error - answer["result"]["error"]) <= TOLERANCE
    assert [net.feed(p) for p in feed + patterns] == answer["fed"]
    assert max_difference(synaptic_only(net), answer["final"]) <= TOLERANCE
    # the same, from Synaptic's JSON of the built network
    loaded = architect.Hopfield.from_json(answer["network"])
    assert isinstance(loaded, architect.Hopfield)
    loaded.learn(patterns)
    assert [loaded.feed(p) for p in feed + patterns] == answer["fed"]
