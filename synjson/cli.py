"""The ``synjson`` command: train, run, check, describe, draw and export Synaptic networks.

Each command is one ``cmd_<name>(args) -> int`` function over the public Python
API, registered in ``build_parser``; commands that read a model call
``_load_model``. A problem becomes one line on stderr,
``synjson: error: FILE: PATH: message``, and an exit status (``EXIT_STATUS``,
docs/cli.md); ``--debug`` shows the traceback instead. Importing this module
imports neither numpy nor jsonschema.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .datafiles import DataFileError, Row
from .datafiles import count as _count
from .datafiles import display_name as _name
from .datafiles import kind as _kind
from .datafiles import number as _number
from .datafiles import read_bytes as _read_bytes
from .datafiles import read_text as _read_text
from .datafiles import rows as _rows
from .errors import FormatError, SynjsonError, TrainingError, format_path
from .layer import ConnectionType

if TYPE_CHECKING:
    from .network import Network

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_FAILURE", "EXIT_USAGE", "EXIT_DIVERGED", "EXIT_INTERNAL"]

EXIT_OK = 0  #: success; for ``validate``, every file is valid
EXIT_FAILURE = 1  #: a file could not be read or written, or a model or data file is not valid
EXIT_USAGE = 2  #: the command line is wrong (argparse's own status)
EXIT_DIVERGED = 3  #: training diverged: NaN or infinity in the network
EXIT_INTERNAL = 4  #: a bug in synjson
EXIT_INTERRUPTED = 130  #: Ctrl-C, as shells report SIGINT

EXIT_STATUS = f"""\
exit status:
  {EXIT_OK}    success (validate: every file is valid)
  {EXIT_FAILURE}    a file could not be read or written, or a model or data file is not valid
  {EXIT_USAGE}    usage error: unknown option, missing or malformed argument
  {EXIT_DIVERGED}    training diverged (NaN or infinity in the network)
  {EXIT_INTERNAL}    internal error: a bug; rerun with --debug and report the traceback
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C)"""




class CommandError(DataFileError):
    """A problem the user can fix: printed as one line; the command exits with ``status``."""

    def __init__(self, message: str, status: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.status = status


# -- files -------------------------------------------------------------------------------------


def _cli_words(message: str) -> str:
    """A library message in command-line words: the API's keyword is this command's option."""
    message = message.replace("allow_nan=True", "--allow-nan").replace("pass name=", "pass --name")
    message = message.replace("duplicates='synaptic'", "--duplicates synaptic")
    return re.sub(r"select='([^']*)'", r"--select \1", message)


def _load_model(path: str, args: argparse.Namespace) -> Network:
    """Read, validate and build a model; every command calls this, so ``_model_options`` apply here."""
    from .format import from_json, parse
    from .select import pick

    try:
        data = _read_bytes(path)
        document = pick(parse(data), args.select)
        return from_json(document, allow_nan=args.allow_nan, duplicates=args.duplicates, size=len(data))
    except FormatError as error:
        raise CommandError(f"{_name(path)}: {_cli_words(str(error))}") from None


def _save_model(net: Network, path: str | None, args: argparse.Namespace) -> None:
    """Write the model atomically to ``path``, or to stdout when it is None or ``-``."""
    from .format import dumps, save

    allow_nan = getattr(args, "allow_nan", False)  # --allow-nan: NaN read, NaN written back
    if path is None or path == "-":
        sys.stdout.write(dumps(net, indent=args.indent, allow_nan=allow_nan) + "\n")
        return
    try:
        save(net, path, indent=args.indent, allow_nan=allow_nan)
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror or error}") from None


# -- commands ----------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    """Print ``FILE::PATH: message`` for every problem; status 1 when any file is invalid."""
    from .format import parse
    from .validate import validate

    status = EXIT_OK
    for path in args.models:
        try:
            document = parse(_read_bytes(path))
            errors = validate(document, all_errors=True, allow_nan=args.allow_nan, duplicates=args.duplicates)
        except FormatError as error:  # not JSON, or not UTF-8
            errors = [error]
        except DataFileError as error:  # unreadable
            errors = [FormatError(str(error).removeprefix(f"{path}: "))]
        for error in errors:
            print(f"{_name(path)}::{format_path(error.path)}: {_cli_words(error.message)}")
        if errors:
            status = EXIT_FAILURE
        elif not args.quiet:
            print(f"{_name(path)}: ok")
    return status


def cmd_info(args: argparse.Namespace) -> int:
    """Print what the model is made of, as text or JSON."""
    from .info import format_summary, summary

    info = summary(_load_model(args.model, args))
    sys.stdout.write(json.dumps(info, indent=2) + "\n" if args.json else format_summary(info))
    return EXIT_OK


def cmd_dot(args: argparse.Namespace) -> int:
    """Print the model as Graphviz DOT."""
    from .dot import to_dot

    sys.stdout.write(to_dot(_load_model(args.model, args), neurons=args.neurons))
    return EXIT_OK


def cmd_activate(args: argparse.Namespace) -> int:
    """Print the outputs for the inputs on the command line, or for each row of ``--input``."""
    if args.values and args.input is not None:
        args.parser.error("give input values or --input FILE, not both")
    if not args.values and args.input is None:
        args.parser.error("give input values or --input FILE")
    net = _load_model(args.model, args)
    model, size = _name(args.model), net.inputs()
    if args.values:
        if len(args.values) != size:
            raise CommandError(f"{model} takes {_count(size, 'input')}, got {len(args.values)}")
        rows = iter([[_number(value, f"input {i}") for i, value in enumerate(args.values, 1)]])
    else:
        rows = _input_rows(_rows(args.input, args.format), size, model)
    restore = _snapshot(net) if args.clear else None
    for inputs in rows:
        if restore is not None:
            restore()
        print(" ".join(map(repr, net.activate(inputs))), flush=args.input == "-")
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


def cmd_train(args: argparse.Namespace) -> int:
    """Build or load a network, train it on a data file or a built-in task, and save it."""
    from .cost import COSTS
    from .trainer import Trainer

    net = _network(args)
    log_to = lambda line: print(line, file=sys.stderr)  # noqa: E731 - stdout may carry the model
    options: dict[str, Any] = {
        "rate": args.rate[0] if len(args.rate) == 1 else args.rate,
        "error": args.error,
        "cost": COSTS[args.cost],
        "log": args.log,
        "log_to": log_to,
        "seed": args.seed,
        "progress": sys.stderr.isatty() if args.progress is None else args.progress,
    }
    if args.iterations is not None:
        options["iterations"] = args.iterations
    if args.task == "xor":
        from .tasks import xor

        if args.shuffle is not None:
            options["shuffle"] = args.shuffle
        result = xor(net, **options)
    else:
        result = Trainer(net).train(_training_set(args, net), shuffle=bool(args.shuffle), **options)
    _save_model(net, args.output, args)
    print(
        f"synjson: trained: error {result.error!r} after {result.iterations} iterations"
        f" in {result.time:.3f} s",
        file=sys.stderr,
    )
    return EXIT_OK


def _network(args: argparse.Namespace) -> Network:
    """The network ``train`` starts from: --perceptron, --lstm, --model, or the task's default."""
    from . import architect

    chosen = [name for name in ("perceptron", "lstm", "model") if getattr(args, name) is not None]
    if len(chosen) > 1:
        given = ", ".join("--" + name for name in chosen)
        args.parser.error(f"give one of --perceptron, --lstm, --model (got {given})")
    lstm_options = {name: getattr(args, name) for name in _LSTM_OPTIONS if getattr(args, name) is not None}
    if lstm_options and args.lstm is None:
        args.parser.error(f"--{next(iter(lstm_options)).replace('_', '-')} needs --lstm")
    if args.task is None and args.data is None:
        args.parser.error("give a data file (--data FILE) or a built-in task (xor)")
    if args.task is not None and args.data is not None:
        args.parser.error(f"give a data file or a built-in task, not both (task {args.task})")
    if args.model is not None:
        return _load_model(args.model, args)
    sizes = args.perceptron or args.lstm
    if sizes is None:
        if args.task == "xor":
            return architect.Perceptron(2, 3, 1, seed=args.seed)
        args.parser.error("give an architecture (--perceptron or --lstm SIZES) or --model FILE")
    if len(sizes) < 3:
        count = len(sizes)
        args.parser.error(f"--{chosen[0]} needs at least 3 sizes (input, hidden..., output), got {count}")
    if args.lstm is not None:
        return architect.LSTM(*sizes, seed=args.seed, **lstm_options)
    return architect.Perceptron(*sizes, seed=args.seed)


