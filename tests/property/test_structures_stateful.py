"""Any structure the public API can build runs alike on every engine (issue 22, item 2).

A hypothesis state machine builds networks by random sequences of public calls: ``Neuron``,
``Layer``, ``Layer.add``, ``project`` with each connection type (layers, neurons, self-connections,
networks into layers and networks), ``gate`` with each gate type, self-connections removed,
networks over any layers (shared, outside neurons), ``clear``, ``reset``, ``activate``,
``propagate``, neuron-level activate and propagate, and ``Trainer.train`` with a rate function that
edits the structure. The same steps run on every engine (``tests/conformance/structures.py``
runs them), and after every step every engine's answer, error and every neuron's values, weights,
gains and traces are ``==`` the reference's (NaN compared as NaN).

Deterministic: derandomized, a fixed budget (60 examples of 30 steps, about 15 s here, and
some 250 network activations). No shrinking phase: a failure's message lists every step from the
start, which replays with ``Runner(20221, engine).run(steps)``. Synaptic's own numbers for such
structures are checked in tests/conformance/test_structures.py. What it found has fixed examples in
tests/unit/model/test_outside_neurons.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))

from structures import Runner, snapshot

from synjson.engine import available_engines
from synjson.errors import SynjsonError

ENGINES = available_engines()  # the reference first
OURS = {cls.__name__ for cls in (SynjsonError, *SynjsonError.__subclasses__())}
MAX_LAYERS, MAX_NEURONS = 6, 16
UNIT = st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 4))
RATE = st.sampled_from([0.05, 0.2, 0.5])
CONNECTION_TYPES = [None, "ALL_TO_ALL", "ONE_TO_ONE", "ALL_TO_ELSE"]
GATE_TYPES = ["INPUT", "OUTPUT", "ONE_TO_ONE"]


def outcome(runner: Runner, step: list[Any]) -> Any:
    """The step's answer, or the error it raised (type and message)."""
    try:
        return ("ok", runner.step(step))
    except Exception as error:  # compared across engines: they must fail alike
        return ("error", type(error).__name__, str(error))


