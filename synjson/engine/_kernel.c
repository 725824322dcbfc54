/* synjson.engine._kernel: the native kernel (issue 14), written against docs/engine.md's contract.
 *
 * Program(plan) runs a plan in place on the store's arrays (Py_buffers held until dealloc).
 * Core is the C base of Network: net.activate(x) reaches run_activate with no Python frame.
 * The numbers are the reference's bit for bit: see _kernel_run.h. Training (Program.train) is in
 * _kernel_train.h, JSON number formatting for saving in _kernel_json.h, Core in _kernel_core.h.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#include "_kernel_run.h"
#include "_kernel_batch.h"

/* -- buffers ------------------------------------------------------------------------------ */

/* The plan attributes a Program holds, in the order of Program.bufs. */
static const char *const INT_TABLES[] = {
    "order", "squash", "selfconn", "in_ptr", "in_conn", "out_ptr", "out_conn", "gate_ptr", "gate_conn",
    "nb_ptr", "nb_neuron", "nb_old", "nb_xtrace", "nb_self", "inf_ptr", "inf_conn", "conn_from", "conn_gater",
    "conn_to",
};
#define N_INT (sizeof(INT_TABLES) / sizeof(INT_TABLES[0]))
static const char *const DOUBLE_ARRAYS[] = {
    "bias", "state", "old", "activation", "derivative", "responsibility", "projected_error", "gated_error",
    "weight", "gain", "eligibility", "xtrace", "aux",
};
#define N_DOUBLE (sizeof(DOUBLE_ARRAYS) / sizeof(DOUBLE_ARRAYS[0]))
#define N_NEURON_ARRAYS 8 /* the first 8 doubles are per neuron slot */
#define N_BUFS (N_INT + N_DOUBLE)

static int format_is(const Py_buffer *view, char code) {
    const char *f = view->format;
    if (f == NULL)
        return code == 'B';
    if (*f == '@' || *f == '=' || *f == '<')
        f++;
    return f[0] == code && f[1] == '\0';
}

/* A C-contiguous buffer of `code` items (itemsize checked) from obj; writable when asked. */
static int get_buffer(PyObject *obj, Py_buffer *view, char code, Py_ssize_t itemsize, int writable,
                      const char *what) {
    int flags = PyBUF_FORMAT | PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) {
        PyErr_Format(PyExc_TypeError, "%s must be a contiguous%s buffer of '%c' items, got %.100s", what,
                     writable ? " writable" : "", code, Py_TYPE(obj)->tp_name);
        return -1;
    }
    if (view->itemsize != itemsize || !format_is(view, code)) {
        PyErr_Format(PyExc_TypeError, "%s must hold '%c' items of %zd bytes, got format '%s' of %zd bytes", what,
                     code, itemsize, view->format ? view->format : "B", view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *state_error_type(void) {
    PyObject *module = PyImport_ImportModule("synjson.errors");
    if (module == NULL)
        return NULL;
    PyObject *type = PyObject_GetAttrString(module, "StateError");
    Py_DECREF(module);
    return type;
}

/* -- Program ------------------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    Tables t;
    Py_buffer bufs[N_BUFS];
    int held; /* buffers 0..held-1 are held */
    PyObject *custom; /* tuple of callables by position (None where built in), or NULL */
    double *tmp;      /* inputs or targets being read: max(n_in, n_out) doubles */
    int independent;  /* rows of a batch are independent (_kernel_batch.h) */
    Py_ssize_t n_slots, n_conn, n_x, iteration;
} Program;

static PyTypeObject ProgramType;

static int call_custom(void *context, Py_ssize_t position, double x, double *value, double *derivative) {
    Program *self = (Program *)context;
    PyObject *fn = self->custom ? PyTuple_GET_ITEM(self->custom, position) : Py_None;
    if (fn == Py_None) {
        PyErr_Format(PyExc_ValueError, "position %zd has a custom squash but plan.custom[%zd] is None", position,
                     position);
        return -1;
    }
    PyObject *arg = PyFloat_FromDouble(x);
    if (arg == NULL)
        return -1;
    PyObject *result = PyObject_CallOneArg(fn, arg);
    Py_DECREF(arg);
    if (result == NULL)
        return -1;
    PyObject *pair = PySequence_Fast(result, "a custom squash must return (value, derivative)");
    Py_DECREF(result);
    if (pair == NULL)
        return -1;
    if (PySequence_Fast_GET_SIZE(pair) != 2) {
        PyErr_Format(PyExc_ValueError, "a custom squash must return (value, derivative), got %zd values",
                     PySequence_Fast_GET_SIZE(pair));
        Py_DECREF(pair);
        return -1;
    }
    *value = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(pair, 0));
    *derivative = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(pair, 1));
    Py_DECREF(pair);
    return PyErr_Occurred() ? -1 : 0;
}