_LSTM_OPTIONS = ("peepholes", "hidden_to_hidden", "output_to_hidden", "output_to_gates", "input_to_output")


def _training_set(args: argparse.Namespace, net: Network) -> list[dict[str, list[float]]]:
    """The samples of ``--data``: CSV rows (inputs then outputs) or ``{"input", "output"}`` objects."""
    inputs, outputs = net.inputs(), net.outputs()
    model = _name(args.model) if args.model is not None else "the network"
    samples = []
    for row in _rows(args.data, args.format):
        if row.is_csv:
            if len(row.value) != inputs + outputs:
                raise CommandError(
                    f"{row.where}: expected {inputs + outputs} columns "
                    f"({_count(inputs, 'input')}, {_count(outputs, 'output')}), "
                    f"got {len(row.value)}"
                )
            x, y = row.numbers(inputs, "input", model), row.numbers(outputs, "output", model, inputs)
            samples.append({"input": x, "output": y})
        elif not isinstance(row.value, dict):
            expected = 'an object with "input" and "output"'
            raise CommandError(f"{row.where}: expected {expected}, got {_kind(row.value)}")
        else:
            x, y = row.numbers(inputs, "input", model), row.numbers(outputs, "output", model)
            samples.append({"input": x, "output": y})
    if not samples:
        raise CommandError(f"{_name(args.data)}: no samples")
    return samples


