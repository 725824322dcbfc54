"""The error hierarchy and path rendering."""

import pytest

import synjson
from synjson.errors import format_path


def test_hierarchy():
    assert issubclass(synjson.FormatError, synjson.SynjsonError)
    assert issubclass(synjson.FormatError, ValueError)
    assert issubclass(synjson.LimitError, synjson.FormatError)
    assert issubclass(synjson.TrainingError, synjson.SynjsonError)


@pytest.mark.parametrize(
    ("path", "text"),
    [((), "$"), (("neurons",), "neurons"), (("connections", 12, "to"), "connections[12].to"), ((3, "bias"), "[3].bias")],
)
def test_format_path(path, text):
    assert format_path(path) == text


def test_format_error_message_names_the_place():
    error = synjson.FormatError("neuron 40 does not exist (31 neurons)", ("connections", 12, "to"))
    assert str(error) == "connections[12].to: neuron 40 does not exist (31 neurons)"
    assert error.path == ("connections", 12, "to")
    assert error.message == "neuron 40 does not exist (31 neurons)"
    assert error.errors == [error]


def test_training_error_carries_iteration_and_neuron():
    error = synjson.TrainingError("diverged", iteration=7, neuron=3)
    assert (error.iteration, error.neuron, str(error)) == (7, 3, "diverged")
