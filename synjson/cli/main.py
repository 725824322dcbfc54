"""The ``synjson`` command: train, run, check, describe, draw and export Synaptic networks.

Each command is one ``cmd_<name>(args) -> int`` function over the public Python
API, registered in ``build_parser``; commands that read a model call
``load_model``. A problem becomes one line on stderr,
``synjson: error: FILE: PATH: message``, and an exit status (``EXIT_STATUS``,
docs/cli.md); ``--debug`` shows the traceback instead. Importing this module
imports neither numpy nor jsonschema.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document.datafiles import DataFileError, Row
from ..document.datafiles import count as _count
from ..document.datafiles import display_name as _name
from ..document.datafiles import number as _number
from ..document.datafiles import read_bytes as _read_bytes
from ..document.datafiles import read_text as _read_text
from ..document.datafiles import rows as _rows
from ..errors import FormatError, LimitError, SynjsonError, SynjsonWarning, TrainingError, format_path
from .common import (
    DATA_FORMATS,
    EXIT_DIVERGED,
    EXIT_FAILURE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_STATUS,
    EXIT_UNFINISHED,
    EXIT_USAGE,
    MODEL_FORMATS,
    CommandError,
    Parser,
    add_command,
    cli_words,
    limits_from,
    load_model,
    save_model,
    warned,
)

if TYPE_CHECKING:
    from ..model.network import Network

__all__ = [
    "main", "build_parser", "EXIT_OK", "EXIT_FAILURE", "EXIT_USAGE", "EXIT_DIVERGED", "EXIT_INTERNAL",
    "EXIT_UNFINISHED",
]

#: How many problems ``validate`` prints per file before it counts the rest.
SCREENFUL = 50


def cmd_validate(args: argparse.Namespace) -> int:
    """Print ``FILE::PATH: message`` for every problem; status 1 when any file is invalid."""
    from ..document.limits import check_counts
    from ..document.select import _parts, pick
    from ..document.text import parse
    from ..document.validate import validate
    from ..format.files import detect_format, from_bytes, javascript_hint

    status = EXIT_OK
    # Paths are printed from the top of the file: inside the --select'ed network, they start with it.
    prefix = tuple(_parts(args.select)) if args.select else ()
    for path in args.models:
        where: tuple[Any, ...] = ()
        total = 1
        data = b""
        try:
            limits = limits_from(args)
            data = _read_bytes(path)
            format = args.source_format or detect_format(path, data)
            if format != "synaptic":  # another format: valid when it loads (its first problem otherwise)
                from_bytes(data, name=path, format=format, limits=limits, select=args.select)
                errors, total = [], 0
            else:
                document = pick(parse(data, limits=limits), args.select)
                check_counts(document, limits)  # the same limits as loading it
                where = prefix
                with warned(path, functools.partial(_warning_line, path, where), to=sys.stdout):
                    errors = validate(document, all_errors=True, allow_nan=args.allow_nan,
                                      duplicates=args.duplicates, max_errors=SCREENFUL)
                total = getattr(errors, "total", len(errors))
        except FormatError as error:  # not JSON, not UTF-8, or nothing at --select
            hint = javascript_hint(path, data) if error.message.startswith("not JSON") else None
            errors = [error if hint is None else FormatError(hint, error.path)]
        except LimitError as error:  # bigger than --limit allows
            errors = [FormatError(str(error))]
        except DataFileError as error:  # unreadable
            errors = [FormatError(str(error).removeprefix(f"{path}: "))]
        for error in errors:
            print(f"{_name(path)}::{format_path(where + tuple(error.path))}: {cli_words(error.message)}")
        if total > len(errors):  # more than a screenful: the first ones, then how many more
            print(f"{_name(path)}: ... and {total - len(errors)} more problems ({total} in all)")
        if errors:
            status = EXIT_FAILURE
        elif not args.quiet:
            print(f"{_name(path)}: ok")
    return status


def _warning_line(path: str, where: tuple[Any, ...], warning: SynjsonWarning) -> str:
    """``FILE::PATH: warning: message``, as validate prints a problem."""
    return f"{_name(path)}::{format_path(where + warning.path)}: warning: {warning.message}"


def cmd_info(args: argparse.Namespace) -> int:
    """Print what the model is made of, as text or JSON."""
    from ..exporters.info import format_summary, summary

    info = summary(load_model(args.model, args))
    sys.stdout.write(json.dumps(info, indent=2) + "\n" if args.json else format_summary(info))
    return EXIT_OK


def cmd_dot(args: argparse.Namespace) -> int:
    """Print the model as Graphviz DOT."""
    from ..exporters.dot import to_dot

    sys.stdout.write(to_dot(load_model(args.model, args), neurons=args.neurons))
    return EXIT_OK


def cmd_activate(args: argparse.Namespace) -> int:
    """Print the outputs for the inputs on the command line, or for each row of ``--input``."""
    if args.values and args.input is not None:
        args.parser.error("give input values or --input FILE, not both")
    if not args.values and args.input is None:
        args.parser.error("give input values or --input FILE")
    net = load_model(args.model, args)
    model, size = _name(args.model), net.inputs()
    if args.values:
        if len(args.values) != size:
            raise CommandError(f"{model} takes {_count(size, 'input')}, got {len(args.values)}")
        rows = iter([[_number(value, f"input {i}") for i, value in enumerate(args.values, 1)]])
    else:
        rows = _input_rows(_rows(args.input, args.format), size, model)
    restore = _snapshot(net) if args.clear else None
    done = 0
    for inputs in rows:
        if restore is not None:
            restore()
        print(" ".join(map(repr, net.activate(inputs))), flush=args.input == "-")
        done += 1
    if not done:
        raise CommandError(f"{_name(args.input)}: no input rows")
    return EXIT_OK


def _input_rows(rows: Iterator[Row], size: int, model: str) -> Iterator[list[float]]:
    for row in rows:
        if row.is_csv and len(row.value) != size:
            got = _count(len(row.value), "column")
            raise CommandError(f"{row.where}: {model} takes {_count(size, 'input')}, got {got}")
        yield row.numbers(size, "input", model)


def _snapshot(net: Network) -> Callable[[], None]:
    """A function that puts ``net`` back as loaded, for ``--clear``: Synaptic's ``clear()``
    keeps each neuron's state, so states, activations and gains are restored too."""
    neurons = [neuron for neuron, _ in net.neurons()]
    states = [(n.state, n.old, n.activation, n.derivative) for n in neurons]
    connections = [c for n in neurons for c in (*n.inputs, n.selfconnection)]
    gains = [c.gain for c in connections]

    def restore() -> None:
        net.clear()
        for neuron, (state, old, activation, derivative) in zip(neurons, states):
            neuron.state, neuron.old, neuron.activation = state, old, activation
            neuron.derivative = derivative
        for connection, gain in zip(connections, gains):
            connection.gain = gain

    return restore


