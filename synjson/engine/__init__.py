"""Executors for a :class:`~synjson.plan.Plan`, and the compiled view of a network that uses them.

``net.compile(engine)`` returns a :class:`CompiledNetwork`: it compiles the
network's neurons into a plan, runs the plan with one executor, and keeps the
neuron objects the source of truth whenever they are read. Executors:

* ``"python"``: generated straight-line Python, bit-identical to the reference, no numpy needed;
* ``"numpy"``: matrix-vector products for plain dense layers, the generated Python for the rest;
* ``"auto"``: numpy for networks with enough work in plain dense layers, else python;
* ``"reference"``: the neuron objects themselves (also the fallback for structures a plan cannot hold).

Nothing here imports numpy until the numpy executor is chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import StateError
from ..network import _as_floats, _check_rate
from ..neuron import Neuron
from ..plan import Binding, Plan, Unsupported, compile_network, signature

if TYPE_CHECKING:
    from ..network import Network

__all__ = ["ENGINES", "CompiledNetwork", "choose", "numpy_available"]

ENGINES = ("reference", "auto", "python", "numpy")

#: Below this many connections the per-call cost of numpy outweighs its speed ("auto").
AUTO_NUMPY_MIN_CONNECTIONS = 2_000


def numpy_available() -> bool:
    """Whether numpy can be imported (it cannot in a bare Pyodide)."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def choose(plan: Plan, engine: str) -> str:
    """The executor name ``engine`` resolves to for ``plan``."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
    if engine != "auto":
        return engine
    if plan.connections < AUTO_NUMPY_MIN_CONNECTIONS or not numpy_available():
        return "python"
    from .numpy import vectorised_share

    return "numpy" if vectorised_share(plan) >= 0.5 else "python"


def _make_executor(plan: Plan, name: str) -> Any:
    if name == "python":
        from .python import PythonExecutor

        return PythonExecutor(plan)
    from .numpy import NumpyExecutor

    return NumpyExecutor(plan)


class CompiledNetwork:
    """A network compiled to a plan and run by one executor.

    The executor's arrays hold the truth while it runs; :meth:`sync` writes
    them back into the neuron objects (Synaptic's ``restore()``), and the next
    call reads the objects again, so edits made in between are picked up.
    ``Network`` calls :meth:`sync` before ``to_json``, ``clone``, ``clear``,
    ``reset``, ``neurons()``, ``project`` and ``gate``; code that reads or
    edits neuron objects directly should call ``net.sync()`` first.
    A structural change (``project``/``gate`` anywhere, or a changed
    signature at reload) recompiles.
    """

    def __init__(self, net: Network, engine: str = "auto") -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
        previous = net._compiled
        if previous is not None:
            previous.sync()  # one compiled view per network: it owns the values while it runs
        net._compiled = self
        self.net = net
        self.requested = engine
        self.plan: Plan | None = None
        self._binding: Binding | None = None
        self._executor: Any = None
        self._live = False  # True while the executor's values are newer than the objects'
        self._version = -1
        self._signature: tuple[Any, ...] = ()
        self._build()

    # -- compiling -------------------------------------------------------------

    @property
    def executor(self) -> str:
        """The executor in use: "python", "numpy" or "reference"."""
        return "reference" if self._executor is None else self._executor.name

    def _build(self) -> None:
        self._version = Neuron.structure_version
        self._signature = signature(self.net)
        self.plan = self._binding = self._executor = None
        if self.requested == "reference":
            return
        try:
            plan, binding = compile_network(self.net)
        except Unsupported:
            return  # the reference runs it, with the same results
        name = choose(plan, self.requested)
        if name == "reference":
            return
        self.plan, self._binding = plan, binding
        self._executor = _make_executor(plan, name)

    def _acquire(self) -> None:
        """Make the executor's values current before running it."""
        if self.net._compiled is not self:  # another compiled view ran since: take the values back
            self.net._compiled.sync()
            self.net._compiled = self
        if Neuron.structure_version != self._version:
            self.sync()
            self._version = Neuron.structure_version
            if signature(self.net) != self._signature:
                self._build()
                self._live = self._executor is not None
                return
        if not self._live and self._executor is not None:
            if signature(self.net) != self._signature:
                self._build()
            else:
                assert self._binding is not None and self.plan is not None
                self._binding.read(self.plan)
                self._executor.load(self.plan)
            self._live = self._executor is not None

    def sync(self) -> None:
        """Write the executor's values back into the neuron objects (no-op when they are current)."""
        if self._live:
            assert self._binding is not None and self.plan is not None
            self._executor.store(self.plan)
            self._binding.write(self.plan)
            self._live = False

    # -- running ---------------------------------------------------------------

    def activate(self, inputs: Sequence[float]) -> list[float]:
        """Same as ``Network.activate`` with the reference engine."""
        net = self.net
        values = _as_floats(inputs, net.input_layer.size, "inputs")
        if not self._live or Neuron.structure_version != self._version:
            self._acquire()
        if self._executor is None:
            return net._activate_reference(values)
        net._activated = True
        return self._executor.activate(values)

    def propagate(self, rate: float, targets: Sequence[float]) -> None:
        """Same as ``Network.propagate`` with the reference engine (and the same errors)."""
        net = self.net
        rate = _check_rate(rate)
        if not net._activated:
            raise StateError("propagate() needs a prior activate(): there is no activation to learn from")
        values = _as_floats(targets, net.output_layer.size, "targets")
        if not self._live or Neuron.structure_version != self._version:
            self._acquire()
        if self._executor is None:
            net._propagate_reference(rate, values)
        else:
            self._executor.propagate(rate, values)

    def train_steps(
        self, inputs: Any, targets: Any, rate: float, epochs: int = 1, *, accelerate: bool = True
    ) -> list[float]:
        """``activate(x); propagate(rate, y)`` for each pair, ``epochs`` times over; the last outputs.

        The same numbers as that loop, without its per-call cost: with numba installed the python
        executor runs it as one compiled kernel (``accelerate=False`` turns that off).
        """
        net = self.net
        rate = _check_rate(rate)
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
            raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
        rows = _as_rows(inputs, net.input_layer.size)
        goals = _as_rows(targets, net.output_layer.size)
        if len(rows) != len(goals):
            raise ValueError(f"{len(rows)} input rows but {len(goals)} target rows")
        if not len(rows) or not epochs:
            return []
        self._acquire()
        net._activated = True
        if self._executor is None:
            last: list[float] = []
            for _ in range(epochs):
                for row, goal in zip(rows, goals):
                    last = net._activate_reference(_row(row))
                    net._propagate_reference(rate, _row(goal))
            return last
        result = self._executor.train_steps(rows, goals, rate, epochs, accelerate)
        self._live = True
        return result

    # -- training support (synjson.trainer) -----------------------------------------

    def snapshot(self) -> Any:
        """A copy of the executor's values, the scratch ``aux`` and the activated flag, for :meth:`restore`.

        Cheap: it copies the executor's own arrays, not the neuron objects. None when the
        reference runs this network (no executor): the caller must save the objects instead.
        """
        if not self._live or Neuron.structure_version != self._version:
            self._acquire()
        if self._executor is None:
            return None
        return (self._executor, self.net._activated, self._executor.snapshot())

    def restore(self, snapshot: Any) -> None:
        """Put the values :meth:`snapshot` took back, as if nothing had run since.

        The executor's values become the current ones (the objects are stale until the next
        :meth:`sync`). A snapshot from another executor or structure raises StateError.
        """
        executor, activated, saved = snapshot
        if self.net._compiled is not self or Neuron.structure_version != self._version:
            self._acquire()  # another view ran, or a structure changed: a new structure rebuilds the executor
        if executor is None or executor is not self._executor:
            raise StateError("this snapshot belongs to another compiled network or structure")
        executor.restore(saved)
        self.net._activated = activated
        self._live = True

    def all_finite(self) -> bool:
        """False when a state, activation, bias or weight may be NaN or infinite.

        A quick check on the executor's arrays; False can also mean an overflowing sum of
        finite values, so confirm with ``net.first_non_finite()`` (which syncs).
        """
        if self._executor is None or not self._live:
            return self.net.first_non_finite() is None
        return bool(self._executor.all_finite())

    def train_epoch(self, rows: Sequence[list[float]], goals: Sequence[list[float]], rate: float) -> list[list[float]]:
        """``activate(x); propagate(rate, y)`` for each pair in order; every row's outputs.

        For checked float lists (``synjson.trainer.as_samples``): no per-row argument checks.
        The same numbers as the per-call loop.
        """
        net = self.net
        rate = _check_rate(rate)
        if not self._live or Neuron.structure_version != self._version:
            self._acquire()
        net._activated = net._activated or len(rows) > 0
        if self._executor is None:
            outputs = []
            for row, goal in zip(rows, goals):
                outputs.append(net._activate_reference(row))
                net._propagate_reference(rate, goal)
            return outputs
        return self._executor.train_epoch(rows, goals, rate)

    def fused(self, rows: Sequence[list[float]], goals: Sequence[list[float]], steps: int) -> Any:
        """A fused training session on these samples (``synjson.engine.python.FusedSession``), or None.

        Only the python executor with numba installed has one, and only for enough ``steps``
        (rows x epochs, at most) or once the kernel is loaded. While it is open its buffer holds
        the values: nothing else may run the network until ``close()``.
        """
        if not self._live or Neuron.structure_version != self._version:
            self._acquire()
        fused = getattr(self._executor, "fused", None)
        return None if fused is None else fused(rows, goals, steps)

    def activate_rows(self, rows: Sequence[list[float]]) -> list[list[float]]:
        """``activate(x)`` for each row in order (checked float lists); every row's outputs."""
        net = self.net
        if not self._live or Neuron.structure_version != self._version:
            self._acquire()
        net._activated = net._activated or len(rows) > 0
        if self._executor is None:
            return [net._activate_reference(row) for row in rows]
        activate = self._executor.activate
        return [activate(row) for row in rows]

    def activate_batch(self, rows: Any) -> Any:
        """Activate each row of an ``(n, inputs)`` array; returns ``(n, outputs)``.

        Rows are independent when the network has no recurrent state (no self-connections,
        gates or backward connections) and are then computed together; otherwise they are
        a sequence, exactly as ``activate`` called row after row. The network ends in the
        state that last row leaves, either way. A numpy array comes back when numpy is
        available, else a list of lists.
        """
        net = self.net
        width = net.input_layer.size
        table = _as_rows(rows, width)
        net._activated = net._activated or len(table) > 0
        self._acquire()
        executor = self._executor
        if executor is None:
            result = [net._activate_reference(_row(row)) for row in table]
        else:
            result = executor.activate_batch(table)
        if numpy_available():
            import numpy as np

            return np.asarray(result, dtype=float).reshape(len(table), net.output_layer.size)
        return result


def _row(row: Any) -> list[float]:
    return [float(value) for value in row]


def _as_rows(rows: Any, width: int) -> Any:
    """Check the shape of a batch: a numpy array stays one, anything else becomes a list of lists."""
    expected = f"(n, {width})"
    shape = getattr(rows, "shape", None)
    if shape is not None:
        if len(shape) != 2 or shape[1] != width:
            raise ValueError(f"expected an array of shape {expected}, got shape {tuple(shape)}")
        import numpy as np

        try:
            return np.ascontiguousarray(rows, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"expected an array of numbers of shape {expected}") from None
    try:
        table = [list(row) for row in rows]
    except TypeError:
        raise ValueError(f"expected an array of shape {expected}, got {type(rows).__name__}") from None
    for index, row in enumerate(table):
        if len(row) != width:
            raise ValueError(f"expected an array of shape {expected}, got a row {index} of length {len(row)}")
        try:
            table[index] = [float(value) for value in row]
        except (TypeError, ValueError):
            raise ValueError(f"expected an array of numbers of shape {expected} (row {index})") from None
    return table
