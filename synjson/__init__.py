"""synjson: Synaptic.js-exact neural networks in Python.

Build or load a network, train it, save it in the JSON Synaptic.js's
``Network.toJSON()`` writes, and run it in the browser. Importing synjson
imports neither numpy nor jsonschema, so the reference model runs in Pyodide.

The package reads in the order the data flows (docs/architecture.md):
``document`` (JSON text and its rules) and ``engine`` (the kernel over flat
arrays) at the bottom, then ``model`` (the network objects over one store of
numbers), ``train``, ``format`` (files), ``export`` (pages) and ``cli``.
"""

from typing import TYPE_CHECKING, Any

from .errors import (
    ArgumentError,
    FormatError,
    InputError,
    LimitError,
    StateError,
    SynjsonError,
    SynjsonWarning,
    TrainingError,
)
from .version import __version__

# Public names load on first use (PEP 562), so that `synjson activate` in a cold process imports
# only what it runs: the CLI starts in well under Node's time to require Synaptic.
_LAZY = {
    "architect": ("synjson.architect", None),
    "squash": ("synjson.squash", None),
    "cost": ("synjson.train.cost", None),
    "tasks": ("synjson.train.tasks", None),
    "import_js": ("synjson.document.jsimport", "import_js"),
    "Limits": ("synjson.document.limits", "Limits"),
    "find_networks": ("synjson.document.select", "find_networks"),
    "validate": ("synjson.document.validate", "validate"),
    "to_dot": ("synjson.exporters.dot", "to_dot"),
    "summary": ("synjson.exporters.info", "summary"),
    "export": ("synjson.exporters.pages", "export"),
    **{name: ("synjson.format.synaptic", name) for name in ("dump", "dumps", "from_json", "load", "loads", "to_json")},
    **{name: ("synjson.format.files", name) for name in ("read", "save", "convert")},
    **{name: ("synjson.model.layer", name) for name in ("ConnectionType", "GateType", "Layer", "LayerConnection")},
    "Network": ("synjson.model.network", "Network"),
    "Connection": ("synjson.model.neuron", "Connection"),
    "Neuron": ("synjson.model.neuron", "Neuron"),
    **{name: ("synjson.train.trainer", name) for name in ("TestResult", "Trainer", "TrainResult")},
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'synjson' has no attribute {name!r}") from None
    import importlib

    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:
    from . import architect, squash
    from .document.jsimport import import_js
    from .document.limits import Limits
    from .document.select import find_networks
    from .document.validate import validate
    from .exporters.dot import to_dot
    from .exporters.info import summary
    from .exporters.pages import export
    from .format.files import convert, read, save
    from .format.synaptic import dump, dumps, from_json, load, loads, to_json
    from .model.layer import ConnectionType, GateType, Layer, LayerConnection
    from .model.network import Network
    from .model.neuron import Connection, Neuron
    from .train import cost, tasks
    from .train.trainer import TestResult, Trainer, TrainResult

__all__ = [
    "__version__",
    "Trainer",
    "TrainResult",
    "TestResult",
    "architect",
    "cost",
    "export",
    "tasks",
    "Connection",
    "ConnectionType",
    "ArgumentError",
    "FormatError",
    "GateType",
    "InputError",
    "Layer",
    "LayerConnection",
    "LimitError",
    "Limits",
    "Network",
    "Neuron",
    "StateError",
    "SynjsonError",
    "SynjsonWarning",
    "TrainingError",
    "dump",
    "dumps",
    "find_networks",
    "from_json",
    "import_js",
    "load",
    "loads",
    "read",
    "save",
    "convert",
    "squash",
    "summary",
    "to_dot",
    "to_json",
    "validate",
]
