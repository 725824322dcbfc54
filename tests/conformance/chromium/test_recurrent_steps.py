"""Recurrent pages step on purpose (issue 23, item 2), in Debian's Chromium.

A recurrent page carries its state from step to step, so it runs a step only when asked: Enter
in a field, Step, Use / Next row / Run the rest. Never on load, on Clear context or per
keystroke, so that N steps on the page are N activations of ``Network.from_json(doc)`` in
Python (after ``clear()`` when Clear context was pressed). A feed-forward page keeps updating
as you type. html and Pyodide pages run the same UI.

Tolerance: 1e-12 (relative, or absolute below 1) against the Python reference, as test_pages.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from synjson import Network
from synjson.exporters.pages import export

from .conftest import Site, Watched, build, python_outputs, sequence
from .test_pages import assert_close, open_page

pytestmark = [pytest.mark.chromium]

TARGETS = ["html", "pyodide"]


def export_page(site: Site, net: Network, name: str, target: str, npm: str) -> str:
    file = f"steps-{name}-{target}.html"
    export(net, site.root / file, target, pyodide_url=npm if target == "pyodide" else None)
    return file


def steps(page: Any) -> str:
    return page.text_content("#steps")


def wait_steps(page: Any, text: str) -> None:
    page.wait_for_function("(want) => document.getElementById('steps').textContent === want", arg=text)


def shown(page: Any) -> list[float]:
    count = page.locator("#outputs output").count()
    return [float(page.get_attribute(f"#output-{i}", "data-value")) for i in range(count)]


@pytest.mark.parametrize("target", TARGETS)
def test_a_recurrent_page_steps_only_when_asked(watched: Watched, site: Site, target: str, local_pyodide: str) -> None:
    net = build("lstm")
    page = open_page(watched, site, export_page(site, net, "asked", target, local_pyodide))
    # On load: no step, no output (the page's copy is the model as loaded).
    assert steps(page) == "0 steps"
    assert page.get_attribute("#output-0", "data-value") is None
    assert page.text_content("#output-0") == "\u2013"
    assert not page.is_visible("#waiting")
    # Typing 0.0375 key by key: six keystrokes, no step; the page says how to run one.
    page.click("#input-0")
    page.keyboard.press("Control+A")
    page.keyboard.type("0.0375")
    assert page.input_value("#input-0") == "0.0375"
    assert page.is_visible("#waiting")
    page.wait_for_timeout(300)
    assert steps(page) == "0 steps"
    # Enter: one step.
    page.keyboard.press("Enter")
    wait_steps(page, "1 step")
    assert not page.is_visible("#waiting")
    fresh = Network.from_json(net.to_json())
    assert_close([shown(page)], [fresh.activate([0.0375, 0.0])])
    # A field that is not a number: a message, and Step runs nothing.
    page.fill("#input-1", "abc")
    assert page.text_content("#message-1") == "not a number"
    page.click("#step")
    page.wait_for_timeout(300)
    assert steps(page) == "1 step"
    # The Step button: one step with the fields as they are.
    page.fill("#input-1", "-0.5")
    page.click("#step")
    wait_steps(page, "2 steps")
    assert_close([shown(page)], [fresh.activate([0.0375, -0.5])])
    # Clear context: the state is forgotten, and no step runs (0 steps, no outputs).
    page.click("#clear")
    wait_steps(page, "0 steps")
    assert page.get_attribute("#output-0", "data-value") is None
    page.wait_for_timeout(300)
    assert steps(page) == "0 steps"
    page.click("#step")
    wait_steps(page, "1 step")
    fresh.clear()
    assert_close([shown(page)], [fresh.activate([0.0375, -0.5])])
    assert page.evaluate("window.synjson.steps") == 1
    assert watched.errors == []


@pytest.mark.parametrize("target", TARGETS)
def test_a_python_sequence_is_reproduced_by_pasting_it(
    watched: Watched, site: Site, target: str, local_pyodide: str
) -> None:
    # docs/export.md: paste the rows, Use (step 1), Run the rest (steps 2..n): the page then shows
    # what [net.activate(x) for x in rows][-1] gives in Python.
    net = build("gated")
    page = open_page(watched, site, export_page(site, net, "sequence", target, local_pyodide))
    rows = sequence(7, net.inputs(), seed=41)
    page.fill("#row", "\n".join(",".join(repr(v) for v in row) for row in rows))
    assert steps(page) == "0 steps"  # pasting is not a step
    page.click("#row-use")
    wait_steps(page, "1 step")
    expected = python_outputs(net, rows)
    assert_close([shown(page)], [expected[0]])
    page.click("#row-next")
    wait_steps(page, "2 steps")
    assert_close([shown(page)], [expected[1]])
    page.click("#row-rest")
    wait_steps(page, "7 steps")
    assert page.text_content("#row-position") == "row 7 of 7"
    assert page.is_disabled("#row-rest") and page.is_disabled("#row-next")
    assert_close([shown(page)], [expected[-1]])
    # The scripts' copy never moved: window.synjson.activate is Python's sequence from the start.
    got = page.evaluate(
        "async (xs) => { const out = []; for (const x of xs) out.push(await window.synjson.activate(x)); return out; }",
        rows,
    )
    assert_close(got, expected)
    assert watched.errors == []


@pytest.mark.parametrize("target", TARGETS)
def test_a_feed_forward_page_updates_as_you_type(watched: Watched, site: Site, target: str, local_pyodide: str) -> None:
    net = build("perceptron")
    page = open_page(watched, site, export_page(site, net, "typing", target, local_pyodide))
    assert steps(page) == "1 step"  # its first output, every field 0
    assert not page.is_visible("#step") and not page.is_visible("#row-rest")
    page.click("#input-0")
    page.keyboard.press("Control+A")
    page.keyboard.type("0.75")
    page.wait_for_function("() => document.getElementById('steps').textContent === '5 steps'")  # a step a key
    fresh = Network.from_json(net.to_json())
    assert_close([shown(page)], [fresh.activate([0.75, 0.0])])
    assert watched.errors == []
