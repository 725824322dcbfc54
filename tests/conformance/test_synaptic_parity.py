"""synjson against real Synaptic.js 1.1.4, case by case (issue 2 §6).

The cases in ``cases/<name>/`` were written by ``node/make_cases.js`` (see README.md); Python only
reads them, except where a test asks the Node oracle (``node/oracle.js``) about a network synjson
built. Every Synaptic number comes from its default, optimized mode. Tolerances:

- activation, no training: 1e-12 (the same sums in the same order give 0; a different summation
  order, as in a freshly built network against its JSON reload, gives ~1e-16);
- 200 training steps: every output and every final weight, bias and state within 1e-9;
- JSON: structure, order and numbers exact; ``synjson.dumps`` byte for byte.

``python tests/conformance/test_synaptic_parity.py`` prints the measured maximum differences per case.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# The helpers live beside this file; import them whether or not tests/conformance is a package.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synaptic_oracle
from builders import BUILDERS, Mulberry32, case_rng, hash_seed
from synaptic_oracle import CASES_DIR, NODE_DIR, OracleError, OracleUnavailable, run_oracle

import synjson
from synjson import Network
from synjson.engine import available_engines

pytestmark = pytest.mark.node

ACTIVATE_TOL = 1e-12
TRAIN_TOL = 1e-9
CASE_FILES = ("network.json", "inputs.json", "activate.json", "train.json", "tojson.json")
CASE_NAMES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())

# Synaptic's network.json of these changes on reload (toJSON(fromJSON(x)) != x).
MERGED_ON_LOAD = {
    "reproject_both_ways": "Layer.project made duplicate a->b connections; Network.fromJSON merges them",
}
# synjson refuses to load these by default (docs/quirks.md, Q-DUP): the file holds two connections
# between one pair of neurons, which Synaptic's fromJSON merges silently; duplicates="synaptic"
# loads them Synaptic's way, and that is what the parity tests compare.
LOADABLE = CASE_NAMES


def load_network(case: str) -> Network:
    """Network.from_json of the case's network.json, the Synaptic way for MERGED_ON_LOAD cases."""
    duplicates = "synaptic" if case in MERGED_ON_LOAD else "refuse"
    return Network.from_json(load(case, "network.json"), duplicates=duplicates)

# Synaptic's built object of these behaves differently from its JSON reload, so synjson's built
# twin is compared with Synaptic's built object, and synjson's reload with Synaptic's reload.
BUILT_DIFFERS_FROM_JSON = {
    **MERGED_ON_LOAD,
    "architect_liquid_2_8_2": "a connection gated twice: the JSON keeps the last gater, but the first one "
    "still sets the gain and keeps traces in the built object",
}
# Cases built to exercise an optimized-mode quirk (DESIGN.md): Synaptic's unoptimized mode must
# disagree with them, or the case no longer tests what it claims to.
QUIRK_CASES = {
    "project_and_gate": "quirk 2: a neuron that projects and gates starts its error sum from scratch",
    "output_gater": "quirk 3: output neurons ignore the extended traces of connections they gate",
    "architect_liquid_2_8_2": "quirk 7: a connection gated twice keeps one gater",
}


def load(case: str, file: str) -> Any:
    return json.loads((CASES_DIR / case / file).read_text(encoding="utf-8"))


def training_steps(train: dict[str, Any], limit: int | None = None) -> list[dict[str, Any]]:
    """oracle.js steps for the first ``limit`` training steps of a train.json."""
    pairs = list(zip(train["inputs"], train["targets"]))[:limit]
    return [{"input": x, "target": t, "rate": train["rate"]} for x, t in pairs]


# -- comparison helpers ----------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def rows_max_diff(expected: list[list[float]], got: list[list[float]], tol: float, what: str) -> float:
    """Largest |expected - got| over rows of numbers; AssertionError at the first value beyond tol."""
    assert len(got) == len(expected), f"{what}: {len(got)} rows, expected {len(expected)}"
    worst = 0.0
    for step, (want_row, got_row) in enumerate(zip(expected, got)):
        assert len(got_row) == len(want_row), (
            f"{what}: step {step}: {len(got_row)} values, not {len(want_row)}"
        )
        for index, (want, value) in enumerate(zip(want_row, got_row)):
            diff = abs(want - value)
            if not diff <= tol:  # also catches NaN
                raise AssertionError(
                    f"{what}: step {step}, output {index}: Synaptic {want!r}, synjson {value!r} "
                    f"(diff {diff:.3e} > {tol:g})"
                )
            worst = max(worst, diff)
    return worst