static int check_range(const int32_t *values, Py_ssize_t count, Py_ssize_t low, Py_ssize_t high, const char *what) {
    for (Py_ssize_t i = 0; i < count; i++) {
        if (values[i] < low || values[i] >= high) {
            PyErr_Format(PyExc_ValueError, "plan.%s[%zd] = %d is out of range [%zd, %zd)", what, i, (int)values[i],
                         low, high);
            return -1;
        }
    }
    return 0;
}

/* ptr has `rows + 1` non-decreasing entries from 0 to at most `limit`. */
static int check_ptr(const int32_t *ptr, Py_ssize_t length, Py_ssize_t rows, Py_ssize_t limit, const char *what) {
    if (length != rows + 1) {
        PyErr_Format(PyExc_ValueError, "plan.%s has %zd entries, expected %zd", what, length, rows + 1);
        return -1;
    }
    if (ptr[0] != 0 || ptr[rows] > limit) {
        PyErr_Format(PyExc_ValueError, "plan.%s must run from 0 to at most %zd", what, limit);
        return -1;
    }
    for (Py_ssize_t i = 0; i < rows; i++) {
        if (ptr[i + 1] < ptr[i]) {
            PyErr_Format(PyExc_ValueError, "plan.%s decreases at %zd", what, i);
            return -1;
        }
    }
    return 0;
}

#define LEN(k) (self->bufs[k].len / self->bufs[k].itemsize)
#define INTS(k) ((int32_t *)self->bufs[k].buf)

/* Tables.flags: which positions take the plain path, and where groups of GROUP plain positions start. */
static int set_flags(Program *self) {
    Tables *t = &self->t;
    Py_ssize_t n = t->n;
    int32_t *position = PyMem_Malloc(sizeof(int32_t) * (self->n_slots + 1));
    t->flags = PyMem_Calloc(n + 1, 1);
    if (position == NULL || t->flags == NULL) {
        PyMem_Free(position);
        return PyErr_NoMemory(), -1;
    }
    for (Py_ssize_t slot = 0; slot < self->n_slots; slot++)
        position[slot] = -1;
    for (Py_ssize_t p = 0; p < n; p++) {
        if (position[t->order[p]] >= 0) {
            PyMem_Free(position);
            return PyErr_Format(PyExc_ValueError, "plan.order holds slot %d twice", (int)t->order[p]), -1;
        }
        position[t->order[p]] = (int32_t)p;
    }
    for (Py_ssize_t p = t->n_in; p < n; p++) {
        int plain = t->gate_ptr[p] == t->gate_ptr[p + 1] && t->nb_ptr[p] == t->nb_ptr[p + 1];
        for (int32_t k = t->in_ptr[p]; plain && k < t->in_ptr[p + 1]; k++)
            plain = t->conn_gater[t->in_conn[k]] < 0;
        t->flags[p] = plain ? F_PLAIN : 0;
    }
    for (Py_ssize_t p = t->n_in; p + GROUP <= n;) {
        int ok = 1;
        int32_t count = t->in_ptr[p + 1] - t->in_ptr[p];
        for (Py_ssize_t q = p; ok && q < p + GROUP; q++) {
            ok = (t->flags[q] & F_PLAIN) && t->squash[q] != SQ_CUSTOM && t->in_ptr[q + 1] - t->in_ptr[q] == count;
            for (int32_t k = t->in_ptr[q]; ok && k < t->in_ptr[q + 1]; k++) {
                int32_t source = position[t->conn_from[t->in_conn[k]]];
                ok = source < p || source >= p + GROUP;
            }
        }
        if (ok)
            t->flags[p] |= F_GROUP;
        p += ok ? GROUP : 1;
    }
    self->independent = rows_independent(t, position);
    PyMem_Free(position);
    return 0;
}

