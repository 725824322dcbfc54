"""What a network is made of: counts of neurons, connections, gates and parameters.

``summary(net)`` returns plain data (ints, strings, lists, dicts) that
``json.dumps`` writes as is; ``synjson info --json`` prints exactly that.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from .roles import layer_names

if TYPE_CHECKING:
    from .network import Network

__all__ = ["summary", "format_summary"]


def summary(net: Network) -> dict[str, Any]:
    """Counts that describe ``net``.

    Keys:

    - ``inputs``, ``outputs``: sizes of the input and output layers.
    - ``neurons``: all neurons; ``connections``: every connection as the JSON
      lists it, self-connections included.
    - ``self_connections``, ``gated_connections`` (self-connections included),
      ``gaters`` (neurons that gate at least one connection).
    - ``weights``: connections that training changes (all but
      self-connections, whose weight Synaptic fixes at 1); ``biases``: one per
      non-input neuron; ``parameters``: their sum.
    - ``squash``: how many non-input neurons use each squash (input neurons
      only pass their input on).
    - ``layers``: one dict per layer (``name``: "input", "hidden N", an LSTM
      role such as "forget gate" (synjson.model.roles), or "output"; ``layer`` as
      the JSON writes it, ``size``, ``squash`` counts), input first, output last.
    - ``recurrent``: whether any connection is a self-connection or goes to
      the same or an earlier layer.
    - ``architecture``: the ``architecture`` entry of the model's ``synjson``
      block (written by ``synjson.architect``), or None.
    - ``name``, ``input_names``, ``output_names``: the model's name and the
      names of its inputs and outputs from that block, or None.
    """
    listed = net.neurons()
    last = len(net.hidden_layers) + 1
    numbers = [0 if key == "input" else last if key == "output" else int(key) + 1 for _, key in listed]
    position = {neuron.id: here for here, (neuron, _) in enumerate(listed)}
    connections = self_connections = gated = 0
    recurrent = False
    gaters: set[int] = set()
    for here, (neuron, _) in enumerate(listed):
        outgoing = [c for c in neuron.projected if c.to_neuron.id in position]
        if neuron.selfconnected():
            outgoing.append(neuron.selfconnection)
            self_connections += 1
            recurrent = True
        for connection in outgoing:
            connections += 1
            if numbers[position[connection.to_neuron.id]] <= numbers[here]:
                recurrent = True
            if connection.gater is not None and connection.gater.id in position:
                gated += 1
                gaters.add(connection.gater.id)
    layers = []
    names = layer_names(net)
    for number, layer in enumerate(net.layers()):
        name = names[number]
        key: str | int = "input" if number == 0 else "output" if number == last else number - 1
        layers.append(
            {
                "name": name,
                "layer": key,
                "size": layer.size,
                "squash": dict(Counter(neuron.squash.name for neuron in layer.neurons)),
            }
        )
    non_input = [neuron for neuron, key in listed if key != "input"]
    weights = connections - self_connections
    return {
        "inputs": net.inputs(),
        "outputs": net.outputs(),
        "neurons": len(listed),
        "connections": connections,
        "self_connections": self_connections,
        "gated_connections": gated,
        "gaters": len(gaters),
        "weights": weights,
        "biases": len(non_input),
        "parameters": weights + len(non_input),
        "squash": dict(Counter(neuron.squash.name for neuron in non_input)),
        "layers": layers,
        "recurrent": recurrent,
        "architecture": net.metadata.get("architecture"),
        "name": _text(net.metadata.get("name")),
        "input_names": _strings(net.metadata.get("inputs"), net.inputs()),
        "output_names": _strings(net.metadata.get("outputs"), net.outputs()),
    }


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _strings(value: Any, size: int) -> list[str] | None:
    """The names in the model's metadata, when there is one string per neuron."""
    if isinstance(value, list) and len(value) == size and all(isinstance(item, str) for item in value):
        return list(value)
    return None


def format_summary(info: dict[str, Any]) -> str:
    """``summary()`` as the aligned text ``synjson info`` prints."""

    def squashes(counts: dict[str, int]) -> str:
        return ", ".join(f"{name} {count}" for name, count in counts.items()) or "-"

    width = max(len(layer["name"]) for layer in info["layers"])
    size_width = max(len(str(layer["size"])) for layer in info["layers"])
    def listed(names: list[str] | None) -> str:
        return f" ({', '.join(names)})" if names else ""

    lines = [
        *([f"name               {info['name']}"] if info.get("name") else []),
        f"inputs             {info['inputs']}{listed(info.get('input_names'))}",
        f"outputs            {info['outputs']}{listed(info.get('output_names'))}",
        f"neurons            {info['neurons']}",
        f"connections        {info['connections']}",
        f"self-connections   {info['self_connections']}",
        f"gated connections  {info['gated_connections']}",
        f"gaters             {info['gaters']}",
        f"parameters         {info['parameters']} ({info['weights']} weights, {info['biases']} biases)",
        f"squash             {squashes(info['squash'])}",
        f"recurrent          {'yes' if info['recurrent'] else 'no'}",
        *([f"architecture       {_architecture(info['architecture'])}"] if info.get("architecture") else []),
        f"layers             {len(info['layers'])}",
    ]
    for layer in info["layers"]:
        lines.append(
            f"  {layer['name']:<{width}}  {layer['size']:>{size_width}}  {squashes(layer['squash'])}"
        )
    return "\n".join(lines) + "\n"


def _architecture(entry: Any) -> str:
    """``LSTM 2-6-1 (peepholes ALL_TO_ALL, ...)`` from a ``synjson.architecture`` entry."""
    if not isinstance(entry, dict):
        return str(entry)
    text = str(entry.get("type", "?"))
    sizes = entry.get("sizes")
    if isinstance(sizes, list):
        text += " " + "-".join(map(str, sizes))
    options = entry.get("options")
    if isinstance(options, dict) and options:
        text += " (" + ", ".join(f"{key} {value}" for key, value in options.items()) + ")"
    return text
