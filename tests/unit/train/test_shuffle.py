"""synjson.train.shuffle: Python decides the sample order; the kernel gets it in chunks (issue 21 item 2)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from synjson.errors import ArgumentError
from synjson.train.shuffle import Orders, fisher_yates


def python_loop_orders(seed: int, count: int, shuffles: int) -> tuple[list[list[int]], Any]:
    rng, items, seen = random.Random(seed), list(range(count)), []
    for _ in range(shuffles):
        fisher_yates(items, rng)
        seen.append(items[:])
    return seen, rng.getstate()


@pytest.mark.parametrize("chunk", [1, 3, 256])
def test_chunks_hold_the_python_loops_orders(chunk: int) -> None:
    orders = Orders(random.Random(7), 5, 20, chunk=chunk)
    got: list[list[int]] = []
    while len(got) < 20:
        flat = orders().tolist()
        got += [flat[k : k + 5] for k in range(0, len(flat), 5)]
    expected, state = python_loop_orders(7, 5, 20)
    assert got == expected and orders.rng.getstate() == state
    if chunk < 20:
        with pytest.raises(AssertionError):
            orders.settle(3)  # only the last chunk can be taken back
    else:
        assert orders.settle(3) == expected[2]


@pytest.mark.parametrize("shuffles", [0, 1, 4, 6, 9])
def test_settle_leaves_the_rng_where_the_python_loop_leaves_it(shuffles: int) -> None:
    orders = Orders(random.Random(3), 4, 100, chunk=5)
    orders()
    orders()  # 10 shuffles made ahead
    if shuffles >= 5:
        assert orders.settle(shuffles) == python_loop_orders(3, 4, shuffles)[0][-1]
        assert orders.rng.getstate() == python_loop_orders(3, 4, shuffles)[1]
    else:
        with pytest.raises(AssertionError):
            orders.settle(shuffles)


def test_settle_makes_the_missing_shuffles() -> None:
    orders = Orders(random.Random(3), 4, 100)
    assert orders.settle(6) == python_loop_orders(3, 4, 6)[0][-1]
    assert orders.rng.getstate() == python_loop_orders(3, 4, 6)[1]


def test_a_chunk_never_runs_past_the_iterations() -> None:
    orders = Orders(random.Random(1), 3, 5, chunk=4)
    assert [len(orders()) for _ in range(3)] == [12, 3, 3]


class Counting:
    """An rng that is not a random.Random: it cannot be taken back, so it draws one shuffle per call."""

    def __init__(self) -> None:
        self.draws = 0

    def random(self) -> float:
        self.draws += 1
        return 0.5


def test_any_other_rng_draws_one_shuffle_per_call() -> None:
    rng = Counting()
    orders = Orders(rng, 4, 100)  # type: ignore[arg-type]
    assert orders.chunk == 1 and len(orders()) == 4 and rng.draws == 4


def test_a_subclass_that_draws_its_own_way_is_not_taken_back() -> None:
    class Mine(random.Random):
        def random(self) -> float:
            return 0.25

    assert Orders(Mine(1), 4, 100).chunk == 1
    assert Orders(random.Random(1), 4, 100).chunk == 256


@pytest.mark.parametrize("value", [1.0, -0.1, float("nan")])
def test_a_draw_outside_0_1_is_an_argument_error(value: float) -> None:
    rng = type("Bad", (), {"random": lambda self: value})()
    with pytest.raises(ArgumentError, match=r"^rng.random\(\) returned .*, outside \[0, 1\)$"):
        fisher_yates([1, 2, 3], rng)


def test_chunks_end_before_the_shuffle_after_each_log() -> None:
    """A log every 5 iterations comes before the shuffles after iterations 5, 10, ...: each starts a chunk."""
    orders = Orders(random.Random(1), 3, 23, every=5)
    assert [len(orders()) // 3 for _ in range(5)] == [4, 5, 5, 5, 4]
