"""The squash names have one owner, ``synjson.document.squashes`` (issue 21, item 1 and the model's knots).

``synjson.engine.facts`` takes ``SQUASH_NAMES`` from the document layer (the lowest that needs it)
instead of keeping a second list; ``setup.py`` loads facts.py by path before the package is built,
and that path must give the same table and the same C header.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from synjson.document import squashes
from synjson.engine import facts
from synjson.model.squash import SQUASHES

ROOT = Path(__file__).resolve().parents[3]


def _load_by_path(path: Path, name: str) -> object:
    """A module loaded as ``setup.py``'s ``write_facts_header`` loads facts.py: by path, no package."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_engine_takes_the_document_layers_list() -> None:
    assert facts.SQUASH_NAMES is squashes.SYNAPTIC_SQUASHES  # the same object: taken, not copied
    assert tuple(SQUASHES) == squashes.SYNAPTIC_SQUASHES


def test_facts_loaded_by_path_as_setup_py_does_gives_the_same_table_and_header() -> None:
    loaded = _load_by_path(ROOT / "synjson" / "engine" / "facts.py", "_synjson_facts")
    assert loaded.SQUASH_NAMES == squashes.SYNAPTIC_SQUASHES  # type: ignore[attr-defined]
    assert loaded.c_header() == facts.c_header()  # type: ignore[attr-defined]
    assert loaded.c_header() == (ROOT / facts.HEADER).read_text(encoding="utf-8")  # type: ignore[attr-defined]


def test_the_document_module_loads_by_path_and_still_warns() -> None:
    loaded = _load_by_path(ROOT / "synjson" / "document" / "squashes.py", "_synjson_squashes")
    assert loaded.SYNAPTIC_SQUASHES == ("LOGISTIC", "TANH", "IDENTITY", "HLIM", "RELU")  # type: ignore[attr-defined]
    (warning,) = squashes.squash_warnings({"neurons": [{"squash": "SOFTMAX"}, {"squash": "TANH"}]})
    assert str(warning) == 'neurons[0].squash: "SOFTMAX" is not a Synaptic squash; Synaptic.js loads it as LOGISTIC'
