"""The native kernel at its edges (issue 22, "Why" 3 and 4, items 6 and 7): re-entrant calls, sizes that
overflow, a Program that failed to initialise, hostile plans and callbacks. Each case was a wrong number, a
crash or a raw ValueError before; each is now the reference's number or one of synjson's errors.

Cases that used to crash the interpreter run in a child process, so that a regression fails one test
instead of ending the run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from array import array
from types import SimpleNamespace
from typing import Any

import pytest

import synjson
from synjson import ArgumentError, LimitError, Network, StateError, SynjsonError, architect, squash
from synjson.engine import _kernel, available_engines

PLAN_FIELDS = ("order", "squash", "custom", "selfconn", "in_ptr", "in_conn", "out_ptr", "out_conn", "gate_ptr",
               "gate_conn", "nb_ptr", "nb_neuron", "nb_old", "nb_xtrace", "nb_self", "inf_ptr", "inf_conn",
               "conn_from", "conn_to", "conn_gater", "aux", "n_inputs", "n_outputs", "bias", "state", "old",
               "activation", "derivative", "responsibility", "projected_error", "gated_error", "weight", "gain",
               "eligibility", "xtrace")


def tables(net: Network) -> SimpleNamespace:
    """The network's plan as a namespace whose fields a test may replace; the arrays are the store's."""
    plan = net.plan()
    return SimpleNamespace(**{name: getattr(plan, name) for name in PLAN_FIELDS if hasattr(plan, name)})


def in_child(code: str) -> str:
    """Run ``code`` in a fresh interpreter; its stdout (a crash fails with the signal and stderr)."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    return done.stdout.strip()


ENGINES = [engine for engine in available_engines() if engine != "reference"]


# -- re-entrancy ---------------------------------------------------------------------------------


class CallsBack:
    """A number whose float() first calls ``call`` (a re-entrant call into the network being called)."""

    def __init__(self, value: float, call: Any) -> None:
        self.value, self.call = value, call

    def __float__(self) -> float:
        self.call()
        return self.value


@pytest.mark.parametrize("engine", ENGINES)
def test_an_input_whose_float_activates_the_network_keeps_the_outer_inputs(engine: str) -> None:
    """Issue 22 "Why" 3: the kernel read every call's inputs into one buffer, so the nested call's 0.9
    replaced the outer call's 0.2 (0.479149 instead of the reference's 0.479093)."""
    net, reference = architect.Perceptron(2, 3, 1, seed=2), architect.Perceptron(2, 3, 1, seed=2)
    net.engine, reference.engine = engine, "reference"
    got = net.activate([0.2, CallsBack(0.5, lambda: net.activate([0.9, 0.9]))])
    expected = reference.activate([0.2, CallsBack(0.5, lambda: reference.activate([0.9, 0.9]))])
    assert got == expected
    assert round(got[0], 6) == 0.479035
    assert net.to_json() == reference.to_json()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_target_whose_float_runs_the_network_keeps_the_outer_targets(engine: str) -> None:
    nets = {name: architect.Perceptron(2, 3, 2, seed=5) for name in (engine, "reference")}
    for name, net in nets.items():
        net.engine = name
        net.activate([0.3, 0.7])

        def nested(net: Network = net) -> None:
            net.activate([1.0, 0.0])
            net.propagate(0.5, [0.0, 1.0])

        net.propagate(0.3, [0.25, CallsBack(0.75, nested)])
    assert nets[engine].to_json() == nets["reference"].to_json()


def test_the_kernel_reads_each_calls_inputs_into_its_own_memory() -> None:
    """The Program itself, with more inputs than fit on the stack (its heap path)."""
    reference = architect.Perceptron(70, 4, 2, seed=3)
    reference.engine = "reference"
    program = _kernel.Program(tables(architect.Perceptron(70, 4, 2, seed=3)))
    inputs = [0.01 * k for k in range(70)]
    other = [0.9] * 70
    got = program.activate([*inputs[:-1], CallsBack(inputs[-1], lambda: program.activate(other))])
    expected = reference.activate([*inputs[:-1], CallsBack(inputs[-1], lambda: reference.activate(other))])
    assert got == expected


def custom_net(function: Any) -> Network:
    net = architect.Perceptron(2, 3, 1, seed=4)
    net.hidden_layers[0].set(squash=squash.Squash("CALLS_BACK", function))
    return net


