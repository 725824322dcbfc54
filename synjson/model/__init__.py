"""The model: neurons, connections, layers and networks, as views over one store of numbers.

Owns: the :class:`~synjson.model.store.Store` (every weight, bias, state, activation, trace and
error responsibility of a network, in flat arrays), the Neuron/Connection/Layer/Network objects
that read and write it, the readable LSTM-g reference equations (``neuron``), the plan (index
tables over the store), the squashing functions, and the Synaptic ``toJSON`` structure of a
network (``codec``, ``checkpoint``); what a network is made of and how it looks (``summary``,
``roles``, ``diagram``: ``synjson info`` and ``Network._repr_html_``) and its named inputs and
outputs (``names``).

May import: ``synjson.errors``, ``synjson.document`` and ``synjson.engine``. Importing it registers
how a store pickles (``pickling``).
"""

from . import pickling as _pickling  # registers how a Store pickles (copyreg), whatever module the user imports

del _pickling
