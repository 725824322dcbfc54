"""The native kernel (synjson.engine._kernel) against the reference, bit for bit.

Every comparison is exact (``==`` on every value: max abs diff 0), over every network of the
executor catalogue, a custom squash, batches, the whole Trainer loop, and the error messages.
The tables are the network's own plan (``Network.plan()``) over its store.
"""

from __future__ import annotations

import random
import sys
from array import array
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "train"))

from test_engine_common import NETWORKS, data
from test_trainer import full_state

from synjson import Layer, Network, architect, squash
from synjson.engine import _kernel, native
from synjson.engine.python import PythonProgram
from synjson.errors import StateError
from synjson.model.layer import GateType

FIELDS = ("bias", "state", "old", "activation", "derivative", "responsibility", "projected_error", "gated_error",
          "weight", "gain", "eligibility", "xtrace")


PLAN_FIELDS = ("order", "squash", "custom", "selfconn", "in_ptr", "in_conn", "out_ptr", "out_conn", "gate_ptr",
               "gate_conn", "nb_ptr", "nb_neuron", "nb_old", "nb_xtrace", "nb_self", "inf_ptr", "inf_conn",
               "conn_from", "conn_to", "conn_gater", "aux", "n_inputs", "n_outputs", *FIELDS)


def kernel_tables(net: Network) -> SimpleNamespace:
    """The network's plan as a plain namespace (tests replace tables in it); the arrays are the store's."""
    plan = net.plan()
    return SimpleNamespace(**{name: getattr(plan, name) for name in PLAN_FIELDS})


def everything(net: Network) -> list[Any]:
    """Every value of the network, traces, gains, errors and the scratch variable included."""
    return full_state(net)[:1] + full_state(net)[2:]  # as test_trainer's, without the activated flag


def program(net: Network) -> tuple[Any, Any]:
    tables = kernel_tables(net)
    return _kernel.Program(tables), tables


def steps(run: Any, samples: list[tuple[list[float], list[float]]], rate: float = 0.1) -> list[list[float]]:
    outputs = []
    for inputs, targets in samples:
        outputs.append(run.activate(inputs))
        run.propagate(rate, targets)
    return outputs


# -- activate and propagate --------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_200_steps_equal_the_reference(name: str) -> None:
    reference, native_net = NETWORKS[name](), NETWORKS[name]()
    kernel, _ = program(native_net)
    samples = data(reference, 200, seed=len(name))
    assert steps(kernel, samples) == steps(reference, samples)
    assert everything(native_net) == everything(reference)


@pytest.mark.parametrize("name", ["lstm_2_8_1", "project_and_gate", "mixed", "gated_self_connection"])
def test_steps_equal_the_python_executor(name: str) -> None:
    net = NETWORKS[name]()
    executor = PythonProgram(net.plan())
    kernel, _ = program(NETWORKS[name]())
    samples = data(net, 100, seed=5)
    assert steps(kernel, samples, 0.3) == steps(executor, samples, 0.3)


def test_xor_perceptron_training_equals_the_reference() -> None:
    reference, native_net = architect.Perceptron(2, 3, 1, seed=1), architect.Perceptron(2, 3, 1, seed=1)
    kernel, _ = program(native_net)
    xor = [([0, 0], [0]), ([0, 1], [1]), ([1, 0], [1]), ([1, 1], [0])]
    for _ in range(2000):
        assert steps(kernel, xor, 0.3) == steps(reference, xor, 0.3)
    assert everything(native_net) == everything(reference)
    assert reference.activate([1, 0])[0] > 0.9


def test_a_self_connection_counts_only_while_its_weight_is_not_zero() -> None:
    """The generated code bakes `weight != 0` in; the kernel reads it at every step."""
    reference, native_net = NETWORKS["self_connected"](), NETWORKS["self_connected"]()
    kernel, _ = program(native_net)
    samples = data(reference, 20, seed=1)
    assert steps(kernel, samples) == steps(reference, samples)
    for net in (reference, native_net):
        net.hidden_layers[0].neurons[0].selfconnection.weight = 0.0
    assert steps(kernel, samples) == steps(reference, samples)
    assert everything(native_net) == everything(reference)


