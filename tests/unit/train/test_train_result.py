"""TrainResult's history and rates read as tuples, also when the kernel's loop hands over its arrays."""

from __future__ import annotations

import dataclasses
import pickle
from array import array

import pytest

from synjson import Trainer, TrainResult, architect


def test_an_array_reads_as_the_tuple() -> None:
    given = TrainResult(error=0.5, iterations=3, time=0.0, history=array("d", [0.75, 0.5, 0.25]),
                        rates=array("d", [0.3, 0.2, 0.1]))
    made = TrainResult(error=0.5, iterations=3, time=0.0, history=(0.75, 0.5, 0.25), rates=(0.3, 0.2, 0.1))
    assert type(given.history) is tuple and given.history == (0.75, 0.5, 0.25) and given.rates == (0.3, 0.2, 0.1)
    assert given == made and hash(given) == hash(made)
    assert pickle.loads(pickle.dumps(TrainResult(error=0.5, iterations=1, time=0.0, history=array("d", [0.5])))) == (
        TrainResult(error=0.5, iterations=1, time=0.0, history=(0.5,)))
    assert dataclasses.asdict(given)["history"] == (0.75, 0.5, 0.25)
    assert TrainResult(error=0.1, iterations=0, time=0.0).history == () == TrainResult(0.1, 0, 0.0).rates
    assert repr(given) == "TrainResult(error=0.5, iterations=3, time=0 s, history=3 points)"


def test_it_stays_frozen() -> None:
    result = TrainResult(error=0.5, iterations=1, time=0.0, history=array("d", [0.5]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.history = (1.0,)  # type: ignore[misc]
    assert result.history == (0.5,)


def test_a_training_gives_tuples_on_every_engine() -> None:
    xor = [{"input": [0, 0], "output": [0]}, {"input": [1, 1], "output": [0]}]
    for engine in ("reference", "python", None):
        result = Trainer(architect.Perceptron(2, 3, 1, seed=1), engine=engine).train(
            xor, rate=[0.3, 0.2], iterations=6, error=0)
        assert type(result.history) is tuple and type(result.rates) is tuple and len(result.history) == 6
        assert result.rates == (0.3, 0.3, 0.2, 0.2, 0.2, 0.2)
