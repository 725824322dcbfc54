"""Python decides, C loops (issue 21 item 2): the rate, the shuffle and the cost are decided once, in Python.

The kernel's training loop (synjson/engine/_kernel_train.inc) applies what train/rate.py,
train/shuffle.py and engine/facts.py decided; a scan of its source fails when it decides again, and the
runs below show the two loops agree on everything decided, the caller's rng included.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from synjson import Trainer, TrainingError, architect, cost, squash
from synjson.engine import available_engines, facts
from synjson.train.kernel_loop import cost_code

ROOT = Path(__file__).resolve().parents[3]
KERNEL_TRAIN = ROOT / "synjson" / "engine" / "_kernel_train.inc"


def code_of(text: str) -> str:
    """The C source without its comments and string literals (the docstring may name what Python does)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.DOTALL)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def decisions(source: str) -> list[str]:
    """What the kernel's training loop decides again, found by a scan of its source."""
    code, found = code_of(source), []
    for pattern, what in (
        (r"\brandom\b|\brng\b", "draws random numbers (the shuffle is train/shuffle.py's)"),
        (r"\[\s*j\s*\]\s*;|\bswap\b", "swaps sample positions (Fisher-Yates is train/shuffle.py's)"),
        (r"bucket|iterations\s*/|/\s*count\b", "spreads a rate list over the iterations (train/rate.py's)"),
        (r"\bPySequence_|\bPyList_GET|PySequence_Fast", "reads a rate list (train/rate.py hands a table)"),
        (r"\bCOST_\w+\s*=\s*\d", "numbers the costs (engine/facts.py's COST_NAMES, through _facts.h)"),
    ):
        if re.search(pattern, code):
            found.append(what)
    for text in ('"MSE"', '"CROSS_ENTROPY"', '"BINARY"', "diverged", "rate list", "no zeros", "outside [0, 1)"):
        if text in source.replace("\\n", ""):
            found.append(f"writes {text} (a name or message that lives in Python)")
    return found


def test_the_kernels_training_loop_decides_nothing_python_decides() -> None:
    assert decisions(KERNEL_TRAIN.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(("snippet", "what"), [
    ("double r = PyFloat_AsDouble(PyObject_CallNoArgs(random));", "draws random numbers"),
    ("Py_ssize_t j = i - 1, swap = perm[i - 1]; perm[i - 1] = perm[j];", "swaps sample positions"),
    ("out->bucket = iterations / count;", "spreads a rate list"),
    ("PyObject *list = PySequence_Tuple(rate);", "reads a rate list"),
    ("enum { COST_MSE = 0 };", "numbers the costs"),
    ('return raise_error("ArgumentError", "a rate list needs at least one entry and no zeros");', "rate list"),
    ('const char *names[] = {"MSE", "CROSS_ENTROPY", "BINARY"};', '"MSE"'),
])
def test_the_scan_finds_each_decision(snippet: str, what: str) -> None:
    """The scan can fail: each way the old kernel decided again is caught."""
    source = KERNEL_TRAIN.read_text(encoding="utf-8") + "\n" + snippet + "\n"
    assert any(what in found for found in decisions(source))


def test_the_cost_codes_are_the_tables() -> None:
    assert [cost_code(cost.COSTS[name]) for name in facts.COST_NAMES] == list(range(len(facts.COST_NAMES)))
    assert set(facts.COST_NAMES) == set(cost.COSTS)
    assert cost_code(lambda t, o: 0.0) is None
    header = (ROOT / facts.HEADER).read_text(encoding="utf-8")
    assert [name for name, _ in re.findall(r"COST_(\w+) = (\d+),", header)] == list(facts.COST_NAMES)


XOR = [{"input": [0, 0], "output": [0]}, {"input": [0, 1], "output": [1]},
       {"input": [1, 0], "output": [1]}, {"input": [1, 1], "output": [0]}]


def run(engine: str, **options: Any) -> tuple[Any, ...]:
    net = architect.Perceptron(2, 3, 1, seed=4)
    rng = random.Random(9)
    try:
        result = Trainer(net, engine=engine).train(XOR, shuffle=True, rng=rng, **options)
        outcome: Any = (result.error, result.iterations, result.history, result.rates)
    except TrainingError as failure:
        outcome = str(failure)
    return outcome, net.to_json(), rng.getstate()


@pytest.mark.parametrize("options", [
    {"rate": 0.5, "iterations": 3000, "error": 0.05},  # stops early, inside a chunk of orders made ahead
    {"rate": [0.6, 0.3, 0.1], "iterations": 700, "error": 0},
    {"rate": 0.3, "iterations": 50, "error": 0, "cost": cost.CROSS_ENTROPY},
    {"rate": lambda i, e: 0.3 + e, "iterations": 40, "error": 0},
    {"rate": 0.3, "iterations": 40, "error": 0, "cross_validate": (0.25, 0.2)},
    {"rate": 0.3, "iterations": 40, "error": 0, "log": 7, "log_to": lambda line: None},
], ids=["error-stop", "rate-list", "cross-entropy", "rate-callable", "cross-validate", "log"])
@pytest.mark.parametrize("engine", available_engines())
def test_every_engine_leaves_the_rng_where_the_reference_leaves_it(engine: str, options: dict[str, Any]) -> None:
    assert run(engine, **options) == run("reference", **options)


@pytest.mark.parametrize("engine", available_engines())
def test_a_log_that_draws_from_the_rng_sees_the_python_loops_draws(engine: str) -> None:
    """The kernel's orders are made ahead, in chunks that end at each log: a log_to drawing from the
    trainer's own rng gets the numbers it gets in the Python loop, and the training the same orders."""
    results = []
    for chosen in (engine, "reference"):
        rng, seen = random.Random(4), []
        result = Trainer(architect.Perceptron(2, 3, 1, seed=4), engine=chosen).train(
            XOR, rate=0.3, iterations=60, error=0, shuffle=True, rng=rng, log=7,
            log_to=lambda line, rng=rng, seen=seen: seen.append((line, rng.random())))
        results.append((result.history, seen, rng.getstate()))
    assert results[0] == results[1] and len(results[0][1]) == 8


@pytest.mark.parametrize("engine", available_engines())
def test_a_divergence_leaves_the_rng_after_the_last_good_iteration(engine: str) -> None:
    def diverging() -> Any:
        net = architect.Perceptron(2, 3, 1, seed=1)
        for layer in net.layers()[1:]:
            layer.set(squash=squash.IDENTITY)
        return net

    data = [{"input": [1e3, -1e3], "output": [1e3]}, {"input": [-1e3, 1e3], "output": [-1e3]}]
    states = []
    for chosen in (engine, "reference"):
        rng = random.Random(2)
        with pytest.raises(TrainingError) as caught:
            Trainer(diverging(), engine=chosen).train(data, rate=5, iterations=1000, error=0, shuffle=True, rng=rng)
        states.append((str(caught.value), rng.getstate()))
    assert states[0] == states[1]
