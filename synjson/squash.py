"""``synjson.squash``: squashing functions (they live in :mod:`synjson.model.squash`).

``Squash(name, fn)`` with ``fn(state) -> (activation, derivative)`` makes a custom one;
``register(squash)`` lets networks that use it pickle (they carry its name).
"""

from .model.squash import HLIM, IDENTITY, LOGISTIC, RELU, SQUASHES, TANH, Squash, by_name, register, registered

__all__ = ["Squash", "LOGISTIC", "TANH", "IDENTITY", "HLIM", "RELU", "SQUASHES", "by_name", "register", "registered"]
