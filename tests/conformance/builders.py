"""The conformance networks built with synjson's Layer/Network API, mirroring ``node/make_cases.js``.

``BUILDERS[name](rng)`` builds case ``name``. Given ``case_rng(name)`` (the mulberry32 stream that
make_cases.js installs as ``Math.random`` for that case), synjson draws the same numbers in the same
order as Synaptic, so the network should equal the case's ``network.json`` weight for weight. Keep
this file in step with the ``CASES`` table in make_cases.js.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from synjson import Layer, Network, squash
from synjson.model.layer import ConnectionType, GateType

__all__ = ["BUILDERS", "Mulberry32", "case_rng", "hash_seed"]

_MASK = 0xFFFFFFFF


def _imul(a: int, b: int) -> int:
    """JavaScript's ``Math.imul`` on unsigned 32-bit values, unsigned result."""
    return (a * b) & _MASK


class Mulberry32(random.Random):
    """The mulberry32 generator of ``node/common.js``: ``random()`` returns the same doubles."""

    def __init__(self, seed: int = 0) -> None:  # the default: random.Random's pickling calls the class with no seed
        self._a = 0
        super().__init__(seed)

    def seed(self, a: object = None, version: int = 2) -> None:
        self._a = int(a) & _MASK if isinstance(a, int) else 0

    def random(self) -> float:
        self._a = (self._a + 0x6D2B79F5) & _MASK
        a = self._a
        t = _imul(a ^ (a >> 15), 1 | a)
        t = ((t + _imul(t ^ (t >> 7), 61 | t)) & _MASK) ^ t
        return ((t ^ (t >> 14)) & _MASK) / 4294967296

    def getrandbits(self, k: int) -> int:
        # Synaptic only ever calls Math.random(); anything else would break the stream's alignment.
        raise NotImplementedError("Mulberry32 only provides random()")

    def getstate(self) -> tuple[int]:
        return (self._a,)

    def setstate(self, state: tuple[int]) -> None:  # type: ignore[override]
        (self._a,) = state


def hash_seed(text: str) -> int:
    """FNV-1a, 32 bits, over the characters of an ASCII name: ``hashSeed`` in node/common.js."""
    if not text.isascii():
        raise ValueError("case names are ASCII (JavaScript hashes UTF-16 code units)")
    h = 0x811C9DC5
    for char in text:
        h = _imul(h ^ ord(char), 0x01000193)
    return h


def case_rng(name: str) -> Mulberry32:
    """The stream make_cases.js draws case ``name`` from."""
    return Mulberry32(hash_seed(name))


def _net(input: Layer, hidden: Sequence[Layer], output: Layer) -> Network:
    return Network(input=input, hidden=list(hidden), output=output)


def _chain(
    rng: random.Random, sizes: Sequence[int], squashes: Sequence[squash.Squash] | None = None
) -> Network:
    layers = [Layer(n, rng=rng) for n in sizes]
    for a, b in zip(layers, layers[1:]):
        a.project(b)
    if squashes:
        for layer, s in zip(layers[1:], squashes):
            layer.set(squash=s)
    return _net(layers[0], layers[1:-1], layers[-1])


def _hand_lstm(
    rng: random.Random,
    inputs: int,
    blocks: Sequence[int],
    outputs: int,
    *,
    peepholes: ConnectionType = ConnectionType.ALL_TO_ALL,
    hidden_to_hidden: bool = False,
    output_to_hidden: bool = False,
    output_to_gates: bool = False,
    input_to_output: bool = True,
) -> Network:
    """Architect.LSTM line by line (``handLSTM`` in make_cases.js)."""
    input_layer = Layer(inputs, rng=rng)
    output_layer = Layer(outputs, rng=rng)
    hidden: list[Layer] = []
    previous = None
    for size in blocks:
        input_gate = Layer(size, rng=rng).set(bias=1)
        forget_gate = Layer(size, rng=rng).set(bias=1)
        memory_cell = Layer(size, rng=rng)
        output_gate = Layer(size, rng=rng).set(bias=1)
        hidden += [input_gate, forget_gate, memory_cell, output_gate]
        input_lc = input_layer.project(memory_cell)
        input_layer.project(input_gate)
        input_layer.project(forget_gate)
        input_layer.project(output_gate)
        cell = None
        if previous is not None:
            cell = previous.project(memory_cell)
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
        assert input_lc is not None and self_lc is not None and output_lc is not None
        input_gate.gate(input_lc, GateType.INPUT)
        forget_gate.gate(self_lc, GateType.ONE_TO_ONE)
        output_gate.gate(output_lc, GateType.OUTPUT)
        if cell is not None:
            input_gate.gate(cell, GateType.INPUT)
        previous = memory_cell
    if input_to_output:
        input_layer.project(output_layer)
    return _net(input_layer, hidden, output_layer)


def _layers(rng: random.Random, *sizes: int) -> list[Layer]:
    return [Layer(n, rng=rng) for n in sizes]


def one_to_one_all_to_else(rng: random.Random) -> Network:
    input, a, b, output = _layers(rng, 3, 4, 4, 2)
    input.project(a)
    a.project(b, ConnectionType.ONE_TO_ONE)
    b.project(b, ConnectionType.ALL_TO_ELSE)
    b.project(output)
    return _net(input, [a, b], output)


def self_connected(rng: random.Random) -> Network:
    input, h, output = _layers(rng, 2, 3, 2)
    input.project(h)
    h.project(h)
    h.project(output)
    return _net(input, [h], output)