/* Every index in range, so no table can make the kernel read or write outside the arrays. */
static int program_validate(Program *self) {
    Tables *t = &self->t;
    /* The store's arrays may be longer than the slots in use (room to grow): neuron slots index the
     * shortest neuron array, connection slots run up to len(conn_from), which each array must cover. */
    Py_ssize_t n = LEN(0), slots = LEN(N_INT), conn = LEN(16);
    for (size_t k = 1; k < N_NEURON_ARRAYS; k++)
        if (LEN(N_INT + k) < slots)
            slots = LEN(N_INT + k);
    self->n_slots = slots;
    if (LEN(17) != conn)
        return PyErr_Format(PyExc_ValueError, "plan.conn_gater has %zd items, plan.conn_from %zd", LEN(17), conn), -1;
    for (size_t k = 8; k < 11; k++)
        if (LEN(N_INT + k) < conn)
            return PyErr_Format(PyExc_ValueError, "plan.%s has %zd items, fewer than the %zd connections",
                                DOUBLE_ARRAYS[k], LEN(N_INT + k), conn), -1;
    if (LEN(N_INT + 12) < 1)
        return PyErr_Format(PyExc_ValueError, "plan.aux must hold one item"), -1;
    if (LEN(1) != n || LEN(2) != n)
        return PyErr_Format(PyExc_ValueError, "plan.squash and plan.selfconn must have one entry per position"), -1;
    if (t->n_in < 0 || t->n_out < 0 || t->n_in + t->n_out > n)
        return PyErr_Format(PyExc_ValueError, "n_inputs %zd and n_outputs %zd do not fit %zd positions", t->n_in,
                            t->n_out, n), -1;
    Py_ssize_t entries = LEN(10);
    if (check_range(INTS(0), n, 0, slots, "order") || check_range(INTS(1), n, 0, 6, "squash") ||
        check_range(INTS(2), n, -1, conn, "selfconn") || check_ptr(INTS(3), LEN(3), n, LEN(4), "in_ptr") ||
        check_range(INTS(4), LEN(4), 0, conn, "in_conn") || check_ptr(INTS(5), LEN(5), n, LEN(6), "out_ptr") ||
        check_range(INTS(6), LEN(6), 0, conn, "out_conn") || check_ptr(INTS(7), LEN(7), n, LEN(8), "gate_ptr") ||
        check_range(INTS(8), LEN(8), 0, conn, "gate_conn") || check_ptr(INTS(9), LEN(9), n, entries, "nb_ptr") ||
        check_range(INTS(10), entries, 0, slots, "nb_neuron") || check_range(INTS(13), entries, -1, conn, "nb_self") ||
        check_ptr(INTS(14), LEN(14), entries, LEN(15), "inf_ptr") ||
        check_range(INTS(15), LEN(15), 0, conn, "inf_conn") || check_range(INTS(16), conn, 0, slots, "conn_from") ||
        check_range(INTS(17), conn, -1, slots, "conn_gater"))
        return -1;
    /* Q-OUTSIDE: a connection's target may be a neuron outside the network (docs/engine.md, "Neurons
     * outside the network"): the plan names every target, so the kernel never derives one from the inputs. */
    if (LEN(18) != conn)
        return PyErr_Format(PyExc_ValueError, "plan.conn_to has %zd items, plan.conn_from %zd", LEN(18), conn), -1;
    if (check_range(INTS(18), conn, 0, slots, "conn_to"))
        return -1;
    if (LEN(11) != entries || LEN(12) != entries || LEN(13) != entries)
        return PyErr_Format(PyExc_ValueError, "nb_neuron, nb_old, nb_xtrace and nb_self differ in length"), -1;
    Py_ssize_t widest = 0;
    for (Py_ssize_t p = 0; p < n; p++) {
        Py_ssize_t inputs = t->in_ptr[p + 1] - t->in_ptr[p];
        if (t->nb_ptr[p + 1] - t->nb_ptr[p] > widest)
            widest = t->nb_ptr[p + 1] - t->nb_ptr[p];
        for (int32_t e = t->nb_ptr[p]; e < t->nb_ptr[p + 1]; e++)
            if (t->nb_xtrace[e] < 0 || t->nb_xtrace[e] + inputs > self->n_x)
                return PyErr_Format(PyExc_ValueError, "plan.nb_xtrace[%d] runs past plan.xtrace", (int)e), -1;
    }
    if (set_flags(self) < 0)
        return -1;
    t->infl = PyMem_Malloc(sizeof(double) * (widest + 1));
    t->conn_to = PyMem_Malloc(sizeof(int32_t) * (conn + 1));
    Py_ssize_t wide = t->n_in > t->n_out ? t->n_in : t->n_out;
    self->tmp = PyMem_Malloc(sizeof(double) * (wide + 1));
    if (t->infl == NULL || t->conn_to == NULL || self->tmp == NULL)
        return PyErr_NoMemory(), -1;
    if (conn > 0)
        memcpy(t->conn_to, INTS(18), sizeof(int32_t) * conn);
    for (Py_ssize_t p = 0; p < n; p++)
        for (int32_t k = t->in_ptr[p]; k < t->in_ptr[p + 1]; k++)
            if (t->conn_to[t->in_conn[k]] != t->order[p])
                return PyErr_Format(PyExc_ValueError, "plan.in_conn[%d] is an input of position %zd, but plan.conn_to "
                                    "names slot %d", (int)k, p, (int)t->conn_to[t->in_conn[k]]), -1;
    return 0;
}

