"""ONNX graphs as skl2onnx and torch.onnx write them, with the operators that move no value, against onnxruntime.

skl2onnx writes ``Cast`` (to the input's own type), ``MatMul``, ``Add`` and activations, then
``Reshape([-1, 1])`` for a regressor or, for a binary classifier, the label and ``[1 - p, p]`` after
the ``Sigmoid``. torch.onnx writes ``Flatten`` for ``nn.Flatten`` and ``Identity`` aliases of weights.
Real skl2onnx graphs are written here from scikit-learn models (both are test dependencies); the
torch-style graphs are built with ``onnx.helper`` and ``tests/data/onnx/torch_*_flatten*.onnx``.
Tolerances: float64 graphs 1e-12; float32 graphs 1e-6 relative to max(|y|, 1) (onnxruntime sums in
float32, synjson in float64 over the same float32 weights).
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

import synjson
from synjson import FormatError
from synjson.format.bridges.onnx_import import from_onnx

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "onnx"


@functools.cache
def sk() -> SimpleNamespace:
    """scikit-learn and skl2onnx, imported by the first test that needs them: they take seconds to import,
    and every pytest-xdist worker imports every test module to collect it."""
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    return SimpleNamespace(
        convert_sklearn=convert_sklearn,
        DoubleTensorType=DoubleTensorType,
        FloatTensorType=FloatTensorType,
        ConvergenceWarning=ConvergenceWarning,
        MLPClassifier=MLPClassifier,
        MLPRegressor=MLPRegressor,
    )


def run(data: bytes, x: np.ndarray) -> list[Any]:
    session = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: x})


def activate(net: synjson.Network, x: np.ndarray) -> np.ndarray:
    return np.array([net.activate(row) for row in x.reshape(len(x), -1).astype(np.float64).tolist()])


def close(got: np.ndarray, want: np.ndarray, float32: bool) -> bool:
    if float32:
        return float(np.max(np.abs(got - want) / np.maximum(np.abs(want), 1.0))) < 1e-6
    return float(np.max(np.abs(got - want))) < 1e-12


def data(seed: int, rows: int = 60, width: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)
    x = rng.uniform(-2, 2, (rows, width))
    return x, np.sin(x @ rng.uniform(-1, 1, width)) + 0.1 * x[:, 0]


def fit(model: Any, x: np.ndarray, y: np.ndarray) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk().ConvergenceWarning)  # a few iterations: the weights only need to differ
        return model.fit(x, y)


def skl(model: Any, width: int, double: bool, **options: Any) -> bytes:
    kind = sk().DoubleTensorType if double else sk().FloatTensorType
    onx = sk().convert_sklearn(
        model, initial_types=[("x", kind([None, width]))], options={id(model): options} if options else None
    )
    return onx.SerializeToString()


# -- skl2onnx ------------------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("double", [False, True])
def test_mlp_regressor_reads_and_agrees(activation: str, double: bool) -> None:
    x, y = data(1)
    model = fit(sk().MLPRegressor(hidden_layer_sizes=(5, 3), activation=activation, max_iter=30, random_state=0), x, y)
    onx = skl(model, 4, double)
    ops = [node.op_type for node in onnx.load_from_string(onx).graph.node]
    assert ops[0] == "Cast" and ops[-1] == "Reshape"  # what the issue saw refused
    net = from_onnx(onx)
    assert [layer.size for layer in net.layers()] == [4, 5, 3, 1]
    assert {n.squash.name for n, layer in net.neurons() if layer == "output"} == {"IDENTITY"}
    probe = np.random.RandomState(2).uniform(-2, 2, (40, 4)).astype(np.float64 if double else np.float32)
    (got,) = run(onx, probe)
    assert got.shape == (40, 1)
    assert close(got.astype(np.float64), activate(net, probe), float32=not double)
    assert close(model.predict(probe.astype(np.float64)).reshape(-1, 1), activate(net, probe), float32=not double)


@pytest.mark.parametrize(("zipmap", "double"), [(True, False), (False, False), (False, True)])  # ZipMap takes floats
def test_binary_mlp_classifier_reads_as_its_probability(zipmap: bool, double: bool) -> None:
    x, y = data(3)
    model = fit(sk().MLPClassifier(hidden_layer_sizes=(6,), activation="tanh", max_iter=40, random_state=0), x, y > 0)
    onx = skl(model, 4, double, **({} if zipmap else {"zipmap": False}))
    net = from_onnx(onx)
    assert [layer.size for layer in net.layers()] == [4, 6, 1]
    assert {n.squash.name for n, layer in net.neurons() if layer == "output"} == {"LOGISTIC"}
    probe = np.random.RandomState(4).uniform(-2, 2, (40, 4)).astype(np.float64 if double else np.float32)
    label, probabilities = run(onx, probe)
    positive = np.array([[row[True]] for row in probabilities] if zipmap else probabilities[:, 1:], np.float64)
    p = activate(net, probe)
    assert close(positive, p, float32=not double)
    assert close(model.predict_proba(probe.astype(np.float64))[:, 1:], p, float32=not double)
    assert np.array_equal(label.astype(bool), p[:, 0] > 0.5)  # the label the graph gives is p > 0.5


def test_a_multi_class_classifier_is_refused_at_its_softmax() -> None:
    x, y = data(5)
    model = fit(
        sk().MLPClassifier(hidden_layer_sizes=(3,), max_iter=10, random_state=0), x, np.digitize(y, [-0.5, 0.5])
    )
    with pytest.raises(FormatError) as error:
        from_onnx(skl(model, 4, False))
    assert str(error.value) == (
        "graph.node[6]: operator Softmax is not supported: it divides each output by a sum over the whole layer,"
        " and a Synaptic neuron squashes its own sum only"
    )


def test_a_two_output_regressor_is_refused_at_its_reshape() -> None:
    """skl2onnx's Reshape([-1, 1]) of a two-output regressor puts each output on a row of its own."""
    x, y = data(6)
    model = fit(sk().MLPRegressor(hidden_layer_sizes=(3,), max_iter=10, random_state=0), x, np.c_[y, -y])
    onx = skl(model, 4, False)
    assert run(onx, x[:5].astype(np.float32))[0].shape == (10, 1)
    with pytest.raises(FormatError) as error:
        from_onnx(onx)
    assert str(error.value) == (
        "graph.node[6]: Reshape to [-1, 1] is not supported: it moves values between rows,"
        " and synjson keeps one row per input"
    )


