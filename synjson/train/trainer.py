"""Trainer: Synaptic's ``Trainer.train`` and ``Trainer.test``, with the same numbers.

From the same network, data and options (shuffle off, or the same random
stream), ``train`` runs the same iterations, reports the same error at each one
and leaves the same weights as ``synaptic.Trainer``. Where Synaptic has a
JavaScript accident, synjson either matches it or refuses the input with a
ValueError; docs/quirks.md ("Trainer and Architect") lists each choice.

No numpy and no tqdm at import time: numpy arrays are read through their
``tolist()`` method, and tqdm is imported only when a progress bar shows
(train/progress.py).
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..document.text import js_number
from ..engine import ENGINES
from ..model.network import Network
from . import cost as costs
from .cost import Cost
from .failures import arithmetic, diverged, error_not_finite
from .history import result_html
from .kernel_loop import cost_code
from .kernel_loop import native_train as _native_train
from .progress import progress_bar, wanted
from .rate import Rate, Rates
from .rate import number as _number
from .resume import Resume, guard_cost
from .samples import Sample, as_samples
from .shuffle import fisher_yates

__all__ = ["Trainer", "TrainResult", "TestResult", "Rate", "Schedule", "as_samples", "fisher_yates"]

#: ``(every, callback)``: every ``every`` iterations ``callback({"error", "iterations", "rate"})`` runs;
#: a true result stops training. A mapping ``{"every": n, "do": callback}`` (Synaptic's shape) also works.
Schedule = tuple[int, Callable[[dict[str, Any]], Any]] | Mapping[str, Any]


class _Numbers:
    """A field of :class:`TrainResult` that reads as a tuple of floats: given a tuple, or an ``array('d')``
    that becomes a tuple when first read. The kernel's loop hands over its arrays, so a training of many
    iterations does not make a float object per iteration unless the numbers are looked at."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, instance: Any, owner: type | None = None) -> tuple[float, ...]:
        if instance is None:
            return ()  # the dataclass default
        value = instance.__dict__[self.slot]
        if not isinstance(value, tuple):
            value = tuple(value)
            instance.__dict__[self.slot] = value
        return value

    def __set__(self, instance: Any, value: Sequence[float]) -> None:
        instance.__dict__[self.slot] = value


@dataclass(frozen=True, repr=False)
class TrainResult:
    """What ``train`` returns: the last iteration's mean error, the iterations run, seconds taken,
    the mean error after every iteration (``history[i]`` is iteration ``i + 1``'s) and the rate
    each iteration trained at (``rates[i]``)."""

    error: float
    iterations: int
    time: float
    history: tuple[float, ...] = _Numbers()  # type: ignore[assignment]
    rates: tuple[float, ...] = _Numbers()  # type: ignore[assignment]

    def __repr__(self) -> str:
        """One short line, whatever the length of the run: the history is counted, not listed."""
        return (
            f"TrainResult(error={self.error!r}, iterations={self.iterations}, time={self.time:.3g} s, "
            f"history={len(self.history)} points)"
        )

    def _repr_html_(self) -> str:
        """What a notebook shows: the figures and the error curve of the report page (train/history.py)."""
        return result_html(self.error, self.iterations, self.time, self.history)


@dataclass(frozen=True)
class TestResult:
    """What ``test`` returns: the mean error over the set and the seconds taken."""

    error: float
    time: float


# -- options ---------------------------------------------------------------------


def _schedule(schedule: Schedule | None) -> tuple[int, Callable[[dict[str, Any]], Any]] | None:
    if schedule is None:
        return None
    if isinstance(schedule, Mapping):
        every, callback = schedule.get("every"), schedule.get("do")
    else:
        every, callback = schedule
    if isinstance(every, bool) or not isinstance(every, int) or every < 0 or not callable(callback):
        raise ValueError("schedule must be (every, callback) with every a non-negative integer")
    return (every, callback) if every else None  # every 0 never fires, as in Synaptic


# -- trainer ---------------------------------------------------------------------


def _js(value: float) -> str:
    """A number as ``console.log`` prints it."""
    if isinstance(value, int):
        return str(value)
    return "-0" if value == 0 and math.copysign(1, value) < 0 else js_number(value)


def _log_line(iteration: int, error: float, rate: float) -> str:
    """Synaptic's log line (``log=N``)."""
    return f"iterations {iteration} error {_js(error)} rate {_js(rate)}"


