"""Program.train's arguments since Python decides (issue 21 item 2): a bad rate table, cost code or
order chunk is an ArgumentError, never a crash, and leaves the network as it was before the iteration
that asked for it."""

from __future__ import annotations

from array import array
from typing import Any

import pytest
from test_kernel import everything, kernel_tables

from synjson import architect
from synjson.engine import _kernel
from synjson.engine.facts import COST_NAMES
from synjson.errors import ArgumentError, SynjsonError

ROWS, TARGETS = array("d", [0, 0, 0, 1, 1, 0, 1, 1]), array("d", [0, 1, 1, 0])


def program() -> Any:
    return _kernel.Program(kernel_tables(architect.Perceptron(2, 3, 1, seed=1)))


def train(rate: Any = 0.3, cost: Any = 0, iterations: int = 3, **options: Any) -> Any:
    return program().train(ROWS, TARGETS, 4, iterations, 0.0, cost, rate, **options)


@pytest.mark.parametrize(("cost", "message"), [
    (3, "got 3"), (-1, "got -1"), (True, "got True"), (2**70, "got 1180591620717411303424"), ("MSE", "got 'MSE'"),
    (0.0, "got 0.0"), (None, "got None"),
])
def test_a_cost_is_a_code_of_the_table_or_a_callable(cost: Any, message: str) -> None:
    with pytest.raises(ArgumentError) as caught:
        train(cost=cost)
    assert str(caught.value) == (f"cost must be a cost code from 0 to {len(COST_NAMES) - 1} "
                                 f"(synjson.engine.facts.COST_NAMES) or a callable, {message}")


@pytest.mark.parametrize(("rate", "message"), [
    (array("d", [0.3, 0.2]), "rate holds 2 doubles, fewer than the 3 iterations"),
    (array("d"), "rate holds 0 doubles, fewer than the 3 iterations"),
    (array("f", [0.3] * 3), "rate must hold 'd' items of 8 bytes, got format 'f' of 4 bytes"),
    (array("q", [1] * 3), "rate must hold 'd' items of 8 bytes, got format 'q' of 8 bytes"),
    (memoryview(bytes(32)).cast("B")[1:25].cast("d"), "rate must be aligned to its 8-byte items (copy it first)"),
    (b"\0" * 24, "rate must hold 'd' items of 8 bytes, got format 'B' of 1 bytes"),
    ([0.3, 0.2, 0.1], "rate must be a number, a buffer of doubles or a callable, got [0.3, 0.2, 0.1]"),
    (True, "rate must be a number, a buffer of doubles or a callable, got True"),
    ("0.3", "rate must be a number, a buffer of doubles or a callable, got '0.3'"),
])
def test_a_rate_table_holds_one_double_per_iteration(rate: Any, message: str) -> None:
    with pytest.raises(ArgumentError) as caught:
        train(rate=rate)
    assert str(caught.value) == message


def test_a_rate_table_is_read_at_the_iteration() -> None:
    history = array("d", [0.0] * 3)
    seen: list[float] = []
    train(rate=array("d", [0.5, 0.25, 0.125, 99.0]), log_every=1, log=lambda i, e, r: seen.append(r), history=history)
    assert seen == [0.5, 0.25, 0.125]


def test_a_rate_table_cannot_be_resized_while_training() -> None:
    table = array("d", [0.3] * 3)
    with pytest.raises(BufferError):
        train(rate=table, log_every=1, log=lambda *args: table.extend([0.1] * 10_000))
    assert len(table) == 3


def chunk_of(*orders: list[int]) -> Any:
    chunks = [array("i", order) for order in orders]
    return lambda: chunks.pop(0) if chunks else array("i", [0, 1, 2, 3])


