"""Notebooks: Network._repr_html_ (summary + the page's diagram), TrainResult's short repr and its curve."""

from __future__ import annotations

import html
import re
import subprocess
import sys

from synjson import Layer, Network, Trainer, TrainResult, architect
from synjson.exporters import info, roles
from synjson.model import roles as model_roles
from synjson.model import summary as model_summary
from synjson.model.diagram import diagram_svg
from synjson.model.summary import format_summary, summary
from synjson.train.history import curve_svg, short_number

XOR = [([0, 0], [0]), ([0, 1], [1]), ([1, 0], [1]), ([1, 1], [0])]


def test_a_long_training_has_a_short_repr() -> None:
    history = tuple(1 / (k + 1) for k in range(100_000))
    result = TrainResult(error=0.004999871234567891, iterations=100_000, time=12.3456, history=history,
                         rates=(0.3,) * 100_000)
    text = repr(result)
    assert text == "TrainResult(error=0.004999871234567891, iterations=100000, time=12.3 s, history=100000 points)"
    assert len(text) < 200
    assert repr(TrainResult(error=-1.2345678901234567e-300, iterations=10**9, time=123456.789)) == (
        "TrainResult(error=-1.2345678901234568e-300, iterations=1000000000, time=1.23e+05 s, history=0 points)"
    )


def test_a_real_training_result_shows_in_one_line() -> None:
    result = Trainer(architect.Perceptron(2, 3, 1, seed=1)).train(XOR, rate=0.3, iterations=2000, error=0.001)
    assert re.fullmatch(
        r"TrainResult\(error=0\.000991521751039972, iterations=818, time=[0-9.e+-]+ s, history=818 points\)",
        repr(result),
    )


def test_the_curve_is_the_report_pages_svg() -> None:
    svg = curve_svg((1.0, 0.1, 0.01, 0.001), 4)
    assert svg is not None
    assert 'aria-label="Error curve over 4 iterations, from 1 to 0.001 (log scale)"' in svg
    assert 'points="70.00,16.00 254.67,84.00 439.33,152.00 624.00,220.00"' in svg
    assert '<path class="axis" d="M 70 16 V 220 H 624"' in svg
    texts = re.findall(r'<text x="([^"]+)" y="([^"]+)" text-anchor="(\w+)"[^>]*>([^<]*)</text>', svg)
    assert texts == [
        ("64", "20", "end", "1"),
        ("64", "224", "end", "0.001"),
        ("70", "252", "start", "1"),
        ("624", "252", "end", "4 iterations"),
        ("76", "20", "start", "error (log scale)"),
    ]
    linear = curve_svg((0.5, 0.4, 0.3), 3)
    assert linear is not None and "(log scale)" not in linear and ">error<" in linear
    assert curve_svg((0.5,), 1) is None and curve_svg((), 0) is None


def test_long_histories_draw_at_most_2000_points() -> None:
    result = TrainResult(error=0.1, iterations=100_000, time=1.0, history=tuple(1 / (k + 1) for k in range(100_000)))
    page = result._repr_html_()
    polyline = re.search(r'points="([^"]+)"', page)
    assert polyline is not None and len(polyline.group(1).split()) == 2000
    assert polyline.group(1).split()[-1] == "624.00,220.00"  # the last point is kept
    assert "<strong>TrainResult</strong>: final error 0.1, 100000 iterations, 1.000 s\n" in page
    assert len(page) < 60_000


def test_a_result_without_history_says_so() -> None:
    page = TrainResult(error=0.25, iterations=1, time=0.5, history=(0.25,))._repr_html_()
    assert page == (
        '<div class="synjson-training">\n<strong>TrainResult</strong>: final error 0.25, 1 iterations, 0.500 s, '
        "no error history kept\n</div>"
    )