static int program_init(Program *self, PyObject *args, PyObject *kwargs) {
    PyObject *plan;
    static char *kwlist[] = {"plan", NULL};
    if (self->held)
        return PyErr_SetString(PyExc_RuntimeError, "a Program is initialised once"), -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:Program", kwlist, &plan))
        return -1;
    for (size_t k = 0; k < N_BUFS; k++) {
        int integer = k < N_INT;
        const char *name = integer ? INT_TABLES[k] : DOUBLE_ARRAYS[k - N_INT];
        PyObject *value = PyObject_GetAttrString(plan, name);
        if (value == NULL)
            return -1;
        char what[64];
        PyOS_snprintf(what, sizeof(what), "plan.%s", name);
        int failed = get_buffer(value, &self->bufs[k], integer ? 'i' : 'd', integer ? 4 : 8, !integer, what);
        Py_DECREF(value);
        if (failed)
            return -1;
        self->held = (int)k + 1;
        if (self->bufs[k].len == 0) /* nothing to hold: an exported array refuses even `a[:0] = b[:0]` */
            PyBuffer_Release(&self->bufs[k]);
    }
    Tables *t = &self->t;
    const int32_t **ints[] = {
        &t->order, &t->squash, &t->selfconn, &t->in_ptr, &t->in_conn, &t->out_ptr, &t->out_conn, &t->gate_ptr,
        &t->gate_conn, &t->nb_ptr, &t->nb_neuron, &t->nb_old, &t->nb_xtrace, &t->nb_self, &t->inf_ptr, &t->inf_conn,
        &t->conn_from, &t->conn_gater,
    };
    double **doubles[] = {
        &t->bias, &t->state, &t->old, &t->act, &t->der, &t->resp, &t->perr, &t->gerr,
        &t->weight, &t->gain, &t->elig, &t->xtrace, &t->aux,
    };
    for (size_t k = 0; k < sizeof(ints) / sizeof(ints[0]); k++) /* conn_to is copied by program_validate */
        *ints[k] = (const int32_t *)self->bufs[k].buf;
    for (size_t k = 0; k < N_DOUBLE; k++)
        *doubles[k] = (double *)self->bufs[N_INT + k].buf;
    t->n = LEN(0);
    self->n_slots = LEN(N_INT);
    self->n_conn = LEN(16);
    self->n_x = LEN(N_INT + 11);
    PyObject *count = PyObject_GetAttrString(plan, "n_inputs");
    t->n_in = count ? PyLong_AsSsize_t(count) : -1;
    Py_XDECREF(count);
    if (PyErr_Occurred())
        return -1;
    count = PyObject_GetAttrString(plan, "n_outputs");
    t->n_out = count ? PyLong_AsSsize_t(count) : -1;
    Py_XDECREF(count);
    if (PyErr_Occurred() || program_validate(self) < 0)
        return -1;
    int needs_custom = 0;
    for (Py_ssize_t p = 0; p < t->n; p++)
        needs_custom |= t->squash[p] == SQ_CUSTOM;
    if (needs_custom) {
        PyObject *custom = PyObject_GetAttrString(plan, "custom");
        if (custom == NULL)
            return -1;
        self->custom = PySequence_Tuple(custom);
        Py_DECREF(custom);
        if (self->custom == NULL)
            return -1;
        if (PyTuple_GET_SIZE(self->custom) != t->n)
            return PyErr_Format(PyExc_ValueError, "plan.custom has %zd entries, expected %zd",
                                PyTuple_GET_SIZE(self->custom), t->n), -1;
        for (Py_ssize_t p = 0; p < t->n; p++)
            if (t->squash[p] == SQ_CUSTOM && !PyCallable_Check(PyTuple_GET_ITEM(self->custom, p)))
                return PyErr_Format(PyExc_TypeError, "plan.custom[%zd] is not callable", p), -1;
    }
    return 0;
}

