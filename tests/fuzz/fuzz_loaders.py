"""Coverage-guided fuzzing of every loader at once (atheris), seeded from the hostile corpus.

The first byte of an input picks the loader, the rest is its file:

0. ``synjson.loads`` (Synaptic JSON, both dialects, checkpoints)
1. ``synjson.loads(duplicates="synaptic", allow_nan=True)``
2. ``synjson.import_js`` then ``from_json``
3. ``synjson.loads(select=...)``: the select path is the text's first line
4. data rows (``synjson.document.datafiles.rows``, format detected) read as numbers

The property: a loader returns (and what it returned activates and writes a lossless checkpoint)
or raises FormatError (LimitError included) or, for data rows, DataFileError; nothing else.
libFuzzer's ``-timeout`` and ``-rss_limit_mb`` hold each input to the budget's ceiling.

    .venv/bin/pip install atheris
    .venv/bin/python tests/fuzz/fuzz_loaders.py -runs=1000000 -timeout=10 -rss_limit_mb=1024 -print_final_stats=1

``--replay DIR...`` runs a corpus through the loaders once (under ``coverage run`` for a report).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import synjson  # noqa: E402  (after the sys.path line: runnable as a script)
from synjson import FormatError  # noqa: E402
from synjson.document import datafiles  # noqa: E402

LOADERS = 5
_ROWS = Path(tempfile.mkdtemp(prefix="synjson-fuzz-rows-")) / "rows"


def one_input(data: bytes) -> None:
    """Run the loader the first byte picks on the rest; only our exceptions may escape."""
    if not data:
        return
    loader, body = data[0] % LOADERS, data[1:]
    try:
        if loader == 0:
            net = synjson.loads(body)
        elif loader == 1:
            net = synjson.loads(body, duplicates="synaptic", allow_nan=True)
        elif loader == 2:
            net = synjson.from_json(synjson.import_js(body), size=len(body))
        elif loader == 3:
            path, _, text = body.partition(b"\n")
            net = synjson.loads(text, select=path.decode("utf-8", "replace"))
        else:
            _ROWS.write_bytes(body)
            for row in datafiles.rows(str(_ROWS), "auto"):
                row.numbers(2, "input", "the model")
            return
    except (FormatError, datafiles.DataFileError):
        return
    net.activate([0.5] * net.inputs())
    synjson.dumps(net, state=True, allow_nan=True)


def seeds(folder: Path) -> None:
    """The committed hostile set and the valid models, each once per loader that reads its kind."""
    hostile = ROOT / "tests" / "data" / "hostile" / "small"
    files = sorted(hostile.iterdir()) + sorted((ROOT / "tests" / "data").glob("*/*.json"))
    for index, path in enumerate(files):
        body = path.read_bytes()
        kinds = {".js": [2], ".csv": [4], ".jsonl": [4]}.get(path.suffix, [0, 1, 3, 4])
        for kind in kinds:
            prefix = b"\n" if kind == 3 else b""
            (folder / f"seed-{index}-{kind}").write_bytes(bytes([kind]) + prefix + body)


def replay(folders: list[str]) -> int:
    """Run every file in ``folders`` (a campaign's corpus) through :func:`one_input`; for coverage reports."""
    count = 0
    for folder in folders:
        for path in sorted(Path(folder).iterdir()):
            one_input(path.read_bytes())
            count += 1
    return count


def main() -> None:
    if sys.argv[1:2] == ["--replay"]:
        print(f"{replay(sys.argv[2:])} inputs, no failure")
        return
    import atheris

    atheris.instrument_all()
    corpus = Path(tempfile.mkdtemp(prefix="synjson-fuzz-loaders-"))
    seeds(corpus)
    dictionary = Path(__file__).with_name("json.dict")
    atheris.Setup([sys.argv[0], *sys.argv[1:], f"-dict={dictionary}", str(corpus)], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
