/* Program.train: synjson.train.trainer.Trainer.train's loop in C (included by _kernel.c only).
 *
 * Per iteration: the rate (number, buckets of a list, or a Python callable), a snapshot (guard),
 * activate + propagate + cost for every sample in the current order, the mean error (or the
 * cross-validation error over a test set), the finiteness check, the error history, the schedule
 * or log callback, and a Fisher-Yates shuffle drawing rng.random() as trainer.fisher_yates does.
 * Costs follow synjson/train/cost.py operation by operation.
 */

enum { COST_MSE = 0, COST_CROSS_ENTROPY = 1, COST_BINARY = 2, COST_CALLBACK = 3 };

#define TRAIN_DOC                                                                                             \
    "train($self, rows, targets, n_rows, iterations, error, cost, rate, *, rng=None, every=0,\n"           \
    "      schedule=None, log_every=0, log=None, history=None, test_rows=None, test_targets=None,\n"         \
    "      n_test=0, test_error=None, guard=True)\n--\n\n"                                                   \
    "Trainer.train's loop; returns (error, iterations, failure).\n"                                         \
    "rows/targets: flat double buffers (n_rows x inputs, n_rows x outputs).\n"                              \
    "cost: 'MSE' | 'CROSS_ENTROPY' | 'BINARY' or cost(target, output). rate: a number, a list of numbers\n"   \
    "(equal buckets over the iterations) or rate(iteration, last_error). rng: shuffle after each iteration\n" \
    "with rng.random(). schedule(info) every `every` iterations (a true result stops); otherwise\n"          \
    "log(iteration, error, rate) every `log_every`. history: writable doubles, the mean error of iteration\n" \
    "i goes to history[i - 1]. test_*: cross-validation (mean cost over the test set, stop at test_error).\n"  \
    "guard: after each iteration check state, activation, bias and weights; on a NaN or infinity restore\n"   \
    "the values from before the iteration and return failure = (position, field), field 'error' for a\n"     \
    "non-finite mean error. An OverflowError or ZeroDivisionError raised inside an iteration also restores\n" \
    "them (guard) and propagates; Program.iteration says which iteration."

static double js_log(double x) {
    if (x > 0)
        return log(x);
    if (x == 0)
        return -HUGE_VAL;
    return NAN;
}

static double js_round(double x) {
    if (!isfinite(x))
        return x;
    double floor_ = floor(x);
    return x - floor_ >= 0.5 ? floor_ + 1 : floor_;
}

static PyObject *floats_list(const double *values, Py_ssize_t count) {
    PyObject *list = PyList_New(count);
    for (Py_ssize_t k = 0; list != NULL && k < count; k++) {
        PyObject *value = PyFloat_FromDouble(values[k]);
        if (value == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, k, value);
    }
    return list;
}

/* cost(target, output) with the network's current outputs; -1 with an exception set. */
static int add_cost(Program *self, int kind, PyObject *callback, const double *target, double *total) {
    Tables *t = &self->t;
    const int32_t *outputs = t->order + (t->n - t->n_out);
    Py_ssize_t n_out = t->n_out;
    if (kind == COST_MSE) {
        double sum = 0.0;
        for (Py_ssize_t k = 0; k < n_out; k++) {
            double difference = target[k] - t->act[outputs[k]];
            sum += difference * difference;
        }
        if (n_out == 0)
            return PyErr_SetString(PyExc_ZeroDivisionError, "float division by zero"), -1;
        *total += sum / (double)n_out;
    } else if (kind == COST_CROSS_ENTROPY) {
        double sum = 0.0;
        for (Py_ssize_t k = 0; k < n_out; k++) {
            double y = target[k], o = t->act[outputs[k]];
            sum -= (y * js_log(o + 1e-15)) + ((1 - y) * js_log((1 + 1e-15) - o));
        }
        *total += sum;
    } else if (kind == COST_BINARY) {
        int misses = 0;
        for (Py_ssize_t k = 0; k < n_out; k++)
            misses += js_round(target[k] * 2) != js_round(t->act[outputs[k]] * 2);
        *total += (double)misses;
    } else {
        double *values = self->tmp; /* the outputs, as activate returned them */
        for (Py_ssize_t k = 0; k < n_out; k++)
            values[k] = t->act[outputs[k]];
        PyObject *y = floats_list(target, n_out), *o = y ? floats_list(values, n_out) : NULL;
        PyObject *result = o ? PyObject_CallFunctionObjArgs(callback, y, o, NULL) : NULL;
        Py_XDECREF(y);
        Py_XDECREF(o);
        if (result == NULL)
            return -1;
        double value = PyFloat_AsDouble(result);
        Py_DECREF(result);
        if (value == -1.0 && PyErr_Occurred())
            return -1;
        *total += value;
    }
    return 0;
}

