"""synjson.exporters.info: summary() counts and the text synjson info prints."""

from __future__ import annotations

import json

import synjson
from synjson.exporters.info import format_summary, summary
from synjson.train.architect import LSTM, Hopfield, Perceptron


def test_perceptron():
    info = summary(Perceptron(2, 3, 1, seed=1))
    assert info == {
        "inputs": 2, "outputs": 1, "neurons": 6, "connections": 9, "self_connections": 0,
        "gated_connections": 0, "gaters": 0, "weights": 9, "biases": 4, "parameters": 13,
        "squash": {"LOGISTIC": 4},
        "layers": [
            {"name": "input", "layer": "input", "size": 2, "squash": {"LOGISTIC": 2}},
            {"name": "hidden 0", "layer": 0, "size": 3, "squash": {"LOGISTIC": 3}},
            {"name": "output", "layer": "output", "size": 1, "squash": {"LOGISTIC": 1}},
        ],
        "recurrent": False,
        "architecture": {"type": "Perceptron", "sizes": [2, 3, 1]},
        "name": None, "input_names": None, "output_names": None,
    }
    assert json.loads(json.dumps(info)) == info


def test_lstm_counts_gates_and_self_connections():
    info = summary(LSTM(2, 3, 1, seed=1))
    # input->4 blocks 4*6, cell->out 3, self 3, peepholes 3*9, input->out 2
    assert info["connections"] == 24 + 3 + 3 + 27 + 2 == 59
    assert (info["self_connections"], info["gated_connections"], info["gaters"]) == (3, 6 + 3 + 3, 9)
    assert (info["weights"], info["biases"], info["parameters"]) == (56, 13, 69)
    assert info["recurrent"] is True
    assert [layer["size"] for layer in info["layers"]] == [2, 3, 3, 3, 3, 1]


def test_hopfield():
    info = summary(Hopfield(4, seed=1))
    assert (info["connections"], info["self_connections"], info["weights"], info["biases"]) == (16, 0, 16, 4)
    assert [layer["size"] for layer in info["layers"]] == [4, 4] and info["recurrent"] is False


def test_self_connections_are_not_parameters():
    cell = synjson.Layer(2)
    cell.project(cell)  # ONE_TO_ONE onto itself: two self-connections, weight fixed at 1
    net = synjson.Network(input=synjson.Layer(1), hidden=[cell], output=synjson.Layer(1))
    net.input_layer.project(cell)
    cell.project(net.output_layer)
    info = summary(net)
    assert (info["connections"], info["self_connections"], info["weights"], info["biases"]) == (6, 2, 4, 3)
    assert info["recurrent"] is True


def test_loaded_model_has_no_architecture_and_text_is_aligned():
    net = synjson.loads(synjson.dumps(Perceptron(2, 3, 1, seed=1)).replace(',"synjson":', ',"x":'))
    info = summary(net)
    assert info["architecture"] is None
    assert format_summary(info) == (
        "inputs             2\n"
        "outputs            1\n"
        "neurons            6\n"
        "connections        9\n"
        "self-connections   0\n"
        "gated connections  0\n"
        "gaters             0\n"
        "parameters         13 (9 weights, 4 biases)\n"
        "squash             LOGISTIC 4\n"
        "recurrent          no\n"
        "layers             3\n"
        "  input     2  LOGISTIC 2\n"
        "  hidden 0  3  LOGISTIC 3\n"
        "  output    1  LOGISTIC 1\n"
    )


def test_architecture_line():
    text = format_summary(summary(LSTM(1, 2, 1, peepholes="ONE_TO_ONE", seed=1)))
    assert (
        "architecture       LSTM 1-2-1 (peepholes ONE_TO_ONE, hidden_to_hidden False, output_to_hidden False, "
        "output_to_gates False, input_to_output True)\n"
    ) in text
