"""synjson.train.architect: structure, options, metadata, seeding (Synaptic parity: tests/conformance)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from synjson import Network, architect, dumps, from_json, loads
from synjson.errors import FormatError
from synjson.model.layer import ConnectionType


def counts(net: Network) -> tuple[int, int, int]:
    """(connections, gated connections, self-connections) in the network's JSON."""
    doc = net.to_json()
    connections = doc["connections"]
    return (
        len(connections),
        sum(c["gater"] is not None for c in connections),
        sum(c["from"] == c["to"] for c in connections),
    )


def test_perceptron_layers_and_connections() -> None:
    net = architect.Perceptron(3, 5, 4, 2, seed=1)
    assert [len(layer) for layer in net.layers()] == [3, 5, 4, 2]
    assert counts(net) == (3 * 5 + 5 * 4 + 4 * 2, 0, 0)
    assert net.metadata["architecture"] == {"type": "Perceptron", "sizes": [3, 5, 4, 2]}
    # Synaptic draws the output layer's biases before the hidden layers'
    rng = random.Random(7)
    draws = [rng.random() * 0.2 - 0.1 for _ in range(3 + 2 + 5)]
    again = architect.Perceptron(3, 5, 4, 2, seed=7)
    assert [n.bias for n in again.output_layer.neurons] == draws[3:5]
    assert [n.bias for n in again.hidden_layers[0].neurons] == draws[5:10]


def test_lstm_blocks_gates_and_biases() -> None:
    net = architect.LSTM(2, 4, 1, seed=1)
    assert [len(layer) for layer in net.layers()] == [2, 4, 4, 4, 4, 1]
    input_gate, forget_gate, cell, output_gate = net.hidden_layers
    for gate in (input_gate, forget_gate, output_gate):
        assert all(n.bias == 1 for n in gate.neurons)
    assert all(n.bias != 1 for n in cell.neurons)
    # in: 2x4 to each of 4 layers; cell->out 4; self 4; peepholes 3x16; in->out 2
    assert counts(net) == (32 + 4 + 4 + 48 + 2, 2 * 4 + 4 + 4, 4)
    assert net.metadata["architecture"] == {
        "type": "LSTM",
        "sizes": [2, 4, 1],
        "options": {
            "peepholes": "ALL_TO_ALL",
            "hidden_to_hidden": False,
            "output_to_hidden": False,
            "output_to_gates": False,
            "input_to_output": True,
        },
    }


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"peepholes": ConnectionType.ONE_TO_ONE}, 32 + 4 + 4 + 12 + 2),
        ({"peepholes": "ALL TO ELSE"}, 90),  # cells and gates are different neurons: same as ALL_TO_ALL
        ({"hidden_to_hidden": True}, 90 + 12),
        ({"output_to_hidden": True}, 90 + 4),
        ({"output_to_gates": True}, 90 + 12),
        ({"input_to_output": False}, 88),
    ],
)
def test_lstm_options_change_connection_counts(options: dict[str, object], expected: int) -> None:
    assert counts(architect.LSTM(2, 4, 1, seed=1, **options))[0] == expected  # type: ignore[arg-type]


def test_stacked_lstm_gates_the_previous_cells() -> None:
    net = architect.LSTM(1, 3, 3, 1, seed=1)
    assert len(net.hidden_layers) == 8
    # second block: its input gate gates input->cell (1x3) and previous cell->cell (3x3)
    gated = Counter(c["gater"] for c in net.to_json()["connections"] if c["gater"] is not None)
    second_input_gate = range(1 + 12, 1 + 15)
    assert [gated[i] for i in second_input_gate] == [1 + 3] * 3


