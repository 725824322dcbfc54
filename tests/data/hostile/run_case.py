"""Run one hostile case in this (fresh) process and print one JSON line: outcome, message, seconds, peak memory.

    python tests/data/hostile/run_case.py FILE LOADER [--address-space BYTES]

``LOADER`` is as in generate.py. The clock starts before the file is read and stops after
``activate`` and ``dumps(net, state=True)`` of what loaded (``seconds`` on the wall clock,
``cpu`` the process's CPU time); ``peak`` is the peak resident
memory (bytes) of the whole process, the interpreter included. ``--address-space`` caps the process with
``RLIMIT_AS`` first, so a runaway allocation ends in MemoryError instead of swapping.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load(path: str, loader: str) -> object:
    import synjson
    from synjson.document import datafiles

    if loader == "read":
        return synjson.read(path)
    if loader == "read:synaptic":
        return synjson.read(path, duplicates="synaptic")
    if loader.startswith("read:select="):
        return synjson.read(path, select=loader.removeprefix("read:select="))
    if loader == "js":
        return synjson.from_json(synjson.import_js(Path(path).read_bytes()))
    if loader == "validate":  # what `synjson validate` does: collect every problem
        from synjson.format.synaptic import parse

        errors = synjson.validate(parse(Path(path).read_bytes()), all_errors=True)
        if errors:
            raise synjson.FormatError(f"{len(errors)} problems, the first: {errors[0]}")
        return None
    if loader == "rows":
        for row in datafiles.rows(path, "auto"):
            if row.is_csv:
                row.numbers(len(row.value), "input", "the model")
        return None
    raise SystemExit(f"unknown loader {loader!r}")


def main(argv: list[str]) -> int:
    path, loader = argv[0], argv[1]
    if len(argv) > 3 and argv[2] == "--address-space":
        limit = int(argv[3])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import synjson

    start, cpu = time.perf_counter(), time.process_time()
    outcome, message = "ok", ""
    try:
        net = load(path, loader)
        if net is not None:
            net.activate([0.5] * net.inputs())  # type: ignore[attr-defined]
            synjson.dumps(net, state=True)  # type: ignore[arg-type]
    except BaseException as error:  # the point: report any exception, ours or not
        outcome, message = type(error).__name__, str(error)[:2000]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"outcome": outcome, "message": message, "seconds": seconds, "cpu": cpu, "peak": peak()}))
    return 0


def peak() -> int:
    """Peak resident memory of this process in bytes.

    ``VmHWM`` where Linux has it: ``ru_maxrss`` survives ``exec``, so a child of a big
    process (pytest after a thousand tests) would report its parent's peak.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