def cmd_export(args: argparse.Namespace) -> int:
    """Write the model as a web page or ES module."""
    from .export import export

    target = args.target or ("module" if args.output.endswith((".js", ".mjs")) else "html")
    if target != "pyodide" and (args.pyodide_url is not None or args.bundle_pyodide):
        args.parser.error(f"--pyodide-url and --bundle-pyodide need --target pyodide (target is {target})")
    if args.pyodide_url is not None and args.bundle_pyodide:
        args.parser.error("give --pyodide-url or --bundle-pyodide, not both")
    net = _load_model(args.model, args)
    try:
        export(
            net, args.output, target, pyodide_url=args.pyodide_url, bundle_pyodide=args.bundle_pyodide,
            title=args.title, pyodide_dir=args.pyodide_dir,
        )
    except FormatError as error:
        raise CommandError(f"{_name(args.model)}: {error}") from None
    except OSError as error:
        raise CommandError(f"{args.output}: {error.strerror or error}") from None
    return EXIT_OK


# -- the parser ---------------------------------------------------------------------------------


_FORMATS = ("auto", "csv", "jsonl", "json")
_SWITCH = argparse.BooleanOptionalAction


def _size(text: str) -> int:
    """A positive integer argument."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _model_options() -> argparse.ArgumentParser:
    """Options of every command that reads a model; ``_load_model`` applies them."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--allow-nan", action="store_true", help="accept NaN and Infinity in the model")
    options.add_argument("--select", metavar="PATH", help="path to the network inside a document")
    options.add_argument(
        "--duplicates", choices=("refuse", "synaptic"), default="refuse",
        help="two connections between one pair of neurons: refuse (default) or load as Synaptic does",
    )
    return options