def test_a_custom_squash_calling_its_network_is_refused() -> None:
    """A nested run from inside a half-run network is refused, never run over the outer call's values."""
    program: Any = None

    def calls_back(x: float) -> tuple[float, float]:
        program.activate([0.0, 0.0])
        return x, 1.0

    program = _kernel.Program(tables(custom_net(calls_back)))
    with pytest.raises(StateError, match=r"^a custom squash called back into the network it is running in: a squash "
                                         r"must compute \(value, derivative\) from its input alone$"):
        program.activate([0.5, 0.5])
    program2: Any = None

    def propagates(x: float) -> tuple[float, float]:
        program2.propagate(0.1, [1.0])
        return x, 1.0

    program2 = _kernel.Program(tables(custom_net(propagates)))
    with pytest.raises(StateError, match=r"^a custom squash called back"):
        program2.activate([0.5, 0.5])
    # the refusal leaves the Program usable
    program3 = _kernel.Program(tables(custom_net(lambda x: (x, 1.0))))
    assert len(program3.activate([0.5, 0.5])) == 1


def test_a_network_with_a_custom_squash_refuses_the_nested_call_through_network_activate() -> None:
    net: Any = None
    nested: list[int] = []

    def calls_back(x: float) -> tuple[float, float]:
        if not nested:  # once: the nested activation calls this squash too
            nested.append(1)
            net.activate([0.0, 0.0])
        return x, 1.0

    net = custom_net(calls_back)
    if net.program.native:
        with pytest.raises(StateError, match=r"^a custom squash called back into the network it is running in"):
            net.activate([0.5, 0.5])
    else:  # the pure engines run the nested call as Python would
        assert len(net.activate([0.5, 0.5])) == 1


def xor_rows() -> tuple[array, array]:
    return array("d", [0, 0, 0, 1, 1, 0, 1, 1]), array("d", [0, 1, 1, 0])


@pytest.mark.parametrize("where", ["rate", "cost", "schedule", "log"])
def test_training_callbacks_may_call_the_network_between_samples(where: str) -> None:
    """Between samples nothing of the run is held: a callback's own activate is a call like any other,
    and the training then goes on exactly as the Python loop with the same calls goes on."""
    results = []
    for engine in ("native", "python"):
        net = architect.Perceptron(2, 3, 1, seed=31)
        program = _kernel.Program(tables(net)) if engine == "native" else net.program_for("python")
        seen: list[float] = []

        def look(*_: Any, program: Any = program, seen: list[float] = seen) -> None:
            seen.append(program.activate([1.0, 0.0])[0])

        rows, targets = xor_rows()
        if engine == "native":
            options: dict[str, Any] = {"every": 2, "schedule": lambda info: look()} if where == "schedule" else {}
            if where == "log":
                options = {"log_every": 2, "log": lambda *args: look()}
            rate: Any = (lambda i, e: (look(), 0.3)[1]) if where == "rate" else 0.3
            cost: Any = (lambda t, o: (look(), (t[0] - o[0]) ** 2)[1]) if where == "cost" else 0
            program.train(rows, targets, 4, 6, 0.0, cost, rate, **options)
        else:  # the same loop, written out
            for iteration in range(1, 7):
                if where == "rate":
                    look()
                for k in range(4):
                    output = program.activate(rows[2 * k : 2 * k + 2].tolist())
                    program.propagate(0.3, [targets[k]])
                    if where == "cost":
                        look()
                    del output
                if where in ("schedule", "log") and iteration % 2 == 0:
                    look()
        results.append((seen, net.to_json()))
    assert results[0] == results[1]


# -- memory safety -------------------------------------------------------------------------------


SETUP = """
    from array import array
    from types import SimpleNamespace
    from synjson import architect
    from synjson.engine import _kernel
    net = architect.Perceptron(4, 3, 4, seed=1)
    plan = net.plan()
    fields = [name for name in dir(plan) if not name.startswith("_")]
    tables = SimpleNamespace(**{name: getattr(plan, name) for name in fields})
    program = _kernel.Program(tables)
    def attempt(call):
        try:
            call()
        except Exception as error:
            print(type(error).__name__ + ": " + str(error))
        else:
            print("ran")
"""


def test_a_batch_whose_size_overflows_is_a_limit_error() -> None:
    """2**62 rows of 4 inputs is 2**64 doubles: the check wrapped to 0 and the batch ran off the buffer."""
    out = in_child(SETUP + """
    attempt(lambda: program.activate_batch(array("d", [0.0] * 8), 2**62, array("d", [0.0] * 8)))
    attempt(lambda: program.activate_batch(array("d", [0.0] * 8), 2**64, array("d", [0.0] * 8)))
    attempt(lambda: program.activate_batch(array("d", [0.0] * 8), -1, array("d", [0.0] * 8)))
    """)
    assert out.splitlines() == [
        "LimitError: activate_batch: 4611686018427387904 rows of 4 values do not fit in memory",
        "LimitError: activate_batch: 18446744073709551616 rows do not fit in memory",
        "ArgumentError: activate_batch: n_rows must not be negative, got -1",
    ]


