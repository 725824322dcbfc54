"""Networks and trainings run unchanged on other processes: dask.distributed, ProcessPoolExecutor
(spawn) and joblib, with every result equal to the serial run's bit for bit (docs/scale.md)."""

from __future__ import annotations

import logging
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

import synjson
from synjson.architect import LSTM, Perceptron

XOR = [([0, 0], [0]), ([0, 1], [1]), ([1, 0], [1]), ([1, 1], [0])]
SEQUENCE = [([1, 0], [0]), ([0, 1], [1]), ([1, 1], [1]), ([0, 0], [0])]
JOBS = [(seed, rate) for seed in (1, 2, 3) for rate in (0.2, 0.5)]


def build_and_train(seed: int, rate: float) -> tuple[synjson.Network, synjson.TrainResult]:
    """A network built in the worker, trained there, and sent back."""
    net = Perceptron(2, 3, 1, seed=seed)
    result = synjson.Trainer(net).train(XOR, rate=rate, iterations=300, error=1e-12, shuffle=True, seed=seed)
    return net, result


def train_sent(net: synjson.Network, rate: float, seed: int) -> tuple[synjson.Network, synjson.TrainResult]:
    """A network sent to the worker, trained there, and sent back."""
    result = synjson.Trainer(net).train(SEQUENCE, rate=rate, iterations=40, error=1e-12, shuffle=True, seed=seed)
    return net, result


def sent_networks() -> list[synjson.Network]:
    """LSTMs mid-sequence: their traces and gates travel both ways."""
    nets = []
    for seed, _ in JOBS:
        net = LSTM(2, 3, 1, seed=seed)
        net.activate([1, 0])
        net.propagate(0.1, [1])
        nets.append(net)
    return nets


def summary(pair: tuple[synjson.Network, synjson.TrainResult]) -> tuple[Any, ...]:
    """Everything a training leaves, but its time: the network's lossless checkpoint and the result."""
    net, result = pair
    return type(net), synjson.dumps(net, state=True), result.error, result.iterations, result.history, result.rates


def serial_built() -> list[tuple[Any, ...]]:
    return [summary(build_and_train(seed, rate)) for seed, rate in JOBS]


def serial_sent() -> list[tuple[Any, ...]]:
    return [summary(train_sent(net, rate, seed)) for net, (seed, rate) in zip(sent_networks(), JOBS)]


def test_dask_distributed_gives_the_serial_results() -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=logging.ERROR
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        seeds, rates = zip(*JOBS)
        built = client.gather(client.map(build_and_train, seeds, rates))
        nets = sent_networks()
        returned = client.gather(client.map(train_sent, nets, rates, seeds, pure=False))
        workers = client.run(lambda: __import__("os").getpid())
    assert len(set(workers.values())) == 2  # two worker processes, not threads of this one
    assert [summary(pair) for pair in built] == serial_built()
    assert [summary(pair) for pair in returned] == serial_sent()
    assert all(sent is not back for sent, (back, _) in zip(nets, returned))


def test_a_spawned_process_pool_gives_the_serial_results() -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        seeds, rates = zip(*JOBS)
        built = list(pool.map(build_and_train, seeds, rates))
        returned = list(pool.map(train_sent, sent_networks(), rates, seeds))
    assert [summary(pair) for pair in built] == serial_built()
    assert [summary(pair) for pair in returned] == serial_sent()


def test_joblib_gives_the_serial_results() -> None:
    joblib = pytest.importorskip("joblib")
    with joblib.parallel_config(backend="loky", n_jobs=2):
        built = joblib.Parallel()(joblib.delayed(build_and_train)(seed, rate) for seed, rate in JOBS)
        returned = joblib.Parallel()(
            joblib.delayed(train_sent)(net, rate, seed) for net, (seed, rate) in zip(sent_networks(), JOBS)
        )
    assert [summary(pair) for pair in built] == serial_built()
    assert [summary(pair) for pair in returned] == serial_sent()


def test_the_core_package_never_imports_dask() -> None:
    import subprocess

    code = "import sys, synjson, synjson.architect, synjson.cli.main; print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'joblib')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"
