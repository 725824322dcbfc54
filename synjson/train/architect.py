"""Synaptic's ready-made architectures: Perceptron, LSTM, Liquid and Hopfield.

Each class builds exactly the network ``synaptic.Architect.*`` builds: the same
neurons in the same layers and order, the same connections in the same order,
the same gates, self-connections and preset biases, and (given an rng that
yields the numbers ``Math.random`` yielded) the same weights, because every
draw happens in the same order. Each records how it was built in
``net.metadata["architecture"]`` so the class can be restored from JSON.

No numpy here: this code must run in Pyodide.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..model.layer import ConnectionType, GateType, Layer
from ..model.network import Network
from ..model.neuron import Connection

if TYPE_CHECKING:
    from .trainer import TrainResult

__all__ = ["Perceptron", "LSTM", "Liquid", "Hopfield", "ARCHITECTURES"]


def _rng(rng: random.Random | None, seed: int | None) -> random.Random:
    if rng is not None and seed is not None:
        raise ValueError("pass rng or seed, not both")
    return rng if rng is not None else random.Random(seed)


def _size(value: Any, what: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{what} must be an integer >= {minimum}, got {value!r}")
    return value


def _layer_sizes(sizes: Sequence[int]) -> list[int]:
    if len(sizes) < 3:
        raise ValueError(f"not enough layers (minimum 3): got {len(sizes)} sizes")
    return [_size(size, f"sizes[{index}]") for index, size in enumerate(sizes)]


def _connection_type(value: ConnectionType | str) -> ConnectionType:
    """A connection type from the enum, its name ("ONE_TO_ONE") or Synaptic's value ("ONE TO ONE")."""
    if isinstance(value, ConnectionType):
        return value
    if isinstance(value, str):
        if value in ConnectionType.__members__:
            return ConnectionType[value]
        try:
            return ConnectionType(value)
        except ValueError:
            pass
    raise ValueError(f"peepholes must be a ConnectionType, got {value!r}")


class _Architecture(Network):
    """A network built by an architect; loading or cloning it keeps the class."""

    @classmethod
    def from_layers(cls, input: Layer, hidden: Sequence[Layer], output: Layer) -> Network:
        """A network of this class around layers already built (the constructor builds fresh networks
        only): ``from_json``, ``loads`` and ``clone`` keep the class through it."""
        net = cls.__new__(cls)
        Network.__init__(net, input=input, hidden=hidden, output=output)
        return net


class Perceptron(_Architecture):
    """A feed-forward net: ``Perceptron(2, 3, 1)`` has 2 inputs, a hidden layer of 3 and 1 output.

    As in Synaptic, the input and output layers are created (and their biases
    drawn) before the hidden layers, and each layer projects ALL_TO_ALL onto
    the next.
    """

    architecture = "Perceptron"

    def __init__(self, *sizes: int, rng: random.Random | None = None, seed: int | None = None) -> None:
        sizes_list = _layer_sizes(sizes)
        rng = _rng(rng, seed)
        # Q-A-ORDER: input and output layers first, as Synaptic draws their biases first
        input_layer = Layer(sizes_list[0], rng=rng)
        output_layer = Layer(sizes_list[-1], rng=rng)
        hidden = []
        previous = input_layer
        for size in sizes_list[1:-1]:
            layer = Layer(size, rng=rng)
            hidden.append(layer)
            previous.project(layer)
            previous = layer
        previous.project(output_layer)
        super().__init__(input=input_layer, hidden=hidden, output=output_layer)
        self.metadata["architecture"] = {"type": "Perceptron", "sizes": sizes_list}


class LSTM(_Architecture):
    """Long short-term memory: ``LSTM(2, 6, 1)``; more middle sizes stack more memory blocks.

    Each block is four hidden layers in this order: input gate, forget gate,
    memory cell and output gate; the three gate layers start with bias 1.
    The options are Synaptic's (``hiddenToHidden`` is ``hidden_to_hidden`` and
    so on); ``peepholes`` is how the memory cell projects onto its gates.
    """

    architecture = "LSTM"

    def __init__(
        self,
        *sizes: int,
        peepholes: ConnectionType | str = ConnectionType.ALL_TO_ALL,
        hidden_to_hidden: bool = False,
        output_to_hidden: bool = False,
        output_to_gates: bool = False,
        input_to_output: bool = True,
        rng: random.Random | None = None,
        seed: int | None = None,
    ) -> None:
        sizes_list = _layer_sizes(sizes)
        peepholes = _connection_type(peepholes)
        rng = _rng(rng, seed)
        input_layer = Layer(sizes_list[0], rng=rng)
        output_layer = Layer(sizes_list[-1], rng=rng)
        hidden: list[Layer] = []
        previous: Layer | None = None
        for size in sizes_list[1:-1]:
            input_gate = Layer(size, rng=rng).set(bias=1)
            forget_gate = Layer(size, rng=rng).set(bias=1)
            memory_cell = Layer(size, rng=rng)
            output_gate = Layer(size, rng=rng).set(bias=1)
            hidden += [input_gate, forget_gate, memory_cell, output_gate]

            # connections from the input layer
            input_lc = input_layer.project(memory_cell)
            input_layer.project(input_gate)
            input_layer.project(forget_gate)
            input_layer.project(output_gate)
            # connections from the previous memory block
            cell_lc = None
            if previous is not None:
                cell_lc = previous.project(memory_cell)
                previous.project(input_gate)
                previous.project(forget_gate)
                previous.project(output_gate)
            output_lc = memory_cell.project(output_layer)
            self_lc = memory_cell.project(memory_cell)
            if hidden_to_hidden:
                memory_cell.project(memory_cell, ConnectionType.ALL_TO_ELSE)
            if output_to_hidden:
                output_layer.project(memory_cell)
            if output_to_gates:
                output_layer.project(input_gate)
                output_layer.project(output_gate)
                output_layer.project(forget_gate)
            memory_cell.project(input_gate, peepholes)
            memory_cell.project(forget_gate, peepholes)
            memory_cell.project(output_gate, peepholes)
            # gates; these layer connections are always new, so never None
            assert input_lc is not None and self_lc is not None and output_lc is not None
            input_gate.gate(input_lc, GateType.INPUT)
            forget_gate.gate(self_lc, GateType.ONE_TO_ONE)
            output_gate.gate(output_lc, GateType.OUTPUT)
            if cell_lc is not None:
                input_gate.gate(cell_lc, GateType.INPUT)
            previous = memory_cell
        if input_to_output:
            input_layer.project(output_layer)
        super().__init__(input=input_layer, hidden=hidden, output=output_layer)
        self.metadata["architecture"] = {
            "type": "LSTM",
            "sizes": sizes_list,
            "options": {
                "peepholes": peepholes.name,
                "hidden_to_hidden": bool(hidden_to_hidden),
                "output_to_hidden": bool(output_to_hidden),
                "output_to_gates": bool(output_to_gates),
                "input_to_output": bool(input_to_output),
            },
        }