static int program_traverse(Program *self, visitproc visit, void *arg) {
    Py_VISIT(self->custom);
    return 0;
}

static int program_clear(Program *self) {
    Py_CLEAR(self->custom);
    return 0;
}

static void program_dealloc(Program *self) {
    PyObject_GC_UnTrack(self);
    program_clear(self);
    for (int k = 0; k < self->held; k++)
        PyBuffer_Release(&self->bufs[k]);
    PyMem_Free(self->t.infl);
    PyMem_Free(self->t.flags);
    PyMem_Free(self->t.conn_to);
    PyMem_Free(self->tmp);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int program_ready(Program *self) {
    if (self->held != (int)N_BUFS)
        return PyErr_SetString(PyExc_RuntimeError, "the Program was not initialised"), -1;
    return 0;
}

#include "_kernel_args.h"

static PyObject *outputs_list(Program *self) {
    Tables *t = &self->t;
    PyObject *list = PyList_New(t->n_out);
    if (list == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < t->n_out; k++) {
        PyObject *value = PyFloat_FromDouble(t->act[t->order[t->n - t->n_out + k]]);
        if (value == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, k, value);
    }
    return list;
}

/* One activation: inputs already read into x. 0, or -1 with an exception set. */
static inline int program_step(Program *self, const double *x) {
    run_inputs(&self->t, x);
    return run_activate(&self->t, call_custom, self);
}

static PyObject *program_activate_impl(Program *self, PyObject *inputs) {
    if (read_floats(inputs, self->t.n_in, "inputs", self->tmp) < 0 || program_step(self, self->tmp) < 0)
        return NULL;
    return outputs_list(self);
}

static PyObject *program_propagate_impl(Program *self, PyObject *rate, PyObject *targets, int checked) {
    double r;
    if (!checked && read_rate(rate, &r) < 0)
        return NULL;
    if (checked)
        r = PyFloat_AsDouble(rate);
    if (read_floats(targets, self->t.n_out, "targets", self->tmp) < 0)
        return NULL;
    run_propagate(&self->t, r, self->tmp);
    Py_RETURN_NONE;
}

static PyObject *program_activate(Program *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 1)
        return PyErr_Format(PyExc_TypeError, "activate() takes 1 argument (%zd given)", nargs), NULL;
    if (program_ready(self) < 0)
        return NULL;
    return program_activate_impl(self, args[0]);
}

