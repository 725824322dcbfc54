"""The examples in docs/*.md are doctests: every page's ``>>>`` lines must still give what they show."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(DOCS.glob("*.md"))


def test_pages_exist() -> None:
    assert DOCS / "bringing-models.md" in PAGES


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_doctests(page: Path) -> None:
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.failed == 0, (
        f"{result.failed} of {result.attempted} examples in {page.name} failed (see above)"
    )


def test_bringing_models_has_the_seed_example() -> None:
    examples = doctest.DocTestParser().get_examples((DOCS / "bringing-models.md").read_text(encoding="utf-8"))
    assert len(examples) >= 20
    assert any(example.want == "(5.0, 0.9933)\n" for example in examples)
