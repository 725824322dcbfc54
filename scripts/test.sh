#!/usr/bin/env bash
# make test: the whole suite, every test at least once on the kernel (tests/conftest.py has the markers).
#   1. every test but those marked `sanitized`, on the everyday kernel;
#   2. the tests marked `engine` again on the pure-Python engine (SYNJSON_PURE=1, as without a compiler and in
#      Pyodide): every engine must give the same numbers;
#   3. the tests marked `sanitized`, and the kernel fuzzer's corpus, on the kernel built with AddressSanitizer +
#      UndefinedBehaviorSanitizer (scripts/sanitize.sh), in a temporary copy of the checkout (removed at the end),
#      or in SANITIZE_COPY if set (kept, and its build reused while the files are the same). 3 builds and then
#      runs in one process beside 1 (one more process where both cores are busy anyway: the machine never waits
#      for the end of one pass to start the next); its report is shown after 2.
# Where the compiler has no sanitizer runtimes, 3 is left out and the `sanitized` tests run in 1.
# One worker per core (pytest-xdist), a test file per worker so that module fixtures (a browser page, a Node
# run) are made once. Extra options go to every pytest run (e.g. -x); for some tests alone, run pytest
# (tests/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

pytest=(.venv/bin/python -m pytest -q -n auto --dist loadfile --durations=10 "$@")
kernel_pass=()  # every test, or all but the sanitized ones where the sanitizers run them
cleanup=()
sanitized=""
if reason="$(bash scripts/sanitize.sh --available 2>&1)"; then
    kernel_pass=(-m "not sanitized")
    # Outside the checkout: tools that walk it (the build test's copy, linters) must not meet a half-built copy.
    if [ -z "${SANITIZE_COPY:-}" ]; then
        SANITIZE_COPY="$(mktemp -d "${TMPDIR:-/tmp}/synjson-sanitize.XXXXXX")"
        cleanup=("$SANITIZE_COPY")
    fi
    export SANITIZE_COPY
    log="$SANITIZE_COPY.log"
    cleanup+=("$log")
    # A session of its own (setsid), so that stopping make test stops its pytest too (kill -- -group).
    setsid bash -c 'SANITIZE_BUILD_ONLY=1 bash scripts/sanitize.sh && SANITIZE_WORKERS=0 bash scripts/sanitize.sh "$@"' \
        sanitize "$@" >"$log" 2>&1 &
    sanitized=$!
    trap 'kill -- "-$sanitized" 2>/dev/null || true; rm -rf "${cleanup[@]}"' EXIT
else
    echo "test: ${reason#sanitize: }: the sanitized tests run on the everyday kernel" >&2
fi
"${pytest[@]}" "${kernel_pass[@]}"
SYNJSON_PURE=1 "${pytest[@]}" -m engine -p no:cacheprovider
[ -n "$sanitized" ] || exit 0
if ! wait "$sanitized"; then
    echo "test: the run on the sanitizers' kernel failed ($log):" >&2
    tail -60 "$log" >&2
    exit 1
fi
grep -E "^[0-9]+ passed|^fuzz_kernel:|^sanitize: clean" "$log" || cat "$log"
