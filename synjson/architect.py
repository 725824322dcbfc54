"""``synjson.architect``: Synaptic's ready-made networks (they live in :mod:`synjson.train.architect`)."""

from .train.architect import ARCHITECTURES, LSTM, Hopfield, Liquid, Perceptron

__all__ = ["Perceptron", "LSTM", "Liquid", "Hopfield", "ARCHITECTURES"]
