"""synjson.document.jsimport: the network literal in a JavaScript file, read without running the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import synjson
from synjson import FormatError
from synjson.document.jsimport import import_js, scan

WRAPPERS = Path(__file__).resolve().parents[2] / "data" / "wrappers"
TINY = json.loads((WRAPPERS / "tiny.json").read_text())
OUTPUT = 0.9933071490757153


def _read(name: str) -> str:
    return (WRAPPERS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["net-var.js", "module-exports.js", "export-default.mjs"])
def test_import_js_files(name: str) -> None:
    doc = import_js(_read(name))
    assert doc == TINY
    assert synjson.from_json(doc).activate([1]) == [OUTPUT]


def test_json5_literal() -> None:
    # unquoted keys, single quotes, trailing commas, comments
    assert import_js(_read("module-exports.js")) == TINY


def test_bytes_and_bom() -> None:
    assert import_js(("\ufeff" + _read("net-var.js")).encode("utf-8")) == TINY


def test_no_network_literal_lists_what_it_found() -> None:
    with pytest.raises(FormatError) as raised:
        import_js(_read("no-network.js"))
    assert str(raised.value) == (
        "no network literal (an object with keys neurons and connections) in the JavaScript; found:"
        " `options` at line 3 with keys rate, iterations; `module.exports` at line 5 with keys net, options"
    )


def test_nothing_at_all() -> None:
    with pytest.raises(FormatError) as raised:
        import_js("console.log(1 / 2);")
    assert str(raised.value) == (
        "no network literal (an object with keys neurons and connections) in the JavaScript;"
        " found: no object literals with keys"
    )


def test_several_literals_are_listed_and_name_picks_one() -> None:
    with pytest.raises(FormatError) as raised:
        import_js(_read("two-networks.js"))
    assert str(raised.value) == (
        "2 network literals in the JavaScript: `encoder` at line 1 with keys neurons, connections;"
        " `decoder` at line 2 with keys neurons, connections; pass name= to pick one"
    )
    assert import_js(_read("two-networks.js"), name="decoder") == TINY
    with pytest.raises(
        FormatError, match="no network literal named `coder`; network literals found: `encoder`"
    ):
        import_js(_read("two-networks.js"), name="coder")


def test_computed_literal_is_not_run() -> None:
    with pytest.raises(FormatError) as raised:
        import_js(_read("computed.js"))
    assert str(raised.value).startswith(
        "`net` at line 1 with keys neurons, connections is not a plain literal (JSON or JSON5),"
        " so it cannot be read without running the file: "
    )


def test_strings_comments_regexes_and_templates_are_skipped() -> None:
    source = (
        "// {neurons: [], connections: []}\n"
        "/* {neurons: [], connections: []} */\n"
        "var s = '{neurons: [], connections: []}', d = \"}{\";\n"
        "var r = /[{}]neurons/g, q = 4 / 2 / 1;\n"
        "var t = `a ${ {x: 1}.x } {neurons: [], connections: []}`;\n"
        "var net = {neurons: [], connections: []};\n"
    )
    assert import_js(source) == {"neurons": [], "connections": []}
    names = [(literal.name, literal.keys, literal.line) for literal in scan(source)]
    assert names == [("", ["x"], 5), ("net", ["neurons", "connections"], 6)]


def test_nested_literal_is_found_by_its_own_keys() -> None:
    source = "module.exports = {name: 'xor', model: {'neurons': [], \"connections\": [],}, connections: 3};"
    assert import_js(source) == {"neurons": [], "connections": []}


def test_unclosed_literal() -> None:
    with pytest.raises(FormatError, match="no network literal"):
        import_js("var net = {neurons: [], connections: [")


# -- synjson import -------------------------------------------------------------------------


def test_cli_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from synjson.cli.main import main

    out = tmp_path / "model.json"
    assert main(["import", str(WRAPPERS / "module-exports.js"), "-o", str(out)]) == 0
    assert out.read_text() == synjson.dumps(synjson.from_json(TINY))
    assert main(["import", str(WRAPPERS / "two-networks.js"), "--name", "encoder"]) == 0
    assert capsys.readouterr().out == synjson.dumps(synjson.from_json(TINY)) + "\n"


def test_cli_import_errors(capsys: pytest.CaptureFixture[str]) -> None:
    from synjson.cli.main import main

    assert main(["import", str(WRAPPERS / "two-networks.js")]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"synjson: error: {WRAPPERS / 'two-networks.js'}: 2 network literals in the JavaScript:"
        " `encoder` at line 1 with keys neurons, connections; `decoder` at line 2 with keys neurons, connections;"
        " pass --name to pick one\n"
    )


def test_cli_import_in_a_subprocess() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "synjson", "import", "-"],
        input=_read("export-default.mjs"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(synjson.dumps(synjson.from_json(TINY)))
