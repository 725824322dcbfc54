"""Fuzzing the loader in CI: mutated models load as a valid network that round-trips, or raise FormatError.

Bounded and derandomized; the property and the mutations live in
``tests/fuzz/fuzz_loads.py``, which also runs the long campaigns (docs/fuzzing.md).
Every input must finish within 10 s (a hang fails the test); the whole file takes
about 25 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))
from fuzz_loads import check, mutated_documents, mutated_texts, seed_documents, seed_texts

import synjson

DOCUMENTS = seed_documents()
TEXTS = seed_texts()
SECONDS_PER_INPUT = 10


def timed_check(data: bytes | str) -> str | None:
    started = time.process_time()
    result = check(data)
    took = time.process_time() - started
    assert took < SECONDS_PER_INPUT, f"one input took {took:.1f} s"
    return result


UNIQUE_TEXTS = list(dict.fromkeys(TEXTS))


@pytest.mark.parametrize("index", range(len(UNIQUE_TEXTS)))
def test_every_seed_loads_or_raises_format_error(index: int) -> None:
    text = UNIQUE_TEXTS[index]
    timed_check(text)
    timed_check(text.encode("utf-8", "surrogateescape"))


@settings(max_examples=1200)
@given(mutated_texts(DOCUMENTS, TEXTS))
def test_mutated_text_loads_and_round_trips_or_raises_format_error(data: bytes | str) -> None:
    timed_check(data)


@settings(max_examples=400)
@given(mutated_documents(DOCUMENTS))
def test_mutated_documents_build_and_round_trip_or_raise_format_error(document: object) -> None:
    """``from_json`` on the parsed structure directly: no text, so NaN and huge ints reach it as is."""
    started = time.process_time()
    try:
        net = synjson.from_json(document)
    except synjson.FormatError:
        return
    text = synjson.dumps(net)
    assert synjson.dumps(synjson.loads(text)) == text
    assert time.process_time() - started < SECONDS_PER_INPUT
