# The two commands a newcomer needs:  make demo  and  make test
.PHONY: setup demo test bench

setup:
	@bash scripts/setup.sh

demo: setup
	.venv/bin/python examples/xor.py

test: setup
	.venv/bin/python -m pytest -q

bench: setup
	.venv/bin/python bench/run.py
