"""The web runtime as one ES module text, for pages and for ``synjson check``.

``web/runtime.js`` imports ``web/plan.js`` (reading and checking a document) with one line of
the form ``import { a, b } from "./plan.js";``, and ``plan.js`` ends with one export list,
``export { a, b, c };``. A page carries one inline module script allowed by its hash, so the
two are joined here: the sibling module first, without its export list, then the entry module
without its import line. Only that form is accepted (anything else raises SynjsonError), and
every name imported must be one the sibling exports, so the joined text means what the two
modules mean. A runtime file with no import (an older single-file runtime.js) comes back as is.
"""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ..errors import SynjsonError

__all__ = ["runtime_source", "join_modules"]

_IMPORT = re.compile(r'^import \{([^}]*)\} from "\./([a-z][a-z0-9_-]*\.js)";\n', re.MULTILINE)
_EXPORT_LIST = re.compile(r"^export \{([^}]*)\};\n", re.MULTILINE)
_ANY_IMPORT = re.compile(r"^\s*import\b|\bimport\s*\(", re.MULTILINE)


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def join_modules(folder: Traversable | Path, entry: str = "runtime.js") -> str:
    """``entry`` of ``folder`` with the sibling modules it imports inlined before it."""
    return _join(folder, entry, seen=())


def _join(folder: Traversable | Path, name: str, seen: tuple[str, ...]) -> str:
    if name in seen:
        raise SynjsonError(f"{name}: circular import through {', '.join(seen)}")
    try:
        text = folder.joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SynjsonError(f"{name} not found beside {seen[-1] if seen else 'the runtime'}") from None
    parts: list[str] = []
    for match in _IMPORT.finditer(text):
        wanted, sibling = _names(match.group(1)), match.group(2)
        source = _join(folder, sibling, (*seen, name))
        exports = _EXPORT_LIST.findall(source)
        if len(exports) != 1:
            raise SynjsonError(f"{sibling} must end with one export list to be inlined")
        missing = sorted(set(wanted) - set(_names(exports[0])))
        if missing:
            raise SynjsonError(f"{name} imports {', '.join(missing)}, which {sibling} does not export")
        parts.append(_EXPORT_LIST.sub("", source))
    body = _IMPORT.sub("", text)
    if _ANY_IMPORT.search(body):
        raise SynjsonError(f"{name}: only `import {{ ... }} from \"./sibling.js\";` lines can be inlined")
    return "".join(parts) + body


def runtime_source(path: str | Path | None = None) -> str:
    """The runtime as one module: ``path`` (a runtime.js) and its siblings, default synjson/data's."""
    if path is None:
        return join_modules(resources.files("synjson").joinpath("data"))
    file = Path(path)
    return join_modules(file.parent, file.name)
