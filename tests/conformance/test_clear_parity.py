"""clear() and reset() mid-sequence: Synaptic recompiles, and synjson follows what that does (Q-RECOMPILE)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from synaptic_oracle import CASES_DIR, run_oracle

from synjson import Network
from synjson.engine import available_engines

pytestmark = pytest.mark.node

CASES = ["gated_self_connection", "project_and_gate", "architect_lstm_2_4_1", "lstm_layers"]


def run_with_clears(net: Network, steps: list[dict[str, Any]]) -> list[list[float]]:
    """The oracle's steps in synjson: activate (+ propagate), or clear()."""
    outputs = []
    for step in steps:
        if step.get("clear"):
            net.clear()
            continue
        outputs.append(net.activate(step["input"]))
        if "target" in step:
            net.propagate(step["rate"], step["target"])
    return outputs


def load(case: str, name: str) -> Any:
    return json.loads((CASES_DIR / case / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("engine", available_engines())
@pytest.mark.parametrize("case", CASES)
def test_training_across_clear_matches_synaptic(case: str, engine: str) -> None:
    """60 training steps, clear(), 60 more, clear(), 20 activations: outputs and final JSON within 1e-12."""
    train = load(case, "train.json")
    pairs = list(zip(train["inputs"], train["targets"]))
    steps: list[dict[str, Any]] = [{"input": x, "target": t, "rate": train["rate"]} for x, t in pairs[:60]]
    steps.append({"clear": True})
    steps += [{"input": x, "target": t, "rate": train["rate"]} for x, t in pairs[60:120]]
    steps.append({"clear": True})
    steps += [{"input": x} for x, _ in pairs[120:140]]
    answer = run_oracle({"network": load(case, "network.json"), "steps": steps})

    net = Network.from_json(load(case, "network.json"))
    net.engine = engine
    outputs = run_with_clears(net, steps)
    worst = max(abs(a - b) for row, other in zip(outputs, answer["outputs"]) for a, b in zip(row, other))
    assert len(outputs) == len(answer["outputs"]) == 140
    assert worst <= 1e-12, f"{case}: largest output difference {worst:.3g}"
    final = net.to_json()
    for mine, theirs in zip(final["connections"], answer["final"]["connections"]):
        assert abs(mine["weight"] - theirs["weight"]) <= 1e-12
    for mine, theirs in zip(final["neurons"], answer["final"]["neurons"]):
        assert abs(mine["bias"] - theirs["bias"]) <= 1e-12


def late_gater_network() -> Network:
    """A gated self-connection whose gater activates *after* the neuron it gates."""
    import random

    from synjson import GateType, Layer

    rng = random.Random(11)
    inputs, cells, gates, outputs = Layer(2, rng=rng), Layer(3, rng=rng), Layer(3, rng=rng), Layer(1, rng=rng)
    inputs.project(cells)
    inputs.project(gates)
    gates.gate(cells.project(cells), GateType.ONE_TO_ONE)
    cells.project(outputs)
    gates.project(outputs)
    return Network(input=inputs, hidden=[cells, gates], output=outputs)


def test_clear_resets_the_gain_of_a_gated_self_connection_as_synaptic_recompiling_does() -> None:
    document = late_gater_network().to_json()
    rng = __import__("random").Random(5)
    rows = [[rng.random(), rng.random()] for _ in range(30)]
    steps: list[dict[str, Any]] = [{"input": x, "target": [x[0] * x[1]], "rate": 0.2} for x in rows[:15]]
    steps.append({"clear": True})
    steps += [{"input": x} for x in rows[15:]]
    answer = run_oracle({"network": document, "steps": steps})
    net = Network.from_json(document)
    outputs = run_with_clears(net, steps)
    worst = max(abs(a - b) for row, other in zip(outputs, answer["outputs"]) for a, b in zip(row, other))
    assert worst <= 1e-12, f"largest output difference {worst:.3g}"
