/* Program.activate_batch for networks without state between rows (included by _kernel.c only).
 *
 * When no self-connection weighs anything, nothing is gated, every input comes from an earlier position of
 * the network (not from a neuron outside it: the lanes hold only the network's values) and
 * no squash calls back into Python, a row's outputs depend on that row alone. LANES rows then run side
 * by side: lane l of every sum sees exactly the additions and products of row l, in the same order, so
 * each output is bit for bit what activate() returns. The store is then left as activate() leaves it
 * by running the last two rows the ordinary way (old = the state of the row before the last).
 */

#if defined(__GNUC__)
#define LANES 32 /* eight vectors of four doubles: eight independent chains per neuron */
typedef double v4d __attribute__((vector_size(32)));
#define load4(p) ({ v4d v_; memcpy(&v_, (p), sizeof v_); v_; })
#else
#define LANES 8
#endif

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define BATCH_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define BATCH_CLONES
#endif

/* Whether rows are independent (see above) while no self-connection weighs anything: decided once
 * per Program; no_self_weights() checks the weights at each call. */
static int rows_independent(const Tables *t, const int32_t *position) {
    for (Py_ssize_t p = t->n_in; p < t->n; p++) {
        if (t->gate_ptr[p] != t->gate_ptr[p + 1] || t->squash[p] == SQ_CUSTOM)
            return 0;
        for (int32_t k = t->in_ptr[p]; k < t->in_ptr[p + 1]; k++) {
            int32_t c = t->in_conn[k];
            /* position -1: a neuron outside the network, whose activation the lanes do not hold */
            if (t->conn_gater[c] >= 0 || position[t->conn_from[c]] >= p || position[t->conn_from[c]] < 0)
                return 0;
        }
    }
    return 1;
}

static int no_self_weights(const Tables *t) {
    for (Py_ssize_t p = t->n_in; p < t->n; p++)
        if (self_of(t, t->selfconn[p]) >= 0)
            return 0;
    return 1;
}

/* LANES rows from x (row stride n_in) into y (row stride n_out); values: n_slots * LANES scratch. */
BATCH_CLONES static void run_lanes(Tables *t, const double *x, double *y, Py_ssize_t rows, double *values) {
    for (Py_ssize_t p = 0; p < t->n_in; p++)
        for (Py_ssize_t l = 0; l < LANES; l++)
            values[(Py_ssize_t)t->order[p] * LANES + l] = x[(l < rows ? l : 0) * t->n_in + p];
    for (Py_ssize_t p = t->n_in; p < t->n; p++) {
        int32_t j = t->order[p];
        double s[LANES];
#if defined(__GNUC__)
        double b = t->bias[j];
        v4d s0 = {b, b, b, b}, s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        for (int32_t k = t->in_ptr[p]; k < t->in_ptr[p + 1]; k++) {
            int32_t c = t->in_conn[k];
            const double *a = values + (Py_ssize_t)t->conn_from[c] * LANES;
            double w = t->weight[c];
            v4d ws = {w, w, w, w};
            s0 = s0 + load4(a) * ws; /* lane by lane: s = s + a * w, as activate() */
            s1 = s1 + load4(a + 4) * ws;
            s2 = s2 + load4(a + 8) * ws;
            s3 = s3 + load4(a + 12) * ws;
            s4 = s4 + load4(a + 16) * ws;
            s5 = s5 + load4(a + 20) * ws;
            s6 = s6 + load4(a + 24) * ws;
            s7 = s7 + load4(a + 28) * ws;
        }
        memcpy(s, &s0, sizeof s0);
        memcpy(s + 4, &s1, sizeof s1);
        memcpy(s + 8, &s2, sizeof s2);
        memcpy(s + 12, &s3, sizeof s3);
        memcpy(s + 16, &s4, sizeof s4);
        memcpy(s + 20, &s5, sizeof s5);
        memcpy(s + 24, &s6, sizeof s6);
        memcpy(s + 28, &s7, sizeof s7);
#else
        for (Py_ssize_t l = 0; l < LANES; l++)
            s[l] = t->bias[j];
        for (int32_t k = t->in_ptr[p]; k < t->in_ptr[p + 1]; k++) {
            int32_t c = t->in_conn[k];
            const double *a = values + (Py_ssize_t)t->conn_from[c] * LANES;
            double w = t->weight[c];
            for (Py_ssize_t l = 0; l < LANES; l++)
                s[l] = s[l] + a[l] * w;
        }
#endif
        double *out = values + (Py_ssize_t)j * LANES;
        int code = t->squash[p];
        for (Py_ssize_t l = 0; l < LANES; l++) {
            double v = s[l], a;
            switch (code) {
            case SQ_LOGISTIC: a = 1.0 / (1.0 + exp(-v)); break;
            case SQ_TANH: {
                double u = exp(v);
                a = (u == 0.0 || u == HUGE_VAL) ? NAN : (u - 1.0 / u) / (u + 1.0 / u);
                break;
            }
            case SQ_IDENTITY: a = v; break;
            case SQ_HLIM: a = v > 0 ? 1.0 : 0.0; break;
            default: a = v > 0 ? v : 0.0; break;
            }
            out[l] = a;
        }
    }
    for (Py_ssize_t k = 0; k < t->n_out; k++)
        for (Py_ssize_t l = 0; l < rows; l++)
            y[l * t->n_out + k] = values[(Py_ssize_t)t->order[t->n - t->n_out + k] * LANES + l];
}

/* Rows first..stop-1 (stop - first of them), LANES at a time, with their own scratch. */
typedef struct {
    Tables *t;
    const double *x;
    double *y;
    Py_ssize_t first, stop;
    double *values;
} LaneJob;

static void *run_job(void *arg) {
    LaneJob *job = arg;
    Tables *t = job->t;
    for (Py_ssize_t row = job->first; row < job->stop; row += LANES) {
        Py_ssize_t count = job->stop - row < LANES ? job->stop - row : LANES;
        run_lanes(t, job->x + row * t->n_in, job->y + row * t->n_out, count, job->values);
    }
    return NULL;
}

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#define BATCH_THREADS 1
/* Rows from a thread of their own when there are enough of them (pthread_create costs ~50 us). */
#define ROWS_PER_THREAD 4096
#endif

/* The independent rows 0..stop-1, the GIL released, split across two threads when worth it.
 * values: 2 * (n_slots + 1) * LANES doubles. */
static void run_independent(Tables *t, const double *x, double *y, Py_ssize_t stop, double *values,
                            Py_ssize_t n_slots) {
    LaneJob jobs[2] = {{t, x, y, 0, stop, values}, {t, x, y, stop, stop, values + (n_slots + 1) * LANES}};
    Py_BEGIN_ALLOW_THREADS
#ifdef BATCH_THREADS
    pthread_t helper;
    int threaded = 0;
    if (stop >= 2 * ROWS_PER_THREAD) {
        Py_ssize_t half = (stop / 2 / LANES) * LANES;
        jobs[0].stop = half;
        jobs[1].first = half;
        threaded = pthread_create(&helper, NULL, run_job, &jobs[1]) == 0;
    }
    run_job(&jobs[0]);
    if (threaded)
        pthread_join(helper, NULL);
    else
        run_job(&jobs[1]);
#else
    run_job(&jobs[0]);
#endif
    Py_END_ALLOW_THREADS
}
