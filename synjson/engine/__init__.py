"""Executors that run a compiled Plan (see synjson.plan)."""
