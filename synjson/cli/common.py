"""What every ``synjson`` command shares: exit statuses, the parser class, loading and saving models.

``main`` registers the commands; ``train`` is its own module. Both import from here, never from
each other's top level.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn

from ..document.datafiles import DataFileError
from ..document.datafiles import display_name as _name
from ..document.datafiles import read_bytes as _read_bytes
from ..errors import FormatError, SynjsonWarning

if TYPE_CHECKING:
    from ..model.network import Network


EXIT_OK = 0  #: success; for ``validate``, every file is valid
EXIT_FAILURE = 1  #: a file could not be read or written, or a model or data file is not valid
EXIT_USAGE = 2  #: the command line is wrong (argparse's own status)
EXIT_DIVERGED = 3  #: training diverged: NaN or infinity in the network
EXIT_INTERNAL = 4  #: a bug in synjson
EXIT_INTERRUPTED = 130  #: Ctrl-C, as shells report SIGINT

EXIT_UNFINISHED = 5  #: ``train`` stopped at --iterations before reaching --error (the model is written)

MEANINGS = {
    EXIT_OK: "success",
    EXIT_FAILURE: "a file could not be read or written, or a model or data file is not valid",
    EXIT_USAGE: "usage error: unknown option, missing or malformed argument",
    EXIT_DIVERGED: "training diverged (NaN or infinity in the network); nothing is written",
    EXIT_INTERNAL: "internal error: a bug; rerun with --debug and report the traceback",
    EXIT_UNFINISHED: "training stopped at --iterations above --error; the model is still written",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
}
#: What each status means for one command, where it differs from ``MEANINGS``.
SPECIAL = {
    "validate": {EXIT_OK: "every file is valid", EXIT_FAILURE: "some file is not valid or cannot be read"},
    "train": {EXIT_OK: "trained to --error (or a task's own target) and written"},
    "check": {EXIT_OK: "every runtime agrees within --tolerance", EXIT_FAILURE: "some pair differs, or a file is bad"},
}
STATUSES = {"train": (0, 1, 2, 3, 5, 4, 130)}


def exit_status(command: str | None = None) -> str:
    """The "exit status:" epilog of ``command`` (all statuses for the top-level help)."""
    codes = STATUSES.get(command or "", (0, 1, 2, 4, 130)) if command else tuple(MEANINGS)
    meanings = {**MEANINGS, **SPECIAL.get(command or "", {})}
    return "exit status:\n" + "\n".join(f"  {code:<4} {meanings[code]}" for code in codes)


EXIT_STATUS = exit_status()


class Parser(argparse.ArgumentParser):
    """argparse with options allowed anywhere (between MODEL and its inputs too) and short usage errors."""

    _mixing = False

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        if self._subparsers is not None or self._mixing:
            return super().parse_known_args(args, namespace)
        self._mixing = True  # parse_known_intermixed_args calls parse_known_args itself
        try:
            namespace, extras = super().parse_known_intermixed_args(args, namespace)
        finally:
            self._mixing = False
        if extras:  # said by the command's parser, so the hint names the command's --help
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras

    def error(self, message: str) -> NoReturn:
        """Two lines, not the whole usage: what is wrong, and where the help is."""
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nTry '{self.prog} --help'.\n")


class CommandError(DataFileError):
    """A problem the user can fix: printed as one line; the command exits with ``status``."""

    def __init__(self, message: str, status: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.status = status


# -- files -------------------------------------------------------------------------------------


def cli_words(message: str) -> str:
    """A library message in command-line words: the API's keyword is this command's option."""
    message = message.replace("allow_nan=True", "--allow-nan").replace("pass name=", "pass --name")
    message = message.replace("duplicates='synaptic'", "--duplicates synaptic")
    message = message.replace("zero_state=True", "--zero-state")
    message = re.sub(r"pass format='([^']*)'", r"pass --from \1", message)
    message = re.sub(r"limits=synjson\.Limits\((\w+)=\.\.\.\)", r"--limit \1=...", message)
    return re.sub(r"select='([^']*)'", r"--select \1", message)


def limit_argument(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` for ``--limit``: NAME a :class:`synjson.Limits` field."""
    from ..document.limits import Limits

    name, equals, value = text.partition("=")
    fields = [field.name for field in dataclasses.fields(Limits)]
    if not equals or name not in fields:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE with NAME one of {', '.join(fields)}: {text!r}")
    return name, value