/* Every double array, one after another, into or out of `saved`. */
static void snapshot_copy(Program *self, double *saved, int restore) {
    for (size_t k = 0; k < N_DOUBLE; k++) {
        Py_buffer *view = &self->bufs[N_INT + k];
        if (view->len == 0)
            continue;
        if (restore)
            memcpy(view->buf, saved, view->len);
        else
            memcpy(saved, view->buf, view->len);
        saved += view->len / 8;
    }
}

/* Network.first_non_finite over positions: 0 when all is finite. */
static int first_non_finite(Program *self, Py_ssize_t *position, const char **field) {
    Tables *t = &self->t;
    for (Py_ssize_t p = 0; p < t->n; p++) {
        int32_t j = t->order[p];
        *position = p;
        if (!isfinite(t->state[j]))
            return *field = "state", 1;
        if (!isfinite(t->act[j]))
            return *field = "activation", 1;
        if (!isfinite(t->bias[j]))
            return *field = "bias", 1;
        for (int32_t k = t->in_ptr[p]; k < t->in_ptr[p + 1]; k++)
            if (!isfinite(t->weight[t->in_conn[k]]))
                return *field = "weight", 1;
    }
    return 0;
}

static int read_cost(PyObject *cost, int *kind) {
    if (PyUnicode_Check(cost)) {
        const char *names[] = {"MSE", "CROSS_ENTROPY", "BINARY"};
        for (int k = 0; k < 3; k++)
            if (PyUnicode_CompareWithASCIIString(cost, names[k]) == 0)
                return *kind = k, 0;
        return raise_error("ArgumentError", "cost must be 'MSE', 'CROSS_ENTROPY', 'BINARY' or a callable, got %R",
                           cost);
    }
    if (!PyCallable_Check(cost))
        return PyErr_Format(PyExc_TypeError, "cost must be a name or a callable, got %R", cost), -1;
    *kind = COST_CALLBACK;
    return 0;
}

typedef struct {
    double constant;
    double *buckets; /* owned */
    Py_ssize_t count, bucket;
    PyObject *callback; /* borrowed */
} Rate;

static int read_train_rate(PyObject *rate, Py_ssize_t iterations, Rate *out) {
    if (PyFloat_Check(rate) || (PyLong_Check(rate) && !PyBool_Check(rate))) {
        out->constant = PyFloat_AsDouble(rate);
        return (out->constant == -1.0 && PyErr_Occurred()) ? -1 : 0;
    }
    if (PyCallable_Check(rate)) {
        out->callback = rate;
        return 0;
    }
    PyObject *list = PySequence_Check(rate) ? PySequence_Tuple(rate) : NULL; /* a copy: float() cannot shrink it */
    if (list == NULL) {
        if (!PyErr_Occurred() || PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            raise_error("ArgumentError", "rate must be a number, a list of numbers or a callable, got %R", rate);
        }
        return -1;
    }
    Py_ssize_t count = PySequence_Fast_GET_SIZE(list);
    out->buckets = PyMem_Malloc(sizeof(double) * (count + 1));
    if (out->buckets == NULL) {
        Py_DECREF(list);
        return PyErr_NoMemory(), -1;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        out->buckets[k] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(list, k));
        if (out->buckets[k] == -1.0 && PyErr_Occurred()) {
            Py_DECREF(list);
            return -1;
        }
        if (out->buckets[k] == 0)
            count = 0;
    }
    Py_DECREF(list);
    if (count == 0)
        return raise_error("ArgumentError", "a rate list needs at least one entry and no zeros");
    out->count = count;
    out->bucket = iterations / count;
    if (out->bucket == 0)
        return raise_error("ArgumentError", "a rate list longer than the iterations (%zd > %zd)", count,
                           iterations);
    return 0;
}

static int rate_at(const Rate *rate, Py_ssize_t iteration, double last_error, double *out) {
    if (rate->buckets != NULL) {
        Py_ssize_t k = iteration / rate->bucket;
        *out = rate->buckets[k < rate->count - 1 ? k : rate->count - 1];
    } else if (rate->callback != NULL) {
        PyObject *result = PyObject_CallFunction(rate->callback, "nd", iteration, last_error);
        if (result == NULL)
            return -1;
        *out = PyFloat_AsDouble(result);
        Py_DECREF(result);
        if (*out == -1.0 && PyErr_Occurred())
            return -1;
    } else {
        *out = rate->constant;
    }
    return 0;
}

