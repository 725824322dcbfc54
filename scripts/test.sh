#!/usr/bin/env bash
# make test: the whole suite, every test at least once on the kernel (tests/conftest.py has the markers).
#   1. every test but those marked `sanitized`, on the everyday kernel;
#   2. the tests marked `engine` again on the pure-Python engine (SYNJSON_PURE=1, as without a compiler and in
#      Pyodide): every engine must give the same numbers;
#   3. the tests marked `sanitized`, and the kernel fuzzer's corpus, on the kernel built with AddressSanitizer +
#      UndefinedBehaviorSanitizer (scripts/sanitize.sh), in a temporary copy of the checkout (removed at the end),
#      or in SANITIZE_COPY if set (kept, and its build reused while the files are the same); built, then run in
#      one process.
# The three run at once: the suite is CPU-bound, and a pass that waited for the one before would leave a core
# idle at each one's end (its last module on one worker). 1 shows its output as it goes; 2 runs at the lowest
# priority (nice 19), so that it takes what 1 leaves idle and the rest once 1 is done, and 3 at 1's priority;
# their reports follow 1's. Where the compiler has no sanitizer runtimes, 3 is left out and the `sanitized`
# tests run in 1.
# One worker per core (pytest-xdist), a test file per worker so that module fixtures (a browser page, a Node
# run) are made once. Extra options go to every pytest run (e.g. -x); for some tests alone, run pytest
# (tests/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

pytest=(.venv/bin/python -m pytest -q -n auto --dist loadfile --durations=10 "$@")
sanitized=1
if ! reason="$(bash scripts/sanitize.sh --available 2>&1)"; then
    echo "test: ${reason#sanitize: }: the sanitized tests run on the everyday kernel" >&2
    sanitized=0
fi

logs="$(mktemp -d "${TMPDIR:-/tmp}/synjson-test.XXXXXX")"
cleanup=("$logs")
pure=""
jobs=()  # sessions of their own (setsid): stopping make test stops their pytest too (kill -- -group)
trap 'kill "$pure" 2>/dev/null || true; for job in "${jobs[@]}"; do kill -- "-$job" 2>/dev/null || true; done
      rm -rf "${cleanup[@]}"' EXIT

# Not a session of its own: Linux shares the CPU between sessions (autogroups) first, and nice only orders the
# processes of one session.
SYNJSON_PURE=1 nice -n 19 "${pytest[@]}" -m engine -p no:cacheprovider >"$logs/pure.log" 2>&1 &
pure=$!
if [ "$sanitized" = 1 ]; then
    # Outside the checkout: tools that walk it (the build test's copy, linters) must not meet a half-built copy.
    if [ -z "${SANITIZE_COPY:-}" ]; then
        SANITIZE_COPY="$(mktemp -d "${TMPDIR:-/tmp}/synjson-sanitize.XXXXXX")"
        cleanup+=("$SANITIZE_COPY")
    fi
    export SANITIZE_COPY
    setsid bash -c 'SANITIZE_BUILD_ONLY=1 bash scripts/sanitize.sh && SANITIZE_WORKERS=0 bash scripts/sanitize.sh "$@"' \
        sanitize "$@" >"$logs/sanitize.log" 2>&1 &
    jobs+=("$!")
    "${pytest[@]}" -m "not sanitized"
else
    "${pytest[@]}"
fi

failed=0
echo "== the engine-dependent tests again on the pure-Python engine (SYNJSON_PURE=1)"
wait "$pure" || failed=1
cat "$logs/pure.log"
if [ "$sanitized" = 1 ]; then
    echo "== the kernel's own tests on the kernel built with ASan + UBSan (scripts/sanitize.sh)"
    if wait "${jobs[0]}"; then
        grep -E "^[0-9]+ passed|^fuzz_kernel:|^sanitize: clean" "$logs/sanitize.log" || cat "$logs/sanitize.log"
    else
        tail -60 "$logs/sanitize.log"
        failed=1
    fi
fi
exit "$failed"