static PyObject *program_propagate(Program *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2)
        return PyErr_Format(PyExc_TypeError, "propagate() takes 2 arguments (%zd given)", nargs), NULL;
    if (program_ready(self) < 0)
        return NULL;
    return program_propagate_impl(self, args[0], args[1], 0);
}

static PyObject *program_activate_batch(Program *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3)
        return PyErr_Format(PyExc_TypeError, "activate_batch() takes 3 arguments (%zd given)", nargs), NULL;
    if (program_ready(self) < 0)
        return NULL;
    Py_ssize_t rows = PyLong_AsSsize_t(args[1]);
    if (rows == -1 && PyErr_Occurred())
        return NULL;
    Py_buffer in, out;
    if (get_buffer(args[0], &in, 'd', 8, 0, "rows") < 0)
        return NULL;
    if (get_buffer(args[2], &out, 'd', 8, 1, "out") < 0) {
        PyBuffer_Release(&in);
        return NULL;
    }
    Tables *t = &self->t;
    PyObject *result = NULL;
    if (rows < 0 || in.len / 8 < rows * t->n_in || out.len / 8 < rows * t->n_out) {
        PyErr_Format(PyExc_ValueError, "activate_batch: %zd rows need %zd input and %zd output doubles, got %zd and %zd",
                     rows, rows * t->n_in, rows * t->n_out, in.len / 8, out.len / 8);
        goto done;
    }
    const double *x = in.buf;
    double *y = out.buf;
    Py_ssize_t row = 0;
    if (self->independent && rows > 2 && no_self_weights(t)) { /* all but the last two rows side by side, those two as usual */
        double *values = PyMem_Malloc(sizeof(double) * 2 * LANES * (self->n_slots + 1)); /* per call: */
        if (values == NULL) {                                                      /* the GIL is released */
            PyErr_NoMemory();
            goto done;
        }
        run_independent(t, x, y, rows - 2, values, self->n_slots);
        PyMem_Free(values);
        row = rows - 2;
    }
    for (; row < rows; row++) {
        if (program_step(self, x + row * t->n_in) < 0)
            goto done;
        for (Py_ssize_t k = 0; k < t->n_out; k++)
            y[row * t->n_out + k] = t->act[t->order[t->n - t->n_out + k]];
    }
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&in);
    PyBuffer_Release(&out);
    return result;
}

#include "_kernel_train.h"
#include "_kernel_json.h"

static PyMethodDef program_methods[] = {
    {"activate", (PyCFunction)(void (*)(void))program_activate, METH_FASTCALL,
     "activate($self, inputs, /)\n--\n\nOne activation, as Network.activate (numbers only): the outputs."},
    {"propagate", (PyCFunction)(void (*)(void))program_propagate, METH_FASTCALL,
     "propagate($self, rate, targets, /)\n--\n\nOne back-propagation, as Network.propagate."},
    {"activate_batch", (PyCFunction)(void (*)(void))program_activate_batch, METH_FASTCALL,
     "activate_batch($self, rows, n_rows, out, /)\n--\n\n"
     "Activate each row of a flat double buffer in turn; the outputs go into out."},
    {"train", (PyCFunction)(void (*)(void))program_train, METH_VARARGS | METH_KEYWORDS, TRAIN_DOC},
    {NULL, NULL, 0, NULL},
};

