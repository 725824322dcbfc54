"""Training: Synaptic's Trainer, its costs and tasks, and the Architect's ready-made networks.

Owns: ``trainer`` (``Trainer.train``/``test`` with Synaptic's numbers), ``rate`` and ``shuffle``
(what each iteration trains at and in which order, decided here for every engine), ``kernel_loop``
(the loop handed to the C kernel), ``failures`` (the errors of a failed iteration), ``resume``,
``cost``, ``tasks`` (XOR, DSR, ERG, timing), ``architect`` (Perceptron, LSTM, Liquid, Hopfield),
``progress`` (the tqdm bar) and ``history`` (a training's error curve, as points and as the report
page's SVG).

May import: ``synjson.errors``, ``synjson.document``, ``synjson.engine`` and ``synjson.model``.
"""
