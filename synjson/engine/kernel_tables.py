"""Temporary adapter: kernel tables (docs/engine.md, "Native kernel") from today's ``plan.compile_network``.

The lead's one store replaces this module. Until then it gives the native kernel
(``synjson.engine._kernel.Program``) the tables it reads, with the identity order
(position = slot = the plan's neuron index) and the plan's own arrays as the values,
so the kernel runs in place on them; :meth:`KernelTables.write` copies them back into
the neuron objects (``Binding.write``).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..plan import Plan, compile_network
from ..squash import SQUASHES

if TYPE_CHECKING:
    from ..network import Network

__all__ = ["CUSTOM", "KernelTables", "kernel_tables"]

#: The squash code of a custom squash: the kernel calls ``custom[position](x) -> (value, derivative)``.
CUSTOM = 5
_BUILT_IN = {id(squash): code for code, squash in enumerate(SQUASHES.values())}


class KernelTables:
    """The attributes ``_kernel.Program`` reads, over one compiled plan."""

    def __init__(self, plan: Plan, squashes: list[Any], write: Callable[[Plan], None]) -> None:
        self.plan = plan
        self._write = write
        size = plan.size
        self.n_inputs, self.n_outputs = plan.inputs, plan.outputs
        self.order = array("i", range(size))
        codes = [_BUILT_IN.get(id(squash), CUSTOM) for squash in squashes]
        self.squash = array("i", codes)
        self.custom: list[Callable[[float], tuple[float, float]] | None] = [
            squash if code == CUSTOM else None for squash, code in zip(squashes, codes)
        ]
        self.selfconn = plan.selfconn
        for name in ("in_ptr", "in_conn", "out_ptr", "out_conn", "gate_ptr", "gate_conn", "nb_ptr", "nb_neuron",
                     "nb_old", "nb_xtrace", "inf_ptr", "inf_conn"):
            setattr(self, name, getattr(plan, name))
        self.nb_self = array("i", [plan.selfconn[neuron] for neuron in plan.nb_neuron])
        self.conn_from, self.conn_gater = plan.source, plan.gater
        for name in ("bias", "state", "old", "activation", "derivative", "responsibility", "projected_error",
                     "gated_error", "weight", "gain", "eligibility", "xtrace"):
            setattr(self, name, getattr(plan, name))
        self.aux = array("d", [plan.aux])

    def write(self) -> None:
        """Copy the values the kernel left in the arrays back into the neuron objects."""
        self.plan.aux = self.aux[0]
        self._write(self.plan)


def kernel_tables(net: Network) -> KernelTables:
    """Compile ``net`` (``plan.Unsupported`` when it cannot be) and return the kernel's tables over it."""
    plan, binding = compile_network(net)
    return KernelTables(plan, [neuron.squash for neuron in binding.neurons], binding.write)
