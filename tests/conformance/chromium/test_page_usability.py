"""Exported pages as a new user meets them (issue 16), in Debian's Chromium: Clear context keeps
working, scripts see the model's own state, recurrent controls only where they mean something,
counts and LSTM roles as `synjson info` gives them, a 784-256-10 page a person can use at phone
and desktop widths, and a visible error when Pyodide cannot be fetched.

Tolerance: 1e-12 (relative, or absolute below 1) against the Python reference, as test_pages.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synjson import Network
from synjson.exporters.info import summary
from synjson.exporters.pages import export
from synjson.train.architect import LSTM, Perceptron

from .conftest import KeptPages, Site, Watched, build, python_outputs, sequence
from .test_pages import assert_close, open_page, run_steps

pytestmark = [pytest.mark.chromium]

TARGETS = ["html", "pyodide"]


def export_page(site: Site, net: Network, name: str, target: str, bundle: str) -> str:
    file = f"{name}-{target}.html"
    export(net, site.root / file, target, pyodide_url=bundle if target == "pyodide" else None)
    return file


def value(page: Any, index: int) -> float:
    return float(page.get_attribute(f"#output-{index}", "data-value"))


def wait_steps(page: Any, text: str) -> None:
    page.wait_for_function("(want) => document.getElementById('steps').textContent === want", arg=text)


# -- Clear context ---------------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
def test_clear_context_keeps_the_page_alive(
    watched: Watched, site: Site, target: str, local_pyodide: str, kept_pages: KeptPages
) -> None:
    net = build("lstm")
    page = open_page(watched, site, export_page(site, net, "clear-alive", target, local_pyodide))
    wait_steps(page, "0 steps")  # a recurrent page steps when asked (issue 23): not on load
    page.fill("#input-0", "1")
    page.click("#step")
    wait_steps(page, "1 step")
    page.click("#clear")
    wait_steps(page, "0 steps")  # cleared; no step until asked
    page.fill("#input-1", "0.5")
    page.press("#input-1", "Enter")
    wait_steps(page, "1 step")  # issue 16's page froze here: no step ever ran again
    page.fill("#input-1", "-0.25")
    page.click("#step")
    wait_steps(page, "2 steps")
    fresh = Network.from_json(net.to_json())
    fresh.activate([1.0, 0.0])
    fresh.clear()
    expected = [fresh.activate(x) for x in ([1.0, 0.5], [1.0, -0.25])][-1]
    assert_close([[value(page, 0)]], [expected])
    assert watched.errors == []
    if target == "pyodide":
        kept_pages.keep("lstm", watched)  # for test_pages.py's script-only test


# -- scripts see the model's own state -------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", ["lstm", "gated"])
def test_script_api_is_python_over_a_sequence_whatever_the_page_shows(
    watched: Watched, site: Site, name: str, target: str, local_pyodide: str, kept_pages: KeptPages
) -> None:
    net = build(name)
    page = open_page(watched, site, export_page(site, net, f"state-{name}", target, local_pyodide))
    page.fill("#input-0", "0.7")  # the page's own steps: they must not move the scripts' state
    page.click("#step")
    wait_steps(page, "1 step")
    inputs = sequence(16, net.inputs(), seed=31)
    first = run_steps(page, inputs[:8])
    page.fill("#input-1", "-0.3")
    page.click("#step")
    wait_steps(page, "2 steps")
    first += run_steps(page, inputs[8:])
    assert_close(first, python_outputs(net, inputs))
    # reset(): the state as loaded, so the same sequence gives the same outputs again
    page.evaluate("async () => { await window.synjson.reset(); }")
    assert_close(run_steps(page, inputs), python_outputs(net, inputs))
    # clear(): Synaptic's clear() on the scripts' model
    page.evaluate("async () => { await window.synjson.reset(); }")
    before = run_steps(page, inputs[:5])
    page.evaluate("async () => { await window.synjson.clear(); }")
    after = run_steps(page, inputs[5:])
    fresh = Network.from_json(net.to_json())
    expected = [fresh.activate(x) for x in inputs[:5]]
    fresh.clear()
    expected += [fresh.activate(x) for x in inputs[5:]]
    assert_close(before + after, expected)
    assert watched.errors == []
    if target == "pyodide":
        kept_pages.keep(name, watched)  # for test_pages.py's script-only test


# -- what the page says about the model ------------------------------------------------------


def summary_rows(page: Any) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('#summary-table tr'),
            (row) => [row.querySelector('th').textContent, row.querySelector('td').textContent]))"""
    )


