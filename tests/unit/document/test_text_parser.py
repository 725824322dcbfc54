"""synjson.document.text.parse with orjson (the extra "fast"): the values json.loads gives, always.

orjson reads an integer past 64 bits as a float; parse sends such text to json. Anything orjson
refuses goes to json too, which reads it (NaN, 1e400, lone surrogates) or words the error.
"""

from __future__ import annotations

import json
import sys

import pytest

import synjson
from synjson.document import text as text_module
from synjson.document.text import parse

CASES = [
    "[12345678901234567890123]", "[-12345678901234567890123]", "12345678901234567890", "[9223372036854775807]",
    "[18446744073709551616]", '{"a": 1e400}', '["\\ud800"]', '"\\udc00\\ud800"', "[NaN, Infinity, -Infinity]",
    '{"a":1,"a":2}', "[-0, -0.0, 0.00012345678901234567891]", "[1.5e-324, 2.2250738585072011e-308]",
    '[1, "x:1234567890123456789012"]', "[1e0000000000000000000001]", " \n[1]\t",
]


@pytest.fixture(autouse=True)
def _orjson_for_short_text_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """parse sends text shorter than FAST_FROM straight to json: here every text takes orjson's path."""
    monkeypatch.setattr(text_module, "FAST_FROM", 0)


def _same(a: object, b: object) -> bool:
    return repr(a) == repr(b) and type(a) is type(b)


@pytest.mark.parametrize("text", CASES)
def test_parse_gives_what_json_gives(text: str) -> None:
    expected = json.loads(text)
    assert _same(parse(text), expected)
    assert _same(parse(text.encode("utf-8", "surrogatepass")), expected)


@pytest.mark.parametrize("text", ["[1,]", '"a\x01"', "[1", "{'a': 1}", "\ufeff[1]"])
def test_errors_are_json_s(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(synjson.FormatError) as fast:
        parse(text)
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson fails
    with pytest.raises(synjson.FormatError) as plain:
        parse(text)
    assert str(fast.value) == str(plain.value)


def test_a_network_file_reads_the_same_with_and_without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    data = synjson.dumps(synjson.architect.Perceptron(6, 5, 3, seed=9)).encode()
    fast = parse(data)
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson fails
    assert _same(fast, parse(data))
    assert json.dumps(fast) == json.dumps(parse(data))


def test_a_byte_order_mark_is_read_as_before() -> None:
    assert parse(b"\xef\xbb\xbf[1]") == [1]
