"""synjson.exporters.bundle: runtime.js and the plan.js it imports, joined into one module."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from synjson.errors import SynjsonError
from synjson.exporters.bundle import join_modules, runtime_source

ROOT = Path(__file__).resolve().parents[3]


def test_the_joined_runtime_has_no_import_and_the_entry_exports() -> None:
    text = runtime_source()
    assert text == runtime_source(ROOT / "web" / "runtime.js")
    plan = (ROOT / "web" / "plan.js").read_text(encoding="utf-8")
    assert text.startswith(plan[: plan.index("\nexport {")])
    assert "import " not in text
    exports = [line for line in text.splitlines() if line.startswith("export ")]
    assert exports == [
        "export { FormatError };",
        "export function loadNetwork(json) {",
        "export const squashNames = SQUASH_NAMES.slice();",
    ]


def test_the_joined_runtime_runs_in_node(tmp_path: Path) -> None:
    module = tmp_path / "joined.mjs"
    module.write_text(runtime_source(), encoding="utf-8")
    script = (
        f"const m = await import({str(module)!r});"
        "const net = m.loadNetwork({neurons: [{layer: 'input', bias: 0, squash: 'LOGISTIC'},"
        "{layer: 'output', bias: 0, squash: 'LOGISTIC'}], connections: [{from: 0, to: 1, weight: 0, gater: null}]});"
        "let refused = '';"
        "try { m.loadNetwork({neurons: 3}); } catch (e) { refused = (e instanceof m.FormatError) + ' ' + e.message; }"
        "console.log(JSON.stringify([Object.keys(m).sort(), net.activate([1]), refused]));"
    )
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == '[["FormatError","loadNetwork","squashNames"],[0.5],"true neurons: expected an array, got 3"]'


def _write(folder: Path, **files: str) -> Path:
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def test_a_single_file_runtime_comes_back_as_is(tmp_path: Path) -> None:
    _write(tmp_path, runtime_js="export const a = 1;\n")
    assert join_modules(tmp_path) == "export const a = 1;\n"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"runtime_js": 'import { b } from "./plan.js";\n', "plan_js": "const a = 1;\nexport { a };\n"},
         "runtime.js imports b, which plan.js does not export"),
        ({"runtime_js": 'import { a } from "./plan.js";\n', "plan_js": "export const a = 1;\n"},
         "plan.js must end with one export list to be inlined"),
        ({"runtime_js": 'import { a } from "./plan.js";\n'}, "plan.js not found beside runtime.js"),
        ({"runtime_js": 'import x from "./plan.js";\n'},
         'runtime.js: only `import { ... } from "./sibling.js";` lines can be inlined'),
        ({"runtime_js": 'import { a } from "./plan.js";\n', "plan_js": 'import { b } from "./runtime.js";\nexport { a };\n'},
         "runtime.js: circular import through runtime.js, plan.js"),
    ],
)
def test_what_cannot_be_joined_is_refused(tmp_path: Path, files: dict[str, str], message: str) -> None:
    _write(tmp_path, **files)
    with pytest.raises(SynjsonError) as caught:
        join_modules(tmp_path)
    assert str(caught.value) == message