@pytest.mark.parametrize("name", ["perceptron", "lstm", "gated"])
def test_counts_agree_with_info_and_recurrent_controls_only_where_recurrent(
    watched: Watched, site: Site, name: str
) -> None:
    net = build(name)
    info = summary(net)
    page = open_page(watched, site, export_page(site, net, f"counts-{name}", "html", ""))
    rows = summary_rows(page)
    gated = info["gated_connections"] or "none"
    assert rows["Connections"] == f"{info['connections']} ({gated} gated)"
    assert rows["Self-connections"] == str(info["self_connections"])
    assert rows["Parameters"] == f"{info['parameters']} ({info['weights']} weights, {info['biases']} biases)"
    assert rows["Neurons"] == str(info["neurons"])
    assert rows["Recurrent"].startswith("yes" if info["recurrent"] else "no")
    assert page.is_visible("#clear") is info["recurrent"]
    assert page.is_visible("#steps") is info["recurrent"]
    assert ("carries its state" in page.inner_text("#run")) is info["recurrent"]
    assert info["recurrent"] is (name != "perceptron")


def test_lstm_layers_are_named_by_role(watched: Watched, site: Site, artifacts: Path) -> None:
    net = LSTM(2, 3, 2, 1, seed=4)
    page = open_page(watched, site, export_page(site, net, "roles", "html", ""))
    captions = page.locator("#diagram-box text.caption").all_text_contents()
    names = [layer["name"] for layer in summary(net)["layers"]]
    assert captions == [f"{layer['name']} ({layer['size']})" for layer in summary(net)["layers"]]
    assert names[1:5] == ["input gate 1", "forget gate 1", "memory cell 1", "output gate 1"]
    assert summary_rows(page)["Hidden layers"] == (
        "8 (input gate 1 3, forget gate 1 3, memory cell 1 3, output gate 1 3, "
        "input gate 2 2, forget gate 2 2, memory cell 2 2, output gate 2 2)"
    )
    page.screenshot(path=str(artifacts / "page-html-lstm-roles.png"), full_page=True)


def test_title_is_the_models_name(watched: Watched, site: Site) -> None:
    net = Perceptron(2, 2, 1, seed=1)
    net.metadata = {"name": "Tiny XOR"}
    page = open_page(watched, site, export_page(site, net, "titled", "html", ""))
    assert page.title() == "Tiny XOR" and page.text_content("h1") == "Tiny XOR"


# -- a 784-256-10 page -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits(site: Site) -> Network:
    net = Perceptron(784, 256, 10, seed=7)
    net.metadata = {"name": "digits 784-256-10", "outputs": [f"digit {d}" for d in range(10)]}
    export(net, site.root / "digits.html")
    return net


@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_784_inputs_page_is_usable(
    watched: Watched, site: Site, artifacts: Path, digits: Network, width: int, height: int
) -> None:
    page = watched.page
    page.set_viewport_size({"width": width, "height": height})
    open_page(watched, site, "digits.html")
    # Readable size: the 784 fields are folded away (today: one 28 657 px column), nothing is wider
    # than the screen but the diagram, which scrolls in its own box.
    assert not page.is_visible("#input-0")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.documentElement.scrollHeight") < 3000
    assert page.evaluate("getComputedStyle(document.getElementById('diagram-box')).overflowX") == "auto"
    # Paste a row (comma separated; space and tab too), then step to the next one.
    row = [((k * 37) % 101) / 100 for k in range(784)]
    second = [1.0 - v for v in row]
    page.fill("#row", ",".join(map(str, row)) + "\n" + "\t".join(map(str, second)))
    page.click("#row-use")
    wait_steps(page, "2 steps")
    fresh = Network.from_json(digits.to_json())
    expected = fresh.activate(row)
    assert_close([[value(page, i) for i in range(10)]], [expected])
    assert page.text_content("#row-position") == "row 1 of 2"
    texts = page.locator("#outputs output").all_text_contents()
    assert all(len(text) <= 8 for text in texts), texts  # short numbers; exact in title and data-value
    assert page.get_attribute("#output-3", "title") == repr(expected[3]).replace("e-0", "e-")
    largest = max(range(10), key=lambda i: expected[i])
    assert page.locator("#outputs li.largest").count() == 1
    assert page.text_content("#outputs li.largest .name") == f"digit {largest}"
    page.click("#row-next")
    wait_steps(page, "3 steps")
    assert_close([[value(page, i) for i in range(10)]], [fresh.activate(second)])
    assert page.input_value("#input-783") == str(second[783])
    # The 28x28 drawing grid: a stroke sets the inputs under it and runs one step.
    assert page.get_attribute("#grid", "aria-label").startswith("28 by 28 drawing grid")
    page.click("#grid-clear")
    wait_steps(page, "4 steps")
    box = page.locator("#grid").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.8, steps=12)
    page.mouse.up()
    wait_steps(page, "5 steps")
    drawn = [
        float(v)
        for v in page.evaluate("() => Array.from({length: 784}, (_, i) => document.getElementById(`input-${i}`).value)")
    ]
    stroke = [k for k, v in enumerate(drawn) if v == 1.0]
    assert stroke == [row * 28 + 14 for row in range(5, 23)], stroke  # one unbroken column
    assert sum(v == 0.5 for v in drawn) == 2 * 18 + 2 and drawn[0] == 0.0  # the brush's soft edge
    assert_close([[value(page, i) for i in range(10)]], [fresh.activate(drawn)])
    assert watched.errors == []
    assert watched.requests == [site.url("digits.html")]  # still no request beyond the page
    assert not [line for line in watched.console if "Content Security Policy" in line]
    page.screenshot(path=str(artifacts / f"page-html-784-{width}px.png"), full_page=True)


