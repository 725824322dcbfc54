"""Network: layers wired into a model that activates and learns as Synaptic's does.

``activate`` runs the input layer, the hidden layers in order, then the output
layer; ``propagate`` runs the output layer, then the hidden layers in reverse,
each layer's neurons in reverse, so a neuron's incoming weights are already
updated when the neurons upstream compute their error. No I/O here: reading and
writing JSON lives in ``synjson.format``.
"""

from __future__ import annotations

import copy
import copyreg
import math
import random
from array import array
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from ..engine import ENGINES, Core, program_for
from ..engine.arguments import as_floats, check_rate
from ..engine.batch import activate_batch
from .checkpoint import architecture_class, restore
from .codec import Description, describe, no_gc, to_json
from .diagram import network_html
from .layer import ConnectionType, GateType, Layer, LayerConnection
from .names import from_names, names, unique
from .neuron import Connection, Neuron, Scratch
from .plan import Plan, compile_plan, json_order
from .squash import Squash
from .store import shared

__all__ = ["Network"]


class _ReferenceProgram:
    """The neuron-level reference (``Neuron.activate``/``propagate``) behind the program interface.

    The oracle in tests; the slowest engine, and the most readable.
    """

    native = False

    def __init__(self, net: Network) -> None:
        self.net = net

    def activate(self, inputs: Sequence[float]) -> list[float]:
        net = self.net
        values = as_floats(inputs, net.input_layer.size, "inputs")
        scratch = net._scratch
        net.input_layer.activate(values)
        for layer in net.hidden_layers:
            layer.activate(scratch=scratch)
        return net.output_layer.activate(scratch=scratch)

    def propagate(self, rate: float, targets: Sequence[float]) -> None:
        net = self.net
        rate = check_rate(rate)
        values = as_floats(targets, net.output_layer.size, "targets")
        scratch = net._scratch
        net.output_layer.propagate(rate, values, scratch=scratch)
        for layer in reversed(net.hidden_layers):
            layer.propagate(rate, scratch=scratch)


#: Attributes a pickle leaves out: compiled tables and programs, rebuilt on the first call
#: (the pure-Python Core keeps its program in the instance dict; the C Core in its struct).
_NOT_PICKLED = frozenset({"_plan", "_program", "_version", "_bound", "_activated"})


