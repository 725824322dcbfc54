"""synjson.train.trainer: options, data checks, divergence handling, logging and progress (no Node needed)."""

from __future__ import annotations

import copy
import functools
import io
import math
import subprocess
import sys
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from synjson import Network, Trainer, TrainingError, architect, cost, squash
from synjson.engine import available_engines
from synjson.train.trainer import as_samples, fisher_yates

# NETWORKS, the engines' catalogue, lives beside the engine tests (imported inside the tests below).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))

ENGINE_NAMES = available_engines()
#: The engines a test holds to the reference's run: the reference against itself is the same call twice.
CHECKED_ENGINES = [name for name in ENGINE_NAMES if name != "reference"]

XOR = [
    {"input": [0, 0], "output": [0]},
    {"input": [0, 1], "output": [1]},
    {"input": [1, 0], "output": [1]},
    {"input": [1, 1], "output": [0]},
]


def weights(net: Network) -> list[float]:
    doc = net.to_json()
    return [c["weight"] for c in doc["connections"]] + [n["bias"] for n in doc["neurons"]]


def test_xor_learns_and_reports() -> None:
    net = architect.Perceptron(2, 3, 1, seed=1)
    result = Trainer(net).train(XOR, rate=0.3, iterations=20000)
    assert result.error <= 0.005 < Trainer(architect.Perceptron(2, 3, 1, seed=1)).test(XOR).error
    assert 0 < result.iterations < 20000
    assert result.time >= 0
    assert Trainer(net).test(XOR).error == pytest.approx(result.error, rel=0.2)


def test_numpy_pair_equals_list_of_samples() -> None:
    numpy = pytest.importorskip("numpy")
    x = numpy.array([s["input"] for s in XOR], dtype=float)
    y = numpy.array([s["output"] for s in XOR], dtype=float)
    a, b = architect.Perceptron(2, 3, 1, seed=2), architect.Perceptron(2, 3, 1, seed=2)
    ra = Trainer(a).train(XOR, iterations=50)
    rb = Trainer(b).train((x, y), iterations=50)
    assert ra.error == rb.error and weights(a) == weights(b)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "the training set is empty"),
        ([{"input": [0, 0], "output": [0]}, {"input": [0], "output": [1]}], "sample 1: input has 1 values, the network has 2 inputs"),
        ([{"input": [0, 0], "output": [0, 1]}], "sample 0: output has 2 values, the network has 1 outputs"),
        ([{"input": [0, "a"], "output": [0]}], "sample 0: input[1] is not a number: 'a'"),
        ([{"input": [0, 0], "output": [True]}], "sample 0: output[0] is not a number: True"),
        ([{"input": [0, 0], "output": [0]}, {"input": [0, None], "output": [0]}], "sample 1: input[1] is not a number: None"),
        ([{"input": [0, math.nan], "output": [0]}], "sample 0: input[1] is not finite: nan"),
        ([{"input": [0, 0]}], "sample 0: expected a mapping with 'input' and 'output' or an (x, y) pair"),
        ([{"input": "01", "output": [0]}], "sample 0: input must be a list of numbers, got str"),
        (([[0, 0], [1, 1]], [[0]]), "X has 2 rows but Y has 1"),
        ("xor", "data must be a list of {'input', 'output'} samples, a list of (x, y) pairs or (X, Y), got str"),
    ],
)
def test_bad_data_names_the_sample(data: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Trainer(architect.Perceptron(2, 2, 1, seed=1)).train(data, iterations=1)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"iterations": 0}, "iterations must be a positive integer, got 0"),
        ({"rate": [0.1, 0.2, 0.3], "iterations": 2}, "a rate list longer than the iterations (3 > 2)"),
        ({"rate": [0.1, 0]}, "a rate list needs at least one entry and no zeros"),
        ({"rate": "fast"}, "rate must be a number, a list of numbers or a callable, got 'fast'"),
        ({"rate": math.inf}, "rate must be finite, got inf"),
        ({"error": None}, "error must be a number, got None"),
        ({"schedule": (2, None)}, "schedule must be (every, callback) with every a non-negative integer"),
        ({"log": -1}, "log must be a non-negative integer, got -1"),
        ({"cross_validate": (0.01, None)}, "cross_validate test size 0.01 leaves 4 samples to train and 0 to test: both must be at least 1"),
        ({"shuffle": True, "seed": 1, "rng": __import__("random").Random(1)}, "pass rng or seed, not both"),
    ],
)
def test_bad_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Trainer(architect.Perceptron(2, 2, 1, seed=1)).train(XOR, **options)
    assert str(caught.value) == message