def json_max_diff(expected: Any, got: Any, tol: float, path: str = "$") -> float:
    """Compare two JSON documents: same structure, key order, strings and nulls; numbers within tol.

    Returns the largest numeric difference; AssertionError with the JSON path of the first mismatch.
    """
    if _is_number(expected):
        assert _is_number(got), f"{path}: Synaptic {expected!r}, synjson {got!r}"
        diff = abs(expected - got)
        if not diff <= tol:
            raise AssertionError(f"{path}: Synaptic {expected!r}, synjson {got!r} (diff {diff:.3e} > {tol})")
        return diff
    if isinstance(expected, dict):
        assert isinstance(got, dict), f"{path}: Synaptic has an object, synjson {type(got).__name__}"
        assert list(got) == list(expected), f"{path}: keys {list(got)}, Synaptic has {list(expected)}"
        return max((json_max_diff(expected[k], got[k], tol, f"{path}.{k}") for k in expected), default=0.0)
    if isinstance(expected, list):
        assert isinstance(got, list), f"{path}: Synaptic has an array, synjson {type(got).__name__}"
        assert len(got) == len(expected), f"{path}: {len(got)} items, Synaptic has {len(expected)}"
        diffs = (json_max_diff(e, g, tol, f"{path}[{i}]") for i, (e, g) in enumerate(zip(expected, got)))
        return max(diffs, default=0.0)
    assert type(got) is type(expected) and got == expected, f"{path}: Synaptic {expected!r}, synjson {got!r}"
    return 0.0


_NUMERIC_KEYS = frozenset({"bias", "weight", "state", "old", "activation"})


def topology(document: dict[str, Any]) -> dict[str, Any]:
    """A network document with every weight, bias and state replaced by 0."""

    def mask(value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: mask(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [mask(v) for v in value]
        return 0 if key in _NUMERIC_KEYS else value

    return mask(document)


def first_difference(expected: str, got: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b), min(len(expected), len(got)))
    return (
        f"first difference at character {at} (lengths {len(expected)} / {len(got)}):\n"
        f"  Synaptic: ...{expected[max(0, at - 60):at + 60]!r}\n"
        f"  synjson:  ...{got[max(0, at - 60):at + 60]!r}"
    )


# -- measurements shared by the tests and the report ------------------------------------------


def activate_all(net: Network, inputs: list[list[float]]) -> list[list[float]]:
    return [list(net.activate(x)) for x in inputs]


def measure_activate(case: str, against: str, engine: str = "auto") -> float:
    """(a) synjson's Network.from_json(network.json) over inputs.json against Synaptic's run `against`."""
    expected = load(case, "activate.json")[against]
    net = load_network(case)
    net.engine = engine
    got = activate_all(net, load(case, "inputs.json"))
    return rows_max_diff(expected, got, ACTIVATE_TOL, f"{case}: activate vs Synaptic {against}")


def measure_training(case: str, engine: str = "auto") -> tuple[float, float]:
    """(b) 200 activate+propagate steps from network.json: (max output diff, max final-JSON diff)."""
    train = load(case, "train.json")
    net = load_network(case)
    net.engine = engine
    outputs = []
    for x, target in zip(train["inputs"], train["targets"]):
        outputs.append(list(net.activate(x)))
        net.propagate(train["rate"], target)
    out_diff = rows_max_diff(train["outputs"], outputs, TRAIN_TOL, f"{case}: training output")
    final_diff = json_max_diff(train["final"], net.to_json(), TRAIN_TOL, f"{case}: final toJSON $")
    return out_diff, final_diff


# -- the case data itself ------------------------------------------------------------------------


def test_case_folders_are_complete() -> None:
    assert len(CASE_NAMES) >= 20, CASE_NAMES
    for case in CASE_NAMES:
        missing = [f for f in CASE_FILES if not (CASES_DIR / case / f).is_file()]
        assert not missing, f"{case} lacks {missing}: rerun node tests/conformance/node/make_cases.js"
    assert sorted(BUILDERS) == CASE_NAMES, "builders.py and make_cases.js must list the same cases"
    assert set(BUILT_DIFFERS_FROM_JSON) | set(QUIRK_CASES) <= set(CASE_NAMES)


def test_cases_are_fresh(tmp_path: Path) -> None:
    """Rerunning make_cases.js writes exactly the committed files (so they are reproducible and current)."""
    synaptic_oracle.run_node(NODE_DIR / "make_cases.js", [str(tmp_path)])
    fresh = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(str(p.relative_to(CASES_DIR)) for p in CASES_DIR.rglob("*") if p.is_file())
    assert fresh == committed
    stale = [f for f in fresh if (tmp_path / f).read_bytes() != (CASES_DIR / f).read_bytes()]
    assert not stale, f"stale case files (rerun node tests/conformance/node/make_cases.js): {stale}"


def test_mulberry32_matches_node() -> None:
    """builders.Mulberry32 draws the same doubles as node/common.js, so builds can match weight for weight."""
    script = "const c = require('./tests/conformance/node/common.js'); c.seed('gate_input');" \
             "console.log(JSON.stringify(Array.from({length: 1000}, () => Math.random())));"
    node = synaptic_oracle.node_executable()
    text = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True,
                          cwd=synaptic_oracle.REPO_ROOT).stdout
    rng = case_rng("gate_input")
    assert [rng.random() for _ in range(1000)] == json.loads(text)
    assert hash_seed("gate_input") == Mulberry32(hash_seed("gate_input")).getstate()[0]


