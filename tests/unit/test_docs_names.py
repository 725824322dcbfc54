"""Every name the prose gives exists (issue 21, item 6): docs and comments that stay true.

Read: README.md, docs/*.md, every docstring under synjson/, and the comments of the C kernel
(synjson/engine/_kernel*, _facts.h) and of web/*.js. Checked:

- each dotted ``synjson.x.y`` resolves: an importable module, then attributes; or else a key path
  of the document's ``synjson`` block in schema/network.schema.json (``synjson.state.gain``);
- each ``from synjson.x import a, b`` and ``import synjson.x`` imports;
- each repository path (``synjson/engine/python.py``, ``tests/unit/...``, ``docs/*.md``) exists, and
  each bare ``name.py`` / ``name.h`` / ``name.c`` / ``name.inc`` is the name of a file in the repository;
- each Python name a comment ties to a file (```name` of synjson/x.py``, ``synjson/x.py (a, b)``) is
  defined in that file;
- each quirk tag (``Q-GAIN``) is one of docs/quirks.md's.
"""

from __future__ import annotations

import ast
import functools
import importlib
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schema" / "network.schema.json").read_text("utf-8"))
TOP_FOLDERS = ("synjson", "tests", "docs", "bench", "examples", "schema", "scripts", "web", ".ci")
#: Paths the prose names that exist only after a run: set up by scripts/setup.sh or written by tests.
MADE_BY_RUNS = ("tests/artifacts",)
#: Files of other projects the prose names, with whose they are.
OTHER_PROJECTS = {"_keywords.py": "jsonschema's", "sweep.py": "the user's own script in docs/scale.md"}

DOTTED = re.compile(r"(?<![\w.$/-])synjson(?:\.[A-Za-z_]\w*)+")
FROM_IMPORT = re.compile(r"\bfrom (synjson(?:\.\w+)*) import (\([^)]*\)|[\w ,]+)")
IMPORT = re.compile(r"^\s*import (synjson(?:\.\w+)+)", re.MULTILINE)
PATH = re.compile(r"(?<![\w./-])((?:%s)/[\w./*<>{}-]*)" % "|".join(re.escape(f) for f in TOP_FOLDERS))
BARE_FILE = re.compile(r"(?<![\w./-])([A-Za-z_][\w-]*\.(?:py|h|c|inc))\b(?![\w/-])")
NAME_OF_FILE = re.compile(r"`(\w+)(?:\([^)`]*\))?` of ((?:synjson/)?[\w/]+\.py)")
FILE_NAMES = re.compile(r"((?:synjson/)?[\w/]+\.py) \(([\w. ,\n*/]+)\)")
QUIRK = re.compile(r"\bQ-[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\b")


@functools.cache
def file_names() -> frozenset[str]:
    """The name of every file in the repository (git's list) and in the package (with built files)."""
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    built = {p.name for p in (ROOT / "synjson").rglob("*")}
    return frozenset({Path(p).name for p in listed.stdout.split()} | built | set(OTHER_PROJECTS))


def docstrings(path: Path) -> str:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            text = ast.get_docstring(node, clean=False)
            if text:
                found.append(text)
    return "\n".join(found)


def c_comments(text: str) -> str:
    without_strings = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    blocks = re.findall(r"/\*.*?\*/", without_strings, re.DOTALL)
    lines = re.findall(r"(?:^|\s)//([^\n]*)", without_strings)
    return "\n".join(blocks + lines)


def sources() -> dict[str, str]:
    """Where the prose lives -> its text (for code files: the docstrings or the comments only)."""
    texts = {"README.md": (ROOT / "README.md").read_text("utf-8")}
    for doc in sorted((ROOT / "docs").glob("*.md")):
        texts[f"docs/{doc.name}"] = doc.read_text("utf-8")
    for module in sorted((ROOT / "synjson").rglob("*.py")):
        texts[str(module.relative_to(ROOT))] = docstrings(module)
    engine = ROOT / "synjson" / "engine"
    kernel = [*engine.glob("_kernel*.[ch]"), *engine.glob("_kernel*.inc"), engine / "_facts.h"]
    for code in [*sorted(kernel), *sorted((ROOT / "web").glob("*.js"))]:
        texts[str(code.relative_to(ROOT))] = c_comments(code.read_text("utf-8"))
    return texts


SOURCES = sources()


def found(pattern: re.Pattern[str], group: int = 0) -> list[tuple[str, str]]:
    """(source, match) pairs, each pair once, for parametrize ids."""
    pairs = {(where, m.group(group)) for where, text in SOURCES.items() for m in pattern.finditer(text)}
    return sorted(pairs)


def resolve(dotted: str) -> object:
    """Import the longest module prefix, then follow attributes; AttributeError or ImportError if absent."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            target = getattr(target, attribute)
        return target
    raise ModuleNotFoundError(dotted)


def schema_keys(dotted: str) -> bool:
    """True when ``synjson.a.b`` is a key path of the document's ``synjson`` block in the schema."""
    node: dict[str, object] = SCHEMA
    for key in dotted.split("."):
        while "$ref" in node:
            ref = str(node["$ref"])
            node = SCHEMA
            for part in ref.removeprefix("#/").split("/"):
                node = node[part]  # type: ignore[assignment]
        properties = node.get("properties")
        if properties is None and node.get("type") == "object" and node is not SCHEMA:
            return True  # a free-form object (synjson.state): any key below it is the writer's
        if not isinstance(properties, dict) or key not in properties:
            return False
        node = properties[key]
    return True