def softsign(x: float) -> tuple[float, float]:
    denominator = 1 + abs(x)
    return x / denominator, 1 / (denominator * denominator)


SOFTSIGN = squash.Squash("SOFTSIGN", softsign)


def custom_net() -> Network:
    rng = random.Random(3)
    inputs, gates, cells, output = Layer(2, rng=rng), Layer(3, rng=rng), Layer(3, rng=rng), Layer(2, rng=rng)
    cells.set(squash=SOFTSIGN)
    output.set(squash=SOFTSIGN)
    inputs.project(gates)
    inputs.project(cells)
    own = cells.project(cells)
    assert own is not None
    gates.gate(own, GateType.ONE_TO_ONE)
    cells.project(output)
    return Network(input=inputs, hidden=[gates, cells], output=output)


def test_a_custom_squash_is_called_back() -> None:
    reference, native_net = custom_net(), custom_net()
    kernel, tables = program(native_net)
    assert list(tables.squash) == [0, 0, 0, 0, 0, 5, 5, 5, 5, 5]
    samples = data(reference, 100, seed=2)
    assert steps(kernel, samples) == steps(reference, samples)
    assert everything(native_net) == everything(reference)


def test_a_custom_squash_raising_propagates() -> None:
    def failing(x: float) -> tuple[float, float]:
        raise ArithmeticError(f"no squash for {x!r}")

    net = custom_net()
    net.output_layer.set(squash=squash.Squash("FAILING", failing))
    kernel, _ = program(net)
    with pytest.raises(ArithmeticError, match="no squash for "):
        kernel.activate([0.5, 0.5])


@pytest.mark.parametrize("result", [(1.0,), 1.0, (1.0, 2.0, 3.0)])
def test_a_custom_squash_must_return_a_pair(result: Any) -> None:
    net = custom_net()
    net.output_layer.set(squash=squash.Squash("ODD", lambda x: result))
    kernel, _ = program(net)
    with pytest.raises((ValueError, TypeError), match=r"a custom squash must return \(value, derivative\)"):
        kernel.activate([0.5, 0.5])


# -- batches ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["lstm_2_8_1", "mixed", "gated_self_connection", "perceptron_wide", "squash_chain", "diagonal", "perceptron_3_5_4_2"])
def test_batch_is_activate_row_by_row(name: str) -> None:
    reference, native_net = NETWORKS[name](), NETWORKS[name]()
    kernel, _ = program(native_net)
    assert kernel.rows_independent is (name in ("perceptron_wide", "squash_chain", "diagonal", "perceptron_3_5_4_2"))
    rows = [inputs for inputs, _ in data(reference, 40, seed=9)]
    expected = [reference.activate(row) for row in rows]
    out = array("d", bytes(8 * len(rows) * reference.outputs()))
    assert kernel.activate_batch(array("d", [x for row in rows for x in row]), len(rows), out) is None
    width = reference.outputs()
    assert [out[i * width : (i + 1) * width].tolist() for i in range(len(rows))] == expected
    assert everything(native_net) == everything(reference)


def test_self_connections_weighing_nothing_keep_the_fast_paths_honest() -> None:
    """A store gives every neuron a self-connection slot: the kernel reads its weight at each call."""
    reference, native_net = NETWORKS["self_connected"](), NETWORKS["self_connected"]()
    kernel, _ = program(native_net)
    rows = [inputs for inputs, _ in data(reference, 40, seed=2)]
    flat = array("d", [x for row in rows for x in row])
    out = array("d", bytes(8 * 2 * len(rows)))
    for weight in (0.0, 1.0, 0.0):
        for net in (reference, native_net):  # the store's own column: the kernel sees it at once
            for neuron in net.hidden_layers[0].neurons:
                neuron.selfconnection.weight = weight
        assert kernel.rows_independent is (weight == 0)
        expected = [reference.activate(row) for row in rows]
        kernel.activate_batch(flat, len(rows), out)
        assert [out[2 * i : 2 * i + 2].tolist() for i in range(len(rows))] == expected
        samples = data(reference, 20, seed=3)
        assert steps(kernel, samples) == steps(reference, samples)
    assert everything(native_net) == everything(reference)


