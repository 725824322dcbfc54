"""neataptic 1.4.7 ``Network.toJSON()`` JSON, both ways.

neataptic is Synaptic's successor and computes a node as Synaptic does (same LSTM-g
step, same sum order: self-connection and bias first, then the inputs in creation
order, gains set by the gater as it activates), with four differences the conversion
handles (docs/formats.md, "neataptic"):

- neataptic activates its nodes in array order; Synaptic activates the input layer,
  the hidden layers, then the output layer. A node list that is not inputs, then
  hidden nodes, then outputs is refused; otherwise the two orders are the same.
- A neataptic self-connection has any weight; Synaptic's is always 1. Other weights are refused.
- A neataptic node multiplies its activation by ``mask`` (dropout); a mask other than 1 is refused.
- neataptic has no layers: hidden nodes go into one hidden layer, unless the file carries
  synjson's ``layer`` key on each node (written by :func:`to_neataptic`, ignored by neataptic).

Squash names Synaptic has map to themselves; STEP is HLIM (the same activation);
the rest are refused. neataptic's JSON holds no run state: a network starts from
zero state in both directions.
"""

from __future__ import annotations

from typing import Any

from ...document.limits import DEFAULT_LIMITS, Limits
from ...errors import FormatError
from ...model.layer import Layer
from ...model.network import Network
from ...model.neuron import Neuron
from ...model.squash import HLIM, IDENTITY, LOGISTIC, RELU, TANH, Squash
from ._common import Wiring, array, check_count, integer, number, obj, run_state, string

__all__ = ["from_neataptic", "to_neataptic", "SQUASHES"]

#: neataptic squash name -> Synaptic squash.
SQUASHES: dict[str, Squash] = {"LOGISTIC": LOGISTIC, "TANH": TANH, "IDENTITY": IDENTITY, "RELU": RELU, "STEP": HLIM}
_NAMES = {squash.name: name for name, squash in SQUASHES.items()}
#: neataptic 1.4.7's other squashes: refused, Synaptic computes none of them.
OTHER_SQUASHES = (
    "SOFTSIGN", "SINUSOID", "GAUSSIAN", "BENT_IDENTITY", "BIPOLAR", "BIPOLAR_SIGMOID", "HARD_TANH",
    "ABSOLUTE", "INVERSE", "SELU",
)
_RANK = {"input": 0, "hidden": 1, "constant": 1, "output": 2}  # Network.activate runs "constant" nodes as hidden


def from_neataptic(document: Any, *, limits: Limits | None = None) -> Network:
    """A Synaptic network computing what neataptic 1.4.7's ``Network.fromJSON(document).activate`` computes."""
    limits = DEFAULT_LIMITS if limits is None else limits
    doc = obj(document, ())
    for key in ("nodes", "connections", "input", "output"):
        if key not in doc:
            raise FormatError(f'missing required key "{key}"')
    nodes = array(doc["nodes"], ("nodes",))
    connections = array(doc["connections"], ("connections",))
    check_count(len(nodes), limits.max_neurons, "nodes", "max_neurons")
    check_count(len(connections), limits.max_connections, "connections", "max_connections")
    neurons: list[Neuron] = []
    kinds: list[str] = []
    layers: list[int | None] = []
    rank = 0
    for i, item in enumerate(nodes):
        node = obj(item, ("nodes", i))
        for key in ("bias", "type", "squash", "mask"):
            if key not in node:
                raise FormatError(f'missing required key "{key}"', ("nodes", i))
        kind = string(node["type"], ("nodes", i, "type"))
        if kind not in _RANK:
            raise FormatError(
                f'unknown node type "{kind:.60}": expected input, hidden, constant or output', ("nodes", i, "type")
            )
        if _RANK[kind] < rank:
            before = "an output" if rank == 2 else "a hidden"
            raise FormatError(
                f"{kind} node {i} comes after {before} node: Synaptic activates inputs, hidden neurons, then outputs",
                ("nodes", i, "type"),
            )
        rank = _RANK[kind]
        name = string(node["squash"], ("nodes", i, "squash"))
        if name not in SQUASHES:
            reason = "Synaptic has no such squash" if name in OTHER_SQUASHES else "neataptic 1.4.7 has no such squash"
            raise FormatError(f"squash {name:.60}: {reason}", ("nodes", i, "squash"))
        mask = number(node["mask"], ("nodes", i, "mask"))
        if mask != 1:
            raise FormatError(f"mask {mask!r}: Synaptic has no dropout mask (neataptic scales the activation by it)",
                              ("nodes", i, "mask"))
        bias = number(node["bias"], ("nodes", i, "bias"))
        layer = node.get("layer")
        hidden = _RANK[kind] == 1
        if layer is not None and hidden:
            layer = integer(layer, ("nodes", i, "layer"), 0, len(nodes))
        layers.append(layer if hidden else None)
        neurons.append(Neuron(bias=0.0 if kind == "input" else bias, squash=SQUASHES[name]))
        kinds.append(kind)
    inputs, outputs = kinds.count("input"), kinds.count("output")
    for key, count in (("input", inputs), ("output", outputs)):
        if integer(doc[key], (key,), 0) != count:
            raise FormatError(f"{doc[key]} {key}s declared, {count} {key} nodes listed", (key,))
    hidden_layers = _hidden_layers(layers, kinds)

    seen: dict[tuple[int, int], int] = {}
    gates = []
    for j, item in enumerate(connections):
        connection = obj(item, ("connections", j))
        for key in ("from", "to", "weight"):
            if key not in connection:
                raise FormatError(f'missing required key "{key}"', ("connections", j))
        source = integer(connection["from"], ("connections", j, "from"), 0, len(nodes))
        target = integer(connection["to"], ("connections", j, "to"), 0, len(nodes))
        weight = number(connection["weight"], ("connections", j, "weight"))
        gater = connection.get("gater")
        if gater is not None:
            gater = integer(gater, ("connections", j, "gater"), 0, len(nodes))
        if (source, target) in seen:
            raise FormatError(f"repeats connection {seen[source, target]} ({source} -> {target}):"
                              " neataptic refuses a second connection", ("connections", j))
        seen[source, target] = j
        if source == target:
            if weight != 1:
                raise FormatError(
                    f"self-connection with weight {weight!r}: Synaptic fixes self-connection weights at 1",
                    ("connections", j, "weight"),
                )
            made = neurons[source].project(neurons[source])
        else:
            made = neurons[source].attach(neurons[target], weight)  # in file order: neataptic's sum order
        if gater is not None:
            gates.append((neurons[gater], made))
    for gater_neuron, made in gates:
        gater_neuron.gate(made, order=False)
    for gater_neuron in {id(g): g for g, _ in gates}.values():
        gater_neuron.order_neighbours()  # once per gater, as synjson.from_json does
    hidden = [Layer.of([neurons[i] for i in members]) for members in hidden_layers]
    return Network(
        input=Layer.of(neurons[:inputs]),
        hidden=hidden,
        output=Layer.of(neurons[len(neurons) - outputs:]),
    )


