"""brain.js 2.x's NeuralNetwork layout, detection of big files, and the format hint (the runtime: conformance/)."""

from __future__ import annotations

import copy
import json
import struct
from pathlib import Path
from typing import Any

import pytest

import synjson
from synjson import FormatError, Layer, LimitError, Limits, Network, architect, squash
from synjson.cli.main import main
from synjson.format.bridges import detect, dumps_as, hint, loads_as
from synjson.format.bridges.brainjs import to_brainjs
from synjson.format.bridges.brainjs2 import TRAIN_DEFAULTS, from_brainjs2, is_brainjs2, to_brainjs2


def doc2() -> dict[str, Any]:
    """A 2-2-1 tanh network as brain.js 2.0.0-beta.24's toJSON writes it (float32 numbers)."""
    return {
        "type": "NeuralNetwork",
        "sizes": [2, 2, 1],
        "layers": [
            {"weights": [], "biases": []},
            {"weights": [[1.0, -1.0], [0.5, 2.0]], "biases": [0.5, -0.25]},
            {"weights": [[1.5, -0.75]], "biases": [0.125]},
        ],
        "inputLookup": {"b": 1, "a": 0},
        "inputLookupLength": 2,
        "outputLookup": {"x": 0},
        "outputLookupLength": 1,
        "options": {"inputSize": 0, "outputSize": 0, "binaryThresh": 0.5},
        "trainOpts": {"activation": "tanh", **TRAIN_DEFAULTS},
    }


def test_reads_the_2x_layout_as_a_perceptron_with_names() -> None:
    net = loads_as(json.dumps(doc2()).encode(), "brain.js")
    assert [layer.size for layer in net.layers()] == [2, 2, 1]
    assert net.metadata == {"inputs": ["a", "b"], "outputs": ["x"]}  # by lookup index, not key order
    assert {n.squash.name for n, layer in net.neurons() if layer != "input"} == {"TANH"}
    h0 = squash.TANH.value(0.5 + 1.0 * 0.3 - 1.0 * 0.7)
    h1 = squash.TANH.value(-0.25 + 0.5 * 0.3 + 2.0 * 0.7)
    assert net.activate([0.3, 0.7]) == [squash.TANH.value(0.125 + 1.5 * h0 - 0.75 * h1)]


def test_the_2x_round_trip_is_exact() -> None:
    doc = doc2()
    doc["inputLookup"] = {"a": 0, "b": 1}  # written in index order
    assert to_brainjs2(from_brainjs2(doc2())) == doc
    assert json.loads(dumps_as(from_brainjs2(doc2()), "brain.js-2")) == doc


def test_both_layouts_convert_into_each_other() -> None:
    net = from_brainjs2(doc2())
    back = loads_as(dumps_as(net, "brain.js"), "brain.js")
    assert synjson.dumps(back) == synjson.dumps(net)
    assert to_brainjs(back)["layers"][1] == {
        "0": {"bias": 0.5, "weights": {"a": 1.0, "b": -1.0}},
        "1": {"bias": -0.25, "weights": {"a": 0.5, "b": 2.0}},
    }
    assert to_brainjs2(back)["layers"] == doc2()["layers"]


def test_defaults_without_lookups_or_train_options() -> None:
    doc = doc2()
    for key in ("type", "inputLookup", "inputLookupLength", "outputLookup", "outputLookupLength", "trainOpts"):
        doc.pop(key)
    assert is_brainjs2(doc)  # the layers' arrays tell the layout without "type"
    net = from_brainjs2(doc)
    assert net.metadata == {}
    assert {n.squash.name for n, layer in net.neurons() if layer != "input"} == {"LOGISTIC"}
    doc["activation"] = "tanh"  # 1.6.1's key: brain.js 2 does not read it
    assert {n.squash.name for n, layer in from_brainjs2(doc).neurons() if layer != "input"} == {"LOGISTIC"}
    written = to_brainjs2(architect.Perceptron(2, 3, 1, seed=1))
    assert (written["inputLookup"], written["inputLookupLength"], written["outputLookup"]) == (None, 0, None)
    assert written["layers"][0] == {"weights": [], "biases": []}


def test_the_1x_layout_is_not_taken_for_2x() -> None:
    one = to_brainjs(architect.Perceptron(2, 3, 1, seed=1))
    assert not is_brainjs2(one)
    one["layers"][0] = {"weights": {}, "biases": {}}  # inputs named "weights" and "biases"
    assert not is_brainjs2(one)


