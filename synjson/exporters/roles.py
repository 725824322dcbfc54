"""What each layer of a network is for: ``layer_names`` and ``ROLES``.

They live in :mod:`synjson.model.roles`, low enough for ``Network._repr_html_`` to use them
(docs/architecture.md, "Pictures of a model"); this module keeps the exporters' path.
"""

from __future__ import annotations

from ..model.roles import ROLES, layer_names

__all__ = ["layer_names", "ROLES"]
