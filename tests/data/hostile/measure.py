"""Print the corpus's measured figures as a Markdown table (for docs/security.md).

    python tests/data/hostile/measure.py [--scale 1.0]

Writes the corpus to a temporary folder and runs each case in a fresh process, as the test does.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
from synjson.document.limits import MEMORY_FLOOR, MEMORY_PER_BYTE, SECONDS_FLOOR, SECONDS_PER_MB  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    print("| case | size | outcome | CPU (wall) / budget | peak / budget |")
    print("|---|---:|---|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for path in generate.write(Path(folder), args.scale):
            loader = generate.CASES[path.name][1]
            done = subprocess.run([sys.executable, str(HERE / "run_case.py"), str(path), loader],
                                  capture_output=True, text=True, check=True)
            result = json.loads(done.stdout.splitlines()[-1])
            size = path.stat().st_size
            memory = max(MEMORY_FLOOR, MEMORY_PER_BYTE * size)
            seconds = SECONDS_FLOOR + SECONDS_PER_MB * size / 1e6
            print(f"| {path.name} | {size / 1e6:.2f} MB | {result['outcome']} "
                  f"| {result['cpu']:.2f} s ({result['seconds']:.2f} s) / {seconds:.1f} s | {result['peak'] / 1e6:.0f} MB / {memory / 1e6:.0f} MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
