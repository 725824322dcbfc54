"""The facts every runtime shares: squash codes, cost codes and the plan's fields, in one place.

Python imports these tables. The C kernel includes ``synjson/engine/_facts.h``, which
:func:`c_header` writes from them (``setup.py`` regenerates it before compiling; the committed
copy lets a build without the generator work, and tests/unit/engine/test_facts.py fails when
it differs). The browser runtime's constants in ``web/plan.js`` are checked by the same test.

The squash names come from the lowest layer that needs them, ``synjson.document.squashes``
(``SYNAPTIC_SQUASHES``): imported as part of the package, or, when ``setup.py`` loads this module by
path before the package is built, loaded by path beside it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

__all__ = [
    "SQUASH_NAMES", "CUSTOM", "SQUASH_CODES", "PLAN_INT_TABLES", "PLAN_DOUBLE_ARRAYS", "NEURON_ARRAYS",
    "HEADER", "c_header", "COST_NAMES",
]



def _document_squashes() -> Any:
    """``synjson/document/squashes.py``, loaded by path (this module was too: it has no package)."""
    path = Path(__file__).resolve().parents[1] / "document" / "squashes.py"
    spec = importlib.util.spec_from_file_location("_synjson_document_squashes", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __package__:
    from ..document.squashes import SYNAPTIC_SQUASHES
else:  # setup.py: loaded by path, before the package is built
    SYNAPTIC_SQUASHES = _document_squashes().SYNAPTIC_SQUASHES

#: Squash codes: a built-in squash's code is its index here; ``CUSTOM`` calls the plan's ``custom[p]``.
SQUASH_NAMES: tuple[str, ...] = SYNAPTIC_SQUASHES
CUSTOM: int = len(SQUASH_NAMES)
#: How many codes a plan's ``squash`` table may hold (the built-ins and CUSTOM).
SQUASH_CODES: int = CUSTOM + 1

#: The plan's integer tables, in the order the kernel holds them (``Program.bufs``).
PLAN_INT_TABLES: tuple[str, ...] = (
    "order", "squash", "selfconn", "in_ptr", "in_conn", "out_ptr", "out_conn", "gate_ptr", "gate_conn",
    "nb_ptr", "nb_neuron", "nb_old", "nb_xtrace", "nb_self", "inf_ptr", "inf_conn", "conn_from", "conn_gater",
    "conn_to",
)
#: The plan's value columns (the store's arrays), in the kernel's order after the integer tables.
PLAN_DOUBLE_ARRAYS: tuple[str, ...] = (
    "bias", "state", "old", "activation", "derivative", "responsibility", "projected_error", "gated_error",
    "weight", "gain", "eligibility", "xtrace", "aux",
)
#: The first this many value columns have one item per neuron slot.
NEURON_ARRAYS: int = 8
#: Built-in cost codes: a cost's code is its index here (synjson/train/cost.py owns the functions; the
#: kernel's Program.train takes the code and has the arithmetic only).
COST_NAMES: tuple[str, ...] = ("MSE", "CROSS_ENTROPY", "BINARY")
#: The generated header, relative to the repository root.
HEADER = "synjson/engine/_facts.h"


def c_header() -> str:
    """The text of ``synjson/engine/_facts.h``: squash codes, buffer indices and X-macros of the plan's fields."""
    lines = [
        "/* Generated from synjson/engine/facts.py by setup.py: edit the Python table, not this file. */",
        "#ifndef SYNJSON_FACTS_H",
        "#define SYNJSON_FACTS_H",
        "",
        "/* Squash codes (facts.SQUASH_NAMES; CUSTOM calls plan.custom[p]). */",
        "enum {",
        *(f"    SQ_{name} = {code}," for code, name in enumerate(SQUASH_NAMES)),
        f"    SQ_CUSTOM = {CUSTOM},",
        f"    N_SQUASH_CODES = {SQUASH_CODES},",
        "};",
        "",
        "/* Built-in cost codes (facts.COST_NAMES): Program.train's cost argument. */",
        "enum {",
        *(f"    COST_{name} = {code}," for code, name in enumerate(COST_NAMES)),
        f"    N_COSTS = {len(COST_NAMES)},",
        "};",
        "",
        "/* Index of each plan field in Program.bufs: the integer tables, then the value columns. */",
        "enum {",
        *(f"    B_{name.upper()} = {k}," for k, name in enumerate(PLAN_INT_TABLES)),
        *(f"    B_{name.upper()} = {len(PLAN_INT_TABLES) + k}," for k, name in enumerate(PLAN_DOUBLE_ARRAYS)),
        f"    N_INT = {len(PLAN_INT_TABLES)},",
        f"    N_DOUBLE = {len(PLAN_DOUBLE_ARRAYS)},",
        f"    N_BUFS = {len(PLAN_INT_TABLES) + len(PLAN_DOUBLE_ARRAYS)},",
        f"    N_NEURON_ARRAYS = {NEURON_ARRAYS}, /* the first value columns are per neuron slot */",
        "};",
        "",
        "/* X(name): each integer table, then each value column, by the plan attribute and Tables member name. */",
        "#define PLAN_INT_TABLES(X) \\",
        *(f"    X({name}) \\" for name in PLAN_INT_TABLES),
        "",
        "#define PLAN_DOUBLE_ARRAYS(X) \\",
        *(f"    X({name}) \\" for name in PLAN_DOUBLE_ARRAYS),
        "",
        "#endif",
        "",
    ]
    return "\n".join(lines)
