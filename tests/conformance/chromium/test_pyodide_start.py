"""The Pyodide page's start (issue 23, item 10), in Debian's Chromium: the page marks its phases
for bench/pyodide_start.py, and the bundled page's install, which keeps Pyodide's loader from
compiling tarfile, leaves the page's Pyodide with the real tarfile module."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Watched

pytestmark = [pytest.mark.chromium]

MARKS = ["synjson:pyodide-loaded", "synjson:installed", "synjson:python-ready"]


def test_the_bundled_page_marks_its_start_and_keeps_tarfile(bundled_page: Watched) -> None:
    watched = bundled_page  # the bundle of conftest.py (test_pyodide_lock.py reads it too): one start, not two
    page: Any = watched.page
    marks = page.evaluate("performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])")
    assert [name for name, _ in marks] == MARKS
    assert [at for _, at in marks] == sorted(at for _, at in marks)
    assert page.evaluate("window.synjson.pyodide.loadedPackages.synjson") == "default channel"
    assert (
        page.evaluate(
            "window.synjson.pyodide.runPython('import tarfile; tarfile.TarFile.__name__ + tarfile.__file__[-11:]')"
        )
        == "TarFile/tarfile.py"
    )
    assert watched.errors == []
