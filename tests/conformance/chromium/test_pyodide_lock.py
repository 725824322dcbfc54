"""A --bundle-pyodide folder in Chromium (issue 16, item 7): synjson's wheel is registered in the
bundle's pyodide-lock.json by the Pyodide toolchain, so the page installs synjson with
``pyodide.loadPackage("synjson")``, and so can a page's own script, offline: every request goes
to the local server (anything else is refused by the fixture and would show in the list).

Tolerance: 1e-12 (relative, or absolute below 1) against the Python reference, as test_pages.py.
"""

from __future__ import annotations

import pytest

import synjson
from synjson.exporters.pages import export

from .conftest import Site, Watched, build, python_outputs, sequence
from .test_pages import assert_close, run_steps

pytestmark = [pytest.mark.chromium]

WHEEL = f"synjson-{synjson.__version__}-py3-none-any.whl"

# A page's own script: a second Pyodide from the bundle, synjson by name, the model from the page.
OWN_SCRIPT = """async (xs) => {
  const base = new URL("pyodide/", location.href).href;
  const { loadPyodide } = await import(base + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: base });
  await pyodide.loadPackage("synjson");
  pyodide.globals.set("text", document.getElementById("synjson-model").textContent);
  pyodide.globals.set("xs", pyodide.toPy(xs));
  const out = pyodide.runPython(`
import json, synjson
net = synjson.loads(text)
json.dumps([synjson.__version__, [net.activate(list(x)) for x in xs]])
`);
  return [JSON.parse(out), pyodide.loadedPackages.synjson];
}"""


def local_only(watched: Watched, site: Site) -> list[str]:
    assert all(url.startswith(site.origin + "/") for url in watched.requests), watched.requests
    return [url.removeprefix(site.origin + "/") for url in watched.requests]


def test_the_bundled_page_installs_synjson_from_the_lock_file(site: Site, bundled_page: Watched) -> None:
    watched, page = bundled_page, bundled_page.page
    assert page.text_content("#status").startswith("Python (Pyodide 314.0.7) ready.")
    assert "synjson-wheel" not in page.content().split('<script type="module">')[0]  # no embedded wheel
    xs = sequence(6, 2, seed=7)
    assert_close(run_steps(page, xs), python_outputs(build("lstm"), xs))
    assert page.evaluate("() => window.synjson.pyodide.loadedPackages.synjson") == "default channel"
    requested = local_only(watched, site)
    assert f"locked/pyodide/{WHEEL}" in requested and "locked/pyodide/pyodide-lock.json" in requested
    assert watched.errors == []


def test_a_pages_own_script_loads_synjson_by_name(site: Site, bundled_page: Watched) -> None:
    watched, page = bundled_page, bundled_page.page
    installs = local_only(watched, site).count(f"locked/pyodide/{WHEEL}")
    xs = sequence(5, 2, seed=8)
    (version, outputs), channel = page.evaluate(OWN_SCRIPT, xs)
    assert version == synjson.__version__ and channel == "default channel"
    assert_close(outputs, python_outputs(build("lstm"), xs))
    assert installs == 1  # the page's Pyodide
    assert local_only(watched, site).count(f"locked/pyodide/{WHEEL}") == 2  # then the script's
    assert watched.errors == []


def test_a_wheel_that_does_not_match_the_lock_is_refused(watched: Watched, site: Site) -> None:
    # The lock file's sha256 is checked: the toolchain's entry is what makes the install work.
    folder = site.root / "tampered"
    export(build("perceptron"), folder / "p.html", "pyodide", bundle_pyodide=True)
    wheel = folder / "pyodide" / WHEEL
    wheel.write_bytes(wheel.read_bytes() + b"\0")
    watched.page.goto(site.url("tampered/p.html"))
    watched.page.wait_for_function("() => document.getElementById('status').className === 'error'")
    status = watched.page.text_content("#status")
    assert status.startswith(f"Could not start Python: synjson did not install from {site.origin}/tampered/pyodide/")
    assert any("SRI's integrity checks failed" in line and WHEEL in line for line in watched.console)
    local_only(watched, site)