# -- (a) activation ------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", available_engines())
@pytest.mark.parametrize("case", LOADABLE)
def test_activate_matches_synaptic_from_json(case: str, engine: str, record_property: Any) -> None:
    """(a) Network.from_json(network.json), activated with state carried, is Synaptic's fromJSON: 1e-12."""
    record_property("max_abs_diff", measure_activate(case, "from_json", engine))


@pytest.mark.parametrize("case", [c for c in CASE_NAMES if c not in BUILT_DIFFERS_FROM_JSON])
def test_activate_matches_synaptic_original(case: str, record_property: Any) -> None:
    """(a) The same, against the network object Synaptic built (not reloaded) within 1e-12.

    Cases in BUILT_DIFFERS_FROM_JSON are left out: Synaptic's own reload need not match its built
    object there. test_builder_activations_match_synaptic_original covers their built objects.
    """
    record_property("max_abs_diff", measure_activate(case, "original"))


# -- (b) training --------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", available_engines())
@pytest.mark.parametrize("case", LOADABLE)
def test_training_matches_synaptic(case: str, engine: str, record_property: Any) -> None:
    """(b) 200 steps of activate + propagate(rate, target): each output and the final toJSON within 1e-9."""
    out_diff, final_diff = measure_training(case, engine)
    record_property("max_output_diff", out_diff)
    record_property("max_final_diff", final_diff)


# -- (c) networks built by synjson ---------------------------------------------------------------


@pytest.mark.parametrize("case", CASE_NAMES)
def test_builder_topology_matches_synaptic(case: str) -> None:
    """(c) synjson's Layer/Network API wires the same neurons, connections and gates, in the same order.

    Weights, biases and states are masked. The builder draws from Synaptic's stream for the case
    because Liquid's topology itself is drawn.
    """
    built = BUILDERS[case](case_rng(case)).to_json()
    json_max_diff(topology(load(case, "network.json")), topology(built), 0.0, f"{case}: topology $")


@pytest.mark.parametrize("case", CASE_NAMES)
def test_builder_draws_match_synaptic(case: str) -> None:
    """(c) Fed Synaptic's random stream, synjson draws each bias and weight in Synaptic's order."""
    built = BUILDERS[case](case_rng(case)).to_json()
    json_max_diff(load(case, "network.json"), built, 0.0, f"{case}: network.json $")


@pytest.mark.parametrize("case", CASE_NAMES)
def test_builder_activations_match_synaptic_original(case: str) -> None:
    """(c) synjson's twin of the network Synaptic built (same draws) activates like Synaptic's original."""
    net = BUILDERS[case](case_rng(case))
    got = activate_all(net, load(case, "inputs.json"))
    expected = load(case, "activate.json")["original"]
    rows_max_diff(expected, got, ACTIVATE_TOL, f"{case}: built twin vs original")


