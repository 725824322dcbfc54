/* Generated from synjson/engine/facts.py by setup.py: edit the Python table, not this file. */
#ifndef SYNJSON_FACTS_H
#define SYNJSON_FACTS_H

/* Squash codes (facts.SQUASH_NAMES; CUSTOM calls plan.custom[p]). */
enum {
    SQ_LOGISTIC = 0,
    SQ_TANH = 1,
    SQ_IDENTITY = 2,
    SQ_HLIM = 3,
    SQ_RELU = 4,
    SQ_CUSTOM = 5,
    N_SQUASH_CODES = 6,
};

/* Built-in cost codes (facts.COST_NAMES): Program.train's cost argument. */
enum {
    COST_MSE = 0,
    COST_CROSS_ENTROPY = 1,
    COST_BINARY = 2,
    N_COSTS = 3,
};

/* Index of each plan field in Program.bufs: the integer tables, then the value columns. */
enum {
    B_ORDER = 0,
    B_SQUASH = 1,
    B_SELFCONN = 2,
    B_IN_PTR = 3,
    B_IN_CONN = 4,
    B_OUT_PTR = 5,
    B_OUT_CONN = 6,
    B_GATE_PTR = 7,
    B_GATE_CONN = 8,
    B_NB_PTR = 9,
    B_NB_NEURON = 10,
    B_NB_OLD = 11,
    B_NB_XTRACE = 12,
    B_NB_SELF = 13,
    B_INF_PTR = 14,
    B_INF_CONN = 15,
    B_CONN_FROM = 16,
    B_CONN_GATER = 17,
    B_CONN_TO = 18,
    B_BIAS = 19,
    B_STATE = 20,
    B_OLD = 21,
    B_ACTIVATION = 22,
    B_DERIVATIVE = 23,
    B_RESPONSIBILITY = 24,
    B_PROJECTED_ERROR = 25,
    B_GATED_ERROR = 26,
    B_WEIGHT = 27,
    B_GAIN = 28,
    B_ELIGIBILITY = 29,
    B_XTRACE = 30,
    B_AUX = 31,
    N_INT = 19,
    N_DOUBLE = 13,
    N_BUFS = 32,
    N_NEURON_ARRAYS = 8, /* the first value columns are per neuron slot */
};

/* X(name): each integer table, then each value column, by the plan attribute and Tables member name. */
#define PLAN_INT_TABLES(X) \
    X(order) \
    X(squash) \
    X(selfconn) \
    X(in_ptr) \
    X(in_conn) \
    X(out_ptr) \
    X(out_conn) \
    X(gate_ptr) \
    X(gate_conn) \
    X(nb_ptr) \
    X(nb_neuron) \
    X(nb_old) \
    X(nb_xtrace) \
    X(nb_self) \
    X(inf_ptr) \
    X(inf_conn) \
    X(conn_from) \
    X(conn_gater) \
    X(conn_to) \

#define PLAN_DOUBLE_ARRAYS(X) \
    X(bias) \
    X(state) \
    X(old) \
    X(activation) \
    X(derivative) \
    X(responsibility) \
    X(projected_error) \
    X(gated_error) \
    X(weight) \
    X(gain) \
    X(eligibility) \
    X(xtrace) \
    X(aux) \

#endif
