"""Ask the real Synaptic.js 1.1.4 (``node tests/conformance/node/oracle.js``) what a network does.

``run_oracle(request)`` sends one JSON request to the Node oracle and returns its answer;
the request format is documented at the top of ``node/oracle.js``. Node.js and the npm
packages pinned in ``package-lock.json`` are required: when either is missing this raises
:class:`OracleUnavailable`, so a test that needs the oracle fails (never skips) and says
to run ``npm ci``.

The oracle scripts (``SERVED``) answer from one long-lived ``node node/serve.js`` per test process, which
loads each request's script and packages afresh as a new process would (``SYNJSON_ORACLE_SERVER=0``: a new
``node`` process for every request instead).

``SYNJSON_ORACLE_CACHE`` (a folder; ``make test`` sets it, empty at its start) keeps each answer of a
script run on stdin alone, keyed by the script, its stdin, every file of ``node/``, what ``node_modules``
holds (``.package-lock.json``) and the node binary: the pure pass, ``make sanitize`` and the
engine-parametrized cases ask Synaptic.js the same questions as the kernel pass, and get the same answers
without starting Node again.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

__all__ = [
    "REPO_ROOT",
    "NODE_DIR",
    "CASES_DIR",
    "OracleError",
    "OracleUnavailable",
    "node_executable",
    "run_node",
    "run_oracle",
]

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
NODE_DIR = HERE / "node"
CASES_DIR = HERE / "cases"
ORACLE = NODE_DIR / "oracle.js"
SYNAPTIC_PACKAGE = REPO_ROOT / "node_modules" / "synaptic" / "package.json"
SERVER = NODE_DIR / "serve.js"
#: The scripts serve.js answers for (each exports ``answer`` through common.js's ``entry``).
SERVED = frozenset({"oracle.js", "trainer_oracle.js", "bridges_oracle.js", "brainjs2_oracle.js"})

_HOW_TO_FIX = f"run `npm ci` in {REPO_ROOT} (Node.js 20 with the packages pinned in package-lock.json)"


class OracleError(RuntimeError):
    """The oracle ran but refused the request or crashed."""


class OracleUnavailable(OracleError):
    """Node.js or the synaptic npm package is missing."""


def node_executable() -> str:
    """Path of ``node`` (``$SYNJSON_NODE`` overrides); OracleUnavailable when there is none."""
    node = os.environ.get("SYNJSON_NODE") or shutil.which("node")
    if not node or not Path(node).exists():
        raise OracleUnavailable(f"Node.js not found (looked for `node` on PATH): {_HOW_TO_FIX}")
    if not SYNAPTIC_PACKAGE.is_file():
        raise OracleUnavailable(f"synaptic is not installed ({SYNAPTIC_PACKAGE} is missing): {_HOW_TO_FIX}")
    version = json.loads(SYNAPTIC_PACKAGE.read_text(encoding="utf-8")).get("version")
    if version != "1.1.4":
        raise OracleUnavailable(f"node_modules has synaptic {version}, the oracle needs 1.1.4: {_HOW_TO_FIX}")
    return node


@functools.cache
def _fingerprint(node: str) -> bytes:
    """What an answer depends on besides the request: the oracle scripts, the pinned packages, the node binary."""
    digest = hashlib.sha256()
    binary = Path(node).resolve()
    digest.update(f"{binary}:{binary.stat().st_size}:{binary.stat().st_mtime_ns}".encode())
    # npm's record of what node_modules holds (make sanitize's copy of the checkout links node_modules and has
    # no package-lock.json of its own)
    installed = REPO_ROOT / "node_modules" / ".package-lock.json"
    for path in [*sorted(NODE_DIR.glob("*.*js")), installed, SYNAPTIC_PACKAGE]:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"(none)"))
    return digest.digest()


def _cached_answer(node: str, script: Path, stdin: str) -> Path | None:
    """Where the answer to ``stdin`` from ``script`` is kept (SYNJSON_ORACLE_CACHE), or None without a cache."""
    folder = os.environ.get("SYNJSON_ORACLE_CACHE")
    if not folder:
        return None
    key = hashlib.sha256(_fingerprint(node) + script.name.encode() + b"\0" + stdin.encode()).hexdigest()
    return Path(folder) / f"{key}.out"


def _node_environment() -> dict[str, str]:
    # make sanitize preloads ASan for the kernel: Node has no use for it, and runs a third slower under it
    return {name: value for name, value in os.environ.items() if name != "LD_PRELOAD"}


class _Server:
    """One ``node serve.js`` for this process: a request a line in, a reply a line out."""

    def __init__(self, node: str) -> None:
        self.pid = os.getpid()
        # a file, not a pipe: a chatty package never blocks it; closed with the server
        self.errors: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen(
            [node, str(SERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            cwd=REPO_ROOT,
            env=_node_environment(),
            text=True,
            encoding="utf-8",
        )

    def ask(self, script: Path, stdin: str, timeout: float) -> tuple[int, str, str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(json.dumps({"script": script.name, "stdin": stdin}) + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # it has exited: the empty reply below says so
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            self.close()
            raise OracleError(f"{script.name} gave no answer within {timeout:g} s")
        line = self.process.stdout.readline()
        if not line:
            self.close()
            self.errors.seek(0)
            message = self.errors.read().decode(errors="replace").strip() or "(no message)"
            raise OracleError(f"serve.js exited with status {self.process.returncode} on {script.name}: {message}")
        reply = json.loads(line)
        return reply["status"], reply["stdout"], reply.get("stderr") or ""

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self.errors.close()


_server: _Server | None = None
_server_lock = threading.Lock()


def _served(node: str, script: Path, stdin: str, timeout: float) -> tuple[int, str, str]:
    """``script``'s answer to ``stdin`` from this process's server, started (again) when there is none."""
    global _server
    with _server_lock:
        if _server is None or _server.pid != os.getpid() or _server.process.poll() is not None:
            _server = _Server(node)  # a forked child starts its own: the pipes are its parent's
            atexit.register(_server.close)
        return _server.ask(script, stdin, timeout)


def run_node(script: Path, args: list[str] | None = None, stdin: str = "", timeout: float = 120) -> str:
    """Run a Node script from the repository root and return its stdout; OracleError on failure.

    A script run on stdin alone answers from SYNJSON_ORACLE_CACHE when it has answered the same before;
    an oracle script (``SERVED``) answers from this process's serve.js unless SYNJSON_ORACLE_SERVER=0."""
    node = node_executable()
    kept = None if args else _cached_answer(node, script, stdin)
    if kept is not None and kept.exists():
        return kept.read_text(encoding="utf-8")
    if not args and script.name in SERVED and os.environ.get("SYNJSON_ORACLE_SERVER") != "0":
        status, stdout, stderr = _served(node, script, stdin, timeout)
    else:
        completed = subprocess.run(
            [node, str(script), *(args or [])],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            timeout=timeout,
            check=False,
            env=_node_environment(),
        )
        status, stdout, stderr = completed.returncode, completed.stdout, completed.stderr
    if status != 0:
        message = stderr.strip() or "(no message)"
        raise OracleError(f"{script.name} exited with status {status}: {message}")
    if kept is not None:  # written whole, then renamed: another worker never reads half an answer
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}")
        partial.write_text(stdout, encoding="utf-8")
        partial.replace(kept)
    return stdout


def run_oracle(request: dict[str, Any]) -> dict[str, Any]:
    """Send ``request`` to ``node/oracle.js`` and return the decoded answer.

    >>> run_oracle({"build": {"kind": "Perceptron", "args": [2, 3, 1]}})["network"]["neurons"][0]["layer"]
    'input'
    """
    # JavaScript's JSON.parse rejects NaN and Infinity: refuse them here with a clear message.
    try:
        text = json.dumps(request, allow_nan=False)
    except ValueError as error:
        raise OracleError(f"the request holds a NaN or infinity, which JSON cannot carry: {error}") from None
    # Python's json reads the bare NaN/Infinity tokens the oracle writes for non-finite numbers.
    return json.loads(run_node(ORACLE, stdin=text))