BRAIN2_REFUSED = {
    "lstm type": (lambda d: d.update(type="LSTMTimeStep"),
                  'type: type "LSTMTimeStep": synjson reads brain.js\'s NeuralNetwork and NeuralNetworkGPU only'),
    "leaky-relu": (lambda d: d["trainOpts"].update(activation="leaky-relu"),
                   'trainOpts.activation: activation "leaky-relu": brain.js 2 computes leaky-relu as'
                   " max(x, alpha * x), and Synaptic has no such squash"),
    "unknown activation": (lambda d: d["trainOpts"].update(activation="softmax"),
                           "trainOpts.activation: unknown activation 'softmax': brain.js 2 has sigmoid, tanh, relu,"
                           " leaky-relu"),
    "null trainOpts": (lambda d: d.update(trainOpts=None), "trainOpts: expected an object, got null"),
    "no layers": (lambda d: d.pop("layers"), 'missing required key "layers"'),
    "layers short": (lambda d: d["layers"].pop(), "layers: expected 3 layers (one per size), got 2"),
    "no biases": (lambda d: d["layers"][1].pop("biases"), 'layers[1]: missing required key "biases"'),
    "biases short": (lambda d: d["layers"][2]["biases"].pop(),
                     "layers[2].biases: expected 1 biases (one per node of layer 2), got 0"),
    "rows short": (lambda d: d["layers"][1]["weights"].pop(),
                   "layers[1].weights: expected 2 weight rows (one per node of layer 1), got 1"),
    "row long": (lambda d: d["layers"][2]["weights"][0].append(1.0),
                 "layers[2].weights[0]: expected 2 weights (one per node of layer 1), got 3"),
    "string weight": (lambda d: d["layers"][1]["weights"][1].__setitem__(0, "1"),
                      "layers[1].weights[1][0]: expected a number, got a string"),
    "beyond float32": (lambda d: d["layers"][1]["biases"].__setitem__(1, 1e39),
                       "layers[1].biases[1]: 1e+39 is beyond float32's range: brain.js would read it as infinity"),
    "lookup repeats": (lambda d: d["inputLookup"].update(b=0),
                       'inputLookup.a: "a" and "b" both name index 0'),
    "lookup short": (lambda d: d["inputLookup"].pop("b"),
                     "inputLookup: names 1 of 2 indices: synjson names every one or none"),
    "lookup index": (lambda d: d["outputLookup"].update(x=1), "outputLookup.x: expected an integer from 0 to 0, got 1"),
    "lookup length": (lambda d: d.update(inputLookupLength=3),
                      "inputLookupLength: expected 2 (sizes[0]): brain.js runs an input of this length only"),
}


@pytest.mark.parametrize("name", sorted(BRAIN2_REFUSED))
def test_2x_refusals(name: str) -> None:
    change, message = BRAIN2_REFUSED[name]
    doc = doc2()
    change(doc)
    with pytest.raises(FormatError) as error:
        loads_as(json.dumps(doc).encode(), "brain.js")
    assert str(error.value) == message


def test_2x_limits_and_export_refusals() -> None:
    with pytest.raises(LimitError, match=r"^file has 5 neurons, more than the limit of 4;"):
        from_brainjs2(doc2(), limits=Limits(max_neurons=4))
    with pytest.raises(LimitError, match=r"^file has 6 connections, more than the limit of 5;"):
        from_brainjs2(doc2(), limits=Limits(max_connections=5))
    with pytest.raises(FormatError, match=r"^connection 0 \(0 -> 6\) is gated: brain.js has no gates$"):
        to_brainjs2(architect.LSTM(2, 2, 1, seed=1))
    net = architect.Perceptron(2, 2, 1, seed=1)
    net.metadata["inputs"] = ["b", "b"]
    with pytest.raises(FormatError, match=r"^the inputs names must be 2 distinct names: brain.js looks each one up$"):
        to_brainjs2(net)
    net.metadata["inputs"] = ["1", "0"]  # array-index names are fine: the 2.x lookup maps name -> index
    assert to_brainjs2(net)["inputLookup"] == {"1": 0, "0": 1}


def test_2x_holds_float32_numbers_as_written() -> None:
    """brain.js 2 stores weights in Float32Arrays; the file keeps synjson's float64 numbers, as for 1.6.1."""
    net = architect.Perceptron(2, 3, 1, seed=3)
    doc = to_brainjs2(net)
    weight = doc["layers"][1]["weights"][0][0]
    assert weight == net.hidden_layers[0].neurons[0].inputs[0].weight
    assert struct.unpack("<f", struct.pack("<f", weight))[0] != weight  # not a float32: brain.js rounds it