def test_numbers_at_face_value() -> None:
    """error=0 trains every iteration; rate=0 learns nothing (Synaptic would read both as unset)."""
    net = architect.Perceptron(2, 2, 1, seed=1)
    assert Trainer(net).train(XOR, error=0, iterations=7).iterations == 7
    before = weights(net)
    Trainer(net).train(XOR, rate=0, iterations=3)
    assert weights(net) == before


def test_error_target_at_or_above_one_runs_nothing() -> None:
    result = Trainer(architect.Perceptron(2, 2, 1, seed=1)).train(XOR, error=1)
    assert (result.error, result.iterations) == (1.0, 0)


def test_rate_list_buckets_and_rate_function() -> None:
    seen: list[tuple[int, float]] = []
    Trainer(architect.Perceptron(2, 2, 1, seed=1)).train(
        XOR, rate=[0.3, 0.2, 0.1], iterations=9, error=0, schedule=(1, lambda i: seen.append((i["iterations"], i["rate"])))
    )
    # bucket = 9 // 3; iteration i uses rate[i // 3], the last one past the end
    assert [rate for _, rate in seen] == [0.3, 0.3, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1]
    calls: list[tuple[int, float]] = []

    def rate(iteration: int, last_error: float) -> float:
        calls.append((iteration, last_error))
        return 0.1

    result = Trainer(architect.Perceptron(2, 2, 1, seed=1)).train(XOR, rate=rate, iterations=3, error=0)
    assert [c[0] for c in calls] == [1, 2, 3] and calls[0][1] == 0.0 and calls[2][1] > 0
    assert result.iterations == 3


def test_rate_function_must_return_a_number() -> None:
    with pytest.raises(ValueError, match=r"rate\(1, 0.0\) must be a number, got None"):
        Trainer(architect.Perceptron(2, 2, 1, seed=1)).train(XOR, rate=lambda i, e: None, iterations=3)


def test_schedule_mapping_and_abort() -> None:
    result = Trainer(architect.Perceptron(2, 2, 1, seed=1)).train(
        XOR, error=0, iterations=100, schedule={"every": 5, "do": lambda info: info["iterations"] == 15}
    )
    assert result.iterations == 15


def test_log_lines_like_console_log(capsys: pytest.CaptureFixture[str]) -> None:
    Trainer(architect.Perceptron(2, 2, 1, seed=1)).train(XOR, rate=0.25, error=0, iterations=4, log=2)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[::2] for line in lines] == [["iterations", "error", "rate"]] * 2
    assert [line.split(" ")[1] for line in lines] == ["2", "4"]
    assert all(line.endswith(" rate 0.25") for line in lines)
    collected: list[str] = []
    Trainer(architect.Perceptron(2, 2, 1, seed=1)).train(XOR, rate=0.25, error=0, iterations=4, log=2, log_to=collected.append)
    assert collected == lines


def test_cross_validate_split_and_stop() -> None:
    data = XOR * 3  # 12 samples: ceil(0.75 * 12) = 9 train, 3 test
    net = architect.Perceptron(2, 3, 1, seed=1)
    result = Trainer(net).train(data, rate=0.3, iterations=30, error=0, cross_validate=(0.25, None))
    assert result.iterations == 30
    reference = architect.Perceptron(2, 3, 1, seed=1)
    for _ in range(30):
        Trainer(reference).train(data[:9], rate=0.3, iterations=1, error=0)
    assert weights(reference) == weights(net)
    assert result.error == Trainer(reference).test(data[9:]).error
    stopped = Trainer(architect.Perceptron(2, 3, 1, seed=1)).train(data, iterations=1000, error=0, cross_validate=(0.25, 0.26))
    assert 1 <= stopped.iterations < 1000 and stopped.error <= 0.26


