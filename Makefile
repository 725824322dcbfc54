# The two commands a newcomer needs:  make demo  and  make test
.PHONY: setup demo test bench sanitize

setup:
	@bash scripts/setup.sh

demo: setup
	.venv/bin/python examples/xor.py

# Bytecode caches on, even where the environment turns them off (PYTHONDONTWRITEBYTECODE=1, as on the CI
# machine): else every worker and every child process compiles the venv's packages, the package and the
# test modules from source again (about 2 CPU-seconds a worker start for the test tools alone).
unexport PYTHONDONTWRITEBYTECODE
# Synaptic.js's answers, kept for the pure pass and the sanitizers' run, which ask the same questions
# (tests/conformance/synaptic_oracle.py); each make test starts from an empty folder.
ORACLE_CACHE := $(CURDIR)/.cache/oracle
export SYNJSON_ORACLE_CACHE = $(ORACLE_CACHE)
# The whole suite, every test at least once (scripts/test.sh): on the native kernel; the engine-dependent
# tests (marker `engine`, tests/conftest.py) again on the pure-Python engine (SYNJSON_PURE=1); the kernel's
# own tests (marker `sanitized`) on the kernel built with ASan + UBSan, where gcc has them.
test: setup
	rm -rf "$(ORACLE_CACHE)"
	bash scripts/test.sh

bench: setup
	.venv/bin/python bench/run.py

# Only make test's sanitizers' part: the kernel under AddressSanitizer + UndefinedBehaviorSanitizer (the tests marked
# `sanitized`, the kernel fuzzer's corpus).
sanitize: setup
	bash scripts/sanitize.sh