class Trainer:
    """Trains a network on a set as Synaptic's ``Trainer`` does.

    Unlike Synaptic's, a synjson Trainer keeps no options between calls: each
    ``train`` call takes its own.

    ``engine`` is what ``train`` runs the samples on: None (the default) means the
    network's own engine (the fastest available unless set). Every engine computes
    the reference's numbers bit for bit, in place on the network's store, so the
    neuron objects are current at every callback and after training.
    """

    def __init__(self, network: Network, *, engine: str | None = None) -> None:
        self.network = network
        if engine is not None and engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
        self.engine = engine
        self._override: tuple[str, Any, Any] | None = None  # (engine, plan, program) for an engine override

    def _program(self, engine: str | None) -> Any:
        """The program to train on, current with the network's structure (a callback may edit it).

        The network's own engine runs the network's program; another engine's program is built once per
        structure (``net.plan()`` is a new plan after an edit), not once per iteration: generating Python
        for a network, or building the kernel's program, costs more than an iteration of a small one.
        """
        net = self.network
        chosen = engine if engine is not None else self.engine
        if chosen is None or chosen == net.engine:
            return net.program
        if chosen not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {chosen!r}")
        plan = net.plan()
        cached = self._override
        if cached is None or cached[0] != chosen or cached[1] is not plan:
            cached = self._override = (chosen, plan, net.program_for(chosen))
        return cached[2]

    def _epoch(self, program: Any, samples: Sequence[Sample], rate: float, cost: Cost) -> float:
        total = 0.0
        step = getattr(program, "step", None)
        if step is not None:
            for x, y in samples:
                total += cost(y, step(x, rate, y))
            return total
        for x, y in samples:
            output = program.activate(x)
            program.propagate(rate, y)
            total += cost(y, output)
        return total

    def train(
        self,
        data: Any,
        *,
        rate: Rate = 0.2,
        iterations: int = 100_000,
        error: float = 0.005,
        shuffle: bool = False,
        cost: Cost = costs.MSE,
        log: int = 0,
        log_to: Callable[[str], Any] | None = None,
        schedule: Schedule | None = None,
        cross_validate: tuple[float, float | None] | None = None,
        seed: int | None = None,
        rng: random.Random | None = None,
        progress: bool | None = None,
        engine: str | None = None,
    ) -> TrainResult:
        """Train until ``iterations`` have run or the mean error is at most ``error``.

        One iteration activates and propagates every sample in order and
        averages ``cost(target, output)`` over the set. ``rate`` is a number, a
        list spread over ``iterations`` in equal buckets, or
        ``rate(iteration, last_error)``. ``shuffle`` reshuffles (Fisher-Yates,
        from ``rng`` or ``seed``) after each iteration; synjson shuffles a copy,
        never ``data``. ``log=N`` prints Synaptic's line ``iterations I error E
        rate R`` every N iterations (through ``log_to`` when given) unless
        ``schedule`` fires on that iteration. ``cross_validate=(test_size,
        test_error)`` trains on the first ``ceil((1 - test_size) * n)`` samples,
        reports the error on the rest, and stops once it is at most
        ``test_error`` (never when None). A tqdm bar shows by itself when stderr
        is a terminal or in a notebook, never in a pipe or a CI log;
        ``progress=True`` or ``False`` forces it (train/progress.py).
        ``engine`` overrides the Trainer's (see :class:`Trainer`).

        Numbers are taken at face value: unlike Synaptic, ``error=0`` means
        "stop only at a perfect fit" and ``rate=0`` trains at rate 0.

        Raises ValueError for a malformed set or option, and TrainingError when
        a NaN or infinity appears; the network is then left as it was before
        the iteration that diverged. Rate, log and schedule callbacks may edit the
        network's structure (it takes effect at once); a cost function that does raises
        StateError.
        """
        net = self.network
        samples = as_samples(data, net.inputs(), net.outputs())
        if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 1:
            raise ValueError(f"iterations must be a positive integer, got {iterations!r}")
        target_error = _number(error, "error")
        rate_of = Rates(rate, iterations)
        scheduled = _schedule(schedule)
        if isinstance(log, bool) or not isinstance(log, int) or log < 0:
            raise ValueError(f"log must be a non-negative integer, got {log!r}")
        write = log_to if log_to is not None else print
        if shuffle:
            if rng is not None and seed is not None:
                raise ValueError("pass rng or seed, not both")
            rng = rng if rng is not None else random.Random(seed)
        order = list(samples)  # Q-T-INPLACE: shuffle a copy, never the caller's data
        train_set: list[Sample] = order
        test_set: list[Sample] = []
        test_error: float | None = None
        if cross_validate is not None:
            test_size, test_error = cross_validate
            test_size = _number(test_size, "cross_validate test size")
            test_error = None if test_error is None else _number(test_error, "cross_validate test error")
            cut = math.ceil((1 - test_size) * len(order))  # Q-T-CV: split once, before training
            train_set, test_set = order[:cut], order[cut:]
            if not train_set or not test_set:
                raise ValueError(
                    f"cross_validate test size {test_size} leaves {len(train_set)} samples to train "
                    f"and {len(test_set)} to test: both must be at least 1"
                )
        program = self._program(engine)  # an unknown engine fails before anything runs
        stream = sys.stderr
        bar = progress_bar(iterations, stream) if wanted(progress, stream) else None
        if cost_code(cost) is None and callable(cost):
            cost = guard_cost(cost, net)
        resumed: Resume | None = None
        if getattr(program, "native", False) and scheduled is None:
            # Nothing but the loop looks at the network until it ends: the kernel runs all of it,
            # unless a rate or log callback edits the structure (then the loop below goes on).
            try:
                outcome = _native_train(
                    net, program, train_set, test_set, iterations, target_error, rate_of, cost,
                    rng if shuffle else None, log, write, test_error, order, _log_line, bar,
                )
            except BaseException:
                if bar is not None:
                    bar.close()
                raise
            if not isinstance(outcome, Resume):
                if bar is not None:
                    bar.close()
                mean, done, curve, trained_at, seconds = outcome
                return TrainResult(error=mean, iterations=done, time=seconds, history=curve, rates=trained_at)
            resumed = outcome
        history: list[float] = []
        rates: list[float] = []

        start = time.perf_counter() - (resumed.elapsed if resumed is not None else 0.0)
        mean_error, iteration, last_error, abort = 1.0, 0, 0.0, False  # Q-T-ERROR: starts at 1
        pending_rate: float | None = None
        if resumed is not None:
            history, rates, pending_rate = list(resumed.history), list(resumed.rates), resumed.rate
            iteration = len(history)
            if history:
                mean_error = last_error = history[-1]
            if resumed.shuffle_next and shuffle:
                assert rng is not None
                fisher_yates(order, rng)
        try:
            while not abort and iteration < iterations and mean_error > target_error:
                if test_error is not None and mean_error <= test_error:
                    break
                iteration += 1
                if pending_rate is not None:  # computed by the kernel's run before the structure changed
                    current_rate, pending_rate = pending_rate, None
                else:
                    current_rate = rate_of.at(iteration, last_error)
                program = self._program(engine)
                store = net.store
                saved, activated = store.snapshot(), net.run_state()[0]
                try:
                    if cross_validate is not None:
                        self._epoch(program, train_set, current_rate, cost)
                        net.set_run_state(activated=True)
                        mean_error = self._mean_cost(program, test_set, cost)
                    else:
                        mean_error = self._epoch(program, order, current_rate, cost) / len(order)
                        net.set_run_state(activated=True)
                except (OverflowError, ZeroDivisionError) as failure:
                    store.restore(saved)
                    net.set_run_state(activated=activated)
                    raise arithmetic(iteration, failure) from failure
                _check_finite(net, store, saved, activated, iteration, mean_error)
                last_error = mean_error
                history.append(mean_error)
                rates.append(current_rate)
                if scheduled is not None and iteration % scheduled[0] == 0:
                    info = {"error": mean_error, "iterations": iteration, "rate": current_rate}
                    abort = bool(scheduled[1](info))
                elif log and iteration % log == 0:  # Q-T-SCHEDULE: not when the schedule fired
                    write(_log_line(iteration, mean_error, current_rate))
                if bar is not None:
                    bar.set_postfix(error=f"{mean_error:.6g}", rate=f"{current_rate:.6g}", refresh=False)
                    bar.update(1)
                if shuffle:
                    assert rng is not None
                    fisher_yates(order, rng)
        finally:
            if bar is not None:
                bar.close()
        return TrainResult(
            error=mean_error,
            iterations=iteration,
            time=time.perf_counter() - start,
            history=tuple(history),
            rates=tuple(rates),
        )

    def test(self, data: Any, *, cost: Cost = costs.MSE) -> TestResult:
        """Activate every sample (no learning) and return the mean cost."""
        net = self.network
        samples = as_samples(data, net.inputs(), net.outputs())
        start = time.perf_counter()
        mean_error = self._mean_cost(self._program(None), samples, cost)
        net.set_run_state(activated=True)
        return TestResult(error=mean_error, time=time.perf_counter() - start)

    def _mean_cost(self, program: Any, samples: Sequence[Sample], cost: Cost) -> float:
        total = 0.0
        for x, y in samples:
            total += cost(y, program.activate(x))
        return total / len(samples)


def _all_finite(store: Any) -> bool:
    """True when no state, activation, bias or weight is NaN or infinite.

    A sum is finite only when every term is; a finite set can still overflow the sum, so
    False means "look closer" (``Network.first_non_finite``), never a verdict by itself.
    """
    return math.isfinite(sum(store.state) + sum(store.activation) + sum(store.bias) + sum(store.weight))


def _check_finite(
    net: Network, store: Any, saved: Any, activated: bool, iteration: int, mean_error: float
) -> None:
    """Q-T-NAN: raise TrainingError, with the network restored, when anything became NaN or infinite."""
    found = None if _all_finite(store) else net.first_non_finite()
    if found is not None:
        store.restore(saved)
        net.set_run_state(activated=activated)
        raise diverged(iteration, *found)
    if not math.isfinite(mean_error):
        store.restore(saved)
        net.set_run_state(activated=activated)
        raise error_not_finite(mean_error, iteration)