class Network(Core):
    """A Synaptic network: an input layer, hidden layers and an output layer.

    ``activate`` and ``propagate`` run on the fastest engine available (the C
    kernel when it was built, else generated Python), bit for bit the reference's
    numbers; ``engine="reference"`` runs the neuron objects themselves. Every
    number lives in one store that the neuron, connection and layer objects read
    and write, so they are current whatever runs.
    """

    #: Architect classes by the ``type`` they record in ``metadata["architecture"]`` (see ``architecture``).
    architectures: ClassVar[dict[str, type[Network]]] = {}
    #: Set by an architect class to register itself for loading (``from_json`` gives back the class).
    architecture: ClassVar[str | None] = None

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        if cls.__dict__.get("architecture"):
            Network.architectures[cls.__dict__["architecture"]] = cls

    def __init__(
        self,
        input: Layer | None = None,
        hidden: Sequence[Layer] | None = None,
        output: Layer | None = None,
        *,
        engine: str = "auto",
    ) -> None:
        self.input_layer = input if input is not None else Layer(0)
        self.hidden_layers: list[Layer] = list(hidden or [])
        self.output_layer = output if output is not None else Layer(0)
        self.extra: dict[str, Any] = {}
        self.metadata: dict[str, Any] = {}
        self._scratch = Scratch()
        self._plan: Plan | None = None
        self.engine = engine

    def __repr__(self) -> str:
        sizes = [self.input_layer.size, *(layer.size for layer in self.hidden_layers), self.output_layer.size]
        return f"{type(self).__name__}({'-'.join(map(str, sizes))})"

    # -- pickle and copy -----------------------------------------------------

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        """Pickle (protocol 2 and later), ``copy`` and ``deepcopy`` support (docs/api.md, "Pickle and copy").

        A network is written as its attributes, its neurons as references into their
        store, and the store as its columns' bytes and its wiring as integer tables
        (:mod:`synjson.model.pickling`). It carries every neuron of its neurons' store:
        those of its layers, and any neuron outside them that one of them projects to or
        is gated by (and so on, transitively), still outside the layers in the copy. The
        copy continues exactly as the original: run state, traces, gains, the scratch
        value, names, metadata, the engine choice. The compiled program is not carried:
        the copy compiles its own on its first call.
        """
        # One store for all its neurons (as the first call makes it), so one block of ids keeps
        # their order; not a plan compile: the store's pickle reads a current plan's tables, or the lists.
        shared(neuron._store for layer in self.layers() for neuron in layer.neurons)
        state = {key: value for key, value in self.__dict__.items() if key not in _NOT_PICKLED}
        state["_activated"] = bool(self._activated)
        return copyreg.__newobj__, (type(self),), state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        activated = state.pop("_activated", False)
        self.__dict__.update(state)
        self._plan = None
        self._invalidate()
        self._activated = activated

    def run_state(self) -> tuple[bool, float]:
        """``(activated, aux)``: whether an activation has run (``propagate`` needs one); the scratch value (Q-AUX)."""
        return bool(self._activated), self._scratch.aux

    def set_run_state(self, *, activated: bool, aux: float | None = None) -> None:
        """Set what :meth:`run_state` returns: for code that runs this network's program itself (the Trainer)
        or restores a recorded run (a checkpoint), so the network then behaves as after that run."""
        self._activated = bool(activated)
        if aux is not None:
            self._scratch.aux = aux

    def adopt_plan(self, build: Callable[[list[Layer], Scratch], Plan]) -> Plan:
        """Install the plan ``build(layers, scratch)`` returns, for a loader that knows the wiring already
        (model/bulk.py) and so need not compile it; the plan must describe these layers' store as it is."""
        self._plan = plan = build(self.layers(), self._scratch)
        plan.store.tables = plan  # as plan() does: a pickle of the store reads the tables
        return plan

    def restore_checkpoint(self, state: Any, *, allow_nan: bool = False) -> None:
        """Put back the run state a lossless checkpoint recorded (``synjson.state``, written by
        ``synjson.dumps(net, state=True)``) into this network, just loaded from the same file:
        traces, gains, errors, summation orders, the scratch value and whether it has activated
        (synjson.model.checkpoint). FormatError, its path from ``synjson.state``, when it does not fit;
        nothing is changed then."""
        restore(self, state, allow_nan=allow_nan)

    def edited_since_compiled(self) -> bool:
        """Whether a structural edit came after the last compile: a program running now is stale."""
        plan = self._plan
        return plan is not None and plan.store.version[0] != plan.version

    def __copy__(self) -> Network:
        """A deep copy, as ``copy.deepcopy``: a network's neurons and numbers are its value."""
        return copy.deepcopy(self)

    def _repr_html_(self) -> str:
        """What a notebook shows: the summary ``synjson info`` prints and the exported page's
        diagram (gates, self-connections, LSTM roles), from model/diagram.py."""
        return network_html(self)

    # -- engines -------------------------------------------------------------

    @property
    def engine(self) -> str:
        """What runs ``activate``/``propagate``: "auto" (default), "native", "python" or "reference"."""
        return self._engine

    @engine.setter
    def engine(self, engine: str) -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
        self._engine = engine
        self._invalidate()

    def _invalidate(self) -> None:
        """Make the next call build a new program (whatever the store's version)."""
        stale = array("q", [0])
        self._install(None, stale)
        stale[0] = 1

    def _refresh(self) -> None:
        """Compile the tables and a program for the current structure (the Core calls it when stale)."""
        plan = self.plan()
        self._install(self.program_for(self._engine), plan.store.version)

    def program_for(self, engine: str) -> Any:
        """A program running this network on ``engine`` (the Trainer uses it for an engine override)."""
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
        if engine == "reference":
            return _ReferenceProgram(self)
        program = program_for(self.plan(), engine)
        return program if program is not None else _ReferenceProgram(self)  # too big to generate: the reference

    def plan(self) -> Plan:
        """The index tables over this network's store, compiled now if the structure changed."""
        plan = self._plan
        if plan is None or plan.store.version[0] != plan.version or plan.store._forward is not None:
            plan = self._plan = compile_plan(self.layers(), self._scratch)
            plan.store.tables = plan  # a pickle of the store reads the tables (synjson.model.pickling)
        return plan

    @property
    def program(self) -> Any:
        """The program ``activate``/``propagate`` run on now (compiled if needed)."""
        version = self._version
        if version is None or version[0] != self._bound or self._program is None:
            self._refresh()
        return self._program

    @property
    def store(self) -> Any:
        """The :class:`~synjson.model.store.Store` that owns this network's numbers."""
        return self.plan().store

    def activate_batch(self, rows: Any, *, threads: int | None = None) -> Any:
        """Activate each row of an ``(n, inputs)`` array (numpy or lists); returns ``(n, outputs)``.

        The rows are a sequence, exactly as ``activate`` called row by row (a recurrent
        network carries its state). A wrong shape raises ValueError naming it. ``threads``: at
        most this many threads (None: every processor; a small batch uses fewer), the same numbers.
        """
        result = activate_batch(self.program, rows, self.input_layer.size, self.output_layer.size, threads)
        if len(result):
            self._activated = True
        return result

    # -- named inputs and outputs (model/names.py) ---------------------------

    def input_names(self) -> list[str]:
        """The inputs' names: the model's (``metadata["inputs"]``), else "input 1", "input 2"..."""
        return names(self.metadata, "inputs", self.input_layer.size)

    def output_names(self) -> list[str]:
        """The outputs' names: the model's (``metadata["outputs"]``), else "output 1", "output 2"..."""
        return names(self.metadata, "outputs", self.output_layer.size)

    def _activate_named(self, inputs: Mapping[str, Any]) -> dict[str, float]:
        """``activate`` for a dict (Core calls it): keyed by the input names, it gives a dict
        keyed by the output names."""
        known = self.output_names()
        unique(known, "outputs")
        values = from_names(inputs, self.input_names(), "inputs", "inputs")
        return dict(zip(known, self.activate(values)))

    def _propagate_named(self, rate: float, targets: Mapping[str, Any]) -> None:
        """``propagate`` for a dict (Core calls it), keyed by the output names."""
        self.propagate(rate, from_names(targets, self.output_names(), "targets", "outputs"))

    # -- structure -----------------------------------------------------------

    def layers(self) -> list[Layer]:
        """Input layer, hidden layers, output layer."""
        return [self.input_layer, *self.hidden_layers, self.output_layer]

    def neurons(self) -> list[tuple[Neuron, str | int]]:
        """Every neuron with its layer key ("input", a hidden index, or "output"), in Synaptic's order."""
        listed: list[tuple[Neuron, str | int]] = [(n, "input") for n in self.input_layer.neurons]
        for index, layer in enumerate(self.hidden_layers):
            listed.extend((n, index) for n in layer.neurons)
        listed.extend((n, "output") for n in self.output_layer.neurons)
        return listed

    def connections(self) -> list[Connection]:
        """Every connection of its neurons in the order Synaptic's ``toJSON`` lists them: neuron by
        neuron, its projections, then its self-connection (``synjson.model.plan.json_order``)."""
        return json_order(
            (neuron.projected, neuron.selfconnection if neuron.selfconnected() else None)
            for neuron, _ in self.neurons()
        )

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
        self._structure_changed()
        return self.output_layer.project(unit, type, weights)

    def gate(self, connection: LayerConnection, type: GateType) -> None:
        """Gate a layer connection with this network's output layer."""
        self._structure_changed()
        self.output_layer.gate(connection, type)

    def _structure_changed(self) -> None:
        """What Synaptic's recompilation does to the state (Q-RECOMPILE).

        Synaptic recompiles after ``clear``, ``reset``, ``project`` and ``gate``.
        The new code starts with its scratch variable at 0, and with each gated
        self-connection's gain read from the neuron object, where the compiled
        code never wrote it back: 1.
        """
        self._scratch.aux = 0.0  # in place: the engines hold this array
        for layer in self.layers():
            for neuron in layer.neurons:
                if neuron.selfconnection.gater is not None:
                    neuron.selfconnection.gain = 1.0

    # -- state ---------------------------------------------------------------

    def clear(self) -> None:
        """Forget the context (traces and errors); weights stay."""
        for layer in self.layers():
            layer.clear()
        self._structure_changed()

    def reset(self, rng: random.Random | None = None, *, seed: int | None = None) -> None:
        """New random weights and biases, traces cleared: like a new network."""
        if rng is None and seed is not None:
            rng = random.Random(seed)
        for layer in self.layers():
            layer.reset(rng)
        self._structure_changed()

    def clone(self) -> Network:
        """A copy through JSON, as Synaptic's ``clone()``: traces are not copied, and duplicate
        connections (Q-REPROJECT) merge as Synaptic's ``fromJSON`` merges them. Custom squash
        functions are carried over. ``copy.deepcopy(net)`` is the exact copy (traces included)."""
        squashes = {neuron.squash.name: neuron.squash for neuron, _ in self.neurons()}
        return type(self).from_json(self.to_json(), duplicates="synaptic", squashes=squashes)

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
        return to_json(self)

    @classmethod
    def from_json(
        cls,
        obj: Any,
        *,
        allow_nan: bool = False,
        limits: Any = None,
        duplicates: str = "refuse",
        squashes: Mapping[str, Squash] | None = None,
        size: int | None = None,
    ) -> Network:
        """Build a network from Synaptic's ``toJSON`` structure; FormatError on bad input.

        ``limits`` (:class:`synjson.Limits`), ``duplicates`` and ``squashes`` are as for
        :func:`synjson.from_json`. ``Network.from_json`` gives back the architect class a
        file records (LSTM, Hopfield...); a subclass gets itself.
        """
        with no_gc():
            described = describe(obj, allow_nan=allow_nan, limits=limits, duplicates=duplicates, squashes=squashes,
                             size=size)
            return cls.from_description(described)

    @classmethod
    def from_description(cls, description: Description) -> Network:
        """The network a read document describes (:func:`synjson.model.codec.describe`), with its kept keys,
        metadata and checkpoint state: of this class, or for ``Network`` itself of the architect class
        the document records (LSTM, Hopfield...), made by that class's :meth:`from_layers`."""
        kind = cls
        if cls is Network:
            kind = architecture_class(description.metadata, Network.architectures) or Network
        net = kind.from_layers(description.input, description.hidden, description.output)
        net.extra = description.extra
        net.metadata = description.metadata
        if description.checkpoint:
            net.restore_checkpoint(description.state, allow_nan=description.allow_nan)
        if description.plan is not None:
            net.adopt_plan(description.plan)
        else:
            net.plan()  # compiled while loading, as Synaptic compiles on its first activate: the first run is quick
        return net

    @classmethod
    def from_layers(cls, input: Layer, hidden: Sequence[Layer], output: Layer) -> Network:
        """A network of this class around layers already built and wired (loaders use it).

        ``Network`` calls its constructor; a class whose constructor builds its own layers (the
        architect's) makes its instance around these instead.
        """
        return cls(input=input, hidden=hidden, output=output)
