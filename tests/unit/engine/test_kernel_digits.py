"""The kernel's shortest-digits writer (_kernel_digits.inc): the digits of Python's repr, JavaScript's layout.

The reference is ``synjson.document.text.js_number``, which takes its digits from ``repr`` and lays
them out by ECMA-262's Number::toString. ``SYNJSON_DIGITS_COUNT`` raises the random sample (the
suite runs 200 000 bit patterns; a run of 5 000 000 is reported in bench/README.md).
"""

from __future__ import annotations

import math
import os
import random
import shutil
import struct
import subprocess
import sys
import sysconfig
from array import array
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synjson.document.text import js_number
from synjson.engine import _kernel, pow10_table

ENGINE = Path(__file__).resolve().parents[3] / "synjson" / "engine"
COUNT = int(os.environ.get("SYNJSON_DIGITS_COUNT", "200000"))


def from_bits(bits: int) -> float:
    return struct.unpack("<d", bits.to_bytes(8, "little"))[0]


def random_doubles(count: int, seed: int) -> list[float]:
    """`count` finite doubles from uniformly random bit patterns (every exponent about equally often)."""
    rng = random.Random(seed)
    values: list[float] = []
    while len(values) < count:
        value = from_bits(rng.getrandbits(64))
        if math.isfinite(value):
            values.append(value)
    return values


def edge_cases() -> list[float]:
    """Subnormals, the ends of the range, powers of 2 and 10, halves, and JavaScript's layout boundaries."""
    values = [0.0, -0.0, 5e-324, -5e-324, 1e-323, 2.2250738585072014e-308, 2.225073858507201e-308,
              1.7976931348623157e308, -1.7976931348623157e308, 9007199254740992.0, 9007199254740993.0,
              9007199254740994.0, 4.35, 0.3, 0.1 + 0.2, 1 / 3, 2 / 3, 123456789012345680000.0]
    values += [from_bits(t) for t in range(1, 3000)]  # the smallest subnormals, one digit each
    values += [from_bits((1 << 52) - t) for t in range(1, 300)]  # the largest subnormals
    values += [from_bits((1 << 52) + t) for t in range(-2, 300)]  # the smallest normals
    values += [math.ldexp(1.0, e) for e in range(-1074, 1024)]  # lower edges of binades: a narrower gap below
    values += [math.nextafter(math.ldexp(1.0, e), 0.0) for e in range(-1073, 1024)]
    for exponent in range(-324, 309):
        for mantissa in ("1", "5", "2.5", "1.5", "9.5", "9.999999999999999", "4.9406564584124654", "1.7976931348623157"):
            value = float(f"{mantissa}e{exponent}")
            if math.isfinite(value) and value:
                values += [value, math.nextafter(value, 0.0), math.nextafter(value, math.inf)]
    values += [n + 0.5 for n in range(0, 2**20, 997)] + [float(2**53 - n) for n in range(4000)]
    values += [float(n) * 2.0**k for n in (1, 3, 5, 7, 2**53 - 1) for k in range(80)]  # integers past 2**53
    for boundary in (1e21, 1e-7, 1e-6, 1e20, 1e16, 1e17):  # where JavaScript switches layout
        value = boundary
        for _ in range(20):
            values += [value, -value]
            value = math.nextafter(value, 0.0)
        value = boundary
        for _ in range(20):
            value = math.nextafter(value, math.inf)
            values += [value, -value]
    return [v for v in values if math.isfinite(v)]


def test_edge_cases_give_reprs_digits_in_javascripts_layout() -> None:
    values = edge_cases()
    assert len(values) > 20_000
    assert [_kernel.js_number(v) for v in values] == [js_number(v) for v in values]


def test_layout_figures() -> None:
    cases = {5e-324: "5e-324", -0.0: "0", 1e21: "1e+21", 999999999999999900000.0: "999999999999999900000",
             1e-7: "1e-7", 1.5e-7: "1.5e-7", 1e-6: "0.000001", 0.1 + 0.2: "0.30000000000000004",
             1.7976931348623157e308: "1.7976931348623157e+308", 2.0**-1074 * 3: "1.5e-323",
             9007199254740993.0: "9007199254740992", 2.0**70: "1.1805916207174113e+21", 100.0: "100",
             -1.25: "-1.25", 123e-20: "1.23e-18"}
    assert {v: _kernel.js_number(v) for v in cases} == cases