def _command(commands: Any, function: Callable[[argparse.Namespace], int], help: str, description: str
             ) -> Any:
    """Add the subcommand ``cmd_<name>`` with ``--help``, ``--debug`` and the exit status in its epilog."""
    name = function.__name__.removeprefix("cmd_")
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: "synjson --debug dot m.json" must not be undone by the subcommand's default.
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    parser = commands.add_parser(
        name, help=help, description=description, epilog=EXIT_STATUS, parents=[common, _model_options()],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=function, parser=parser)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``synjson`` command and its subcommands."""
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="synjson",
        description="Train, run, check, describe, draw and export Synaptic.js 1.1.4 networks.",
        epilog=EXIT_STATUS + "\n\nRun 'synjson COMMAND --help' for the options of a command.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"synjson {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND", required=True)

    p = _command(commands, cmd_validate, "check model files", (
        "Check that each FILE is a Synaptic network synjson can load. Prints FILE::PATH: message\n"
        "for every problem (PATH as connections[12].to, $ for the whole file) and FILE: ok."))
    p.add_argument("models", nargs="+", metavar="FILE", help="model JSON files ('-' reads stdin)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing for valid files")

    p = _command(commands, cmd_info, "describe a model", (
        "Print a model's layers, sizes, squashes, connections, gates, self-connections and\n"
        "parameters (trainable weights, i.e. all but self-connections, plus non-input biases)."))
    p.add_argument("model", metavar="MODEL", help="model JSON file ('-' reads stdin)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")

    p = _command(commands, cmd_dot, "draw a model as Graphviz DOT", (
        "Print the model as Graphviz DOT, as Synaptic's Network.toDot() does: layers 0 (input)\n"
        "to n+1 (output), edges labelled with their number of connections, gating layers in blue.\n"
        "Render with: synjson dot model.json | dot -Tsvg > model.svg"))
    p.add_argument("model", metavar="MODEL", help="model JSON file ('-' reads stdin)")
    p.add_argument("--neurons", action="store_true", help="one node per neuron; gated connections blue")

    p = _command(commands, cmd_activate, "run a model on inputs", (
        "Print the outputs for the inputs X, or for each row of --input FILE, one line per row at\n"
        "full precision. Rows: CSV (a column per input, optional header), JSON lines (an array, or\n"
        "{\"input\": [...]}) or a JSON array of rows. Recurrent state carries over unless --clear.\n"
        "Negative numbers with an exponent go after '--': activate m.json -- -1e-3 2"))
    p.add_argument("model", metavar="MODEL", help="model JSON file")
    p.add_argument("values", nargs="*", metavar="X", help="the inputs, one number each")
    p.add_argument("-i", "--input", metavar="FILE", help="read input rows from FILE ('-' reads stdin)")
    p.add_argument("--format", choices=_FORMATS, default="auto", help="format of --input (default auto)")
    p.add_argument("--clear", action="store_true", help="start every row from the model's saved state")

    p = _command(commands, cmd_train, "train a network and save it", (
        "Train a new network (--perceptron, --lstm) or a saved one (--model) on a data file or\n"
        "on the xor task (Synaptic's Trainer.XOR; default --perceptron 2 3 1), as Synaptic's\n"
        "Trainer does, and write it atomically to -o FILE, or stdout. CSV data: the inputs in\n"
        "the first columns, the targets in the next ones (optional header). JSON: Synaptic's\n"
        "training set, [{\"input\": [...], \"output\": [...]}, ...], or one such object a line."))
    p.add_argument("task", nargs="?", choices=("xor",), metavar="TASK", help="a built-in task: xor")
    group = p.add_argument_group("network")
    group.add_argument("--perceptron", nargs="+", type=_size, metavar="SIZE", help="a new Perceptron: 2 3 1")
    group.add_argument("--lstm", nargs="+", type=_size, metavar="SIZE", help="a new LSTM: 1 6 1")
    group.add_argument("--model", metavar="FILE", help="continue training a saved model")
    group.add_argument("--peepholes", choices=[t.name for t in ConnectionType], help="LSTM option")
    switches = [("hidden-to-hidden", "off"), ("output-to-hidden", "off"), ("output-to-gates", "off")]
    for flag, default in [*switches, ("input-to-output", "on")]:
        group.add_argument(f"--{flag}", action=_SWITCH, default=None, help=f"LSTM option (default {default})")
    group = p.add_argument_group("data")
    group.add_argument("-d", "--data", metavar="FILE", help="CSV, JSON lines or JSON ('-': stdin)")
    group.add_argument("--format", choices=_FORMATS, default="auto", help="format of --data (default auto)")
    group = p.add_argument_group("trainer")
    group.add_argument("--rate", nargs="+", type=float, default=[0.2], metavar="R",
                       help="learning rate (default 0.2); several: equal buckets of the iterations")
    group.add_argument("--iterations", type=_size, metavar="N", help="at most N iterations (default 100000)")
    group.add_argument("--error", type=float, default=0.005, metavar="E", help="target error (default 0.005)")
    group.add_argument("--shuffle", action=_SWITCH, default=None, help="shuffle every iteration (xor: on)")
    group.add_argument("--cost", type=lambda text: text.upper().replace("-", "_"), default="MSE",
                       choices=("MSE", "CROSS_ENTROPY", "BINARY"), help="cost function (default MSE)")
    group.add_argument("--log", type=int, default=0, metavar="N", help="print the error every N iterations")
    group.add_argument("--seed", type=int, metavar="N", help="seed the new weights and the shuffling")
    group.add_argument("--progress", action=_SWITCH, default=None, help="progress bar (default: on a tty)")
    group = p.add_argument_group("output")
    group.add_argument("-o", "--output", metavar="FILE", help="write the model here (default: stdout)")
    group.add_argument("--indent", type=int, metavar="N", help="indent the JSON (default: compact)")

    p = _command(commands, cmd_export, "write a model as a web page or ES module", (
        "Write the model for the browser: html (a self-contained page), module (an ES module),\n"
        "or pyodide (a page running synjson in Pyodide from its CDN, --pyodide-url, or a copy\n"
        "beside the page, --bundle-pyodide). Default target: module for .js/.mjs, else html."))
    p.add_argument("model", metavar="MODEL", help="model JSON file ('-' reads stdin)")
    p.add_argument("-o", "--output", metavar="OUT", required=True, help="file to write (atomically)")
    p.add_argument("-t", "--target", choices=("html", "module", "pyodide"), help="what to write (see above)")
    p.add_argument("--title", help="the page title (default: from the model)")
    p.add_argument("--pyodide-url", metavar="URL", help="pyodide target: where the page loads Pyodide from")
    p.add_argument("--bundle-pyodide", action="store_true", help="pyodide target: copy Pyodide beside OUT")
    p.add_argument("--pyodide-dir", metavar="DIR", help="the npm pyodide package to copy (--bundle-pyodide)")
    _add_check_and_import(commands)
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    """Run the model in every runtime (synjson.check) and print the largest difference per pair."""
    from .check import check

    net = _load_model(args.model, args)
    rows = None
    if args.inputs is not None:
        rows = list(_input_rows(_rows(args.inputs, "auto"), net.inputs(), args.model))
    report = check(net, rows, args.steps, rate=args.rate, tolerance=args.tolerance, runtime=args.runtime,
                   synaptic=args.synaptic, chromium=None if args.chromium else False)
    sys.stdout.write(report.table())
    return EXIT_OK if report.ok else EXIT_FAILURE


def cmd_import(args: argparse.Namespace) -> int:
    """Read the network literal of a JavaScript file (never running it) and write it as model JSON."""
    from .format import from_json
    from .jsimport import import_js
    from .select import pick

    try:
        text = _read_text(args.source)
        doc = pick(import_js(text, name=args.name), args.select)
        size = len(text.encode("utf-8", "surrogatepass"))  # the budget scales with the file
        net = from_json(doc, allow_nan=args.allow_nan, duplicates=args.duplicates, size=size)
    except FormatError as error:
        raise CommandError(f"{_name(args.source)}: {_cli_words(str(error))}") from None
    _save_model(net, args.output, args)
    return EXIT_OK


def _add_check_and_import(commands: Any) -> None:
    from .check import DESCRIPTION, add_arguments

    add_arguments(_command(commands, cmd_check, "run a model in every runtime and compare", DESCRIPTION))
    p = _command(commands, cmd_import, "take the network out of a JavaScript file", (
        "Find the object literal with neurons and connections in a .js file (var net = {...},\n"
        "module.exports = ..., export default ...; JSON or JSON5), never running it; write it as JSON."))
    p.add_argument("source", metavar="FILE", help="JavaScript file ('-' reads stdin)")
    p.add_argument("--name", help="the variable or key of the literal, when the file holds several")
    p.add_argument("-o", "--output", metavar="FILE", help="write the model here (default: stdout)")
    p.add_argument("--indent", type=int, metavar="N", help="indent the JSON (default: compact)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``synjson`` with ``argv`` (default ``sys.argv[1:]``); usage errors raise ``SystemExit(2)``."""
    args = build_parser().parse_args(argv)
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
