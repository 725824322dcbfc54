"""NumPy executor: plain dense layers as matrix-vector products, everything else as generated Python.

A layer is *vectorised* when nothing in it needs per-neuron sequencing: no
self-connections, no gates (it gates nothing and nothing into it is gated), and
every connection into it comes from another layer in a dense (all pairs) or
diagonal (one-to-one) block. Such a layer activates as ``s = b + W @ x`` and
learns as ``W += rate * outer(r, x)``; its eligibility traces are the source
activations it saw, kept as one vector per block instead of one number per
connection. Every other layer runs the generated straight-line code of
:mod:`synjson.engine.python` over the same arrays, so the whole network keeps the
reference's semantics (Q-GAIN, Q-AUX, Q-OUTX, Q-DEADEND included).

Weight updates are the reference's elementwise operations, in the same order;
sums (``W @ x``, ``W.T @ r``) add in a different order than creation order,
so results agree with the reference to rounding (~1e-16 per step), not bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..plan import DENSE, DIAGONAL, SELF, Block, Plan
from ..squash import _exp
from .python import build, emit_activate, emit_propagate

__all__ = ["NumpyExecutor", "vectorised_layers", "vectorised_share"]

_NEURON_FIELDS = (
    ("A", "activation"),
    ("S", "state"),
    ("O", "old"),
    ("D", "derivative"),
    ("B", "bias"),
    ("R", "responsibility"),
    ("P", "projected_error"),
    ("Q", "gated_error"),
)
_CONNECTION_FIELDS = (("W", "weight"), ("G", "gain"), ("E", "eligibility"), ("X", "xtrace"))
_QUIET = {"over": "ignore", "invalid": "ignore", "divide": "ignore"}


def vectorised_layers(plan: Plan) -> list[bool]:
    """For each layer, whether the numpy executor runs it as matrix operations."""
    result = [False]  # the input layer only takes its inputs
    for number in range(1, len(plan.layers)):
        start, stop = plan.layers[number]
        plain = all(
            plan.selfconn[j] < 0 and plan.gate_ptr[j] == plan.gate_ptr[j + 1] for j in range(start, stop)
        )
        blocks = [b for b in plan.blocks if b.target == number and b.kind != SELF]
        plain = plain and all(b.kind in (DENSE, DIAGONAL) for b in blocks)
        result.append(plain)
    return result


def vectorised_share(plan: Plan) -> float:
    """The share of connections that sit in vectorised layers (the "auto" choice uses it)."""
    if not plan.connections:
        return 0.0
    plain = vectorised_layers(plan)
    count = sum(b.stop - b.start for b in plan.blocks if b.kind != SELF and plain[b.target])
    return count / plan.connections


def _squash(codes: np.ndarray | int, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Activation and derivative for states ``s`` with squash ``codes`` (one code, or one per element)."""
    if isinstance(codes, (int, np.integer)):
        return _squash_one(int(codes), s)
    a, d = np.empty_like(s), np.empty_like(s)
    for code in np.unique(codes):
        mask = codes == code
        a[..., mask], d[..., mask] = _squash_one(int(code), s[..., mask])
    return a, d


