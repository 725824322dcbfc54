"""Graphviz DOT for a network, in the manner of Synaptic's ``Network.toDot()``.

The layer-level graph is Synaptic's: ``digraph nn``, ``rankdir = BT``, layers
numbered input = 0, hidden layers 1..n, output = n + 1, one edge per pair of
connected layers labelled with its number of connections, and one blue edge
from each layer that gates some of those connections to the target layer.

Synaptic draws that graph from the ``Layer.project`` calls that built the
network, which a network read from JSON does not remember (its ``toDot`` of a
``fromJSON`` network is an empty graph). Here the edges come from the neuron
connections, so a network and its JSON round trip draw the same graph. For
perceptrons the text is byte for byte Synaptic's; where a network made two
projections between the same pair of layers (an LSTM's self-connection and its
``hiddenToHidden`` connections), they make one edge here, and an edge's place
among its source layer's edges is the order of the connections in the JSON.

``neurons=True`` draws every neuron instead: one cluster per layer, a
connection per edge, gated connections dashed blue and labelled with their
gater, self-connections as loops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .roles import layer_names

if TYPE_CHECKING:
    from ..model.network import Network
    from ..model.neuron import Connection, Neuron

__all__ = ["to_dot"]

_PLAIN = ("input", "output")


def _connections(net: Network) -> list[tuple[int, int, Connection]]:
    """Every connection as (from index, to index, connection), in Synaptic's JSON order."""
    listed = net.neurons()
    index = {neuron.id: position for position, (neuron, _) in enumerate(listed)}
    found = []
    for here, (neuron, _) in enumerate(listed):
        for connection in neuron.projected:
            if connection.to_neuron.id in index:  # a projection out of the network is not drawn
                found.append((here, index[connection.to_neuron.id], connection))
        if neuron.selfconnected():
            found.append((here, here, neuron.selfconnection))
    return found


def _layer_numbers(net: Network) -> list[int]:
    """The layer number (input 0, hidden 1..n, output n + 1) of every neuron, in order."""
    last = len(net.hidden_layers) + 1
    return [0 if key == "input" else last if key == "output" else int(key) + 1 for _, key in net.neurons()]


def to_dot(net: Network, *, neurons: bool = False) -> str:
    """The network as Graphviz DOT text: layers (as Synaptic's ``toDot``) or, with ``neurons``, neurons."""
    return _neuron_graph(net) if neurons else _layer_graph(net)


def _layer_graph(net: Network) -> str:
    layer_of = _layer_numbers(net)
    listed = net.neurons()
    position = {neuron.id: here for here, (neuron, _) in enumerate(listed)}
    # (from layer, to layer) -> [number of connections, gater layers in order of appearance]
    edges: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
    for source, target, connection in _connections(net):
        count, gaters = edges.setdefault((layer_of[source], layer_of[target]), ([0], []))
        count[0] += 1
        gater: Neuron | None = connection.gater
        if gater is not None and gater.id in position:
            gater_layer = layer_of[position[gater.id]]
            if gater_layer not in gaters:
                gaters.append(gater_layer)
    lines = ["digraph nn {", "    rankdir = BT"]
    # LSTM roles name their layer's node (Synaptic's graph numbers them only; perceptrons stay byte-exact)
    named = [
        (number, name) for number, name in enumerate(layer_names(net))
        if name not in _PLAIN and not name.startswith("hidden ")
    ]
    lines.extend(f'    {number} [label = "{number}: {name}"]' for number, name in named)
    for (source, target), (count, gaters) in sorted(edges.items(), key=lambda item: item[0][0]):
        lines.append(f"    {source} -> {target} [label = {count[0]}]")
        lines.extend(f"    {gater} -> {target} [color = blue]" for gater in gaters)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _neuron_graph(net: Network) -> str:
    listed = net.neurons()
    position = {neuron.id: here for here, (neuron, _) in enumerate(listed)}
    layer_of = _layer_numbers(net)
    names = layer_names(net)
    lines = ["digraph nn {", "    rankdir = BT", "    node [shape = circle]"]
    for number, name in enumerate(names):
        members = [here for here in range(len(listed)) if layer_of[here] == number]
        if not members:
            continue
        lines.append(f"    subgraph cluster_{number} {{")
        lines.append(f'        label = "{name}"')
        for here in members:
            neuron = listed[here][0]
            squash = "" if number == 0 else f"\\n{neuron.squash.name}"
            lines.append(f'        {here} [label = "{here}{squash}"]')
        lines.append("    }")
    for source, target, connection in _connections(net):
        gater = connection.gater
        if gater is not None and gater.id in position:
            label = f"gate {position[gater.id]}"
            lines.append(f'    {source} -> {target} [style = dashed, color = blue, label = "{label}"]')
        else:
            lines.append(f"    {source} -> {target}")
    lines.append("}")
    return "\n".join(lines) + "\n"
