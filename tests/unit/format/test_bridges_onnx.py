"""ONNX both ways, against onnxruntime: exported graphs, the torch fixtures, hand-built tf2onnx-style graphs."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

import synjson
from synjson import FormatError, Layer, LimitError, Limits, Network, Neuron, architect, squash
from synjson.format.bridges.onnx_export import initial_state, mlp_refusal, to_onnx
from synjson.format.bridges.onnx_import import from_onnx

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "onnx"


def session(model: Any) -> ort.InferenceSession:
    data = model if isinstance(model, bytes) else model.SerializeToString()
    return ort.InferenceSession(data, providers=["CPUExecutionProvider"])


def inputs(count: int, width: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-2, 2, (count, width))


def relative(got: np.ndarray, want: np.ndarray) -> float:
    """Largest error relative to max(|want|, 1): float32's rounding of weights and inputs is relative to the
    terms summed, so an output near 0 after cancellation is held to the scale of 1, not of itself."""
    return float(np.max(np.abs(got - want) / np.maximum(np.abs(want), 1.0)))


def perceptron(sizes: list[int], kinds: list[Any], seed: int) -> Network:
    net = architect.Perceptron(*sizes, seed=seed)
    rng = random.Random(seed)
    for layer, kind in zip(net.layers()[1:], kinds):
        layer.set(squash=kind)
        for neuron in layer.neurons:
            neuron.bias = rng.uniform(-1, 1)
            for connection in neuron.inputs:
                connection.weight = rng.uniform(-2, 2)
    return net


# -- export: the plain MLP graph ------------------------------------------------------------------

MLPS = {
    "logistic": ([3, 5, 2], [squash.LOGISTIC, squash.LOGISTIC]),
    "tanh-relu-identity": ([4, 6, 5, 3], [squash.TANH, squash.RELU, squash.IDENTITY]),
    "hlim": ([2, 4, 1], [squash.HLIM, squash.LOGISTIC]),
}


@pytest.mark.parametrize("name", sorted(MLPS))
def test_feed_forward_nets_become_the_plain_graph_and_agree_with_onnxruntime(name: str) -> None:
    sizes, kinds = MLPS[name]
    net = perceptron(sizes, kinds, seed=len(name))
    model = to_onnx(net)
    assert [i.name for i in model.graph.input] == ["input"]
    assert {n.op_type for n in model.graph.node} <= {"Gemm", "Sigmoid", "Tanh", "Relu", "Greater", "Cast"}
    assert model.graph.input[0].type.tensor_type.elem_type == TensorProto.DOUBLE
    x = inputs(50, sizes[0], 1)
    got = session(model).run(["output"], {"input": x})[0]
    want = np.array([net.activate(row.tolist()) for row in x])
    assert np.max(np.abs(got - want)) < 1e-12


def test_float32_on_request_agrees_within_1e_6_relative() -> None:
    net = perceptron([4, 6, 5, 3], [squash.TANH, squash.LOGISTIC, squash.IDENTITY], seed=3)
    model = to_onnx(net, dtype="float32")
    assert model.graph.input[0].type.tensor_type.elem_type == TensorProto.FLOAT
    x = inputs(50, 4, 2).astype(np.float32)
    got = session(model).run(["output"], {"input": x})[0].astype(np.float64)
    want = np.array([net.activate(row.tolist()) for row in x.astype(np.float64)])
    assert relative(got, want) < 1e-6


# -- export: the step graph -----------------------------------------------------------------------


def _hand_net() -> Network:
    """Gates read before and after the gater runs, a gated self-connection, a recurrent link, mixed squashes."""
    rng = random.Random(9)
    first = Layer(3, rng=rng)
    a, b, c, d = (Neuron(rng=rng, squash=s) for s in (squash.TANH, squash.LOGISTIC, squash.RELU, squash.IDENTITY))
    out, out2 = Neuron(rng=rng), Neuron(rng=rng, squash=squash.HLIM)
    for source in first.neurons:
        for target in (a, b, c, d):
            source.project(target, rng.uniform(-1, 1))
    a.project(a)
    c.gate(a.selfconnection)  # c runs after a: a reads the gain c set one step earlier
    b.gate(c.inputs[1])  # b runs before c: c reads the new gain
    first.neurons[2].gate(d.inputs[0])  # an input neuron gates: that gain never changes
    d.project(d)
    a.project(out, 1.1)
    d.project(out, -0.7)
    b.project(out2, 0.6)
    out.project(b, 0.5)  # recurrent
    b.gate(out.inputs[0])
    return Network(input=first, hidden=[Layer.of([a, b, c, d])], output=Layer.of([out, out2]))


STEPPED = {
    "lstm": lambda: architect.LSTM(2, 4, 1, seed=3),
    "lstm-two-blocks": lambda: architect.LSTM(3, 3, 2, 2, seed=4),
    "liquid": lambda: architect.Liquid(2, 8, 2, 6, 4, seed=5),
    "hand": _hand_net,
}


def step_through(net: Network, model: Any, xs: np.ndarray, dtype: Any = np.float64) -> tuple[float, float]:
    runner = session(model)
    names = [o.name for o in model.graph.output]
    feeds = {k: v.astype(dtype) for k, v in initial_state(net).items()}
    worst_abs = worst_rel = 0.0
    for x in xs:
        feeds["input"] = x[None, :].astype(dtype)
        result = dict(zip(names, runner.run(None, feeds)))
        feeds.update({"activation": result["activation_out"], "state": result["state_out"]})
        if "gain_out" in result:
            feeds["gain"] = result["gain_out"]
        want = np.array(net.activate(x.astype(dtype).astype(np.float64).tolist()))
        got = result["output"][0].astype(np.float64)
        worst_abs = max(worst_abs, float(np.max(np.abs(got - want))))
        worst_rel = max(worst_rel, relative(got, want))
    return worst_abs, worst_rel


@pytest.mark.parametrize("name", sorted(STEPPED))
def test_recurrent_nets_stepped_20_times_through_onnxruntime_match_activate(name: str) -> None:
    net = STEPPED[name]()
    for row in inputs(3, net.inputs(), 8):  # start mid-sequence: the state inputs carry it
        net.activate(row.tolist())
    model = to_onnx(net)
    assert [i.name for i in model.graph.input][:3] == ["input", "activation", "state"]
    assert {p.key: p.value for p in model.metadata_props}["synjson.graph"] == "step"
    worst_abs, _ = step_through(net, model, inputs(20, net.inputs(), 7))
    assert worst_abs < 1e-12


def test_recurrent_float32_stays_within_1e_6_relative_over_20_steps() -> None:
    net = architect.LSTM(2, 4, 1, seed=3)
    _, worst_rel = step_through(net, to_onnx(net, dtype="float32"), inputs(20, 2, 7), np.float32)
    assert worst_rel < 1e-6


def test_the_step_graph_runs_a_batch_and_also_feed_forward_nets() -> None:
    net = perceptron([3, 4, 2], [squash.LOGISTIC, squash.TANH], seed=1)
    model = to_onnx(net, graph="step")
    x = inputs(6, 3, 3)
    state = {k: np.repeat(v, 6, axis=0) for k, v in initial_state(net).items()}
    got = session(model).run(["output"], {"input": x, **state})[0]
    want = np.array([net.activate(row.tolist()) for row in x])
    assert np.max(np.abs(got - want)) < 1e-12


def test_metadata_state_is_where_the_network_stands() -> None:
    net = architect.LSTM(2, 3, 1, seed=2)
    net.activate([0.5, -0.5])
    props = {p.key: p.value for p in to_onnx(net).metadata_props}
    assert json.loads(props["synjson.state"]) == {k: v[0].tolist() for k, v in initial_state(net).items()}


def test_mlp_refusals_name_the_reason() -> None:
    lstm = architect.LSTM(2, 3, 1, seed=1)
    assert mlp_refusal(lstm) == "connection 0 (0 -> 8) is gated"
    with pytest.raises(FormatError) as error:
        to_onnx(lstm, graph="mlp")
    assert str(error.value) == (
        "connection 0 (0 -> 8) is gated: the plain ONNX graph holds layered feed-forward networks only"
    )
    skip = perceptron([2, 3, 1], [squash.LOGISTIC, squash.LOGISTIC], seed=1)
    skip.input_layer.neurons[0].project(skip.output_layer.neurons[0], 0.5)
    assert mlp_refusal(skip) == "connection 3 (0 -> 5) does not go from one layer to the next"
    mixed = perceptron([2, 3, 1], [squash.LOGISTIC, squash.LOGISTIC], seed=1)
    mixed.hidden_layers[0].neurons[1].squash = squash.TANH
    assert mlp_refusal(mixed) == "neuron 2's layer mixes squashes LOGISTIC and TANH"
    selfish = perceptron([2, 3, 1], [squash.LOGISTIC, squash.LOGISTIC], seed=1)
    selfish.hidden_layers[0].neurons[0].project(selfish.hidden_layers[0].neurons[0])
    assert mlp_refusal(selfish) == "connection 7 (2 -> 2) is a self-connection"
    with pytest.raises(ValueError, match="dtype"):
        to_onnx(skip, dtype="float16")


# -- import ---------------------------------------------------------------------------------------

FIXTURE_FILES = ["torch_dynamo_sigmoid_f32", "torch_dynamo_tanh_relu_f64", "torch_script_sigmoid_f32",
                 "torch_script_tanh_relu_f64"]


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_torch_exports_read_and_agree_with_onnxruntime(name: str) -> None:
    data = (FIXTURES / f"{name}.onnx").read_bytes()
    net = synjson.read(FIXTURES / f"{name}.onnx")
    float32 = name.endswith("f32")
    x = inputs(40, net.inputs(), 5).astype(np.float32 if float32 else np.float64)
    got = session(data).run(None, {"x": x})[0].astype(np.float64)
    want = np.array([net.activate(row.tolist()) for row in x.astype(np.float64)])
    if float32:  # the file's weights are float32: synjson holds them exactly, onnxruntime sums in float32
        assert relative(got, want) < 1e-6
    else:
        assert np.max(np.abs(got - want)) < 1e-12
    assert [layer.size for layer in net.layers()] == ([3, 5, 2] if "sigmoid" in name else [4, 6, 3, 2])


@pytest.mark.parametrize(("name", "message"), [
    ("torch_script_leakyrelu", "graph.node[1]: operator LeakyRelu is not supported: Synaptic has no such squash (it has LOGISTIC, TANH, RELU, IDENTITY and HLIM)"),
    ("torch_dynamo_softmax", "graph.node[3]: operator Softmax is not supported: it divides each output by a sum over the whole layer, and a Synaptic neuron squashes its own sum only"),
])
def test_other_torch_graphs_are_refused_naming_the_operator(name: str, message: str) -> None:
    with pytest.raises(FormatError) as error:
        synjson.read(FIXTURES / f"{name}.onnx")
    assert str(error.value) == message


def tf2onnx_style(weights: list[np.ndarray], biases: list[np.ndarray], acts: list[str], *, dtype: Any = np.float32,
                  gemm: bool = False, constant_nodes: bool = False) -> bytes:
    """MatMul + Add (+ activation) per layer, weights [in, out], as tf2onnx writes Keras Dense layers;
    ``gemm``: Gemm with transB=0 instead; ``constant_nodes``: weights in Constant nodes."""
    elem = TensorProto.FLOAT if dtype == np.float32 else TensorProto.DOUBLE
    nodes, inits = [], []
    current = "dense_input"
    for i, (w, b, act) in enumerate(zip(weights, biases, acts)):
        tensors = [numpy_helper.from_array(w.astype(dtype), f"W{i}"), numpy_helper.from_array(b.astype(dtype), f"B{i}")]
        if constant_nodes:
            nodes += [helper.make_node("Constant", [], [t.name], value=t) for t in tensors]
        else:
            inits += tensors
        if gemm:
            nodes.append(helper.make_node("Gemm", [current, f"W{i}", f"B{i}"], [f"g{i}"], transB=0))
            current = f"g{i}"
        else:
            nodes.append(helper.make_node("MatMul", [current, f"W{i}"], [f"m{i}"]))
            nodes.append(helper.make_node("Add", [f"m{i}", f"B{i}"], [f"a{i}"]))
            current = f"a{i}"
        if act:
            nodes.append(helper.make_node(act, [current], [f"act{i}"]))
            current = f"act{i}"
    nodes.append(helper.make_node("Identity", [current], ["dense_out"]))
    graph = helper.make_graph(nodes, "keras", [helper.make_tensor_value_info("dense_input", elem, ["N", weights[0].shape[0]])],
                              [helper.make_tensor_value_info("dense_out", elem, ["N", weights[-1].shape[1]])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
    onnx.checker.check_model(model)
    return model.SerializeToString()


@pytest.mark.parametrize("style", ["matmul-add", "gemm-transB-0", "constant-nodes"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_keras_style_graphs_read_and_agree(style: str, dtype: Any) -> None:
    rng = np.random.default_rng(4)
    weights = [rng.uniform(-1, 1, (3, 5)), rng.uniform(-1, 1, (5, 4)), rng.uniform(-1, 1, (4, 2))]
    biases = [rng.uniform(-1, 1, 5), rng.uniform(-1, 1, 4), rng.uniform(-1, 1, 2)]
    data = tf2onnx_style(weights, biases, ["Relu", "Tanh", ""], dtype=dtype, gemm=style == "gemm-transB-0",
                         constant_nodes=style == "constant-nodes")
    net = from_onnx(data)
    assert [n.squash.name for n, _ in net.neurons()][-2:] == ["IDENTITY", "IDENTITY"]
    x = inputs(30, 3, 6).astype(dtype)
    got = session(data).run(None, {"dense_input": x})[0].astype(np.float64)
    want = np.array([net.activate(row.tolist()) for row in x.astype(np.float64)])
    assert (relative(got, want) < 1e-6) if dtype == np.float32 else (np.max(np.abs(got - want)) < 1e-12)


def test_a_synjson_export_reads_back_with_its_names(tmp_path: Path) -> None:
    net = perceptron([3, 4, 2], [squash.TANH, squash.LOGISTIC], seed=2)
    net.metadata.update(inputs=["a", "b", "c"], outputs=["yes", "no"])
    path = synjson.save(net, tmp_path / "net.onnx")
    back = synjson.read(path)
    assert back.metadata == {"inputs": ["a", "b", "c"], "outputs": ["yes", "no"]}
    assert back.activate([0.1, 0.2, 0.3]) == pytest.approx(net.activate([0.1, 0.2, 0.3]), abs=1e-15)


def _model(nodes: list[Any], inits: list[Any], out: str = "y", width: int = 2) -> bytes:
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.DOUBLE, ["N", width])],
                              [helper.make_tensor_value_info(out, TensorProto.DOUBLE, ["N", 2])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()


W = numpy_helper.from_array(np.ones((2, 2)), "W")
B = numpy_helper.from_array(np.zeros(2), "B")

REFUSED = {
    "sigmoid-first": ([helper.make_node("Sigmoid", ["x"], ["y"])], [],
                      "graph.node[0]: Sigmoid follows the graph input: Synaptic squashes each neuron once"),
    "two-activations": ([helper.make_node("Gemm", ["x", "W", "B"], ["g"]), helper.make_node("Tanh", ["g"], ["t"]),
                         helper.make_node("Relu", ["t"], ["y"])], [W, B],
                        "graph.node[2]: Relu follows an activation: Synaptic squashes each neuron once"),
    "alpha": ([helper.make_node("Gemm", ["x", "W", "B"], ["y"], alpha=2.0)], [W, B],
              "graph.node[0]: Gemm with alpha=2.0 is not supported"),
    "add-alone": ([helper.make_node("Gemm", ["x", "W", "B"], ["g"]), helper.make_node("Add", ["g", "B"], ["y"])],
                  [W, B], "graph.node[1]: Add is not the bias of a MatMul: not a sequential MLP"),
    "weights-from-input": ([helper.make_node("MatMul", ["x", "x"], ["y"])], [],
                           "graph.node[0]: MatMul does not take the previous layer's output alone: not a sequential MLP"),
    "wrong-width": ([helper.make_node("MatMul", ["x", "W"], ["y"])], [W],
                    "graph.node[0].input[1]: weights take 2 inputs, the previous layer has 3"),
    "no-layer": ([helper.make_node("Identity", ["x"], ["y"])], [], "graph: the graph has no Gemm or MatMul layer"),
    "not-the-output": ([helper.make_node("MatMul", ["x", "W"], ["m"])], [W],
                       "graph.output: expected the graph's one output to be the last layer's, got ['y']"),
    "custom-domain": ([helper.make_node("Gemm", ["x", "W", "B"], ["y"], domain="com.example")], [W, B],
                      "graph.node[0]: operator com.example.Gemm is not supported: synjson reads MLP graphs of Gemm, MatMul, Add, Sigmoid, Tanh, Relu, Identity, and Cast, Reshape and Flatten that move no value"),
    "nan-weight": ([helper.make_node("MatMul", ["x", "N"], ["y"])], [numpy_helper.from_array(np.full((2, 2), np.nan), "N")],
                   "graph.node[0].input[1]: tensor holds NaN or infinity"),
    "int-weights": ([helper.make_node("MatMul", ["x", "I"], ["y"])], [numpy_helper.from_array(np.ones((2, 2), np.int64), "I")],
                    "graph.node[0].input[1]: expected float or double weights, got ONNX data type 7"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refusals_message_by_message(name: str) -> None:
    nodes, inits, message = REFUSED[name]
    data = _model(nodes, inits, width=3 if name == "wrong-width" else 2)
    with pytest.raises(FormatError) as error:
        from_onnx(data)
    assert str(error.value) == message


def test_bad_bytes_and_limits() -> None:
    with pytest.raises(FormatError, match=r"^not an ONNX model: DecodeError$"):
        from_onnx(b"\x08\x07\xff\xff\xff")
    with pytest.raises(FormatError, match=r"^not an ONNX model: no graph$"):
        from_onnx(b"")
    data = (FIXTURES / "torch_script_sigmoid_f32.onnx").read_bytes()
    with pytest.raises(LimitError, match=r"^file has 30 tensor values, more than the limit of 20;"):
        from_onnx(data, limits=Limits(max_connections=20))
    with pytest.raises(LimitError, match=r"^file is \d+ bytes, more than the limit of 100;"):
        from_onnx(data, limits=Limits(max_bytes=100))


def test_the_liquid_case_gates_a_connection_twice() -> None:
    """Q-DOUBLEGATE: both gaters set the gain, the later one wins; the step graph follows."""
    net = STEPPED["liquid"]()
    gated = [c for layer in net.layers() for n in layer.neurons for c in n.gated]
    assert len(gated) > len({id(c) for c in gated})
