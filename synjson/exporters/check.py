"""Run one model in every runtime synjson knows and compare the numbers: ``synjson check``.

The runtimes:

* ``reference``: synjson's pure-Python neurons (the specification);
* ``engine:python``, ``engine:native``: the generated-Python program and the C kernel (when it is built);
* ``runtime.js``: the web runtime that ``synjson export`` ships, in Node.js;
* ``synaptic``: Synaptic.js 1.1.4 itself in Node.js, when installed (``npm install synaptic@1.1.4``);
* ``chromium``: the web runtime in Chromium through Playwright, when both are installed.

Each runtime loads the same JSON document, activates it over the input rows
(state carried from row to row) and, with ``steps``, trains: ``steps`` times an
activation and a ``propagate(rate, target)`` on the rows in turn, with seeded
targets. :class:`CheckReport` holds the largest difference of every pair of
runtimes, in the outputs and in the final document (states, activations,
biases, weights). Pure Python and V8 round the last bit of ``exp`` differently
for a few arguments, so identical code differs by ~1e-16 per step; the default
tolerance is 1e-12 for activation and 1e-9 with training.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import native_available
from ..errors import SynjsonError
from ..model.codec import refuse_custom_squashes
from ..model.network import Network
from .bundle import runtime_source

__all__ = ["RUNTIMES", "CheckReport", "Pair", "Run", "check", "find_runtime", "find_synaptic"]

RUNTIMES = ("reference", "engine:python", "engine:native", "runtime.js", "synaptic", "chromium")
ACTIVATE_TOLERANCE = 1e-12
TRAIN_TOLERANCE = 1e-9
CHROMIUM = "/usr/bin/chromium"
INSTALL_SYNAPTIC = "npm install synaptic@1.1.4"

_ENCODE = """
function drive(net, request) {
  const outputs = [];
  for (const step of request.steps) {
    outputs.push(Array.from(net.activate(step.input)));
    if (step.target) net.propagate(step.rate, step.target);
  }
  return { outputs: outputs, final: net.toJSON() };
}
function encode(value) {
  return JSON.stringify(value, (key, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}
"""
_NODE_RUNTIME = (
    _ENCODE
    + """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const request = JSON.parse(readFileSync(0, "utf8"));
try {
  const runtime = await import(pathToFileURL(request.module).href);
  process.stdout.write(encode(drive(runtime.loadNetwork(request.network), request)));
} catch (error) {
  process.stderr.write(String(error && error.stack ? error.stack.split("\\n")[0] : error));
  process.exit(1);
}
"""
)
_NODE_SYNAPTIC = (
    _ENCODE
    + """
const request = JSON.parse(require("fs").readFileSync(0, "utf8"));
const load = require("module").createRequire(request.base);
const version = load("synaptic/package.json").version;
if (version !== "1.1.4") {
  process.stderr.write("found synaptic " + version + ", the check needs 1.1.4");
  process.exit(3);
}
try {
  process.stdout.write(encode(drive(load("synaptic").Network.fromJSON(request.network), request)));
} catch (error) {
  process.stderr.write(String(error && error.stack ? error.stack.split("\\n")[0] : error));
  process.exit(1);
}
"""
)
_BROWSER = f"""async ([source, request]) => {{
  {_ENCODE}
  const url = URL.createObjectURL(new Blob([source], {{ type: "text/javascript" }}));
  const runtime = await import(url);
  return encode(drive(runtime.loadNetwork(request.network), request));
}}"""
#: How this project starts Chromium: headless, as root, with nothing that phones home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Run:
    """What one runtime computed, or why it did not run (``skipped``) or failed (``error``)."""

    name: str
    outputs: list[list[float]] | None = None
    final: dict[str, Any] | None = None
    seconds: float = 0.0
    skipped: str | None = None
    error: str | None = None


@dataclass
class Pair:
    """The largest absolute difference between two runtimes (``inf`` where one has NaN and the other not)."""

    a: str
    b: str
    outputs: float
    final: float

    @property
    def largest(self) -> float:
        """The larger of the two differences."""
        return max(self.outputs, self.final)


@dataclass
class CheckReport:
    """Every runtime's run and every pair's largest difference; ``ok`` when all agree within ``tolerance``."""

    runs: list[Run]
    pairs: list[Pair]
    tolerance: float
    steps: int
    rows: int
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No runtime failed and every pair agrees within the tolerance (skipped runtimes do not count)."""
        return not any(run.error for run in self.runs) and all(
            pair.largest <= self.tolerance for pair in self.pairs
        )

    def table(self) -> str:
        """The report as text: the pairs, the tolerance, the verdict, and what was skipped or failed."""
        what = f"{self.steps} training steps" if self.steps else f"{self.rows} activations"
        ran = [run for run in self.runs if not run.skipped and not run.error]
        lines = [f"compared {len(ran)} runtime{'' if len(ran) == 1 else 's'} over {what}"]
        width = max([len(f"{p.a} / {p.b}") for p in self.pairs] + [4])
        if self.pairs:
            lines.append(f"{'pair':<{width}}  {'outputs':>9}  {'final':>9}")
            for pair in self.pairs:
                flag = "" if pair.largest <= self.tolerance else "  DIFFERENT"
                lines.append(
                    f"{pair.a + ' / ' + pair.b:<{width}}  {pair.outputs:>9.3g}  {pair.final:>9.3g}{flag}"
                )
        for run in self.runs:
            if run.error:
                lines.append(f"{run.name}: FAILED: {run.error}")
            elif run.skipped:
                lines.append(f"{run.name}: skipped: {run.skipped}")
        lines.extend(self.notes)
        verdict = "all agree" if self.ok else "runtimes disagree"
        lines.append(f"tolerance {self.tolerance:g}: {verdict}")
        return "\n".join(lines) + "\n"


# -- finding things --------------------------------------------------------------------


def _package_root() -> Path:
    return Path(__file__).resolve().parents[1]


def find_runtime(path: str | os.PathLike[str] | None = None) -> Path:
    """The web runtime to run: ``path``, else the copy in the package, else the repository's web/runtime.js."""
    if path is not None:
        found = Path(path)
        if not found.is_file():
            raise SynjsonError(f"{found}: no such runtime file")
        return found
    for candidate in (_package_root() / "data" / "runtime.js", _package_root().parent / "web" / "runtime.js"):
        if candidate.is_file():
            return candidate
    raise SynjsonError("runtime.js not found in the package (synjson/data) or beside it (web/)")


def find_synaptic(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The ``node_modules/synaptic`` directory Node resolves from ``start`` (default: here, then synjson's tree)."""
    starts = [Path(start)] if start is not None else [Path.cwd(), _package_root().parent]
    for base in starts:
        for directory in [base.resolve(), *base.resolve().parents]:
            if (directory / "node_modules" / "synaptic" / "package.json").is_file():
                return directory / "node_modules" / "synaptic"
    return None


def _node() -> str | None:
    node = os.environ.get("SYNJSON_NODE") or shutil.which("node")
    return node if node and Path(node).exists() else None


# -- the runs ------------------------------------------------------------------------------


def _plan_steps(
    net: Network, inputs: Sequence[Sequence[float]] | None, steps: int, rate: float, seed: int
) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows = (
        [list(map(float, row)) for row in inputs]
        if inputs is not None
        else [[rng.uniform(-1, 1) for _ in range(net.inputs())] for _ in range(16)]
    )
    for index, row in enumerate(rows):
        if len(row) != net.inputs():
            raise ValueError(f"inputs row {index} has {len(row)} values; the model takes {net.inputs()}")
    if not rows:
        raise ValueError("no input rows to run")
    if not steps:
        return [{"input": row} for row in rows]
    return [
        {"input": rows[i % len(rows)], "target": [rng.random() for _ in range(net.outputs())], "rate": rate}
        for i in range(steps)
    ]


def _python_run(name: str, document: dict[str, Any], plan: list[dict[str, Any]], engine: str | None) -> Run:
    from ..format.synaptic import from_json, to_json

    started = time.perf_counter()
    net = from_json(document)
    net.engine = "reference" if engine is None else engine
    outputs = []
    for step in plan:
        outputs.append(list(net.activate(step["input"])))
        if "target" in step:
            net.propagate(step["rate"], step["target"])
    return Run(name, outputs, to_json(net), time.perf_counter() - started)


def _decode(text: str) -> Any:
    def number(value: Any) -> Any:
        if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
            return float(value.replace("Infinity", "inf"))
        if isinstance(value, list):
            return [number(v) for v in value]
        if isinstance(value, dict):
            return {k: number(v) for k, v in value.items()}
        return value

    return number(json.loads(text))


def _node_run(name: str, script: str, request: dict[str, Any], module: bool, timeout: float) -> Run:
    node = _node()
    if node is None:
        return Run(name, skipped="Node.js not found (install Node.js 20, or set SYNJSON_NODE)")
    started = time.perf_counter()
    command = [node, *(["--input-type=module"] if module else []), "-e", script]
    try:
        done = subprocess.run(
            command, input=json.dumps(request), capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return Run(name, error=f"timed out after {timeout:g} s")
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["(no message)"])[0]
        return Run(name, error=f"node exited with status {done.returncode}: {message[:300]}")
    answer = _decode(done.stdout)
    return Run(name, answer["outputs"], answer["final"], time.perf_counter() - started)


def _chromium_run(source: str, request: dict[str, Any], chromium: str, timeout: float) -> Run:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return Run("chromium", skipped="Playwright not installed (pip install playwright)")

    def browse() -> str:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=CHROMIUM_ARGS, timeout=timeout * 1000
            )
            try:
                return str(browser.new_page().evaluate(_BROWSER, [source, request]))
            finally:
                browser.close()

    started = time.perf_counter()
    try:
        # A thread of its own: Playwright's sync API refuses to run where an asyncio loop runs.
        with ThreadPoolExecutor(1) as pool:
            text = pool.submit(browse).result()
    except Exception as error:
        return Run("chromium", error=str(error).strip().splitlines()[0][:300])
    answer = _decode(text)
    return Run("chromium", answer["outputs"], answer["final"], time.perf_counter() - started)


# -- comparing -----------------------------------------------------------------------------


def _difference(a: Any, b: Any) -> float:
    if isinstance(a, bool) or isinstance(b, bool):
        return 0.0 if a == b else math.inf
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if math.isnan(a) or math.isnan(b):
            return 0.0 if math.isnan(a) and math.isnan(b) else math.inf
        if a == b:
            return 0.0
        return abs(a - b) if math.isfinite(a) and math.isfinite(b) else math.inf
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return math.inf
        return max((_difference(x, y) for x, y in zip(a, b)), default=0.0)
    return math.inf


def _numbers(document: dict[str, Any] | None) -> list[list[float]]:
    """The numbers of a final document that every runtime writes: per neuron, then per connection."""
    if not isinstance(document, dict):
        return []
    neurons = [
        [n.get(k, 0) for k in ("state", "old", "activation", "bias")] for n in document.get("neurons", [])
    ]
    return neurons + [[c.get("weight", 0)] for c in document.get("connections", [])]


def check(
    net: Network | dict[str, Any],
    inputs: Sequence[Sequence[float]] | None = None,
    steps: int = 0,
    *,
    rate: float = 0.1,
    tolerance: float | None = None,
    runtime: str | os.PathLike[str] | None = None,
    synaptic: str | os.PathLike[str] | None = None,
    chromium: str | bool | None = None,
    runtimes: Sequence[str] | None = None,
    seed: int = 0,
    timeout: float = 120.0,
) -> CheckReport:
    """Run ``net`` in every available runtime and compare them (see the module docstring).

    ``inputs``: rows of inputs (default: 16 seeded rows in [-1, 1]). ``steps``: train that many
    steps (0: only activate). ``runtime``: the runtime.js to test (default: synjson's own).
    ``synaptic``: where to look for ``node_modules/synaptic``. ``chromium``: path of the browser,
    False to leave it out, None to use /usr/bin/chromium when present. ``runtimes``: a subset of
    :data:`RUNTIMES`. Training runs at ``rate``; targets are drawn from ``random.Random(seed)``.
    """
    from ..format.synaptic import to_json

    document = to_json(net) if isinstance(net, Network) else dict(net)
    refuse_custom_squashes(document, "`synjson check` (Synaptic.js and the web runtime)")
    block = document.get("synjson")
    if isinstance(block, dict) and "state" in block:  # every runtime starts from what Synaptic would load
        document["synjson"] = {key: value for key, value in block.items() if key != "state"}
    from ..format.synaptic import from_json

    model = from_json(document)
    plan = _plan_steps(model, inputs, steps, rate, seed)
    tolerance = tolerance if tolerance is not None else (TRAIN_TOLERANCE if steps else ACTIVATE_TOLERANCE)
    wanted = list(runtimes) if runtimes is not None else list(RUNTIMES)
    unknown = [name for name in wanted if name not in RUNTIMES]
    if unknown:
        raise ValueError(f"unknown runtime {unknown[0]!r}; choose from {', '.join(RUNTIMES)}")
    request = {"network": document, "steps": plan}
    runs: list[Run] = []
    notes: list[str] = []
    for name in wanted:
        runs.append(_run(name, document, plan, request, runtime, synaptic, chromium, timeout, notes))
    done = [run for run in runs if not run.skipped and not run.error]
    pairs = [
        Pair(
            a.name,
            b.name,
            _difference(a.outputs, b.outputs),
            _difference(_numbers(a.final), _numbers(b.final)),
        )
        for i, a in enumerate(done)
        for b in done[i + 1 :]
    ]
    return CheckReport(runs, pairs, tolerance, steps, len(plan), notes)


def _run(
    name: str,
    document: dict[str, Any],
    plan: list[dict[str, Any]],
    request: dict[str, Any],
    runtime: str | os.PathLike[str] | None,
    synaptic: str | os.PathLike[str] | None,
    chromium: str | bool | None,
    timeout: float,
    notes: list[str],
) -> Run:
    try:
        if name == "reference":
            return _python_run(name, document, plan, None)
        if name.startswith("engine:"):
            engine = name.removeprefix("engine:")
            if engine == "native" and not native_available():
                return Run(name, skipped="the C kernel is not built here (docs/engine.md)")
            return _python_run(name, document, plan, engine)
        if name == "runtime.js":
            source = find_runtime(runtime)
            if runtime is not None:
                notes.append(f"runtime.js: {source}")
            with tempfile.TemporaryDirectory(prefix="synjson-check-") as directory:
                module = Path(directory) / "runtime.mjs"  # .mjs: an ES module wherever it came from
                module.write_text(runtime_source(source), encoding="utf-8")  # with plan.js inlined
                return _node_run(name, _NODE_RUNTIME, {**request, "module": str(module)}, True, timeout)
        if name == "synaptic":
            found = find_synaptic(synaptic)
            if found is None:
                return Run(name, skipped=f"Synaptic.js is not installed; to include it: {INSTALL_SYNAPTIC}")
            base = str(found.parent.parent / "synjson-check.js")  # resolve from where node_modules is
            return _node_run(name, _NODE_SYNAPTIC, {**request, "base": base}, False, timeout)
        if name == "chromium":
            if chromium is False:
                return Run(name, skipped="not requested")
            path = CHROMIUM if chromium in (None, True) else str(chromium)
            if not Path(path).exists():
                return Run(name, skipped=f"no browser at {path} (apt-get install chromium)")
            return _chromium_run(runtime_source(find_runtime(runtime)), request, path, timeout)
    except (SynjsonError, ValueError, ArithmeticError, OSError) as error:
        return Run(name, error=f"{type(error).__name__}: {error}"[:300])
    raise AssertionError(name)  # pragma: no cover - check() validated the names