@pytest.mark.parametrize("case", LOADABLE)
def test_builder_through_oracle(case: str) -> None:
    """(c) A synjson-built network (its own weights) -> to_json -> Synaptic: same activations and training.

    Runs inputs.json, then the first 50 training steps of train.json, in both. For cases in
    BUILT_DIFFERS_FROM_JSON synjson's side is reloaded from its to_json too, as Synaptic's is.
    """
    net = BUILDERS[case](Mulberry32(hash_seed(case) ^ 0x5EED5EED))
    document = net.to_json()
    if case in BUILT_DIFFERS_FROM_JSON:
        net = Network.from_json(document, duplicates="synaptic")
    inputs = load(case, "inputs.json")
    train = load(case, "train.json")
    steps = [{"input": x} for x in inputs] + training_steps(train, 50)
    answer = run_oracle({"network": document, "steps": steps})
    got = activate_all(net, inputs)
    for step in training_steps(train, 50):
        got.append(list(net.activate(step["input"])))
        net.propagate(step["rate"], step["target"])
    n = len(inputs)
    rows_max_diff(answer["outputs"][:n], got[:n], ACTIVATE_TOL, f"{case}: built net, activate")
    rows_max_diff(answer["outputs"][n:], got[n:], TRAIN_TOL, f"{case}: built net, training output")
    json_max_diff(answer["final"], net.to_json(), TRAIN_TOL, f"{case}: built net, final toJSON $")


def test_liquid_built_object_trains_like_synaptics() -> None:
    """(c) Liquid built from the same stream on both sides, ghost gaters included, trains alike.

    Uses a seed other than the case's, whose Liquid gates one connection twice: Synaptic's built
    object then trains differently from its JSON reload (4.7e-6 here), and synjson must follow
    the built object.
    """
    seed = hash_seed("architect_liquid_2_8_2") ^ 0x5EED5EED
    train = load("architect_liquid_2_8_2", "train.json")
    steps = training_steps(train)
    answer = run_oracle({"build": {"kind": "Liquid", "args": [2, 8, 2, 14, 6]}, "seed": seed, "steps": steps})
    net = BUILDERS["architect_liquid_2_8_2"](Mulberry32(seed))
    json_max_diff(answer["network"], net.to_json(), 0.0, "Liquid build $")
    got = []
    for step in steps:
        got.append(list(net.activate(step["input"])))
        net.propagate(step["rate"], step["target"])
    rows_max_diff(answer["outputs"], got, TRAIN_TOL, "Liquid built object, training output")
    json_max_diff(answer["final"], net.to_json(), TRAIN_TOL, "Liquid built object, final toJSON $")
    reloaded = run_oracle({"network": answer["network"], "steps": steps})
    gap = max(abs(a - b) for r, s in zip(reloaded["outputs"], answer["outputs"]) for a, b in zip(r, s))
    assert gap > 1e-7, f"this seed no longer makes Synaptic's built Liquid differ from its reload ({gap:.1e})"


# -- (d) JSON ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", LOADABLE)
def test_to_json_round_trip(case: str) -> None:
    """(d) to_json(from_json(network.json)) is Synaptic's toJSON(fromJSON(...)): same items, same order."""
    network = load(case, "network.json")
    synaptic = load(case, "tojson.json")
    json_max_diff(synaptic, load_network(case).to_json(), 0.0, f"{case}: toJSON(fromJSON) $")
    if case in MERGED_ON_LOAD:
        assert synaptic != network, f"{case}: Synaptic now round-trips it; drop it from MERGED_ON_LOAD"
    else:
        json_max_diff(network, synaptic, 0.0, f"{case}: Synaptic's own round trip $")


@pytest.mark.parametrize("case", LOADABLE)
def test_dumps_byte_for_byte(case: str) -> None:
    """(d) synjson.dumps(net) is JSON.stringify(net.toJSON()) exactly."""
    expected = (CASES_DIR / case / "tojson.json").read_text(encoding="utf-8")
    got = synjson.dumps(load_network(case))
    assert got == expected, f"{case}: " + first_difference(expected, got)


@pytest.mark.parametrize("case", sorted(MERGED_ON_LOAD))
def test_duplicate_connections_are_refused_on_load(case: str) -> None:
    """Q-DUP: where Synaptic's fromJSON would merge two connections silently, synjson says where."""
    with pytest.raises(synjson.FormatError) as caught:
        Network.from_json(load(case, "network.json"))
    assert caught.value.path == ("connections", 6)
    assert str(caught.value).startswith(
        "connections[6]: second connection from neuron 2 to neuron 4 (first at connections[4])"
    )
    assert str(caught.value).endswith("pass duplicates='synaptic' to load it as Synaptic does")


# -- the cases test what they claim --------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(QUIRK_CASES))
def test_quirk_case_depends_on_optimized_mode(case: str) -> None:
    """Synaptic's unoptimized mode trains these cases differently (> 1e-7), so each exercises its quirk."""
    train = load(case, "train.json")
    steps = training_steps(train)
    answer = run_oracle({"network": load(case, "network.json"), "steps": steps, "optimized": False})
    gap = max(abs(a - b) for r, s in zip(train["outputs"], answer["outputs"]) for a, b in zip(r, s))
    assert gap > 1e-7, f"{case} no longer exercises {QUIRK_CASES[case]!r} (gap {gap:.2e})"


