"""brain.js and neataptic JSON: round trips and every refusal, message by message (the runtimes: conformance/)."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

import synjson
from synjson import FormatError, Layer, LimitError, Limits, Network, Neuron, architect, squash
from synjson.format.bridges.brainjs import from_brainjs, to_brainjs
from synjson.format.bridges.neataptic import from_neataptic, to_neataptic


def brain_doc() -> dict[str, Any]:
    return {
        "sizes": [2, 2, 1],
        "layers": [
            {"a": {}, "b": {}},
            {"0": {"bias": 0.5, "weights": {"a": 1.0, "b": -1.0}}, "1": {"bias": -0.25, "weights": {"a": 0.5, "b": 2}}},
            {"x": {"bias": 0.1, "weights": {"0": 1.5, "1": -0.75}}},
        ],
        "outputLookup": True,
        "inputLookup": True,
        "activation": "tanh",
        "trainOpts": {"iterations": 10},
    }


def test_brainjs_reads_as_a_perceptron_with_names() -> None:
    net = from_brainjs(brain_doc())
    assert [layer.size for layer in net.layers()] == [2, 2, 1]
    assert net.metadata == {"inputs": ["a", "b"], "outputs": ["x"]}
    assert {n.squash.name for n, layer in net.neurons() if layer != "input"} == {"TANH"}
    h0 = squash.TANH.value(0.5 + 1.0 * 0.3 - 1.0 * 0.7)
    h1 = squash.TANH.value(-0.25 + 0.5 * 0.3 + 2 * 0.7)
    assert net.activate([0.3, 0.7]) == [squash.TANH.value(0.1 + 1.5 * h0 - 0.75 * h1)]


def test_brainjs_round_trip_is_exact() -> None:
    doc = brain_doc()
    back = to_brainjs(from_brainjs(doc))
    del doc["trainOpts"]  # training options are not the model
    assert back == doc


def test_brainjs_reads_keys_in_javascript_order() -> None:
    """Object.keys puts array-index keys first: brain.js reads weights by that position."""
    doc = brain_doc()
    doc["layers"][2]["x"]["weights"] = {"1": -0.75, "0": 1.5}  # same as {"0": 1.5, "1": -0.75} to JavaScript
    assert synjson.dumps(from_brainjs(doc)) == synjson.dumps(from_brainjs(brain_doc()))


def test_index_keys_are_not_names() -> None:
    net = architect.Perceptron(2, 3, 1, seed=1)
    doc = to_brainjs(net)
    assert doc["inputLookup"] is False and list(doc["layers"][0]) == ["0", "1"]
    doc["inputLookup"] = True  # what brain.js writes after reading a file without lookups
    assert "inputs" not in from_brainjs(doc).metadata


BRAIN_REFUSED = {
    "leaky-relu": (lambda d: d.update(activation="leaky-relu"),
                   'activation: activation "leaky-relu": brain.js 1.6.1 computes leaky-relu as x < 0 ? 0 : 0.01 * x, which no Synaptic squash computes'),
    "unknown activation": (lambda d: d.update(activation="softmax"),
                           "activation: unknown activation 'softmax': brain.js 1.6.1 has sigmoid, tanh, relu"),
    "no sizes": (lambda d: d.pop("sizes"), 'missing required key "sizes"'),
    "one size": (lambda d: d.update(sizes=[2]), "sizes: expected at least 2 sizes (input and output), got 1"),
    "size zero": (lambda d: d["sizes"].__setitem__(1, 0), "sizes[1]: expected an integer from 1, got 0"),
    "layers short": (lambda d: d["layers"].pop(), "layers: expected 3 layers (one per size), got 2"),
    "nodes vs size": (lambda d: d["layers"][1].pop("1"), "layers[1]: layer 1 has 1 nodes, sizes[1] is 2"),
    "no bias": (lambda d: d["layers"][1]["0"].pop("bias"), 'layers[1].0: missing required key "bias"'),
    "string bias": (lambda d: d["layers"][1]["0"].update(bias="1"), "layers[1].0.bias: expected a number, got a string"),
    "weights short": (lambda d: d["layers"][2]["x"]["weights"].pop("1"),
                      "layers[2].x.weights: expected 2 weights (one per node of layer 1), got 1"),
    "not an object": (lambda d: d["layers"].__setitem__(0, []), "layers[0]: expected an object, got an array"),
}


@pytest.mark.parametrize("name", sorted(BRAIN_REFUSED))
def test_brainjs_refusals(name: str) -> None:
    change, message = BRAIN_REFUSED[name]
    doc = brain_doc()
    change(doc)
    with pytest.raises(FormatError) as error:
        from_brainjs(doc)
    assert str(error.value) == message


def test_brainjs_limits() -> None:
    with pytest.raises(LimitError, match=r"^file has 5 neurons, more than the limit of 4;"):
        from_brainjs(brain_doc(), limits=Limits(max_neurons=4))
    with pytest.raises(LimitError, match=r"^file has 6 connections, more than the limit of 5;"):
        from_brainjs(brain_doc(), limits=Limits(max_connections=5))


def _brain_refusal(net: Network) -> str:
    with pytest.raises(FormatError) as error:
        to_brainjs(net)
    return str(error.value)


def test_brainjs_export_refusals() -> None:
    assert _brain_refusal(architect.LSTM(2, 2, 1, seed=1)) == "connection 0 (0 -> 6) is gated: brain.js has no gates"
    net = architect.Perceptron(2, 2, 1, seed=1)
    net.hidden_layers[0].neurons[0].project(net.hidden_layers[0].neurons[0])
    assert _brain_refusal(net) == "connection 5 (2 -> 2) is a self-connection: brain.js has no recurrence"
    net = architect.Perceptron(2, 2, 1, seed=1)
    net.input_layer.neurons[1].project(net.output_layer.neurons[0], 0.5)
    assert _brain_refusal(net) == (
        "connection 4 (1 -> 4) goes from layer input to layer output: brain.js connects each layer to the next only"
    )
    net = architect.Perceptron(2, 2, 1, seed=1)
    net.output_layer.neurons[0].squash = squash.IDENTITY
    assert _brain_refusal(net) == "neuron 4 has squash IDENTITY: brain.js has sigmoid, tanh and relu only"
    net = architect.Perceptron(2, 2, 1, seed=1)
    net.output_layer.set(squash=squash.TANH)
    assert _brain_refusal(net) == (
        "neuron 4 has squash TANH, neuron 2 LOGISTIC: brain.js uses one activation for every layer"
    )
    inputs, hidden, output = Layer(2), Layer(2), Layer(1)
    inputs.project(hidden)
    hidden.neurons[0].project(output.neurons[0])
    assert _brain_refusal(Network(inputs, [hidden], output)) == (
        "neuron 4 has no connection from neuron 3: brain.js connects layers all to all"
    )
    net = architect.Perceptron(2, 2, 1, seed=1)
    net.metadata["inputs"] = ["b", "1"]
    assert _brain_refusal(net) == 'input name "1" is an array index: JavaScript would reorder the brain.js lookup keys'
    net.metadata["inputs"] = ["b", "b"]
    assert _brain_refusal(net) == "the input names repeat a name: brain.js lookups need distinct keys"


# -- neataptic ------------------------------------------------------------------------------------


def neat_doc() -> dict[str, Any]:
    return {
        "nodes": [
            {"bias": 0.3, "type": "input", "squash": "LOGISTIC", "mask": 1, "index": 0},
            {"bias": -0.2, "type": "hidden", "squash": "TANH", "mask": 1, "index": 1},
            {"bias": 0.1, "type": "hidden", "squash": "STEP", "mask": 1, "index": 2},
            {"bias": 0.05, "type": "output", "squash": "IDENTITY", "mask": 1, "index": 3},
        ],
        "connections": [
            {"weight": 1, "from": 1, "to": 1, "gater": 2},
            {"weight": 0.8, "from": 0, "to": 1, "gater": None},
            {"weight": 1.2, "from": 0, "to": 2, "gater": None},
            {"weight": 0.7, "from": 1, "to": 3, "gater": 2},
            {"weight": 0.4, "from": 3, "to": 2, "gater": None},
        ],
        "input": 1,
        "output": 1,
        "dropout": 0,
    }


def test_neataptic_reads_gates_self_connections_and_step() -> None:
    net = from_neataptic(neat_doc())
    assert [layer.size for layer in net.layers()] == [1, 2, 1]
    hidden = net.hidden_layers[0].neurons
    assert hidden[0].selfconnection.gater is hidden[1] and hidden[1].squash is squash.HLIM
    # by hand, as neataptic's Node.activate computes it (gains start at 1)
    s1 = -0.2 + 0.8 * 0.5  # no self-state yet
    a1 = squash.TANH.value(s1)
    s2 = 0.1 + 1.2 * 0.5 + 0.4 * 0.0
    a2 = 1.0 if s2 > 0 else 0.0
    assert a2 == 1.0
    assert net.activate([0.5]) == [0.05 + a1 * 0.7 * a2]  # node 2 ran before the output: its gain is new
    s1b = a2 * 1 * s1 + -0.2 + 0.8 * 0.5
    assert hidden[0].state == s1
    net.activate([0.5])
    assert hidden[0].state == s1b


def test_neataptic_round_trip_keeps_layers() -> None:
    net = architect.LSTM(2, 3, 1, seed=2)
    doc = to_neataptic(net)
    assert {node["type"] for node in doc["nodes"]} == {"input", "hidden", "output"}
    back = from_neataptic(json.loads(json.dumps(doc)))
    assert [layer.size for layer in back.layers()] == [layer.size for layer in net.layers()]
    assert to_neataptic(back) == doc
    for node in doc["nodes"]:
        node.pop("layer", None)  # a file neataptic wrote: one hidden layer
    assert [layer.size for layer in from_neataptic(doc).layers()] == [2, 12, 1]


def _neat_change(path: list[Any], value: Any) -> Any:
    def change(doc: dict[str, Any]) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return change


NEAT_REFUSED = {
    "softsign": (_neat_change(["nodes", 1, "squash"], "SOFTSIGN"), "nodes[1].squash: squash SOFTSIGN: Synaptic has no such squash"),
    "unknown squash": (_neat_change(["nodes", 1, "squash"], "SWISH"), "nodes[1].squash: squash SWISH: neataptic 1.4.7 has no such squash"),
    "mask": (_neat_change(["nodes", 2, "mask"], 0.5), "nodes[2].mask: mask 0.5: Synaptic has no dropout mask (neataptic scales the activation by it)"),
    "no mask": (_neat_change(["nodes", 2, "mask"], KeyError), 'nodes[2]: missing required key "mask"'),
    "self weight": (_neat_change(["connections", 0, "weight"], 0.5), "connections[0].weight: self-connection with weight 0.5: Synaptic fixes self-connection weights at 1"),
    "output first": (lambda d: d["nodes"].insert(1, d["nodes"].pop(3)), "nodes[2].type: hidden node 2 comes after an output node: Synaptic activates inputs, hidden neurons, then outputs"),
    "input late": (_neat_change(["nodes", 2, "type"], "input"), "nodes[2].type: input node 2 comes after a hidden node: Synaptic activates inputs, hidden neurons, then outputs"),
    "unknown type": (_neat_change(["nodes", 1, "type"], "bias"), 'nodes[1].type: unknown node type "bias": expected input, hidden, constant or output'),
    "count": (_neat_change(["output"], 2), "output: 2 outputs declared, 1 output nodes listed"),
    "duplicate": (lambda d: d["connections"].append({"weight": 1, "from": 0, "to": 2, "gater": None}),
                  "connections[5]: repeats connection 2 (0 -> 2): neataptic refuses a second connection"),
    "out of range": (_neat_change(["connections", 1, "to"], 4), "connections[1].to: expected an integer from 0 to 3, got 4"),
    "gater range": (_neat_change(["connections", 1, "gater"], -1), "connections[1].gater: expected an integer from 0 to 3, got -1"),
    "infinite weight": (_neat_change(["connections", 1, "weight"], float("inf")), "connections[1].weight: expected a finite number"),
    "no nodes": (_neat_change(["nodes"], KeyError), 'missing required key "nodes"'),
    "layer decreases": (lambda d: (d["nodes"][1].update(layer=1), d["nodes"][2].update(layer=0)),
                        "nodes[2].layer: hidden layer 0 after hidden layer 1: layers must not decrease"),
}


@pytest.mark.parametrize("name", sorted(NEAT_REFUSED))
def test_neataptic_refusals(name: str) -> None:
    change, message = NEAT_REFUSED[name]
    doc = neat_doc()
    change(doc)
    with pytest.raises(FormatError) as error:
        from_neataptic(doc)
    assert str(error.value) == message


def test_neataptic_limits_and_export_refusals() -> None:
    with pytest.raises(LimitError, match=r"^file has 4 nodes, more than the limit of 3;"):
        from_neataptic(neat_doc(), limits=Limits(max_neurons=3))
    with pytest.raises(LimitError, match=r"^file has 5 connections, more than the limit of 4;"):
        from_neataptic(neat_doc(), limits=Limits(max_connections=4))
    liquid = architect.Liquid(2, 8, 2, 6, 4, seed=5)  # gates one connection twice (Q-DOUBLEGATE)
    with pytest.raises(FormatError) as error:
        to_neataptic(liquid)
    assert str(error.value) == (
        "connection 33 (8 -> 3) is gated by neurons 4 and 3: neataptic lets one neuron gate a connection"
    )


def test_neataptic_export_maps_hlim_to_step_and_keeps_gates() -> None:
    rng = random.Random(1)
    inputs = Layer(1, rng=rng)
    hidden = Neuron(rng=rng, squash=squash.HLIM)
    out = Neuron(rng=rng)
    inputs.neurons[0].project(hidden, 0.5)
    connection = hidden.project(out, 0.25)
    hidden.gate(connection)
    doc = to_neataptic(Network(inputs, [Layer.of([hidden])], Layer.of([out])))
    assert [node["squash"] for node in doc["nodes"]] == ["LOGISTIC", "STEP", "LOGISTIC"]
    assert doc["connections"] == [
        {"weight": 0.5, "from": 0, "to": 1, "gater": None},
        {"weight": 0.25, "from": 1, "to": 2, "gater": 1},
    ]


def test_documents_are_not_changed_by_reading() -> None:
    for reader, doc in ((from_brainjs, brain_doc()), (from_neataptic, neat_doc())):
        before = copy.deepcopy(doc)
        reader(doc)
        assert doc == before
