"""``--pyodide-dir`` / ``pyodide_dir`` (issue 23, item 8): a folder that is not the npm pyodide
package is refused with the option that named it, never advice to set an environment variable,
and the refused export leaves no folder behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synjson.cli.main import main
from synjson.errors import SynjsonError
from synjson.exporters.pages import PYODIDE_VERSION, export, find_pyodide
from synjson.train.architect import Perceptron

ROOT = Path(__file__).resolve().parents[3]
NPM = ROOT / "node_modules" / "pyodide"


@pytest.fixture
def model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SYNJSON_PYODIDE_DIR", raising=False)
    Path("m.json").write_text(json.dumps(Perceptron(2, 2, 1, seed=1).to_json()), encoding="utf-8")
    return "m.json"


def test_a_folder_that_is_not_pyodide_names_the_option(tmp_path: Path, model: str, capsys) -> None:
    (tmp_path / "empty").mkdir()
    status = main(["export", model, "-o", "site/a/p.html", "--target", "pyodide", "--bundle-pyodide",
                   "--pyodide-dir", "empty"])
    out, err = capsys.readouterr()
    assert status == 1 and out == ""
    assert err == (
        "synjson: error: pyodide_dir (--pyodide-dir) empty is not the npm pyodide package (it has no "
        "package.json): name the node_modules/pyodide folder that `npm ci` makes (package.json pins "
        f"Pyodide {PYODIDE_VERSION})\n"
    )
    assert not (tmp_path / "site").exists()  # today: an empty site/a was left behind


def test_the_environment_variable_is_named_when_it_named_the_folder(
    tmp_path: Path, model: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNJSON_PYODIDE_DIR", str(tmp_path))
    with pytest.raises(SynjsonError) as caught:
        find_pyodide()
    assert str(caught.value).startswith(f"$SYNJSON_PYODIDE_DIR ({tmp_path}) is not the npm pyodide package")


def test_another_npm_package_is_not_taken_for_pyodide(tmp_path: Path, model: str) -> None:
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "package.json").write_text('{"name": "synaptic", "version": "1.1.4"}', encoding="utf-8")
    with pytest.raises(SynjsonError) as caught:
        export(Perceptron(2, 2, 1, seed=1), tmp_path / "out" / "p.html", "pyodide", bundle_pyodide=True,
               pyodide_dir=tmp_path / "other")
    assert str(caught.value) == (
        f"pyodide_dir (--pyodide-dir) {tmp_path / 'other'} is not the npm pyodide package: "
        "its package.json is not pyodide's"
    )
    assert not (tmp_path / "out").exists()


def test_the_real_package_is_found_and_the_folder_is_made_after(tmp_path: Path, model: str, capsys) -> None:
    assert find_pyodide(NPM) == NPM
    assert main(["export", model, "-o", "made/p.html"]) == 0
    assert capsys.readouterr().err == "synjson: created folder made\n"
    assert (tmp_path / "made" / "p.html").is_file()


def test_an_output_folder_that_cannot_be_made_says_so(tmp_path: Path, model: str, capsys) -> None:
    Path("file").write_text("x", encoding="utf-8")
    assert main(["export", model, "-o", "file/sub/p.html"]) == 1
    assert capsys.readouterr().err == "synjson: error: file/sub: cannot create the output folder: Not a directory\n"
