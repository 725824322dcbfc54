"""The budget (synjson.limits): derived sizes counted before building, LimitError naming the limit.

Also the option table of issue 15: ``--duplicates``, ``--select`` and ``--allow-nan`` mean the
same in every command that reads a model (``import`` included) as in Python.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import synjson
from synjson import LimitError, Limits
from synjson.cli.main import main
from synjson.document.limits import Derived, count_derived, estimate


def gated_fan(k: int) -> dict[str, object]:
    """k inputs into a gater that gates k connections into k outputs: k * k traces."""
    neurons = [{"layer": "input", "bias": 0}] * k + [{"layer": 0, "bias": 0}] + [{"layer": "output", "bias": 0}] * k
    connections = [{"from": i, "to": k, "weight": 0.1} for i in range(k)]
    connections += [{"from": i, "to": k + 1 + i, "weight": 0.1, "gater": k} for i in range(k)]
    return {"neurons": neurons, "connections": connections}


def test_count_derived_counts_traces_gates_and_searches() -> None:
    wiring = [(0, 2, None), (1, 2, None), (0, 3, 2), (1, 4, 2), (3, 3, 2)]
    assert count_derived(5, wiring) == Derived(neurons=5, connections=5, gated=3, traces=2 * 2, searches=0)
    # duplicates="synaptic": project() looks through the source's inputs and earlier projections
    assert count_derived(5, wiring, synaptic=True).searches == 1 + 1


def test_a_quadratic_gater_is_refused_before_anything_is_built() -> None:
    text = json.dumps(gated_fan(3000))  # 9 000 000 traces in 270 KB
    with pytest.raises(LimitError) as caught:
        synjson.loads(text)
    message = str(caught.value)
    assert message.startswith(f"loading this text ({len(text) / 1e6:.1f} MB; 6001 neurons, 6000 connections,")
    assert "3000 gated, 9000000 extended traces) needs about 3.7 GB of memory" in message
    assert message.endswith(
        "more than the limit of 400.0 MB (max(400 MB, 50 x its size));"
        " pass limits=synjson.Limits(max_memory=...) to raise it"
    )


def test_raising_the_named_limit_loads_it() -> None:
    document = gated_fan(150)  # 22 500 traces: cheap, but refused with a tight budget
    with pytest.raises(LimitError, match=r"more than the limit of 0\.1 s \(max_seconds\); pass limits="
                                         r"synjson\.Limits\(max_seconds=\.\.\.\) to raise it"):
        synjson.from_json(document, limits=Limits(max_seconds=0.1))
    with pytest.raises(LimitError, match=r"\(max_memory\); pass limits=synjson\.Limits\(max_memory=\.\.\.\)"):
        synjson.from_json(document, limits=Limits(max_memory=10_000_000))
    net = synjson.from_json(document, limits=Limits(max_seconds=10, max_memory=10**9))
    assert net.outputs() == 150


def test_a_dict_gets_the_budget_of_the_shortest_text_that_holds_it() -> None:
    assert Limits().time_budget(21 * 1000 + 30 * 2000) == pytest.approx(2 + 2 * 0.081)
    document = {"neurons": [{"layer": "input", "bias": 0}] * 2 + [{"layer": "output", "bias": 0}],
                "connections": [{"from": 0, "to": 2, "weight": 1}]}
    with pytest.raises(LimitError, match=r"^loading this document \(0\.0 MB; 3 neurons, 1 connections\)"):
        synjson.from_json(document, limits=Limits(max_memory=1000))
    assert synjson.from_json(document, size=10**6).outputs() == 1


def test_the_budget_fields_are_checked() -> None:
    for bad in (0, -1, math.nan, True, "1"):
        with pytest.raises(ValueError, match=r"Limits\.max_seconds must be a positive number"):
            Limits(max_seconds=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Limits\.max_memory must be a positive integer, got 1\.5"):
        Limits(max_memory=1.5)  # type: ignore[arg-type]
    assert Limits(max_seconds=0.5).time_budget(10**9) == 0.5
    assert Limits().memory_budget(1) == 400_000_000
    assert Limits().memory_budget(10**8) == 5 * 10**9


def test_a_real_model_is_well_within_the_budget() -> None:
    """784-256-10 as Synaptic writes it: 203 264 connections, about 13 MB."""
    counts = Derived(neurons=1050, connections=203_264, gated=0, traces=0)
    memory, seconds = estimate(counts, 13_300_000)
    assert memory < Limits().memory_budget(13_300_000) / 2
    assert seconds < Limits().time_budget(13_300_000) / 4


# -- one set of options for every entry point ------------------------------------------------------

NET = {
    "neurons": [{"layer": "input", "bias": 0}, {"layer": "output", "bias": 0.5}],
    "connections": [{"from": 0, "to": 1, "weight": 2, "gater": None}],
}
DUPLICATED = {**NET, "connections": NET["connections"] * 2}
NAN = {**NET, "neurons": [NET["neurons"][0], {"layer": "output", "bias": math.nan}]}
WRAPPED = {"models": [{"net": NET}]}
CASES = {  # option: (document, its value, a fragment of the error without it)
    "--duplicates": (DUPLICATED, "synaptic", "pass --duplicates synaptic"),
    "--allow-nan": (NAN, None, "pass --allow-nan"),
    "--select": (WRAPPED, "models.0.net", "pass --select models.0.net"),
}
COMMANDS = {
    "validate": lambda path: ["validate", path],
    "info": lambda path: ["info", path],
    "activate": lambda path: ["activate", path, "1"],
    "dot": lambda path: ["dot", path],
    "import": lambda path: ["import", path],
}


def write(tmp_path: Path, document: object, command: str) -> str:
    text = json.dumps(document)
    if command == "import":
        path = tmp_path / "model.js"
        path.write_text(f"module.exports = {text};\n")
    else:
        path = tmp_path / "model.json"
        path.write_text(text)
    return str(path)


@pytest.mark.parametrize("option", list(CASES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_takes_the_model_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, option: str
) -> None:
    document, value, hint = CASES[option]
    # validate checks the whole file; import finds the literal with neurons and connections by itself
    # (its --select applies inside that literal): for these two, --select is accepted and changes nothing
    needed = not (option == "--select" and command in ("validate", "import"))
    path = write(tmp_path, document if needed else NET, command)
    flags = [option] if value is None else [option, value if needed else ""]
    if needed:
        assert main(COMMANDS[command](path)) == 1
        captured = capsys.readouterr()
        assert command == "validate" or hint in captured.err, captured.err
    assert main([*COMMANDS[command](path), *flags]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("option", list(CASES))
def test_python_takes_the_same_options(tmp_path: Path, option: str) -> None:
    document, value, _ = CASES[option]
    keyword = {"--duplicates": {"duplicates": value}, "--allow-nan": {"allow_nan": True},
               "--select": {"select": value}}[option]
    text = json.dumps(document)
    with pytest.raises(synjson.FormatError):
        synjson.loads(text)
    assert synjson.loads(text, **keyword).outputs() == 1
    imported = synjson.import_js(f"var net = {text};")
    if option == "--select":
        return  # import_js finds the literal with neurons and connections itself
    with pytest.raises(synjson.FormatError):
        synjson.from_json(imported)
    assert synjson.from_json(imported, **keyword).outputs() == 1


def test_max_errors_keeps_the_first_problems_and_counts_the_rest() -> None:
    """A million problems in a 1 MB file took 1 GB to list; a screenful of them takes what it shows."""
    document = {"neurons": [{"layer": "input", "bias": 0}], "connections": [{} for _ in range(400)]}
    every = synjson.validate(document, all_errors=True)
    first = synjson.validate(document, all_errors=True, max_errors=25)
    assert [str(error) for error in first] == [str(error) for error in every[:25]]
    assert (len(first), first.total, every.total, len(every)) == (25, 1201, 1201, 1201)
    assert str(first[0]) == 'neurons: no neuron has layer "output"; a network needs at least one output'
    assert synjson.validate(NET, all_errors=True, max_errors=25) == []


def test_the_command_line_sets_every_limit(tmp_path, capsys) -> None:
    """--limit NAME=VALUE means what Limits(NAME=VALUE) means, on every command that reads a model."""
    from synjson.architect import LSTM
    from synjson.cli.main import main

    path = tmp_path / "lstm.json"
    synjson.save(LSTM(2, 3, 1, seed=1), path)
    for command in (["info", str(path)], ["activate", str(path), "1", "0"], ["validate", str(path)],
                    ["dot", str(path)], ["check", str(path), "--no-chromium"]):
        assert main([*command, "--limit", "max_neurons=5"]) == 1, command
        seen = capsys.readouterr()
        said = seen.out + seen.err  # validate reports on stdout, the others on stderr
        assert "pass --limit max_neurons=... to raise it" in said, (command, said)
        assert main([*command, "--limit", "max_neurons=500", "--limit", "max_traces=1000000"]) == 0, command
        capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["info", str(path), "--limit", "max_pixels=3"])
    assert "expected NAME=VALUE with NAME one of max_bytes" in capsys.readouterr().err
    assert main(["info", str(path), "--limit", "max_neurons=-1"]) == 1
    assert "--limit: max_neurons must be a positive integer, got -1" in capsys.readouterr().err


def test_validate_prints_a_screenful_then_counts_the_rest(tmp_path, capsys) -> None:
    from synjson.cli.main import SCREENFUL, main

    document = {"neurons": [{"layer": "input", "bias": 0}, {"layer": "output", "bias": 0}],
                "connections": [{} for _ in range(200)]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == SCREENFUL + 1
    assert lines[-1] == f"{path}: ... and 550 more problems (600 in all)"  # 3 per empty connection
