"""Nothing lost: atomic_write, save and export replace the target only with a complete file.

Failures are injected at every step (the write itself, part-way through; fsync;
os.replace), as OSError and as KeyboardInterrupt. Each time the old file must be
intact, no temporary file may be left in the folder, no file descriptor may
leak, and the error must reach the caller unchanged.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any, Self

import pytest

import synjson
from synjson import Layer, Network, SynjsonError
from synjson.document.atomic import atomic_write

OLD = b'{"old": "file, which must survive"}'
NEW = "x" * 100_000  # large enough that a partial write is visibly partial


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def small_network() -> Network:
    import random

    rng = random.Random(3)
    inputs, output = Layer(2, rng=rng), Layer(1, rng=rng)
    inputs.project(output)
    return Network(inputs, [], output)


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "model.json"
    path.write_bytes(OLD)
    return path


def assert_untouched(target: Path) -> None:
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary file left


class FailingFile:
    """Wraps the temporary file: writes half of the first chunk, then raises."""

    def __init__(self, handle: Any, error: BaseException) -> None:
        self.handle, self.error = handle, error

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise self.error

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def inject(monkeypatch: pytest.MonkeyPatch, where: str, error: BaseException) -> None:
    """Make step ``where`` of a write fail with ``error``."""
    if where == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: FailingFile(real_fdopen(*a, **k), error))
    else:

        def fail(*args: object, **kwargs: object) -> None:
            raise error

        monkeypatch.setattr(os, where, fail)


FAILURES = [
    pytest.param("write", OSError(errno.ENOSPC, "No space left on device"), id="disk-full-mid-write"),
    pytest.param("write", KeyboardInterrupt(), id="ctrl-c-mid-write"),
    pytest.param("fsync", OSError(errno.EIO, "Input/output error"), id="fsync-fails"),
    pytest.param("fsync", KeyboardInterrupt(), id="ctrl-c-at-fsync"),
    pytest.param("replace", OSError(errno.EACCES, "Permission denied"), id="replace-fails"),
    pytest.param("replace", KeyboardInterrupt(), id="ctrl-c-at-replace"),
]


@pytest.mark.parametrize(("where", "error"), FAILURES)
def test_atomic_write_keeps_the_old_file_when_a_step_fails(
    target: Path, monkeypatch: pytest.MonkeyPatch, where: str, error: BaseException
) -> None:
    before = open_descriptors()
    inject(monkeypatch, where, error)
    with pytest.raises(type(error)) as raised:
        atomic_write(target, NEW)
    monkeypatch.undo()
    assert raised.value is error
    assert_untouched(target)
    assert open_descriptors() == before


@pytest.mark.parametrize(("where", "error"), FAILURES)
def test_save_keeps_the_old_file_when_a_step_fails(
    target: Path, monkeypatch: pytest.MonkeyPatch, where: str, error: BaseException
) -> None:
    net = small_network()
    inject(monkeypatch, where, error)
    with pytest.raises(type(error)):
        synjson.save(net, target)
    monkeypatch.undo()
    assert_untouched(target)


def test_save_writes_nothing_when_the_network_cannot_be_written(target: Path) -> None:
    net = small_network()
    net.output_layer.neurons[0].bias = float("nan")
    with pytest.raises(SynjsonError, match="JSON has no NaN or Infinity"):
        synjson.save(net, target)
    assert_untouched(target)


def test_the_temporary_file_is_complete_and_in_the_same_folder(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []
    real_replace = os.replace

    def spy(source: str, destination: str | os.PathLike[str]) -> None:
        seen.append((Path(source), Path(destination), Path(source).read_text("utf-8")))
        assert target.read_bytes() == OLD  # the target is untouched until the replace
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", spy)
    atomic_write(target, NEW)
    [(source, destination, content)] = seen
    assert source.parent == destination.parent == target.parent
    assert source.name.startswith(".model.json.") and source.name.endswith(".tmp")
    assert content == NEW
    assert target.read_text("utf-8") == NEW
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_the_data_is_flushed_to_disk_before_the_replace(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    atomic_write(target, NEW)
    assert calls == ["fsync", "replace", "fsync"]  # the file, then the directory entry


def test_save_then_read_gives_the_same_text(tmp_path: Path) -> None:
    net = small_network()
    path = synjson.save(net, tmp_path / "net.json")
    assert path.read_text("utf-8") == synjson.dumps(net)
    assert synjson.dumps(synjson.read(path)) == synjson.dumps(net)


def test_new_files_get_the_usual_permissions_and_replacements_keep_theirs(tmp_path):
    import os
    import stat

    from synjson.document.atomic import atomic_write

    umask = os.umask(0o022)
    try:
        fresh = atomic_write(tmp_path / "page.html", "<p>hi</p>")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        os.chmod(fresh, 0o640)
        atomic_write(fresh, "<p>again</p>")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    finally:
        os.umask(umask)


def test_atomic_write_into_a_missing_folder_raises_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic_write(tmp_path / "missing" / "model.json", NEW)
    assert list(tmp_path.iterdir()) == []


# -- export writes pages the same way ---------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "error"),
    [
        pytest.param("replace", OSError(errno.EACCES, "Permission denied"), id="replace-fails"),
        pytest.param("replace", KeyboardInterrupt(), id="ctrl-c-at-replace"),
        pytest.param("fchmod", OSError(errno.EPERM, "Operation not permitted"), id="chmod-fails"),
    ],
)
def test_export_keeps_the_old_page_when_a_step_fails(
    target: Path, monkeypatch: pytest.MonkeyPatch, where: str, error: BaseException
) -> None:
    from synjson.exporters.pages import export

    net = small_network()
    inject(monkeypatch, where, error)
    with pytest.raises(type(error)):
        export(net, target, "html")
    monkeypatch.undo()
    assert_untouched(target)


def test_export_keeps_the_old_page_when_the_write_fails_mid_way(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synjson.exporters.pages import export

    inject(monkeypatch, "write", OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(OSError, match="No space left"):
        export(small_network(), target, "html")
    monkeypatch.undo()
    assert_untouched(target)
