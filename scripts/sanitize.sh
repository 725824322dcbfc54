#!/usr/bin/env bash
# make sanitize: the native kernel built with AddressSanitizer and UndefinedBehaviorSanitizer (gcc), then the
# engine-dependent tests, the hostile corpus and a replay of the kernel fuzzer's corpus run on it (issue 22
# item 3). Any report fails the run: ASan aborts, UBSan is built not to recover.
#
# The build and the run happen in a copy of the checkout (a temporary folder), so the kernel built in place
# for everyday use is never replaced by the instrumented one (which only loads with libasan preloaded).
#   PYTHON=...      the interpreter (default .venv/bin/python); a normal, non-ASan CPython is fine
#   SANITIZE_KEEP=1 keep the copy (its path is printed)
#   extra arguments go to pytest (e.g. -x, -k name)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON="$(command -v python3)"
CC="${CC:-gcc}"
LIBASAN="$("$CC" -print-file-name=libasan.so)"
LIBUBSAN="$("$CC" -print-file-name=libubsan.so)"
[ -f "$LIBASAN" ] && [ -f "$LIBUBSAN" ] || { echo "sanitize: $CC has no libasan/libubsan" >&2; exit 2; }

COPY="$(mktemp -d "${TMPDIR:-/tmp}/synjson-sanitize.XXXXXX")"
[ "${SANITIZE_KEEP:-0}" = 1 ] && echo "sanitize: working in $COPY" || trap 'rm -rf "$COPY"' EXIT
cd "$ROOT"
git ls-files -z --cached --others --exclude-standard -- synjson tests scripts docs pyproject.toml setup.py \
    README.md CHANGELOG.md | tar --null -T - -cf - | tar -xf - -C "$COPY"
[ -e "$ROOT/node_modules" ] && ln -s "$ROOT/node_modules" "$COPY/node_modules"

cd "$COPY"
rm -f synjson/engine/_kernel*.so
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
CFLAGS="$SAN" LDFLAGS="-fsanitize=address,undefined" "$PYTHON" setup.py -q build_ext --inplace >build.log 2>&1 || true
KERNEL="$(ls synjson/engine/_kernel*.so 2>/dev/null || true)"
if [ -z "$KERNEL" ] || ! ldd "$KERNEL" | grep -q libasan; then
    echo "sanitize: the instrumented kernel was not built:" >&2
    tail -20 build.log >&2
    exit 2
fi

export LD_PRELOAD="$LIBASAN $LIBUBSAN"
export PYTHONMALLOC=malloc  # else ASan misses reads past Python's own arrays (pymalloc pools)
# CPython itself leaks at exit by design: leak checking off; everything else aborts on the first report.
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:abort_on_error=1:halt_on_error=1:print_summary=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export PYTHONDONTWRITEBYTECODE=1
unset SYNJSON_PURE

"$PYTHON" -c "import synjson.engine as e, sys; sys.exit(0 if e.NATIVE and e.NATIVE.__file__.startswith('$COPY') else 1)" ||
    { echo "sanitize: the copy's kernel is not the one imported" >&2; exit 2; }

start=$(date +%s)
"$PYTHON" -m pytest -q -p no:cacheprovider -p no:randomly \
    tests/unit/test_kernel.py tests/unit/test_kernel_train.py tests/unit/test_kernel_json.py \
    tests/unit/test_kernel_safety.py tests/unit/test_threads.py \
    tests/unit/test_engine_common.py \
    "tests/unit/test_hostile.py::test_small_case_raises_only_our_exceptions" \
    tests/conformance/test_synaptic_parity.py tests/conformance/test_trainer_parity.py \
    tests/conformance/test_custom_squash.py tests/conformance/test_clear_parity.py \
    -k "not make_cases and not stale" "$@"
"$PYTHON" tests/fuzz/fuzz_kernel.py --replay
echo "sanitize: clean (ASan + UBSan, $(( $(date +%s) - start )) s)"
