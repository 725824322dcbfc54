"""synjson: Synaptic.js-exact neural networks in Python.

Build or load a network, train it, save it in the JSON Synaptic.js's
``Network.toJSON()`` writes, and run it in the browser. Importing synjson
imports neither numpy nor jsonschema, so the reference model runs in Pyodide.
"""

from . import architect, columnar, cost, squash, tasks
from .dot import to_dot
from .errors import FormatError, LimitError, StateError, SynjsonError, TrainingError
from .export import export
from .format import dump, dumps, from_json, load, loads, read, save, to_json
from .info import summary
from .jsimport import import_js
from .layer import ConnectionType, GateType, Layer, LayerConnection
from .limits import Limits
from .network import Network
from .neuron import Connection, Neuron
from .select import find_networks
from .trainer import TestResult, Trainer, TrainResult
from .validate import validate

__version__ = "0.1.0"

__all__ = [
    "Trainer",
    "TrainResult",
    "TestResult",
    "architect",
    "columnar",
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
