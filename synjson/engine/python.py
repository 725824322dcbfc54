"""Pure-Python executor: a plan turned into straight-line Python, compiled once.

The generated code does, neuron by neuron and term by term, exactly what
``synjson.neuron`` does, in the same order of operations, so its numbers are
the reference's bit for bit. It is generated from the plan's indices only:
no text from a model file ever reaches ``compile()``.

State lives in Python lists, named by one letter in the generated code:

    A activation  S state  O old  D derivative  B bias
    R responsibility  P projected error  Q gated error     (one per neuron)
    W weight  G gain  E eligibility                        (one per connection)
    X extended traces   U[0] the scratch variable ``aux`` (Q-AUX)

:func:`emit_activate` and :func:`emit_propagate` are shared with the numpy
executor, which runs them for the layers it does not vectorise.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from typing import Any

from ..plan import Plan
from ..squash import _exp, _tanh

__all__ = ["PythonExecutor", "emit_activate", "emit_propagate", "build"]

_CHUNK = 64  # terms per generated expression: long sums are split to keep the compiler's recursion shallow
_STATE = ("A", "S", "O", "D", "B", "R", "P", "Q", "W", "G", "E", "X", "U")
_FIELDS = (
    "activation",
    "state",
    "old",
    "derivative",
    "bias",
    "responsibility",
    "projected_error",
    "gated_error",
    "weight",
    "gain",
    "eligibility",
    "xtrace",
)


def _sum(lines: list[str], indent: str, name: str, first: str, terms: Sequence[str]) -> None:
    """``name = first + t1 + t2 ...``: the same left-to-right additions as a loop of ``+=``."""
    lines.append(f"{indent}{name} = {' + '.join([first, *terms[:_CHUNK]])}")
    for start in range(_CHUNK, len(terms), _CHUNK):
        lines.append(f"{indent}{name} = {' + '.join([name, *terms[start : start + _CHUNK]])}")


def _selfconnected(plan: Plan, neuron: int) -> int:
    """The self-connection index when it counts (weight != 0), else -1."""
    index = plan.selfconn[neuron]
    return index if index >= 0 and plan.weight[index] != 0 else -1


def _self_factor(plan: Plan, index: int) -> str:
    return f"G[{index}] * W[{index}]" if plan.gater[index] >= 0 else f"W[{index}]"


def emit_activate(plan: Plan, neurons: Sequence[int], lines: list[str], indent: str = "    ") -> None:
    """Lines activating hidden or output ``neurons`` in order (the reference's ``Neuron.activate``)."""
    source, gater = plan.source, plan.gater
    for j in neurons:
        inputs = plan.inputs_of(j)
        own = _selfconnected(plan, j)
        lines.append(f"{indent}O[{j}] = S[{j}]")
        first = f"{_self_factor(plan, own)} * S[{j}] + B[{j}]" if own >= 0 else f"B[{j}]"
        terms = [f"A[{source[c]}] * W[{c}]" + (f" * G[{c}]" if gater[c] >= 0 else "") for c in inputs]
        _sum(lines, indent, "s", first, terms)
        lines.append(f"{indent}S[{j}] = s")
        code = plan.squash[j]
        # math.exp inline where it cannot overflow; squash._exp (overflow -> inf) elsewhere
        if code == 0:  # LOGISTIC
            lines.append(f"{indent}a = 1 / (1 + exp(-s)) if s > -700.0 else 1 / (1 + _exp(-s))")
            lines.append(f"{indent}d = a * (1 - a)")
        elif code == 1:  # TANH as squash._tanh; Q-AUX: the generated code leaves exp(state) in aux
            lines.append(f"{indent}if -700.0 < s < 700.0:")
            lines.append(f"{indent}    u = exp(s)")
            lines.append(f"{indent}    v = 1 / u")
            lines.append(f"{indent}    a = (u - v) / (u + v)")
            lines.append(f"{indent}    d = 1 - a * a")
            lines.append(f"{indent}else:")
            lines.append(f"{indent}    a, d = _tanh(s)")
            lines.append(f"{indent}    u = _exp(s)")
            lines.append(f"{indent}U[0] = u")
        elif code == 2:  # IDENTITY
            lines.append(f"{indent}a = s")
            lines.append(f"{indent}d = 1.0")
        elif code == 3:  # HLIM
            lines.append(f"{indent}a = 1.0 if s > 0 else 0.0")
            lines.append(f"{indent}d = 1.0")
        else:  # RELU
            lines.append(f"{indent}a = s if s > 0 else 0.0")
            lines.append(f"{indent}d = 1.0 if s > 0 else 0.0")
        lines.append(f"{indent}A[{j}] = a")
        lines.append(f"{indent}D[{j}] = d")
        for c in plan.gated_of(j):  # Q-GAIN: gains first, traces after
            lines.append(f"{indent}G[{c}] = a")
        if not inputs:
            continue
        entries = plan.neighbours_of(j)
        for entry in entries:
            terms = [f"W[{c}] * A[{source[c]}]" for c in plan.influences_of(entry)]
            if plan.nb_old[entry]:
                terms.insert(0, f"O[{plan.nb_neuron[entry]}]")
            _sum(lines, indent, f"i{entry}", terms[0] if terms else "0.0", terms[1:])
        for position, c in enumerate(inputs):
            incoming = f"G[{c}] * A[{source[c]}]" if gater[c] >= 0 else f"A[{source[c]}]"
            if own >= 0:
                lines.append(f"{indent}E[{c}] = h = {_self_factor(plan, own)} * E[{c}] + {incoming}")
            else:
                lines.append(f"{indent}E[{c}] = h = {incoming}")
            for entry in entries:
                x = plan.nb_xtrace[entry] + position
                theirs = _selfconnected(plan, plan.nb_neuron[entry])
                if theirs >= 0:
                    lines.append(f"{indent}X[{x}] = {_self_factor(plan, theirs)} * X[{x}] + d * h * i{entry}")
                else:
                    lines.append(f"{indent}X[{x}] = d * h * i{entry}")


def _projected_terms(plan: Plan, j: int) -> list[str]:
    target, gater = plan.target, plan.gater
    return [
        f"R[{target[c]}] * G[{c}] * W[{c}]" if gater[c] >= 0 else f"R[{target[c]}] * W[{c}]"
        for c in plan.projected_of(j)
    ]


def _extended_term(plan: Plan, entry: int, position: int) -> str:
    return f"R[{plan.nb_neuron[entry]}] * X[{plan.nb_xtrace[entry] + position}]"


def _influence_for_errors(plan: Plan, entry: int) -> str:
    terms = [f"W[{c}] * A[{plan.source[c]}]" for c in plan.influences_of(entry)]
    return " + ".join([f"O[{plan.nb_neuron[entry]}]" if plan.nb_old[entry] else "0.0", *terms])


def emit_propagate(plan: Plan, neurons: Sequence[int], lines: list[str], indent: str = "    ") -> None:
    """Lines propagating ``neurons`` in the given order (pass them last to first).

    Output neurons read their target from ``t`` at their position in the output layer.
    """
    output_start = plan.layers[-1][0]
    for j in neurons:
        inputs = plan.inputs_of(j)
        if j >= output_start:  # eq. 10; Q-OUTX: extended traces ignored
            lines.append(f"{indent}e = t[{j - output_start}] - A[{j}]")
            lines.append(f"{indent}R[{j}] = e")
            lines.append(f"{indent}P[{j}] = e")
            for c in inputs:
                lines.append(f"{indent}W[{c}] = W[{c}] + r * (e * E[{c}])")
            lines.append(f"{indent}B[{j}] = B[{j}] + r * e")
            continue
        projected = _projected_terms(plan, j)
        entries = list(plan.neighbours_of(j))
        gated = plan.gate_ptr[j + 1] > plan.gate_ptr[j]
        errors = [f"R[{plan.nb_neuron[entry]}] * ({_influence_for_errors(plan, entry)})" for entry in entries]
        if projected and gated:  # eq. 21-24, Q-AUX: the projected sum starts from aux
            _sum(lines, indent, "p", "U[0]", projected)
            lines.append(f"{indent}p = D[{j}] * p")
            _sum(lines, indent, "x", "0.0", errors)
            lines.append(f"{indent}g = D[{j}] * x")
            lines.append(f"{indent}e = p + g")
            lines.append(f"{indent}P[{j}] = p")
            lines.append(f"{indent}Q[{j}] = g")
            lines.append(f"{indent}R[{j}] = e")
            for position, c in enumerate(inputs):
                terms = [_extended_term(plan, entry, position) for entry in entries]
                _sum(lines, indent, "x", f"p * E[{c}]", terms)
                lines.append(f"{indent}W[{c}] = W[{c}] + r * x")
            lines.append(f"{indent}U[0] = x")
        elif projected:
            _sum(lines, indent, "e", "0.0", projected)
            lines.append(f"{indent}e = e * D[{j}]")
            lines.append(f"{indent}R[{j}] = e")
            lines.append(f"{indent}P[{j}] = e")
            lines.append(f"{indent}Q[{j}] = 0.0")
            for c in inputs:
                lines.append(f"{indent}W[{c}] = W[{c}] + r * (e * E[{c}])")
        elif gated:
            for entry in entries:
                lines.append(f"{indent}i{entry} = {_influence_for_errors(plan, entry)}")
            terms = [f"R[{plan.nb_neuron[entry]}] * i{entry}" for entry in entries]
            _sum(lines, indent, "e", "0.0", terms)
            lines.append(f"{indent}e = e * D[{j}]")
            lines.append(f"{indent}Q[{j}] = e")
            lines.append(f"{indent}R[{j}] = e")
            lines.append(f"{indent}P[{j}] = 0.0")
            for position, c in enumerate(inputs):
                terms = [_extended_term(plan, entry, position) for entry in entries]
                _sum(lines, indent, "x", "0.0", terms)
                lines.append(f"{indent}W[{c}] = W[{c}] + r * x")
            lines.append(f"{indent}U[0] = x" if inputs else f"{indent}U[0] = i{entries[-1]}")
        else:  # Q-DEADEND
            lines.append(f"{indent}e = 0.0")
            lines.append(f"{indent}R[{j}] = 0.0")
            lines.append(f"{indent}P[{j}] = 0.0")
            lines.append(f"{indent}Q[{j}] = 0.0")
        lines.append(f"{indent}B[{j}] = B[{j}] + r * e")


def build(source_lines: list[str], names: dict[str, Any], filename: str) -> dict[str, Any]:
    """Compile generated lines with ``names`` as globals and return the resulting namespace."""
    namespace: dict[str, Any] = {"__builtins__": {}, "exp": math.exp, "_exp": _exp, "_tanh": _tanh, **names}
    exec(compile("\n".join(source_lines) + "\n", filename, "exec"), namespace)
    return namespace


class PythonExecutor:
    """Run a plan with generated straight-line Python over lists; bit-identical to the reference."""

    name = "python"

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._kernel: Any = None  # the numba kernel for train_steps: None untried, False unavailable
        self.state: dict[str, list[float]] = {letter: [] for letter in _STATE}
        self.load(plan)
        first_hidden, output_stop = plan.layers[0][1], plan.layers[-1][1]
        defaults = ", ".join(f"{letter}={letter}" for letter in _STATE)
        lines = [f"def activate(x, {defaults}):"]
        for position in range(plan.inputs):  # input neurons: activation = input, bias 0
            lines.append(f"    A[{position}] = x[{position}]; D[{position}] = 0.0; B[{position}] = 0.0")
            lines.append(f"    S[{position}] = 0.0; O[{position}] = 0.0")
        emit_activate(plan, range(first_hidden, output_stop), lines)
        outputs = ", ".join(f"A[{j}]" for j in range(*plan.layers[-1]))
        lines.append(f"    return [{outputs}]")
        lines.append(f"def propagate(r, t, {defaults}):")
        emit_propagate(plan, range(output_stop - 1, first_hidden - 1, -1), lines)
        lines.append("    return None")
        namespace = build(lines, self.state, "<synjson plan>")
        self.activate = namespace["activate"]
        self.propagate = namespace["propagate"]

    def load(self, plan: Plan) -> None:
        """Take the plan's current values."""
        for letter, name in zip(_STATE, _FIELDS):
            self.state[letter][:] = getattr(plan, name).tolist()
        self.state["U"][:] = [plan.aux]

    def store(self, plan: Plan) -> None:
        """Write the current values back into the plan."""
        for letter, name in zip(_STATE, _FIELDS):
            getattr(plan, name)[:] = array("d", self.state[letter])
        plan.aux = self.state["U"][0]

    def snapshot(self) -> list[list[float]]:
        """A copy of every value (``aux`` included), for :meth:`restore`."""
        state = self.state
        return [state[letter][:] for letter in _STATE]

    def restore(self, saved: list[list[float]]) -> None:
        """Put back the values :meth:`snapshot` copied (in place: the generated code holds the lists)."""
        state = self.state
        for letter, values in zip(_STATE, saved):
            state[letter][:] = values

    def all_finite(self) -> bool:
        """True when no state, activation, bias or weight is NaN or infinite.

        A sum is finite only when every term is; a finite set can still overflow the sum, so
        False means "look closer" (``Network.first_non_finite``), never a verdict by itself.
        """
        state = self.state
        return math.isfinite(sum(state["S"]) + sum(state["A"]) + sum(state["B"]) + sum(state["W"]))

    def train_epoch(
        self, rows: Sequence[Sequence[float]], targets: Sequence[Sequence[float]], rate: float
    ) -> list[list[float]]:
        """activate + propagate each (row, target) pair in order; every row's outputs."""
        activate, propagate = self.activate, self.propagate
        outputs = []
        for row, target in zip(rows, targets):
            outputs.append(activate(row))
            propagate(rate, target)
        return outputs

    def train_steps(
        self, rows: Any, targets: Any, rate: float, epochs: int, accelerate: bool = True
    ) -> list[float]:
        """activate + propagate over every (row, target) pair, ``epochs`` times; the last outputs.

        With numba installed (and ``accelerate``) the loop runs as one compiled kernel, bit for bit the same.
        """
        if accelerate and self._kernel is None:
            from . import accel

            train = accel.kernel()
            self._kernel = (train, accel.tables(self.plan)) if train is not None else False
        if accelerate and self._kernel:
            import numpy as np

            train, tables = self._kernel
            state = self.state
            arrays = [np.array(state[letter], dtype=np.float64) for letter in _STATE]
            inputs = np.ascontiguousarray(rows, dtype=np.float64).reshape(len(rows), self.plan.inputs)
            goals = np.ascontiguousarray(targets, dtype=np.float64).reshape(len(targets), self.plan.outputs)
            train(*arrays, *tables, inputs, goals, np.zeros((0, 0)), float(rate), int(epochs))
            for letter, values in zip(_STATE, arrays):
                state[letter][:] = values.tolist()
            return state["A"][self.plan.layers[-1][0] :]
        activate, propagate = self.activate, self.propagate
        last: list[float] = []
        for _ in range(epochs):
            for row, target in zip(rows, targets):
                last = activate(row)
                propagate(rate, target)
        return last

    def activate_batch(self, rows: Sequence[Sequence[float]]) -> list[list[float]]:
        """Activate each row in turn, as a sequence."""
        activate = self.activate
        return [activate(row) for row in rows]

    def fused(
        self, rows: Sequence[Sequence[float]], targets: Sequence[Sequence[float]], steps: int
    ) -> FusedSession | None:
        """A :class:`FusedSession` training on these samples with the numba kernel, or None.

        None without numba, and when ``steps`` (rows x epochs, at most) are too few to pay for
        loading numba and the kernel (about 0.3 s) unless it is loaded already.
        """
        from . import accel

        work = steps * (self.plan.connections + self.plan.size)
        if self._kernel is None and not accel.loaded() and work < FUSE_MIN_WORK:
            return None
        if self._kernel is None:
            train = accel.kernel()
            self._kernel = (train, accel.tables(self.plan)) if train is not None else False
        if not self._kernel:
            return None
        return FusedSession(self, rows, targets)


#: steps x (connections + neurons) below which loading numba for Trainer costs more than it saves
FUSE_MIN_WORK = 5_000_000

# S, A, B, W first: the finiteness check reads one slice
_FUSED_ORDER = ("S", "A", "B", "W", "O", "D", "R", "P", "Q", "G", "E", "X", "U")


class FusedSession:
    """The python executor's values in one numpy buffer, trained an epoch per kernel call (numba).

    For ``synjson.trainer``: while a session is open its buffer holds the values and the
    executor's lists are stale; :meth:`close` writes them back (and may be called again).
    Bit for bit what ``PythonExecutor.train_epoch`` computes.
    """

    def __init__(self, executor: PythonExecutor, rows: Sequence[Sequence[float]], targets: Sequence[Sequence[float]]):
        import numpy as np

        self.executor = executor
        self.kernel, self.tables = executor._kernel
        state = executor.state
        sizes = [len(state[letter]) for letter in _FUSED_ORDER]
        self.buffer = np.empty(sum(sizes))
        self.views: dict[str, Any] = {}
        offset = 0
        for letter, size in zip(_FUSED_ORDER, sizes):
            view = self.views[letter] = self.buffer[offset : offset + size]
            view[:] = state[letter]
            offset += size
        self.checked = sum(sizes[:4])
        self.arguments = [self.views[letter] for letter in _STATE]
        self.rows = np.array(rows, dtype=np.float64).reshape(len(rows), executor.plan.inputs)
        self.targets = np.array(targets, dtype=np.float64).reshape(len(targets), executor.plan.outputs)
        self.out = np.empty((len(rows), executor.plan.outputs))
        self._isfinite = np.isfinite
        self._take = np.asarray

    def train_epoch(self, order: Sequence[int] | None, rate: float) -> list[list[float]]:
        """One epoch over the samples in ``order`` (indices; None: as given); every row's outputs."""
        if order is None:
            rows, targets, out = self.rows, self.targets, self.out
        else:
            index = self._take(order)
            rows, targets, out = self.rows[index], self.targets[index], self.out[: len(index)]
        self.kernel(*self.arguments, *self.tables, rows, targets, out, float(rate), 1)
        return out.tolist()

    def snapshot(self) -> Any:
        return self.buffer.copy()

    def restore(self, saved: Any) -> None:
        self.buffer[:] = saved

    def all_finite(self) -> bool:
        """True when no state, activation, bias or weight is NaN or infinite."""
        return bool(self._isfinite(self.buffer[: self.checked]).all())

    def close(self) -> None:
        """Write the values back into the executor's lists."""
        state = self.executor.state
        for letter, view in self.views.items():
            state[letter][:] = view.tolist()
