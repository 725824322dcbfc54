# The two commands a newcomer needs:  make demo  and  make test
.PHONY: setup demo test bench sanitize

setup:
	@bash scripts/setup.sh

demo: setup
	.venv/bin/python examples/xor.py

# The whole suite twice: on the native kernel, then on the pure-Python engine (SYNJSON_PURE=1),
# as where no compiler exists and in Pyodide. Every engine must give the same numbers.
test: setup
	.venv/bin/python -m pytest -q
	SYNJSON_PURE=1 .venv/bin/python -m pytest -q -p no:cacheprovider

bench: setup
	.venv/bin/python bench/run.py

# The kernel under AddressSanitizer + UndefinedBehaviorSanitizer: engine tests, hostile corpus, fuzz replay.
sanitize: setup
	bash scripts/sanitize.sh
