"""Exporters: what a network becomes outside Python: pages, diagrams, summaries, cross-runtime checks.

Owns: ``pages`` (the html, module and Pyodide pages around ``web/runtime.js``), ``bundle``
(``runtime.js`` and the ``plan.js`` it imports, joined into one module), ``lockfile`` (synjson's
wheel registered in a bundled ``pyodide-lock.json`` by the Pyodide toolchain), ``dot``
(Graphviz), ``info`` (summaries) and ``check`` (one model run in every runtime, compared).

May import: everything below it: ``errors``, ``document``, ``engine``, ``model``, ``train``,
``format``.
"""
