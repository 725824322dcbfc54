"""synjson.train.rate: the rate of every iteration, decided once for both training loops (issue 21 item 2)."""

from __future__ import annotations

import pytest

from synjson.train.rate import Rates


def buckets(rates: list[float], iterations: int) -> list[float]:
    """Q-T-BUCKET as Synaptic writes it: iteration i uses rates[i // bucket], the last one past the end."""
    bucket = iterations // len(rates)
    return [rates[min(i // bucket, len(rates) - 1)] for i in range(1, iterations + 1)]


@pytest.mark.parametrize(("rates", "iterations"), [
    ([0.5], 1), ([0.5], 7), ([0.5, 0.3, 0.1], 3), ([0.5, 0.3, 0.1], 10), ([0.5, 0.3, 0.1], 3000),
    ([0.9, 0.8, 0.7, 0.6, 0.5], 11), ([0.4, 0.2], 5),
])
def test_a_list_becomes_one_rate_per_iteration(rates: list[float], iterations: int) -> None:
    decided = Rates(rates, iterations)
    assert decided.table is not None and decided.table.tolist() == buckets(rates, iterations)
    assert [decided.at(i, 0.0) for i in range(1, iterations + 1)] == buckets(rates, iterations)
    assert decided.argument() is decided.table
    assert tuple(decided.first(2)) == tuple(buckets(rates, iterations)[:2])


def test_a_number_and_a_callable() -> None:
    constant = Rates(3, 10)
    assert (constant.argument(), constant.at(4, 0.5), constant.first(3)) == (3.0, 3.0, (3.0, 3.0, 3.0))
    called = Rates(lambda i, e: i + e, 10)
    assert called.at(2, 0.25) == 2.25 and called.argument()(1, 0.5) == 1.5


@pytest.mark.parametrize(("rate", "message"), [
    ([0.1, 0.2, 0.3], r"^a rate list longer than the iterations \(3 > 2\)$"),
    ([0.1, 0], r"^a rate list needs at least one entry and no zeros$"),
    ([], r"^a rate list needs at least one entry and no zeros$"),
    ([0.1, "x"], r"^rate\[1\] must be a number, got 'x'$"),
    ("0.1", r"^rate must be a number, a list of numbers or a callable, got '0.1'$"),
    (float("nan"), r"^rate must be finite, got nan$"),
])
def test_the_checks_and_their_messages(rate: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Rates(rate, 2)  # type: ignore[arg-type]


def test_a_callables_result_is_checked() -> None:
    with pytest.raises(ValueError, match=r"^rate\(3, 0.5\) must be finite, got inf$"):
        Rates(lambda i, e: float("inf"), 5).at(3, 0.5)
