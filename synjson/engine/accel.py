"""Optional acceleration: fused training loops compiled by numba, when numba is installed.

``CompiledNetwork.train_steps`` (activate + propagate over a set, epoch after epoch) spends
most of its time in per-call overhead on small networks. With numba, the python executor
hands the whole loop to :func:`_train`: one generic kernel that walks the plan's index tables
and does, neuron by neuron and term by term, exactly what the generated code of
:mod:`synjson.engine.python` does (which is what ``synjson.neuron`` does). numba keeps IEEE
semantics here (no fast-math: no reassociation, no fused multiply-add; numpy's error model:
overflow gives infinity as ``squash._exp`` does), so results are the reference's bit for bit.
``OUT`` (``(rows, outputs)``, or ``(0, 0)`` for none) receives each row's outputs, which
``synjson.trainer`` needs for the cost. The kernel is compiled once and cached on disk by numba.
Without numba nothing changes: the python executor runs the loop itself. numba is never required.
"""

from __future__ import annotations

import math
from typing import Any

from ..plan import Plan

__all__ = ["available", "kernel", "loaded", "tables"]

_compiled: dict[str, Any] = {}  # the jitted kernel, built on first use (numba imported lazily)


def available() -> bool:
    """Whether numba can be imported."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def loaded() -> bool:
    """Whether the kernel is loaded in this process already (using it costs nothing more)."""
    return "train" in _compiled


def kernel() -> Any | None:
    """The jitted training kernel, or None without numba."""
    if "train" not in _compiled:
        if not available():
            return None
        import numba
        import numpy as np

        train = numba.njit(cache=True, fastmath=False, error_model="numpy", nogil=True)(_train)
        # Compile (or load from numba's cache) the one signature used, now rather than on first use.
        floats, ints, rows = np.zeros(1), np.zeros(1, dtype=np.int64), np.zeros((0, 1))
        train(*[floats] * 13, *[ints] * 17, np.zeros(3, dtype=np.int64), rows, rows, rows, 0.0, 0)
        _compiled["train"] = train
    return _compiled["train"]


def tables(plan: Plan) -> tuple[Any, ...]:
    """The plan's index tables as int64 arrays, in :func:`_train`'s argument order."""
    import numpy as np

    def ints(values: Any) -> Any:
        return np.asarray(values, dtype=np.int64)

    own = [c if c >= 0 and plan.weight[c] != 0 else -1 for c in plan.selfconn]  # self-connected neurons
    bounds = ints([plan.layers[0][1], plan.layers[-1][0], plan.size])
    return (
        ints(plan.squash), ints(own), ints(plan.source), ints(plan.target), ints(plan.gater),
        ints(plan.in_ptr), ints(plan.in_conn), ints(plan.out_ptr), ints(plan.out_conn),
        ints(plan.gate_ptr), ints(plan.gate_conn), ints(plan.nb_ptr), ints(plan.nb_neuron),
        ints(plan.nb_old), ints(plan.nb_xtrace), ints(plan.inf_ptr), ints(plan.inf_conn), bounds,
    )


def _train(A, S, O, D, B, R, P, Q, W, G, E, X, U,
           squash, own, source, target, gater, in_ptr, in_conn, out_ptr, out_conn, gate_ptr, gate_conn,
           nb_ptr, nb_neuron, nb_old, nb_xtrace, inf_ptr, inf_conn, bounds, IN, TG, OUT, r, epochs):
    first_hidden, output_start, size = bounds[0], bounds[1], bounds[2]
    influence = [0.0] * 0  # one value per neighbour entry (a typed list: no numpy needed in here)
    for _ in range(nb_neuron.shape[0]):
        influence.append(0.0)
    for _ in range(epochs):
        for k in range(IN.shape[0]):
            for j in range(first_hidden):  # input neurons
                A[j] = IN[k, j]
                D[j] = 0.0
                B[j] = 0.0
                S[j] = 0.0
                O[j] = 0.0
            for j in range(first_hidden, size):  # activate (python.emit_activate)
                O[j] = S[j]
                sc = own[j]
                if sc >= 0:
                    factor = G[sc] * W[sc] if gater[sc] >= 0 else W[sc]
                    s = factor * S[j] + B[j]
                else:
                    s = B[j]
                for p in range(in_ptr[j], in_ptr[j + 1]):
                    c = in_conn[p]
                    if gater[c] >= 0:
                        s = s + A[source[c]] * W[c] * G[c]
                    else:
                        s = s + A[source[c]] * W[c]
                S[j] = s
                code = squash[j]
                if code == 0:
                    a = 1 / (1 + math.exp(-s))
                    d = a * (1 - a)
                elif code == 1:
                    u = math.exp(s)
                    v = 1 / u
                    a = (u - v) / (u + v)
                    if math.isinf(u) or math.isinf(v):
                        a = math.nan
                    d = 1 - a * a
                    U[0] = u
                elif code == 2:
                    a = s
                    d = 1.0
                elif code == 3:
                    a = 1.0 if s > 0 else 0.0
                    d = 1.0
                else:
                    a = s if s > 0 else 0.0
                    d = 1.0 if s > 0 else 0.0
                A[j] = a
                D[j] = d
                for p in range(gate_ptr[j], gate_ptr[j + 1]):  # Q-GAIN
                    G[gate_conn[p]] = a
                if in_ptr[j + 1] == in_ptr[j]:
                    continue
                for e in range(nb_ptr[j], nb_ptr[j + 1]):  # influences, first-term form
                    started = nb_old[e] != 0
                    value = O[nb_neuron[e]] if started else 0.0
                    for q in range(inf_ptr[e], inf_ptr[e + 1]):
                        c = inf_conn[q]
                        term = W[c] * A[source[c]]
                        value = value + term if started else term
                        started = True
                    influence[e] = value
                for position in range(in_ptr[j + 1] - in_ptr[j]):
                    c = in_conn[in_ptr[j] + position]
                    incoming = G[c] * A[source[c]] if gater[c] >= 0 else A[source[c]]
                    if sc >= 0:
                        factor = G[sc] * W[sc] if gater[sc] >= 0 else W[sc]
                        h = factor * E[c] + incoming
                    else:
                        h = incoming
                    E[c] = h
                    for e in range(nb_ptr[j], nb_ptr[j + 1]):
                        x = nb_xtrace[e] + position
                        theirs = own[nb_neuron[e]]
                        if theirs >= 0:
                            factor = G[theirs] * W[theirs] if gater[theirs] >= 0 else W[theirs]
                            X[x] = factor * X[x] + d * h * influence[e]
                        else:
                            X[x] = d * h * influence[e]
            if OUT.shape[0] > 0:  # every row's outputs, when asked (Trainer's cost)
                for j in range(output_start, size):
                    OUT[k, j - output_start] = A[j]
            for j in range(size - 1, first_hidden - 1, -1):  # propagate (python.emit_propagate)
                if j >= output_start:  # Q-OUTX
                    e = TG[k, j - output_start] - A[j]
                    R[j] = e
                    P[j] = e
                    for p in range(in_ptr[j], in_ptr[j + 1]):
                        c = in_conn[p]
                        W[c] = W[c] + r * (e * E[c])
                    B[j] = B[j] + r * e
                    continue
                projected = out_ptr[j + 1] > out_ptr[j]
                gated = gate_ptr[j + 1] > gate_ptr[j]
                if gated:
                    for n in range(nb_ptr[j], nb_ptr[j + 1]):
                        value = O[nb_neuron[n]] if nb_old[n] != 0 else 0.0
                        for q in range(inf_ptr[n], inf_ptr[n + 1]):
                            c = inf_conn[q]
                            value = value + W[c] * A[source[c]]
                        influence[n] = value
                if projected:
                    total = U[0] if gated else 0.0  # Q-AUX
                    for p in range(out_ptr[j], out_ptr[j + 1]):
                        c = out_conn[p]
                        if gater[c] >= 0:
                            total = total + R[target[c]] * G[c] * W[c]
                        else:
                            total = total + R[target[c]] * W[c]
                if projected and gated:
                    pe = D[j] * total
                    x = 0.0
                    for n in range(nb_ptr[j], nb_ptr[j + 1]):
                        x = x + R[nb_neuron[n]] * influence[n]
                    g = D[j] * x
                    e = pe + g
                    P[j] = pe
                    Q[j] = g
                    R[j] = e
                    for position in range(in_ptr[j + 1] - in_ptr[j]):
                        c = in_conn[in_ptr[j] + position]
                        x = pe * E[c]
                        for n in range(nb_ptr[j], nb_ptr[j + 1]):
                            x = x + R[nb_neuron[n]] * X[nb_xtrace[n] + position]
                        W[c] = W[c] + r * x
                    U[0] = x
                elif projected:
                    e = total * D[j]
                    R[j] = e
                    P[j] = e
                    Q[j] = 0.0
                    for p in range(in_ptr[j], in_ptr[j + 1]):
                        c = in_conn[p]
                        W[c] = W[c] + r * (e * E[c])
                elif gated:
                    e = 0.0
                    for n in range(nb_ptr[j], nb_ptr[j + 1]):
                        e = e + R[nb_neuron[n]] * influence[n]
                    e = e * D[j]
                    Q[j] = e
                    R[j] = e
                    P[j] = 0.0
                    x = influence[nb_ptr[j + 1] - 1]
                    for position in range(in_ptr[j + 1] - in_ptr[j]):
                        c = in_conn[in_ptr[j] + position]
                        x = 0.0
                        for n in range(nb_ptr[j], nb_ptr[j + 1]):
                            x = x + R[nb_neuron[n]] * X[nb_xtrace[n] + position]
                        W[c] = W[c] + r * x
                    U[0] = x
                else:  # Q-DEADEND
                    e = 0.0
                    R[j] = 0.0
                    P[j] = 0.0
                    Q[j] = 0.0
                B[j] = B[j] + r * e
    return 0
