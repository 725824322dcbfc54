"""Squash functions: Synaptic's optimized formulas, values and derivatives."""

import math

import pytest

from synjson import squash


@pytest.mark.parametrize("state", [-3.0, -0.5, 0.0, 0.25, 2.0])
def test_logistic_matches_definition(state):
    activation, derivative = squash.LOGISTIC(state)
    assert activation == 1 / (1 + math.exp(-state))
    assert derivative == activation * (1 - activation)


def test_tanh_uses_the_single_exp_form_of_synaptics_generated_code():
    state = 0.5
    positive = math.exp(state)
    negative = 1 / positive
    activation, derivative = squash.TANH(state)
    assert activation == (positive - negative) / (positive + negative)
    assert derivative == 1 - activation * activation
    assert abs(activation - math.tanh(state)) < 1e-15


@pytest.mark.parametrize("state", [710.0, -710.0, 1e300])
def test_tanh_is_nan_where_the_exp_overflows_as_in_synaptic(state):
    activation, derivative = squash.TANH(state)
    assert math.isnan(activation) and math.isnan(derivative)


def test_logistic_saturates_without_overflow_errors():
    assert squash.LOGISTIC(-800.0) == (0.0, 0.0)
    assert squash.LOGISTIC(800.0) == (1.0, 0.0)


@pytest.mark.parametrize(
    ("function", "state", "expected"),
    [
        (squash.IDENTITY, -2.5, (-2.5, 1.0)),
        (squash.HLIM, 0.0, (0.0, 1.0)),
        (squash.HLIM, 0.1, (1.0, 1.0)),
        (squash.RELU, -1.0, (0.0, 0.0)),
        (squash.RELU, 0.0, (0.0, 0.0)),
        (squash.RELU, 3.0, (3.0, 1.0)),
    ],
)
def test_piecewise_squashes(function, state, expected):
    assert function(state) == expected


def test_by_name_falls_back_to_logistic_like_synaptic_fromjson():
    assert squash.by_name("TANH") is squash.TANH
    assert squash.by_name("SOFTMAX") is squash.LOGISTIC
    assert squash.by_name(None) is squash.LOGISTIC
    assert squash.by_name(3) is squash.LOGISTIC


def test_value_and_derivative_accessors():
    assert squash.RELU.value(2.0) == 2.0
    assert squash.RELU.derivative(2.0) == 1.0
    assert repr(squash.TANH) == "synjson.squash.TANH"