def cmd_export(args: argparse.Namespace) -> int:
    """Write the model as a web page or ES module."""
    from ..exporters.pages import export

    target = args.target or ("module" if args.output.endswith((".js", ".mjs")) else "html")
    if target != "pyodide" and (args.pyodide_url is not None or args.bundle_pyodide):
        args.parser.error(f"--pyodide-url and --bundle-pyodide need --target pyodide (target is {target})")
    if args.pyodide_url is not None and args.bundle_pyodide:
        args.parser.error("give --pyodide-url or --bundle-pyodide, not both")
    net = load_model(args.model, args)
    title = args.title
    if title is None and not net.metadata.get("name") and args.model != "-":
        title = Path(args.model).stem  # a page is titled by its model's name, else its file's
    folder = Path(args.output).parent
    created = not folder.exists()  # export() makes it once its checks pass: a refusal leaves nothing
    try:
        export(
            net, args.output, target, pyodide_url=args.pyodide_url, bundle_pyodide=args.bundle_pyodide,
            title=title, pyodide_dir=args.pyodide_dir,
        )
    except FormatError as error:
        raise CommandError(f"{_name(args.model)}: {error}") from None
    except OSError as error:
        if created and not folder.is_dir():
            raise CommandError(f"{folder}: cannot create the output folder: {error.strerror or error}") from None
        raise CommandError(f"{args.output}: {error.strerror or error}") from None
    if created:
        print(f"synjson: created folder {folder}", file=sys.stderr)
    return EXIT_OK


# -- the parser ---------------------------------------------------------------------------------


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the ``synjson`` command and its subcommands.

    ``command``: build that subcommand's parser alone (``main`` does, for a known command: a cold
    ``synjson activate`` then spends ~1 ms on argparse instead of ~15 on every command's options);
    None builds them all, for the top-level help, ``--version`` and a mistyped command.
    """
    from ..version import __version__

    parser = Parser(
        prog="synjson",
        description="Train, run, check, describe, draw and export Synaptic.js 1.1.4 networks.",
        epilog=EXIT_STATUS + "\n\nRun 'synjson COMMAND --help' for the options of a command.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"synjson {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=True, parser_class=Parser
    )
    for name, add in _COMMANDS.items():
        if command is None or name == command:
            add(commands)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names: its first word that is not an option (the top-level options take no
    value), when it is a known command; else None."""
    for word in argv:
        if word == "--" or not word.startswith("-"):
            return word if word in _COMMANDS else None
    return None


