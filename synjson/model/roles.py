"""What each layer of a network is for, in words: "input", "hidden 0", or an LSTM block's roles.

An LSTM block (Synaptic's ``Architect.LSTM``, or any network wired the same way) is four hidden
layers: an *input gate* gating the connections into a *memory cell*, a *forget gate* gating the
memory cell's self-connections, and an *output gate* gating its connections to the output layer. The
roles are read from the connections, not from metadata, so a model file written by Synaptic
itself is named too; a layer whose role is not clear-cut keeps its ``hidden N`` name.
``synjson info``, ``synjson dot`` and the exported page (web/templates/app.js, the same rules)
use these names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .network import Network

__all__ = ["layer_names", "ROLES"]

ROLES = ("input gate", "forget gate", "memory cell", "output gate")


def layer_names(net: Network) -> list[str]:
    """One name per layer of ``net.layers()``: input, hidden layers, output."""
    hidden = net.hidden_layers
    names = [f"hidden {i}" for i in range(len(hidden))]
    layer_of = {neuron.id: i for i, layer in enumerate(hidden) for neuron in layer.neurons}
    cells = []
    for cell, layer in enumerate(hidden):
        forget: set[int | None] = set()
        into: set[int | None] = set()
        out: set[int | None] = set()
        for neuron in layer.neurons:
            if not neuron.selfconnected() or neuron.selfconnection.gater is None:
                break
            forget.add(layer_of.get(neuron.selfconnection.gater.id))
            into |= {layer_of.get(c.gater.id) if c.gater else None for c in neuron.inputs}
            # out to the output layer: a cell also feeds the next block, through that block's input gate
            out |= {
                layer_of.get(c.gater.id) if c.gater else None
                for c in neuron.projected
                if c.to_neuron.id not in layer_of
            }
        else:
            into.discard(None)
            out.discard(None)
            roles = (into, forget, {cell}, out)
            if all(len(found) == 1 and None not in found for found in roles):
                block = [found.pop() for found in roles]
                if len(set(block)) == 4:
                    cells.append(block)
    for number, block in enumerate(cells, 1):
        suffix = f" {number}" if len(cells) > 1 else ""
        for layer, role in zip(block, ROLES):
            names[layer] = role + suffix
    return ["input", *names, "output"]
