"""synjson.exporters.curve: the error curve as text and CSV, and the TrainResult.history it reads."""

from __future__ import annotations

import doctest

import synjson.exporters.curve
from synjson.exporters.curve import points, text_plot, to_csv, training_block
from synjson.train.trainer import TrainResult


def test_docstring_examples() -> None:
    assert doctest.testmod(synjson.exporters.curve).failed == 0


def test_history_defaults_to_empty() -> None:
    assert TrainResult(error=0.1, iterations=3, time=0.0).history == ()


def test_points_spread_evenly_over_the_iterations() -> None:
    assert points((0.4, 0.3, 0.2), 3) == [(1, 0.4), (2, 0.3), (3, 0.2)]
    assert points((0.4, 0.3), 1000) == [(500, 0.4), (1000, 0.3)]  # one point per log step
    assert points((), 10) == []


def test_csv_is_exact() -> None:
    assert to_csv((0.1 + 0.2, 1e-17), 2) == "iteration,error\n1,0.30000000000000004\n2,1e-17\n"


def test_linear_scale_for_a_narrow_range_and_nan_skipped() -> None:
    text = text_plot((0.3, 0.2, float("nan"), 0.25), 4, height=3)
    assert text.splitlines() == [
        "error (linear), 3 points over 4 iterations",
        "0.3 |*",
        "    |  *",
        "0.2 | *",
        "    +---",
        "     1 4",
    ]


def test_training_block_keeps_at_most_limit_points_and_the_last() -> None:
    history = tuple(1 / (k + 1) for k in range(10))
    block = training_block(history, 10, error=0.1, time=0.5, cost="MSE", limit=4)
    assert block["history"] == [[2, 0.5], [5, 0.2], [8, 0.125], [10, 0.1]]
    assert (block["iterations"], block["error"], block["time"], block["cost"]) == (10, 0.1, 0.5, "MSE")
    assert training_block((), 3, error=1.0, time=0.0) == {"history": [], "iterations": 3, "error": 1.0, "time": 0.0}
