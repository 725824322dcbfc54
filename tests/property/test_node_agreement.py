"""``js_number`` and ``dumps`` agree with Node's ``JSON.stringify``, checked in one Node run each.

The doubles are drawn from a seeded ``random.Random``: uniform bit patterns
(every exponent, subnormals included), short decimals, integers around 2**53,
and the boundaries where JavaScript switches notation: 1e21 (exponent from
there up) and 1e-6 / 1e-7 (exponent below 1e-6), a few ulps either side, plus
negative zero, the smallest subnormal and the largest double.
"""

from __future__ import annotations

import math
import random
import shutil
import struct
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synjson_strategies import any_network, networks_with_any_floats

import synjson
from synjson import Layer, Network
from synjson.format.synaptic import js_number

pytestmark = pytest.mark.node

# Reads hex bit patterns (one double each) on stdin; prints JSON.stringify of each, one a line.
STRINGIFY_NUMBERS = """
const lines = require('fs').readFileSync(0, 'utf8').trim().split('\\n');
const view = new DataView(new ArrayBuffer(8));
const out = lines.map((hex) => {
  view.setBigUint64(0, BigInt('0x' + hex));
  return JSON.stringify(view.getFloat64(0));
});
process.stdout.write(out.join('\\n'));
"""
# Reads JSON documents, one a line, on stdin; prints JSON.stringify(JSON.parse(line)) for each.
RESTRINGIFY = """
const lines = require('fs').readFileSync(0, 'utf8').split('\\n').filter((line) => line.length);
process.stdout.write(lines.map((line) => JSON.stringify(JSON.parse(line))).join('\\n'));
"""


def node(script: str, stdin: str) -> list[str]:
    executable = shutil.which("node")
    assert executable, "these tests need Node.js (scripts/setup.sh installs the npm side)"
    result = subprocess.run(
        [executable, "-e", script], input=stdin, capture_output=True, text=True, check=True, encoding="utf-8"
    )
    return result.stdout.split("\n")


def _next(value: float, steps: int) -> float:
    for _ in range(abs(steps)):
        value = math.nextafter(value, math.inf if steps > 0 else -math.inf)
    return value


def doubles() -> list[float]:
    rng = random.Random(20241125)
    values = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308]
    values += [1.7976931348623157e308, -1.7976931348623157e308]
    for boundary in (1e21, 1e-6, 1e-7, 1e16, 1e-5, 1e20, 1e22, 2.0**53, 2.0**64, 0.1, 1.0):
        values += [_next(boundary, steps) * sign for steps in range(-3, 4) for sign in (1, -1)]
    while len(values) < 6000:
        value = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if math.isfinite(value):
            values.append(value)
    values += [rng.uniform(-1, 1) for _ in range(2000)]
    values += [round(rng.uniform(-1000, 1000), rng.randrange(0, 8)) for _ in range(1000)]
    values += [float(rng.randrange(-(2**60), 2**60)) for _ in range(500)]
    values += [rng.uniform(1, 10) * 10.0 ** rng.randrange(-330, 309) for _ in range(1500)]
    values += [10.0**exponent for exponent in range(-323, 309)]
    return [value for value in values if math.isfinite(value)]


def test_js_number_matches_json_stringify_on_11000_doubles() -> None:
    values = doubles()
    expected = node(STRINGIFY_NUMBERS, "\n".join(struct.pack(">d", v).hex() for v in values))
    assert len(expected) == len(values)
    mismatches = [(v, js_number(v), e) for v, e in zip(values, expected) if js_number(v) != e]
    assert mismatches == []
    assert all(float(js_number(v)) == v for v in values)


def test_dumps_matches_json_stringify_on_random_networks() -> None:
    """30 hypothesis networks, their texts checked in one Node run (a Node start per example cost 20 s)."""
    texts: list[str] = []

    @settings(max_examples=30)
    @given(st.one_of(networks_with_any_floats(), any_network()))
    def dump(net: Network) -> None:
        texts.append(synjson.dumps(net))

    dump()
    assert len(texts) >= 30
    assert node(RESTRINGIFY, "\n".join(texts)) == texts


def test_dumps_escapes_strings_as_json_stringify_does() -> None:
    """Controls, quotes, backslashes, U+2028 and lone surrogates, in a kept extra key."""
    net = synjson.loads(synjson.dumps(Network(Layer(1), [], Layer(1))))
    odd = 'a"b\\c\n\t\x00\x1f\x7f\u2028\u2029\ud800x\udfff \u00e9 \U0001f600'
    net.extra = {"text": odd, "n": [1, 1e21, 1e-7, None]}
    text = synjson.dumps(net)
    assert node(RESTRINGIFY, text) == [text]
    assert synjson.loads(text).extra == net.extra