class Liquid(_Architecture):
    """A liquid state machine: a hidden pool with random connections and gates between its neurons.

    ``connections`` times, two hidden neurons are drawn (possibly the same one,
    which makes a self-connection) and the first projects onto the second;
    then ``gates`` times a hidden neuron and one of those connections are drawn
    and the neuron gates it. Every draw is ``int(rng.random() * n)``, as
    Synaptic's ``Math.random() * n | 0``. Finally input -> hidden -> output,
    ALL_TO_ALL. A connection drawn twice for gating keeps its last gater, and
    projecting again onto a neuron returns the existing connection unless that
    neuron also projects back (then Synaptic adds a second one): see
    docs/quirks.md.
    """

    architecture = "Liquid"

    def __init__(
        self,
        inputs: int,
        hidden: int,
        outputs: int,
        connections: int,
        gates: int,
        *,
        rng: random.Random | None = None,
        seed: int | None = None,
    ) -> None:
        _size(inputs, "inputs")
        _size(hidden, "hidden")
        _size(outputs, "outputs")
        _size(connections, "connections", 0)
        _size(gates, "gates", 0)
        if gates and not connections:
            raise ValueError("gates need connections to gate: connections is 0")
        rng = _rng(rng, seed)
        input_layer = Layer(inputs, rng=rng)
        hidden_layer = Layer(hidden, rng=rng)
        output_layer = Layer(outputs, rng=rng)
        neurons = hidden_layer.neurons
        made: list[Connection] = []
        for _ in range(connections):
            source = int(rng.random() * len(neurons))  # Q-A-LIQUID: Math.random() * n | 0
            target = int(rng.random() * len(neurons))
            made.append(neurons[source].project(neurons[target]))
        for _ in range(gates):
            gater = int(rng.random() * len(neurons))
            chosen = int(rng.random() * len(made))
            neurons[gater].gate(made[chosen])
        input_layer.project(hidden_layer)
        hidden_layer.project(output_layer)
        super().__init__(input=input_layer, hidden=[hidden_layer], output=output_layer)
        self.metadata["architecture"] = {
            "type": "Liquid",
            "sizes": [inputs, hidden, outputs],
            "options": {"connections": connections, "gates": gates},
        }


class Hopfield(_Architecture):
    """A Hopfield-style associative memory: ``size`` inputs projecting ALL_TO_ALL onto ``size`` outputs.

    Logistic neurons, as in Synaptic's Hopfield.js. ``learn`` trains it to
    echo the patterns and ``feed`` recalls the stored pattern nearest to one.
    """

    architecture = "Hopfield"

    def __init__(self, size: int, *, rng: random.Random | None = None, seed: int | None = None) -> None:
        _size(size, "size")
        rng = _rng(rng, seed)
        input_layer = Layer(size, rng=rng)
        output_layer = Layer(size, rng=rng)
        input_layer.project(output_layer, ConnectionType.ALL_TO_ALL)
        super().__init__(input=input_layer, hidden=[], output=output_layer)
        self.metadata["architecture"] = {"type": "Hopfield", "sizes": [size]}

    def learn(
        self,
        patterns: Sequence[Sequence[float]],
        *,
        iterations: int = 500_000,
        error: float = 0.00005,
        rate: float = 1,
        **options: Any,
    ) -> TrainResult:
        """Train the network to reproduce each pattern: Synaptic's settings are the defaults.

        Further keyword arguments go to :meth:`synjson.Trainer.train`.
        """
        from .trainer import Trainer

        data = [{"input": list(pattern), "output": list(pattern)} for pattern in patterns]
        return Trainer(self).train(data, iterations=iterations, error=error, rate=rate, **options)

    def feed(self, pattern: Sequence[float]) -> list[int]:
        """Activate with ``pattern`` and threshold each output at 0.5 (1 above, else 0)."""
        return [1 if value > 0.5 else 0 for value in self.activate(pattern)]


#: Architecture classes by the ``type`` recorded in ``metadata["architecture"]``.
ARCHITECTURES: dict[str, type[Network]] = {
    "Perceptron": Perceptron,
    "LSTM": LSTM,
    "Liquid": Liquid,
    "Hopfield": Hopfield,
}
