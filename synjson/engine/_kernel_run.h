/* The numeric core of synjson's native kernel: one activate and one propagate step over a plan.
 *
 * Included by _kernel.c only. Every line mirrors synjson/engine/python.py (_Emitter.activate,
 * _Emitter.propagate) and synjson/model/neuron.py term by term, in the same order of operations, so the
 * numbers are the reference's bit for bit (compiled with -O2 -ffp-contract=off, never fast-math).
 * Quirk tags (Q-GAIN, Q-AUX, Q-OUTX, Q-DEADEND) are explained in docs/quirks.md.
 */
#ifndef SYNJSON_KERNEL_RUN_H
#define SYNJSON_KERNEL_RUN_H

#include <math.h>
#include <stdint.h>

enum { SQ_LOGISTIC = 0, SQ_TANH = 1, SQ_IDENTITY = 2, SQ_HLIM = 3, SQ_RELU = 4, SQ_CUSTOM = 5 };

/* The arrays a program runs on (pointers into the store's buffers) and its sizes. */
typedef struct {
    /* int32 index tables, by position p (activation order) unless said otherwise */
    const int32_t *order, *squash, *selfconn;
    const int32_t *in_ptr, *in_conn, *out_ptr, *out_conn, *gate_ptr, *gate_conn;
    const int32_t *nb_ptr, *nb_neuron, *nb_old, *nb_xtrace, *nb_self, *inf_ptr, *inf_conn;
    const int32_t *conn_from, *conn_gater; /* by connection slot */
    int32_t *conn_to;                       /* by connection slot: a copy of plan.conn_to */
    /* doubles by neuron slot */
    double *bias, *state, *old, *act, *der, *resp, *perr, *gerr;
    /* doubles by connection slot */
    double *weight, *gain, *elig;
    double *xtrace, *aux;
    Py_ssize_t n, n_in, n_out;
    double *infl; /* scratch: one influence per gated neighbour of the neuron being run */
    unsigned char *flags; /* by position: F_PLAIN, F_GROUP (set by program_validate) */
} Tables;

/* F_PLAIN: no gated input, gates nothing: while its self-connection (if any) weighs 0, checked at
 * run time, the sum and traces need no gains and no self term.
 * F_GROUP: positions p..p+3 are plain built-in squashes with as many inputs, none from p..p+3: their
 * four sums are independent, so they run side by side (each still in its own order). */
enum { F_PLAIN = 1, F_GROUP = 2 };
#define GROUP 4

/* A custom squash: fn(x) -> (value, derivative); returns -1 with an exception set. */
typedef int (*custom_fn)(void *context, Py_ssize_t position, double x, double *value, double *derivative);

/* The self-connection of position p when it counts (weight != 0, checked at run time), else -1. */
static inline int32_t self_of(const Tables *t, int32_t index) {
    return (index >= 0 && t->weight[index] != 0) ? index : -1;
}

static inline double self_factor(const Tables *t, int32_t index) {
    return t->conn_gater[index] >= 0 ? t->gain[index] * t->weight[index] : t->weight[index];
}

/* Input neurons: activation = input, derivative 0, bias 0, state = old = 0. */
static inline void run_inputs(Tables *t, const double *x) {
    for (Py_ssize_t p = 0; p < t->n_in; p++) {
        int32_t j = t->order[p];
        t->act[j] = x[p];
        t->der[j] = 0.0;
        t->bias[j] = 0.0;
        t->state[j] = 0.0;
        t->old[j] = 0.0;
    }
}

/* Activation and derivative of position p for state s (eq. 16 and f'(s)); -1 with an exception set. */
static inline int squash_at(Tables *t, Py_ssize_t p, double s, double *value, double *derivative, custom_fn custom,
                            void *context) {
    double a, d;
    switch (t->squash[p]) {
    case SQ_LOGISTIC:
        a = 1.0 / (1.0 + exp(-s));
        d = a * (1.0 - a);
        break;
    case SQ_TANH: { /* Q-TANH; Q-AUX: exp(state) is left in aux */
        double u = exp(s);
        if (u == 0.0 || u == HUGE_VAL) {
            a = NAN;
            d = NAN;
        } else {
            double v = 1.0 / u;
            a = (u - v) / (u + v);
            d = 1.0 - a * a;
        }
        t->aux[0] = u;
        break;
    }
    case SQ_IDENTITY:
        a = s;
        d = 1.0;
        break;
    case SQ_HLIM:
        a = s > 0 ? 1.0 : 0.0;
        d = 1.0;
        break;
    case SQ_RELU:
        a = s > 0 ? s : 0.0;
        d = s > 0 ? 1.0 : 0.0;
        break;
    default:
        if (custom(context, p, s, &a, &d) < 0)
            return -1;
    }
    *value = a;
    *derivative = d;
    return 0;
}