def limits_from(args: argparse.Namespace) -> Any:
    """The :class:`synjson.Limits` that ``--limit`` options ask for (the defaults for the rest)."""
    from ..document.limits import DEFAULT_LIMITS

    chosen: dict[str, float | int] = {}
    for name, value in getattr(args, "limit", None) or []:
        try:
            chosen[name] = float(value) if name == "max_seconds" else int(float(value))
        except ValueError:
            raise CommandError(f"--limit {name}: not a number: {value!r}") from None
    try:
        return dataclasses.replace(DEFAULT_LIMITS, **chosen)
    except ValueError as error:
        raise CommandError(f"--limit: {str(error).removeprefix('Limits.')}") from None


def load_model(path: str, args: argparse.Namespace) -> Network:
    """Read, validate and build a model in any format ``synjson.read`` reads (by ``--from``, else by
    its suffix or content: :func:`synjson.format.files.from_bytes` decides); every command calls
    this, so ``model_options`` apply here."""
    from ..format.files import from_bytes

    try:
        limits = limits_from(args)
        data = _read_bytes(path)
        with warned(path):
            return from_bytes(
                data, name=path, format=args.source_format, limits=limits, select=args.select,
                allow_nan=args.allow_nan, duplicates=args.duplicates,
            )
    except FormatError as error:
        raise CommandError(f"{_name(path)}: {cli_words(str(error))}") from None


@contextlib.contextmanager
def warned(path: str, line: Callable[[SynjsonWarning], str] | None = None, to: Any = None) -> Iterator[None]:
    """Print each :class:`~synjson.SynjsonWarning` raised inside as one line, ``line(warning)``
    (default ``synjson: warning: FILE: PATH: message``), to ``to`` (default stderr)."""

    def show(message: Any, category: Any, *rest: Any, **options: Any) -> None:
        if not isinstance(message, SynjsonWarning):
            return shown(message, category, *rest, **options)
        text = line(message) if line else f"synjson: warning: {_name(path)}: {message}"
        print(cli_words(text), file=to or sys.stderr)
        return None

    with warnings.catch_warnings():
        warnings.simplefilter("always", SynjsonWarning)
        shown = warnings.showwarning
        warnings.showwarning = show
        yield


def save_model(net: Network, path: str | None, args: argparse.Namespace) -> None:
    """Write the model atomically to ``path``, or to stdout when it is None or ``-``."""
    from ..format.synaptic import dumps, save

    allow_nan = getattr(args, "allow_nan", False)  # --allow-nan: NaN read, NaN written back
    if path is None or path == "-":
        sys.stdout.write(dumps(net, indent=args.indent, allow_nan=allow_nan) + "\n")
        return
    try:
        save(net, path, indent=args.indent, allow_nan=allow_nan)
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror or error}") from None


# -- commands ----------------------------------------------------------------------------------



DATA_FORMATS = ("auto", "csv", "jsonl", "json")
#: synjson.format.files.FORMATS, not imported: building the parser imports no model code.
MODEL_FORMATS = ("synaptic", "onnx", "brain.js", "brain.js-2", "neataptic")
SWITCH = argparse.BooleanOptionalAction


def size_argument(text: str) -> int:
    """A positive integer argument."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def model_options() -> argparse.ArgumentParser:
    """Options of every command that reads a model; ``load_model`` applies them."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--from", dest="source_format", choices=MODEL_FORMATS,
        help="the model file's format (default: from its suffix or content)",
    )
    options.add_argument("--allow-nan", action="store_true", help="accept NaN and Infinity in the model")
    options.add_argument("--select", metavar="PATH", help="path to the network inside a document")
    options.add_argument(
        "--duplicates", choices=("refuse", "synaptic"), default="refuse",
        help="two connections between one pair of neurons: refuse (default) or load as Synaptic does",
    )
    options.add_argument(
        "--limit", action="append", type=limit_argument, metavar="NAME=VALUE",
        help="set a load limit (a synjson.Limits field: max_bytes, max_neurons, max_connections, max_traces, "
             "max_depth, max_memory, max_seconds); repeatable",
    )
    return options


def add_command(commands: Any, function: Callable[[argparse.Namespace], int], help: str, description: str
             ) -> Any:
    """Add the subcommand ``cmd_<name>`` with ``--help``, ``--debug`` and the exit status in its epilog."""
    name = function.__name__.removeprefix("cmd_")
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: "synjson --debug dot m.json" must not be undone by the subcommand's default.
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    parser = commands.add_parser(
        name, help=help, description=description, epilog=exit_status(name), parents=[common, model_options()],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=function, parser=parser)
    return parser