def test_a_bad_pasted_row_says_why(watched: Watched, site: Site) -> None:
    page = open_page(watched, site, export_page(site, build("perceptron"), "paste", "html", ""))
    page.fill("#row", "1, x")
    page.click("#row-use")
    assert page.text_content("#row-message") == 'line 1: not a number: "x"'
    page.fill("#row", "1")
    page.click("#row-use")
    assert page.text_content("#row-message") == "row 1 has 1 values, the network takes 2"
    page.fill("#row", '[{"input": [1, 0.5], "output": [1]}]')
    page.click("#row-use")
    page.wait_for_function("() => document.getElementById('input-1').value === '0.5'")
    assert page.text_content("#row-message") == ""


# -- Pyodide out of reach --------------------------------------------------------------------


def test_pyodide_that_cannot_be_fetched_is_an_error_with_a_hint(watched: Watched, site: Site, artifacts: Path) -> None:
    export(build("perceptron"), site.root / "no-pyodide.html", "pyodide", pyodide_url="nowhere/")
    page = watched.page
    page.goto(site.url("no-pyodide.html"))
    page.wait_for_function("() => document.getElementById('status').className === 'error'")
    status = page.text_content("#status")
    assert status.startswith("Could not start Python: ")
    colours = page.evaluate(
        """() => [getComputedStyle(document.getElementById('status')).color,
                  getComputedStyle(document.documentElement).getPropertyValue('--bad').trim(),
                  getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()]"""
    )
    bad = tuple(int(colours[1][i : i + 2], 16) for i in (1, 3, 5))
    assert colours[0] == f"rgb({bad[0]}, {bad[1]}, {bad[2]})" and colours[1] != colours[2]
    hint = page.text_content("#hint")
    assert page.is_visible("#hint")
    assert f"{site.origin}/nowhere/" in hint and "--bundle-pyodide" in hint and "http.server" in hint
    page.screenshot(path=str(artifacts / "page-pyodide-unreachable.png"), full_page=True)


# -- training you can see --------------------------------------------------------------------


def test_training_report_draws_the_curve_offline(
    watched: Watched, site: Site, artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synjson.cli.main import main
    from synjson.train.trainer import TrainResult

    history = tuple(0.3 * 0.97**k for k in range(200))

    def trained(net: Network, **options: Any) -> TrainResult:
        return TrainResult(error=history[-1], iterations=2000, time=1.25, history=history)

    monkeypatch.setattr("synjson.tasks.xor", trained)  # the curve as the lead's trainer will report it
    monkeypatch.chdir(site.root)
    assert main(["train", "xor", "--name", "XOR", "-o", "trained.json", "--report", "report.html"]) == 0
    page = open_page(watched, site, "report.html")
    assert page.title() == "Training report: XOR"
    assert page.is_visible("#training")
    assert page.text_content("#training-figures") == f"final error {history[-1]!r}, 2000 iterations, 1.250 s, cost MSE"
    points = page.get_attribute("#curve polyline", "points").split()
    assert len(points) == 200
    ys = [float(p.split(",")[1]) for p in points]
    assert ys == sorted(ys)  # the error falls: the curve goes down (SVG y grows downwards)
    assert page.get_attribute("#curve", "aria-label").endswith("(log scale)")
    assert watched.requests == [site.url("report.html")]
    assert watched.errors == []
    assert not [line for line in watched.console if "Content Security Policy" in line]
    page.screenshot(path=str(artifacts / "report-xor.png"), full_page=True)
    # An exported model without a training block shows no such section.
    export(build("perceptron"), site.root / "no-training.html")
    page = open_page(watched, site, "no-training.html")
    assert not page.is_visible("#training")
