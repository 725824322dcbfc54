#!/usr/bin/env bash
# make sanitize: the native kernel built with AddressSanitizer and UndefinedBehaviorSanitizer (gcc), then the
# tests marked `sanitized` (tests/conftest.py: the kernel's own tests, the parity and structure cases, the hostile
# small set) and a replay of the kernel fuzzer's corpus run on it (issue 22 item 3). Any report fails the run:
# ASan aborts, UBSan is built not to recover. make test runs it beside its kernel pass (scripts/test.sh).
#
# The build and the run happen in a copy of the checkout (a temporary folder), so the kernel built in place
# for everyday use is never replaced by the instrumented one (which only loads with libasan preloaded).
#   PYTHON=...      the interpreter (default .venv/bin/python); a normal, non-ASan CPython is fine
#   SANITIZE_KEEP=1 keep the copy (its path is printed)
#   SANITIZE_COPY=DIR  build and run in DIR (made if missing) instead of a temporary folder, and keep it;
#                      with SANITIZE_BUILD_ONLY=1 only build there (.ci/run builds it while make test runs).
#                      A later run with the same DIR uses that build if the files copied and the sanitizer
#                      are the same (build.done holds their digest), else builds again; a DIR with files
#                      but no build.done is refused (never emptied)
#   SANITIZE_WORKERS=N  pytest-xdist workers (default auto: one per core; 0: none, the tests in one process)
#   SANITIZER=thread  ThreadSanitizer instead, on the thread tests only (run once for docs/engine.md)
#   --available     only say whether the compiler has the sanitizers' runtimes (exit 0) or not (exit 1)
#   extra arguments go to pytest (e.g. -x, -k name); paths first (tests/...) run those tests instead
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON="$(command -v python3)"
CC="${CC:-gcc}"
SANITIZER="${SANITIZER:-address}"
unavailable() {  # the reason: exit 1 for --available, 2 otherwise
    echo "sanitize: $1" >&2
    [ "${ARG1:-}" = --available ] && exit 1 || exit 2
}
ARG1="${1:-}"
command -v "$CC" >/dev/null || unavailable "no compiler $CC"
runtime() { "$CC" -print-file-name="$1" 2>/dev/null || true; }  # the library's path, or its bare name
if [ "$SANITIZER" = thread ]; then
    SAN="-fsanitize=thread -fno-omit-frame-pointer -g"
    RUNTIME=("$(runtime libtsan.so)")
    MARK=libtsan
else
    SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
    RUNTIME=("$(runtime libasan.so)" "$(runtime libubsan.so)")
    MARK=libasan
fi
for lib in "${RUNTIME[@]}"; do
    [ -f "$lib" ] || unavailable "$CC has no ${lib:-sanitizer runtime}"
done
[ "$ARG1" = --available ] && exit 0

if [ -n "${SANITIZE_COPY:-}" ]; then
    mkdir -p "$SANITIZE_COPY"
    COPY="$(cd "$SANITIZE_COPY" && pwd)"
else
    COPY="$(mktemp -d "${TMPDIR:-/tmp}/synjson-sanitize.XXXXXX")"
    [ "${SANITIZE_KEEP:-0}" = 1 ] && echo "sanitize: working in $COPY" || trap 'rm -rf "$COPY"' EXIT
fi
checkout() {  # the files the copy is made of, as one tar stream
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard -- synjson tests scripts docs \
        pyproject.toml setup.py README.md CHANGELOG.md | tar --null -T - -cf -)
}
STAMP="$(checkout | sha256sum | cut -d' ' -f1) $SANITIZER $CC"
if [ "$(cat "$COPY/build.done" 2>/dev/null)" != "$STAMP" ]; then
    if [ ! -e "$COPY/build.done" ] && [ -n "$(ls -A "$COPY")" ]; then  # never empty a folder this did not make
        echo "sanitize: SANITIZE_COPY=$COPY holds files but no build.done: give an empty or new folder" >&2
        exit 2
    fi
    find "$COPY" -mindepth 1 -delete
    echo building >"$COPY/build.done"  # this folder is the script's: a failed build may be emptied next time
    checkout | tar -xf - -C "$COPY"
    [ -e "$ROOT/node_modules" ] && ln -s "$ROOT/node_modules" "$COPY/node_modules"
    cd "$COPY"
    rm -f synjson/engine/_kernel*.so
    CFLAGS="$SAN" LDFLAGS="${SAN%% *}" "$PYTHON" setup.py -q build_ext --inplace --force >build.log 2>&1 || true
fi
cd "$COPY"
KERNEL="$(ls synjson/engine/_kernel*.so 2>/dev/null || true)"
LINKED="$(ldd "$KERNEL" 2>/dev/null || true)"  # not `ldd | grep -q`: with pipefail, ldd's SIGPIPE fails it
if [ -z "$KERNEL" ] || [[ "$LINKED" != *$MARK* ]]; then
    echo "sanitize: the instrumented kernel was not built:" >&2
    tail -20 build.log >&2
    exit 2
fi
echo "$STAMP" >build.done
if [ "${SANITIZE_BUILD_ONLY:-0}" = 1 ]; then
    echo "sanitize: built in $COPY"
    exit 0
fi

export LD_PRELOAD="${RUNTIME[*]}"
export PYTHONMALLOC=malloc  # else ASan misses reads past Python's own arrays (pymalloc pools)
# CPython itself leaks at exit by design: leak checking off; everything else aborts on the first report.
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:abort_on_error=1:halt_on_error=1:print_summary=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
unset PYTHONDONTWRITEBYTECODE  # bytecode caches on (Makefile): the copy is removed at the end anyway
unset SYNJSON_PURE

"$PYTHON" -c "import synjson.engine as e, sys; sys.exit(0 if e.NATIVE and e.NATIVE.__file__.startswith('$COPY') else 1)" ||
    { echo "sanitize: the copy's kernel is not the one imported" >&2; exit 2; }

start=$(date +%s)
if [ "$SANITIZER" = thread ]; then
    # CPython is not instrumented: TSan sees the kernel's own accesses, ordered by the GIL's pthread calls.
    export TSAN_OPTIONS="halt_on_error=0:second_deadlock_stack=1:report_signal_unsafe=0:${TSAN_OPTIONS:-}"
    "$PYTHON" -m pytest -q -p no:cacheprovider tests/unit/engine/test_threads.py "$@"
    echo "sanitize: thread tests done ($(( $(date +%s) - start )) s); any report is above"
    exit 0
fi
# The hostile corpus runs in process (its small set): the full-size budget cases cap each child's address space
# (RLIMIT_AS), which ASan's shadow memory cannot live under.
# Which tests: those marked sanitized (tests/conftest.py, SANITIZED), or the paths given first (tests/...).
selection=(-m sanitized tests)
[[ "${1:-}" == tests/* ]] && selection=()
# SANITIZE_WORKERS=0: in this one process (make test runs it beside its kernel pass, whose workers use the cores).
workers=(-n "${SANITIZE_WORKERS:-auto}" --dist loadfile)
[ "${SANITIZE_WORKERS:-auto}" = 0 ] && workers=(-p no:xdist)
"$PYTHON" -m pytest -q -p no:cacheprovider -p no:randomly "${workers[@]}" --durations=5 "${selection[@]}" "$@"
"$PYTHON" tests/fuzz/fuzz_kernel.py --replay
echo "sanitize: clean (ASan + UBSan, $(( $(date +%s) - start )) s)"
