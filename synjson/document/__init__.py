"""Documents: JSON text and the rules of Synaptic's format, with no network in sight.

Owns: parsing and writing JSON text as JavaScript does (``text``), the schema and semantic
checks (``validate``), the size limits (``limits``), finding a network inside a larger
document (``select``), reading network literals out of ``.js`` files (``jsimport``), data files
(``datafiles``), atomic file writes (``atomic``), a document's connections checked as columns
(``wiring``) and, without the kernel, read from the text straight into columns (``scanner``).

May import: ``synjson.errors`` only. Everything above builds on it.
"""
