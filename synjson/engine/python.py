"""The pure-Python program: a plan turned into straight-line Python, compiled once.

The generated code does, neuron by neuron and term by term, exactly what the
reference (``synjson.model.neuron``) does, in the same order of operations, so
its numbers are the reference's bit for bit. It runs in place on the store's
arrays (the plan's value columns): nothing is copied in or out. It is generated
from the plan's integer tables only: no text from a model file reaches
``compile()``. This is the engine where no C compiler was available, and in
Pyodide.

Columns, named by one letter in the generated code::

    A activation  S state  O old  D derivative  B bias
    R responsibility  P projected error  Q gated error      (per neuron slot)
    W weight  G gain  E eligibility                         (per connection slot)
    X extended traces   U[0] the scratch variable ``aux`` (Q-AUX)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .arguments import as_floats, check_rate
from .facts import SQUASH_NAMES
from .squash_math import exp_or_inf, tanh_js

__all__ = ["PythonProgram", "fits", "MAX_LINES"]

_CHUNK = 64  # terms per generated expression: long sums are split to keep the compiler's recursion shallow
#: Above this many connections a neuron's sums and updates are emitted as loops over constant tables
#: instead of one line per term: compiling stays linear in neurons, not connections (a 784-256-10
#: network compiled for 27 s unrolled). The loops do the same operations in the same order.
LOOP = 16
_COLUMNS = {
    "A": "activation",
    "S": "state",
    "O": "old",
    "D": "derivative",
    "B": "bias",
    "R": "responsibility",
    "P": "projected_error",
    "Q": "gated_error",
    "W": "weight",
    "G": "gain",
    "E": "eligibility",
    "X": "xtrace",
    "U": "aux",
}
_LOGISTIC, _TANH, _IDENTITY, _HLIM, _RELU = map(SQUASH_NAMES.index, ("LOGISTIC", "TANH", "IDENTITY", "HLIM", "RELU"))


def _sum(lines: list[str], indent: str, name: str, first: str, terms: Sequence[str]) -> None:
    """``name = first + t1 + t2 ...``: the same left-to-right additions as a loop of ``+=``."""
    lines.append(f"{indent}{name} = {' + '.join([first, *terms[:_CHUNK]])}")
    for start in range(_CHUNK, len(terms), _CHUNK):
        lines.append(f"{indent}{name} = {' + '.join([name, *terms[start : start + _CHUNK]])}")


class _Emitter:
    """Writes the activate and propagate functions of one plan."""

    def __init__(self, plan: Any) -> None:
        self.plan = plan
        self.weight = plan.weight
        self.gater = plan.conn_gater
        self.source = plan.conn_from
        self.target = plan.conn_to
        self.constants: dict[str, Any] = {}

    def table(self, name: str, rows: Any) -> str:
        """A constant tuple for the generated loops; returns its name."""
        self.constants[name] = tuple(rows)
        return name

    def self_slot(self, slot: int) -> int:
        """The self-connection slot when it counts (weight != 0: a weight change recompiles), else -1."""
        return slot if slot >= 0 and self.weight[slot] != 0 else -1

    def self_factor(self, c: int) -> str:
        return f"G[{c}] * W[{c}]" if self.gater[c] >= 0 else f"W[{c}]"

    def squash(self, p: int, lines: list[str], indent: str) -> None:
        code = self.plan.squash[p]
        # math.exp inline where it cannot overflow; exp_or_inf (overflow -> inf) elsewhere
        if code == _LOGISTIC:
            lines.append(f"{indent}a = 1 / (1 + exp(-s)) if s > -700.0 else 1 / (1 + _exp(-s))")
            lines.append(f"{indent}d = a * (1 - a)")
        elif code == _TANH:  # as Synaptic's generated code; Q-AUX: it leaves exp(state) in aux
            lines.append(f"{indent}if -700.0 < s < 700.0:")
            lines.append(f"{indent}    u = exp(s)")
            lines.append(f"{indent}    v = 1 / u")
            lines.append(f"{indent}    a = (u - v) / (u + v)")
            lines.append(f"{indent}    d = 1 - a * a")
            lines.append(f"{indent}else:")
            lines.append(f"{indent}    a, d = _tanh(s)")
            lines.append(f"{indent}    u = _exp(s)")
            lines.append(f"{indent}U[0] = u")
        elif code == _IDENTITY:
            lines.append(f"{indent}a = s")
            lines.append(f"{indent}d = 1.0")
        elif code == _HLIM:
            lines.append(f"{indent}a = 1.0 if s > 0 else 0.0")
            lines.append(f"{indent}d = 1.0")
        elif code == _RELU:
            lines.append(f"{indent}a = s if s > 0 else 0.0")
            lines.append(f"{indent}d = 1.0 if s > 0 else 0.0")
        else:  # a custom squash: the user's function, called as the reference calls it
            lines.append(f"{indent}a, d = C{p}(s)")

    def activate(self, positions: Sequence[int], lines: list[str], indent: str = "    ") -> None:
        """Lines activating hidden or output ``positions`` in order (the reference's ``Neuron.activate``)."""
        plan, source, gater = self.plan, self.source, self.gater
        for p in positions:
            j = plan.order[p]
            inputs = plan.inputs_of(p)
            own = self.self_slot(plan.selfconn[p])
            looped = len(inputs) > LOOP
            lines.append(f"{indent}O[{j}] = S[{j}]")
            first = f"{self.self_factor(own)} * S[{j}] + B[{j}]" if own >= 0 else f"B[{j}]"
            if looped:  # (source slot, connection slot, gated) per input, in summation order
                table = self.table(f"IN{p}", ((source[c], c, gater[c] >= 0) for c in inputs))
                lines.append(f"{indent}s = {first}")
                lines.append(f"{indent}for f, c, g in {table}:")
                lines.append(f"{indent}    s = s + (A[f] * W[c] * G[c] if g else A[f] * W[c])")
            else:
                terms = [f"A[{source[c]}] * W[{c}]" + (f" * G[{c}]" if gater[c] >= 0 else "") for c in inputs]
                _sum(lines, indent, "s", first, terms)
            lines.append(f"{indent}S[{j}] = s")
            self.squash(p, lines, indent)
            lines.append(f"{indent}A[{j}] = a")
            lines.append(f"{indent}D[{j}] = d")
            for c in plan.gated_of(p):  # Q-GAIN: gains first, traces after
                lines.append(f"{indent}G[{c}] = a")
            if not inputs:
                continue
            entries = plan.neighbours_of(p)
            for entry in entries:
                terms = [f"W[{c}] * A[{source[c]}]" for c in plan.influences_of(entry)]
                if plan.nb_old[entry]:
                    terms.insert(0, f"O[{plan.nb_neuron[entry]}]")
                _sum(lines, indent, f"i{entry}", terms[0] if terms else "0.0", terms[1:])
            if looped:
                lines.append(f"{indent}for k, (f, c, g) in enumerate({table}):")
                inner = indent + "    "
                lines.append(f"{inner}h = G[c] * A[f] if g else A[f]")
                if own >= 0:
                    lines.append(f"{inner}h = {self.self_factor(own)} * E[c] + h")
                lines.append(f"{inner}E[c] = h")
                for entry in entries:
                    x = f"{plan.nb_xtrace[entry]} + k"
                    theirs = self.self_slot(plan.nb_self[entry])
                    if theirs >= 0:
                        lines.append(f"{inner}X[{x}] = {self.self_factor(theirs)} * X[{x}] + d * h * i{entry}")
                    else:
                        lines.append(f"{inner}X[{x}] = d * h * i{entry}")
                continue
            for position, c in enumerate(inputs):
                incoming = f"G[{c}] * A[{source[c]}]" if gater[c] >= 0 else f"A[{source[c]}]"
                if own >= 0:
                    lines.append(f"{indent}E[{c}] = h = {self.self_factor(own)} * E[{c}] + {incoming}")
                else:
                    lines.append(f"{indent}E[{c}] = h = {incoming}")
                for entry in entries:
                    x = plan.nb_xtrace[entry] + position
                    theirs = self.self_slot(plan.nb_self[entry])
                    if theirs >= 0:
                        lines.append(f"{indent}X[{x}] = {self.self_factor(theirs)} * X[{x}] + d * h * i{entry}")
                    else:
                        lines.append(f"{indent}X[{x}] = d * h * i{entry}")

    def _projected_terms(self, p: int) -> list[str]:
        target, gater = self.target, self.gater
        return [
            f"R[{target[c]}] * G[{c}] * W[{c}]" if gater[c] >= 0 else f"R[{target[c]}] * W[{c}]"
            for c in self.plan.projected_of(p)
        ]

    def _extended_term(self, entry: int, position: int) -> str:
        plan = self.plan
        return f"R[{plan.nb_neuron[entry]}] * X[{plan.nb_xtrace[entry] + position}]"

    def _influence(self, entry: int) -> str:
        plan = self.plan
        terms = [f"W[{c}] * A[{self.source[c]}]" for c in plan.influences_of(entry)]
        return " + ".join([f"O[{plan.nb_neuron[entry]}]" if plan.nb_old[entry] else "0.0", *terms])

    def propagate(self, positions: Sequence[int], lines: list[str], indent: str = "    ") -> None:
        """Lines propagating ``positions`` in the given order (pass them last to first).

        Output neurons read their target from ``t`` at their position in the output layer.
        """
        plan = self.plan
        output_start = plan.layers[-1][0]
        for p in positions:
            j = plan.order[p]
            inputs = plan.inputs_of(p)
            looped = len(inputs) > LOOP
            table = self.table(f"IC{p}", inputs) if looped else ""
            if p >= output_start:  # eq. 10; Q-OUTX: extended traces ignored
                lines.append(f"{indent}e = t[{p - output_start}] - A[{j}]")
                lines.append(f"{indent}R[{j}] = e")
                lines.append(f"{indent}P[{j}] = e")
                self._eligibility_updates(inputs, table, lines, indent)
                lines.append(f"{indent}B[{j}] = B[{j}] + r * e")
                continue
            entries = list(plan.neighbours_of(p))
            gated = plan.gate_ptr[p + 1] > plan.gate_ptr[p]
            errors = [f"R[{plan.nb_neuron[entry]}] * ({self._influence(entry)})" for entry in entries]
            has_projected = plan.out_ptr[p + 1] > plan.out_ptr[p]
            if has_projected and gated:  # eq. 21-24, Q-AUX: the projected sum starts from aux
                self._projected_sum(p, "p", "U[0]", lines, indent)
                lines.append(f"{indent}p = D[{j}] * p")
                _sum(lines, indent, "x", "0.0", errors)
                lines.append(f"{indent}g = D[{j}] * x")
                lines.append(f"{indent}e = p + g")
                lines.append(f"{indent}P[{j}] = p")
                lines.append(f"{indent}Q[{j}] = g")
                lines.append(f"{indent}R[{j}] = e")
                self._gradients(inputs, table, entries, "p * E[{c}]", lines, indent)
                lines.append(f"{indent}U[0] = x")
            elif has_projected:
                self._projected_sum(p, "e", "0.0", lines, indent)
                lines.append(f"{indent}e = e * D[{j}]")
                lines.append(f"{indent}R[{j}] = e")
                lines.append(f"{indent}P[{j}] = e")
                lines.append(f"{indent}Q[{j}] = 0.0")
                self._eligibility_updates(inputs, table, lines, indent)
            elif gated:
                for entry in entries:
                    lines.append(f"{indent}i{entry} = {self._influence(entry)}")
                terms = [f"R[{plan.nb_neuron[entry]}] * i{entry}" for entry in entries]
                _sum(lines, indent, "e", "0.0", terms)
                lines.append(f"{indent}e = e * D[{j}]")
                lines.append(f"{indent}Q[{j}] = e")
                lines.append(f"{indent}R[{j}] = e")
                lines.append(f"{indent}P[{j}] = 0.0")
                self._gradients(inputs, table, entries, "0.0", lines, indent)
                lines.append(f"{indent}U[0] = x" if inputs else f"{indent}U[0] = i{entries[-1]}")
            else:  # Q-DEADEND
                lines.append(f"{indent}e = 0.0")
                lines.append(f"{indent}R[{j}] = 0.0")
                lines.append(f"{indent}P[{j}] = 0.0")
                lines.append(f"{indent}Q[{j}] = 0.0")
            lines.append(f"{indent}B[{j}] = B[{j}] + r * e")

    def _eligibility_updates(self, inputs: Sequence[int], table: str, lines: list[str], indent: str) -> None:
        """``W += r * (e * E)`` for each incoming connection (eq. 24 without extended traces)."""
        if table:
            lines.append(f"{indent}for c in {table}:")
            lines.append(f"{indent}    W[c] = W[c] + r * (e * E[c])")
            return
        for c in inputs:
            lines.append(f"{indent}W[{c}] = W[{c}] + r * (e * E[{c}])")

    def _projected_sum(self, p: int, name: str, first: str, lines: list[str], indent: str) -> None:
        """``name = first + R[to] * (G *) W`` over the projected connections, in creation order."""
        projected = self.plan.projected_of(p)
        if len(projected) <= LOOP:
            _sum(lines, indent, name, first, self._projected_terms(p))
            return
        table = self.table(f"OUT{p}", ((self.target[c], c, self.gater[c] >= 0) for c in projected))
        lines.append(f"{indent}{name} = {first}")
        lines.append(f"{indent}for n, c, g in {table}:")
        lines.append(f"{indent}    {name} = {name} + (R[n] * G[c] * W[c] if g else R[n] * W[c])")

    def _gradients(
        self, inputs: Sequence[int], table: str, entries: list[int], first: str, lines: list[str], indent: str
    ) -> None:
        """Per input: ``x = first + sum of R[neighbour] * X[trace]``, then ``W += r * x`` (eq. 24)."""
        if table:
            lines.append(f"{indent}for k, c in enumerate({table}):")
            terms = [
                f"R[{self.plan.nb_neuron[entry]}] * X[{self.plan.nb_xtrace[entry]} + k]" for entry in entries
            ]
            _sum(lines, indent + "    ", "x", first.replace("{c}", "c"), terms)
            lines.append(f"{indent}    W[c] = W[c] + r * x")
            return
        for position, c in enumerate(inputs):
            terms = [self._extended_term(entry, position) for entry in entries]
            _sum(lines, indent, "x", first.replace("{c}", str(c)), terms)
            lines.append(f"{indent}W[{c}] = W[{c}] + r * x")


#: Above this many generated lines (estimated), compiling the program costs more time and memory than
#: it saves: ``fits`` says no, and "auto" runs the neuron-level reference instead (same numbers).
MAX_LINES = 60_000


def fits(plan: Any) -> bool:
    """Whether generating Python for ``plan`` stays within :data:`MAX_LINES` (estimated from the tables)."""
    lines = 0
    for p in range(plan.size):
        inputs = min(plan.in_ptr[p + 1] - plan.in_ptr[p], LOOP + 1)
        entries = plan.nb_ptr[p + 1] - plan.nb_ptr[p]
        lines += 10 + inputs * (3 + entries) + min(plan.out_ptr[p + 1] - plan.out_ptr[p], LOOP + 1)
        lines += plan.gate_ptr[p + 1] - plan.gate_ptr[p]
        if lines > MAX_LINES:
            return False
    return True


class PythonProgram:
    """A plan compiled to Python functions over the store's arrays; bit-identical to the reference."""

    native = False

    def __init__(self, plan: Any) -> None:
        self.plan = plan
        self.n_inputs, self.n_outputs = plan.n_inputs, plan.n_outputs
        emitter = _Emitter(plan)
        names: dict[str, Any] = {letter: getattr(plan, column) for letter, column in _COLUMNS.items()}
        for p, function in enumerate(plan.custom):
            if function is not None:
                names[f"C{p}"] = function
        first_hidden, size = plan.layers[0][1], plan.size
        lines = ["def activate(x):"]
        for p in range(first_hidden):  # input neurons: activation = input, bias 0
            j = plan.order[p]
            lines.append(f"    A[{j}] = x[{p}]; D[{j}] = 0.0; B[{j}] = 0.0; S[{j}] = 0.0; O[{j}] = 0.0")
        emitter.activate(range(first_hidden, size), lines)
        outputs = ", ".join(f"A[{plan.order[p]}]" for p in range(*plan.layers[-1]))
        lines.append(f"    return [{outputs}]")
        lines.append("def propagate(r, t):")
        emitter.propagate(range(size - 1, first_hidden - 1, -1), lines)
        lines.append("    return None")
        namespace: dict[str, Any] = {"__builtins__": {"enumerate": enumerate}, "exp": math.exp}
        namespace.update({"_exp": exp_or_inf, "_tanh": tanh_js, **names, **emitter.constants})
        #: The generated source (for reading and debugging; it holds only numbers and slot indices).
        self.source = "\n".join(lines) + "\n"
        exec(compile(self.source, "<synjson plan>", "exec"), namespace)
        self._activate = namespace["activate"]
        self._propagate = namespace["propagate"]

    def activate(self, inputs: Sequence[float]) -> list[float]:
        """Feed one input vector forward; the outputs."""
        return self._activate(as_floats(inputs, self.n_inputs, "inputs"))

    def propagate(self, rate: float, targets: Sequence[float]) -> None:
        """Back-propagate against ``targets`` at ``rate``."""
        rate = check_rate(rate)
        self._propagate(rate, as_floats(targets, self.n_outputs, "targets"))

    def step(self, inputs: list[float], rate: float, targets: list[float]) -> list[float]:
        """activate + propagate on checked lists of floats (the trainer's inner loop)."""
        outputs = self._activate(inputs)
        self._propagate(rate, targets)
        return outputs

    def run(self, inputs: list[float]) -> list[float]:
        """activate on a checked list of floats."""
        return self._activate(inputs)
