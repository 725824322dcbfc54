"""Fixtures for the browser tests: a local HTTP server, Debian's Chromium driven by Playwright,
and the networks to export.

Requirements: /usr/bin/chromium (``apt-get install chromium``), Playwright for Python (in the
venv), and ``npm ci`` for node_modules/pyodide. Nothing is fetched from the network: every test
serves its pages from 127.0.0.1 and the Pyodide pages load Pyodide from a copy of the pinned
npm package. Missing requirements fail the tests with a message; they never skip.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from synjson import Layer, Network, squash
from synjson.exporters.check import CHROMIUM_ARGS
from synjson.exporters.pages import PYODIDE_FILES, find_pyodide
from synjson.model.layer import GateType
from synjson.train.architect import LSTM, Perceptron

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"


def gated_net(seed: int) -> Network:
    """A self-connected layer A whose self-connections are gated by a layer G activated *after*
    it; a TANH layer H that both projects (to A and G) and gates (A -> output)."""
    rng = random.Random(seed)
    inputs, h, a, g, out = (Layer(n, rng=rng) for n in (2, 3, 3, 3, 2))
    h.set(squash=squash.TANH)
    inputs.project(h)
    into_a = inputs.project(a)
    inputs.project(g)
    h.project(a)
    itself = a.project(a)
    a_to_out = a.project(out)
    h.project(g)
    h.gate(a_to_out, GateType.OUTPUT)
    g.gate(itself, GateType.ONE_TO_ONE)
    g.gate(into_a, GateType.INPUT)
    return Network(input=inputs, hidden=[h, a, g], output=out)


def build(name: str) -> Network:
    """The networks every browser test runs, with names in their metadata."""
    if name == "perceptron":
        net = Perceptron(2, 3, 1, seed=11)
        net.metadata = {"inputs": ["x", "y"], "outputs": ["x xor y"], "name": "XOR perceptron"}
    elif name == "lstm":
        net = LSTM(2, 4, 1, seed=12)
    elif name == "gated":
        net = gated_net(13)
    else:
        raise KeyError(name)
    return net


NETS = ("perceptron", "lstm", "gated")


def sequence(count: int, size: int, seed: int) -> list[list[float]]:
    rng = random.Random(seed)
    return [[rng.uniform(-1, 1) for _ in range(size)] for _ in range(count)]


def python_outputs(net: Network, inputs: list[list[float]]) -> list[list[float]]:
    """What ``window.synjson.activate`` gives over ``inputs``, computed by the Python reference:
    ``Network.from_json(doc).activate`` over the sequence, state carried. The page's own steps
    run on another copy and never count. On a recurrent page they are the same sequence too:
    it steps only when asked (test_recurrent_steps.py)."""
    fresh = Network.from_json(net.to_json())
    return [fresh.activate(x) for x in inputs]


class Site:
    """A folder served over HTTP on 127.0.0.1 (random port) while the tests run."""

    def __init__(self, root: Path) -> None:
        self.root = root

        class Handler(http.server.SimpleHTTPRequestHandler):
            extensions_map: ClassVar[dict[str, str]] = {
                **http.server.SimpleHTTPRequestHandler.extensions_map,
                ".mjs": "text/javascript",
                ".js": "text/javascript",
                ".wasm": "application/wasm",
            }

            def log_message(self, *args: Any) -> None:
                pass

        handler = functools.partial(Handler, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, name: str) -> str:
        return f"{self.origin}/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    served = Site(tmp_path_factory.mktemp("site"))
    yield served
    served.close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    """A Chromium for tests that make their own contexts (each context a fresh incognito profile)."""
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


class Watched:
    """A page plus what it did: requests made, page errors, dialogs, CSP violations."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.kept = False  # handed to KeptPages: left open for a later test
        self.page = context.new_page()
        self.forget()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))

        def dismiss(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", dismiss)
        self.viewport = self.page.viewport_size

    def forget(self) -> None:
        """Empty the records: for a new tab, and for the next test in a reused one."""
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.console: list[str] = []


# Every host but the test server's is unknown to the browser: a page that tried to reach the network
# fails loudly, and the attempt is still recorded by the request listener. (Not `route`: routing turns
# the HTTP cache off, and the cache is what makes the Pyodide pages' second start quick.)
LOCAL_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.fixture(scope="session")
def profile(playwright: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One Chromium profile on disk for the pages of a test run (one per xdist worker).

    Its HTTP cache keeps Pyodide's compiled WebAssembly between pages (Chromium caches the code of
    a streamed module only on a disk profile): a Pyodide page starts in about 4 s instead of 12 on
    this machine. The pages share nothing else: none uses storage or cookies.
    """
    context = playwright.chromium.launch_persistent_context(
        tmp_path_factory.mktemp("chromium-profile"), executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, LOCAL_ONLY]
    )
    yield context
    context.close()


@pytest.fixture(scope="session")
def idle_tabs(profile: Any) -> Iterator[list[Watched]]:
    """Tabs a test has finished with, on ``about:blank``: the next test loads its page in one of them.

    A page loaded in a tab that is already open takes half the CPU time of one in a new tab (no new renderer
    process: 0.3 CPU-seconds instead of 0.6 an HTML page here, 4.0 instead of 4.6-5 a Pyodide page), and the
    page itself is as fresh: a new document, the records emptied, the viewport as the tab opened.
    """
    tabs: list[Watched] = []
    yield tabs
    for tab in tabs:
        tab.page.close()


@pytest.fixture
def watched(profile: Any, idle_tabs: list[Watched]) -> Iterator[Watched]:
    if idle_tabs:
        tab = idle_tabs.pop()
        tab.page.bring_to_front()  # a tab behind a newer one is hidden: no animation frames, slow waits
    else:
        tab = Watched(profile)
    yield tab
    if tab.kept:  # KeptPages has it now
        return
    try:
        tab.page.goto("about:blank")
        if tab.page.viewport_size != tab.viewport:
            tab.page.set_viewport_size(tab.viewport)
    except Exception:  # a tab the test closed, or whose page crashed: not reused
        with contextlib.suppress(Exception):
            tab.page.close()
        return
    tab.forget()
    idle_tabs.append(tab)


class KeptPages:
    """Pyodide pages of the networks of :func:`build` that a test has finished with, kept open for a later
    test that only uses the page's script API (``window.synjson``, from ``reset()``: the model as loaded).

    A Pyodide start costs about 4 CPU-seconds; the browser modules run on one worker (tests/conftest.py), so
    a page a test leaves here serves the later modules too. A test that finds no page opens its own; only a
    page without errors is kept.
    """

    def __init__(self) -> None:
        self.pages: dict[str, Watched] = {}

    def keep(self, name: str, watched: Watched) -> None:
        if name not in self.pages and not watched.errors:
            watched.kept = True
            self.pages[name] = watched

    def take(self, name: str) -> Watched | None:
        """A kept page of ``build(name)``, its script model reset to the model as loaded; None if none is kept."""
        watched = self.pages.pop(name, None)
        if watched is not None:
            watched.kept = False
            watched.page.evaluate("async () => { await window.synjson.reset(); }")
        return watched

    def close(self) -> None:
        for watched in self.pages.values():
            watched.page.close()
        self.pages.clear()


@pytest.fixture(scope="session")
def kept_pages(profile: Any) -> Iterator[KeptPages]:
    kept = KeptPages()
    yield kept
    kept.close()


@pytest.fixture(scope="session")
def bundled_page(site: Site, profile: Any) -> Iterator[Watched]:
    """A --bundle-pyodide export of ``build("lstm")`` (site folder ``locked/``), opened once for the tests that
    only read it (test_pyodide_lock.py, test_pyodide_start.py): a bundle's Pyodide is compiled afresh, from
    its own URL."""
    from synjson.exporters.pages import export

    export(build("lstm"), site.root / "locked" / "lstm.html", "pyodide", bundle_pyodide=True)
    watched = Watched(profile)
    watched.page.goto(site.url("locked/lstm.html"))
    watched.page.evaluate("async () => { await window.synjson.ready; }")
    yield watched
    watched.page.close()


@pytest.fixture(scope="session")
def local_pyodide(site: Site) -> str:
    """The pinned npm package served beside the pages (links: no copy), as ``pyodide_url``.

    One folder for every page that is not about bundling, so the profile's cache holds one
    compiled Pyodide; the bundling tests export their own ``pyodide/`` folders.
    """
    folder = site.root / "npm-pyodide"
    folder.mkdir(exist_ok=True)
    for name in PYODIDE_FILES:
        if not (folder / name).exists():
            os.symlink(find_pyodide() / name, folder / name)
    return "npm-pyodide/"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
