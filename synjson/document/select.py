"""Find the network inside a larger JSON document.

Model files in the wild often wrap Synaptic's ``toJSON()`` output:
``{"network": {...}, "trainedOn": ...}``, ``[net1, net2]``, or
``{"models": [{"name": "a", "net": {...}}]}``. A *select path* names the
network inside: dot-separated keys and array indices, as ``network``, ``0``
or ``models.2.net``; the empty path is the document itself.

>>> doc = {"models": [{"name": "a", "net": {"neurons": [], "connections": []}}]}
>>> find_networks(doc)
['models.0.net']
>>> select(doc, "models.0.net")
{'neurons': [], 'connections': []}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import FormatError

__all__ = ["find_networks", "is_network", "pick", "select"]

SelectPath = str | int | Sequence[str | int]


def is_network(value: Any) -> bool:
    """Whether ``value`` looks like Synaptic's ``toJSON()`` output: an object with neurons and connections arrays."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("neurons"), list)
        and isinstance(value.get("connections"), list)
    )


def _parts(path: SelectPath) -> list[str | int]:
    if isinstance(path, bool):
        raise TypeError(f"a select path is a string such as 'models.2.net', got {path!r}")
    if isinstance(path, int):
        return [path]
    if isinstance(path, str):
        text = path.strip()
        if text in ("", "$"):
            return []
        return list(text.removeprefix("$.").split("."))
    if isinstance(path, Sequence):
        parts = list(path)
        if all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in parts):
            return parts
    raise TypeError(f"a select path is a string such as 'models.2.net', got {path!r}")


def _join(parts: Sequence[str | int]) -> str:
    return ".".join(str(part) for part in parts)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        keys = ", ".join(repr(str(key)) for key in list(value)[:8])
        more = ", ..." if len(value) > 8 else ""
        return f"an object with keys {keys}{more}" if value else "an empty object"
    if isinstance(value, list):
        return f"an array of {len(value)} item{'' if len(value) == 1 else 's'}"
    if value is None or isinstance(value, bool):
        return "null" if value is None else f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the string {value[:40]!r}" + ("..." if len(value) > 40 else "")
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return f"a Python {type(value).__name__}"


def select(document: Any, path: SelectPath) -> Any:
    """The value at ``path`` in ``document`` (keys and indices joined by dots).

    A key that itself contains dots is found too (the longest matching key wins).
    When the path does not exist, FormatError names the longest prefix that does
    and what is there.
    """
    parts = _parts(path)
    value = document
    done: list[str | int] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if isinstance(value, dict):
            # the longest run of parts that is a key: "a.b" may be one key
            for end in range(len(parts), i, -1):
                key = _join(parts[i:end])
                if key in value:
                    value = value[key]
                    done.append(key)
                    i = end
                    break
            else:
                _missing(path, done, f"has no key {str(part)!r}", value)
            continue
        if isinstance(value, list):
            text = str(part)
            digits = text.isascii() and text.isdigit() and len(text) <= 18  # int() refuses 4301 digits
            index = part if isinstance(part, int) else (int(text) if digits else None)
            if index is None or index >= len(value) or index < 0:
                _missing(path, done, f"has no item {part}", value)
            value = value[index]  # type: ignore[index]
            done.append(index)  # type: ignore[arg-type]
            i += 1
            continue
        _missing(path, done, f"cannot hold {part!r}", value)
    return value


def _missing(path: SelectPath, done: list[str | int], problem: str, value: Any) -> None:
    where = f"`{_join(done)}`" if done else "the document"
    prefix = f"the longest prefix that exists is `{_join(done)}`" if done else "no prefix of it exists"
    raise FormatError(
        f"select path `{_join(_parts(path))}` does not exist: {prefix}; {where} ({_describe(value)}) {problem}"
    )


def find_networks(document: Any, *, limit: int = 100) -> list[str]:
    """Select paths of every network-shaped object in ``document``, in document order.

    The document itself is ``""``. The search does not look inside a network,
    never recurses (deep documents are fine), and stops after ``limit`` finds.
    """
    found: list[str] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, ())]
    while stack and len(found) < limit:
        value, path = stack.pop()
        if is_network(value):
            found.append(_join(path))
            continue
        if isinstance(value, dict):
            items = [(item, (*path, str(key))) for key, item in value.items()]
        elif isinstance(value, list):
            items = [(item, (*path, index)) for index, item in enumerate(value)]
        else:
            continue
        stack.extend(pair for pair in reversed(items) if isinstance(pair[0], (dict, list)))
    return found


def pick(document: Any, path: SelectPath | None = None) -> Any:
    """The network to load from a parsed document.

    With a path, the value there. Without one, the document itself when it is
    (or tries to be) a network; when it is not, but holds network-shaped
    objects, FormatError says where they are and how to select one.
    """
    if path is not None:
        return select(document, path)
    if isinstance(document, dict) and ("neurons" in document or "connections" in document):
        return document  # a network, valid or not: the validator says what is wrong
    found = find_networks(document)
    if len(found) == 1:
        raise FormatError(f"not a network itself: found a network at `{found[0]}`; pass select='{found[0]}'")
    if found:
        listed = ", ".join(f"`{path}`" for path in found[:10]) + (", ..." if len(found) > 10 else "")
        count = f"{len(found)}{' or more' if len(found) >= 100 else ''}"
        raise FormatError(
            f"not a network itself: found {count} networks, at {listed}; pass select='PATH' with one of them"
        )
    return document
