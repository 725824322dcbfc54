"""The model: neurons, connections, layers and networks, as views over one store of numbers.

Owns: the :class:`~synjson.model.store.Store` (every weight, bias, state, activation, trace and
error responsibility of a network, in flat arrays), the Neuron/Connection/Layer/Network objects
that read and write it (``neuron``, ``connection``, ``layer``, ``network``), the readable LSTM-g
reference equations (``neuron``), the plan (index tables over the store, and the order Synaptic's
JSON lists connections in: ``plan.json_order``), the squashing functions, and the Synaptic
``toJSON`` structure of a network (``codec`` reads a document into a ``Description`` that
``Network.from_description`` builds; ``checkpoint`` is restored by ``Network.restore_checkpoint``);
what a network is made of and how it looks (``summary``, ``roles``, ``diagram``: ``synjson info``
and ``Network._repr_html_``) and its named inputs and outputs (``names``). Each object's private
fields are its own: other modules use its public methods and classmethod constructors
(tests/unit/test_private_writes.py).

May import: ``synjson.errors``, ``synjson.document`` and ``synjson.engine``. Importing it registers
how a store pickles (``pickling``).
"""

from . import pickling as _pickling  # registers how a Store pickles (copyreg), whatever module the user imports

del _pickling