def test_a_training_whose_size_overflows_is_a_limit_error() -> None:
    out = in_child(SETUP + """
    rows, targets = array("d", [0.0] * 8), array("d", [0.0] * 8)
    attempt(lambda: program.train(rows, targets, 2**62, 1, 0.0, 0, 0.1))
    attempt(lambda: program.train(rows, targets, 2, 1, 0.0, 0, 0.1, n_test=2**62, test_rows=rows,
                                  test_targets=targets))
    attempt(lambda: program.train(rows, targets, 2**62, 1, 0.0, "MSE", 0.1, n_test=2**62))
    """)
    assert out.splitlines() == [
        "LimitError: train: 4611686018427387904 rows of 4 values do not fit in memory",
        "LimitError: train: 4611686018427387904 rows of 4 values do not fit in memory",
        "LimitError: train: 4611686018427387904 rows and 4611686018427387904 test rows do not fit in memory",
    ]


def test_a_program_whose_init_failed_refuses_to_run() -> None:
    """__init__ raised after holding every buffer; activate then wrote through a NULL scratch pointer."""
    out = in_child(SETUP + """
    tables.n_outputs = 99
    broken = _kernel.Program.__new__(_kernel.Program)
    attempt(lambda: broken.__init__(tables))
    attempt(lambda: broken.activate([0, 0, 0, 0]))
    attempt(lambda: broken.propagate(0.1, [0, 0, 0, 0]))
    attempt(lambda: broken.activate_batch(array("d", [0.0] * 4), 1, array("d", [0.0] * 4)))
    attempt(lambda: broken.train(array("d", [0.0] * 4), array("d", [0.0] * 4), 1, 1, 0.0, 0, 0.1))
    attempt(lambda: broken.__init__(tables))
    attempt(lambda: program.__init__(tables))
    fresh = _kernel.Program.__new__(_kernel.Program)
    attempt(lambda: fresh.activate([0, 0, 0, 0]))
    """)
    not_ready = ("StateError: this Program was not initialised (its __init__ failed or was never called): "
                 "build a new Program(plan)")
    assert out.splitlines() == [
        "ArgumentError: n_inputs 4 and n_outputs 99 do not fit 11 positions",
        not_ready, not_ready, not_ready, not_ready,
        "StateError: a Program is initialised once: build a new one",
        "StateError: a Program is initialised once: build a new one",
        not_ready,
    ]


def test_a_plan_whose_sizes_overflow_is_refused() -> None:
    out = in_child(SETUP + """
    tables.n_inputs = 2**63 - 1
    attempt(lambda: _kernel.Program(tables))
    tables.n_inputs, tables.n_outputs = 4, 2**63 - 1
    attempt(lambda: _kernel.Program(tables))
    """)
    assert out.splitlines() == [
        "ArgumentError: n_inputs 9223372036854775807 and n_outputs 4 do not fit 11 positions",
        "ArgumentError: n_inputs 4 and n_outputs 9223372036854775807 do not fit 11 positions",
    ]


def test_neighbour_tables_of_different_lengths_are_refused_before_they_are_read() -> None:
    """nb_self was range-checked with nb_neuron's length: a shorter nb_self was read past its end."""
    net = architect.LSTM(2, 2, 1, seed=1)
    bad = tables(net)
    entries = len(bad.nb_neuron)
    assert entries > 0
    bad.nb_self = array("i", [-1])
    with pytest.raises(ArgumentError, match=r"^nb_neuron, nb_old, nb_xtrace and nb_self differ in length$"):
        _kernel.Program(bad)
    bad = tables(net)
    bad.nb_neuron = array("i")
    with pytest.raises(ArgumentError, match=r"^nb_neuron, nb_old, nb_xtrace and nb_self differ in length$"):
        _kernel.Program(bad)


def test_a_table_written_after_the_program_was_built_cannot_reach_the_kernel() -> None:
    """The Program validates private copies of the index tables: writing the plan's afterwards changes nothing
    (it used to read and write wherever the new indices pointed)."""
    out = in_child(SETUP + """
    reference = architect.Perceptron(4, 3, 4, seed=1)
    reference.engine = "reference"
    tables.in_conn[0] = 10**6
    tables.order[5] = 10**6
    tables.in_ptr[3] = -(10**6)
    print(program.activate([0.5, 1.0, 0, 0]) == reference.activate([0.5, 1.0, 0, 0]))
    """)
    assert out == "True"