/* Four independent plain positions p..p+3 (F_GROUP): the sums side by side, then each neuron in turn. */
static inline int run_group(Tables *t, Py_ssize_t p, custom_fn custom, void *context) {
    double *A = t->act, *S = t->state, *W = t->weight;
    const int32_t *from = t->conn_from, *in = t->in_conn;
    int32_t j0 = t->order[p], j1 = t->order[p + 1], j2 = t->order[p + 2], j3 = t->order[p + 3];
    const int32_t *c0 = in + t->in_ptr[p], *c1 = in + t->in_ptr[p + 1], *c2 = in + t->in_ptr[p + 2],
                  *c3 = in + t->in_ptr[p + 3];
    int32_t count = t->in_ptr[p + 1] - t->in_ptr[p];
    double s0 = t->bias[j0], s1 = t->bias[j1], s2 = t->bias[j2], s3 = t->bias[j3];
    for (int32_t k = 0; k < count; k++) {
        s0 = s0 + A[from[c0[k]]] * W[c0[k]];
        s1 = s1 + A[from[c1[k]]] * W[c1[k]];
        s2 = s2 + A[from[c2[k]]] * W[c2[k]];
        s3 = s3 + A[from[c3[k]]] * W[c3[k]];
    }
    double sums[GROUP] = {s0, s1, s2, s3};
    double *E = t->elig; /* a local: stores through E cannot be taken to move t->elig (-fno-strict-aliasing) */
    for (int q = 0; q < GROUP; q++) {
        int32_t j = t->order[p + q];
        const int32_t *cs = in + t->in_ptr[p + q];
        t->old[j] = S[j];
        S[j] = sums[q];
        if (squash_at(t, p + q, sums[q], &A[j], &t->der[j], custom, context) < 0)
            return -1;
        for (int32_t k = 0; k < count; k++) /* eq. 17 without a self-connection or gain */
            E[cs[k]] = A[from[cs[k]]];
    }
    return 0;
}

/* Hidden and output neurons in order (Neuron.activate, eq. 15-18). 0, or -1 with an exception set. */
static int run_activate(Tables *t, custom_fn custom, void *context) {
    double *A = t->act, *S = t->state, *O = t->old, *D = t->der, *B = t->bias;
    double *W = t->weight, *G = t->gain, *E = t->elig, *X = t->xtrace;
    const int32_t *from = t->conn_from, *gater = t->conn_gater;
    const int32_t *IC = t->in_conn; /* a local: stores to E and X would make the compiler reload t->in_conn */
    for (Py_ssize_t p = t->n_in; p < t->n; p++) {
        unsigned char flags = t->flags[p];
        if ((flags & F_GROUP) && self_of(t, t->selfconn[p]) < 0 && self_of(t, t->selfconn[p + 1]) < 0 &&
            self_of(t, t->selfconn[p + 2]) < 0 && self_of(t, t->selfconn[p + 3]) < 0) {
            if (run_group(t, p, custom, context) < 0)
                return -1;
            p += GROUP - 1;
            continue;
        }
        int32_t j = t->order[p];
        int32_t first = t->in_ptr[p], stop = t->in_ptr[p + 1];
        double s, a, d;
        if ((flags & F_PLAIN) && self_of(t, t->selfconn[p]) < 0) {
            O[j] = S[j];
            s = B[j];
            for (int32_t k = first; k < stop; k++) {
                int32_t c = IC[k];
                s = s + A[from[c]] * W[c];
            }
            S[j] = s;
            if (squash_at(t, p, s, &A[j], &D[j], custom, context) < 0)
                return -1;
            for (int32_t k = first; k < stop; k++) {
                int32_t c = IC[k];
                E[c] = A[from[c]];
            }
            continue;
        }
        int32_t own = self_of(t, t->selfconn[p]);
        O[j] = S[j];
        /* eq. 15 */
        if (own >= 0)
            s = self_factor(t, own) * S[j] + B[j];
        else
            s = B[j];
        for (int32_t k = first; k < stop; k++) {
            int32_t c = IC[k];
            if (gater[c] >= 0)
                s = s + A[from[c]] * W[c] * G[c];
            else
                s = s + A[from[c]] * W[c];
        }
        S[j] = s;
        if (squash_at(t, p, s, &a, &d, custom, context) < 0)
            return -1;
        A[j] = a;
        D[j] = d;
        /* Q-GAIN: gains of gated connections first, traces after */
        for (int32_t k = t->gate_ptr[p]; k < t->gate_ptr[p + 1]; k++)
            G[t->gate_conn[k]] = a;
        if (first == stop)
            continue;
        int32_t e0 = t->nb_ptr[p], e1 = t->nb_ptr[p + 1];
        for (int32_t e = e0; e < e1; e++) { /* the influence, first-term form */
            double i = 0.0;
            int started = 0;
            if (t->nb_old[e]) {
                i = O[t->nb_neuron[e]];
                started = 1;
            }
            for (int32_t k = t->inf_ptr[e]; k < t->inf_ptr[e + 1]; k++) {
                int32_t c = t->inf_conn[k];
                double term = W[c] * A[from[c]];
                i = started ? i + term : term;
                started = 1;
            }
            t->infl[e - e0] = i;
        }
        for (int32_t k = first; k < stop; k++) {
            int32_t c = IC[k];
            double incoming = gater[c] >= 0 ? G[c] * A[from[c]] : A[from[c]];
            double h = own >= 0 ? self_factor(t, own) * E[c] + incoming : incoming; /* eq. 17 */
            E[c] = h;
            for (int32_t e = e0; e < e1; e++) { /* eq. 18 */
                int32_t x = t->nb_xtrace[e] + (k - first);
                int32_t theirs = self_of(t, t->nb_self[e]);
                if (theirs >= 0)
                    X[x] = self_factor(t, theirs) * X[x] + d * h * t->infl[e - e0];
                else
                    X[x] = d * h * t->infl[e - e0];
            }
        }
    }
    return 0;
}

