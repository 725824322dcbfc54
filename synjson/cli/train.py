"""``synjson train``: build or load a network, train it, save it, and show how the error fell.

Split from synjson.cli (which registers it) to keep each module short; it calls the public
API only: ``synjson.architect``, ``synjson.Trainer``, ``synjson.tasks.xor``, ``synjson.exporters.curve``.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document.datafiles import count as _count
from ..document.datafiles import display_name as _name
from ..document.datafiles import kind as _kind
from ..document.datafiles import rows as _rows
from ..model.layer import ConnectionType
from .common import (
    DATA_FORMATS,
    EXIT_OK,
    EXIT_UNFINISHED,
    SWITCH,
    CommandError,
    load_model,
    save_model,
    size_argument,
)

if TYPE_CHECKING:
    from ..model.network import Network

__all__ = ["cmd_train", "add_train", "TRAIN_DESCRIPTION", "duration"]

TRAIN_DESCRIPTION = (
    "Train a new network (--perceptron, --lstm) or a saved one (--model) on a data file or\n"
    "on the xor task (Synaptic's Trainer.XOR; default --perceptron 2 3 1), as Synaptic's\n"
    "Trainer does, and write it atomically to -o FILE, or stdout. CSV data: the inputs in\n"
    "the first columns, the targets in the next ones (optional header). JSON: Synaptic's\n"
    "training set, [{\"input\": [...], \"output\": [...]}, ...], or one such object a line.")


def cmd_train(args: argparse.Namespace) -> int:
    """Build or load a network, train it on a data file or a built-in task, and save it."""
    from ..train.cost import COSTS
    from ..train.trainer import Trainer

    net = _network(args)
    log_to = lambda line: print(line, file=sys.stderr)  # noqa: E731 - stdout may carry the model
    options: dict[str, Any] = {
        "rate": args.rate[0] if len(args.rate) == 1 else args.rate,
        "error": args.error,
        "cost": COSTS[args.cost],
        "log": args.log,
        "log_to": log_to,
        "seed": args.seed,
        "progress": args.progress,  # None: Trainer.train's rule (a terminal, never a CI log)
    }
    if args.iterations is not None:
        options["iterations"] = args.iterations
    if args.task == "xor":
        from ..train.tasks import xor

        if args.shuffle is not None:
            options["shuffle"] = args.shuffle
        _name_model(net, args, None)
        result = xor(net, **options)
    else:
        samples, header = _training_set(args, net)
        _name_model(net, args, header)
        result = Trainer(net).train(samples, shuffle=bool(args.shuffle), **options)
    save_model(net, args.output, args)
    _report_history(result, args)
    if args.report is not None:
        _write_report(net, result, args)
    print(
        f"synjson: trained: error {result.error!r} after {result.iterations} iterations"
        f" in {duration(result.time)}",
        file=sys.stderr,
    )
    if result.error > args.error:
        where = "stdout" if args.output in (None, "-") else args.output
        raise CommandError(
            f"stopped at {_count(result.iterations, 'iteration')} with error {result.error:.6g}, above --error "
            f"{args.error:g}; the model was written to {where} (raise --iterations or --rate)",
            EXIT_UNFINISHED,
        )
    return EXIT_OK


def duration(seconds: float) -> str:
    """A duration with three significant digits or so: ``12.3 s``, ``1.52 s``, ``41.7 ms``, ``0.062 ms``."""
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    ms = seconds * 1000
    if ms >= 100:
        return f"{ms:.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms" if ms >= 1 else f"{ms:.3f} ms"


def _report_history(result: Any, args: argparse.Namespace) -> None:
    """``--plot``: the error curve on stderr; ``--history FILE``: it as CSV."""
    from ..document.atomic import atomic_write
    from ..exporters.curve import text_plot, to_csv

    history = tuple(getattr(result, "history", ()))
    if args.plot:
        sys.stderr.write(text_plot(history, result.iterations))
    if args.history is not None:
        try:
            atomic_write(args.history, to_csv(history, result.iterations))
        except OSError as error:
            raise CommandError(f"{args.history}: {error.strerror or error}") from None


def _write_report(net: Network, result: Any, args: argparse.Namespace) -> None:
    """``--report FILE``: the model's page with its error curve and final figures (synjson.export)."""
    from ..exporters.curve import training_block
    from ..exporters.pages import export

    saved = net.metadata
    net.metadata = {**saved, "training": training_block(
        tuple(getattr(result, "history", ())), result.iterations, error=result.error, time=result.time,
        cost=args.cost,
    )}
    name = saved.get("name") if isinstance(saved.get("name"), str) and saved["name"].strip() else None
    if name is None:  # the model's file: the one written, else the one trained, else the report's own
        written = args.output if args.output not in (None, "-") else args.model
        name = Path(written if written not in (None, "-") else args.report).stem
    try:
        export(net, args.report, "html", title=f"Training report: {name}")
    except OSError as error:
        raise CommandError(f"{args.report}: {error.strerror or error}") from None
    finally:
        net.metadata = saved  # the saved model stays lean: the curve lives in the report only


def _names(text: str | None) -> list[str] | None:
    return None if text is None else [name.strip() for name in text.split(",")]