def test_batch_takes_numpy_arrays_and_checks_sizes() -> None:
    np = pytest.importorskip("numpy")
    kernel, _ = program(architect.Perceptron(2, 3, 1, seed=1))
    rows = np.array([[0.0, 1.0], [1.0, 1.0]])
    out = np.zeros((2, 1))
    kernel.activate_batch(rows, 2, out)
    assert out[:, 0].tolist() == [kernel.activate([0.0, 1.0])[0], kernel.activate([1.0, 1.0])[0]]
    with pytest.raises(ValueError, match=r"^activate_batch: 3 rows need 6 input and 3 output doubles, got 4 and 2$"):
        kernel.activate_batch(rows, 3, out)
    with pytest.raises(TypeError, match=r"^out must be a contiguous writable buffer of 'd' items, got bytes$"):
        kernel.activate_batch(rows, 2, b"12345678")
    with pytest.raises(TypeError, match=r"^rows must hold 'd' items of 8 bytes, got format 'f' of 4 bytes$"):
        kernel.activate_batch(rows.astype(np.float32), 2, out)


# -- messages -------------------------------------------------------------------------------


def test_input_and_target_errors_are_the_networks() -> None:
    kernel, _ = program(architect.Perceptron(2, 3, 1, seed=1))
    reference = architect.Perceptron(2, 3, 1, seed=1)
    for bad in ([1, 2, 3], [1, "a"], 5, "ab", [None, 1]):
        with pytest.raises(ValueError) as expected:
            reference.activate(bad)
        with pytest.raises(ValueError) as got:
            kernel.activate(bad)
        assert str(got.value) == str(expected.value)
    assert str(got.value) == "inputs[0] is not a number: None"
    reference.activate([0, 1])
    kernel.activate([0, 1])
    for rate, targets in ((None, [1]), (True, [1]), ("0.3", [1]), (0.3, [1, 2]), (0.3, ["x"]), (0.3, 1)):
        with pytest.raises(ValueError) as expected:
            reference.propagate(rate, targets)
        with pytest.raises(ValueError) as got:
            kernel.propagate(rate, targets)
        assert str(got.value) == str(expected.value)
    with pytest.raises(ValueError, match=r"^rate must be a number, got None$"):
        kernel.propagate(None, [1])


def test_numbers_of_every_kind_are_read_as_the_network_reads_them() -> None:
    np = pytest.importorskip("numpy")
    reference, native_net = architect.Perceptron(2, 3, 1, seed=1), architect.Perceptron(2, 3, 1, seed=1)
    kernel, _ = program(native_net)
    for inputs in ([True, 0], (1, 0.5), np.array([0.25, 1.0]), [np.float32(0.1), np.int64(3)], range(2)):
        assert kernel.activate(inputs) == reference.activate(inputs)
        kernel.propagate(np.float64(0.2), np.array([0.5]))
        reference.propagate(np.float64(0.2), np.array([0.5]))
    with pytest.raises(OverflowError):
        kernel.activate([10**400, 0])


def test_bad_tables_are_refused() -> None:
    tables = kernel_tables(architect.Perceptron(2, 3, 1, seed=1))
    tables.order = array("i", [0, 1, 2, 3, 4, 99])
    room = len(tables.bias)  # the store's columns have room to grow
    with pytest.raises(ValueError, match=rf"^plan.order\[5\] = 99 is out of range \[0, {room}\)$"):
        _kernel.Program(tables)
    tables = kernel_tables(architect.Perceptron(2, 3, 1, seed=1))
    tables.in_conn = array("l", tables.in_conn)
    with pytest.raises(TypeError, match=r"^plan.in_conn must hold 'i' items of 4 bytes, got format 'l' of 8 bytes$"):
        _kernel.Program(tables)
    tables = kernel_tables(architect.Perceptron(2, 3, 1, seed=1))
    tables.n_outputs = 7
    with pytest.raises(ValueError, match=r"^n_inputs 2 and n_outputs 7 do not fit 6 positions$"):
        _kernel.Program(tables)


