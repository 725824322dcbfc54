"""A cold ``synjson activate``: only the command's own parser is built, and no module it does not run is imported.

``main`` builds the parser of the subcommand its arguments name (``build_parser(command)``); the
arguments must parse exactly as with every command's parser. The load path of a small model imports
neither orjson (short text goes to json: ``document.text.FAST_FROM``) nor tempfile, csv or the
``train``/``check`` command modules.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import synjson
from synjson.cli import main as cli_main
from synjson.cli.main import build_parser


def _parsed(argv: list[str], command: str | None) -> dict[str, object]:
    namespace = vars(build_parser(command).parse_args(argv))
    namespace.pop("parser")  # the subcommand's own parser object
    return namespace


ARGV = [
    ["activate", "m.json", "1", "0"],
    ["--debug", "activate", "m.json", "--clear", "--", "-1e-3", "2"],
    ["activate", "m.json", "-i", "rows.csv", "--format", "csv", "--limit", "max_depth=9"],
    ["validate", "a.json", "b.json", "-q"],
    ["info", "m.json", "--json", "--from", "synaptic"],
    ["dot", "m.json", "--neurons"],
    ["train", "--perceptron", "2", "3", "1", "-d", "xor.csv", "--rate", "0.3", "-o", "out.json"],
    ["export", "m.json", "-o", "page.html", "-t", "html"],
    ["check", "m.json", "--steps", "3"],
    ["import", "net.js", "--name", "net"],
    ["convert", "m.json", "-o", "m.onnx", "--float32"],
]


@pytest.mark.parametrize("argv", ARGV, ids=lambda argv: " ".join(argv))
def test_one_commands_parser_parses_as_all_of_them(argv: list[str]) -> None:
    command = cli_main._command_in(argv)
    assert command == next(word for word in argv if not word.startswith("-"))
    assert _parsed(argv, command) == _parsed(argv, None)


def test_every_command_is_registered_once() -> None:
    choices = next(action for action in build_parser()._actions if action.dest == "command").choices
    assert list(choices) == list(cli_main._COMMANDS)
    for name in cli_main._COMMANDS:
        only = next(action for action in build_parser(name)._actions if action.dest == "command").choices
        assert list(only) == [name]


@pytest.mark.parametrize(
    ("argv", "command"),
    [([], None), (["--version"], None), (["--help"], None), (["--debug"], None), (["actvate", "m.json"], None),
     (["--", "activate"], None), (["--debug", "info", "m"], "info")],
)
def test_anything_but_a_known_command_builds_every_parser(argv: list[str], command: str | None) -> None:
    assert cli_main._command_in(argv) == command


def test_a_mistyped_command_still_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli_main.main(["actvate", "m.json"])
    assert stop.value.code == 2
    assert "invalid choice: 'actvate' (choose from 'validate', 'info', 'dot', 'activate', 'train', 'export', " \
           "'check', 'import', 'convert')" in capsys.readouterr().err


def test_a_cold_activate_imports_only_what_it_runs(tmp_path: Path) -> None:
    model = tmp_path / "xor.json"
    model.write_text(synjson.dumps(synjson.architect.Perceptron(2, 3, 1, seed=1)))
    script = (
        "import sys\n"
        "from synjson.cli.main import main\n"
        f"status = main(['activate', {str(model)!r}, '1', '0'])\n"
        "print(sorted(name for name in sys.modules if name in {'orjson', 'tempfile', 'csv', 'synjson.cli.train',"
        " 'synjson.cli.check_options', 'synjson.train.trainer', 'jsonschema', 'numpy'}), status)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    outputs, imported = done.stdout.splitlines()
    assert [float(x) for x in outputs.split()] == synjson.architect.Perceptron(2, 3, 1, seed=1).activate([1, 0])
    assert imported == "[] 0"
