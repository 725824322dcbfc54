"""Export a network for the browser: an HTML page, an ES module, or a Pyodide page.

The runtime (``runtime.js`` and the ``plan.js`` it imports, joined into one module by
:mod:`.bundle`) and the page templates live in ``web/``; ``synjson/data/`` links to them, so
the wheel carries the same bytes. This module only fills the templates in:

- the model goes into a JSON data block (``<script type="application/json">``) with ``<``,
  ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX``, so no model text can end the element
  or reach code; the module target holds it as one JSON string literal, escaped the same way;
- the inline script is fixed text (runtime + UI) allowed by its SHA-256 hash in the page's
  Content-Security-Policy;
- numbers are written as JavaScript writes them (shortest round trip), so they load bit-exact.

Targets: ``html`` (self-contained, no network request), ``module`` (exports ``activate`` and
``network``), ``pyodide`` (runs synjson's own Python code in Pyodide, from the CDN, a given
URL, or a copy of the pinned npm package beside the page). See docs/export.md.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import html
import io
import json
import os
import zipfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from ..document.atomic import atomic_copy, atomic_write
from ..errors import FormatError, SynjsonError
from .bundle import runtime_source
from .lockfile import add_wheel, find_lock_tool

__all__ = [
    "export", "render", "declarations_path", "TARGETS", "PYODIDE_VERSION", "PYODIDE_CDN", "PYODIDE_FILES",
    "build_wheel",
]

Target = Literal["html", "module", "pyodide"]
TARGETS: tuple[str, ...] = ("html", "module", "pyodide")

#: The Pyodide release the pages are tested with; tests/unit/exporters/test_export.py keeps it equal to
#: the ``pyodide`` entry of package-lock.json.
PYODIDE_VERSION = "314.0.7"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
#: What a page needs from the npm package to run the Python standard library offline.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)

_TEMPLATES = ("page.html", "style.css", "app.js", "html.js", "pyodide.js", "module.js", "module.d.ts")
_ISLAND_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


# -- resources -------------------------------------------------------------------


def _data(name: str) -> str:
    """A file from synjson/data (the wheel's copy of web/)."""
    return resources.files("synjson").joinpath("data", *name.split("/")).read_text(encoding="utf-8")


def _template(name: str) -> str:
    return _data(f"templates/{name}")


def _fill(template: str, values: Mapping[str, str]) -> str:
    """Replace each ``{{key}}`` in one pass: text put in is never scanned again."""
    parts = template.split("{{")
    out = [parts[0]]
    for part in parts[1:]:
        key, sep, rest = part.partition("}}")
        if not sep or key not in values:
            raise SynjsonError(f"template placeholder {{{{{key}}}}} has no value")
        out.append(values[key])
        out.append(rest)
    return "".join(out)


# -- the model -------------------------------------------------------------------


def _model_text(net: Any) -> tuple[str, dict[str, Any]]:
    """Validated JSON text of the model (JSON.stringify's bytes) and its metadata block.

    Raises FormatError before anything is written when the model is not a valid network.
    """
    from ..format import synaptic as fmt
    from ..model.network import Network

    if isinstance(net, Network):
        try:
            document = fmt.to_json(net)
        except SynjsonError as error:
            raise FormatError(str(error)) from None
    elif isinstance(net, Mapping):
        document = dict(net)
    else:
        raise TypeError(f"expected a synjson Network or a network document, got {type(net).__name__}")
    from ..document.validate import validate
    from ..model.codec import refuse_custom_squashes

    refuse_custom_squashes(document, "the browser runtime")
    validate(document)
    network = net if isinstance(net, Network) else fmt.from_json(document)
    metadata = network.metadata  # validate() checked the names: one string per input/output
    try:
        text = fmt.dumps(network)
    except SynjsonError as error:
        raise FormatError(f"cannot export: {error}") from None
    return text, metadata


def _island(text: str) -> str:
    """JSON text made safe inside a ``<script type="application/json">`` element.

    ``<``, ``>``, ``&``, U+2028 and U+2029 can only occur inside JSON strings, where the
    ``\\uXXXX`` escape means the same character: the JSON value is unchanged.
    """
    for char, escape in _ISLAND_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def _js_string(text: str) -> str:
    """A JavaScript string literal for ``text``: ASCII only, with the island escapes too."""
    return _island(json.dumps(text, ensure_ascii=True))


# -- pages -----------------------------------------------------------------------


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _origin(url: str) -> str:
    """A CSP source for the place Pyodide is loaded from."""
    parts = urlsplit(url)
    if not parts.scheme:
        return "'self'"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"pyodide_url must be an http(s) URL or a relative path, got {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def _page(
    text: str,
    metadata: Mapping[str, Any],
    *,
    engine: str,
    script: str,
    title: str | None,
    config: Mapping[str, Any],
    data: str,
    csp_extra: Mapping[str, str],
) -> str:
    """page.html filled in; ``csp_extra`` adds sources to the Content-Security-Policy."""
    from ..version import __version__

    if title is None:
        name = metadata.get("name")
        title = name if isinstance(name, str) and name.strip() else "synjson model"
    style = _template("style.css")
    policy = {
        "default-src": "'none'",
        "script-src": _hash(script),
        "style-src": _hash(style),
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    for key, value in csp_extra.items():
        policy[key] = f"{policy[key]} {value}" if key in policy else value
    csp = "; ".join(f"{key} {value}" for key, value in policy.items())
    return _fill(
        _template("page.html"),
        {
            "csp": html.escape(csp),
            "version": html.escape(__version__),
            "title": html.escape(title),
            "engine": html.escape(engine),
            "style": style,
            "model": _island(text),
            "config": _island(json.dumps(dict(config), ensure_ascii=True)),
            "data": data,
            "script": script,
        },
    )


def render(
    net: Any,
    target: Target = "html",
    *,
    pyodide_url: str | None = None,
    title: str | None = None,
    wheel: bytes | None = None,
    load_package: bool = False,
) -> str:
    """The exported text for ``target`` ("html", "module" or "pyodide").

    ``net`` is a :class:`synjson.Network` or a network document (dict). ``pyodide_url``
    (pyodide target) is where the page loads Pyodide from, default :data:`PYODIDE_CDN`;
    ``wheel`` is the synjson wheel to embed, default :func:`build_wheel`. With
    ``load_package`` the page embeds no wheel and installs synjson with
    ``pyodide.loadPackage("synjson")`` from the ``pyodide-lock.json`` at ``pyodide_url``
    (a ``bundle_pyodide`` folder registers it there). Raises FormatError when the model is invalid.
    """
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}: expected one of {', '.join(TARGETS)}")
    if (pyodide_url is not None or load_package) and target != "pyodide":
        raise ValueError("pyodide_url and load_package only apply to the pyodide target")
    if load_package and wheel is not None:
        raise ValueError("give wheel or load_package, not both")
    text, metadata = _model_text(net)
    runtime = runtime_source()
    if target == "module":
        return runtime + _fill(_template("module.js"), {"model": _js_string(text)})
    app = _template("app.js")
    if target == "html":
        script = runtime + app + _template("html.js")
        return _page(
            text,
            metadata,
            engine="Runs in this page (synjson JavaScript runtime).",
            script=script,
            title=title,
            config={},
            data="",
            csp_extra={},
        )
    url = PYODIDE_CDN if pyodide_url is None else pyodide_url
    if not url.endswith("/"):
        url += "/"
    origin = _origin(url)
    config: dict[str, Any] = {"pyodideUrl": url}
    if load_package:
        config["loadPackage"] = "synjson"
        data = ""
    else:
        payload = base64.b64encode(wheel if wheel is not None else build_wheel()).decode("ascii")
        data = f'<script type="application/octet-stream" id="synjson-wheel">{payload}</script>\n'
    script = runtime + app + _template("pyodide.js")
    return _page(
        text,
        metadata,
        engine="Runs in Python: synjson's reference code in Pyodide.",
        script=script,
        title=title,
        config=config,
        data=data,
        # Pyodide compiles WebAssembly and fetches its standard library from where it lives.
        csp_extra={"script-src": f"{origin} 'wasm-unsafe-eval'", "connect-src": origin},
    )