def _add_validate(commands: Any) -> None:
    p = add_command(commands, cmd_validate, "check model files", (
        "Check that each FILE is a network synjson can load (Synaptic JSON in full; ONNX, brain.js\n"
        "and neataptic files by loading them). Prints FILE::PATH: message\n"
        "for every problem (PATH as connections[12].to, $ for the whole file) and FILE: ok."))
    p.add_argument("models", nargs="+", metavar="FILE", help="model files, any format synjson reads ('-' reads stdin)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing for valid files")


def _add_info(commands: Any) -> None:
    p = add_command(commands, cmd_info, "describe a model", (
        "Print a model's layers, sizes, squashes, connections, gates, self-connections and\n"
        "parameters (trainable weights, i.e. all but self-connections, plus non-input biases)."))
    p.add_argument("model", metavar="MODEL", help="model file, any format synjson reads ('-' reads stdin)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")


def _add_dot(commands: Any) -> None:
    p = add_command(commands, cmd_dot, "draw a model as Graphviz DOT", (
        "Print the model as Graphviz DOT, as Synaptic's Network.toDot() does: layers 0 (input)\n"
        "to n+1 (output), edges labelled with their number of connections, gating layers in blue.\n"
        "Render with: synjson dot model.json | dot -Tsvg > model.svg"))
    p.add_argument("model", metavar="MODEL", help="model file, any format synjson reads ('-' reads stdin)")
    p.add_argument("--neurons", action="store_true", help="one node per neuron; gated connections blue")


def _add_activate(commands: Any) -> None:
    p = add_command(commands, cmd_activate, "run a model on inputs", (
        "Print the outputs for the inputs X, or for each row of --input FILE, one line per row at\n"
        "full precision. Rows: CSV (a column per input, optional header), JSON lines (an array, or\n"
        "{\"input\": [...]}) or a JSON array of rows. Recurrent state carries over unless --clear.\n"
        "Negative numbers with an exponent go after '--': activate m.json -- -1e-3 2"))
    p.add_argument("model", metavar="MODEL", help="model file, any format synjson reads")
    p.add_argument("values", nargs="*", metavar="X", help="the inputs, one number each")
    p.add_argument("-i", "--input", metavar="FILE", help="read input rows from FILE ('-' reads stdin)")
    p.add_argument("--format", choices=DATA_FORMATS, default="auto", help="format of --input (default auto)")
    p.add_argument("--clear", action="store_true", help="start every row from the model's saved state")


def _add_train(commands: Any) -> None:
    from .train import TRAIN_DESCRIPTION, add_train, cmd_train

    add_train(add_command(commands, cmd_train, "train a network and save it", TRAIN_DESCRIPTION))


def _add_export(commands: Any) -> None:
    p = add_command(commands, cmd_export, "write a model as a web page or ES module", (
        "Write the model for the browser: html (a self-contained page), module (an ES module),\n"
        "or pyodide (a page running synjson in Pyodide from its CDN, --pyodide-url, or a copy\n"
        "beside the page, --bundle-pyodide). Default target: module for .js/.mjs, else html."))
    p.add_argument("model", metavar="MODEL", help="model file, any format synjson reads ('-' reads stdin)")
    p.add_argument("-o", "--output", metavar="OUT", required=True, help="file to write (atomically)")
    p.add_argument("-t", "--target", choices=("html", "module", "pyodide"), help="what to write (see above)")
    p.add_argument("--title", help="the page title (default: from the model)")
    p.add_argument("--pyodide-url", metavar="URL", help="pyodide target: where the page loads Pyodide from")
    p.add_argument("--bundle-pyodide", action="store_true", help="pyodide target: copy Pyodide beside OUT")
    p.add_argument("--pyodide-dir", metavar="DIR", help="the npm pyodide package to copy (--bundle-pyodide)")


def cmd_check(args: argparse.Namespace) -> int:
    """Run the model in every runtime (synjson.exporters.check) and print the largest difference per pair."""
    from ..exporters.check import check

    net = load_model(args.model, args)
    rows = None
    if args.inputs is not None:
        rows = list(_input_rows(_rows(args.inputs, "auto"), net.inputs(), args.model))
    report = check(net, rows, args.steps, rate=args.rate, tolerance=args.tolerance, runtime=args.runtime,
                   synaptic=args.synaptic, chromium=None if args.chromium else False)
    sys.stdout.write(report.table())
    return EXIT_OK if report.ok else EXIT_FAILURE


