"""The connections array written from columns without the kernel (document.text.connections_text) is
byte for byte what the kernel's dump_connections and the dict path write (issue 24, item 2 on the pure engine)."""

from __future__ import annotations

import math
import random

import pytest

import synjson
from synjson import architect
from synjson.document.text import connections_text, encode
from synjson.engine import NATIVE
from synjson.model.codec import connection_columns, to_json


def networks() -> list[synjson.Network]:
    lstm = architect.LSTM(2, 3, 1, seed=5)
    lstm.activate([0.5, -0.25])
    odd = architect.Perceptron(3, 4, 2, seed=6)
    rng = random.Random(7)
    weights = [0.0, -0.0, 1.0, -2.0, 1e-7, 1e21, 1.5e300, 5e-324, 123456789.0, 0.1, -1e-6, 2.0**60]
    for connection, value in zip(odd.connections(), weights * 3, strict=False):
        connection.weight = value * rng.choice((1, -1))
    return [architect.Perceptron(2, 3, 1, seed=1), lstm, odd, architect.Liquid(3, 12, 2, 20, 6, seed=8)]


@pytest.mark.parametrize("index", range(4))
def test_columns_write_what_the_dict_path_writes(index: int) -> None:
    net = networks()[index]
    columns = connection_columns(net)
    assert columns is not None
    written = connections_text(*columns)
    assert written == encode(to_json(net)["connections"])
    if NATIVE is not None:
        assert written == NATIVE.dump_connections(*columns)


def test_a_weight_that_is_not_finite_leaves_it_to_the_general_encoder() -> None:
    net = architect.Perceptron(2, 2, 1, seed=2)
    for value in (math.nan, math.inf, -math.inf):
        net.connections()[1].weight = value
        assert connections_text(*connection_columns(net)) is None
        with pytest.raises(synjson.SynjsonError, match="JSON has no NaN or Infinity"):
            synjson.dumps(net)
        assert synjson.dumps(net, allow_nan=True) == encode(to_json(net), allow_nan=True)