# -- files -----------------------------------------------------------------------


def export(
    net: Any,
    path: str | os.PathLike[str],
    target: Target = "html",
    *,
    pyodide_url: str | None = None,
    bundle_pyodide: bool = False,
    title: str | None = None,
    pyodide_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Write ``net`` to ``path`` as ``target`` and return the path.

    The model is checked first (FormatError, nothing written); missing folders on the way to
    ``path`` are created; the file appears atomically. The module target also writes its
    TypeScript declarations beside it (:func:`declarations_path`: ``x.d.mts`` for ``x.mjs``).
    ``bundle_pyodide`` (pyodide target) copies the pinned Pyodide files into a ``pyodide/``
    folder beside the page and loads them from there, so the page works offline once served
    over HTTP; it writes synjson's wheel there too and registers it in that folder's
    ``pyodide-lock.json`` with the Pyodide toolchain (:mod:`.lockfile`), so the page, and any
    script on it, installs synjson with ``pyodide.loadPackage("synjson")``. ``pyodide_dir`` is
    the npm package to copy from (default: found from ``$SYNJSON_PYODIDE_DIR`` or a
    ``node_modules/pyodide`` above the working directory).
    """
    target_path = Path(path)
    if title is None and not _named(net):
        title = target_path.stem  # titled by the model's name, else by the page's file name
    if bundle_pyodide:
        if target != "pyodide":
            raise ValueError("bundle_pyodide only applies to the pyodide target")
        if pyodide_url is not None:
            raise ValueError("give pyodide_url or bundle_pyodide, not both")
        source = find_pyodide(pyodide_dir)
        find_lock_tool()  # before anything is written
        pyodide_url = "pyodide/"
    text = render(net, target, pyodide_url=pyodide_url, title=title, load_package=bundle_pyodide)
    folder = target_path.parent
    if not folder.is_dir():
        if folder.exists():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
        folder.mkdir(parents=True, exist_ok=True)
    if bundle_pyodide:
        folder = target_path.parent / "pyodide"
        folder.mkdir(exist_ok=True)
        for name in PYODIDE_FILES:
            if name != "pyodide-lock.json":
                atomic_copy(source / name, folder / name)
        from ..version import __version__

        wheel = folder / f"synjson-{__version__}-py3-none-any.whl"
        atomic_write(wheel, build_wheel())
        add_wheel(source / "pyodide-lock.json", wheel, folder / "pyodide-lock.json")
    atomic_write(target_path, text)
    if target == "module":
        atomic_write(declarations_path(target_path), _template("module.d.ts"))
    return target_path


def _named(net: Any) -> bool:
    """Whether the model (a Network or a document) has a name to title its page by."""
    metadata = net.get("synjson") if isinstance(net, Mapping) else getattr(net, "metadata", None)
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    return isinstance(name, str) and bool(name.strip())


def declarations_path(module: str | os.PathLike[str]) -> Path:
    """Where the TypeScript declarations of a module go: ``x.d.mts`` beside ``x.mjs``, else ``x.d.ts``."""
    path = Path(module)
    return path.with_name(path.stem + (".d.mts" if path.suffix == ".mjs" else ".d.ts"))


def find_pyodide(directory: str | os.PathLike[str] | None = None) -> Path:
    """The npm ``pyodide`` package directory holding :data:`PYODIDE_VERSION`.

    ``directory`` (``pyodide_dir``, the CLI's ``--pyodide-dir``), else ``$SYNJSON_PYODIDE_DIR``,
    else a ``node_modules/pyodide`` above the working directory or synjson's source. A folder
    named by the first two must be the package: the error names the setting that named it.
    """
    if directory is not None:
        named: str | None = f"pyodide_dir (--pyodide-dir) {directory}"
        candidates = [Path(directory)]
    elif os.environ.get("SYNJSON_PYODIDE_DIR"):
        named = f"$SYNJSON_PYODIDE_DIR ({os.environ['SYNJSON_PYODIDE_DIR']})"
        candidates = [Path(os.environ["SYNJSON_PYODIDE_DIR"])]
    else:
        named = None
        here = Path.cwd().resolve()
        source = Path(__file__).resolve().parent
        candidates = [base / "node_modules" / "pyodide" for base in (here, *here.parents, *source.parents)]
    for candidate in candidates:
        manifest = candidate / "package.json"
        if not manifest.is_file():
            continue
        try:
            package = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            package = None
        if not isinstance(package, dict) or package.get("name") != "pyodide":
            name = named or candidate
            raise SynjsonError(f"{name} is not the npm pyodide package: its package.json is not pyodide's")
        version = package.get("version")
        if version != PYODIDE_VERSION:
            raise SynjsonError(f"{named or candidate} holds Pyodide {version}; the pages need {PYODIDE_VERSION}")
        missing = [name for name in PYODIDE_FILES if not (candidate / name).is_file()]
        if missing:
            raise SynjsonError(f"{named or candidate} lacks {', '.join(missing)}")
        return candidate
    if named is not None:
        raise SynjsonError(
            f"{named} is not the npm pyodide package (it has no package.json): name the node_modules/pyodide "
            f"folder that `npm ci` makes (package.json pins Pyodide {PYODIDE_VERSION})"
        )
    raise SynjsonError(
        f"no Pyodide {PYODIDE_VERSION} found: run `npm ci` (package.json pins it), "
        "or give --pyodide-dir (pyodide_dir) or set SYNJSON_PYODIDE_DIR to its node_modules/pyodide folder"
    )


#: Bytecode, and the native kernel's sources, stubs and binaries: Pyodide runs the pure-Python path.
_NOT_IN_WHEEL = (".pyc", ".pyo", ".so", ".pyd", ".c", ".h", ".inc", ".pyi", ".o")


def build_wheel() -> bytes:
    """synjson's own pure-Python wheel (py3-none-any), assembled from the installed package.

    The files are the ones this Python imports, so the page runs the same code; the archive is
    deterministic (sorted names, fixed timestamps). Pyodide installs it with
    ``pyodide.unpackArchive(bytes, "wheel")``: no micropip, no network.
    """
    from ..version import __version__

    package = Path(__file__).resolve().parents[1]
    files: list[tuple[str, bytes]] = []
    for file in sorted(package.rglob("*")):
        relative = file.relative_to(package)
        if not file.is_file() or "__pycache__" in relative.parts or file.suffix in _NOT_IN_WHEEL:
            continue
        files.append((f"synjson/{relative.as_posix()}", file.read_bytes()))
    info = f"synjson-{__version__}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: synjson\nVersion: {__version__}\nRequires-Python: >=3.11\n"
    wheel = "Wheel-Version: 1.0\nGenerator: synjson.export\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files.append((f"{info}/METADATA", metadata.encode()))
    files.append((f"{info}/WHEEL", wheel.encode()))
    record = []
    for name, content in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(content)}")
    record.append(f"{info}/RECORD,,")
    files.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    return buffer.getvalue()
