"""Take a network out of a JavaScript file, without running it.

Synaptic models are often shipped as code: ``var net = {"neurons": ...};``,
``module.exports = {...}``, ``export default {...}``. :func:`import_js` scans
the text for object literals whose own keys include ``neurons`` and
``connections`` and parses the one it finds with the ``json5`` package
(imported when needed), which reads JSON and JavaScript-style literals: unquoted
keys, single quotes, trailing commas, comments. The file is never executed, so
a literal computed by code (``Math.random()``, a function call) is reported,
not evaluated.

>>> import_js('var net = {neurons: [], connections: [],}; // made by Synaptic')
{'neurons': [], 'connections': []}
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass, field
from typing import Any

from ..errors import FormatError, LimitError
from .limits import DEFAULT_LIMITS, Limits, check_depth, check_size

__all__ = ["Literal", "import_js", "scan"]

_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_IDENT_START = frozenset(string.ascii_letters + "_$")  # what _IDENT's first character may be
_COLON = re.compile(r"\s*:")
_BORING = re.compile(r"[^\"'`/{},\nA-Za-z_$]+")  # numbers, spaces, brackets: nothing to track
_STRINGS = {q: re.compile(q + r"(?:[^" + q + r"\\\n]|\\.)*" + q) for q in "\"'"}
# After these tokens a "/" starts a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {""}
_NAME_BEFORE = re.compile(
    r"(?:(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=|([A-Za-z_$][\w$.\[\]'\"]*)\s*=(?!=)|(export\s+default)"
    r"|([A-Za-z_$][\w$]*|\"[^\"]*\"|'[^']*')\s*:)\s*$"
)


@dataclass
class Literal:
    """An object literal found in the text: where it is, what it is called, its own keys."""

    start: int
    end: int = -1  # index just after the closing brace
    line: int = 1
    name: str = ""
    keys: list[str] = field(default_factory=list)
    depth: int = 0

    def describe(self) -> str:
        """``net (line 3): keys neurons, connections``."""
        shown = ", ".join(self.keys[:6]) + (", ..." if len(self.keys) > 6 else "")
        what = f"`{self.name}`" if self.name else "an object literal"
        return f"{what} at line {self.line} with keys {shown or '(none)'}"

    @property
    def is_network(self) -> bool:
        """Whether its own keys include ``neurons`` and ``connections``."""
        return "neurons" in self.keys and "connections" in self.keys


def _name(text: str, start: int) -> str:
    match = _NAME_BEFORE.search(text[max(0, start - 200) : start])
    if not match:
        return ""
    if match.group(3):
        return "export default"
    return (match.group(1) or match.group(2) or match.group(4) or "").strip("'\"")


def _string_end(text: str, i: int) -> int:
    """Index just after the string literal starting at ``text[i]`` (a quote)."""
    quote, n = text[i], len(text)
    match = _STRINGS[quote].match(text, i)
    if match:
        return match.end()
    i += 1
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == quote or (ch == "\n" and quote != "`"):
            return i + 1
        i += 1
    return n


def scan(text: str, *, max_depth: int | None = None) -> list[Literal]:
    """Every object literal in ``text``, outermost first, with its own keys.

    A lexer just good enough to skip strings, template literals, comments and
    regular expressions; braces of blocks (``function () {...}``) count as
    object literals too, which is harmless: they rarely have ``key:`` pairs.
    Braces nested deeper than ``max_depth`` raise LimitError (1 MB of ``{`` took
    15 s and 300 MB before). Only literals with keys are named (the name is looked
    for in the text before them, which costs more than the rest of the scan).
    """
    literals = _scan(text, DEFAULT_LIMITS.max_depth if max_depth is None else max_depth)
    for literal in literals:
        if literal.keys:
            literal.name = _name(text, literal.start)
    return literals


def _scan(text: str, max_depth: int) -> list[Literal]:
    literals: list[Literal] = []
    stack: list[Literal | None] = []  # None: a "${" inside a template literal
    n, i, line = len(text), 0, 1
    last = ""  # the last significant token character, to tell regex from division
    expect_key = False
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
            continue
        boring = _BORING.match(text, i)
        if boring:
            run = boring.group()
            stripped = run.rstrip()
            if stripped:
                expect_key = False
                last = stripped[-1] if not stripped[-1].isdigit() else "a"
            i = boring.end()
            continue
        # Names first: the commonest token, and none of the checks below can start where a name starts.
        match = _IDENT.match(text, i) if ch in _IDENT_START else None
        if match:
            if expect_key and stack and stack[-1] is not None and _next_is_colon(text, match.end()):
                stack[-1].keys.append(match.group())
            expect_key = False
            last = "(" if match.group() in ("return", "typeof", "case", "in", "of") else "a"
            i = match.end()
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            i = end
            continue
        if ch in "\"'`":
            end = _string_end(text, i) if ch != "`" else _template_end(text, i, stack, max_depth)
            token = text[i + 1 : end - 1]
            line += text.count("\n", i, end)
            i = end
            if expect_key and stack and stack[-1] is not None and _next_is_colon(text, i):
                stack[-1].keys.append(token)
            expect_key = False
            last = "a"
            continue
        if ch == "/" and last in _REGEX_AFTER:
            i = _regex_end(text, i)
            last = "a"
            continue
        if ch == "{":
            if len(stack) >= max_depth:
                raise LimitError(
                    f"the JavaScript nests braces more than {max_depth} deep (line {line});"
                    " pass limits=synjson.Limits(max_depth=...) to raise it"
                )
            literal = Literal(start=i, line=line, depth=len(stack))
            literals.append(literal)
            stack.append(literal)
            expect_key = True
            last = "{"
            i += 1
            continue
        if ch == "}":
            if stack:
                top = stack.pop()
                if top is None:  # end of "${...}": back inside the template literal
                    end = _template_end(text, i, stack, max_depth, resume=True)
                    line += text.count("\n", i, end)
                    i = end
                    last = "a"
                    continue
                top.end = i + 1
            last = "}"
            expect_key = False
            i += 1
            continue
        if ch == ",":
            expect_key = bool(stack) and stack[-1] is not None
            last = ","
            i += 1
            continue
        expect_key = False
        last = ch if not ch.isdigit() else "a"
        i += 1
    return literals


def _next_is_colon(text: str, i: int) -> bool:
    match = _COLON.match(text, i)
    return bool(match) and not text.startswith("::", match.end() - 1)


def _template_end(text: str, i: int, stack: list[Literal | None], max_depth: int, resume: bool = False) -> int:
    """Index just after a template literal, or just after a ``${`` inside it (pushing a marker)."""
    n = len(text)
    i += 1
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            return i + 1
        if text.startswith("${", i):
            if len(stack) >= max_depth:
                raise LimitError(
                    f"the JavaScript nests braces and template literals more than {max_depth} deep;"
                    " pass limits=synjson.Limits(max_depth=...) to raise it"
                )
            stack.append(None)
            return i + 2
        i += 1
    return n


def _regex_end(text: str, i: int) -> int:
    n, i, in_class = len(text), i + 1, False
    while i < n and text[i] != "\n":
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == "/" and not in_class:
            return i + 1
        i += 1
    return i


def import_js(text: str | bytes, *, name: str | None = None, limits: Limits | None = None) -> dict[str, Any]:
    """The network literal in JavaScript source ``text``, parsed (never executed).

    ``name`` picks one literal by the variable or key it is assigned to when the
    file holds several. FormatError when there is no network literal, several,
    or one that is not a plain literal; the message lists what was found.
    ``limits`` bounds the text's size and nesting (``max_bytes``, ``max_depth``),
    as for ``synjson.loads``; exceeding one raises LimitError.
    """
    limits = DEFAULT_LIMITS if limits is None else limits
    if isinstance(text, (bytes, bytearray)):
        check_size(len(text), limits, "text is", "bytes")
        text = bytes(text).decode("utf-8-sig", errors="replace")
    elif not isinstance(text, str):
        raise FormatError(f"expected JavaScript text, got {type(text).__name__}")
    check_size(len(text), limits, "text has", "characters")
    literals = scan(text, max_depth=limits.max_depth)
    networks = [literal for literal in literals if literal.is_network and literal.end > 0]
    if name is not None:
        chosen = [literal for literal in networks if literal.name == name]
        if not chosen:
            listed = ", ".join(literal.describe() for literal in networks) or "none"
            raise FormatError(f"no network literal named `{name}`; network literals found: {listed}")
        networks = chosen
    if not networks:
        outer = [literal for literal in literals if literal.depth == 0 and literal.keys][:10]
        found = "; ".join(literal.describe() for literal in outer) or "no object literals with keys"
        raise FormatError(
            f"no network literal (an object with keys neurons and connections) in the JavaScript; found: {found}"
        )
    if len(networks) > 1:
        listed = "; ".join(literal.describe() for literal in networks)
        raise FormatError(
            f"{len(networks)} network literals in the JavaScript: {listed}; pass name= to pick one"
        )
    literal = networks[0]
    try:
        import json5
    except ImportError:  # pragma: no cover - depends on the environment
        raise FormatError("reading JavaScript literals needs the json5 package: pip install json5") from None
    source = text[literal.start : literal.end]
    check_depth(source, limits)  # json5 recurses once per level: refuse deep literals before parsing
    try:
        value = json.loads(source)  # most files hold plain JSON: the json module is far faster
    except ValueError:
        value = None
    try:
        value = json5.loads(source) if value is None else value
    except Exception as error:  # json5 raises ValueError, and RecursionError past the depth check
        raise FormatError(
            f"{literal.describe()} is not a plain literal (JSON or JSON5), so it cannot be read without running"
            f" the file: {str(error)[:200]}"
        ) from None
    if not isinstance(value, dict):  # pragma: no cover - a literal starting with "{" is an object
        raise FormatError(f"{literal.describe()} is not an object")
    return value
