"""What a network is made of: ``summary`` and ``format_summary`` (``synjson info``).

They live in :mod:`synjson.model.summary`, low enough for ``Network._repr_html_`` to show them
(docs/architecture.md, "Pictures of a model"); this module keeps the exporters' path.
"""

from __future__ import annotations

from ..model.summary import format_summary, summary

__all__ = ["summary", "format_summary"]