def test_a_misaligned_buffer_is_refused() -> None:
    program = _kernel.Program(tables(architect.Perceptron(2, 3, 1, seed=1)))
    rows = memoryview(bytearray(8 * 5))[1:33].cast("d")
    with pytest.raises(TypeError, match=r"^rows must be aligned to its 8-byte items \(copy it first\)$"):
        program.activate_batch(rows, 2, array("d", [0.0, 0.0]))


class Shrinks:
    """A number whose float() empties the list it sits in."""

    def __init__(self, holder: list[Any]) -> None:
        self.holder = holder

    def __float__(self) -> float:
        self.holder.clear()
        return 0.3


def test_a_squash_result_emptied_by_its_own_float_is_read_from_a_copy() -> None:
    def shrinking(x: float) -> list[Any]:
        pair: list[Any] = [0.0, 1.0]
        pair[0] = Shrinks(pair)
        return pair

    program = _kernel.Program(tables(custom_net(shrinking)))
    assert len(program.activate([0.5, 0.5])) == 1


# -- errors are ours -----------------------------------------------------------------------------


@pytest.mark.parametrize("engine", [*ENGINES, "reference"])
def test_mistakes_in_calls_are_argument_errors(engine: str) -> None:
    net = architect.Perceptron(2, 3, 1, seed=1)
    net.engine = engine
    cases = [
        (lambda: net.activate([1, 2, 3]), "expected 2 inputs, got 3"),
        (lambda: net.activate([1, "a"]), "inputs[1] is not a number: 'a'"),
        (lambda: net.activate(5), "expected a sequence of 2 inputs, got int"),
        (lambda: net.propagate("0.3", [1]), "rate must be a number, got '0.3'"),
        (lambda: net.propagate(0.3, [1, 2]), "expected 1 targets, got 2"),
        (lambda: net.activate_batch([[1, 2, 3]]), "expected an array of shape (n, 2), got a row 0 of length 3"),
    ]
    net.activate([0, 1])
    for call, message in cases:
        with pytest.raises(ArgumentError) as caught:
            call()
        assert str(caught.value) == message
        assert isinstance(caught.value, SynjsonError) and isinstance(caught.value, ValueError)


def test_the_kernel_entry_points_raise_our_errors() -> None:
    program = _kernel.Program(tables(architect.Perceptron(2, 3, 1, seed=1)))
    rows, targets = xor_rows()
    cases = [
        (lambda: program.activate([1]), ArgumentError, "expected 2 inputs, got 1"),
        (lambda: program.propagate(None, [1]), ArgumentError, "rate must be a number, got None"),
        (lambda: program.activate_batch(rows, 5, array("d", [0.0] * 5)), ArgumentError,
         "activate_batch: 5 rows need 10 input and 5 output doubles, got 8 and 5"),
        (lambda: program.train(rows, targets, 4, 2, 0.0, "MAE", 0.1), ArgumentError,
         "cost must be a cost code from 0 to 2 (synjson.engine.facts.COST_NAMES) or a callable, got 'MAE'"),
        (lambda: program.train(rows, targets, 4, 2, 0.0, 0, [0.1, 0.0]), ArgumentError,
         "rate must be a number, a buffer of doubles or a callable, got [0.1, 0.0]"),
        (lambda: program.train(rows, targets, 4, 2, 0.0, 0, object()), ArgumentError,
         "rate must be a number, a buffer of doubles or a callable, got <object object at"),
        (lambda: program.train(rows, targets, 0, 2, 0.0, 0, 0.1), ArgumentError,
         "train: n_rows and iterations must be positive, n_test, every and log_every not negative"),
        (lambda: program.train(rows, targets, 5, 2, 0.0, 0, 0.1), ArgumentError,
         "train: 5 rows need 10 input and 5 target doubles"),
    ]
    for call, kind, message in cases:
        with pytest.raises(kind) as caught:
            call()
        assert str(caught.value).startswith(message), str(caught.value)
    bad = tables(architect.Perceptron(2, 3, 1, seed=1))
    bad.order = array("i", [0, 1, 2, 3, 4, 4])
    with pytest.raises(ArgumentError, match=r"^plan.order holds slot 4 twice$"):
        _kernel.Program(bad)
    odd = custom_net(lambda x: (x,))
    with pytest.raises(ArgumentError, match=r"^a custom squash must return \(value, derivative\), got 1 values$"):
        _kernel.Program(tables(odd)).activate([0.5, 0.5])
    with pytest.raises(ArgumentError, match=r"^a custom squash must return \(value, derivative\)$"):
        _kernel.Program(tables(custom_net(lambda x: 1.0))).activate([0.5, 0.5])


def test_argument_error_is_exported() -> None:
    assert synjson.ArgumentError is ArgumentError
    assert issubclass(ArgumentError, SynjsonError) and issubclass(ArgumentError, ValueError)
    assert not issubclass(ArgumentError, LimitError)