# -- detection of files of any size, and the hint ------------------------------------------------


def test_a_pretty_printed_neataptic_file_past_64_kib_is_detected(tmp_path: Path) -> None:
    inputs, output = Layer(800), Layer(1)
    inputs.project(output)
    net = Network(inputs, [], output)
    text = json.dumps(json.loads(dumps_as(net, "neataptic")), indent=2)
    assert text.index('"connections"') > 1 << 16  # what the first 64 KiB did not show
    path = tmp_path / "big.json"
    path.write_text(text)
    assert detect(path) == "neataptic"
    assert synjson.read(path).activate([0.25] * 800) == net.activate([0.25] * 800)
    big2 = tmp_path / "big2.json"
    big2.write_text(json.dumps(json.loads(dumps_as(net, "brain.js-2")), indent=4))
    assert detect(big2) == "brain.js"


def test_detection_reads_no_more_than_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"nodes": [' + " " * (1 << 17) + '], "connections": []}')
    assert detect(path) == "neataptic"
    assert detect(path, limits=Limits(max_bytes=1 << 16)) == "synaptic"  # "connections" lies past the limit


@pytest.mark.parametrize(("text", "said"), [
    ('{"nodes": [], "input": 1}', "; if it is a neataptic file, pass format='neataptic'"),
    ('{"sizes": [2, 1]}', "; if it is a brain.js file, pass format='brain.js'"),
    ('{"model": 1}', ""),
    ('{"neurons": 1}', ""),
    ("not json", ""),
])
def test_hint(text: str, said: str, tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(text)
    assert hint(path) == said
    assert hint(text.encode()) == said


def test_a_file_refused_as_synaptic_says_which_format_reads_it(tmp_path: Path, capsys: Any) -> None:
    doc = json.loads(dumps_as(architect.Perceptron(2, 2, 1, seed=1), "neataptic"))
    del doc["connections"]  # no longer detected as neataptic
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(FormatError) as error:
        synjson.read(path)
    assert str(error.value) == (
        'missing required key "connections"; if it is a neataptic file, pass format=\'neataptic\''
    )
    with pytest.raises(FormatError) as error:
        synjson.read(path, format="synaptic")  # asked for: no hint
    assert str(error.value) == 'missing required key "connections"'
    assert main(["convert", str(path), "-o", str(tmp_path / "out.json")]) == 1
    assert capsys.readouterr().err == (
        f'synjson: error: {path}: missing required key "connections"; if it is a neataptic file, pass --from neataptic\n'
    )
    assert main(["convert", str(path), "--from", "neataptic", "-o", str(tmp_path / "out.json")]) == 1
    assert capsys.readouterr().err == f'synjson: error: {path}: missing required key "connections"\n'


def test_cli_converts_to_the_2x_layout(tmp_path: Path) -> None:
    net = architect.Perceptron(3, 4, 2, seed=5)
    source = synjson.save(net, tmp_path / "net.json")
    assert main(["convert", str(source), "--to", "brain.js-2", "-o", str(tmp_path / "brain.json")]) == 0
    written = json.loads((tmp_path / "brain.json").read_text())
    assert written == to_brainjs2(net)
    assert main(["convert", str(tmp_path / "brain.json"), "-o", str(tmp_path / "back.json")]) == 0
    assert synjson.read(tmp_path / "back.json").activate([0.5, -1, 2]) == net.activate([0.5, -1, 2])


def test_documents_are_not_changed_by_reading() -> None:
    doc = doc2()
    before = copy.deepcopy(doc)
    from_brainjs2(doc)
    assert doc == before


def test_the_hint_in_command_line_words() -> None:
    from synjson.cli.common import cli_words

    assert cli_words("x; if it is a neataptic file, pass format='neataptic'") == (
        "x; if it is a neataptic file, pass --from neataptic")
    assert cli_words("x; if it is a brain.js file, pass format='brain.js'") == (
        "x; if it is a brain.js file, pass --from brain.js")


def test_no_hint_for_text_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "half.json"
    path.write_text('{"nodes": [1,')
    with pytest.raises(FormatError) as error:
        synjson.read(path)
    assert str(error.value) == "not JSON: Expecting value (line 1, column 14)"