@pytest.mark.parametrize(("given", "message"), [
    (array("i", [0, 1, 2]), "orders() gave 3 indices, not a positive multiple of the 4 rows"),
    (array("i"), "orders() gave 0 indices, not a positive multiple of the 4 rows"),
    (array("i", [0, 1, 2, 4]), "orders()[3] = 4: each 4 indices must be a permutation of range(4)"),
    (array("i", [0, -1, 2, 3]), "orders()[1] = -1: each 4 indices must be a permutation of range(4)"),
    (array("i", [0, 1, 2, 3, 0, 1, 1, 3]), "orders()[6] = 1: each 4 indices must be a permutation of range(4)"),
    (array("i", [2**31 - 1, 0, 1, 2]), "orders()[0] = 2147483647: each 4 indices must be a permutation of range(4)"),
    (array("q", [0, 1, 2, 3]), "orders() must hold 'i' items of 4 bytes, got format 'q' of 8 bytes"),
    (array("d", [0, 1, 2, 3]), "orders() must hold 'i' items of 4 bytes, got format 'd' of 8 bytes"),
    ([0, 1, 2, 3], "orders() must be a contiguous buffer of 'i' items, got list"),
    (None, "orders() must be a contiguous buffer of 'i' items, got NoneType"),
])
def test_an_order_chunk_is_checked_and_the_iteration_is_not_run(given: Any, message: str) -> None:
    net, twin = architect.Perceptron(2, 3, 1, seed=1), architect.Perceptron(2, 3, 1, seed=1)
    once = _kernel.Program(kernel_tables(twin))
    once.train(ROWS, TARGETS, 4, 1, 0.0, 0, 0.3)  # iteration 1 runs in the rows' order, then orders() is asked
    kernel = _kernel.Program(kernel_tables(net))
    with pytest.raises(ArgumentError) as caught:
        kernel.train(ROWS, TARGETS, 4, 3, 0.0, 0, 0.3, orders=lambda: given)
    assert str(caught.value) == message and kernel.iteration == 1
    assert everything(net) == everything(twin)


def test_orders_must_be_callable() -> None:
    with pytest.raises(ArgumentError, match=r"^orders must be None or a callable, got \[0, 1, 2, 3\]$"):
        train(orders=[0, 1, 2, 3])


def test_an_error_inside_orders_propagates() -> None:
    with pytest.raises(ZeroDivisionError):
        train(orders=lambda: 1 / 0)


def test_the_chunk_is_copied_before_it_is_checked() -> None:
    """A log callback that rewrites the chunk it was given cannot reach the kernel's copy."""
    given = array("i", [3, 2, 1, 0] * 4)
    expected_net, net = architect.Perceptron(2, 3, 1, seed=1), architect.Perceptron(2, 3, 1, seed=1)
    _kernel.Program(kernel_tables(expected_net)).train(ROWS, TARGETS, 4, 4, 0.0, 0, 0.3,
                                                       orders=lambda: array("i", [3, 2, 1, 0] * 4))

    def spoil(iteration: int, *_: Any) -> None:
        if iteration == 2:  # the chunk was asked for after iteration 1; iterations 3 and 4 use it too
            for k in range(len(given)):
                given[k] = 10**6

    _kernel.Program(kernel_tables(net)).train(ROWS, TARGETS, 4, 4, 0.0, 0, 0.3, orders=lambda: given,
                                              log_every=1, log=spoil)
    assert everything(net) == everything(expected_net)


def test_chunks_of_several_orders_are_used_in_turn() -> None:
    one_by_one, chunked = architect.Perceptron(2, 3, 1, seed=2), architect.Perceptron(2, 3, 1, seed=2)
    orders = [[3, 1, 0, 2], [1, 2, 3, 0], [0, 3, 2, 1], [2, 0, 1, 3]]
    _kernel.Program(kernel_tables(one_by_one)).train(ROWS, TARGETS, 4, 5, 0.0, 0, 0.3, orders=chunk_of(*orders))
    flat = [index for order in orders for index in order]
    calls: list[int] = []
    _kernel.Program(kernel_tables(chunked)).train(ROWS, TARGETS, 4, 5, 0.0, 0, 0.3,
                                                  orders=lambda: calls.append(1) or array("i", flat))
    assert everything(chunked) == everything(one_by_one) and len(calls) == 2  # after iterations 1 and 5


def test_every_refusal_is_ours() -> None:
    for call in (lambda: train(cost=7), lambda: train(rate=array("d")), lambda: train(orders=lambda: array("i"))):
        with pytest.raises(SynjsonError):
            call()