static PyObject *program_get(Program *self, void *which) {
    switch ((int)(intptr_t)which) {
    case 0: return PyLong_FromSsize_t(self->t.n);
    case 1: return PyLong_FromSsize_t(self->t.n_in);
    case 2: return PyLong_FromSsize_t(self->t.n_out);
    case 3: return PyLong_FromSsize_t(self->iteration);
    case 4: return PyBool_FromLong(self->independent && no_self_weights(&self->t));
    default: return Py_NewRef(Py_True);
    }
}

static PyGetSetDef program_getset[] = {
    {"size", (getter)program_get, NULL, "number of positions (neurons)", (void *)0},
    {"n_inputs", (getter)program_get, NULL, "number of input positions", (void *)1},
    {"n_outputs", (getter)program_get, NULL, "number of output positions", (void *)2},
    {"iteration", (getter)program_get, NULL, "the iteration the last train() call reached (or failed in)", (void *)3},
    {"rows_independent", (getter)program_get, NULL, "whether a batch's rows run side by side (no state between rows)",
     (void *)4},
    {"native", (getter)program_get, NULL, "True: this program is the native kernel", (void *)5},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject ProgramType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "synjson.engine._kernel.Program",
    .tp_basicsize = sizeof(Program),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Program(plan)\n--\n\nA plan's tables and the store's arrays, run in place (docs/engine.md).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)program_init,
    .tp_dealloc = (destructor)program_dealloc,
    .tp_traverse = (traverseproc)program_traverse,
    .tp_clear = (inquiry)program_clear,
    .tp_methods = program_methods,
    .tp_getset = program_getset,
};

#include "_kernel_core.h"

/* -- module --------------------------------------------------------------------------------- */

static PyMethodDef module_methods[] = {
    JSON_METHODS
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef kernel_module = {
    PyModuleDef_HEAD_INIT, "synjson.engine._kernel",
    "synjson's native kernel: Program (a plan run in place) and Core (Network's C base).", -1, module_methods,
};

PyMODINIT_FUNC PyInit__kernel(void) {
    if (PyType_Ready(&ProgramType) < 0 || PyType_Ready(&CoreType) < 0)
        return NULL;
    str_refresh = PyUnicode_InternFromString("_refresh");
    str_activate = PyUnicode_InternFromString("activate");
    str_propagate = PyUnicode_InternFromString("propagate");
    str_activate_named = PyUnicode_InternFromString("_activate_named");
    str_propagate_named = PyUnicode_InternFromString("_propagate_named");
    if (str_refresh == NULL || str_activate == NULL || str_propagate == NULL || str_activate_named == NULL ||
        str_propagate_named == NULL)
        return NULL;
    PyObject *errors = PyImport_ImportModule("synjson.errors");
    input_error = errors ? PyObject_GetAttrString(errors, "InputError") : NULL;
    Py_XDECREF(errors);
    PyObject *abc = PyImport_ImportModule("collections.abc");
    mapping_abc = abc ? PyObject_GetAttrString(abc, "Mapping") : NULL;
    Py_XDECREF(abc);
    if (input_error == NULL || mapping_abc == NULL)
        return NULL;
    PyObject *module = PyModule_Create(&kernel_module);
    if (module == NULL)
        return NULL;
    if (PyModule_AddObjectRef(module, "Program", (PyObject *)&ProgramType) < 0 ||
        PyModule_AddObjectRef(module, "Core", (PyObject *)&CoreType) < 0 ||
        PyModule_AddIntConstant(module, "ABI", 1) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
