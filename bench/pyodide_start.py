"""How long synjson's Pyodide page takes to its first output, against a bare Pyodide page (issue 23).
Not a test: it prints numbers.

    .venv/bin/python bench/pyodide_start.py               # 7 rounds, ~2 minutes on a quiet machine
    .venv/bin/python bench/pyodide_start.py --rounds 3 --json start.json

Three pages, served from 127.0.0.1 and opened in one run of Debian's Chromium, each round in a
fresh browser context (an empty cache), in a rotated order:

- ``bare``: loads Pyodide from ``pyodide/`` and runs one line of Python (``1 + 1``), writes it;
- ``page``: synjson's Pyodide page for XOR 2-3-1, loading Pyodide from the same ``pyodide/``,
  synjson's wheel embedded (``synjson export --target pyodide --pyodide-url pyodide/``);
- ``bundled``: the same page exported with ``--bundle-pyodide`` (its own ``pyodide/``, the same
  files, plus synjson's wheel registered in the lock file).

``pyodide/`` is the npm package (``node_modules/pyodide``, the version the pages pin): no CDN, no
network. The time is from navigation (``performance.timeOrigin``) to the first output in the
page (``#out`` or ``#output-0`` getting its ``data-value``), read by a MutationObserver set up
before the page's own scripts run. The page's performance marks (``synjson:pyodide-loaded``,
``synjson:installed``, ``synjson:python-ready``) give the profile of its start. Reported: the median of each
page, and each page's ratio to ``bare`` (medians; and the spread of the per-round ratios); and,
as the whole time swings with the machine's load, synjson's own share (from Pyodide loaded to
the first output, by the marks) added to the bare page's median, as a ratio too.
Needs /usr/bin/chromium, Playwright for Python, ``npm ci``.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synjson.exporters.check import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from synjson.exporters.pages import PYODIDE_FILES, export, find_pyodide  # noqa: E402
from synjson.train.architect import Perceptron  # noqa: E402

PAGES = ("bare", "page", "bundled")
FILES = {"bare": "bare.html", "page": "page.html", "bundled": "bundled/page.html"}

BARE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bare Pyodide</title></head>
<body><p id="status">Loading Pyodide</p><output id="out"></output>
<script type="module">
const base = new URL("pyodide/", location.href).href;
const { loadPyodide } = await import(base + "pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: base });
performance.mark("bare:pyodide-loaded");
const out = document.getElementById("out");
out.textContent = String(pyodide.runPython("1 + 1"));
out.dataset.value = out.textContent;
</script></body></html>
"""

# Before any script of the page: the time of the first output.
OBSERVER = """
const look = () => {
  const out = document.querySelector("#out[data-value], #output-0[data-value]");
  if (out && window.__first === undefined) window.__first = performance.now();
};
new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true,
  attributeFilter: ["data-value"] });
"""


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, *args: Any) -> None:
        pass


def make_site(folder: Path) -> None:
    """The three pages; ``pyodide/`` holds the npm package's files (links, the same bytes)."""
    source = find_pyodide()
    (folder / "pyodide").mkdir()
    for name in PYODIDE_FILES:
        os.symlink(source / name, folder / "pyodide" / name)
    (folder / FILES["bare"]).write_text(BARE, encoding="utf-8")
    net = Perceptron(2, 3, 1, seed=1)
    net.metadata = {"name": "XOR"}
    export(net, folder / FILES["page"], "pyodide", pyodide_url="pyodide/")
    export(net, folder / FILES["bundled"], "pyodide", bundle_pyodide=True)


def measure(rounds: int, timeout: float) -> dict[str, list[dict[str, Any]]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, list[dict[str, Any]]] = {name: [] for name in PAGES}
    with tempfile.TemporaryDirectory(prefix="synjson-pyodide-start-") as work:
        folder = Path(work)
        make_site(folder)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=work))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for round_ in range(rounds + 1):  # round 0 warms the OS file cache and Chromium up
                    order = PAGES[round_ % 3:] + PAGES[:round_ % 3]
                    for name in order:
                        context = browser.new_context()
                        context.route(lambda url: not url.startswith(origin), lambda route: route.abort())
                        context.add_init_script(OBSERVER)
                        page = context.new_page()
                        errors: list[str] = []
                        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
                        page.goto(f"{origin}/{FILES[name]}")
                        page.wait_for_function("() => window.__first !== undefined", timeout=timeout * 1000)
                        first = page.evaluate("window.__first")
                        marks = page.evaluate(
                            "Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]))"
                        )
                        context.close()
                        if errors:
                            raise RuntimeError(f"{name}: {errors}")
                        if round_:
                            results[name].append({"first_ms": first, "marks": marks})
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return results


MARKS = ("synjson:pyodide-loaded", "synjson:installed", "synjson:python-ready")


def report(results: dict[str, list[dict[str, Any]]]) -> str:
    bare = [r["first_ms"] for r in results["bare"]]
    lines = ["| page | time to first output, median (min-max) | ratio to bare, of medians (per round) | "
             "after Pyodide loaded: install, import + load model, first step (medians, ms) | "
             "(bare + that) / bare |",
             "|---|---|---|---|---|"]
    for name in PAGES:
        runs = results[name]
        times = [r["first_ms"] for r in runs]
        ratios = [t / b for t, b in zip(times, bare, strict=True)]
        median = statistics.median(times)
        profile = ""
        if name != "bare":
            ends = [[r["marks"][m] for m in MARKS] + [r["first_ms"]] for r in runs]
            parts = [statistics.median(e[k + 1] - e[k] for e in ends) for k in range(3)]
            loaded = statistics.median(e[0] for e in ends)
            profile = f"Pyodide loaded at {loaded:,.0f}; then {parts[0]:.0f} + {parts[1]:.0f} + {parts[2]:.0f}"
            own = statistics.median(e[3] - e[0] for e in ends)
            profile += f" | {(statistics.median(bare) + own) / statistics.median(bare):.3f}"
        else:
            profile = f"Pyodide loaded at {statistics.median(r['marks']['bare:pyodide-loaded'] for r in runs):,.0f} | "
        lines.append(f"| {name} | {median:,.0f} ({min(times):,.0f}-{max(times):,.0f}) ms | "
                     f"**{median / statistics.median(bare):.3f}** ({min(ratios):.2f}-{max(ratios):.2f}) | {profile} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="measured rounds (after one warm-up round)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds a page may take")
    parser.add_argument("--json", metavar="FILE", help="also write every measurement here")
    args = parser.parse_args(argv)
    results = measure(args.rounds, args.timeout)
    print(report(results))
    load = os.getloadavg()
    print(f"\n{args.rounds} rounds; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
