"""The README's screenshots, made by the real thing: the ``synjson`` command trains XOR from a
CSV with a header (names for the inputs and the output), writes a training report
(``--report``) and exports the model's page; Debian's Chromium opens both, offline, and saves
one PNG of each.

    .venv/bin/python scripts/screenshots.py              # writes docs/img/page.png, docs/img/report.png
    .venv/bin/python scripts/screenshots.py --out DIR

Needs /usr/bin/chromium and Playwright (scripts/setup.sh installs both). The pages make no
network request: anything but a file: URL is refused, and the script fails if one was tried.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from synjson.exporters.check import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
XOR_CSV = "a,b,a xor b\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"
VIEWPORT = {"width": 760, "height": 560}


def synjson(*argv: str, cwd: Path) -> None:
    """One run of the installed command (the console script beside this Python)."""
    command = [str(Path(sys.executable).parent / "synjson"), *argv]
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True, timeout=300)


def make_files(folder: Path) -> tuple[Path, Path]:
    (folder / "xor.csv").write_text(XOR_CSV, encoding="utf-8")
    synjson(
        "train", "--perceptron", "2", "3", "1", "-d", "xor.csv", "--seed", "3", "--error", "0.005",
        "--name", "XOR", "-o", "xor.json", "--report", "report.html", cwd=folder,
    )
    synjson("export", "xor.json", "-o", "xor.html", cwd=folder)
    return folder / "xor.html", folder / "report.html"


def shoot(page_file: Path, report_file: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    refused: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
        context.route(lambda url: not url.startswith("file:"), lambda route: (refused.append(route.request.url),
                                                                              route.abort()))
        page = context.new_page()
        page.goto(page_file.as_uri())
        page.evaluate("async () => { await window.synjson.ready; }")
        page.fill("#input-0", "1")  # a = 1, b = 0: the output bar near 1
        page.wait_for_function("() => document.getElementById('output-0').dataset.value > 0.9")
        shots = [out / "page.png", out / "report.png"]
        page.screenshot(path=str(shots[0]), full_page=True)
        page.goto(report_file.as_uri())
        page.wait_for_load_state("load")
        page.locator("#training").screenshot(path=str(shots[1]))  # the figures and the error curve
        browser.close()
    if refused:
        raise SystemExit(f"a page tried to reach the network: {refused}")
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder for the PNGs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="synjson-shots-") as scratch:
        for shot in shoot(*make_files(Path(scratch)), args.out):
            print(f"{shot} ({shot.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