# -- torch.onnx-style pass-through operators, built with onnx.helper -------------------------------


def graph(
    nodes: list[Any],
    inits: list[Any],
    in_shape: list[Any],
    out_width: int,
    elem: int = TensorProto.DOUBLE,
    full_check: bool = True,
) -> bytes:
    model = helper.make_model(
        helper.make_graph(
            nodes,
            "g",
            [helper.make_tensor_value_info("x", elem, in_shape)],
            [helper.make_tensor_value_info("y", elem, ["N", out_width])],
            inits,
        ),
        opset_imports=[helper.make_opsetid("", 17)],
        ir_version=8,
    )
    onnx.checker.check_model(model, full_check=full_check)  # shape inference fails where the Reshape is wrong
    return model.SerializeToString()


RNG = np.random.default_rng(7)
W1 = numpy_helper.from_array(RNG.uniform(-1, 1, (3, 12)), "fc1.weight")  # Gemm transB=1: [out, in]
B1 = numpy_helper.from_array(RNG.uniform(-1, 1, 3), "fc1.bias")
W2 = numpy_helper.from_array(RNG.uniform(-1, 1, (2, 3)), "fc2.weight")
B2 = numpy_helper.from_array(RNG.uniform(-1, 1, 2), "fc2.bias")


def shape(name: str, *values: int) -> Any:
    return numpy_helper.from_array(np.array(values, np.int64), name)


PASSING = {
    # nn.Sequential(nn.Flatten(), Linear(12, 3), ReLU(), Linear(3, 2)) on [N, 1, 3, 4] images
    "flatten-image": ([helper.make_node("Flatten", ["x"], ["f"], axis=1)], ["N", 1, 3, 4]),
    "reshape-image": ([helper.make_node("Reshape", ["x", "s"], ["f"])], ["N", 3, 4], [shape("s", -1, 12)]),
    "reshape-copy": ([helper.make_node("Reshape", ["x", "s"], ["f"])], ["N", 3, 4], [shape("s", 0, -1)]),
    "cast-identity": (
        [helper.make_node("Cast", ["x"], ["c"], to=TensorProto.DOUBLE), helper.make_node("Identity", ["c"], ["f"])],
        ["N", 12],
    ),
    "flatten-negative-axis": ([helper.make_node("Flatten", ["x"], ["f"], axis=-2)], ["N", 12, 1]),
}


@pytest.mark.parametrize("name", sorted(PASSING))
def test_operators_that_move_no_value_pass_through(name: str) -> None:
    before, in_shape, *extra = PASSING[name]
    nodes = [
        *before,
        helper.make_node("Identity", ["fc1.weight"], ["w1"]),  # torch.onnx's alias of a weight
        helper.make_node("Gemm", ["f", "w1", "fc1.bias"], ["h"], transB=1),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("Gemm", ["r", "fc2.weight", "fc2.bias"], ["g"], transB=1),
        helper.make_node("Reshape", ["g", "last"], ["y"]),
    ]
    onx = graph(nodes, [W1, B1, W2, B2, shape("last", -1, 2), *(extra[0] if extra else [])], in_shape, 2)
    net = from_onnx(onx)
    assert [layer.size for layer in net.layers()] == [12, 3, 2]
    x = np.random.default_rng(8).uniform(-2, 2, (20, *in_shape[1:]))
    assert close(run(onx, x)[0], activate(net, x), float32=False)