class Structures(RuleBasedStateMachine):
    """Runners on every engine, fed the same steps."""

    @initialize(hidden=st.integers(1, 3))
    def start(self, hidden: int) -> None:
        """A 2-h-1 perceptron to build on: the rules that run networks are enabled from the start."""
        self.runners = [Runner(20221, engine) for engine in ENGINES]
        self.steps: list[list[Any]] = []
        for step in (["layer", 2], ["layer", hidden], ["layer", 1], ["lproject", 0, 1, None],
                     ["lproject", 1, 2, None], ["network", 0, [1], 2]):
            self.do(step)

    @property
    def ref(self) -> Runner:
        return self.runners[0]

    def do(self, step: list[Any]) -> Any:
        self.steps.append(step)
        results = [outcome(runner, step) for runner in self.runners]
        for engine, result in zip(ENGINES[1:], results[1:]):
            assert repr(result) == repr(results[0]), f"{engine} after {self.steps}"
        if results[0][0] == "error":  # every call here is well-formed: only our errors may say no
            assert results[0][1] in OURS, f"raw {results[0][1]} from {step}: {results[0][2]}"
        return results[0]

    @invariant()
    def engines_agree(self) -> None:
        if not hasattr(self, "runners"):
            return
        expected = repr([snapshot(neuron) for neuron in self.ref.neuron])
        for engine, runner in zip(ENGINES[1:], self.runners[1:]):
            assert repr([snapshot(neuron) for neuron in runner.neuron]) == expected, f"{engine} after {self.steps}"

    # -- building -----------------------------------------------------------------------------

    @precondition(lambda self: len(self.ref.layer) < MAX_LAYERS and len(self.ref.neuron) < MAX_NEURONS)
    @rule(size=st.integers(1, 3))
    def layer(self, size: int) -> None:
        self.do(["layer", size])

    @precondition(lambda self: len(self.ref.neuron) < MAX_NEURONS)
    @rule()
    def neuron(self) -> None:
        self.do(["neuron"])

    @precondition(lambda self: self.ref.layer and self.ref.neuron)
    @rule(data=st.data())
    def layer_add(self, data: st.DataObject) -> None:
        self.do(["ladd", data.draw(st.integers(0, len(self.ref.layer) - 1)),
                 data.draw(st.integers(0, len(self.ref.neuron) - 1))])

    @precondition(lambda self: self.ref.layer)
    @rule(data=st.data(), name=st.sampled_from(["LOGISTIC", "TANH", "IDENTITY", "HLIM", "RELU"]))
    def squash(self, data: st.DataObject, name: str) -> None:
        self.do(["squash", data.draw(st.integers(0, len(self.ref.layer) - 1)), name])

    @precondition(lambda self: self.ref.layer)
    @rule(data=st.data(), kind=st.sampled_from(CONNECTION_TYPES))
    def layer_project(self, data: st.DataObject, kind: str | None) -> None:
        count = len(self.ref.layer)
        a, b = data.draw(st.integers(0, count - 1)), data.draw(st.integers(0, count - 1))
        if kind == "ONE_TO_ONE" and self.ref.layer[a].size != self.ref.layer[b].size:
            kind = None
        self.do(["lproject", a, b, kind])

    @precondition(lambda self: self.ref.layer and any(lc is not None for lc in self.ref.lc))
    @rule(data=st.data(), kind=st.sampled_from(GATE_TYPES))
    def layer_gate(self, data: st.DataObject, kind: str) -> None:
        layer = data.draw(st.integers(0, len(self.ref.layer) - 1))
        lc = data.draw(st.sampled_from([k for k, c in enumerate(self.ref.lc) if c is not None]))
        connection, size = self.ref.lc[lc], self.ref.layer[layer].size
        needed = {"INPUT": connection.to_layer.size, "OUTPUT": connection.from_layer.size}.get(kind, connection.size)
        if needed == size:  # otherwise the call is refused up front, as Synaptic's is
            self.do(["lgate", layer, lc, kind])

    @precondition(lambda self: self.ref.neuron)
    @rule(data=st.data(), weight=st.none() | st.floats(-1, 1, allow_nan=False))
    def neuron_project(self, data: st.DataObject, weight: float | None) -> None:
        count = len(self.ref.neuron)
        self.do(["nproject", data.draw(st.integers(0, count - 1)), data.draw(st.integers(0, count - 1)), weight])

    @precondition(lambda self: self.ref.neuron and self.ref.connection)
    @rule(data=st.data())
    def neuron_gate(self, data: st.DataObject) -> None:
        self.do(["ngate", data.draw(st.integers(0, len(self.ref.neuron) - 1)),
                 data.draw(st.integers(0, len(self.ref.connection) - 1))])

    @precondition(lambda self: self.ref.neuron)
    @rule(data=st.data())
    def remove_self_connection(self, data: st.DataObject) -> None:
        self.do(["selfweight", data.draw(st.integers(0, len(self.ref.neuron) - 1)), 0.0])

    @precondition(lambda self: len(self.ref.layer) >= 2 and len(self.ref.net) < 3)
    @rule(data=st.data())
    def network(self, data: st.DataObject) -> None:
        order = data.draw(st.permutations(range(len(self.ref.layer))))
        hidden = data.draw(st.integers(0, min(2, len(order) - 2)))
        self.do(["network", order[0], list(order[1 : 1 + hidden]), order[1 + hidden]])

    @precondition(lambda self: self.ref.net)
    @rule(data=st.data(), kind=st.sampled_from(CONNECTION_TYPES[:2]))
    def network_project(self, data: st.DataObject, kind: str | None) -> None:
        net = data.draw(st.integers(0, len(self.ref.net) - 1))
        if data.draw(st.booleans()):
            self.do(["kproject", net, "network", data.draw(st.integers(0, len(self.ref.net) - 1)), kind])
        else:
            self.do(["kproject", net, "layer", data.draw(st.integers(0, len(self.ref.layer) - 1)), kind])

    @precondition(lambda self: self.ref.net and any(lc is not None for lc in self.ref.lc))
    @rule(data=st.data())
    def network_gate(self, data: st.DataObject) -> None:
        net = data.draw(st.integers(0, len(self.ref.net) - 1))
        lc = data.draw(st.sampled_from([k for k, c in enumerate(self.ref.lc) if c is not None]))
        if self.ref.lc[lc].to_layer.size == self.ref.net[net].output_layer.size:
            self.do(["kgate", net, lc, "INPUT"])

    # -- running ------------------------------------------------------------------------------

    @precondition(lambda self: self.ref.net)
    @rule(data=st.data())
    def activate(self, data: st.DataObject) -> None:
        net = data.draw(st.integers(0, len(self.ref.net) - 1))
        inputs = data.draw(st.lists(UNIT, min_size=self.ref.net[net].inputs(), max_size=self.ref.net[net].inputs()))
        self.do(["activate", net, inputs])

    @precondition(lambda self: self.ref.net)
    @rule(data=st.data(), rate=RATE, steps=st.integers(1, 4))
    def learn(self, data: st.DataObject, rate: float, steps: int) -> None:
        """A few steps of activate + propagate on one network."""
        net = data.draw(st.integers(0, len(self.ref.net) - 1))
        inputs, outputs = self.ref.net[net].inputs(), self.ref.net[net].outputs()
        for _ in range(steps):
            self.do(["activate", net, data.draw(st.lists(UNIT, min_size=inputs, max_size=inputs))])
            self.do(["propagate", net, rate, data.draw(st.lists(UNIT, min_size=outputs, max_size=outputs))])

    @precondition(lambda self: self.ref.net)
    @rule(data=st.data(), rate=RATE)
    def propagate(self, data: st.DataObject, rate: float) -> None:
        net = data.draw(st.integers(0, len(self.ref.net) - 1))
        size = self.ref.net[net].outputs()
        self.do(["propagate", net, rate, data.draw(st.lists(UNIT, min_size=size, max_size=size))])

    @precondition(lambda self: self.ref.net)
    @rule(data=st.data(), what=st.sampled_from(["clear", "reset"]))
    def clear_or_reset(self, data: st.DataObject, what: str) -> None:
        self.do([what, data.draw(st.integers(0, len(self.ref.net) - 1))])

    @precondition(lambda self: self.ref.neuron)
    @rule(data=st.data(), value=st.none() | UNIT)
    def neuron_activate(self, data: st.DataObject, value: float | None) -> None:
        self.do(["nactivate", data.draw(st.integers(0, len(self.ref.neuron) - 1)), value])

    @precondition(lambda self: self.ref.neuron)
    @rule(data=st.data(), rate=RATE, goal=st.none() | UNIT)
    def neuron_propagate(self, data: st.DataObject, rate: float, goal: float | None) -> None:
        self.do(["npropagate", data.draw(st.integers(0, len(self.ref.neuron) - 1)), rate, goal])

    @precondition(lambda self: self.ref.net and len(self.ref.neuron) < MAX_NEURONS)
    @rule(data=st.data(), rate=RATE)
    def train_with_an_edit(self, data: st.DataObject, rate: float) -> None:
        """Trainer.train whose rate function adds a neuron feeding one of the network's at iteration 2."""
        net = data.draw(st.integers(0, len(self.ref.net) - 1))
        network = self.ref.net[net]
        inputs, outputs = network.inputs(), network.outputs()
        rows = [{"input": data.draw(st.lists(UNIT, min_size=inputs, max_size=inputs)),
                 "output": data.draw(st.lists(UNIT, min_size=outputs, max_size=outputs))} for _ in range(2)]
        members = [n for layer in network.layers()[1:] for n in layer.neurons]
        target = self.ref.neuron.index(data.draw(st.sampled_from(members))) if members else 0
        new = len(self.ref.neuron)
        edits = {"2": [["neuron"], ["nactivate", new, 0.5], ["nproject", new, target, 0.25]]}
        self.do(["train", net, rows, {"iterations": 3, "rate": rate, "edits": edits}])


Structures.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_structures = Structures.TestCase
