"""The README's screenshots: scripts/screenshots.py makes them with the real command in Chromium,
and the README shows the committed copies."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.chromium]

ROOT = Path(__file__).resolve().parents[3]
NAMES = ("page.png", "report.png")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_script_makes_both_screenshots(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)
    page_width, page_height = png_size((tmp_path / "page.png").read_bytes())
    assert page_width == 760 and page_height > 560  # the whole page: run, summary, diagram
    report_width, report_height = png_size((tmp_path / "report.png").read_bytes())
    assert 600 < report_width <= 760 and 200 < report_height < 560  # the Training section


def test_the_readme_shows_the_committed_screenshots() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]+\]\((docs/img/[a-z]+\.png)\)", readme)
    assert shown == [f"docs/img/{name}" for name in NAMES]
    for path in shown:
        data = (ROOT / path).read_bytes()
        png_size(data)
        assert len(data) < 150 * 1024, f"{path} is {len(data)} bytes"