def test_random_bit_patterns() -> None:
    values = random_doubles(COUNT, seed=24)
    assert [_kernel.js_number(v) for v in values] == [js_number(v) for v in values]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_double(value: float) -> None:
    assert _kernel.js_number(value) == js_number(value)
    assert float(_kernel.js_number(value)) == value  # a round trip (0 for -0)


def test_non_finite_is_refused_as_before() -> None:
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError, match="has no JSON representation"):
            _kernel.js_number(bad)


def test_power_table_is_what_the_generator_writes() -> None:
    assert (ENGINE / "_pow10.h").read_text(encoding="utf-8") == pow10_table.c_header()
    for k in (pow10_table.K_MIN, -1, 0, 1, 22, 23, pow10_table.K_MAX):
        g, r = pow10_table.entry(k)
        ten = 10**-k if k <= 0 else None
        if ten is not None:  # (g - 1) * 2**r <= 10**-k < g * 2**r, in integers
            assert ((g - 1) << r if r >= 0 else (g - 1)) <= (ten if r >= 0 else ten << -r) < (g << r if r >= 0 else g)
        else:  # (g - 1) * 10**k <= 2**-r < g * 10**k
            assert (g - 1) * 10**k <= 1 << -r < g * 10**k
        assert 1 << 125 < g <= 1 << 126


PROGRAM = r"""
#include <stdio.h>
#include "_kernel_digits.inc"
int main(void) {
    double v;
    char out[40];
    while (fread(&v, 8, 1, stdin) == 1) {
        fwrite(out, 1, js_number_digits(v, out), stdout);
        fputc('\n', stdout);
    }
    return 0;
}
"""


@pytest.mark.parametrize("multiply", ["native", "portable"])
def test_the_writer_alone_with_either_multiply(multiply: str, tmp_path: Path) -> None:
    """The include compiled on its own: the portable 64x64 multiply (no __int128) gives the same text."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.fail(f"no C compiler ({compiler}): the kernel's own build needs one")
    (tmp_path / "main.c").write_text(PROGRAM, encoding="utf-8")
    flags = ["-DSYNJSON_PORTABLE_MULTIPLY"] if multiply == "portable" else []
    subprocess.run([compiler, "-O2", "-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", *flags, f"-I{ENGINE}", "main.c", "-o", "digits"],
                   cwd=tmp_path, check=True, capture_output=True)
    values = edge_cases() + random_doubles(50_000, seed=25)
    values = [v for v in values if v != 0]
    data = b"".join(struct.pack("<d", v) for v in values)
    written = subprocess.run([str(tmp_path / "digits")], input=data, capture_output=True, check=True).stdout
    assert written.decode("ascii").split("\n")[:-1] == [js_number(v) for v in values]
    assert sys.byteorder == "little" or multiply == "native"  # the bytes above are little-endian doubles


def test_the_longest_connection_objects_fit_the_reserved_size() -> None:
    """dump_connections reserves 96 bytes a connection: the longest object with its comma is 90."""
    big = 2**31 - 1
    weights = [-1.2345678901234567e-6, -1.2345678901234567e-308, -123456789012345680000.0, -5e-324]
    count = len(weights)
    written = _kernel.dump_connections(array("i", [big] * count), array("i", [big] * count),
                                       array("i", [big] * count), array("d", weights), array("i", range(count)))
    objects = [f'{{"from":{big},"to":{big},"weight":{js_number(w)},"gater":{big}}}' for w in weights]
    assert written == "[" + ",".join(objects) + "]"
    assert max(len(item) + 1 for item in objects) == 90
    assert _kernel.dump_connections(array("i"), array("i"), array("i"), array("d"), array("i")) == "[]"