def cmd_import(args: argparse.Namespace) -> int:
    """Read the network literal of a JavaScript file (never running it) and write it as model JSON."""
    from ..document.jsimport import import_js
    from ..document.select import pick
    from ..format.synaptic import from_json

    try:
        limits = limits_from(args)
        text = _read_text(args.source)
        doc = pick(import_js(text, name=args.name, limits=limits), args.select)
        size = len(text.encode("utf-8", "surrogatepass"))  # the budget scales with the file
        with warned(args.source):
            net = from_json(doc, allow_nan=args.allow_nan, duplicates=args.duplicates, size=size, limits=limits)
    except FormatError as error:
        raise CommandError(f"{_name(args.source)}: {cli_words(str(error))}") from None
    save_model(net, args.output, args)
    return EXIT_OK


def _add_check(commands: Any) -> None:
    from .check_options import DESCRIPTION, add_arguments

    add_arguments(add_command(commands, cmd_check, "run a model in every runtime and compare", DESCRIPTION))


def _add_import(commands: Any) -> None:
    p = add_command(commands, cmd_import, "take the network out of a JavaScript file", (
        "Find the object literal with neurons and connections in a .js file (var net = {...},\n"
        "module.exports = ..., export default ...; JSON or JSON5), never running it; write it as JSON."))
    p.add_argument("source", metavar="FILE", help="JavaScript file ('-' reads stdin)")
    p.add_argument("--name", help="the variable or key of the literal, when the file holds several")
    p.add_argument("-o", "--output", metavar="FILE", help="write the model here (default: stdout)")
    p.add_argument("--indent", type=int, metavar="N", help="indent the JSON (default: compact)")


def cmd_convert(args: argparse.Namespace) -> int:
    """Read a model in any format synjson knows and write it in another (synjson.convert)."""
    from ..format.files import save

    net = load_model(args.model, args)
    try:
        save(net, args.output, format=args.to, dtype="float32" if args.float32 else "float64",
             zero_state=args.zero_state)
    except FormatError as error:
        raise CommandError(f"{_name(args.model)}: {cli_words(str(error))}") from None
    except OSError as error:
        raise CommandError(f"{error.filename or args.output}: {error.strerror or error}") from None
    return EXIT_OK


def _add_convert(commands: Any) -> None:
    p = add_command(commands, cmd_convert, "convert a model between Synaptic, ONNX, brain.js and neataptic", (
        "Read MODEL (its format taken from its content or suffix) and write it to OUT in FORMAT\n"
        "(default: onnx for a .onnx OUT, else synaptic). A model the target cannot express is refused,\n"
        "naming the reason: nothing is approximated (docs/formats.md)."))
    p.add_argument("model", metavar="MODEL", help="model file ('-' reads stdin)")
    p.add_argument("-o", "--output", metavar="OUT", required=True, help="file to write (atomically)")
    p.add_argument("--to", choices=MODEL_FORMATS, help="the format to write (see above)")
    p.add_argument("--float32", action="store_true", help="onnx: compute in float32 (default: float64)")
    p.add_argument("--zero-state", action="store_true",
                   help="write the model at zero state, dropping the run state a recurrent model holds "
                        "(needed for neataptic, whose files have none)")


#: Each subcommand and the function that adds its parser, in the order ``synjson --help`` lists them.
_COMMANDS: dict[str, Callable[[Any], None]] = {
    "validate": _add_validate, "info": _add_info, "dot": _add_dot, "activate": _add_activate, "train": _add_train,
    "export": _add_export, "check": _add_check, "import": _add_import, "convert": _add_convert,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``synjson`` with ``argv`` (default ``sys.argv[1:]``); usage errors raise ``SystemExit(2)``."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_command_in(argv)).parse_args(argv)
    try:
        return int(args.func(args))
    except Exception as error:
        if args.debug:
            raise
        if isinstance(error, BrokenPipeError):  # `synjson activate ... | head`: stop quietly
            sys.stdout = None  # type: ignore[assignment]  # flushing it again at exit would fail
            return EXIT_FAILURE
        message, status = _describe(error)
        print(f"synjson: {message}", file=sys.stderr)
        return status
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("synjson: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _describe(error: Exception) -> tuple[str, int]:
    """The one line (after ``synjson: ``) and the exit status for an exception."""
    if isinstance(error, CommandError):
        return f"error: {error}", error.status
    if isinstance(error, TrainingError):
        text = str(error)
        return f"error: {text if 'diverged' in text else 'training diverged: ' + text}", EXIT_DIVERGED
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"error: {where}{error.strerror or error}", EXIT_FAILURE
    if isinstance(error, (SynjsonError, ValueError)):
        return f"error: {error}", EXIT_FAILURE
    text = f"internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)"
    return text, EXIT_INTERNAL