def defined_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def repository_path(where: str, named: str) -> Path | None:
    """The file a path in ``where`` names: from the root, or (in the package) from synjson/ or its folder."""
    bases = [ROOT]
    if where.startswith(("synjson/", "web/")):
        bases += [ROOT / "synjson", (ROOT / where).parent]
    for base in bases:
        if (base / named).exists():
            return base / named
    return None


@pytest.mark.parametrize(("where", "dotted"), found(DOTTED))
def test_dotted_name_resolves(where: str, dotted: str) -> None:
    if schema_keys(dotted):
        return
    try:
        resolve(dotted)
    except (ImportError, AttributeError) as error:
        pytest.fail(f"{where} names {dotted}, which is neither importable nor a key of the schema: {error}")


def imports() -> Iterator[tuple[str, str, str]]:
    for where, text in SOURCES.items():
        for m in FROM_IMPORT.finditer(text):
            for name in m.group(2).strip("()").split(","):
                name = name.split(" as ")[0].strip()
                if name and name != "*":
                    yield where, m.group(1), name
        for m in IMPORT.finditer(text):
            yield where, m.group(1), ""


@pytest.mark.parametrize(("where", "module", "name"), sorted(set(imports())))
def test_import_in_prose_works(where: str, module: str, name: str) -> None:
    imported = importlib.import_module(module)
    if name:
        assert hasattr(imported, name) or importlib.util.find_spec(f"{module}.{name}"), (
            f"{where}: from {module} import {name} fails"
        )


def named_paths() -> list[tuple[str, str]]:
    pairs = []
    for where, named in found(PATH, 1):
        named = named.rstrip(".,:;")
        named = re.split(r"[<{]", named)[0]  # a placeholder: the folder before it must exist
        if named.endswith("/"):
            named = named.rstrip("/")
        if named and not named.startswith(MADE_BY_RUNS):
            pairs.append((where, named))
    return sorted(set(pairs))


@pytest.mark.parametrize(("where", "named"), named_paths())
def test_repository_path_exists(where: str, named: str) -> None:
    if "*" in named:
        assert list(ROOT.glob(named)), f"{where} names {named}, which matches no file"
    else:
        assert repository_path(where, named) is not None, f"{where} names {named}, which does not exist"


@pytest.mark.parametrize(("where", "named"), found(BARE_FILE, 1))
def test_file_name_exists(where: str, named: str) -> None:
    assert named in file_names(), f"{where} names {named}, and no file in the repository has that name"


def names_tied_to_files() -> list[tuple[str, str, str]]:
    triples = set()
    for where, text in SOURCES.items():
        for m in NAME_OF_FILE.finditer(text):
            triples.add((where, m.group(2), m.group(1)))
        for m in FILE_NAMES.finditer(text):
            for name in re.split(r"[\s,/*]+", m.group(2)):
                if name.strip("."):
                    triples.add((where, m.group(1), name))
    return sorted(triples)


@pytest.mark.parametrize(("where", "named", "name"), names_tied_to_files())
def test_name_of_a_file_is_defined_there(where: str, named: str, name: str) -> None:
    path = repository_path(where, named)
    assert path is not None, f"{where} names {named}, which does not exist"
    missing = [part for part in name.strip(".").split(".") if part not in defined_names(path)]
    assert not missing, f"{where} names {name} of {named}, which defines no {missing[0]}"


def test_the_scans_find_what_they_look_for() -> None:
    """The patterns are not vacuous: each finds the kinds of names the sources are known to hold."""
    assert ("docs/engine.md", "synjson.engine.native.kernel") in found(DOTTED)
    assert ("docs/api.md", "synjson", "Network") in set(imports())
    assert any(named == "synjson/engine/python.py" for _, named in named_paths())
    assert ("synjson/engine/_kernel_run.inc", "Q-GAIN") in found(QUIRK)
    assert schema_keys("synjson.state.gain")
    assert ("synjson/engine/_kernel_run.inc", "synjson/engine/python.py", "_Emitter.activate") in names_tied_to_files()
    assert ("synjson/engine/_kernel_args.inc", "synjson/engine/arguments.py", "check_rate") in names_tied_to_files()
    assert not schema_keys("synjson.nothing")
    assert not schema_keys("synjson.architecture.nothing")
    with pytest.raises(AttributeError):
        resolve("synjson.check.check")


QUIRKS = set(re.findall(r"^\| (Q-[A-Z0-9-]+) \|", (ROOT / "docs" / "quirks.md").read_text("utf-8"), re.MULTILINE))


@pytest.mark.parametrize(("where", "tag"), found(QUIRK))
def test_quirk_tag_is_in_quirks_md(where: str, tag: str) -> None:
    assert tag in QUIRKS, f"{where} names {tag}, which docs/quirks.md does not define"
