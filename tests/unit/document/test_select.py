"""synjson.document.select: finding the network inside a wrapper document, and load/loads/read(select=...)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import synjson
from synjson import FormatError
from synjson.document.select import find_networks, is_network, pick, select

WRAPPERS = Path(__file__).resolve().parents[2] / "data" / "wrappers"
TINY = json.loads((WRAPPERS / "tiny.json").read_text())
OUTPUT = 0.9933071490757153  # logistic(7 * 1 - 2), the tiny net's answer to input 1


def test_select_paths() -> None:
    doc = {"models": [{"net": 1}, {"net": 2}, {"name": "c", "net": TINY}], "a.b": {"c": 3}}
    assert select(doc, "models.2.net") is TINY
    assert select(doc, ("models", 2, "net")) is TINY
    assert select(doc, "models.0") == {"net": 1}
    assert select(doc, "") is doc
    assert select(doc, "$") is doc
    assert select(doc, "a.b.c") == 3  # a key holding a dot
    assert select([10, 20], 1) == 20
    assert select({"0": "key, not index"}, "0") == "key, not index"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            "models.5.net",
            (
                "select path `models.5.net` does not exist: the longest prefix that exists is `models`;"
                " `models` (an array of 3 items) has no item 5"
            ),
        ),
        (
            "models.1.nett",
            (
                "select path `models.1.nett` does not exist: the longest prefix that exists is `models.1`;"
                " `models.1` (an object with keys 'name', 'meta', 'net') has no key 'nett'"
            ),
        ),
        (
            "models.0.name.x",
            (
                "select path `models.0.name.x` does not exist: the longest prefix that exists is `models.0.name`;"
                " `models.0.name` (the string 'first') cannot hold 'x'"
            ),
        ),
        (
            "network",
            (
                "select path `network` does not exist: no prefix of it exists;"
                " the document (an object with keys 'models') has no key 'network'"
            ),
        ),
        (
            "models.first",
            (
                "select path `models.first` does not exist: the longest prefix that exists is `models`;"
                " `models` (an array of 3 items) has no item first"
            ),
        ),
    ],
)
def test_missing_path_names_the_longest_prefix(path: str, message: str) -> None:
    with pytest.raises(FormatError) as raised:
        synjson.read(WRAPPERS / "models-list.json", select=path)
    assert str(raised.value) == message


def test_select_path_type() -> None:
    with pytest.raises(TypeError, match="a select path is a string"):
        select({}, 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        select({}, True)


def test_find_networks() -> None:
    assert find_networks(TINY) == [""]
    assert find_networks(json.loads((WRAPPERS / "models-list.json").read_text())) == [
        "models.0.net",
        "models.1.net",
        "models.2.net",
    ]
    assert find_networks(json.loads((WRAPPERS / "array-of-two.json").read_text())) == ["0", "1"]
    assert find_networks({"a": {"neurons": [], "connections": {}}}) == []  # not network-shaped
    assert find_networks([TINY] * 5, limit=2) == ["0", "1"]


def test_find_networks_does_not_recurse() -> None:
    deep: object = TINY
    for _ in range(5000):
        deep = {"inner": deep}
    assert find_networks(deep) == [".".join(["inner"] * 5000)]


def test_is_network() -> None:
    assert is_network(TINY)
    assert not is_network({"neurons": []})
    assert not is_network([TINY])


def test_no_select_finds_one_network() -> None:
    with pytest.raises(FormatError) as raised:
        synjson.read(WRAPPERS / "wrapped-network.json")
    assert str(raised.value) == "not a network itself: found a network at `network`; pass select='network'"
    assert synjson.read(WRAPPERS / "wrapped-network.json", select="network").activate([1]) == [OUTPUT]


def test_no_select_lists_several_networks() -> None:
    with pytest.raises(FormatError) as raised:
        synjson.read(WRAPPERS / "models-list.json")
    assert str(raised.value) == (
        "not a network itself: found 3 networks, at `models.0.net`, `models.1.net`, `models.2.net`;"
        " pass select='PATH' with one of them"
    )
    with pytest.raises(FormatError, match="found 2 networks, at `0`, `1`"):
        synjson.read(WRAPPERS / "array-of-two.json")


def test_select_in_load_loads_read() -> None:
    text = (WRAPPERS / "models-list.json").read_text()
    assert synjson.loads(text, select="models.2.net").activate([1]) == [OUTPUT]
    assert synjson.load(io.StringIO(text), select="models.1.net").activate([1]) == [OUTPUT]
    assert synjson.read(WRAPPERS / "array-of-two.json", select="1").activate([1]) == [OUTPUT]


def test_selected_value_is_validated() -> None:
    with pytest.raises(FormatError) as raised:
        synjson.read(WRAPPERS / "models-list.json", select="models.0")
    assert str(raised.value) == 'missing required key "connections"'


def test_no_network_anywhere_is_left_to_the_validator() -> None:
    with pytest.raises(FormatError) as raised:
        synjson.read(WRAPPERS / "no-network.json")
    assert str(raised.value) == 'missing required key "connections"'


def test_a_network_document_is_its_own_pick() -> None:
    assert pick(TINY) is TINY
    broken = {"neurons": "not a list", "meta": {"net": TINY}}
    assert pick(broken) is broken  # it tries to be a network: the validator says what is wrong


def test_cli_select(capsys: pytest.CaptureFixture[str]) -> None:
    from synjson.cli.main import main

    assert main(["activate", "--select", "models.2.net", str(WRAPPERS / "models-list.json"), "1"]) == 0
    assert capsys.readouterr().out == f"{OUTPUT!r}\n"
    assert main(["info", str(WRAPPERS / "wrapped-network.json")]) == 1
    assert capsys.readouterr().err == (
        f"synjson: error: {WRAPPERS / 'wrapped-network.json'}: not a network itself: found a network at"
        " `network`; pass --select network\n"
    )
    assert main(["info", str(WRAPPERS / "array-of-two.json")]) == 1
    assert capsys.readouterr().err.endswith(
        "found 2 networks, at `0`, `1`; pass --select PATH with one of them\n"
    )
