"""Shared test configuration: the deterministic hypothesis profile, and the ``engine`` marker.

``make test`` runs the whole suite on the native kernel, then only the tests marked ``engine``
again with ``SYNJSON_PURE=1`` (the pure-Python engine, as without a compiler and in Pyodide).
A test is marked ``engine`` when its outcome depends on which engine runs: it activates, trains
or saves through code that takes another path on each engine (the parity cases, the trainer,
the kernel, the model, ``dumps``). Fuzzing, hostile inputs, validation, pages and the CLI run the
same code on both engines and run once. ``ENGINE_TESTS`` marks whole folders and modules, less the
cases that name their engine (``NAMED_ENGINES``); mark a single test elsewhere with ``@pytest.mark.engine``.

The tests marked ``sanitized`` (``SANITIZED``: the kernel's own tests, the parity and structure cases, the
hostile small set) run on the kernel built with AddressSanitizer + UndefinedBehaviorSanitizer
(scripts/sanitize.sh) instead of on the everyday kernel: ``make test`` runs them there, in a process beside
the kernel pass, where gcc has the sanitizers' runtimes, and in the kernel pass where it has not
(scripts/test.sh). Every test runs at least once on the kernel either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci")

TESTS = Path(__file__).resolve().parent

#: Folders (ending in /), modules and module::test names, relative to tests/, marked ``engine``.
ENGINE_TESTS = (
    "unit/engine/",
    "unit/model/",
    "unit/train/",
    "unit/format/test_format.py",  # dumps writes the connections through the kernel when it is there
    "conformance/test_synaptic_parity.py",
    "conformance/test_trainer_parity.py",
    "conformance/test_architect_parity.py",
    "conformance/test_clear_parity.py",
    "conformance/test_custom_squash.py",  # the kernel calls back into Python for a custom squash
    "conformance/test_dialects.py",
    "conformance/test_structures.py",  # neurons outside the network, on the default engine
    "property/test_pickle_roundtrip.py",  # a copy continues exactly on the default engine
    "property/test_roundtrip.py",
    "property/test_node_agreement.py",
)


#: Values of an ``engine`` parameter that name the engine outright: such a case runs the same code
#: with or without SYNJSON_PURE, so the kernel pass has already proved it (only "native" and the
#: default engine change between the passes).
NAMED_ENGINES = ("reference", "python")

#: Tests about the kernel's own paths, modules or module::test names: they call the kernel directly, so
#: SYNJSON_PURE changes nothing in them (or leaves them nothing to run): the kernel pass only.
NATIVE_ONLY = (
    "unit/train/test_progress.py::test_the_kernel_runs_the_loop_under_a_bar",
    # _kernel.Program.activate_batch against itself over thread counts, and against named engines
    "unit/engine/test_batch.py::test_every_thread_count_gives_one_threads_numbers_and_the_pure_engines",
    "unit/engine/test_batch.py::test_the_split_rows_are_the_reference_row_by_row",
    "unit/engine/test_kernel_digits.py",  # _kernel.js_number and dump_connections against the pure writer
    "unit/engine/test_kernel_json.py",  # the kernel's writer against SYNJSON_PURE's, which it sets itself
    "unit/engine/test_kernel_train.py",  # _kernel.Program.train against Trainer(engine="reference")
    "unit/engine/test_leaks.py",  # tracemalloc over _kernel.Program's entry points, not through Network
)


#: Tests ``make test`` runs on the kernel built with the sanitizers (marker ``sanitized``; modules or
#: module::test names, as ENGINE_TESTS), less the cases that name a pure engine (no kernel code runs in them)
#: and NO_ENGINE.
SANITIZED = (
    "unit/engine/test_kernel.py",
    "unit/engine/test_kernel_train.py",
    "unit/engine/test_kernel_json.py",
    "unit/engine/test_kernel_train_arguments.py",
    "unit/engine/test_kernel_safety.py",
    "unit/engine/test_threads.py",
    "unit/engine/test_engine_common.py",
    "unit/train/test_guard_window.py",
    "unit/model/test_outside_neurons.py",
    "unit/document/test_hostile.py::test_small_case_raises_only_our_exceptions",
    "conformance/test_synaptic_parity.py",
    "conformance/test_trainer_parity.py",
    "conformance/test_custom_squash.py",
    "conformance/test_clear_parity.py",
    "conformance/test_structures.py",
)

#: In ENGINE_TESTS' and SANITIZED's modules, module::test names of tests that run no engine: they write Synaptic's
#: cases again with Node and compare them with the committed ones. The kernel pass only: neither SYNJSON_PURE nor
#: the sanitizers change anything in them (Node under the sanitizers' preload is only slower).
NO_ENGINE = (
    "conformance/test_synaptic_parity.py::test_cases_are_fresh",
    "conformance/test_structures.py::test_cases_are_fresh",
)

#: The longest modules (seconds of one core each, measured with --durations), run first, after the browser
#: modules (BROWSER, one unit, the longest of all): with pytest-xdist's --dist loadfile a long module handed
#: out last keeps one core busy while the other waits.
LONGEST_FIRST = (
    "unit/document/test_hostile.py",
    "unit/train/test_trainer.py",
    "unit/train/test_scale.py",
    "property/test_fuzz_loader.py",
    "property/test_hostile_inputs.py",
    "conformance/test_architect_parity.py",
)

#: The browser tests' folder: its modules share one worker, so one Chromium, one Playwright driver and one
#: profile, whose cache compiles Pyodide once, and pages a test leaves running for a later module
#: (chromium/conftest.py, ``kept_pages``: test_page_usability.py's for test_pages.py, in file-name order).
BROWSER = "conformance/chromium/"


_missing = [
    name
    for name in (*ENGINE_TESTS, *NATIVE_ONLY, *SANITIZED, *NO_ENGINE, *LONGEST_FIRST)
    if not (TESTS / name.split("::")[0]).exists()
]
assert not _missing, f"ENGINE_TESTS, NATIVE_ONLY or SANITIZED names what does not exist: {_missing}"

#: A marker expression that selects one list's tests alone: the modules that hold none are not even imported.
SELECTED_BY = {"engine": ENGINE_TESTS, "sanitized": SANITIZED}


def _listed(entries: tuple[str, ...], where: str, test: str) -> bool:
    """Whether a test (``module::name``, in module ``where``) is in a list of folders, modules and tests."""
    return any(test == entry if "::" in entry else where.startswith(entry) for entry in entries)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """--dist loadfile, but the browser modules as one unit (one worker); other modules one unit each."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    browser = (TESTS / BROWSER).relative_to(config.rootpath).as_posix() + "/"

    class ModulesAndOneBrowser(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return browser if nodeid.startswith(browser) else super()._split_scope(nodeid)

    return ModulesAndOneBrowser(config, log)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With ``-m engine`` or ``-m sanitized`` alone (the pure pass, the sanitizers' run), modules that hold
    none of those tests are not even imported: every xdist worker imports every module it collects, and some
    take seconds (scikit-learn, hypothesis)."""
    marker = config.getoption("markexpr")
    if marker not in SELECTED_BY or collection_path.suffix != ".py" or not collection_path.name.startswith("test_"):
        return None
    where = collection_path.resolve().relative_to(TESTS).as_posix()
    if any(where.startswith(entry.split("::")[0]) for entry in SELECTED_BY[marker]):
        return None
    return None if f"mark.{marker}" in collection_path.read_text(encoding="utf-8") else True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    places: dict[Path, str] = {}  # each module's path once: resolving 4 600 items' paths took a second a worker

    def place(item: pytest.Item) -> str:
        if item.path not in places:
            places[item.path] = item.path.resolve().relative_to(TESTS).as_posix()
        return places[item.path]

    def rank(item: pytest.Item) -> int:
        where = place(item)
        if where.startswith(BROWSER):
            return -1
        return LONGEST_FIRST.index(where) if where in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: each module's own order is kept
    for item in items:
        where = place(item)
        test = f"{where}::{item.name.split('[')[0]}"
        callspec = getattr(item, "callspec", None)
        named = callspec.params.get("engine") if callspec is not None else None
        once = _listed(NATIVE_ONLY, where, test) or test in NO_ENGINE
        if _listed(ENGINE_TESTS, where, test) and named not in NAMED_ENGINES and not once:
            item.add_marker(pytest.mark.engine)
        if named in NAMED_ENGINES:
            item.add_marker(pytest.mark.named_engine)
        elif _listed(SANITIZED, where, test) and test not in NO_ENGINE:
            item.add_marker(pytest.mark.sanitized)
