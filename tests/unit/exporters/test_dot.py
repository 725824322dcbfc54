"""synjson.dot.to_dot: Synaptic's toDot text for layer graphs, and the neuron graph."""

from __future__ import annotations

import synjson
from synjson import Layer, Network, squash
from synjson.train.architect import LSTM, Hopfield, Perceptron

# Synaptic 1.1.4, Node: new Architect.<net>(...).toDot().code
SYNAPTIC_PERCEPTRON_2_3_2_1 = (
    "digraph nn {\n    rankdir = BT\n    0 -> 1 [label = 6]\n    1 -> 2 [label = 6]\n    2 -> 3 [label = 2]\n}\n"
)
SYNAPTIC_LSTM_1_3_1 = [
    "0 -> 3 [label = 3]", "1 -> 3 [color = blue]", "0 -> 1 [label = 3]", "0 -> 2 [label = 3]",
    "0 -> 4 [label = 3]", "0 -> 5 [label = 1]", "3 -> 5 [label = 3]", "4 -> 5 [color = blue]",
    "3 -> 3 [label = 3]", "2 -> 3 [color = blue]", "3 -> 1 [label = 9]", "3 -> 2 [label = 9]", "3 -> 4 [label = 9]",
]
SYNAPTIC_HOPFIELD_4 = "digraph nn {\n    rankdir = BT\n    0 -> 1 [label = 16]\n}\n"


def test_perceptron_is_synaptics_text():
    assert synjson.to_dot(Perceptron(2, 3, 2, 1, seed=1)) == SYNAPTIC_PERCEPTRON_2_3_2_1


def test_hopfield_is_synaptics_text():
    assert synjson.to_dot(Hopfield(4, seed=1)) == SYNAPTIC_HOPFIELD_4


def test_lstm_has_synaptics_edges_with_the_self_connection_after_the_peepholes():
    lines = synjson.to_dot(LSTM(1, 3, 1, seed=1)).splitlines()
    assert lines[:2] == ["digraph nn {", "    rankdir = BT"] and lines[-1] == "}"
    # synjson names the LSTM layers (node labels Synaptic does not write); the edges are Synaptic's.
    assert [line.strip() for line in lines[2:6]] == [
        '1 [label = "1: input gate"]', '2 [label = "2: forget gate"]',
        '3 [label = "3: memory cell"]', '4 [label = "4: output gate"]',
    ]
    body = [line.strip() for line in lines[6:-1]]
    assert sorted(body) == sorted(SYNAPTIC_LSTM_1_3_1)
    # The memory cell's edges: Synaptic lists them in creation order; synjson in JSON order.
    assert body[6:] == ["3 -> 5 [label = 3]", "4 -> 5 [color = blue]", "3 -> 1 [label = 9]", "3 -> 2 [label = 9]",
                        "3 -> 4 [label = 9]", "3 -> 3 [label = 3]", "2 -> 3 [color = blue]"]


def test_same_graph_after_a_json_round_trip():
    net = LSTM(2, 2, 2, 1, hidden_to_hidden=True, output_to_gates=True, seed=3)
    copy = synjson.loads(synjson.dumps(net))
    assert synjson.to_dot(copy) == synjson.to_dot(net)
    assert synjson.to_dot(copy, neurons=True) == synjson.to_dot(net, neurons=True)


def test_neuron_graph():
    source, gate, target = Layer(1), Layer(1), Layer(1)
    target.set(squash=squash.TANH)
    connection = source.project(target, weights=0.5)
    source.project(gate, weights=0.5)
    gate.gate(connection, synjson.GateType.OUTPUT)
    target.neurons[0].project(target.neurons[0])
    gate.neurons[0].gate(target.neurons[0].selfconnection)
    net = Network(input=source, hidden=[gate], output=target)
    assert synjson.to_dot(net, neurons=True) == (
        "digraph nn {\n"
        "    rankdir = BT\n"
        "    node [shape = circle]\n"
        "    subgraph cluster_0 {\n"
        '        label = "input"\n'
        '        0 [label = "0"]\n'
        "    }\n"
        "    subgraph cluster_1 {\n"
        '        label = "hidden 0"\n'
        '        1 [label = "1\\nLOGISTIC"]\n'
        "    }\n"
        "    subgraph cluster_2 {\n"
        '        label = "output"\n'
        '        2 [label = "2\\nTANH"]\n'
        "    }\n"
        '    0 -> 2 [style = dashed, color = blue, label = "gate 1"]\n'
        "    0 -> 1\n"
        '    2 -> 2 [style = dashed, color = blue, label = "gate 1"]\n'
        "}\n"
    )
    assert synjson.to_dot(net) == (
        "digraph nn {\n    rankdir = BT\n    0 -> 2 [label = 1]\n    1 -> 2 [color = blue]\n"
        "    0 -> 1 [label = 1]\n    2 -> 2 [label = 1]\n    1 -> 2 [color = blue]\n}\n"
    )


def test_empty_hidden_layers_are_not_drawn_as_clusters():
    net = Perceptron(1, 1, 1, seed=0)
    net.hidden_layers.append(Layer(0))
    assert "cluster_2" not in synjson.to_dot(net, neurons=True)


def test_lstm_layers_are_named_by_role_in_the_neuron_graph():
    text = synjson.to_dot(LSTM(2, 2, 2, 1, seed=3), neurons=True)
    labels = [line.strip() for line in text.splitlines() if line.strip().startswith("label = ")]
    assert labels == [
        'label = "input"', 'label = "input gate 1"', 'label = "forget gate 1"', 'label = "memory cell 1"',
        'label = "output gate 1"', 'label = "input gate 2"', 'label = "forget gate 2"',
        'label = "memory cell 2"', 'label = "output gate 2"', 'label = "output"',
    ]
    assert 'label = "hidden 0"' in synjson.to_dot(Perceptron(2, 3, 1, seed=1), neurons=True)
