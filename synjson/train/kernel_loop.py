"""``Trainer.train``'s loop in the C kernel (``Program.train``): Python decides, C loops.

Python hands the kernel what it decided: the rate of every iteration (train/rate.py), the sample
order after every shuffle (train/shuffle.py) and the cost as a code of ``engine.facts.COST_NAMES``.
The kernel runs the samples, the costs' arithmetic and the finiteness check, and reports a failure
by place; the messages are train/failures.py's, as in the Python loop.
"""

from __future__ import annotations

import random
import time
from array import array
from collections.abc import Callable, Sequence
from typing import Any

from ..engine.facts import COST_NAMES
from ..model.network import Network
from . import cost as costs
from .cost import Cost
from .failures import arithmetic, diverged, error_not_finite
from .progress import native_reporter
from .rate import Rates
from .resume import Restructured, Resume
from .samples import Sample
from .shuffle import CHUNK, Orders

__all__ = ["cost_code", "native_train", "Outcome"]

_CODES = {id(costs.COSTS[name]): code for code, name in enumerate(COST_NAMES)}

#: What the kernel's run ends with: ``(error, iterations, history, rates, seconds)``, or a Resume.
Outcome = tuple[float, int, Sequence[float], Sequence[float], float]


def cost_code(cost: Cost) -> int | None:
    """The kernel's code of a built-in cost (its index in ``COST_NAMES``), None for any other callable."""
    return _CODES.get(id(cost))


def _flat(rows: Sequence[Sequence[float]]) -> array:
    return array("d", [x for row in rows for x in row])


def native_train(
    net: Network,
    program: Any,
    train_set: list[Sample],
    test_set: list[Sample],
    iterations: int,
    target_error: float,
    rates: Rates,
    cost: Cost,
    rng: random.Random | None,
    log: int,
    write: Callable[[str], Any],
    test_error: float | None,
    order: list[Sample],
    line: Callable[[int, float, float], str],
    bar: Any = None,
) -> Outcome | Resume:
    """Run the loop in the kernel; the same numbers, rng draws, messages and result as the Python loop.

    A rate or log callback may edit the network's structure; the kernel then stops right after that
    callback (its tables and arrays no longer describe the network) and this returns a :class:`Resume`
    for the Python loop, with ``order`` shuffled as far as the Python loop would have shuffled it.
    ``bar``, a tqdm bar, moves through the kernel's log hook. Raises TrainingError (failures.py).
    """
    plan = net.plan()
    version, bound = plan.store.version, plan.version

    def check() -> None:
        if version[0] != bound:
            raise Restructured

    rates_seen: list[float] = []
    rate_arg: Any = rates.argument()
    if rates.callback is not None:
        decide = rates.callback

        def rate_arg(iteration: int, last_error: float) -> float:
            rates_seen.append(decide(iteration, last_error))
            check()
            return rates_seen[-1]

    code = cost_code(cost)
    options: dict[str, Any] = {"history": array("d", [0.0]) * iterations}
    history = options["history"]
    orders: Orders | None = None
    if rng is not None:
        # Callbacks may draw from the rng too: the draws for each shuffle come between them as in the
        # Python loop (one shuffle a call when a callback runs every iteration; chunks end at each log).
        every_iteration = rates.callback is not None or code is None or any(plan.custom)
        orders = Orders(rng, len(order), iterations, chunk=1 if every_iteration else CHUNK, every=log)
        if test_set:  # Q-T-CV: the split is made once; the shuffles still draw, over the whole copy
            same = array("i", range(len(train_set)))
            shuffled = orders

            def unchanged() -> array:
                return same * (len(shuffled()) // len(order))

            options["orders"] = unchanged
        else:
            options["orders"] = orders
    logged: list[int] = []

    def logged_line(i: int, e: float, r: float) -> str:
        logged.append(i)
        return line(i, e, r)

    def write_checked(text: str) -> None:
        write(text)
        check()

    if bar is not None:
        options["log_every"], options["log"] = native_reporter(bar, iterations, log, write_checked, logged_line)
    elif log:
        options["log_every"] = log
        options["log"] = lambda i, e, r: write_checked(logged_line(i, e, r))
    if test_set:
        options.update(
            test_rows=_flat([x for x, _ in test_set]),
            test_targets=_flat([y for _, y in test_set]),
            n_test=len(test_set),
            test_error=test_error,
        )
    original = order[:]

    def settle(shuffles: int) -> None:
        if orders is not None:
            order[:] = [original[k] for k in orders.settle(shuffles)]

    start = time.perf_counter()
    try:
        mean_error, done, failure = program.train(
            _flat([x for x, _ in train_set]),
            _flat([y for _, y in train_set]),
            len(train_set),
            iterations,
            target_error,
            code if code is not None else cost,
            rate_arg,
            **options,
        )
    except Restructured:
        stopped = program.iteration
        in_rate = not logged or logged[-1] != stopped  # the log runs after the rate, in the same iteration
        done = stopped - 1 if in_rate else stopped
        if done:
            net.set_run_state(activated=True)
        settle(done if in_rate else done - 1)
        rates_done = tuple(rates_seen[:done]) if rates.callback is not None else rates.first(done)
        pending = rates_seen[-1] if in_rate else None
        elapsed = time.perf_counter() - start
        return Resume(tuple(history[:done]), rates_done, pending, shuffle_next=not in_rate, elapsed=elapsed)
    except (OverflowError, ZeroDivisionError) as failure:
        settle(program.iteration - 1)
        raise arithmetic(program.iteration, failure) from failure
    except BaseException:
        settle(max(program.iteration - 1, 0))
        raise
    if done:
        net.set_run_state(activated=True)
    if bar is not None:
        bar.update(done - bar.n)
    if failure is not None:
        settle(done - 1)
        neuron, field = failure
        if neuron < 0:
            raise error_not_finite(mean_error, done)
        raise diverged(done, neuron, field)
    settle(done)
    rates_done = tuple(rates_seen) if rates.callback is not None else rates.first(done)
    curve = history if done == iterations else history[:done]  # TrainResult makes the tuple when it is read
    return mean_error, done, curve, rates_done, time.perf_counter() - start
