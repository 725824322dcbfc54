"""Run a structure script (``node/make_structures.js`` documents the steps) with synjson.

``Runner(seed, engine)`` holds the objects a script made; ``runner.step(s)`` runs one step and
returns its answer (or None). The random stream is the mulberry32 one ``make_structures.js`` seeds
Synaptic's ``Math.random`` with, so weights and biases are drawn alike. The hypothesis state
machine (tests/property/test_structures_stateful.py) drives runners on every engine in step.
"""

from __future__ import annotations

from typing import Any

from builders import Mulberry32

from synjson import Layer, Network, Neuron, Trainer
from synjson.model.layer import ConnectionType, GateType
from synjson.squash import SQUASHES

__all__ = ["Runner", "snapshot"]


def snapshot(neuron: Neuron) -> list[Any]:
    """What ``snapshot`` records for one neuron, in make_structures.js's order."""
    inputs = neuron.inputs
    extended = [traces[c.id] for traces in neuron.extended.values() for c in inputs]
    return [
        neuron.activation,
        neuron.state,
        neuron.old,
        neuron.bias,
        neuron.derivative,
        neuron.responsibility,
        [c.weight for c in inputs],
        [c.gain for c in inputs],
        [neuron.eligibility[c.id] for c in inputs],
        neuron.selfconnection.weight,
        neuron.selfconnection.gain,
        extended,
    ]


class Runner:
    """The objects of one script run on one engine."""

    def __init__(self, seed: int, engine: str) -> None:
        self.rng = Mulberry32(seed)
        self.engine = engine
        self.neuron: list[Neuron] = []
        self.layer: list[Layer] = []
        self.lc: list[Any] = []
        self.connection: list[Any] = []
        self.net: list[Network] = []

    def run(self, script: list[list[Any]]) -> list[Any]:
        """Every answer of ``script``, in order."""
        answers = []
        for s in script:
            answer = self.step(s)
            if answer is not None:
                answers.append(answer)
        return answers

    def step(self, s: list[Any]) -> Any:
        """Run one step; the answer of a recording step, else None."""
        op, *args = s
        return getattr(self, "_" + op)(*args)

    # -- building ---------------------------------------------------------------------------

    def _layer(self, size: int) -> None:
        layer = Layer(size, rng=self.rng)
        self.layer.append(layer)
        self.neuron.extend(layer.neurons)

    def _neuron(self) -> None:
        self.neuron.append(Neuron(rng=self.rng))

    def _squash(self, layer: int, name: str) -> None:
        self.layer[layer].set(squash=SQUASHES[name])

    def _ladd(self, layer: int, neuron: int) -> None:
        self.layer[layer].add(self.neuron[neuron])

    def _lproject(self, source: int, target: int, kind: str | None) -> None:
        self.lc.append(self.layer[source].project(self.layer[target], _type(kind)))

    def _lgate(self, layer: int, lc: int, kind: str) -> None:
        self.layer[layer].gate(self.lc[lc], GateType[kind])

    def _nproject(self, source: int, target: int, weight: float | None) -> None:
        self.connection.append(self.neuron[source].project(self.neuron[target], weight))

    def _ngate(self, neuron: int, connection: int) -> None:
        self.neuron[neuron].gate(self.connection[connection])

    def _selfweight(self, neuron: int, weight: float) -> None:
        self.neuron[neuron].selfconnection.weight = weight

    def _network(self, input: int, hidden: list[int], output: int) -> None:
        net = Network(self.layer[input], [self.layer[k] for k in hidden], self.layer[output])
        net.engine = self.engine
        self.net.append(net)

    def _kproject(self, net: int, kind: str, index: int, connection_type: str | None) -> None:
        unit = self.layer[index] if kind == "layer" else self.net[index]
        self.lc.append(self.net[net].project(unit, _type(connection_type)))

    def _kgate(self, net: int, lc: int, kind: str) -> None:
        self.net[net].gate(self.lc[lc], GateType[kind])

    # -- running ----------------------------------------------------------------------------

    def _activate(self, net: int, inputs: list[float]) -> list[float]:
        return list(self.net[net].activate(inputs))

    def _propagate(self, net: int, rate: float, targets: list[float]) -> None:
        self.net[net].propagate(rate, targets)

    def _clear(self, net: int) -> None:
        self.net[net].clear()

    def _reset(self, net: int) -> None:
        self.net[net].reset(self.rng)

    def _nactivate(self, neuron: int, value: float | None) -> float:
        return self.neuron[neuron].activate(value)

    def _npropagate(self, neuron: int, rate: float, target: float | None) -> None:
        self.neuron[neuron].propagate(rate, target)

    def _train(self, net: int, data: list[dict[str, list[float]]], options: dict[str, Any]) -> list[Any]:
        edits = options.get("edits", {})

        def rate(iteration: int, last_error: float) -> float:
            for edit in edits.get(str(iteration), []):
                self.step(edit)
            return options["rate"]

        def scheduled(info: dict[str, Any]) -> None:
            for edit in options["scheduled"]:
                self.step(edit)

        schedule = {"every": options["every"], "do": scheduled} if options.get("every") else None
        samples = [(row["input"], row["output"]) for row in data]
        result = Trainer(self.net[net]).train(
            samples, rate=rate, iterations=options["iterations"], error=1e-12, schedule=schedule
        )
        return [result.error, result.iterations]

    def _snapshot(self) -> list[Any]:
        return [snapshot(neuron) for neuron in self.neuron]


def _type(name: str | None) -> ConnectionType | None:
    return None if name is None else ConnectionType[name]
