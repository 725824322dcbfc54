"""Exported pages in a real browser (Debian's Chromium, driven by Playwright).

Tolerance: outputs equal the Python reference's within 1e-12 (relative, or absolute below 1).
The html page runs the JavaScript runtime, whose exp() is V8's and may differ from the C
library's in the last bit; the Pyodide page runs the Python reference itself.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path
from typing import Any

import pytest

from synjson import Network
from synjson.exporters.pages import export

from .conftest import NETS, KeptPages, Site, Watched, build, python_outputs, sequence

pytestmark = [pytest.mark.chromium]

TOLERANCE = 1e-12
STEPS = 12
HOSTILE = "</script><script>alert(1)</script>"


def assert_close(actual: list[list[float]], expected: list[list[float]]) -> None:
    assert len(actual) == len(expected)
    for t, (row, want) in enumerate(zip(actual, expected, strict=True)):
        assert len(row) == len(want)
        for got, value in zip(row, want, strict=True):
            assert abs(got - value) <= TOLERANCE * max(1.0, abs(value)), f"step {t}: {got!r} != {value!r}"


def open_page(watched: Watched, site: Site, name: str) -> Any:
    page = watched.page
    page.goto(site.url(name))
    page.evaluate("async () => { await window.synjson.ready; }")
    return page


def run_steps(page: Any, inputs: list[list[float]]) -> list[list[float]]:
    return page.evaluate(
        """async (xs) => {
            const out = [];
            for (const x of xs) out.push(await window.synjson.activate(x));
            return out;
        }""",
        inputs,
    )


# -- outputs equal the Python reference ----------------------------------------------------


@pytest.mark.parametrize("name", NETS)
def test_html_page_computes_what_python_computes(watched: Watched, site: Site, name: str) -> None:
    net = build(name)
    export(net, site.root / f"{name}.html")
    page = open_page(watched, site, f"{name}.html")
    inputs = sequence(STEPS, net.inputs(), seed=21)
    assert_close(run_steps(page, inputs), python_outputs(net, inputs))
    assert watched.errors == []
    assert watched.requests == [site.url(f"{name}.html")]  # zero requests beyond the page itself
    assert not [line for line in watched.console if "Content Security Policy" in line]


def test_lstm_state_is_carried_and_clear_forgets_traces(watched: Watched, site: Site) -> None:
    net = build("lstm")
    export(net, site.root / "lstm-clear.html")
    page = open_page(watched, site, "lstm-clear.html")
    inputs = sequence(20, 2, seed=23)
    first = run_steps(page, inputs[:10])
    page.evaluate("() => window.synjson.clear()")
    second = run_steps(page, inputs[10:])
    fresh = Network.from_json(net.to_json())
    expected = [fresh.activate(x) for x in inputs[:10]]
    fresh.clear()
    expected += [fresh.activate(x) for x in inputs[10:]]
    assert_close(first + second, expected)
    # State is carried: the same input gives different outputs at different steps.
    again = run_steps(page, [inputs[0], inputs[0]])
    assert again[0] != again[1]


# -- the page as a person uses it -----------------------------------------------------------


@pytest.mark.parametrize("target", ["html", "pyodide"])
def test_typing_into_a_field_updates_the_output(
    watched: Watched, site: Site, artifacts: Path, target: str, local_pyodide: str, kept_pages: KeptPages
) -> None:
    net = build("perceptron")
    name = f"typing-{target}.html"
    export(net, site.root / name, target, pyodide_url=local_pyodide if target == "pyodide" else None)
    page = open_page(watched, site, name)
    assert page.text_content("label[for=input-0] .name") == "x"
    assert page.text_content("#outputs li .name") == "x xor y"
    before = page.text_content("#output-0")
    page.fill("#input-0", "1")
    page.wait_for_function("(was) => document.getElementById('output-0').textContent !== was", arg=before)
    page.fill("#input-1", "0.25")
    page.wait_for_function("() => document.getElementById('steps').textContent === '3 steps'")
    fresh = Network.from_json(net.to_json())
    expected = [fresh.activate(x) for x in ([0.0, 0.0], [1.0, 0.0], [1.0, 0.25])][-1][0]
    shown = float(page.get_attribute("#output-0", "data-value"))
    assert abs(shown - expected) <= TOLERANCE
    assert page.get_attribute("#output-0", "title") == page.get_attribute("#output-0", "data-value")
    assert page.text_content("#output-0") == f"{float(f'{shown:.4g}'):g}"  # short; exact on hover
    page.screenshot(path=str(artifacts / f"page-{target}-perceptron.png"), full_page=True)
    if target == "pyodide":
        kept_pages.keep("perceptron", watched)  # for test_pyodide_page_computes_what_python_computes


@pytest.mark.parametrize("name", NETS)
def test_pyodide_page_computes_what_python_computes(
    site: Site, name: str, local_pyodide: str, kept_pages: KeptPages, request: pytest.FixtureRequest
) -> None:
    """From a fresh page, or from a page an earlier test left running (its script model reset to the model as
    loaded: test_page_usability.py shows reset() gives a fresh page's outputs): the same sequence either way."""
    net = build(name)
    watched = kept_pages.take(name)
    if watched is None:
        watched = request.getfixturevalue("watched")
        export(net, site.root / f"{name}-pyodide.html", "pyodide", pyodide_url=local_pyodide)
        open_page(watched, site, f"{name}-pyodide.html")
    page = watched.page
    inputs = sequence(STEPS, net.inputs(), seed=22)
    assert_close(run_steps(page, inputs), python_outputs(net, inputs))
    assert watched.errors == []
    assert all(url.startswith(site.origin) for url in watched.requests), watched.requests
    assert page.text_content("#status").startswith("Python (Pyodide 314.0.7) ready")
    assert not [line for line in watched.console if "Content Security Policy" in line]
    kept_pages.keep(name, watched)


def test_a_non_numeric_input_shows_a_message_instead_of_nan(watched: Watched, site: Site, artifacts: Path) -> None:
    export(build("perceptron"), site.root / "bad-input.html")
    page = open_page(watched, site, "bad-input.html")
    page.fill("#input-1", "abc")
    page.wait_for_function("() => document.getElementById('message-1').textContent !== ''")
    assert page.text_content("#message-1") == "not a number"
    assert page.get_attribute("#input-1", "aria-invalid") == "true"
    assert page.text_content("#output-0") == "\u2013"
    assert "NaN" not in page.text_content("#outputs")
    page.screenshot(path=str(artifacts / "page-html-bad-input.png"), full_page=True)
    page.fill("#input-1", "")
    page.wait_for_function("() => document.getElementById('message-1').textContent === 'enter a number'")
    page.fill("#input-1", "1e-1")
    page.wait_for_function("() => document.getElementById('message-1').textContent === ''")
    assert float(page.get_attribute("#output-0", "data-value")) == pytest.approx(0.5, abs=0.5)


def test_diagram_marks_gated_and_self_connections(watched: Watched, site: Site, artifacts: Path) -> None:
    net = build("gated")
    export(net, site.root / "diagram.html")
    page = open_page(watched, site, "diagram.html")
    doc = net.to_json()
    selfs = [c for c in doc["connections"] if c["from"] == c["to"]]
    gated = [c for c in doc["connections"] if c["gater"] is not None and c["from"] != c["to"]]
    assert page.locator("#diagram-box circle").count() == len(doc["neurons"])
    assert page.locator("#diagram-box path.self").count() == len(selfs) == 3
    gated_selfs = [c for c in selfs if c["gater"] is not None]
    assert page.locator("#diagram-box path.self.gated").count() == len(gated_selfs)
    assert page.locator("#diagram-box path.link.gated").count() == len(gated)
    assert page.locator("#diagram-box path.link").count() == len(doc["connections"]) - len(selfs)
    summary = page.text_content("#summary-table")
    assert "Neurons13" in summary.replace(" ", "")
    page.screenshot(path=str(artifacts / "page-html-gated-diagram.png"), full_page=True)
    export(build("lstm"), site.root / "diagram-lstm.html")
    page.goto(site.url("diagram-lstm.html"))
    page.screenshot(path=str(artifacts / "page-html-lstm-diagram.png"), full_page=True)


# -- requests -------------------------------------------------------------------------------


def test_module_target_makes_no_request_beyond_itself(watched: Watched, site: Site) -> None:
    net = build("lstm")
    export(net, site.root / "lstm-module.js", "module")
    (site.root / "module-harness.html").write_text(
        "<!DOCTYPE html><title>harness</title><script type=module>"
        "import { activate, network } from './lstm-module.js';"
        "window.result = [activate([0, 0]), activate([0.5, -0.5])];"
        "window.sizes = [network.inputs, network.outputs];"
        "</script>"
    )
    page = watched.page
    page.goto(site.url("module-harness.html"))
    page.wait_for_function("() => window.result !== undefined")
    fresh = Network.from_json(net.to_json())
    assert_close(page.evaluate("window.result"), [fresh.activate([0.0, 0.0]), fresh.activate([0.5, -0.5])])
    assert page.evaluate("window.sizes") == [2, 1]
    assert watched.requests == [site.url("module-harness.html"), site.url("lstm-module.js")]
    assert watched.errors == []


# -- safety ---------------------------------------------------------------------------------


def test_hostile_names_stay_text(watched: Watched, site: Site) -> None:
    net = build("perceptron")
    net.metadata = {
        "inputs": [HOSTILE, "a\u2028b\u2029c"],
        "outputs": ["<img src=x onerror=alert(2)>"],
        "name": HOSTILE,
    }
    export(net, site.root / "hostile.html")
    page = open_page(watched, site, "hostile.html")
    assert page.text_content("label[for=input-0] .name") == HOSTILE
    assert page.text_content("label[for=input-1] .name") == "a\u2028b\u2029c"
    assert page.text_content("#outputs li .name") == "<img src=x onerror=alert(2)>"
    assert page.title() == HOSTILE
    assert page.locator("script").count() == 3  # model, config, the page's one module script
    assert page.locator("img").count() == 0
    page.wait_for_timeout(200)
    assert watched.dialogs == []
    assert watched.errors == []


def bits(value: float) -> str:
    return struct.pack(">d", value).hex()


def test_numbers_round_trip_bit_exactly(watched: Watched, site: Site) -> None:
    net = build("gated")
    specials = [0.1 + 0.2, 5e-324, -1.7976931348623157e308, 1e21, 1e-7, 2.2250738585072014e-308]
    specials += [1 / 3, -123456.789e-20]
    weights = [c for neuron, _ in net.neurons() for c in neuron.projected]
    for connection, value in zip(weights, specials, strict=False):
        connection.weight = value
    for (neuron, _), value in zip(net.neurons()[2:], reversed(specials), strict=False):
        neuron.bias = value
    export(net, site.root / "bits.html")
    page = open_page(watched, site, "bits.html")
    page.evaluate("() => window.synjson.activate([0.5, -0.5])")  # compiles the scripts' copy (Q-INPUT)
    shown = page.evaluate(
        """() => {
        const hex = (x) => { const v = new DataView(new ArrayBuffer(8)); v.setFloat64(0, x);
          return Array.from(new Uint8Array(v.buffer), (b) => b.toString(16).padStart(2, "0")).join(""); };
        const doc = window.synjson.network.toJSON();
        return {
          weights: doc.connections.map((c) => hex(c.weight)),
          biases: doc.neurons.map((n) => hex(n.bias)),
        };
        }"""
    )
    doc = net.to_json()
    assert shown["weights"] == [bits(c["weight"]) for c in doc["connections"]]
    # Input neurons' biases read 0 once the page has run (Q-INPUT); every other bias is exact.
    expected_biases = [bits(0.0) if n["layer"] == "input" else bits(n["bias"]) for n in doc["neurons"]]
    assert shown["biases"] == expected_biases
    assert bits(5e-324) in shown["weights"] and bits(-1.7976931348623157e308) in shown["weights"]
    assert all(math.isfinite(c["weight"]) for c in doc["connections"])
