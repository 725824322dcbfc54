"""Fuzz the bridge loaders (ONNX, brain.js, neataptic): only FormatError may escape, and what loads must work.

As ``fuzz_loads.py`` does for Synaptic JSON: whatever bytes come in, ``loads_as(data, format)``
either returns a network or raises :class:`synjson.FormatError` (LimitError included). A
network it returns must activate, and write and read back as Synaptic JSON unchanged.

Inputs: mutated seeds (valid files of each format, from synjson's own exports and the
torch fixtures): JSON values deleted, swapped for other types, huge or negative; protobuf
bytes flipped, cut and spliced; plus raw bytes.

    .venv/bin/python tests/fuzz/fuzz_bridges.py --hypothesis 5000
"""

from __future__ import annotations

import functools
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import synjson  # noqa: E402
from synjson import FormatError, Limits, architect  # noqa: E402
from synjson.format.bridges import dumps_as, loads_as  # noqa: E402

FORMATS = ("onnx", "brain.js", "brain.js-2", "neataptic")
LIMITS = Limits(max_bytes=1 << 20, max_neurons=5_000, max_connections=50_000)  # bounded time per input


def check(data: bytes, format: str) -> str | None:
    """Load ``data`` as ``format``: None when refused with FormatError; the Synaptic JSON when it loaded."""
    try:
        net = loads_as(data, format, limits=LIMITS)
    except FormatError:
        return None
    net.activate([0.5] * net.inputs())
    text = synjson.dumps(net, allow_nan=True)
    assert synjson.dumps(synjson.loads(text, allow_nan=True, duplicates="synaptic"), allow_nan=True) == text
    return text


@functools.cache
def seeds() -> dict[str, list[bytes]]:
    """Valid files of each format (made when first asked: not when the module is imported)."""
    nets = [architect.Perceptron(2, 3, 1, seed=1), architect.Perceptron(3, 4, 2, seed=2)]
    recurrent = [architect.LSTM(2, 2, 1, seed=3), architect.Liquid(2, 4, 1, 3, 2, seed=4)]
    named = architect.Perceptron(2, 2, 2, seed=5)
    named.metadata.update(inputs=["a", "b"], outputs=["x", "y"])
    found: dict[str, list[bytes]] = {
        "onnx": [dumps_as(net, "onnx") for net in [*nets, named]],
        "brain.js": [dumps_as(net, "brain.js") for net in [*nets, named]],
        "brain.js-2": [dumps_as(net, "brain.js-2") for net in [*nets, named]],
        "neataptic": [dumps_as(net, "neataptic") for net in [*nets, recurrent[0]]],
    }
    found["onnx"] += [path.read_bytes() for path in sorted((ROOT / "tests" / "data" / "onnx").glob("*.onnx"))]
    return found


_ODD_VALUES = [None, True, 0, -1, 1.5, 1e308, -1e308, 2**53 + 1, 10**30, "", "x", "0", [], {}, [1, 2], {"a": 1},
               "LOGISTIC", "leaky-relu", "input", "output", "hidden", "constant"]


def mutate_json(document: Any, rng: random.Random, rounds: int) -> Any:
    """Change ``rounds`` random places of a copy of ``document``."""
    document = json.loads(json.dumps(document))
    for _ in range(rounds):
        path: list[Any] = []
        node = document
        while isinstance(node, (dict, list)) and node and rng.random() < 0.8:
            key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
            path.append((node, key))
            node = node[key]
        if not path:
            continue
        parent, key = path[-1]
        action = rng.random()
        if action < 0.2 and isinstance(parent, dict):
            del parent[key]
        elif action < 0.3 and isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[key])))
        elif action < 0.4 and isinstance(node, (int, float)) and not isinstance(node, bool):
            parent[key] = -node if rng.random() < 0.5 else node + rng.choice([1, -1, 0.5])
        else:
            parent[key] = json.loads(json.dumps(rng.choice(_ODD_VALUES)))
    return document


def mutate_bytes(data: bytes, rng: random.Random, rounds: int) -> bytes:
    """Flip, cut, splice or repeat bytes of ``data``."""
    buffer = bytearray(data)
    for _ in range(rounds):
        if not buffer:
            break
        at = rng.randrange(len(buffer))
        action = rng.random()
        if action < 0.4:
            buffer[at] = rng.randrange(256)
        elif action < 0.6:
            del buffer[at:at + rng.randrange(1, 16)]
        elif action < 0.8:
            buffer[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        else:
            buffer = buffer[:at]
    return bytes(buffer)


@st.composite
def fuzz_inputs(draw: Any) -> tuple[bytes, str]:
    """A (data, format) pair: a mutated seed, or raw bytes."""
    format = draw(st.sampled_from(FORMATS))
    kind = draw(st.sampled_from(["json", "bytes", "raw"]))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    seed = rng.choice(seeds()[format])
    rounds = draw(st.integers(1, 6))
    if kind == "raw":
        return draw(st.binary(max_size=200)), format
    if kind == "json" and format != "onnx":
        return json.dumps(mutate_json(json.loads(seed), rng, rounds), allow_nan=True).encode(), format
    return mutate_bytes(seed, rng, rounds), format


def run_hypothesis(count: int) -> int:
    from hypothesis import HealthCheck, given, settings

    tried = 0

    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(fuzz_inputs())
    def campaign(item: tuple[bytes, str]) -> None:
        nonlocal tried
        tried += 1
        check(*item)

    campaign()
    return tried


if __name__ == "__main__":
    argv = sys.argv[1:]
    count = int(argv[1]) if argv[:1] == ["--hypothesis"] and len(argv) > 1 else 5_000
    started = time.perf_counter()
    print(f"{run_hypothesis(count)} inputs, no failure, {time.perf_counter() - started:.0f} s")
