"""A network as a picture: the SVG diagram the exported page draws, and the HTML a notebook shows.

``diagram_svg`` follows the page's ``buildDiagram`` (web/templates/app.js): layers as columns
(input, hidden layers by their LSTM roles, output), neurons as circles (at most 24 a layer, the
rest counted), connections as lines (at most 2 500), gated ones dashed, self-connections as
loops, with the colours written on the elements so that a notebook shows it without the page's
stylesheet. ``network_html`` puts the summary ``synjson info`` prints above it: it is what
``Network._repr_html_`` returns. Both are pure functions of the network, which is why they live
in the model layer (docs/architecture.md, "Pictures of a model").
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .roles import layer_names
from .summary import format_summary, summary

if TYPE_CHECKING:
    from .network import Network

__all__ = ["diagram_svg", "network_html"]

MAX_NEURONS_DRAWN = 24  # per layer; the rest is counted
MAX_LINKS_DRAWN = 2500
SPACING, COLUMN = 34, 150
INK, MUTED, ACCENT, GATE, PAPER = "#1b1f24", "#6a737d", "#0b6bcb", "#c2410c", "#fbfbfa"


def _n(value: float) -> str:
    """A coordinate as JavaScript prints it: no ``.0`` on whole numbers."""
    return str(int(value)) if value == int(value) else repr(value)


def _edges(net: Network) -> list[tuple[int, int, bool]]:
    """``(from, to, gated)`` by neuron index, in the JSON's connection order, as the page reads them."""
    listed = net.neurons()
    index = {neuron.id: position for position, (neuron, _) in enumerate(listed)}
    found = []
    for here, (neuron, _) in enumerate(listed):
        outgoing = [c for c in neuron.projected if c.to_neuron.id in index]
        if neuron.selfconnected():
            outgoing.append(neuron.selfconnection)
        for connection in outgoing:
            gated = connection.gater is not None and connection.gater.id in index
            found.append((here, index[connection.to_neuron.id], gated))
    return found


def diagram_svg(net: Network) -> tuple[str, int]:
    """The diagram as SVG text, and how many connections it leaves out (past the drawing limits)."""
    names = layer_names(net)
    columns: list[tuple[str, list[int]]] = []
    start = 0
    for name, layer in zip(names, net.layers()):
        columns.append((name, list(range(start, start + layer.size))))
        start += layer.size
    tallest = max(1, *(min(len(m), MAX_NEURONS_DRAWN) + (len(m) > MAX_NEURONS_DRAWN) for _, m in columns))
    width, height = len(columns) * COLUMN, tallest * SPACING + 90
    where: dict[int, tuple[float, float, bool]] = {}
    labels = []
    for c, (name, members) in enumerate(columns):
        x = c * COLUMN + COLUMN / 2
        shown = min(len(members), MAX_NEURONS_DRAWN)
        top = (height + 10 - shown * SPACING) / 2 + SPACING / 2
        for k in range(shown):
            where[members[k]] = (x, top + k * SPACING, c == 0)
        labels.append((x, height - 12, f"{name} ({len(members)})", "caption"))
        if len(members) > shown:
            labels.append((x, top + shown * SPACING, f"+{len(members) - shown} more", "more"))
    edges = _edges(net)
    links, drawn = [], 0
    for source, target, gated in edges:
        if source not in where or target not in where or drawn >= MAX_LINKS_DRAWN:
            continue
        drawn += 1
        (ax, ay, _), (bx, by, _) = where[source], where[target]
        colour = f'stroke="{GATE}" stroke-opacity="0.9" stroke-dasharray="4 3"' if gated else ""
        if source == target:
            kind = "self gated" if gated else "self"
            style = colour or f'stroke="{ACCENT}"'
            d = f"M {_n(ax + 8)} {_n(ay - 6)} a 9 9 0 1 1 0 12"
        else:
            kind = "link gated" if gated else "link"
            style = colour or f'stroke="{MUTED}" stroke-opacity="0.45"'
            span = round(abs(bx - ax) / COLUMN)
            d = f"M {_n(ax)} {_n(ay)} L {_n(bx)} {_n(by)}"
            if span == 0:
                d = f"M {_n(ax)} {_n(ay)} C {_n(ax + 40)} {_n(ay)} {_n(bx + 40)} {_n(by)} {_n(bx)} {_n(by)}"
            elif span > 1:
                d = f"M {_n(ax)} {_n(ay)} Q {_n((ax + bx) / 2)} {_n(min(ay, by) - 18 * span)} {_n(bx)} {_n(by)}"
        links.append(f'<path class="{kind}" d="{d}" fill="none" {style}/>')
    circles = [
        f'<circle class="neuron{" input" if is_input else ""}" cx="{_n(x)}" cy="{_n(y)}" r="7" '
        f'fill="{ACCENT if is_input else PAPER}" fill-opacity="{0.25 if is_input else 1}" stroke="{INK}" '
        'stroke-width="1.2"/>'
        for x, y, is_input in where.values()
    ]
    texts = [
        f'<text class="{kind}" x="{_n(x)}" y="{_n(y)}" text-anchor="middle" fill="currentColor">{escape(text)}</text>'
        for x, y, text, kind in labels
    ]
    svg = "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="synjson-diagram" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Network diagram" '
        'style="font: 11px system-ui, sans-serif">',
        "<g>", *links, "</g>", *texts, *circles, "</svg>",
    ])
    return svg, len(edges) - drawn


def network_html(net: Network) -> str:
    """What a notebook shows for ``net``: its name, the summary ``synjson info`` prints, the diagram."""
    svg, left_out = diagram_svg(net)
    info = summary(net)
    note = f"<p>{left_out} of {info['connections']} connections not drawn.</p>\n" if left_out else ""
    legend = (
        f'<p style="font-size: 0.85em">lines: connections; <span style="color: {GATE}">dashed</span>: '
        f'gated connections; <span style="color: {ACCENT}">loops</span>: self-connections</p>\n'
    )
    return (
        f'<div class="synjson-network">\n<strong>{escape(repr(net))}</strong>\n'
        f"<pre>{escape(format_summary(info))}</pre>\n"
        f'{legend}<div style="overflow-x: auto">\n{svg}\n</div>\n{note}</div>'
    )
