"""``synjson check``'s options and description (the command runs :func:`synjson.exporters.check.check`).

Kept apart from the check itself so that building the parser imports nothing it does not need.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DESCRIPTION", "add_arguments"]

DESCRIPTION = """\
Run MODEL in synjson's reference, its compiled engines, the web runtime in Node.js,
Synaptic.js 1.1.4 in Node.js (npm install synaptic@1.1.4) and Chromium when present;
print the largest difference per pair. Exit 0 when all agree within the tolerance
(default 1e-12, with --steps 1e-9). Runtimes that are not installed are listed."""


def add_arguments(parser: Any) -> None:
    """The options of ``synjson check`` (an argparse parser)."""
    import argparse

    add = parser.add_argument
    add("model", metavar="MODEL", help="model file, any format synjson reads ('-' reads stdin)")
    add(
        "-i", "--inputs", metavar="FILE", help="input rows: CSV, JSON lines or JSON (default: 16 random rows)"
    )
    add(
        "--steps",
        type=int,
        default=0,
        metavar="N",
        help="train N steps (seeded targets) instead of activating",
    )
    add("--rate", type=float, default=0.1, metavar="R", help="learning rate for --steps (default 0.1)")
    add("--tolerance", type=float, metavar="T", help="largest difference allowed")
    add("--runtime", metavar="FILE", help="the runtime.js to test (default: synjson's own)")
    add("--synaptic", metavar="DIR", help="where node_modules/synaptic is (default: here, then upwards)")
    add(
        "--chromium",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run in /usr/bin/chromium",
    )
