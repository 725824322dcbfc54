"""Round trips of random networks: dict, text and clone keep every bit.

Networks come from ``synjson_strategies`` (perceptrons, randomly wired and gated
layers, LSTMs). Floats are compared bit for bit (``struct.pack('<d')``), with one
stated exception: JSON text has no negative zero (``JSON.stringify(-0)`` is
``"0"``), so the *text* round trip turns -0.0 into 0.0, as Synaptic's does.

Activations: a network built in code sums each neuron's inputs in creation
order; one loaded from a file sums them in the file's order, which can differ
for recurrent or gated wiring (Q-ORDER, ``synjson.checkpoint``), so:

* a loaded network and its reload activate and train bit for bit alike;
* a perceptron (creation order is file order) and its reload too;
* any network and its reload from a ``state=True`` checkpoint too;
* any network and its plain reload agree to 1e-9 (absolute) over four activations.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from synjson_strategies import (
    FINITE,
    any_network,
    assert_same_document,
    assert_same_floats,
    lstms,
    networks_with_any_floats,
    perceptrons,
    run,
    steps_for,
    wired_networks,
)

import synjson
from synjson import Network

EXAMPLES = settings(max_examples=100)
SEEDS = st.integers(0, 2**16)


@EXAMPLES
@given(any_network())
def test_from_json_of_to_json_gives_identical_json(net: Network) -> None:
    document = synjson.to_json(net)
    assert_same_document(synjson.to_json(synjson.from_json(document)), document)


@EXAMPLES
@given(any_network(), SEEDS)
def test_a_loaded_network_and_its_reload_activate_and_train_identically(net: Network, seed: int) -> None:
    loaded = synjson.from_json(synjson.to_json(net))
    reloaded = synjson.from_json(synjson.to_json(loaded))
    steps = steps_for(net, seed)
    assert_same_floats(run(loaded, steps), run(reloaded, steps))
    assert_same_document(synjson.to_json(loaded), synjson.to_json(reloaded))


@EXAMPLES
@given(perceptrons(), SEEDS)
def test_a_perceptron_and_its_reload_activate_and_train_identically(net: Network, seed: int) -> None:
    loaded = synjson.from_json(synjson.to_json(net))
    steps = steps_for(net, seed)
    assert_same_floats(run(net, steps), run(loaded, steps))
    assert_same_document(synjson.to_json(net), synjson.to_json(loaded))


@EXAMPLES
@given(st.one_of(wired_networks(), lstms()), SEEDS)
def test_a_checkpoint_reload_activates_and_trains_identically(net: Network, seed: int) -> None:
    steps = steps_for(net, seed)
    run(net, steps[:2])  # mid-sequence: traces, gains and errors are not zero
    restored = synjson.from_json(synjson.to_json(net, state=True))
    assert_same_floats(run(net, steps[2:]), run(restored, steps[2:]))
    network_keys = ("neurons", "connections")  # the restored net's synjson block gains a format_version
    assert_same_document(
        {key: synjson.to_json(net)[key] for key in network_keys},
        {key: synjson.to_json(restored)[key] for key in network_keys},
    )


@EXAMPLES
@given(any_network(), SEEDS)
def test_a_plain_reload_activates_within_1e_9(net: Network, seed: int) -> None:
    loaded = synjson.from_json(synjson.to_json(net))
    steps = steps_for(net, seed, train=False)
    for original, copy in zip(run(net, steps), run(loaded, steps)):
        assert math.isclose(original, copy, rel_tol=0, abs_tol=1e-9) or original == copy


# -- the JSON text ----------------------------------------------------------------------


@EXAMPLES
@given(networks_with_any_floats())
def test_the_text_round_trip_keeps_every_float_bit_exact(net: Network) -> None:
    text = synjson.dumps(net)
    loaded = synjson.loads(text)
    assert_same_document(synjson.to_json(loaded), synjson.to_json(net), negative_zero_as_zero=True)
    assert synjson.dumps(loaded) == text
    indented = synjson.dumps(net, indent=2)
    assert_same_document(synjson.to_json(synjson.loads(indented)), synjson.to_json(loaded))


@EXAMPLES
@given(any_network(), SEEDS)
def test_clone_equals_the_original(net: Network, seed: int) -> None:
    clone = net.clone()
    assert type(clone) is type(net)
    assert_same_document(synjson.to_json(clone), synjson.to_json(net))
    loaded = synjson.from_json(synjson.to_json(net))
    steps = steps_for(net, seed)
    assert_same_floats(run(clone, steps), run(loaded, steps))


@settings(max_examples=200)
@given(FINITE)
def test_js_number_reads_back_as_the_same_double(value: float) -> None:
    text = synjson.document.text.js_number(value)
    assert float(text) == value
    if value == 0:
        assert text == "0"  # -0.0 too, as JSON.stringify writes it
