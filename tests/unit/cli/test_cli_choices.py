"""The command line's lists of choices are its owners' lists (issue 21: one owner per fact).

The parser is built without importing model code (a cold start imports little), so its choices are
written in synjson/cli; this test fails when a list changes in one place alone.
"""

from __future__ import annotations

import argparse

from synjson.cli.main import build_parser
from synjson.engine.facts import COST_NAMES
from synjson.exporters.pages import TARGETS
from synjson.format.files import FORMATS
from synjson.train.cost import COSTS


def choices(command: str, option: str) -> tuple[str, ...]:
    parser = build_parser(command)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    action = next(a for a in sub._actions if option in a.option_strings)
    return tuple(action.choices)


def test_export_targets_are_the_exporters() -> None:
    assert choices("export", "--target") == TARGETS


def test_training_costs_are_the_kernels_and_the_trainers() -> None:
    assert choices("train", "--cost") == COST_NAMES
    assert set(COSTS) == set(COST_NAMES)


def test_model_formats_are_the_readers() -> None:
    assert choices("convert", "--to") == FORMATS
    assert choices("activate", "--from") == FORMATS