static PyObject *program_train(Program *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"rows", "targets", "n_rows", "iterations", "error", "cost", "rate", "rng", "every",
                             "schedule", "log_every", "log", "history", "test_rows", "test_targets", "n_test",
                             "test_error", "guard", NULL};
    PyObject *rows_obj, *targets_obj, *cost_obj, *rate_obj, *rng = Py_None, *schedule = Py_None, *log_fn = Py_None;
    PyObject *history_obj = Py_None, *test_rows_obj = Py_None, *test_targets_obj = Py_None, *test_error_obj = Py_None;
    Py_ssize_t n_rows, iterations, every = 0, log_every = 0, n_test = 0;
    double target_error;
    int guard = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOnndOO|$OnOnOOOOnOp:train", kwlist, &rows_obj, &targets_obj,
                                     &n_rows, &iterations, &target_error, &cost_obj, &rate_obj, &rng, &every,
                                     &schedule, &log_every, &log_fn, &history_obj, &test_rows_obj, &test_targets_obj,
                                     &n_test, &test_error_obj, &guard))
        return NULL;
    if (program_ready(self) < 0)
        return NULL;
    Tables *t = &self->t;
    Py_buffer rows = {0}, targets = {0}, test_rows = {0}, test_targets = {0}, history = {0};
    Gate *entered = NULL;
    int have_rows = 0, have_targets = 0, have_test_rows = 0, have_test_targets = 0, have_history = 0;
    Rate rate = {0};
    int cost_kind = COST_MSE;
    PyObject *result = NULL, *random = NULL, *failure = Py_None;
    double *saved = NULL;
    Py_ssize_t *perm = NULL, n_total = 0;
    double test_error = 0;
    int has_test_error = test_error_obj != Py_None;

    if (has_test_error) {
        test_error = PyFloat_AsDouble(test_error_obj);
        if (test_error == -1.0 && PyErr_Occurred())
            goto done;
    }
    if (n_rows < 1 || iterations < 1 || n_test < 0 || every < 0 || log_every < 0) {
        raise_error("ArgumentError", "train: n_rows and iterations must be positive, n_test, every and log_every "
                                     "not negative");
        goto done;
    }
    if (__builtin_add_overflow(n_rows, n_test, &n_total)) {
        raise_error("LimitError", "train: %zd rows and %zd test rows do not fit in memory", n_rows, n_test);
        goto done;
    }
    if (read_cost(cost_obj, &cost_kind) < 0 || read_train_rate(rate_obj, iterations, &rate) < 0)
        goto done;
    if (get_buffer(rows_obj, &rows, 'd', 8, 0, "rows") < 0)
        goto done;
    have_rows = 1;
    if (get_buffer(targets_obj, &targets, 'd', 8, 0, "targets") < 0)
        goto done;
    have_targets = 1;
    Py_ssize_t need_in = rows_times(n_rows, t->n_in, "train"), need_out = 0;
    if (need_in < 0 || (need_out = rows_times(n_rows, t->n_out, "train")) < 0)
        goto done;
    if (rows.len / 8 < need_in || targets.len / 8 < need_out) {
        raise_error("ArgumentError", "train: %zd rows need %zd input and %zd target doubles", n_rows, need_in,
                    need_out);
        goto done;
    }
    if (n_test > 0) {
        if (get_buffer(test_rows_obj, &test_rows, 'd', 8, 0, "test_rows") < 0)
            goto done;
        have_test_rows = 1;
        if (get_buffer(test_targets_obj, &test_targets, 'd', 8, 0, "test_targets") < 0)
            goto done;
        have_test_targets = 1;
        Py_ssize_t test_in = rows_times(n_test, t->n_in, "train"), test_out = 0;
        if (test_in < 0 || (test_out = rows_times(n_test, t->n_out, "train")) < 0)
            goto done;
        if (test_rows.len / 8 < test_in || test_targets.len / 8 < test_out) {
            raise_error("ArgumentError", "train: %zd test rows need %zd input and %zd target doubles", n_test,
                        test_in, test_out);
            goto done;
        }
    }
    if (history_obj != Py_None) {
        if (get_buffer(history_obj, &history, 'd', 8, 1, "history") < 0)
            goto done;
        have_history = 1;
    }
    if (rng != Py_None && (random = PyObject_GetAttrString(rng, "random")) == NULL)
        goto done;
    perm = PyMem_New(Py_ssize_t, n_total); /* NULL when the size overflows */
    if (perm == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n_total; k++)
        perm[k] = k;
    if (guard) {
        Py_ssize_t size = 0;
        for (size_t k = 0; k < N_DOUBLE; k++)
            size += self->bufs[N_INT + k].len;
        if ((saved = PyMem_Malloc(size + 8)) == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }

    const double *x = rows.buf, *y = targets.buf;
    double mean_error = 1.0, last_error = 0.0, current = 0.0; /* Q-T-ERROR: starts at 1 */
    Py_ssize_t iteration = 0;
    int abort_ = 0;
    if ((entered = program_enter(self)) == NULL) /* docs/engine.md, "Threads" */
        goto done;
    self->iteration = 0;
    while (!abort_ && iteration < iterations && mean_error > target_error) {
        if (has_test_error && mean_error <= test_error)
            break;
        iteration += 1;
        self->iteration = iteration;
        if (rate_at(&rate, iteration, last_error, &current) < 0)
            goto done;
        if (saved != NULL)
            snapshot_copy(self, saved, 0);
        double total = 0.0;
        for (Py_ssize_t s = 0; s < n_rows; s++) {
            Py_ssize_t k = n_test ? s : perm[s];
            if (program_step(self, x + k * t->n_in) < 0)
                goto failed;
            run_propagate(t, current, y + k * t->n_out);
            if (add_cost(self, cost_kind, cost_obj, y + k * t->n_out, &total) < 0)
                goto failed;
        }
        if (n_test) {
            const double *tx = test_rows.buf, *ty = test_targets.buf;
            total = 0.0;
            for (Py_ssize_t s = 0; s < n_test; s++) {
                if (program_step(self, tx + s * t->n_in) < 0 ||
                    add_cost(self, cost_kind, cost_obj, ty + s * t->n_out, &total) < 0)
                    goto failed;
            }
            mean_error = total / (double)n_test;
        } else {
            mean_error = total / (double)n_rows;
        }
        if (saved != NULL) {
            Py_ssize_t position;
            const char *field;
            int found = first_non_finite(self, &position, &field);
            if (!found && !isfinite(mean_error)) {
                found = 1;
                position = -1;
                field = "error";
            }
            if (found) {
                snapshot_copy(self, saved, 1);
                failure = Py_BuildValue("(ns)", position, field);
                if (failure == NULL)
                    goto done;
                break;
            }
        }
        last_error = mean_error;
        if (have_history && iteration - 1 < history.len / 8)
            ((double *)history.buf)[iteration - 1] = mean_error;
        if (every && schedule != Py_None && iteration % every == 0) {
            PyObject *info = Py_BuildValue("{s:d,s:n,s:d}", "error", mean_error, "iterations", iteration, "rate",
                                           current);
            PyObject *answer = info ? PyObject_CallOneArg(schedule, info) : NULL;
            Py_XDECREF(info);
            if (answer == NULL)
                goto done;
            abort_ = PyObject_IsTrue(answer);
            Py_DECREF(answer);
            if (abort_ < 0)
                goto done;
        } else if (log_every && log_fn != Py_None && iteration % log_every == 0) {
            PyObject *answer = PyObject_CallFunction(log_fn, "ndd", iteration, mean_error, current);
            if (answer == NULL)
                goto done;
            Py_DECREF(answer);
        }
        if (random != NULL) { /* trainer.fisher_yates */
            for (Py_ssize_t i = n_total; i > 0; i--) {
                PyObject *drawn = PyObject_CallNoArgs(random);
                if (drawn == NULL)
                    goto done;
                double r = PyFloat_AsDouble(drawn);
                Py_DECREF(drawn);
                if (r == -1.0 && PyErr_Occurred())
                    goto done;
                if (!(r >= 0.0 && r < 1.0)) {
                    raise_error("ArgumentError", "rng.random() returned %S, outside [0, 1)", drawn = PyFloat_FromDouble(r));
                    Py_XDECREF(drawn);
                    goto done;
                }
                Py_ssize_t j = (Py_ssize_t)(r * (double)i), swap = perm[i - 1];
                perm[i - 1] = perm[j];
                perm[j] = swap;
            }
        }
    }
    result = Py_BuildValue("(dnO)", mean_error, iteration, failure);
    goto done;
failed:
    if (saved != NULL &&
        (PyErr_ExceptionMatches(PyExc_OverflowError) || PyErr_ExceptionMatches(PyExc_ZeroDivisionError)))
        snapshot_copy(self, saved, 1);
done:
    if (entered)
        program_exit(entered);
    if (failure != Py_None)
        Py_DECREF(failure);
    Py_XDECREF(random);
    PyMem_Free(saved);
    PyMem_Free(perm);
    PyMem_Free(rate.buckets);
    if (have_rows)
        PyBuffer_Release(&rows);
    if (have_targets)
        PyBuffer_Release(&targets);
    if (have_test_rows)
        PyBuffer_Release(&test_rows);
    if (have_test_targets)
        PyBuffer_Release(&test_targets);
    if (have_history)
        PyBuffer_Release(&history);
    return result;
}
