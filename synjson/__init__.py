"""synjson: Synaptic.js-exact neural networks in Python.

Build or load a network, train it, save it in the JSON Synaptic.js's
``Network.toJSON()`` writes, and run it in the browser. Importing synjson
imports neither numpy nor jsonschema, so the reference model runs in Pyodide.

The package reads in the order the data flows (docs/architecture.md):
``document`` (JSON text and its rules) and ``engine`` (the kernel over flat
arrays) at the bottom, then ``model`` (the network objects over one store of
numbers), ``train``, ``format`` (files), ``export`` (pages) and ``cli``.
"""

from . import architect, squash
from .document.jsimport import import_js
from .document.limits import Limits
from .document.select import find_networks
from .document.validate import validate
from .errors import FormatError, LimitError, StateError, SynjsonError, TrainingError
from .exporters.dot import to_dot
from .exporters.info import summary
from .exporters.pages import export
from .format.synaptic import dump, dumps, from_json, load, loads, read, save, to_json
from .model.layer import ConnectionType, GateType, Layer, LayerConnection
from .model.network import Network
from .model.neuron import Connection, Neuron
from .train import cost, tasks
from .train.trainer import TestResult, Trainer, TrainResult
from .version import __version__

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
    "FormatError",
    "GateType",
    "Layer",
    "LayerConnection",
    "LimitError",
    "Limits",
    "Network",
    "Neuron",
    "StateError",
    "SynjsonError",
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
    "squash",
    "summary",
    "to_dot",
    "to_json",
    "validate",
]