/* The influence of gater position p on neighbour entry e, as the error equations sum it (eq. 22). */
static inline double influence_for_errors(const Tables *t, int32_t e) {
    double i = t->nb_old[e] ? t->old[t->nb_neuron[e]] : 0.0;
    for (int32_t k = t->inf_ptr[e]; k < t->inf_ptr[e + 1]; k++) {
        int32_t c = t->inf_conn[k];
        i = i + t->weight[c] * t->act[t->conn_from[c]];
    }
    return i;
}

static inline double projected_sum(const Tables *t, Py_ssize_t p, double start) {
    double sum = start;
    for (int32_t k = t->out_ptr[p]; k < t->out_ptr[p + 1]; k++) {
        int32_t c = t->out_conn[k];
        if (t->conn_gater[c] >= 0)
            sum = sum + t->resp[t->conn_to[c]] * t->gain[c] * t->weight[c];
        else
            sum = sum + t->resp[t->conn_to[c]] * t->weight[c];
    }
    return sum;
}

/* Positions n-1 down to n_in; the last n_out take targets (Neuron.propagate, eq. 10, 21-24). */
static void run_propagate(Tables *t, double r, const double *targets) {
    double *A = t->act, *D = t->der, *B = t->bias, *R = t->resp, *P = t->perr, *Q = t->gerr;
    double *W = t->weight, *E = t->elig, *X = t->xtrace;
    const int32_t *IC = t->in_conn; /* locals, not t->...: a store to W[c] would make the compiler reload them */
    Py_ssize_t output_start = t->n - t->n_out;
    for (Py_ssize_t p = t->n - 1; p >= t->n_in; p--) {
        int32_t j = t->order[p];
        int32_t first = t->in_ptr[p], stop = t->in_ptr[p + 1];
        double e;
        if (p >= output_start) { /* eq. 10; Q-OUTX: extended traces ignored */
            e = targets[p - output_start] - A[j];
            R[j] = e;
            P[j] = e;
            for (int32_t k = first; k < stop; k++) {
                int32_t c = IC[k];
                W[c] = W[c] + r * (e * E[c]);
            }
            B[j] = B[j] + r * e;
            continue;
        }
        int projected = t->out_ptr[p + 1] > t->out_ptr[p];
        int gated = t->gate_ptr[p + 1] > t->gate_ptr[p];
        int32_t e0 = t->nb_ptr[p], e1 = t->nb_ptr[p + 1];
        if (projected && gated) { /* eq. 21-24; Q-AUX: the projected sum starts from aux */
            double pe = D[j] * projected_sum(t, p, t->aux[0]);
            double x = 0.0;
            for (int32_t n = e0; n < e1; n++)
                x = x + R[t->nb_neuron[n]] * influence_for_errors(t, n);
            double g = D[j] * x;
            e = pe + g;
            P[j] = pe;
            Q[j] = g;
            R[j] = e;
            for (int32_t k = first; k < stop; k++) {
                int32_t c = IC[k];
                x = pe * E[c];
                for (int32_t n = e0; n < e1; n++)
                    x = x + R[t->nb_neuron[n]] * X[t->nb_xtrace[n] + (k - first)];
                W[c] = W[c] + r * x;
            }
            t->aux[0] = x;
        } else if (projected) {
            e = projected_sum(t, p, 0.0) * D[j];
            R[j] = e;
            P[j] = e;
            Q[j] = 0.0;
            for (int32_t k = first; k < stop; k++) {
                int32_t c = IC[k];
                W[c] = W[c] + r * (e * E[c]);
            }
        } else if (gated) {
            double x = t->aux[0];
            e = 0.0;
            for (int32_t n = e0; n < e1; n++) {
                x = influence_for_errors(t, n);
                e = e + R[t->nb_neuron[n]] * x;
            }
            e = e * D[j];
            Q[j] = e;
            R[j] = e;
            P[j] = 0.0;
            for (int32_t k = first; k < stop; k++) {
                int32_t c = IC[k];
                x = 0.0;
                for (int32_t n = e0; n < e1; n++)
                    x = x + R[t->nb_neuron[n]] * X[t->nb_xtrace[n] + (k - first)];
                W[c] = W[c] + r * x;
            }
            t->aux[0] = x;
        } else { /* Q-DEADEND */
            e = 0.0;
            R[j] = 0.0;
            P[j] = 0.0;
            Q[j] = 0.0;
        }
        B[j] = B[j] + r * e;
    }
}

#endif