def gate_input(rng: random.Random) -> Network:
    input, gater, h, output = _layers(rng, 2, 3, 3, 2)
    input.project(gater)
    lc = input.project(h)
    assert lc is not None
    gater.gate(lc, GateType.INPUT)
    h.project(output)
    return _net(input, [gater, h], output)


def gate_output(rng: random.Random) -> Network:
    input, h, gater, output = _layers(rng, 2, 3, 3, 2)
    input.project(h)
    input.project(gater)
    lc = h.project(output)
    assert lc is not None
    gater.gate(lc, GateType.OUTPUT)
    return _net(input, [h, gater], output)


def gate_one_to_one(rng: random.Random) -> Network:
    input, gater, h, k, output = _layers(rng, 2, 3, 3, 3, 2)
    input.project(gater)
    input.project(h)
    lc = h.project(k, ConnectionType.ONE_TO_ONE)
    assert lc is not None
    gater.gate(lc, GateType.ONE_TO_ONE)
    k.project(output)
    return _net(input, [gater, h, k], output)


def gated_self_connection(rng: random.Random) -> Network:
    input, gater, m, output = _layers(rng, 2, 3, 3, 2)
    input.project(gater)
    input.project(m)
    self_lc = m.project(m)
    assert self_lc is not None
    gater.gate(self_lc, GateType.ONE_TO_ONE)
    m.project(output)
    return _net(input, [gater, m], output)


def project_and_gate(rng: random.Random) -> Network:
    input = Layer(2, rng=rng)
    t = Layer(3, rng=rng).set(squash=squash.TANH)
    g, h, output = _layers(rng, 2, 2, 2)
    input.project(t)
    t.project(g)
    lc = t.project(h)
    assert lc is not None
    g.gate(lc, GateType.INPUT)
    g.project(output)
    h.project(output)
    return _net(input, [t, g, h], output)


def output_gater(rng: random.Random) -> Network:
    input, h, k, output = _layers(rng, 2, 3, 2, 2)
    input.project(h)
    lc = h.project(k)
    assert lc is not None
    k.project(output)
    output.gate(lc, GateType.INPUT)
    return _net(input, [h, k], output)


def reproject_both_ways(rng: random.Random) -> Network:
    input, a, b, output = _layers(rng, 2, 2, 2, 2)
    input.project(a)
    a.project(b)
    b.project(a)
    a.project(b)
    b.project(output)
    return _net(input, [a, b], output)


def liquid(
    rng: random.Random, inputs: int, hidden: int, outputs: int, connections: int, gates: int
) -> Network:
    """Architect.Liquid, drawing its random choices from ``rng`` as Synaptic draws them from Math.random."""
    input_layer, hidden_layer, output_layer = _layers(rng, inputs, hidden, outputs)
    neurons = hidden_layer.neurons
    made = []
    for _ in range(connections):
        source = int(rng.random() * len(neurons))
        target = int(rng.random() * len(neurons))
        made.append(neurons[source].project(neurons[target]))
    for _ in range(gates):
        gater = int(rng.random() * len(neurons))
        connection = int(rng.random() * len(made))
        neurons[gater].gate(made[connection])
    input_layer.project(hidden_layer)
    hidden_layer.project(output_layer)
    return _net(input_layer, [hidden_layer], output_layer)


def hopfield(rng: random.Random, size: int) -> Network:
    input_layer, output_layer = _layers(rng, size, size)
    input_layer.project(output_layer, ConnectionType.ALL_TO_ALL)
    return _net(input_layer, [], output_layer)


S = squash
BUILDERS: dict[str, Callable[[random.Random], Network]] = {
    "perceptron_2_3_1": lambda rng: _chain(rng, [2, 3, 1]),
    "perceptron_3_5_4_2": lambda rng: _chain(rng, [3, 5, 4, 2]),
    "squash_chain": lambda rng: _chain(
        rng, [3, 4, 4, 4, 4, 2], [S.TANH, S.IDENTITY, S.HLIM, S.RELU, S.LOGISTIC]
    ),
    "squash_logistic": lambda rng: _chain(rng, [2, 3, 2], [S.LOGISTIC, S.LOGISTIC]),
    "squash_tanh": lambda rng: _chain(rng, [2, 3, 2], [S.TANH, S.TANH]),
    "squash_identity": lambda rng: _chain(rng, [2, 3, 2], [S.IDENTITY, S.IDENTITY]),
    "squash_hlim": lambda rng: _chain(rng, [2, 3, 2], [S.HLIM, S.HLIM]),
    "squash_relu": lambda rng: _chain(rng, [2, 3, 2], [S.RELU, S.RELU]),
    "one_to_one_all_to_else": one_to_one_all_to_else,
    "self_connected": self_connected,
    "gate_input": gate_input,
    "gate_output": gate_output,
    "gate_one_to_one": gate_one_to_one,
    "gated_self_connection": gated_self_connection,
    "project_and_gate": project_and_gate,
    "output_gater": output_gater,
    "reproject_both_ways": reproject_both_ways,
    "lstm_layers": lambda rng: _hand_lstm(
        rng, 2, [3], 1, peepholes=ConnectionType.ONE_TO_ONE, hidden_to_hidden=True, input_to_output=True
    ),
    "architect_lstm_2_4_1": lambda rng: _hand_lstm(rng, 2, [4], 1),
    "architect_lstm_1_3_3_1": lambda rng: _hand_lstm(rng, 1, [3, 3], 1),
    "architect_liquid_2_8_2": lambda rng: liquid(rng, 2, 8, 2, 14, 6),
    "architect_hopfield_4": lambda rng: hopfield(rng, 4),
}