def test_shuffle_is_seeded_and_leaves_data_alone() -> None:
    data = [dict(s) for s in XOR]
    a, b = architect.Perceptron(2, 3, 1, seed=1), architect.Perceptron(2, 3, 1, seed=1)
    Trainer(a).train(data, iterations=20, shuffle=True, seed=5)
    Trainer(b).train(data, iterations=20, shuffle=True, seed=5)
    assert weights(a) == weights(b) and data == XOR
    c = architect.Perceptron(2, 3, 1, seed=1)
    Trainer(c).train(data, iterations=20)
    assert weights(c) != weights(a)


def test_fisher_yates_draws_once_per_position() -> None:
    class Fixed:
        def __init__(self) -> None:
            self.draws = 0

        def random(self) -> float:
            self.draws += 1
            return 0.0  # j = 0: each position in turn swaps with the first

    items, rng = [1, 2, 3, 4], Fixed()
    fisher_yates(items, rng)  # type: ignore[arg-type]
    assert rng.draws == 4 and items == [2, 3, 4, 1]


def diverging_net() -> Network:
    net = architect.Perceptron(2, 3, 1, seed=1)
    for layer in net.layers()[1:]:
        layer.set(squash=squash.IDENTITY)
    return net


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_divergence_raises_and_restores_the_last_finite_state(engine: str) -> None:
    data = [{"input": [1e3, -1e3], "output": [1e3]}, {"input": [-1e3, 1e3], "output": [-1e3]}]
    net = diverging_net()
    net.engine = engine
    with pytest.raises(TrainingError) as caught:
        Trainer(net).train(data, rate=5, iterations=1000, error=0)
    failed = caught.value.iteration
    assert failed is not None and failed > 1
    assert caught.value.neuron is not None
    assert str(caught.value).startswith(f"training diverged at iteration {failed}: neuron {caught.value.neuron} has a non-finite ")
    assert net.first_non_finite() is None
    replay = diverging_net()
    Trainer(replay).train(data, rate=5, iterations=failed - 1, error=0)
    assert replay.to_json() == net.to_json()
    assert net.activate([1, 1]) == replay.activate([1, 1])


def test_non_finite_cost_raises() -> None:
    net = diverging_net()
    data = [{"input": [1, 1], "output": [1]}]
    net.output_layer.set(bias=-5.0)
    before = net.to_json()
    with pytest.raises(TrainingError, match=r"^the error is nan at iteration 1 "):
        Trainer(net).train(data, cost=cost.CROSS_ENTROPY, rate=1e-9, iterations=3)
    assert net.to_json() == before


def test_progress_bar_uses_tqdm() -> None:
    pytest.importorskip("tqdm")
    stream = io.StringIO()
    with redirect_stderr(stream):
        Trainer(architect.Perceptron(2, 2, 1, seed=1)).train(XOR, iterations=5, error=0, progress=True)
    text = stream.getvalue()
    assert "5/5" in text and "error=" in text and "rate=0.2" in text