# -- the oracle ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "kind", "args"),
    [
        ("architect_lstm_2_4_1", "LSTM", [2, 4, 1]),
        ("architect_lstm_1_3_3_1", "LSTM", [1, 3, 3, 1]),
        ("architect_liquid_2_8_2", "Liquid", [2, 8, 2, 14, 6]),
        ("architect_hopfield_4", "Hopfield", [4]),
    ],
)
def test_oracle_builds_architectures(case: str, kind: str, args: list[int]) -> None:
    """oracle.js "build" mode, seeded like make_cases.js, reproduces the committed network.json."""
    answer = run_oracle({"build": {"kind": kind, "args": args}, "seed": hash_seed(case)})
    assert answer["network"] == load(case, "network.json")


def test_oracle_builds_perceptron_and_lstm_options() -> None:
    """Architect.Perceptron has the hand-built perceptron's topology; LSTM options are applied."""
    perceptron = run_oracle({"build": {"kind": "Perceptron", "args": [2, 3, 1]}})["network"]
    assert topology(perceptron) == topology(load("perceptron_2_3_1", "network.json"))
    options = {"peepholes": "ONE_TO_ONE", "hiddenToHidden": True}
    lstm = run_oracle({"build": {"kind": "LSTM", "args": [2, 3, 1], "options": options}})["network"]
    assert topology(lstm) == topology(load("lstm_layers", "network.json"))


def test_oracle_replays_committed_training() -> None:
    """The oracle's fromJSON + steps path gives exactly the numbers make_cases.js committed."""
    train = load("gated_self_connection", "train.json")
    steps = training_steps(train)
    answer = run_oracle({"network": load("gated_self_connection", "network.json"), "steps": steps})
    assert answer["outputs"] == train["outputs"]
    assert answer["final"] == train["final"]


def test_oracle_returns_non_finite_numbers() -> None:
    """propagate without a rate gives NaN weights in Synaptic's optimized mode; the oracle keeps them NaN."""
    steps = [{"input": [1, 0], "target": [1]}, {"input": [1, 0]}]
    answer = run_oracle({"network": load("perceptron_2_3_1", "network.json"), "steps": steps})
    assert not math.isnan(answer["outputs"][0][0])
    assert math.isnan(answer["outputs"][1][0])


def test_oracle_rejects_bad_request() -> None:
    with pytest.raises(OracleError, match='request needs "network" or "build"'):
        run_oracle({"steps": []})
    with pytest.raises(OracleError, match="NaN or infinity"):
        run_oracle({"network": {}, "steps": [{"input": [math.nan]}]})


def test_oracle_without_node_fails_saying_npm_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A missing Node.js or synaptic package is a failure that says what to do, never a skip."""
    monkeypatch.setenv("SYNJSON_NODE", str(tmp_path / "no-node"))
    with pytest.raises(OracleUnavailable, match="npm ci"):
        run_oracle({"build": {"kind": "Hopfield", "args": [2]}})
    monkeypatch.delenv("SYNJSON_NODE")
    monkeypatch.setattr(synaptic_oracle, "SYNAPTIC_PACKAGE", tmp_path / "package.json")
    with pytest.raises(OracleUnavailable, match="npm ci"):
        run_oracle({"build": {"kind": "Hopfield", "args": [2]}})


# -- report --------------------------------------------------------------------------------------


def report() -> int:
    """Print the maximum differences measured per case; exit status 1 if any check fails."""
    failed = 0
    print(f"{'case':26} {'act/fromJSON':>13} {'act/original':>13} {'train out':>10} {'train final':>11}")
    for case in CASE_NAMES:
        cells = []
        for measure in (
            lambda: measure_activate(case, "from_json"),
            lambda: "n/a" if case in BUILT_DIFFERS_FROM_JSON else measure_activate(case, "original"),
            lambda: measure_training(case),
        ):
            try:
                value = measure()
                values = value if isinstance(value, tuple) else (value,)
                cells += [f"{v:.1e}" if isinstance(v, float) else v for v in values]
            except Exception as error:
                failed += 1
                cells.append("FAIL")
                print(f"  {case}: {type(error).__name__}: {str(error)[:300]}", file=sys.stderr)
        print(f"{case:26} " + " ".join(f"{c:>12}" for c in cells))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(report())