def _refused(nodes: list[Any], inits: list[Any], in_shape: list[Any], out_width: int = 3) -> str:
    with pytest.raises(FormatError) as error:
        from_onnx(graph(nodes, [W1, B1, *inits], in_shape, out_width, full_check=False))
    return str(error.value)


def test_operators_that_would_move_or_change_values_are_refused() -> None:
    gemm = helper.make_node("Gemm", ["f", "fc1.weight", "fc1.bias"], ["y"], transB=1)
    assert _refused([helper.make_node("Flatten", ["x"], ["f"], axis=0), gemm], [], ["N", 12]) == (
        "graph.node[0]: Flatten with axis=0 is not supported: it moves values between rows"
    )
    assert _refused([helper.make_node("Reshape", ["x", "s"], ["f"]), gemm], [shape("s", 2, -1)], ["N", 12]) == (
        "graph.node[0]: Reshape to [2, -1] is not supported: it moves values between rows,"
        " and synjson keeps one row per input"
    )
    assert _refused([helper.make_node("Reshape", ["x", "s"], ["f"]), gemm], [shape("s", -1, 6)], ["N", 12]) == (
        "graph.node[0]: Reshape to [-1, 6] is not supported: it moves values between rows,"
        " and synjson keeps one row per input"
    )
    assert _refused([helper.make_node("Cast", ["x"], ["f"], to=TensorProto.INT64), gemm], [], ["N", 12]) == (
        "graph.node[0]: Cast to ONNX data type 7 is not supported: it changes the values, and synjson computes"
        " in float64 (a Cast to float or double changes none)"
    )
    assert _refused(
        [
            helper.make_node("Identity", ["x"], ["f"]),
            helper.make_node("Gemm", ["f", "fc1.weight", "fc1.bias"], ["y"], transB=1),
        ],
        [],
        ["N", 3, 4],
    ) == (
        "graph.node[1]: Gemm of a 3-dimensional value is not supported: synjson reads [batch, features] layers"
        " (a Flatten before it makes one)"
    )
    leaky = [
        helper.make_node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["h"], transB=1),
        helper.make_node("LeakyRelu", ["h"], ["y"]),
    ]
    assert _refused(leaky, [], ["N", 12]) == (
        "graph.node[1]: operator LeakyRelu is not supported: Synaptic has no such squash"
        " (it has LOGISTIC, TANH, RELU, IDENTITY and HLIM)"
    )


def test_a_float32_cast_graph_reads_with_float32_tolerance() -> None:
    """skl2onnx's float graph, built by hand: Cast(to=FLOAT) of a float input changes nothing."""
    w = numpy_helper.from_array(RNG.uniform(-1, 1, (12, 3)).astype(np.float32), "coefficient")
    b = numpy_helper.from_array(RNG.uniform(-1, 1, (1, 3)).astype(np.float32), "intercepts")
    nodes = [
        helper.make_node("Cast", ["x"], ["cast_input"], to=TensorProto.FLOAT),
        helper.make_node("MatMul", ["cast_input", "coefficient"], ["mul_result"]),
        helper.make_node("Add", ["mul_result", "intercepts"], ["add_result"]),
        helper.make_node("Sigmoid", ["add_result"], ["y"]),
    ]
    onx = graph(nodes, [w, b], ["N", 12], 3, elem=TensorProto.FLOAT)
    net = from_onnx(onx)
    x = np.random.default_rng(9).uniform(-2, 2, (20, 12)).astype(np.float32)
    assert close(run(onx, x)[0].astype(np.float64), activate(net, x), float32=True)


@pytest.mark.parametrize("name", ["torch_script_flatten_f32", "torch_dynamo_flatten_f64"])
def test_torch_exports_of_nn_flatten_read_and_agree(name: str) -> None:
    """nn.Flatten on [batch, 1, 3, 4]: the TorchScript exporter writes Flatten, dynamo Reshape([-1, 12])."""
    onx = (FIXTURES / f"{name}.onnx").read_bytes()
    assert onnx.load_from_string(onx).graph.node[0].op_type == ("Flatten" if "script" in name else "Reshape")
    net = synjson.read(FIXTURES / f"{name}.onnx")
    assert [layer.size for layer in net.layers()] == [12, 5, 2]
    float32 = name.endswith("f32")
    x = np.random.default_rng(10).uniform(-2, 2, (30, 1, 3, 4)).astype(np.float32 if float32 else np.float64)
    assert close(run(onx, x)[0].astype(np.float64), activate(net, x), float32=float32)