def _hidden_layers(layers: list[int | None], kinds: list[str]) -> list[list[int]]:
    """Hidden node indices per Synaptic layer: by synjson's ``layer`` key when every hidden node has one."""
    hidden = [i for i, kind in enumerate(kinds) if _RANK[kind] == 1]
    if not hidden:
        return []
    if any(layers[i] is None for i in hidden):
        return [hidden]
    groups: list[list[int]] = []
    last = None
    for i in hidden:
        if layers[i] != last:
            if last is not None and layers[i] < last:  # type: ignore[operator]
                raise FormatError(f"hidden layer {layers[i]} after hidden layer {last}: layers must not decrease",
                                  ("nodes", i, "layer"))
            groups.append([])
            last = layers[i]
        groups[-1].append(i)
    return groups


def to_neataptic(net: Network) -> dict[str, Any]:
    """neataptic 1.4.7 ``Network.toJSON()`` JSON computing what ``net`` computes from zero state.

    Connections are written target by target in each neuron's input order, so neataptic sums
    them in Synaptic's order. Refuses a squash neataptic lacks, naming the neuron, and a recurrent
    network holding run state (neataptic's JSON has none: it would start from zero).
    """
    wiring = Wiring(net)
    held = run_state(net, wiring)
    if held is not None:
        raise FormatError(
            f"{held}, which neataptic's JSON cannot carry: neataptic starts from zero state, so its outputs"
            " may differ; pass zero_state=True to write the network as it starts from zero state"
            " (Synaptic JSON and ONNX keep the run state)"
        )
    nodes = []
    for i, (neuron, layer) in enumerate(wiring.neurons):
        kind = "input" if layer == "input" else ("output" if layer == "output" else "hidden")
        if neuron.squash.name not in _NAMES:
            raise FormatError(f"neuron {i} has squash {neuron.squash.name}: neataptic has no such squash")
        node: dict[str, Any] = {
            "bias": 0.0 if kind == "input" else neuron.bias,
            "type": kind,
            "squash": _NAMES[neuron.squash.name],
            "mask": 1,
            "index": i,
        }
        if kind == "hidden":
            node["layer"] = layer  # synjson's key: neataptic ignores it, from_neataptic restores the layers
        nodes.append(node)
    for neuron, _ in wiring.neurons:
        for connection in neuron.gated:
            if connection.gater is not neuron:  # Q-DOUBLEGATE: Liquid can gate one connection twice
                raise FormatError(
                    f"{wiring.name(connection)} is gated by neurons {wiring.at(neuron)} and"
                    f" {wiring.at(connection.gater)}: neataptic lets one neuron gate a connection"
                )
    connections = []
    for neuron, _ in wiring.neurons:
        if neuron.selfconnected():
            connections.append(_connection(wiring, neuron.selfconnection))
    for neuron, _ in wiring.neurons:
        connections.extend(_connection(wiring, connection) for connection in neuron.inputs)
    return {
        "nodes": nodes,
        "connections": connections,
        "input": net.input_layer.size,
        "output": net.output_layer.size,
        "dropout": 0,
    }


def _connection(wiring: Wiring, connection: Any) -> dict[str, Any]:
    gater = connection.gater
    return {
        "weight": connection.weight,
        "from": wiring.at(connection.from_neuron),
        "to": wiring.at(connection.to_neuron),
        "gater": None if gater is None else wiring.at(gater),
    }
