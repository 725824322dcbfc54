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
test: setup
	$(PYTEST)
	SYNJSON_PURE=1 $(PYTEST) -m engine -p no:cacheprovider

bench: setup
	.venv/bin/python bench/run.py

# The kernel under AddressSanitizer + UndefinedBehaviorSanitizer: engine tests, hostile corpus, fuzz replay.
sanitize: setup
	bash scripts/sanitize.sh
