"""Benchmarks against Synaptic 1.1.4: ``python -m bench`` (see bench/README.md)."""