def test_short_numbers_are_the_pages() -> None:
    cases = {0.0: "0", 0.000991521751039972: "0.0009915", 12.0: "12", 1234567.0: "1.235e+6", 1.234e-5: "1.234e-5",
             -0.31740906: "-0.3174", 999999.0: "1000000"}
    assert {value: short_number(value) for value in cases} == cases


def test_a_network_shows_its_summary_and_diagram() -> None:
    net = architect.Perceptron(2, 3, 1, seed=1)
    page = net._repr_html_()
    assert page.startswith('<div class="synjson-network">\n<strong>Perceptron(2-3-1)</strong>\n<pre>')
    assert f"<pre>{html.escape(format_summary(summary(net)))}</pre>" in page
    assert page.count("<circle ") == 6 and page.count('<path class="link"') == 9
    assert page.count('class="neuron input"') == 2
    captions = re.findall(r'class="caption"[^>]*>([^<]*)<', page)
    assert captions == ["input (2)", "hidden 0 (3)", "output (1)"]
    assert "not drawn" not in page


def test_lstm_roles_gates_and_self_connections_are_drawn() -> None:
    net = architect.LSTM(2, 3, 1, seed=1)
    svg, left_out = diagram_svg(net)
    info_ = summary(net)
    captions = re.findall(r'class="caption"[^>]*>([^<]*)<', svg)
    assert captions == ["input (2)", "input gate (3)", "forget gate (3)", "memory cell (3)", "output gate (3)", "output (1)"]
    assert svg.count('class="self gated"') == info_["self_connections"] == 3
    gated = svg.count('class="link gated"') + svg.count('class="self gated"')
    assert gated == info_["gated_connections"] == 12
    assert svg.count("<path ") == info_["connections"] and left_out == 0


def test_big_networks_are_drawn_within_the_pages_limits() -> None:
    net = architect.Perceptron(60, 30, 2, seed=1)
    svg, left_out = diagram_svg(net)
    assert svg.count("<circle ") == 24 + 24 + 2
    assert re.findall(r'class="more"[^>]*>([^<]*)<', svg) == ["+36 more", "+6 more"]
    drawn = svg.count("<path ")
    assert drawn == 24 * 24 + 24 * 2 and left_out == 60 * 30 + 30 * 2 - drawn
    assert f"<p>{left_out} of 1860 connections not drawn.</p>" in net._repr_html_()
    wide = architect.Perceptron(24, 24, 24, 24, seed=1)  # 1 728 connections between drawn neurons, all drawn
    assert diagram_svg(wide)[0].count("<path ") == 1728
    wider = architect.Perceptron(24, 24, 24, 24, 24, 24, seed=1)  # 2 880: the first 2 500 drawn
    svg, left_out = diagram_svg(wider)
    assert svg.count("<path ") == 2500 and left_out == 380


def test_model_text_is_escaped() -> None:
    net = Network(Layer(1), [], Layer(1))
    net.input_layer.project(net.output_layer)
    net.metadata["name"] = "<script>alert(1)</script>"
    page = net._repr_html_()
    assert "<script>" not in page and "name               &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_one_owner_for_the_summary_and_the_roles() -> None:
    """The exporters' paths (synjson info, dot, the page checks) reach the model's functions."""
    assert info.summary is model_summary.summary and info.format_summary is model_summary.format_summary
    assert roles.layer_names is model_roles.layer_names and roles.ROLES is model_roles.ROLES


def test_showing_a_network_or_a_result_imports_no_exporter() -> None:
    code = (
        "import sys\n"
        "from synjson.train.architect import LSTM\n"
        "from synjson.train.trainer import Trainer\n"
        "net = LSTM(2, 3, 1, seed=1)\n"
        "assert '<svg' in net._repr_html_()\n"
        "result = Trainer(net).train([([0, 1], [1])], iterations=3)\n"
        "assert '<svg' in result._repr_html_()\n"
        "print(sorted(name for name in sys.modules if name.startswith(('synjson.exporters', 'synjson.format'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "[]\n")
