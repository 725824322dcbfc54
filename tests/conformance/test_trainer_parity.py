"""synjson.Trainer, costs and tasks against Synaptic.js 1.1.4's Trainer (needs Node: `npm ci`).

``node/trainer_oracle.js`` loads the same JSON, reseeds ``Math.random`` with
mulberry32 and runs ``Trainer.train`` (or a task); synjson runs the same with a
:class:`Mulberry32` rng. The error at every iteration (captured with a
schedule every 1) and the final weights must agree within 1e-9; the observed
differences are ~1e-15. Log lines must be identical.
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from synjson import Network, Trainer, architect, cost, tasks
from synjson.engine import available_engines

# The helpers live beside this file; import them whether or not tests/conformance is a package.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from builders import Mulberry32
from synaptic_oracle import NODE_DIR, run_node

pytestmark = pytest.mark.node

TOLERANCE = 1e-9
XOR = [
    {"input": [0, 0], "output": [0]},
    {"input": [0, 1], "output": [1]},
    {"input": [1, 0], "output": [1]},
    {"input": [1, 1], "output": [0]},
]


def oracle(request: dict[str, Any]) -> dict[str, Any]:
    return json.loads(run_node(NODE_DIR / "trainer_oracle.js", stdin=json.dumps(request)))


def document(net: Network) -> dict[str, Any]:
    doc = net.to_json()
    doc.pop("synjson", None)
    return doc


def max_weight_difference(a: dict[str, Any], b: dict[str, Any]) -> float:
    assert [(c["from"], c["to"], c["gater"]) for c in a["connections"]] == [
        (c["from"], c["to"], c["gater"]) for c in b["connections"]
    ]
    weights = [abs(x["weight"] - y["weight"]) for x, y in zip(a["connections"], b["connections"])]
    biases = [abs(x["bias"] - y["bias"]) for x, y in zip(a["neurons"], b["neurons"])]
    return max(weights + biases)


def sequence_set() -> list[dict[str, list[float]]]:
    """A short sequence task for an LSTM: predict the next bit of a repeating pattern."""
    bits = [0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0]
    return [{"input": [bits[i], 1 - bits[i]], "output": [bits[(i + 1) % len(bits)]]} for i in range(len(bits))]


CASES = {
    "xor_2_3_1": (lambda: architect.Perceptron(2, 3, 1, seed=3), XOR, {"rate": 0.3, "iterations": 300}, {}),
    "xor_shuffled": (
        lambda: architect.Perceptron(2, 3, 1, seed=4),
        XOR,
        {"rate": 0.3, "iterations": 200, "shuffle": True},
        {},
    ),
    "xor_rate_list": (
        lambda: architect.Perceptron(2, 4, 1, seed=5),
        XOR,
        {"rate": [0.5, 0.3, 0.1], "iterations": 100},
        {},
    ),
    "xor_rate_function": (
        lambda: architect.Perceptron(2, 3, 1, seed=6),
        XOR,
        {"iterations": 120},
        {"rate_js": "(i, e) => 0.5 / (1 + i / 20) + e"},
    ),
    "xor_cross_entropy_until_error": (
        lambda: architect.Perceptron(2, 3, 1, seed=7),
        XOR,
        {"rate": 0.6, "iterations": 5000, "error": 0.3, "cost": "CROSS_ENTROPY"},
        {},
    ),
    "lstm_sequence": (
        lambda: architect.LSTM(2, 4, 1, seed=8),
        sequence_set(),
        {"rate": 0.1, "iterations": 60},
        {},
    ),
    "lstm_cross_validate": (
        lambda: architect.LSTM(2, 3, 1, seed=9),
        sequence_set(),
        {"rate": 0.2, "iterations": 40, "crossValidate": {"testSize": 0.25, "testError": 0.2}},
        {},
    ),
}
COSTS = {"MSE": cost.MSE, "CROSS_ENTROPY": cost.CROSS_ENTROPY, "BINARY": cost.BINARY}


def python_options(options: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in options.items() if k not in ("cost", "crossValidate")}
    if "cost" in options:
        out["cost"] = COSTS[options["cost"]]
    if "crossValidate" in options:
        out["cross_validate"] = (options["crossValidate"]["testSize"], options["crossValidate"]["testError"])
    if "rate_js" in extra:
        out["rate"] = lambda i, e: 0.5 / (1 + i / 20) + e
    return out


@pytest.mark.parametrize("engine", available_engines())
@pytest.mark.parametrize("name", sorted(CASES))
def test_train_matches_synaptic(name: str, engine: str) -> None:
    build, data, options, extra = CASES[name]
    net = build()
    net.engine = engine
    answer = oracle(
        {"op": "train", "network": document(net), "set": data, "seed": 21,
         "options": {**options, **extra, "schedule_every": 1}}
    )
    trace: list[dict[str, Any]] = []
    result = Trainer(net).train(data, rng=Mulberry32(21), schedule=(1, trace.append), **python_options(options, extra))
    assert result.iterations == answer["result"]["iterations"] == len(trace) == len(answer["trace"])
    assert abs(result.error - answer["result"]["error"]) <= TOLERANCE
    for mine, theirs in zip(trace, answer["trace"]):
        assert mine["iterations"] == theirs["iterations"]
        assert abs(mine["error"] - theirs["error"]) <= TOLERANCE
        assert abs(mine["rate"] - theirs["rate"]) <= TOLERANCE
    assert max_weight_difference(document(net), answer["final"]) <= TOLERANCE


def test_xor_stops_at_target_error_and_logs_alike() -> None:
    net = architect.Perceptron(2, 3, 1, seed=3)
    options = {"rate": 0.3, "iterations": 20000, "log": 250}
    answer = oracle({"op": "train", "network": document(net), "set": XOR, "seed": 1, "options": options})
    lines: list[str] = []
    result = Trainer(net).train(XOR, log_to=lines.append, **options)
    assert result.iterations == answer["result"]["iterations"] < 20000
    assert result.error <= 0.005
    assert same_log(lines, answer["log"])
    assert max_weight_difference(document(net), answer["final"]) <= TOLERANCE


def test_schedule_abort_matches() -> None:
    net = architect.Perceptron(2, 3, 1, seed=3)
    options = {"rate": 0.3, "iterations": 500, "log": 3, "schedule_every": 4, "abort_at": 20}
    answer = oracle({"op": "train", "network": document(net), "set": XOR, "options": options})
    lines: list[str] = []
    seen: list[dict[str, Any]] = []

    def every_four(info: dict[str, Any]) -> bool:
        seen.append(info)
        return info["iterations"] >= 20

    result = Trainer(net).train(XOR, rate=0.3, iterations=500, log=3, log_to=lines.append, schedule=(4, every_four))
    assert result.iterations == answer["result"]["iterations"] == 20
    assert same_log(lines, answer["log"])  # the log skips iterations the schedule reports
    assert [s["iterations"] for s in seen] == [t["iterations"] for t in answer["trace"]]


def test_test_matches() -> None:
    net = architect.LSTM(2, 3, 1, seed=2)
    for name, function in COSTS.items():
        answer = oracle({"op": "test", "network": document(net), "set": sequence_set(), "options": {"cost": name}})
        mine = Trainer(Network.from_json(document(net))).test(sequence_set(), cost=function)
        assert abs(mine.error - answer["result"]["error"]) <= TOLERANCE


@pytest.mark.parametrize("name", sorted(COSTS))
def test_costs_on_random_vectors(name: str) -> None:
    rng = random.Random(name)
    pairs = []
    for _ in range(200):
        width = rng.randint(1, 6)
        target = [rng.choice([0.0, 1.0, rng.random(), 0.25, 0.75]) for _ in range(width)]
        output = [rng.choice([rng.random(), 0.0, 1.0, 0.25, 0.75, 1e-16, 1 - 1e-16]) for _ in range(width)]
        pairs.append([target, output])
    values = oracle({"op": "cost", "name": name, "pairs": pairs})["values"]
    mine = [COSTS[name](t, o) for t, o in pairs]
    if name == "CROSS_ENTROPY":
        # V8's Math.log (fdlibm) and the C library's log may differ in the last bit
        assert all(abs(a - b) <= 1e-15 * max(1.0, abs(b)) for a, b in zip(mine, values))
    else:
        assert mine == values  # same operations in the same order: equal to the last bit


def test_cost_domain_edges_match() -> None:
    pairs = [[[1], [-0.5]], [[0], [2.0]], [[0.5], [0.5]], [[1, 0], [0, 1]]]
    values = oracle({"op": "cost", "name": "CROSS_ENTROPY", "pairs": pairs})["values"]
    mine = [cost.CROSS_ENTROPY(t, o) for t, o in pairs]
    assert all((math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-15 * max(1.0, abs(b)) for a, b in zip(mine, values))


def same_log(mine: list[str], theirs: list[str], skip: str = "") -> bool:
    """Log lines alike: the same words, numbers within the tolerance (times, named by ``skip``, ignored)."""
    if len(mine) != len(theirs):
        return False
    for a, b in zip(mine, theirs):
        words_a, words_b = a.split(" "), b.split(" ")
        if len(words_a) != len(words_b):
            return False
        for previous, x, y in zip(["", *words_a], words_a, words_b):
            if previous == skip and skip:
                continue
            if x != y and abs(float(x) - float(y)) > TOLERANCE:
                return False
    return True


def _task(op: str, net: Network, options: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return oracle({"op": op, "network": document(net), "seed": 9, "options": options, **extra})


def test_xor_task() -> None:
    net = architect.Perceptron(2, 3, 1, seed=1)
    answer = _task("XOR", net, {"iterations": 80})
    result = tasks.xor(net, iterations=80, rng=Mulberry32(9))
    assert result.iterations == answer["result"]["iterations"]
    assert abs(result.error - answer["result"]["error"]) <= TOLERANCE
    assert max_weight_difference(document(net), answer["final"]) <= TOLERANCE


def test_dsr_task() -> None:
    net = architect.LSTM(10, 4, 4, seed=1)
    answer = _task("DSR", net, {"iterations": 25, "log": 5})
    lines: list[str] = []
    result = tasks.dsr(net, iterations=25, log=5, log_to=lines.append, rng=Mulberry32(9))
    assert result.iterations == answer["result"]["iterations"]
    assert result.success == answer["result"]["success"]
    assert abs(result.error - answer["result"]["error"]) <= TOLERANCE
    assert max_weight_difference(document(net), answer["final"]) <= TOLERANCE
    assert same_log(lines, answer["log"], skip="time:")


def test_erg_task() -> None:
    net = architect.LSTM(6, 4, 6, seed=1)
    answer = _task("ERG", net, {"iterations": 30, "log": 10}, generate=6)
    result = tasks.erg(net, iterations=30, log=10, log_to=lambda line: None, rng=Mulberry32(9))
    assert result.iterations == answer["result"]["iterations"]
    assert abs(result.error - answer["result"]["error"]) <= TOLERANCE
    assert max_weight_difference(document(net), answer["final"]) <= TOLERANCE
    generated = [result.generate() for _ in range(6)]
    assert generated == answer["generated"]
    checked = [*generated, "BPBTSXSEPE", "BTBPVVETE"]
    assert [result.test(text) for text in checked] == answer["tested"]


def test_timing_task() -> None:
    net = architect.LSTM(2, 3, 1, seed=1)
    answer = _task("timingTask", net, {"iterations": 4, "log": 2, "trainSamples": 60})
    lines: list[str] = []
    result = tasks.timing_task(net, iterations=4, log=2, log_to=lines.append, train_samples=60, rng=Mulberry32(9))
    assert result.train.iterations == answer["result"]["train"]["iterations"]
    assert abs(result.train.error - answer["result"]["train"]["error"]) <= TOLERANCE
    assert abs(result.test.error - answer["result"]["test"]["error"]) <= TOLERANCE
    assert same_log(lines, answer["log"])
    assert max_weight_difference(document(net), answer["final"]) <= TOLERANCE
