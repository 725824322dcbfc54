"""Fuzzing the bridge loaders in CI: mutated ONNX, brain.js and neataptic files load and work, or raise FormatError.

The property and the mutations live in ``tests/fuzz/fuzz_bridges.py``, which also runs longer campaigns.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))
from fuzz_bridges import FORMATS, check, fuzz_inputs, seeds

import synjson


@pytest.mark.parametrize("format", FORMATS)
def test_every_seed_loads(format: str) -> None:
    for data in seeds()[format]:
        if b"LeakyRelu" in data or b"Softmax" in data:  # the torch fixtures that are refused on purpose
            assert check(data, format) is None
        else:
            assert check(data, format) is not None


@settings(max_examples=600)
@given(fuzz_inputs())
def test_mutated_files_load_or_raise_format_error(item: tuple[bytes, str]) -> None:
    check(*item)


def test_the_property_can_fail() -> None:
    """check() lets anything but FormatError through: a loader bug would fail the test above."""
    with pytest.raises(ValueError, match="loads_as reads onnx"):
        check(b"{}", "synaptic")
    assert issubclass(synjson.LimitError, synjson.FormatError)
