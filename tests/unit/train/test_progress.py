"""Trainer.train's progress bar: by itself in a terminal (a pty here) or a notebook, never in a pipe or a
CI log; progress=True/False force it; the bar never changes the numbers, and the kernel still runs the loop."""

from __future__ import annotations

import fcntl
import io
import os
import select
import struct
import sys
import termios
import types
from collections.abc import Iterator
from typing import Any

import pytest

from synjson import Trainer, architect
from synjson.engine import available_engines
from synjson.train import trainer as trainer_module
from synjson.train.progress import wanted

XOR = [([0, 0], [0]), ([0, 1], [1]), ([1, 0], [1]), ([1, 1], [0])]
ENGINES = [engine for engine in available_engines() if engine != "reference"]


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No CI variable and no notebook unless a test sets them."""
    monkeypatch.delenv("CI", raising=False)
    for name in ("ipykernel.zmqshell", "IPython.utils._process_emscripten"):
        monkeypatch.delitem(sys.modules, name, raising=False)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A function that makes stderr a pty (pytest resets sys.stderr between a fixture and its test,
    so the test calls it) and returns a function that reads what was written to it."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty is 0 columns wide
    stream = os.fdopen(slave, "w", encoding="utf-8")

    def attach() -> Any:
        monkeypatch.setattr(sys, "stderr", stream)
        return written

    def written() -> str:
        stream.flush()
        chunks = []
        while select.select([master], [], [], 0.2)[0]:
            chunks.append(os.read(master, 65536))
        return b"".join(chunks).decode("utf-8", "replace")

    yield attach
    stream.close()
    os.close(master)


def train(engine: str, **options: Any) -> Any:
    net = architect.Perceptron(2, 3, 1, seed=3)
    result = Trainer(net, engine=engine).train(XOR, rate=0.3, iterations=300, error=0, **options)
    return result, net.to_json()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_terminal_gets_a_bar_by_itself(engine: str, terminal: Any) -> None:
    terminal = terminal()
    result, model = train(engine)
    text = terminal()
    assert "training: 100%" in text and "300/300" in text and "error=" in text
    quiet = train(engine, progress=False)
    assert (result.history, model) == (quiet[0].history, quiet[1])  # the bar changes no number


@pytest.mark.parametrize("engine", ENGINES)
def test_progress_false_keeps_a_terminal_quiet(engine: str, terminal: Any) -> None:
    terminal = terminal()
    train(engine, progress=False)
    assert terminal() == ""


def test_a_ci_log_never_gets_a_bar(terminal: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    terminal = terminal()
    train("auto")
    assert terminal() == ""
    train("auto", progress=True)  # forced
    assert "300/300" in terminal()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_pipe_gets_no_bar_unless_forced(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    read, write = os.pipe()
    with os.fdopen(write, "w") as pipe, os.fdopen(read) as back:
        monkeypatch.setattr(sys, "stderr", pipe)
        train(engine)
        pipe.close()
        assert back.read() == ""
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    train(engine, progress=True)
    assert "training: 100%" in stream.getvalue() and "300/300" in stream.getvalue()


def test_a_notebook_gets_a_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a Jupyter kernel (ipykernel loaded) stderr is no terminal, and the bar still shows."""
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    assert not wanted(None, stream)
    monkeypatch.setitem(sys.modules, "ipykernel.zmqshell", types.ModuleType("ipykernel.zmqshell"))
    assert wanted(None, stream)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tqdm.auto without ipywidgets warns and draws text
        train("auto")
    assert "300/300" in stream.getvalue()


def test_the_kernel_runs_the_loop_under_a_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    if "native" not in ENGINES:
        pytest.skip("the C kernel is not built here")
    calls: list[Any] = []
    real = trainer_module._native_train
    monkeypatch.setattr(trainer_module, "_native_train", lambda *a: calls.append(a[-1]) or real(*a))
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    train("native", progress=True)
    assert len(calls) == 1 and calls[0] is not None  # the bar went into the kernel's run


@pytest.mark.parametrize("engine", ENGINES)
def test_log_lines_are_the_same_with_a_bar(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    lines: list[list[str]] = [[], []]
    with_bar = train(engine, progress=True, log=7, log_to=lines[0].append)
    without = train(engine, progress=False, log=7, log_to=lines[1].append)
    assert lines[0] == lines[1] and len(lines[0]) == 300 // 7
    assert with_bar[0].history == without[0].history and with_bar[1] == without[1]


def test_progress_must_be_a_bool_or_none() -> None:
    with pytest.raises(ValueError, match=r"^progress must be True, False or None, got 'yes'$"):
        train("auto", progress="yes")
