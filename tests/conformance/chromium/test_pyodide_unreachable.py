"""A Pyodide page that cannot start Python (issue 23, item 8), in Debian's Chromium: one clear
status line and a hint that fits where the page is, and no uncaught error beside them
(``pageerror`` events: an unhandled rejection counts). ``window.synjson.ready`` still rejects
for a script that awaits it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synjson.exporters.pages import export

from .conftest import Site, Watched, build

pytestmark = [pytest.mark.chromium]


def wait_error(page: Any) -> None:
    page.wait_for_function("() => document.getElementById('status').className === 'error'")
    page.wait_for_timeout(500)  # an unhandled rejection is reported after the handlers ran


@pytest.mark.parametrize("name", ["perceptron", "lstm"])
def test_an_unreachable_cdn_is_one_error_line_and_no_uncaught_error(watched: Watched, site: Site, name: str) -> None:
    export(build(name), site.root / f"cdn-{name}.html", "pyodide")  # the CDN: refused by the fixture
    page = watched.page
    page.goto(site.url(f"cdn-{name}.html"))
    wait_error(page)
    assert page.text_content("#status").startswith("Could not start Python: ")
    hint = page.text_content("#hint")
    assert hint.startswith("This page loads Pyodide from https://cdn.jsdelivr.net/pyodide/v314.0.7/full/.")
    assert "--bundle-pyodide" in hint
    assert watched.errors == []
    assert page.evaluate(
        "() => window.synjson.ready.then(() => 'resolved', (e) => 'rejected: ' + e.message)"
    ).startswith("rejected: ")
    # A step asked for after the failure: still one line, no uncaught error.
    page.evaluate("async () => { await window.synjson.step(); }")
    assert page.text_content("#status").startswith("Could not start Python: ")
    assert watched.errors == []


def test_a_bundled_page_opened_from_a_file_says_to_serve_its_folder(browser: Any, tmp_path: Path) -> None:
    folder = tmp_path / "my site"
    page_file = export(build("perceptron"), folder / "xor.html", "pyodide", bundle_pyodide=True)
    context = browser.new_context()
    context.route(lambda url: url.startswith(("http:", "https:")), lambda route: route.abort())
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_file.as_uri())
        wait_error(page)
        hint = page.text_content("#hint")
        assert hint == (
            "This page was opened from a file, and browsers do not let a page opened from disk load "
            f"Pyodide's WebAssembly from {(folder / 'pyodide').as_uri()}/. Serve its folder over HTTP: "
            f"python -m http.server -d '{folder}/' 8000, then open http://127.0.0.1:8000/xor.html."
        )
        assert "--bundle-pyodide" not in hint  # it was exported with it: today's advice
        assert errors == []
    finally:
        context.close()


def test_a_bundled_page_without_its_folder_says_to_copy_it(watched: Watched, site: Site) -> None:
    folder = site.root / "moved"
    export(build("perceptron"), folder / "xor.html", "pyodide", bundle_pyodide=True)
    (site.root / "elsewhere").mkdir()
    (folder / "xor.html").rename(site.root / "elsewhere" / "xor.html")  # the page without its pyodide/ folder
    page = watched.page
    page.goto(site.url("elsewhere/xor.html"))
    wait_error(page)
    assert page.text_content("#hint") == (
        f"This page loads Pyodide and synjson from the folder exported beside it, {site.origin}/elsewhere/pyodide/: "
        "copy that folder with the page, or export the page again with --bundle-pyodide."
    )
    assert watched.errors == []
