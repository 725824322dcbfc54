"""Every structure Synaptic can build runs on every engine with Synaptic's numbers (issue 22, item 1).

The cases in ``structures/<name>.json`` were written by ``node/make_structures.js`` from synaptic
1.1.4: neurons outside a network projecting into it, out of it, gating inside it or gated by it;
``net.project(Layer)``; ``net.project(other_net)``; two networks sharing a layer; edits between
calls and inside Trainer rate and schedule callbacks. ``structures.py`` runs each script with synjson.

Tolerances: every answer (outputs, neuron activations, Trainer errors, and the final snapshot of
every neuron's values, weights, gains and traces) within 1e-9 of Synaptic's; between engines `==`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synaptic_oracle
from builders import hash_seed
from structures import Runner

from synjson.engine import available_engines

pytestmark = pytest.mark.node

STRUCTURES_DIR = Path(__file__).resolve().parent / "structures"
CASES = sorted(path.stem for path in STRUCTURES_DIR.glob("*.json"))
TOL = 1e-9


def load(case: str) -> dict[str, Any]:
    return json.loads((STRUCTURES_DIR / f"{case}.json").read_text(encoding="utf-8"))


def run(case: str, engine: str) -> list[Any]:
    return Runner(hash_seed(case + "/run"), engine).run(load(case)["script"])


def max_diff(expected: Any, got: Any, path: str = "$") -> float:
    """Largest difference between two nested lists of numbers; AssertionError past TOL, naming where."""
    if isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), f"{path}: Synaptic {expected!r}, synjson {got!r}"
        return max((max_diff(e, g, f"{path}[{i}]") for i, (e, g) in enumerate(zip(expected, got))), default=0.0)
    diff = abs(expected - got)
    assert diff <= TOL, f"{path}: Synaptic {expected!r}, synjson {got!r} (diff {diff:.3e})"
    return diff


def test_cases_are_there() -> None:
    assert sorted(
        [
            "edits_between_calls", "gated_by_network", "outside_gater", "outside_into", "outside_out_of",
            "project_layer", "project_network", "shared_layer", "trainer_rate_edits", "trainer_schedule_edits",
        ]
    ) == CASES


def test_cases_are_fresh(tmp_path: Path) -> None:
    """Rerunning make_structures.js writes exactly the committed files."""
    synaptic_oracle.run_node(synaptic_oracle.NODE_DIR / "make_structures.js", [str(tmp_path)])
    for case in CASES:
        fresh = (tmp_path / f"{case}.json").read_bytes()
        assert fresh == (STRUCTURES_DIR / f"{case}.json").read_bytes(), f"{case}: rerun make_structures.js"


@pytest.mark.parametrize("case", CASES)
def test_structure_matches_synaptic(case: str, record_property: Any) -> None:
    """The reference within 1e-9 of Synaptic; every other engine == the reference."""
    expected = load(case)["synaptic"]
    reference = run(case, "reference")
    record_property("max_abs_diff", max_diff(expected, reference))
    for engine in available_engines():
        assert run(case, engine) == reference, engine


OUTSIDE_STEPS = ("nproject", "ngate", "nactivate", "npropagate", "kproject")


def _outputs(script: list[Any], answers: list[Any]) -> list[Any]:
    recording = [s for s in script if s[0] in ("activate", "nactivate", "train", "snapshot")]
    return [answer for s, answer in zip(recording, answers) if s[0] == "activate" and s[1] == 0]


@pytest.mark.parametrize(
    "case", ["outside_into", "outside_out_of", "outside_gater", "gated_by_network", "shared_layer"]
)
def test_each_case_depends_on_its_outside_structure(case: str) -> None:
    """Without the steps that wire or run the outside neurons, the network's outputs leave Synaptic's
    by more than 1e-6: each case really tests what its outside neurons do (in shared_layer, without
    the other network's steps). project_layer is not here: output neurons ignore their projections,
    so a layer they project to cannot change the network (as in Synaptic)."""
    document = load(case)
    script = document["script"]
    if case == "shared_layer":
        kept = [s for s in script if not (s[0] in ("activate", "propagate") and s[1] == 1)]
    else:
        kept = [s for s in script if s[0] not in OUTSIDE_STEPS]
    assert len(kept) < len(script)
    expected = _outputs(script, document["synaptic"])
    got = _outputs(kept, Runner(hash_seed(case + "/run"), "reference").run(kept))
    assert len(got) == len(expected)
    gap = max(abs(a - b) for e, g in zip(expected, got) for a, b in zip(e, g))
    assert gap > 1e-6, f"{case}: the outside structure changes nothing ({gap:.1e})"
