"""The ``synjson`` command: a thin layer that parses arguments and calls the public Python API.

Owns: ``main`` (``main(argv) -> int``, every subcommand, exit codes, one-line errors).

May import: everything.
"""