def test_imports_neither_numpy_nor_tqdm() -> None:
    code = (
        "import sys, synjson\n"
        "from synjson import Trainer, architect, tasks\n"
        "net = architect.Perceptron(2, 2, 1, seed=1)\n"
        "Trainer(net).train([{'input': [0, 1], 'output': [1]}], iterations=3)\n"
        "tasks.xor(net, iterations=3, seed=1)\n"
        "print('numpy' in sys.modules, 'tqdm' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_as_samples_converts_to_float_lists() -> None:
    assert as_samples([{"input": (1, 2), "output": [0]}], 2, 1) == [([1.0, 2.0], [0.0])]


def test_training_on_a_compiled_engine_gives_the_reference_numbers() -> None:
    from synjson.train.architect import Perceptron
    from synjson.train.tasks import XOR_SET

    reference, compiled = Perceptron(2, 3, 1, seed=3), Perceptron(2, 3, 1, seed=3)
    compiled.engine = "python"
    first = Trainer(reference).train(XOR_SET, rate=0.3, iterations=200, error=1e-12)
    second = Trainer(compiled).train(XOR_SET, rate=0.3, iterations=200, error=1e-12)
    assert first.error == second.error
    assert reference.to_json() == compiled.to_json()


# -- the compiled path (the default) against the per-call reference path ----------------------


def full_state(net: Network) -> list[object]:
    """Every value training changes on the objects: toJSON's, the traces, errors, gains, aux."""
    values: list[object] = [net._scratch.aux, net._activated]
    for neuron, _ in net.neurons():
        values.append(
            (
                neuron.bias, neuron.state, neuron.old, neuron.activation, neuron.derivative,
                neuron.responsibility, neuron.projected_error, neuron.gated_error,
                list(neuron.eligibility.values()),
                [list(trace.values()) for trace in neuron.extended.values()],
                [(c.weight, c.gain) for c in [*neuron.inputs, neuron.selfconnection]],
            )
        )
    return values


def sample_set(net: Network, count: int, seed: int) -> list[dict[str, list[float]]]:
    import random

    rng = random.Random(seed)
    return [
        {"input": [rng.uniform(-1, 1) for _ in range(net.inputs())], "output": [rng.random() for _ in range(net.outputs())]}
        for _ in range(count)
    ]


TRAINED = ["perceptron_2_3_1", "lstm_2_8_1", "lstm_options", "gate_one_to_one", "gated_self_connection",
           "project_and_gate", "output_gater", "mixed"]


@functools.cache
def reference_run(name: str, cross_validate: object) -> tuple[Network, tuple[object, ...], list[object], list[object]]:
    """The reference engine's run of test_every_engine_trains_exactly_as_the_reference, made once for all engines
    (the module runs in one process): the trained network, (error, iterations, history, rates), the callback's
    trace and the full state. Each test continues on a copy of the network."""
    from test_engine_common import NETWORKS

    slow = NETWORKS[name]()
    trace: list[dict[str, object]] = []
    result = Trainer(slow, engine="reference").train(
        sample_set(slow, 8, 3), rate=[0.1, 0.05], seed=4, schedule=(1, trace.append),
        iterations=25, error=0, shuffle=True, cross_validate=cross_validate,  # type: ignore[arg-type]
    )
    return slow, (result.error, result.iterations, result.history, result.rates), trace, full_state(slow)


@pytest.mark.parametrize("engine", CHECKED_ENGINES)
@pytest.mark.parametrize("name", TRAINED)
@pytest.mark.parametrize("cross_validate", [None, (0.25, None)])
def test_every_engine_trains_exactly_as_the_reference(name: str, cross_validate: object, engine: str) -> None:
    from test_engine_common import NETWORKS

    fast = NETWORKS[name]()
    data = sample_set(fast, 8, 3)
    fast_trace: list[dict[str, object]] = []
    seen: list[object] = []

    def watch(info: dict[str, object]) -> None:  # the objects are current inside a callback
        fast_trace.append(info)
        seen.append(full_state(fast))

    first = Trainer(fast, engine=engine).train(  # type: ignore[arg-type]
        data, rate=[0.1, 0.05], seed=4, schedule=(1, watch), iterations=25, error=0, shuffle=True,
        cross_validate=cross_validate,
    )
    trained, second, slow_trace, slow_state = reference_run(name, cross_validate)
    slow = copy.deepcopy(trained)
    assert full_state(slow) == slow_state
    assert (first.error, first.iterations, first.history, first.rates) == second
    assert first.rates == tuple(0.1 if i < 12 else 0.05 for i in range(1, 26))  # buckets of 12
    assert len(first.history) == first.iterations and first.history[-1] == first.error
    assert fast_trace == slow_trace
    assert full_state(fast) == slow_state
    assert seen[-1] == full_state(fast)
    # training on continues from the same place, on either path
    assert fast.activate([0.5] * fast.inputs()) == slow.activate([0.5] * slow.inputs())
    Trainer(fast, engine="reference").train(data, iterations=3, error=0)
    Trainer(slow, engine=engine).train(data, iterations=3, error=0)
    assert full_state(fast) == full_state(slow)


@pytest.mark.parametrize("engine", CHECKED_ENGINES)
def test_an_edit_in_a_trainer_callback_takes_effect(engine: str) -> None:
    from test_engine_common import NETWORKS

    nets = [NETWORKS["perceptron_2_3_1"](), NETWORKS["perceptron_2_3_1"]()]
    results = []
    for net, path in zip(nets, (engine, "reference")):

        def edit(info: dict[str, object], net: Network = net) -> None:
            if info["iterations"] == 5:  # a new connection and a squash change, mid-training
                net.input_layer.neurons[0].project(net.output_layer.neurons[0], 0.4)
                net.hidden_layers[0].neurons[0].squash = squash.TANH

        results.append(Trainer(net, engine=path).train(XOR, rate=0.3, iterations=12, error=0, schedule=(1, edit)))
    assert results[0].history == results[1].history
    assert full_state(nets[0]) == full_state(nets[1])
    untouched = NETWORKS["perceptron_2_3_1"]()
    assert Trainer(untouched).train(XOR, rate=0.3, iterations=12, error=0).history != results[0].history


def test_an_engine_override_builds_its_program_once_per_structure(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trainer(net, engine="python") generates Python once, and again only after an edit (it did every iteration)."""
    built: list[int] = []
    real = Network.program_for

    def counting(net: Network, engine: str) -> object:
        built.append(len(net.to_json()["connections"]))
        return real(net, engine)

    monkeypatch.setattr(Network, "program_for", counting)
    net = architect.Perceptron(2, 3, 1, seed=1)

    def edit(info: dict[str, object]) -> None:
        if info["iterations"] == 5:
            net.input_layer.neurons[0].project(net.output_layer.neurons[0], 0.4)

    Trainer(net, engine="python").train(XOR, rate=0.3, iterations=12, error=0, schedule=(1, edit))
    assert built == [9, 10]


def test_engine_option_is_checked() -> None:
    with pytest.raises(ValueError, match="engine must be one of"):
        Trainer(architect.Perceptron(2, 2, 1, seed=1), engine="fortran")


@pytest.mark.parametrize("engine", CHECKED_ENGINES)
def test_divergence_is_the_same_on_both_paths(engine: str) -> None:
    data = [{"input": [1e3, -1e3], "output": [1e3]}, {"input": [-1e3, 1e3], "output": [-1e3]}]
    caught = []
    nets = []
    for path in (engine, "reference"):
        net = diverging_net()
        with pytest.raises(TrainingError) as failure:
            Trainer(net, engine=path).train(data, rate=5, iterations=1000, error=0)
        caught.append(failure.value)
        nets.append(net)
    assert [str(e) for e in caught] == [str(caught[1])] * 2
    assert [(e.iteration, e.neuron) for e in caught] == [(caught[1].iteration, caught[1].neuron)] * 2
    assert full_state(nets[0]) == full_state(nets[1])
    assert nets[0].first_non_finite() is None


def test_a_finite_set_whose_sum_overflows_is_not_divergence() -> None:
    """The executor's quick check sums the values; an overflowing sum alone must not stop training."""
    a, b = architect.Perceptron(2, 2, 1, seed=1), architect.Perceptron(2, 2, 1, seed=1)
    for net in (a, b):
        for neuron in net.hidden_layers[0].neurons:
            neuron.bias = 1e308
    first = Trainer(a).train(XOR, rate=1e-300, iterations=3, error=0)
    second = Trainer(b, engine="reference").train(XOR, rate=1e-300, iterations=3, error=0)
    assert (first.error, first.iterations) == (second.error, 3)
    assert full_state(a) == full_state(b)


def test_pairs_and_a_one_dimensional_y_are_samples() -> None:
    expected = [([0.0, 1.0], [1.0]), ([1.0, 1.0], [0.0])]
    assert as_samples([([0, 1], [1]), ([1, 1], [0])], 2, 1) == expected
    assert as_samples([[[0, 1], 1], [(1, 1), 0]], 2, 1) == expected
    assert as_samples(([[0, 1], [1, 1]], [1, 0]), 2, 1) == expected  # (X, 1-D Y)
    import numpy  # in the test extra
    assert as_samples((numpy.array([[0, 1], [1, 1]]), numpy.array([1.0, 0.0])), 2, 1) == expected
    with pytest.raises(ValueError, match=r"^sample 0: output must be a list of numbers, got float$"):
        as_samples([([0, 1], 1.0)], 2, 2)  # a bare number only stands for one output
    with pytest.raises(ValueError, match=r"^sample 1: expected a mapping with 'input' and 'output' or an"):
        as_samples([([0, 1], [1]), ([0, 1], [1], [2])], 2, 1)


def test_trainer_trains_on_pairs_as_on_samples() -> None:
    pairs = [(s["input"], s["output"][0]) for s in XOR]
    a, b = architect.Perceptron(2, 3, 1, seed=5), architect.Perceptron(2, 3, 1, seed=5)
    assert Trainer(a).train(pairs, iterations=50).error == Trainer(b).train(XOR, iterations=50).error
    assert a.to_json() == b.to_json()


NATIVE_CASES = {
    "plain": {"rate": 0.3, "iterations": 60, "error": 0.0},
    "rate_list_and_shuffle": {"rate": [0.3, 0.2, 0.1], "iterations": 45, "error": 0.0, "shuffle": True, "seed": 3},
    "rate_function_and_cost": {"rate": lambda i, e: 0.5 / (1 + i / 20) + e, "iterations": 40, "error": 0.0,
                               "cost": cost.CROSS_ENTROPY},
    "binary_cost_error_stop": {"rate": 0.3, "iterations": 300, "error": 0.3, "cost": cost.BINARY},
    "cross_validate": {"rate": 0.2, "iterations": 30, "error": 0.0, "cross_validate": (0.25, 0.01), "shuffle": True,
                       "seed": 5},
    "custom_cost": {"rate": 0.2, "iterations": 20, "error": 0.0, "cost": lambda t, o: sum(abs(a - b) for a, b in zip(t, o))},
}


@pytest.mark.parametrize("engine", CHECKED_ENGINES)
@pytest.mark.parametrize("case", sorted(NATIVE_CASES))
@pytest.mark.parametrize("name", ["perceptron_2_3_1", "lstm_2_8_1", "project_and_gate"])
def test_a_run_with_no_callback_is_the_reference_run(name: str, case: str, engine: str) -> None:
    """Without a schedule or progress bar the whole loop runs in the kernel (when built): same run."""
    from test_engine_common import NETWORKS

    fast = NETWORKS[name]()
    lines: list[str] = []
    first = Trainer(fast, engine=engine).train(sample_set(fast, 8, 3), log=7, log_to=lines.append, **NATIVE_CASES[case])  # type: ignore[arg-type]
    second, reference_lines, reference_state = logged_reference_run(name, case)
    assert (first.error, first.iterations, first.history, first.rates) == second
    assert lines == reference_lines and len(lines) == first.iterations // 7
    assert full_state(fast) == reference_state


@functools.cache
def logged_reference_run(name: str, case: str) -> tuple[tuple[object, ...], list[str], list[object]]:
    """The reference engine's run of test_a_run_with_no_callback_is_the_reference_run, made once for all engines:
    (error, iterations, history, rates), the log lines and the full state."""
    from test_engine_common import NETWORKS

    slow = NETWORKS[name]()
    lines: list[str] = []
    result = Trainer(slow, engine="reference").train(sample_set(slow, 8, 3), log=7, log_to=lines.append, **NATIVE_CASES[case])  # type: ignore[arg-type]
    return (result.error, result.iterations, result.history, result.rates), lines, full_state(slow)


@pytest.mark.parametrize("engine", CHECKED_ENGINES)
def test_divergence_with_no_callback_is_the_reference_divergence(engine: str) -> None:
    data = [{"input": [1e3, -1e3], "output": [1e3]}, {"input": [-1e3, 1e3], "output": [-1e3]}]
    caught, nets = [], []
    for path in (engine, "reference"):
        net = diverging_net()
        with pytest.raises(TrainingError) as failure:
            Trainer(net, engine=path).train(data, rate=5, iterations=1000, error=0)
        caught.append(failure.value)
        nets.append(net)
    assert str(caught[0]) == str(caught[1]) and caught[0].neuron == caught[1].neuron
    assert full_state(nets[0]) == full_state(nets[1])
