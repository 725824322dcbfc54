"""Network: layers wired into a model that activates and learns as Synaptic's does.

``activate`` runs the input layer, the hidden layers in order, then the output
layer; ``propagate`` runs the output layer, then the hidden layers in reverse,
each layer's neurons in reverse, so a neuron's incoming weights are already
updated when the neurons upstream compute their error. No I/O here: reading and
writing JSON lives in ``synjson.format``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from .errors import StateError
from .layer import ConnectionType, GateType, Layer, LayerConnection
from .neuron import Neuron, Scratch

__all__ = ["Network"]


def _as_floats(values: Sequence[float], expected: int, what: str) -> list[float]:
    try:
        count = len(values)
    except TypeError:
        raise ValueError(f"expected a sequence of {expected} {what}, got {type(values).__name__}") from None
    if count != expected:
        raise ValueError(f"expected {expected} {what}, got {count}")
    numbers = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = float(value)  # numpy scalars and friends
            except (TypeError, ValueError):
                raise ValueError(f"{what}[{index}] is not a number: {value!r}") from None
        numbers.append(float(value))
    return numbers


def _check_rate(rate: Any) -> float:
    if rate is None or isinstance(rate, bool) or not isinstance(rate, (int, float)):
        raise ValueError(f"rate must be a number, got {rate!r}")
    return float(rate)


class Network:
    """A Synaptic network: an input layer, hidden layers and an output layer."""

    def __init__(
        self,
        input: Layer | None = None,
        hidden: Sequence[Layer] | None = None,
        output: Layer | None = None,
        *,
        engine: str = "reference",
    ) -> None:
        self.input_layer = input if input is not None else Layer(0)
        self.hidden_layers: list[Layer] = list(hidden or [])
        self.output_layer = output if output is not None else Layer(0)
        self.extra: dict[str, Any] = {}
        self.metadata: dict[str, Any] = {}
        self._scratch = Scratch()
        self._activated = False
        #: "reference" (the neuron objects), or "auto" | "python" | "numpy": run through a compiled plan.
        self.engine = engine
        self._compiled: Any = None

    def __repr__(self) -> str:
        sizes = [self.input_layer.size, *(layer.size for layer in self.hidden_layers), self.output_layer.size]
        return f"{type(self).__name__}({'-'.join(map(str, sizes))})"

    # -- running -------------------------------------------------------------

    def activate(self, inputs: Sequence[float]) -> list[float]:
        """Feed one input vector forward and return the output activations."""
        if self.engine != "reference":
            return self.compile(self.engine).activate(inputs)
        self.sync()
        return self._activate_reference(_as_floats(inputs, self.input_layer.size, "inputs"))

    def activate_batch(self, rows: Any) -> Any:
        """Activate each row of an ``(n, inputs)`` array (numpy or lists); returns ``(n, outputs)``.

        Without recurrent state the rows are computed together (vectorised); otherwise they
        are a sequence, exactly as ``activate`` called row by row. Runs on ``self.engine``,
        or on "auto" when that is "reference". A wrong shape raises ValueError naming it.
        """
        return self.compile("auto" if self.engine == "reference" else self.engine).activate_batch(rows)

    def _activate_reference(self, values: list[float]) -> list[float]:
        scratch = self._scratch
        self.input_layer.activate(values)
        for layer in self.hidden_layers:
            layer.activate(scratch=scratch)
        self._activated = True
        return self.output_layer.activate(scratch=scratch)

    def propagate(self, rate: float, targets: Sequence[float]) -> None:
        """Back-propagate the error against ``targets`` and learn at ``rate``.

        Unlike Synaptic, a missing rate is an error rather than NaN weights (Q-RATE).
        """
        if self.engine != "reference":
            return self.compile(self.engine).propagate(rate, targets)
        rate = _check_rate(rate)
        if not self._activated:
            raise StateError("propagate() needs a prior activate(): there is no activation to learn from")
        self.sync()
        self._propagate_reference(rate, _as_floats(targets, self.output_layer.size, "targets"))

    def _propagate_reference(self, rate: float, values: list[float]) -> None:
        scratch = self._scratch
        self.output_layer.propagate(rate, values, scratch=scratch)
        for layer in reversed(self.hidden_layers):
            layer.propagate(rate, scratch=scratch)

    # -- structure -----------------------------------------------------------

    def layers(self) -> list[Layer]:
        """Input layer, hidden layers, output layer."""
        return [self.input_layer, *self.hidden_layers, self.output_layer]

    def neurons(self) -> list[tuple[Neuron, str | int]]:
        """Every neuron with its layer key ("input", a hidden index, or "output"), in Synaptic's order."""
        self.sync()
        listed: list[tuple[Neuron, str | int]] = [(n, "input") for n in self.input_layer.neurons]
        for index, layer in enumerate(self.hidden_layers):
            listed.extend((n, index) for n in layer.neurons)
        listed.extend((n, "output") for n in self.output_layer.neurons)
        return listed

    def inputs(self) -> int:
        """Number of inputs."""
        return self.input_layer.size

    def outputs(self) -> int:
        """Number of outputs."""
        return self.output_layer.size

    def project(
        self, unit: Layer | Network, type: ConnectionType | None = None, weights: float | None = None
    ) -> LayerConnection | None:
        """Project this network's output layer onto a layer or another network's input layer."""
        self.sync()
        self._structure_changed()
        return self.output_layer.project(unit, type, weights)

    def gate(self, connection: LayerConnection, type: GateType) -> None:
        """Gate a layer connection with this network's output layer."""
        self.sync()
        self._structure_changed()
        self.output_layer.gate(connection, type)

    def _structure_changed(self) -> None:
        """What Synaptic's recompilation does to the state (Q-RECOMPILE).

        Synaptic recompiles after ``clear``, ``reset``, ``project`` and ``gate``.
        The new code starts with its scratch variable at 0, and with each gated
        self-connection's gain read from the neuron object, where the compiled
        code never wrote it back: 1.
        """
        self._scratch = Scratch()
        for layer in self.layers():
            for neuron in layer.neurons:
                if neuron.selfconnection.gater is not None:
                    neuron.selfconnection.gain = 1.0

    # -- compiled engines (synjson.engine) -------------------------------------

    def compile(self, engine: str = "auto") -> Any:
        """The network compiled to a plan and run by ``engine``, as Synaptic's ``optimize()``.

        Returns a ``synjson.engine.CompiledNetwork`` (kept and reused for the same engine).
        Setting ``net.engine`` makes ``activate``/``propagate`` run through it.
        """
        compiled = self._compiled
        if compiled is None or compiled.requested != engine:
            from .engine import CompiledNetwork

            compiled = CompiledNetwork(self, engine)  # registers itself as self._compiled
        return compiled

    def sync(self) -> None:
        """Bring the neuron objects up to date after compiled runs (Synaptic's ``restore()``).

        Call it before reading or editing neurons, layers or connections directly
        while ``engine`` is not "reference"; the methods of this class do it themselves.
        """
        if self._compiled is not None:
            self._compiled.sync()

    # -- state ---------------------------------------------------------------

    def clear(self) -> None:
        """Forget the context (traces and errors); weights stay."""
        self.sync()
        for layer in self.layers():
            layer.clear()
        self._structure_changed()

    def reset(self, rng: random.Random | None = None, *, seed: int | None = None) -> None:
        """New random weights and biases, traces cleared: like a new network."""
        self.sync()
        if rng is None and seed is not None:
            rng = random.Random(seed)
        for layer in self.layers():
            layer.reset(rng)
        self._structure_changed()

    def clone(self) -> Network:
        """A copy through JSON, as Synaptic's ``clone()``: traces are not copied, and duplicate
        connections (Q-REPROJECT) merge as Synaptic's ``fromJSON`` merges them."""
        return type(self).from_json(self.to_json(), duplicates="synaptic")

    def first_non_finite(self) -> tuple[int, str] | None:
        """The first (neuron index, field) holding NaN or infinity, or None when all is finite."""
        for index, (neuron, _) in enumerate(self.neurons()):
            for field in ("state", "activation", "bias"):
                if not math.isfinite(getattr(neuron, field)):
                    return index, field
            for connection in neuron.inputs:
                if not math.isfinite(connection.weight):
                    return index, "weight"
        return None

    # -- JSON ----------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Exactly the structure Synaptic's ``Network.toJSON()`` returns (plus kept extra keys)."""
        from .format import to_json

        return to_json(self)

    @classmethod
    def from_json(
        cls, obj: Any, *, allow_nan: bool = False, limits: Any = None, duplicates: str = "refuse"
    ) -> Network:
        """Build a network from Synaptic's ``toJSON`` structure; FormatError on bad input.

        ``limits`` (:class:`synjson.Limits`) and ``duplicates`` are as for :func:`synjson.from_json`.
        """
        from .format import from_json

        return from_json(obj, allow_nan=allow_nan, cls=cls, limits=limits, duplicates=duplicates)
