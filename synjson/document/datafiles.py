"""Rows of numbers from data files (CSV, JSON lines or one JSON array), for the command line.

Every problem is a :class:`DataFileError` that names the file, line and
column, as ``data.csv: line 6, column 2: not a number: 'x'``.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import FormatError, SynjsonError
from .limits import DEFAULT_LIMITS, check_depth

__all__ = [
    "DataFileError", "Row", "rows", "read_bytes", "read_text", "display_name", "count", "kind", "number",
]

# One way to match each number (digits, then a dot and digits): "\d+\.?\d*" tried every split of a long run of
# digits before it failed, a minute for a first-row cell of 40 000 digits and a letter.
NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|infinity|nan)", re.IGNORECASE)


class DataFileError(SynjsonError, ValueError):
    """A data or input file cannot be used; the message says where and why."""


def _json(text: str, where: str) -> Any:
    """``json.loads``, with every failure a DataFileError: nesting (checked first), long integers, syntax."""
    try:
        check_depth(text, DEFAULT_LIMITS)
        return json.loads(text)
    except FormatError as error:
        raise DataFileError(f"{where}: {error}") from None
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as error:  # an integer over 4300 digits; nesting on a str path
        raise DataFileError(f"{where}: not usable JSON: {str(error)[:100]}") from None


def display_name(path: str) -> str:
    """How messages name ``path`` (``-`` is stdin)."""
    return "<stdin>" if path == "-" else path


def read_bytes(path: str) -> bytes:
    """The bytes of ``path``, or of stdin for ``-``."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise DataFileError(f"{path}: {error.strerror or error}") from None


def read_text(path: str) -> str:
    """The UTF-8 text of ``path``, or of stdin for ``-``."""
    try:
        return read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        where = display_name(path)
        raise DataFileError(f"{where}: not UTF-8 text: invalid byte at offset {error.start}") from None




def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def kind(value: Any) -> str:
    if value is None:
        return "null"
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    return kinds.get(type(value), "a number")


def number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(f"{where}: not a number: {text.strip()!r}") from None
    if not math.isfinite(value):
        raise DataFileError(f"{where}: not a finite number: {text.strip()!r}")
    return value


def detect(text: str) -> str:
    """``json`` for one JSON document, ``jsonl`` for JSON lines (one object on one line is a JSON
    lines file of one row), else ``csv``."""
    if text.lstrip()[:1] not in ("[", "{"):
        return "csv"
    try:
        document = _json(text, "")
    except json.JSONDecodeError:
        return "jsonl"
    except DataFileError:
        return "json"  # valid JSON (or hostile): reading it again reports the problem
    return "jsonl" if isinstance(document, dict) and len(text.strip().splitlines()) == 1 else "json"


class Row:
    """One row of a data file: CSV cells or a parsed JSON value, and where it is."""

    def __init__(
        self, where: str, value: Any, is_csv: bool, joiner: str = ": ", header: list[str] | None = None
    ) -> None:
        self.where, self.value, self.is_csv, self._joiner = where, value, is_csv, joiner
        #: The CSV file's header cells (its first row, when it holds no number), else None.
        self.header = header

    def numbers(self, size: int, field: str, model: str, start: int = 0) -> list[float]:
        """Columns ``start..start + size`` of a CSV row, or a JSON row's array or ``field``, as floats."""
        if self.is_csv:
            cells = enumerate(self.value[start:start + size], start + 1)
            return [number(cell, f"{self.where}, column {column}") for column, cell in cells]
        value, where = self.value, self.where
        if isinstance(value, dict):
            if field not in value:
                raise DataFileError(f"{where}: missing {json.dumps(field)}")
            value, where = value[field], f"{where}{self._joiner}{field}"
        if not isinstance(value, list):
            raise DataFileError(f"{where}: expected an array of numbers, got {kind(value)}")
        if len(value) != size:
            raise DataFileError(f"{where}: {model} takes {count(size, field)}, got {len(value)}")
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (int, float)) or not math.isfinite(item):
                raise DataFileError(f"{where}[{index}]: not a finite number: {json.dumps(item)[:40]}")
        return [float(item) for item in value]


def rows(path: str, format: str) -> Iterator[Row]:
    """The rows of a data file (``-`` is stdin): CSV, JSON lines, or one JSON array of rows.

    Blank lines are skipped, and so is a CSV header (a first row without a
    number in it), which every row then carries as ``Row.header``. Stdin
    with an explicit ``csv`` or ``jsonl`` format is read line by line, so
    rows are answered as they arrive.
    """
    name = display_name(path)
    lines: Iterable[str]
    if path == "-" and format in ("csv", "jsonl"):
        lines = sys.stdin
    else:
        text = read_text(path)
        format = detect(text) if format == "auto" else format
        if format == "json":
            yield from _json_rows(text, name)
            return
        lines = text.splitlines(keepends=True)
    if format == "jsonl":
        for line_number, line in enumerate(lines, 1):
            if line.strip():
                try:
                    value = _json(line.rstrip("\r\n"), f"{name}: line {line_number}")
                except json.JSONDecodeError as error:
                    where = f"{name}: line {line_number}"
                    raise DataFileError(f"{where}: not JSON: {error.msg} (column {error.colno})") from None
                yield Row(f"{name}: line {line_number}", value, False)
        return
    import csv  # here: a model's load (a cold `synjson activate`) reads no data file

    reader = csv.reader(lines)
    first = True
    header = None
    for cells in _csv_rows(reader, name):
        if not any(cell.strip() for cell in cells):
            continue
        if first:
            first = False
            if not any(NUMBER.fullmatch(cell.strip()) for cell in cells):
                header = [cell.strip() for cell in cells]  # names the columns: kept, not a row
                continue
        yield Row(f"{name}: line {reader.line_num}", cells, True, header=header)


def _csv_rows(reader: Any, name: str) -> Iterator[list[str]]:
    """The reader's rows; a CSV error (a cell over 128 KB, a NUL byte) becomes a DataFileError."""
    import csv

    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise DataFileError(f"{name}: line {reader.line_num}: not CSV: {error}") from None
        yield cells


def _json_rows(text: str, name: str) -> Iterator[Row]:
    try:
        document = _json(text, name)
    except json.JSONDecodeError as error:
        place = f"line {error.lineno}, column {error.colno}"
        raise DataFileError(f"{name}: not JSON: {error.msg} ({place})") from None
    if isinstance(document, list) and document and not isinstance(document[0], (list, dict)):
        document = [document]  # a single row
    if not isinstance(document, list):
        raise DataFileError(f"{name}: expected an array of rows, got {kind(document)}")
    for index, value in enumerate(document):
        yield Row(f"{name}: [{index}]", value, False, joiner=".")