def test_the_store_arrays_are_held() -> None:
    """While a Program runs on an array, the array cannot be resized under it."""
    kernel, tables = program(architect.Perceptron(2, 3, 1, seed=1))
    with pytest.raises(BufferError):
        tables.weight.append(1.0)
    assert (kernel.size, kernel.n_inputs, kernel.n_outputs, kernel.native) == (6, 2, 1, True)
    assert len(tables.xtrace) == 0
    tables.xtrace[:0] = array("d")  # an empty array is not held: a store may restore it as any other
    del kernel
    tables.weight.append(1.0)


def test_native_loader_honours_synjson_pure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNJSON_PURE", "1")
    assert native.kernel() is None
    monkeypatch.setenv("SYNJSON_PURE", "0")
    assert native.kernel() is _kernel


# -- Core -------------------------------------------------------------------------------------


class KernelNet(_kernel.Core):
    """What the lead's Network does: refresh installs a Program over the current tables."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.version = array("q", [0])
        self.refreshes = 0

    def _refresh(self) -> None:
        self.refreshes += 1
        self.tables = kernel_tables(self.net)
        self._install(_kernel.Program(self.tables), self.version)


def test_core_refreshes_when_the_version_moves() -> None:
    reference = architect.LSTM(2, 3, 1, seed=2)
    core = KernelNet(architect.LSTM(2, 3, 1, seed=2))
    assert core._program is None and core._activated is False
    for rate in (0.1, None):  # as the pure-Python Core: the state first, then the program checks the rate
        with pytest.raises(StateError, match=r"^propagate\(\) needs a prior activate\(\): there is no activation to learn from$"):
            core.propagate(rate, [1.0])
    assert core.refreshes == 1
    assert core._version is core.version and core._bound == 0
    samples = data(reference, 30, seed=4)
    assert steps(core, samples) == steps(reference, samples)
    assert core.refreshes == 1 and core._activated is True
    with pytest.raises(ValueError, match=r"^rate must be a number, got None$"):
        core.propagate(None, [1.0])
    core.version[0] += 1
    assert steps(core, samples) == steps(reference, samples)
    assert core.refreshes == 2
    core._activated = False
    with pytest.raises(StateError):
        core.propagate(0.1, [1.0])
    assert isinstance(core._program, _kernel.Program)
    assert everything(core.net) == everything(reference)


def test_core_install_is_checked() -> None:
    class Lazy(_kernel.Core):
        def _refresh(self) -> None:
            pass

    with pytest.raises(RuntimeError, match=r"^_refresh\(\) must call _install\(program, version\)$"):
        Lazy().activate([1.0])
    lazy = Lazy()
    assert (lazy._program, lazy._version, lazy._bound) == (None, None, -1)
    stale = array("q", [0])
    lazy._install(None, stale)  # Network invalidates this way
    stale[0] = 1
    with pytest.raises(RuntimeError, match=r"^_refresh\(\) must call _install\(program, version\)$"):
        lazy.activate([1.0])
    tables = kernel_tables(architect.Perceptron(2, 3, 1, seed=1))
    with pytest.raises(TypeError, match=r"^version must hold 'q' items of 8 bytes, got format 'i' of 4 bytes$"):
        Lazy()._install(_kernel.Program(tables), array("i", [0]))


def test_core_runs_any_program_through_its_methods() -> None:
    """The generated Python program or the reference: Core calls their activate and propagate."""
    calls: list[Any] = []

    class Recorder:
        def activate(self, inputs: Any) -> list[float]:
            calls.append(("activate", inputs))
            return [0.5]

        def propagate(self, rate: Any, targets: Any) -> None:
            calls.append(("propagate", rate, targets))

    class Net(_kernel.Core):
        def _refresh(self) -> None:
            self._install(Recorder(), array("q", [3]))

    net = Net()
    with pytest.raises(StateError):
        net.propagate(0.1, [1])
    assert net.activate([1, 2]) == [0.5] and net._activated
    net.propagate(None, "x")  # the program checks its own arguments
    assert calls == [("activate", [1, 2]), ("propagate", None, "x")]
    assert net._bound == 3 and isinstance(net._program, Recorder)


def test_core_cycles_are_collected() -> None:
    import gc
    import weakref

    core = KernelNet(custom_net())
    core.me = core
    core.activate([0.1, 0.2])
    alive = weakref.ref(core)
    del core
    gc.collect()
    assert alive() is None
