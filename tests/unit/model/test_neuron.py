"""Neuron: the LSTM-g step of Synaptic's optimized mode, checked by hand-computed numbers."""

import math
import random

from synjson import Neuron, squash
from synjson.model.neuron import Scratch, draw_weight


def logistic(x):
    return 1 / (1 + math.exp(-x))


def test_the_seeds_worked_neuron():
    # inputs 1 and 0, weights 7 and 3, bias -2: state 5, output 0.9933
    a, b, n = Neuron(bias=0.0), Neuron(bias=0.0), Neuron(bias=-2.0)
    a.project(n, 7.0)
    b.project(n, 3.0)
    a.activate(1.0)
    b.activate(0.0)
    assert n.activate() == logistic(5.0)
    assert n.state == 5.0
    assert round(n.activation, 4) == 0.9933
    assert n.derivative == logistic(5.0) * (1 - logistic(5.0))


def test_input_neuron_takes_its_input_and_zeroes_bias_state_and_old():
    neuron = Neuron(bias=0.05)
    neuron.state, neuron.old = 3.0, 2.0
    assert neuron.activate(0.75) == 0.75
    assert (neuron.bias, neuron.state, neuron.old, neuron.derivative) == (0.0, 0.0, 0.0, 0.0)


def test_self_connection_weight_is_forced_to_one():
    neuron = Neuron(bias=0.1)
    connection = neuron.project(neuron, 0.5)
    assert connection is neuron.selfconnection
    assert connection.weight == 1.0
    assert neuron.selfconnected()
    assert neuron.connected(neuron) == "selfconnection"


def test_self_connected_state_accumulates():
    neuron = Neuron(bias=0.5, squash=squash.IDENTITY)
    neuron.project(neuron)
    assert [neuron.activate() for _ in range(3)] == [0.5, 1.0, 1.5]
    assert neuron.old == 1.0


def test_projecting_twice_updates_the_existing_connection():
    a, b = Neuron(bias=0.0), Neuron(bias=0.0)
    first = a.project(b, 0.25)
    second = a.project(b, 0.5)
    assert first is second and first.weight == 0.5
    assert a.project(b) is first and first.weight == 0.5
    assert len(b.inputs) == 1


def test_connected_reports_the_kind_found_first():
    a, b, c = Neuron(bias=0.0), Neuron(bias=0.0), Neuron(bias=0.0)
    a.project(b, 1.0)
    assert a.connected(b) == "projected"
    assert b.connected(a) == "inputs"
    connection = b.project(c, 1.0)
    a.gate(connection)
    assert a.connected(c) == "gated"
    assert c.connected(a) is None


def test_random_weights_and_biases_are_uniform_in_synaptics_range_and_seeded():
    rng = random.Random(3)
    draws = [draw_weight(rng) for _ in range(2000)]
    assert all(-0.1 <= d < 0.1 for d in draws)
    assert min(draws) < -0.09 and max(draws) > 0.09
    assert Neuron(rng=random.Random(5)).bias == Neuron(rng=random.Random(5)).bias


def test_gain_follows_the_gater_and_changes_before_the_gaters_own_traces():
    # Q-GAIN: the gater g gates its own input connection i->g; the eligibility
    # trace of that connection uses the gain g has just set (its new activation).
    i, g = Neuron(bias=0.0), Neuron(bias=0.3)
    connection = i.project(g, 0.5)
    g.gate(connection)
    i.activate(2.0)
    g.activate()
    state = 0.3 + 2.0 * 0.5 * 1.0  # gain was 1 while the state was computed
    assert g.state == state
    assert connection.gain == logistic(state)
    assert g.eligibility[connection.id] == logistic(state) * 2.0


def test_extended_trace_and_influence_of_a_gated_connection():
    # x -> n gated by g: the extended trace of g for g's own input u->g is
    # derivative_g * eligibility * influence, influence = w(x->n) * x.activation.
    x, u, g, n = (Neuron(bias=0.0) for _ in range(4))
    xn = x.project(n, 0.7)
    ug = u.project(g, 0.2)
    g.gate(xn)
    x.activate(1.5)
    u.activate(1.0)
    g.activate()
    influence = 0.7 * 1.5
    assert g.extended[n.id][ug.id] == g.derivative * g.eligibility[ug.id] * influence
    n.activate()
    assert n.state == 1.5 * 0.7 * g.activation


