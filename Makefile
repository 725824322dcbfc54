# The two commands a newcomer needs:  make demo  and  make test
.PHONY: setup demo test bench sanitize

setup:
	@bash scripts/setup.sh

demo: setup
	.venv/bin/python examples/xor.py

# The whole suite on the native kernel, then the engine-dependent tests (marker `engine`, see
# tests/conftest.py) again on the pure-Python engine (SYNJSON_PURE=1), as where no compiler exists
# and in Pyodide: every engine must give the same numbers. One worker per core (pytest-xdist), a
# test file per worker so that module fixtures (a browser page, a Node run) are made once.
PYTEST = .venv/bin/python -m pytest -q -n auto --dist loadfile --durations=10
# Bytecode caches on, even where the environment turns them off (PYTHONDONTWRITEBYTECODE=1, as on the CI
# machine): else every worker and every child process compiles the venv's packages, the package and the
# test modules from source again (about 2 CPU-seconds a worker start for the test tools alone).
unexport PYTHONDONTWRITEBYTECODE
# Synaptic.js's answers, kept for the pure pass and make sanitize, which ask the same questions
# (tests/conformance/synaptic_oracle.py); each make test starts from an empty folder.
ORACLE_CACHE := $(CURDIR)/.cache/oracle
export SYNJSON_ORACLE_CACHE = $(ORACLE_CACHE)
test: setup
	rm -rf "$(ORACLE_CACHE)"
	$(PYTEST)
	SYNJSON_PURE=1 $(PYTEST) -m engine -p no:cacheprovider

bench: setup
	.venv/bin/python bench/run.py

# The kernel under AddressSanitizer + UndefinedBehaviorSanitizer: engine tests, hostile corpus, fuzz replay.
sanitize: setup
	bash scripts/sanitize.sh
