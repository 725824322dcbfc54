"""synjson.exporters.pages: templates filled safely, files written atomically, the wheel's copies in sync."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import stat
import zipfile
from pathlib import Path

import pytest

import synjson
from synjson import FormatError
from synjson.exporters.bundle import runtime_source
from synjson.exporters.pages import PYODIDE_CDN, PYODIDE_FILES, PYODIDE_VERSION, build_wheel, export, render
from synjson.train.architect import LSTM, Perceptron

ROOT = Path(__file__).resolve().parents[3]
HOSTILE = "</script><script>alert(1)</script>"


def xor(**metadata: object) -> synjson.Network:
    net = Perceptron(2, 3, 1, seed=4)
    net.metadata = dict(metadata)
    return net


def blocks(page: str) -> dict[str, str]:
    """The text of every <script> element: data blocks by id, the module script as "module"."""
    found = {}
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S):
        ident = re.search(r'id="([^"]+)"', attributes)
        found[ident.group(1) if ident else attributes.strip()] = body
    return found


def csp(page: str) -> dict[str, str]:
    content = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    return dict(part.strip().split(" ", 1) for part in content.replace("&#x27;", "'").split(";"))


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# -- the wheel carries the same files as web/ ---------------------------------------------


def test_data_copies_are_byte_identical_to_web() -> None:
    web = ROOT / "web"
    data = ROOT / "synjson" / "data"
    fix = "synjson/data links to web/: ln -s ../../web/NAME synjson/data/NAME"
    for name in ("runtime.js", "plan.js"):
        assert (data / name).read_bytes() == (web / name).read_bytes(), fix
    names = sorted(p.name for p in (web / "templates").iterdir())
    assert names == sorted(p.name for p in (data / "templates").iterdir()), fix
    for name in names:
        assert (data / "templates" / name).read_bytes() == (web / "templates" / name).read_bytes(), name


def test_pyodide_version_is_the_one_package_lock_pins() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/pyodide"]["version"] == PYODIDE_VERSION
    assert json.loads((ROOT / "package.json").read_text())["devDependencies"]["pyodide"] == PYODIDE_VERSION
    assert f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/" == PYODIDE_CDN


# -- html target ----------------------------------------------------------------------------


def test_html_page_carries_the_model_as_a_json_block() -> None:
    net = xor(inputs=["a", "b"], outputs=["a xor b"])
    page = render(net)
    found = blocks(page)
    assert json.loads(found["synjson-model"]) == net.to_json()
    assert json.loads(found["synjson-config"]) == {}
    # One executable script, allowed by its hash and nothing else.
    scripts = [body for key, body in found.items() if key == 'type="module"']
    assert len(scripts) == 1
    policy = csp(page)
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == sha256(scripts[0])
    assert policy["style-src"] == sha256(re.search(r"<style>(.*?)</style>", page, flags=re.S).group(1))
    assert "connect-src" not in policy
    offline = page.replace('"http://www.w3.org/2000/svg"', "")  # the SVG namespace is a name, not a request
    assert "http://" not in offline and "https://" not in offline


def test_model_text_cannot_end_the_script_element_or_break_lines() -> None:
    net = xor(inputs=[HOSTILE, "b\u2028c\u2029d"], outputs=["<!-- & >"], name=HOSTILE)
    page = render(net)
    body = blocks(page)["synjson-model"]
    for char in "<>&\u2028\u2029":
        assert char not in body
    assert json.loads(body)["synjson"] == net.metadata  # the escapes keep the value
    assert page.count("<script") == page.count("</script>") == 3
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page


def test_placeholders_are_filled_in_one_pass() -> None:
    net = xor(inputs=["{{script}}", "{{model}}"])
    body = blocks(render(net))["synjson-model"]
    assert json.loads(body)["synjson"]["inputs"] == ["{{script}}", "{{model}}"]


def test_numbers_are_written_with_full_precision() -> None:
    net = xor()
    net.input_layer.neurons[0].projected[0].weight = 0.1 + 0.2
    net.output_layer.neurons[0].bias = 5e-324
    net.hidden_layers[0].neurons[1].bias = -1.7976931348623157e308
    doc = json.loads(blocks(render(net))["synjson-model"])
    assert doc["connections"][0]["weight"].hex() == (0.1 + 0.2).hex()
    assert doc["neurons"][-1]["bias"] == 5e-324
    assert doc["neurons"][3]["bias"] == -1.7976931348623157e308


# -- module target --------------------------------------------------------------------------


def test_module_embeds_one_ascii_string_literal() -> None:
    net = xor(inputs=[HOSTILE, "\u00e9\u2028"])
    text = render(net, "module")
    assert text.startswith(runtime_source(ROOT / "web" / "runtime.js"))
    assert text.count("import ") == 0 and text.count("export { FormatError };") == 1
    literal = re.search(r"^const MODEL_TEXT = (.*);$", text, flags=re.M).group(1)
    assert literal.isascii() and "<" not in literal
    assert json.loads(json.loads(literal)) == net.to_json()
    assert "export const network = loadNetwork(MODEL_TEXT);" in text
    assert "export function activate(input)" in text


# -- pyodide target -------------------------------------------------------------------------


def test_pyodide_page_defaults_to_the_pinned_cdn() -> None:
    page = render(xor(), "pyodide", wheel=b"wheel bytes")
    found = blocks(page)
    assert json.loads(found["synjson-config"]) == {"pyodideUrl": PYODIDE_CDN}
    assert base64.b64decode(found["synjson-wheel"]) == b"wheel bytes"
    policy = csp(page)
    assert policy["script-src"].endswith(" https://cdn.jsdelivr.net 'wasm-unsafe-eval'")
    assert policy["connect-src"] == "https://cdn.jsdelivr.net"


def test_pyodide_url_overrides_the_cdn() -> None:
    page = render(xor(), "pyodide", pyodide_url="https://example.org:8443/py/v1", wheel=b"")
    assert json.loads(blocks(page)["synjson-config"]) == {"pyodideUrl": "https://example.org:8443/py/v1/"}
    assert csp(page)["connect-src"] == "https://example.org:8443"
    relative = render(xor(), "pyodide", pyodide_url="vendor/pyodide/", wheel=b"")
    assert csp(relative)["connect-src"] == "'self'"
    with pytest.raises(ValueError, match="pyodide_url must be an http"):
        render(xor(), "pyodide", pyodide_url="javascript:alert(1)", wheel=b"")
    with pytest.raises(ValueError, match="only apply to the pyodide target"):
        render(xor(), "html", pyodide_url="https://example.org/")
    with pytest.raises(ValueError, match="give wheel or load_package, not both"):
        render(xor(), "pyodide", wheel=b"", load_package=True)


def test_bundle_pyodide_copies_the_npm_files_beside_the_page(tmp_path: Path) -> None:
    npm = ROOT / "node_modules" / "pyodide"
    out = export(xor(), tmp_path / "page.html", "pyodide", bundle_pyodide=True, pyodide_dir=npm)
    found = blocks(out.read_text())
    assert json.loads(found["synjson-config"]) == {"pyodideUrl": "pyodide/", "loadPackage": "synjson"}
    assert "synjson-wheel" not in found  # installed from the bundle's lock file instead
    wheel = f"synjson-{synjson.__version__}-py3-none-any.whl"
    for name in PYODIDE_FILES:
        if name != "pyodide-lock.json":
            assert (tmp_path / "pyodide" / name).read_bytes() == (npm / name).read_bytes()
    assert (tmp_path / "pyodide" / wheel).read_bytes() == build_wheel()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html", "pyodide"]
    assert sorted(p.name for p in (tmp_path / "pyodide").iterdir()) == sorted([*PYODIDE_FILES, wheel])
    # The lock file is the npm package's, with one entry more: synjson's, written by the toolchain.
    before = json.loads((npm / "pyodide-lock.json").read_text())
    after = json.loads((tmp_path / "pyodide" / "pyodide-lock.json").read_text())
    assert after["info"] == before["info"]
    assert {k: v for k, v in after["packages"].items() if k != "synjson"} == before["packages"]
    assert after["packages"]["synjson"] == {
        "name": "synjson", "version": synjson.__version__, "file_name": wheel, "install_dir": "site",
        "sha256": hashlib.sha256(build_wheel()).hexdigest(), "package_type": "package", "imports": ["synjson"],
        "depends": [], "unvendored_tests": False, "tool": {},
    }


def test_wheel_holds_the_package_and_is_deterministic() -> None:
    wheel = build_wheel()
    assert wheel == build_wheel()
    package = Path(synjson.__file__).parent
    expected = {
        "synjson/" + p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".so", ".pyd", ".c", ".h", ".inc", ".pyi")
    }
    with zipfile.ZipFile(__import__("io").BytesIO(wheel)) as archive:
        names = set(archive.namelist())
        info = f"synjson-{synjson.__version__}.dist-info"
        assert names == expected | {f"{info}/METADATA", f"{info}/WHEEL", f"{info}/RECORD"}
        assert "Tag: py3-none-any" in archive.read(f"{info}/WHEEL").decode()
        assert f"Version: {synjson.__version__}" in archive.read(f"{info}/METADATA").decode()
        record = archive.read(f"{info}/RECORD").decode().splitlines()
        assert len(record) == len(names)


# -- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["html", "module", "pyodide"])
def test_export_writes_what_render_returns(tmp_path: Path, target: str) -> None:
    path = tmp_path / f"out.{target}"
    returned = export(xor(), path, target)
    assert returned == path
    if target == "pyodide":  # the embedded wheel is the same too: it is deterministic
        assert path.read_text() == render(xor(), target, title="out")  # an unnamed model: the file's name
    else:
        assert path.read_text() == render(xor(), target, title="out")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    declarations = ["out.d.ts"] if target == "module" else []  # the module's TypeScript declarations
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, *declarations])


def test_invalid_model_raises_before_anything_is_written(tmp_path: Path) -> None:
    net = xor()
    net.hidden_layers[0].neurons[0].bias = math.nan
    path = tmp_path / "page.html"
    with pytest.raises(FormatError):
        export(net, path)
    assert list(tmp_path.iterdir()) == []
    path.write_text("old page")
    with pytest.raises(FormatError):
        export(net, path, "module")
    assert path.read_text() == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_metadata_names_must_match_the_sizes(tmp_path: Path) -> None:
    with pytest.raises(FormatError) as caught:
        export(xor(inputs=["only one"]), tmp_path / "page.html")
    assert str(caught.value) == "synjson.inputs: 1 name for 2 input neurons"
    with pytest.raises(FormatError) as caught:
        render(xor(outputs=[3]))
    assert str(caught.value) == "synjson.outputs[0]: expected a string, got the number 3"
    assert list(tmp_path.iterdir()) == []


def test_a_document_is_accepted_and_validated() -> None:
    doc = xor().to_json()
    assert render(doc) == render(xor())
    doc["connections"][0]["to"] = 40
    with pytest.raises(FormatError, match=r"^connections\[0\]\.to: "):
        render(doc)


def test_unknown_target() -> None:
    with pytest.raises(ValueError, match="unknown target 'svg'"):
        render(xor(), "svg")  # type: ignore[arg-type]


def test_an_lstm_exports() -> None:
    net = LSTM(2, 4, 1, seed=3)
    doc = json.loads(blocks(render(net))["synjson-model"])
    assert doc == net.to_json()
    assert sum(1 for c in doc["connections"] if c["from"] == c["to"]) == 4


def test_the_xor_page_stays_under_64_kb() -> None:
    # 40 KiB until issue 16 added rows, the drawing grid and output bars (about 59 KiB then);
    # issue 23's Step, Run the rest and the start hints brought it to about 60.5 KiB
    size = len(render(xor(inputs=["x", "y"], outputs=["x xor y"])).encode("utf-8"))
    assert size <= 64 * 1024, f"{size} bytes"


def test_an_invalid_model_copies_no_pyodide_files_either(tmp_path: Path) -> None:
    net = xor()
    net.output_layer.neurons[0].bias = math.inf
    with pytest.raises(FormatError):
        npm = ROOT / "node_modules" / "pyodide"
        export(net, tmp_path / "page.html", "pyodide", bundle_pyodide=True, pyodide_dir=npm)
    assert list(tmp_path.iterdir()) == []


def test_the_module_ships_typescript_declarations(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from synjson.exporters.pages import declarations_path

    node = shutil.which("node")
    assert node, "Node.js is needed (apt-get install nodejs)"
    export(xor(), tmp_path / "xor.mjs", "module")
    export(xor(), tmp_path / "lib" / "xor.js", "module")
    assert declarations_path(tmp_path / "xor.mjs") == tmp_path / "xor.d.mts"
    assert declarations_path(tmp_path / "lib" / "xor.js") == tmp_path / "lib" / "xor.d.ts"
    text = (tmp_path / "xor.d.mts").read_text(encoding="utf-8")
    assert text == (tmp_path / "lib" / "xor.d.ts").read_text(encoding="utf-8")
    declared = set(re.findall(r"^export (?:const|function|class) (\w+)", text, re.MULTILINE))
    declared |= {"default"} if "export default" in text else set()
    # Every value the module exports is declared, and nothing else.
    script = "import(process.argv[1]).then((m) => console.log(JSON.stringify(Object.keys(m).sort())))"
    done = subprocess.run(
        [node, "-e", script, (tmp_path / "xor.mjs").as_uri()],
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert sorted(declared) == json.loads(done.stdout)
    assert "activate(input: ArrayLike<number>): number[];" in text
