"""SYNJSON_ORACLE_CACHE (tests/conformance/synaptic_oracle.py): an answer is kept per script and request, and
a kept answer is what a repeated request returns, without Node."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from synaptic_oracle import run_oracle

pytestmark = [pytest.mark.node]


def test_an_answer_is_kept_per_request_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNJSON_ORACLE_CACHE", str(tmp_path))
    request = {"build": {"kind": "Perceptron", "args": [2, 2, 1]}, "seed": 3}
    first = run_oracle(request)
    [kept] = tmp_path.iterdir()
    assert run_oracle(request) == first
    kept.write_text('{"kept": true}', encoding="utf-8")  # what a repeated request returns: the kept text
    assert run_oracle(request) == {"kept": True}
    other = run_oracle({**request, "seed": 4})  # another request: Node again, and a second answer kept
    assert other["network"] != first["network"] and len(list(tmp_path.iterdir())) == 2