def _name_model(net: Network, args: argparse.Namespace, header: list[str] | None) -> None:
    """Input and output names (--input-names, --output-names, else the CSV header) and --name, into
    the model's metadata, where ``info`` and the exported page read them."""
    inputs, outputs = net.inputs(), net.outputs()
    given = {"inputs": _names(args.input_names), "outputs": _names(args.output_names)}
    if header is not None and len(header) == inputs + outputs:
        given["inputs"] = given["inputs"] or [cell.strip() for cell in header[:inputs]]
        given["outputs"] = given["outputs"] or [cell.strip() for cell in header[inputs:]]
    for key, size in (("inputs", inputs), ("outputs", outputs)):
        names = given[key]
        if names is None:
            continue
        if len(names) != size or not all(names):
            option = f"--{key[:-1]}-names"
            raise CommandError(f"{option}: the network has {_count(size, key[:-1])}, got {len(names)} names")
        net.metadata[key] = names
    if args.name is not None:
        net.metadata["name"] = args.name


def _network(args: argparse.Namespace) -> Network:
    """The network ``train`` starts from: --perceptron, --lstm, --model, or the task's default."""
    from ..train import architect

    _task_after_sizes(args)
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
        return load_model(args.model, args)
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


def _task_after_sizes(args: argparse.Namespace) -> None:
    """``--perceptron 2 3 1 xor``: the task that --perceptron or --lstm took in with its sizes is the TASK."""
    for option in ("perceptron", "lstm"):
        sizes = getattr(args, option)
        tasks = [size for size in sizes or () if isinstance(size, str)]
        if not tasks:
            continue
        if sizes[-1] != tasks[0] or len(tasks) > 1 or args.task is not None:
            given = " ".join(map(str, sizes))
            args.parser.error(f"argument --{option}: a task goes once, after the sizes: --{option} {given}")
        args.task = sizes.pop()


def _size_or_task(text: str) -> int | str:
    """A size, or the name of a built-in task given right after the sizes."""
    return text if text in TASKS else size_argument(text)


TASKS = ("xor",)
_LSTM_OPTIONS = ("peepholes", "hidden_to_hidden", "output_to_hidden", "output_to_gates", "input_to_output")


def _training_set(args: argparse.Namespace, net: Network) -> tuple[list[dict[str, list[float]]], list[str] | None]:
    """The samples of ``--data`` (CSV rows, inputs then outputs, or ``{"input", "output"}`` objects)
    and the CSV header, if the file has one."""
    inputs, outputs = net.inputs(), net.outputs()
    model = _name(args.model) if args.model is not None else "the network"
    samples = []
    header = None
    for row in _rows(args.data, args.format):
        header = header or row.header
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
    return samples, header


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _positive(text: str) -> float:
    """A learning rate: a finite number above 0."""
    value = _finite(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be above 0: {text!r}")
    return value


def _non_negative(text: str) -> float:
    """A target error: a finite number, 0 or more."""
    value = _finite(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return value


def add_train(p: argparse.ArgumentParser) -> None:
    """The options of ``synjson train``."""
    p.add_argument("task", nargs="?", choices=TASKS, metavar="TASK", help="a built-in task: xor")
    group = p.add_argument_group("network")
    group.add_argument("--perceptron", nargs="+", type=_size_or_task, metavar="SIZE", help="a new Perceptron: 2 3 1")
    group.add_argument("--lstm", nargs="+", type=_size_or_task, metavar="SIZE", help="a new LSTM: 1 6 1")
    group.add_argument("--model", metavar="FILE", help="continue training a saved model")
    group.add_argument("--peepholes", choices=[t.name for t in ConnectionType], help="LSTM option")
    switches = [("hidden-to-hidden", "off"), ("output-to-hidden", "off"), ("output-to-gates", "off")]
    for flag, default in [*switches, ("input-to-output", "on")]:
        group.add_argument(f"--{flag}", action=SWITCH, default=None, help=f"LSTM option (default {default})")
    group = p.add_argument_group("data")
    group.add_argument("-d", "--data", metavar="FILE", help="CSV, JSON lines or JSON ('-': stdin)")
    group.add_argument("--format", choices=DATA_FORMATS, default="auto", help="format of --data (default auto)")
    group = p.add_argument_group("trainer")
    group.add_argument("--rate", nargs="+", type=_positive, default=[0.2], metavar="R",
                       help="learning rate (default 0.2); several: equal buckets of the iterations")
    group.add_argument("--iterations", type=size_argument, metavar="N", help="at most N iterations (default 100000)")
    group.add_argument("--error", type=_non_negative, default=0.005, metavar="E",
                       help="target error (default 0.005); not reached by --iterations: exit status 5")
    group.add_argument("--shuffle", action=SWITCH, default=None, help="shuffle every iteration (xor: on)")
    group.add_argument("--cost", type=lambda text: text.upper().replace("-", "_"), default="MSE",
                       choices=("MSE", "CROSS_ENTROPY", "BINARY"), help="cost function (default MSE)")
    group.add_argument("--log", type=int, default=0, metavar="N", help="print the error every N iterations")
    group.add_argument("--seed", type=int, metavar="N", help="seed the new weights and the shuffling")
    group.add_argument("--progress", action=SWITCH, default=None, help="progress bar (default: on a tty)")
    group = p.add_argument_group("output")
    group.add_argument("-o", "--output", metavar="FILE", help="write the model here (default: stdout)")
    group.add_argument("--indent", type=int, metavar="N", help="indent the JSON (default: compact)")
    group.add_argument("--plot", action="store_true", help="draw the error curve on stderr")
    group.add_argument("--history", metavar="FILE", help="write the error curve as CSV: iteration,error")
    group.add_argument("--report", metavar="FILE", help="write a training report: the model's page with its curve")
    group.add_argument("--input-names", metavar="A,B", help="name the inputs (default: the CSV header)")
    group.add_argument("--output-names", metavar="A,B", help="name the outputs (default: the CSV header)")
    group.add_argument("--name", help="name the model (the exported page's title)")