def test_seed_reproducibility_and_rng() -> None:
    assert architect.LSTM(2, 3, 1, seed=5).to_json() == architect.LSTM(2, 3, 1, rng=random.Random(5)).to_json()
    assert architect.LSTM(2, 3, 1, seed=5).to_json() != architect.LSTM(2, 3, 1, seed=6).to_json()
    with pytest.raises(ValueError, match="pass rng or seed, not both"):
        architect.Perceptron(1, 1, 1, seed=1, rng=random.Random(1))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: architect.Perceptron(2, 1), "not enough layers (minimum 3): got 2 sizes"),
        (lambda: architect.LSTM(2, 0, 1), "sizes[1] must be an integer >= 1, got 0"),
        (lambda: architect.LSTM(2, 3, 1, peepholes="SOME"), "peepholes must be a ConnectionType, got 'SOME'"),
        (lambda: architect.Liquid(2, 5, 1, 0, 3), "gates need connections to gate: connections is 0"),
        (lambda: architect.Liquid(2, 5, 1, -1, 0), "connections must be an integer >= 0, got -1"),
        (lambda: architect.Hopfield(True), "size must be an integer >= 1, got True"),
    ],
)
def test_bad_arguments(call: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        call()  # type: ignore[operator]
    assert str(caught.value) == message


@pytest.mark.parametrize("seed", range(12))
def test_liquid_structure_statistics(seed: int) -> None:
    net = architect.Liquid(2, 8, 2, 14, 6, seed=seed)
    total, gated, selves = counts(net)
    hidden = net.hidden_layers[0].neurons
    drawn = {id(c) for n in hidden for c in [*n.projected, n.selfconnection] if c.to_neuron in hidden}
    # 14 draws make at most 14 connections among the hidden neurons (repeats reuse one), plus 2x8 + 8x2
    assert total == 16 + 16 + len([c for n in hidden for c in n.projected if c.to_neuron in hidden]) + selves
    assert len(drawn) - (8 - selves) <= 14 and 1 <= gated <= 6
    assert net.metadata["architecture"] == {"type": "Liquid", "sizes": [2, 8, 2], "options": {"connections": 14, "gates": 6}}
    assert architect.Liquid(2, 8, 2, 14, 6, seed=seed).to_json() == net.to_json()


def test_liquid_round_trip_and_duplicate_pairs() -> None:
    plain = architect.Liquid(2, 8, 2, 14, 6, seed=0)
    back = architect.Liquid.from_json(loads(dumps(plain)).to_json())
    assert isinstance(back, architect.Liquid) and back.to_json() == plain.to_json()
    assert back.activate([0.3, 0.7]) == plain.activate([0.3, 0.7])
    # seed 1 re-projects onto a neuron that projects back: Synaptic makes a second connection
    # (Q-REPROJECT), which Synaptic's fromJSON then merges silently: refused unless asked (Q-DUP)
    twice = architect.Liquid(2, 8, 2, 14, 6, seed=1)
    pairs = Counter((c["from"], c["to"]) for c in twice.to_json()["connections"])
    assert max(pairs.values()) == 2
    with pytest.raises(FormatError, match="second connection from neuron"):
        from_json(twice.to_json())
    merged = from_json(twice.to_json(), duplicates="synaptic")
    assert len(merged.to_json()["connections"]) < len(twice.to_json()["connections"])
    assert twice.clone().to_json() == merged.to_json()  # clone() merges, as Synaptic's does


def test_hopfield_learns_and_recalls() -> None:
    net = architect.Hopfield(10, seed=3)
    assert counts(net) == (100, 0, 0) and not net.hidden_layers
    patterns = [[0, 1, 0, 1, 0, 1, 0, 1, 0, 1], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]]
    result = net.learn(patterns)
    assert result.error <= 0.00005
    assert [net.feed(p) for p in patterns] == patterns
    assert net.feed([0, 1, 0, 1, 0, 1, 0, 1, 1, 1]) == patterns[0]


def test_clone_keeps_the_class() -> None:
    net = architect.Hopfield(4, seed=1)
    copy = net.clone()
    assert isinstance(copy, architect.Hopfield) and copy.metadata == net.metadata
    assert copy.feed([1, 0, 1, 0]) == net.feed([1, 0, 1, 0])
    assert set(architect.ARCHITECTURES) == {"Perceptron", "LSTM", "Liquid", "Hopfield"}
