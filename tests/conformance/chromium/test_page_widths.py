"""Pages fit a 390 px wide phone (issue 23, item 7), in Debian's Chromium: the html page (a
feed-forward and a recurrent one), the Pyodide page, the training report (``synjson train
--report``) and the Pyodide page's error banner when Pyodide cannot be fetched (the CDN's long
URL in it). Nothing is wider than the viewport: ``document.documentElement.scrollWidth`` <= 390
(the diagram scrolls in its own box), and the banner's text wraps inside it.
"""

from __future__ import annotations

from typing import Any

import pytest

from synjson.exporters.pages import export

from .conftest import Site, Watched, build

pytestmark = [pytest.mark.chromium]

WIDTH = 390
HEIGHT = 844


def open_narrow(watched: Watched, site: Site, name: str) -> Any:
    page = watched.page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(site.url(name))
    return page


def widths(page: Any) -> dict[str, int]:
    return page.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,
                   status: document.getElementById('status').scrollWidth,
                   statusBox: document.getElementById('status').clientWidth})"""
    )


@pytest.mark.parametrize("name", ["perceptron", "lstm"])
def test_the_html_page_fits_390_px(watched: Watched, site: Site, name: str) -> None:
    export(build(name), site.root / f"narrow-{name}.html")
    page = open_narrow(watched, site, f"narrow-{name}.html")
    page.evaluate("async () => { await window.synjson.ready; }")
    assert page.evaluate("document.documentElement.clientWidth") == WIDTH
    assert widths(page)["scroll"] <= WIDTH
    assert watched.errors == []


def test_the_pyodide_page_fits_390_px(watched: Watched, site: Site, local_pyodide: str) -> None:
    export(build("lstm"), site.root / "narrow-pyodide.html", "pyodide", pyodide_url=local_pyodide)
    page = open_narrow(watched, site, "narrow-pyodide.html")
    page.evaluate("async () => { await window.synjson.ready; }")
    assert page.text_content("#status").startswith("Python (Pyodide")
    assert widths(page)["scroll"] <= WIDTH
    assert watched.errors == []


def test_the_training_report_fits_390_px(watched: Watched, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    from synjson.cli.main import main

    monkeypatch.chdir(site.root)
    (site.root / "narrow-xor.csv").write_text("a,b,a xor b\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n", encoding="utf-8")
    assert (
        main(
            [
                "train",
                "--perceptron",
                "2",
                "3",
                "1",
                "-d",
                "narrow-xor.csv",
                "--seed",
                "3",
                "--name",
                "XOR",
                "-o",
                "narrow-xor.json",
                "--report",
                "narrow-report.html",
            ]
        )
        == 0
    )
    page = open_narrow(watched, site, "narrow-report.html")
    page.evaluate("async () => { await window.synjson.ready; }")
    assert page.is_visible("#curve")
    assert widths(page)["scroll"] <= WIDTH
    assert watched.errors == []


def test_the_offline_error_banner_fits_390_px(watched: Watched, site: Site) -> None:
    # The default CDN URL (the fixture refuses every request off 127.0.0.1: as offline).
    export(build("perceptron"), site.root / "narrow-offline.html", "pyodide")
    page = open_narrow(watched, site, "narrow-offline.html")
    page.wait_for_function("() => document.getElementById('status').className === 'error'")
    assert "https://cdn.jsdelivr.net/pyodide/" in page.text_content("#status") + page.text_content("#hint")
    measured = widths(page)
    assert measured["status"] <= measured["statusBox"] <= WIDTH
    assert measured["scroll"] <= WIDTH
    box = page.locator("#hint").bounding_box()
    assert box is not None and box["x"] + box["width"] <= WIDTH