def _squash_one(code: int, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if code == 0:  # LOGISTIC: 1 / (1 + e^-s), a(1 - a)
        a = np.exp(-s)
        a += 1.0
        np.divide(1.0, a, out=a)
        return a, a * (1.0 - a)
    if code == 1:  # TANH as Synaptic's generated code: (e^s - e^-s) / (e^s + e^-s), NaN past |s| ~ 709.78
        positive = np.exp(s)
        negative = 1.0 / positive
        a = (positive - negative) / (positive + negative)
        a[np.isinf(positive) | np.isinf(negative)] = np.nan
        return a, 1.0 - a * a
    if code == 2:  # IDENTITY
        return s.copy(), np.ones_like(s)
    if code == 3:  # HLIM
        return np.where(s > 0, 1.0, 0.0), np.ones_like(s)
    positive = s > 0  # RELU
    return np.where(positive, s, 0.0), np.where(positive, 1.0, 0.0)


class _Layer:
    """What the executor needs to know about one vectorised layer."""

    def __init__(self, plan: Plan, number: int, incoming: list[Block], outgoing: list[Block]) -> None:
        self.number = number
        self.start, self.stop = plan.layers[number]
        codes = np.asarray(plan.squash[self.start : self.stop], dtype=np.int64)
        self.codes: np.ndarray | int = int(codes[0]) if codes.size and (codes == codes[0]).all() else codes
        tanh = [j for j in range(self.start, self.stop) if plan.squash[j] == 1]
        self.last_tanh = tanh[-1] - self.start if tanh else -1  # Q-AUX: aux = exp(state) of the last TANH
        self.incoming = incoming
        self.outgoing = outgoing
        ends = [plan.out_ptr[j + 1] - plan.out_ptr[j] for j in range(self.start, self.stop)]
        self.dead = None if all(ends) else np.asarray([count == 0 for count in ends])  # Q-DEADEND


class NumpyExecutor:
    """Run a plan with numpy: vectorised layers as matrix operations, the others as generated Python."""

    name = "numpy"

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        n, c = plan.size, plan.connections
        self.arrays: dict[str, np.ndarray] = {letter: np.zeros(n) for letter, _ in _NEURON_FIELDS}
        self.arrays.update(W=np.zeros(c), G=np.zeros(c), E=np.zeros(c), X=np.zeros(len(plan.xtrace)))
        self.U = [0.0]  # the scratch variable aux (Q-AUX)
        self.source = np.asarray(plan.source, dtype=np.int64)
        self.target = np.asarray(plan.target, dtype=np.int64)
        self.gated = np.asarray(plan.gater, dtype=np.int64) >= 0
        self.plain = vectorised_layers(plan)
        self.recurrent = plan.is_recurrent()
        self.inputs = plan.inputs
        self.snapshots: dict[int, np.ndarray] = {}  # block start -> source activations seen (the traces)
        self.pending: dict[int, np.ndarray] = {}  # block start -> loaded traces that are not one vector
        self.steps: list[tuple[Any, Any]] = []  # per layer after the input: (activate, propagate)
        self.output_start = plan.layers[-1][0]
        for number in range(1, len(plan.layers)):
            if self.plain[number]:
                incoming = [b for b in plan.blocks if b.target == number and b.kind != SELF]
                outgoing = [b for b in plan.blocks if b.source == number and b.kind != SELF]
                layer = _Layer(plan, number, incoming, outgoing)
                self.steps.append((layer, layer))
            else:
                self.steps.append(self._generated(number))
        self.load(plan)

    # -- the layers it does not vectorise --------------------------------------------------

    def _generated(self, number: int) -> tuple[Any, Any]:
        plan = self.plan
        start, stop = plan.layers[number]
        names = {**self.arrays, "U": self.U}
        defaults = ", ".join(f"{letter}={letter}" for letter in names)
        lines = [f"def activate({defaults}):"]
        emit_activate(plan, range(start, stop), lines)
        lines.append("    return None")
        lines.append(f"def propagate(r, t, {defaults}):")
        emit_propagate(plan, range(stop - 1, start - 1, -1), lines)
        lines.append("    return None")
        namespace = build(lines, names, f"<synjson plan layer {number}>")
        return namespace["activate"], namespace["propagate"]

    # -- values in and out ------------------------------------------------------------------

    def load(self, plan: Plan) -> None:
        """Take the plan's current values."""
        arrays = self.arrays
        for letter, name in (*_NEURON_FIELDS, *_CONNECTION_FIELDS):
            values = getattr(plan, name)
            arrays[letter][:] = np.frombuffer(values, dtype=np.float64) if len(values) else 0
        self.U[0] = plan.aux
        self.snapshots.clear()
        self.pending.clear()
        E = arrays["E"]
        for number, plain in enumerate(self.plain):
            if not plain:
                continue
            for block in plan.blocks:
                if block.target != number or block.kind == SELF:
                    continue
                traces = E[block.start : block.stop]
                if block.kind == DENSE:
                    traces = traces.reshape(block.rows, block.cols)
                    if block.rows and (traces == traces[0]).all():
                        self.snapshots[block.start] = traces[0].copy()
                        continue
                    if not block.rows:
                        self.snapshots[block.start] = np.zeros(block.cols)
                        continue
                self.pending[block.start] = traces.copy()

    def store(self, plan: Plan) -> None:
        """Write the current values back into the plan."""
        self._expand_traces()
        for letter, name in (*_NEURON_FIELDS, *_CONNECTION_FIELDS):
            target = getattr(plan, name)
            if len(target):
                np.frombuffer(target, dtype=np.float64)[:] = self.arrays[letter]
        plan.aux = float(self.U[0])

    def _expand_traces(self) -> None:
        E = self.arrays["E"]
        for block in self.plan.blocks:
            if block.start in self.snapshots and block.start not in self.pending:
                view = E[block.start : block.stop]
                if block.kind == DENSE:
                    view.reshape(block.rows, block.cols)[:] = self.snapshots[block.start]
                else:
                    view[:] = self.snapshots[block.start]

    # -- running ------------------------------------------------------------------------------

    def activate(self, inputs: Sequence[float]) -> list[float]:
        """One forward step, as ``Network.activate``."""
        arrays = self.arrays
        A, S, O, D, B = arrays["A"], arrays["S"], arrays["O"], arrays["D"], arrays["B"]
        k = self.inputs
        A[:k] = inputs
        D[:k] = 0.0
        B[:k] = 0.0
        S[:k] = 0.0
        O[:k] = 0.0
        with np.errstate(**_QUIET):
            for forward, _ in self.steps:
                if isinstance(forward, _Layer):
                    self._forward(forward)
                else:
                    forward()
        return A[self.output_start :].tolist()

    def _forward(self, layer: _Layer) -> None:
        arrays = self.arrays
        A, S, W = arrays["A"], arrays["S"], arrays["W"]
        start, stop = layer.start, layer.stop
        arrays["O"][start:stop] = S[start:stop]
        s = arrays["B"][start:stop].copy()
        for block in layer.incoming:
            x = A[block.col0 : block.col0 + block.cols].copy()
            self.snapshots[block.start] = x
            self.pending.pop(block.start, None)
            if block.kind == DENSE:
                s += W[block.start : block.stop].reshape(block.rows, block.cols) @ x
            else:
                local = block.row0 - start
                s[local : local + block.rows] += x * W[block.start : block.stop]
        S[start:stop] = s
        A[start:stop], arrays["D"][start:stop] = _squash(layer.codes, s)
        if layer.last_tanh >= 0:
            self.U[0] = _exp(float(s[layer.last_tanh]))

    def propagate(self, rate: float, targets: Sequence[float]) -> None:
        """One backward step, as ``Network.propagate``."""
        with np.errstate(**_QUIET):
            for _, backward in reversed(self.steps):
                if isinstance(backward, _Layer):
                    self._backward(backward, rate, targets)
                else:
                    backward(rate, targets)

    def _backward(self, layer: _Layer, rate: float, targets: Sequence[float]) -> None:
        arrays = self.arrays
        A, R, W = arrays["A"], arrays["R"], arrays["W"]
        start, stop = layer.start, layer.stop
        if start >= self.output_start:  # eq. 10
            r = np.asarray(targets, dtype=np.float64) - A[start:stop]
        else:  # eq. 21: projected error only (a vectorised layer gates nothing)
            total = np.zeros(stop - start)
            for block in layer.outgoing:
                weights = W[block.start : block.stop]
                if block.kind == DENSE:
                    rows = R[block.row0 : block.row0 + block.rows]
                    total += rows @ weights.reshape(block.rows, block.cols)
                elif block.kind == DIAGONAL:
                    local = block.col0 - start
                    total[local : local + block.rows] += R[block.row0 : block.row0 + block.rows] * weights
                else:
                    index = slice(block.start, block.stop)
                    gains = np.where(self.gated[index], arrays["G"][index], 1.0)
                    terms = R[self.target[index]] * gains * weights
                    total += np.bincount(self.source[index] - start, terms, minlength=stop - start)
            r = total * arrays["D"][start:stop]
            if layer.dead is not None:
                r[layer.dead] = 0.0
            arrays["Q"][start:stop] = 0.0
        R[start:stop] = r
        arrays["P"][start:stop] = r
        for block in layer.incoming:
            weights = W[block.start : block.stop]
            traces = self.pending.get(block.start)
            if block.kind == DENSE:
                rows = r[block.row0 - start : block.row0 - start + block.rows]
                if traces is not None:
                    step = rows[:, None] * traces
                else:
                    step = np.outer(rows, self.snapshots[block.start])
                step *= rate
                weights.reshape(block.rows, block.cols)[:] += step
            else:
                local = block.row0 - start
                seen = traces if traces is not None else self.snapshots[block.start]
                weights += rate * (r[local : local + block.rows] * seen)
        arrays["B"][start:stop] += rate * r

    def snapshot(self) -> tuple[Any, ...]:
        """A copy of every value (``aux`` and the trace vectors included), for :meth:`restore`."""
        return (
            {letter: values.copy() for letter, values in self.arrays.items()},
            self.U[0],
            {start: values.copy() for start, values in self.snapshots.items()},
            {start: values.copy() for start, values in self.pending.items()},
        )

    def restore(self, saved: tuple[Any, ...]) -> None:
        """Put back the values :meth:`snapshot` copied (in place: the generated code holds the arrays)."""
        arrays, aux, snapshots, pending = saved
        for letter, values in arrays.items():
            self.arrays[letter][:] = values
        self.U[0] = aux
        self.snapshots.clear()
        self.snapshots.update((start, values.copy()) for start, values in snapshots.items())
        self.pending.clear()
        self.pending.update((start, values.copy()) for start, values in pending.items())

    def all_finite(self) -> bool:
        """True when no state, activation, bias or weight is NaN or infinite (False: look closer)."""
        arrays = self.arrays
        return all(bool(np.isfinite(arrays[letter]).all()) for letter in ("S", "A", "B", "W"))

    def train_epoch(
        self, rows: Sequence[Sequence[float]], targets: Sequence[Sequence[float]], rate: float
    ) -> list[list[float]]:
        """activate + propagate each (row, target) pair in order; every row's outputs."""
        outputs = []
        for row, target in zip(rows, targets):
            outputs.append(self.activate(row))
            self.propagate(rate, target)
        return outputs

    def train_steps(
        self, rows: Any, targets: Any, rate: float, epochs: int, accelerate: bool = True
    ) -> list[float]:
        """activate + propagate over every (row, target) pair, ``epochs`` times; the last outputs."""
        rows = rows.tolist() if hasattr(rows, "tolist") else rows
        targets = targets.tolist() if hasattr(targets, "tolist") else targets
        last: list[float] = []
        for _ in range(epochs):
            for row, target in zip(rows, targets):
                last = self.activate(row)
                self.propagate(rate, target)
        return last

    # -- batches ------------------------------------------------------------------------------

    def activate_batch(self, rows: Any) -> Any:
        """Rows at once when no layer carries state from one step to the next, else one by one."""
        table = np.asarray(rows, dtype=np.float64)
        n = table.shape[0]
        if n == 0:
            return np.zeros((0, self.plan.outputs))
        if self.recurrent or not all(self.plain[1:]):
            return np.asarray([self.activate(row) for row in table.tolist()])
        result = np.empty((n, self.plan.outputs))
        with np.errstate(**_QUIET):
            for first in range(0, max(n - 2, 0), 16384):
                chunk = table[first : min(first + 16384, n - 2)]
                result[first : first + len(chunk)] = self._forward_rows(chunk)
        # The last two rows run as ordinary steps, leaving state, old state and traces as a sequence would.
        for index in range(max(n - 2, 0), n):
            result[index] = self.activate(table[index].tolist())
        return result

    def _forward_rows(self, rows: np.ndarray) -> np.ndarray:
        plan, W = self.plan, self.arrays["W"]
        values: dict[int, np.ndarray] = {0: rows}
        for number in range(1, len(plan.layers)):
            start, stop = plan.layers[number]
            codes = np.asarray(plan.squash[start:stop])
            # LOGISTIC layers sum with negated weights and bias, -s exactly, saving a pass before exp
            sign = -1.0 if (codes == 0).all() else 1.0
            s: np.ndarray | None = None
            for block in plan.blocks:
                if block.target != number or block.kind == SELF:
                    continue
                src0 = plan.layers[block.source][0]
                x = values[block.source][:, block.col0 - src0 : block.col0 - src0 + block.cols]
                # a fresh (aligned) copy of the weights: BLAS runs twice as fast here, and it costs little
                weights = W[block.start : block.stop] * sign
                if block.kind == DENSE:
                    product = x @ weights.reshape(block.rows, block.cols).T
                    if s is None:
                        s = product
                    else:
                        s += product
                else:
                    if s is None:
                        s = np.zeros((len(rows), stop - start))
                    local = block.row0 - start
                    s[:, local : local + block.rows] += x * weights
            if s is None:
                s = np.zeros((len(rows), stop - start))
            s += self.arrays["B"][start:stop] * sign
            if sign < 0:  # 1 / (1 + exp(-s)) in place
                np.exp(s, out=s)
                s += 1.0
                values[number] = np.divide(1.0, s, out=s)
            else:
                values[number] = _squash(int(codes[0]) if (codes == codes[0]).all() else codes, s)[0]
        return values[len(plan.layers) - 1]