def test_gated_self_connection_influence_counts_old_state_and_the_self_connection():
    # Q-SELFINF: gating a self-connection adds the neuron's old state and the
    # self-connection's own weight (1) x activation to the influence.
    u, g, n = Neuron(bias=0.0), Neuron(bias=0.1), Neuron(bias=0.2, squash=squash.IDENTITY)
    ug = u.project(g, 0.4)
    self_connection = n.project(n)
    g.gate(self_connection)
    u.activate(1.0)
    n.activate()  # n: state 0.2 (gain 1), old 0
    n.activate()  # state = 1 * 1 * 0.2 + 0.2 = 0.4, old = 0.2
    g.activate()
    influence = n.old + 1.0 * n.activation
    assert g.extended[n.id][ug.id] == 1.0 * 1.0 * 0.0 + g.derivative * g.eligibility[ug.id] * influence
    assert self_connection.gain == g.activation


def test_output_propagation():
    a, o = Neuron(bias=0.0), Neuron(bias=0.1)
    c = a.project(o, 0.5)
    a.activate(1.0)
    o.activate()
    activation = o.activation
    o.propagate(0.3, 1.0)
    assert o.responsibility == 1.0 - activation
    assert c.weight == 0.5 + 0.3 * ((1.0 - activation) * 1.0)
    assert o.bias == 0.1 + 0.3 * (1.0 - activation)


def test_hidden_projecting_neuron_learns_from_updated_downstream_weights():
    a, h, o = Neuron(bias=0.0), Neuron(bias=0.05), Neuron(bias=-0.05)
    ah, ho = a.project(h, 0.4), h.project(o, 0.6)
    a.activate(1.0)
    h.activate()
    o.activate()
    o.propagate(0.5, 0.0)
    h.propagate(0.5)
    assert ho.weight != 0.6  # the output neuron has already learned
    assert h.responsibility == (o.responsibility * ho.weight) * h.derivative
    assert ah.weight == 0.4 + 0.5 * (h.responsibility * 1.0)


def test_a_neuron_that_projects_and_gates_starts_its_error_from_the_scratch_value():
    # Q-AUX: Synaptic's generated code reuses the scratch variable `aux`.
    u, g, x, n, o = (Neuron(bias=0.0) for _ in range(5))
    u.project(g, 0.3)
    go = g.project(o, 0.8)
    xn = x.project(n, 0.5)
    g.gate(xn)
    for neuron, value in ((u, 1.0), (x, 1.0)):
        neuron.activate(value)
    for neuron in (g, n, o):
        neuron.activate()
    o.responsibility, n.responsibility = 0.25, -0.5
    scratch = Scratch()
    scratch.aux = 2.0
    g.propagate(0.1, scratch=scratch)
    projected = g.derivative * (2.0 + 0.25 * go.weight)
    gated = g.derivative * (-0.5 * (0.5 * 1.0))
    assert g.projected_error == projected
    assert g.gated_error == gated
    assert g.responsibility == projected + gated
    # the scratch now holds the last gradient, as the generated code leaves it
    assert scratch.aux == projected * g.eligibility[g.inputs[0].id] + (-0.5) * g.extended[n.id][g.inputs[0].id]


def test_dead_end_hidden_neuron_has_zero_error():
    a, h = Neuron(bias=0.0), Neuron(bias=0.1)
    c = a.project(h, 0.5)
    a.activate(1.0)
    h.activate()
    h.propagate(0.3)
    assert (h.responsibility, c.weight, h.bias) == (0.0, 0.5, 0.1)


def test_clear_zeroes_traces_and_errors_but_keeps_weights_and_state():
    a, b = Neuron(bias=0.0), Neuron(bias=0.1)
    c = a.project(b, 0.5)
    a.activate(1.0)
    b.activate()
    b.propagate(0.1, 1.0)
    state, weight = b.state, c.weight
    b.clear()
    assert b.eligibility[c.id] == 0.0 and b.responsibility == 0.0
    assert (b.state, c.weight) == (state, weight)


def test_reset_draws_new_weights_for_every_connection_including_gated_ones():
    g, n = Neuron(bias=0.0), Neuron(bias=0.0)
    self_connection = n.project(n)
    g.gate(self_connection)
    g.reset(random.Random(1))
    assert self_connection.weight != 1.0 and -0.1 <= self_connection.weight < 0.1
    assert g.state == g.old == g.activation == 0.0
