"""Training: Synaptic's Trainer, its costs and tasks, and the Architect's ready-made networks.

Owns: ``trainer`` (``Trainer.train``/``test`` with Synaptic's numbers), ``cost``, ``tasks``
(XOR, DSR, ERG, timing) and ``architect`` (Perceptron, LSTM, Liquid, Hopfield).

May import: ``synjson.errors``, ``synjson.document``, ``synjson.engine`` and ``synjson.model``.
"""
