/* synjson.engine._kernel: the native kernel (issue 14), written against docs/engine.md's contract.
 *
 * Program(plan) runs a plan in place on the store's arrays (Py_buffers held until dealloc).
 * Core is the C base of Network: net.activate(x) reaches run_activate with no Python frame.
 * The numbers are the reference's bit for bit: see _kernel_run.inc. Training (Program.train) is in
 * _kernel_train.inc, JSON number formatting for saving in _kernel_json.inc, Core in _kernel_core.inc.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pythread.h>
#include <stdarg.h>
#include <string.h>

#include "_kernel_run.inc"
#include "_kernel_batch.inc"

/* -- buffers ------------------------------------------------------------------------------ */

/* The plan attributes a Program holds, in the order of Program.bufs (_facts.h, from synjson/engine/facts.py). */
#define NAME(field) #field,
static const char *const INT_TABLES[] = {PLAN_INT_TABLES(NAME)};
static const char *const DOUBLE_ARRAYS[] = {PLAN_DOUBLE_ARRAYS(NAME)};
#undef NAME

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
    if (view->len > 0 && (uintptr_t)view->buf % (uintptr_t)itemsize != 0) { /* a memoryview at an odd offset */
        PyErr_Format(PyExc_TypeError, "%s must be aligned to its %zd-byte items (copy it first)", what, itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* synjson.errors.<name> (a new reference), or NULL with an exception set. */
static PyObject *synjson_error(const char *name) {
    PyObject *module = PyImport_ImportModule("synjson.errors");
    if (module == NULL)
        return NULL;
    PyObject *type = PyObject_GetAttrString(module, name);
    Py_DECREF(module);
    return type;
}

static PyObject *state_error_type(void) { return synjson_error("StateError"); }

/* Raise synjson.errors.<name> with a formatted message; returns -1 (NULL-returning callers use `, NULL`). */
static int raise_error(const char *name, const char *format, ...) {
    va_list args;
    va_start(args, format);
    PyObject *message = PyUnicode_FromFormatV(format, args);
    va_end(args);
    if (message == NULL)
        return -1;
    PyObject *type = synjson_error(name);
    if (type != NULL) {
        PyErr_SetObject(type, message);
        Py_DECREF(type);
    }
    Py_DECREF(message);
    return -1;
}

/* rows * width, or -1 with synjson's LimitError when the product does not fit a Py_ssize_t. */
static Py_ssize_t rows_times(Py_ssize_t rows, Py_ssize_t width, const char *what) {
    Py_ssize_t product;
    if (rows < 0 || width < 0 || __builtin_mul_overflow(rows, width, &product) || product > PY_SSIZE_T_MAX / 8)
        return raise_error("LimitError", "%s: %zd rows of %zd values do not fit in memory", what, rows, width);
    return product;
}

/* -- Program ------------------------------------------------------------------------------ */

/* One call at a time (docs/engine.md, "Threads"): the thread inside a call, its depth of nested calls
 * (callbacks between steps), whether a custom squash is being called (no nested call then), and the lock
 * other threads wait on with the GIL released. A network's Core shares its Gate with every Program it
 * installs, so the Programs built for one network (two threads may each compile one) take turns too.
 * Touched only with the GIL held, except the lock itself; counted references (each call holds one). */
typedef struct {
    Py_ssize_t refs;
    unsigned long owner;
    int depth, in_squash, waiting, posted;
    PyThread_type_lock lock;
} Gate;

static Gate *gate_new(void) {
    Gate *gate = PyMem_Calloc(1, sizeof(Gate));
    if (gate == NULL)
        return (Gate *)PyErr_NoMemory();
    gate->refs = 1;
    return gate;
}

static void gate_release(Gate *gate) {
    if (gate != NULL && --gate->refs == 0) {
        if (gate->lock != NULL)
            PyThread_free_lock(gate->lock);
        PyMem_Free(gate);
    }
}

typedef struct {
    PyObject_HEAD
    Tables t;
    Py_buffer bufs[N_BUFS];   /* the double arrays, held while the Program lives (the int tables are copied) */
    char held[N_BUFS];        /* bufs[k] is held */
    Py_ssize_t lens[N_BUFS];  /* items in each table or array */
    int32_t *ints[N_INT];     /* private copies of the int tables: validated once, no one else can write them */
    int started, ready;       /* __init__ began; __init__ succeeded (only then may the Program run) */
    PyObject *custom; /* tuple of callables by position (None where built in), or NULL */
    double *tmp;      /* the outputs for a cost callback: max(n_in, n_out) doubles */
    int independent;  /* rows of a batch are independent (_kernel_batch.inc) */
    Py_ssize_t n_slots, n_conn, n_x, iteration;
    Gate *gate; /* its own, or the Core's that installed it; NULL until the first call */
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
    Gate *gate = self->gate; /* the one entered: a Program's gate is never replaced during a call */
    gate->in_squash++; /* the network is half run: a call back into it is refused */
    PyObject *result = PyObject_CallOneArg(fn, arg);
    gate->in_squash--;
    Py_DECREF(arg);
    if (result == NULL)
        return -1;
    PyObject *pair = PySequence_Tuple(result); /* a copy: float() of an item cannot shrink it under us */
    Py_DECREF(result);
    if (pair == NULL) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            raise_error("ArgumentError", "a custom squash must return (value, derivative)");
        }
        return -1;
    }
    if (PyTuple_GET_SIZE(pair) != 2) {
        raise_error("ArgumentError", "a custom squash must return (value, derivative), got %zd values",
                    PyTuple_GET_SIZE(pair));
        Py_DECREF(pair);
        return -1;
    }
    gate->in_squash++;
    *value = PyFloat_AsDouble(PyTuple_GET_ITEM(pair, 0));
    *derivative = PyErr_Occurred() ? -1.0 : PyFloat_AsDouble(PyTuple_GET_ITEM(pair, 1));
    gate->in_squash--;
    Py_DECREF(pair);
    return PyErr_Occurred() ? -1 : 0;
}

/* -- one call at a time ------------------------------------------------------------------------ */

/* Enter a call on this Program: its gate (a counted reference for program_exit), or NULL with an exception.
 * Another thread's call waits (the GIL released) until the running one returns; the same thread may call
 * again from a callback between steps (a Trainer callback, a __float__ of an input), but not from a custom
 * squash, with the network half run: StateError. */
static Gate *program_enter(Program *self) {
    if (self->gate == NULL && (self->gate = gate_new()) == NULL)
        return NULL;
    Gate *gate = self->gate;
    unsigned long me = PyThread_get_thread_ident();
    if (gate->depth > 0 && gate->owner == me) {
        if (gate->in_squash)
            return raise_error("StateError", "a custom squash called back into the network it is running in: a "
                                             "squash must compute (value, derivative) from its input alone"), NULL;
        gate->depth++;
        gate->refs++;
        return gate;
    }
    gate->refs++; /* alive while this thread waits, whatever happens to the Program */
    while (gate->depth > 0) {
        if (gate->lock == NULL) {
            if ((gate->lock = PyThread_allocate_lock()) == NULL) {
                gate_release(gate);
                return (Gate *)PyErr_NoMemory();
            }
            PyThread_acquire_lock(gate->lock, NOWAIT_LOCK); /* closed: an exiting call opens it for a waiter */
        }
        gate->waiting++;
        PyLockStatus status;
        Py_BEGIN_ALLOW_THREADS
        status = PyThread_acquire_lock_timed(gate->lock, 100000, 0); /* 0.1 s, then look at signals */
        Py_END_ALLOW_THREADS
        gate->waiting--;
        if (status == PY_LOCK_ACQUIRED)
            gate->posted = 0;
        if (PyErr_CheckSignals() < 0) {
            gate_release(gate);
            return NULL;
        }
    }
    gate->owner = me;
    gate->depth = 1;
    return gate;
}

static void program_exit(Gate *gate) {
    if (--gate->depth == 0 && gate->waiting > 0 && !gate->posted) {
        gate->posted = 1;
        PyThread_release_lock(gate->lock);
    }
    gate_release(gate);
}

static int check_range(const int32_t *values, Py_ssize_t count, Py_ssize_t low, Py_ssize_t high, const char *what) {
    for (Py_ssize_t i = 0; i < count; i++) {
        if (values[i] < low || values[i] >= high)
            return raise_error("ArgumentError", "plan.%s[%zd] = %d is out of range [%zd, %zd)", what, i,
                               (int)values[i], low, high);
    }
    return 0;
}

/* ptr has `rows + 1` non-decreasing entries from 0 to at most `limit`. */
static int check_ptr(const int32_t *ptr, Py_ssize_t length, Py_ssize_t rows, Py_ssize_t limit, const char *what) {
    if (length != rows + 1)
        return raise_error("ArgumentError", "plan.%s has %zd entries, expected %zd", what, length, rows + 1);
    if (ptr[0] != 0 || ptr[rows] > limit)
        return raise_error("ArgumentError", "plan.%s must run from 0 to at most %zd", what, limit);
    for (Py_ssize_t i = 0; i < rows; i++) {
        if (ptr[i + 1] < ptr[i])
            return raise_error("ArgumentError", "plan.%s decreases at %zd", what, i);
    }
    return 0;
}

#define LEN(k) (self->lens[k])
#define INTS(k) (self->ints[k])

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
            return raise_error("ArgumentError", "plan.order holds slot %d twice", (int)t->order[p]);
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
    Py_ssize_t n = LEN(B_ORDER), slots = LEN(B_BIAS), conn = LEN(B_CONN_FROM);
    for (size_t k = 1; k < N_NEURON_ARRAYS; k++)
        if (LEN(N_INT + k) < slots)
            slots = LEN(N_INT + k);
    self->n_slots = slots;
    if (LEN(B_CONN_GATER) != conn)
        return raise_error("ArgumentError", "plan.conn_gater has %zd items, plan.conn_from %zd", LEN(B_CONN_GATER), conn);
    for (size_t k = B_WEIGHT; k <= B_ELIGIBILITY; k++) /* weight, gain, eligibility: by connection slot */
        if (LEN(k) < conn)
            return raise_error("ArgumentError", "plan.%s has %zd items, fewer than the %zd connections",
                               DOUBLE_ARRAYS[k - N_INT], LEN(k), conn);
    if (LEN(B_AUX) < 1)
        return raise_error("ArgumentError", "plan.aux must hold one item");
    if (LEN(B_SQUASH) != n || LEN(B_SELFCONN) != n)
        return raise_error("ArgumentError", "plan.squash and plan.selfconn must have one entry per position");
    if (t->n_in < 0 || t->n_out < 0 || t->n_in > n || t->n_out > n - t->n_in) /* no n_in + n_out: it may wrap */
        return raise_error("ArgumentError", "n_inputs %zd and n_outputs %zd do not fit %zd positions", t->n_in,
                           t->n_out, n);
    Py_ssize_t entries = LEN(B_NB_NEURON);
    if (LEN(B_NB_OLD) != entries || LEN(B_NB_XTRACE) != entries || LEN(B_NB_SELF) != entries) /* before any of them is read */
        return raise_error("ArgumentError", "nb_neuron, nb_old, nb_xtrace and nb_self differ in length");
    if (check_range(INTS(B_ORDER), n, 0, slots, "order") || check_range(INTS(B_SQUASH), n, 0, N_SQUASH_CODES, "squash") ||
        check_range(INTS(B_SELFCONN), n, -1, conn, "selfconn") || check_ptr(INTS(B_IN_PTR), LEN(B_IN_PTR), n, LEN(B_IN_CONN), "in_ptr") ||
        check_range(INTS(B_IN_CONN), LEN(B_IN_CONN), 0, conn, "in_conn") || check_ptr(INTS(B_OUT_PTR), LEN(B_OUT_PTR), n, LEN(B_OUT_CONN), "out_ptr") ||
        check_range(INTS(B_OUT_CONN), LEN(B_OUT_CONN), 0, conn, "out_conn") || check_ptr(INTS(B_GATE_PTR), LEN(B_GATE_PTR), n, LEN(B_GATE_CONN), "gate_ptr") ||
        check_range(INTS(B_GATE_CONN), LEN(B_GATE_CONN), 0, conn, "gate_conn") || check_ptr(INTS(B_NB_PTR), LEN(B_NB_PTR), n, entries, "nb_ptr") ||
        check_range(INTS(B_NB_NEURON), entries, 0, slots, "nb_neuron") || check_range(INTS(B_NB_SELF), entries, -1, conn, "nb_self") ||
        check_ptr(INTS(B_INF_PTR), LEN(B_INF_PTR), entries, LEN(B_INF_CONN), "inf_ptr") ||
        check_range(INTS(B_INF_CONN), LEN(B_INF_CONN), 0, conn, "inf_conn") || check_range(INTS(B_CONN_FROM), conn, 0, slots, "conn_from") ||
        check_range(INTS(B_CONN_GATER), conn, -1, slots, "conn_gater"))
        return -1;
    /* Q-OUTSIDE: a connection's target may be a neuron outside the network (docs/engine.md, "Neurons
     * outside the network"): the plan names every target, so the kernel never derives one from the inputs. */
    if (LEN(B_CONN_TO) != conn)
        return raise_error("ArgumentError", "plan.conn_to has %zd items, plan.conn_from %zd", LEN(B_CONN_TO), conn);
    if (check_range(INTS(B_CONN_TO), conn, 0, slots, "conn_to"))
        return -1;
    Py_ssize_t widest = 0;
    for (Py_ssize_t p = 0; p < n; p++) {
        Py_ssize_t inputs = t->in_ptr[p + 1] - t->in_ptr[p];
        if (t->nb_ptr[p + 1] - t->nb_ptr[p] > widest)
            widest = t->nb_ptr[p + 1] - t->nb_ptr[p];
        for (int32_t e = t->nb_ptr[p]; e < t->nb_ptr[p + 1]; e++)
            if (t->nb_xtrace[e] < 0 || t->nb_xtrace[e] + inputs > self->n_x)
                return raise_error("ArgumentError", "plan.nb_xtrace[%d] runs past plan.xtrace", (int)e);
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
        memcpy(t->conn_to, INTS(B_CONN_TO), sizeof(int32_t) * conn);
    for (Py_ssize_t p = 0; p < n; p++)
        for (int32_t k = t->in_ptr[p]; k < t->in_ptr[p + 1]; k++)
            if (t->conn_to[t->in_conn[k]] != t->order[p])
                return raise_error("ArgumentError", "plan.in_conn[%d] is an input of position %zd, but plan.conn_to "
                                   "names slot %d", (int)k, p, (int)t->conn_to[t->in_conn[k]]);
    return 0;
}

static int program_init(Program *self, PyObject *args, PyObject *kwargs) {
    PyObject *plan;
    static char *kwlist[] = {"plan", NULL};
    if (self->started)
        return raise_error("StateError", "a Program is initialised once: build a new one");
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:Program", kwlist, &plan))
        return -1;
    self->started = 1;
    for (size_t k = 0; k < N_BUFS; k++) {
        int integer = k < N_INT;
        const char *name = integer ? INT_TABLES[k] : DOUBLE_ARRAYS[k - N_INT];
        PyObject *value = PyObject_GetAttrString(plan, name); /* may run Python code: nothing is read yet */
        if (value == NULL)
            return -1;
        char what[64];
        PyOS_snprintf(what, sizeof(what), "plan.%s", name);
        Py_buffer *view = &self->bufs[k];
        int failed = get_buffer(value, view, integer ? 'i' : 'd', integer ? 4 : 8, !integer, what);
        Py_DECREF(value);
        if (failed)
            return -1;
        self->lens[k] = view->len / view->itemsize;
        if (integer) { /* a private copy, validated below: a table written later cannot reach the kernel */
            self->ints[k] = PyMem_Malloc(view->len + sizeof(int32_t));
            if (self->ints[k] != NULL && view->len > 0)
                memcpy(self->ints[k], view->buf, view->len);
            PyBuffer_Release(view);
            if (self->ints[k] == NULL)
                return PyErr_NoMemory(), -1;
        } else if (view->len == 0) { /* nothing to hold: an exported array refuses even `a[:0] = b[:0]` */
            PyBuffer_Release(view);
        } else {
            self->held[k] = 1;
        }
    }
    Tables *t = &self->t;
#define INT_MEMBER(field) (const int32_t **)&t->field,
#define DOUBLE_MEMBER(field) &t->field,
    const int32_t **ints[] = {PLAN_INT_TABLES(INT_MEMBER)};
    double **doubles[] = {PLAN_DOUBLE_ARRAYS(DOUBLE_MEMBER)};
#undef INT_MEMBER
#undef DOUBLE_MEMBER
    _Static_assert(B_CONN_TO == N_INT - 1, "conn_to, copied by program_validate, is the last int table");
    for (size_t k = 0; k < B_CONN_TO; k++) /* conn_to is copied by program_validate */
        *ints[k] = self->ints[k];
    for (size_t k = 0; k < N_DOUBLE; k++)
        *doubles[k] = (double *)self->bufs[N_INT + k].buf;
    t->n = LEN(B_ORDER);
    self->n_slots = LEN(B_BIAS);
    self->n_conn = LEN(B_CONN_FROM);
    self->n_x = LEN(B_XTRACE);
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
            return raise_error("ArgumentError", "plan.custom has %zd entries, expected %zd",
                               PyTuple_GET_SIZE(self->custom), t->n);
        for (Py_ssize_t p = 0; p < t->n; p++)
            if (t->squash[p] == SQ_CUSTOM && !PyCallable_Check(PyTuple_GET_ITEM(self->custom, p)))
                return PyErr_Format(PyExc_TypeError, "plan.custom[%zd] is not callable", p), -1;
    }
    self->ready = 1;
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
    for (size_t k = 0; k < N_BUFS; k++)
        if (self->held[k])
            PyBuffer_Release(&self->bufs[k]);
    for (size_t k = 0; k < N_INT; k++)
        PyMem_Free(self->ints[k]);
    gate_release(self->gate);
    PyMem_Free(self->t.infl);
    PyMem_Free(self->t.flags);
    PyMem_Free(self->t.conn_to);
    PyMem_Free(self->tmp);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int program_ready(Program *self) {
    if (!self->ready)
        return raise_error("StateError", "this Program was not initialised (its __init__ failed or was never "
                                         "called): build a new Program(plan)");
    return 0;
}

#include "_kernel_args.inc"

static PyObject *outputs_list(Program *self) {
    Tables *t = &self->t;
    PyObject *list = PyList_New(t->n_out);
    if (list == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < t->n_out; k++) {
        PyObject *value = PyFloat_FromDouble(t->activation[t->order[t->n - t->n_out + k]]);
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

/* Room for the inputs or targets of one call, on the stack for small networks: each call reads into its own,
 * so a __float__ that calls the network back cannot overwrite the numbers of the call it is part of. */
#define SMALL 64
typedef struct {
    double small[SMALL];
    double *values;
} Numbers;

static int numbers_read(Numbers *numbers, PyObject *values, Py_ssize_t expected, const char *what) {
    numbers->values = numbers->small;
    if (expected > SMALL && (numbers->values = PyMem_New(double, expected)) == NULL)
        return PyErr_NoMemory(), -1;
    return read_floats(values, expected, what, numbers->values);
}

static void numbers_free(Numbers *numbers) {
    if (numbers->values != numbers->small)
        PyMem_Free(numbers->values);
}

static PyObject *program_activate_impl(Program *self, PyObject *inputs) {
    Numbers x;
    PyObject *result = NULL;
    Gate *gate;
    if (numbers_read(&x, inputs, self->t.n_in, "inputs") == 0 && (gate = program_enter(self)) != NULL) {
        if (program_step(self, x.values) == 0)
            result = outputs_list(self); /* before leaving: no other call may move the outputs meanwhile */
        program_exit(gate);
    }
    numbers_free(&x);
    return result;
}

static PyObject *program_propagate_impl(Program *self, PyObject *rate, PyObject *targets, int checked) {
    double r = 0.0;
    if (!checked && read_rate(rate, &r) < 0)
        return NULL;
    if (checked)
        r = PyFloat_AsDouble(rate);
    Numbers y;
    int status = numbers_read(&y, targets, self->t.n_out, "targets");
    Gate *gate;
    if (status == 0 && (status = (gate = program_enter(self)) == NULL ? -1 : 0) == 0) {
        run_propagate(&self->t, r, y.values);
        program_exit(gate);
    }
    numbers_free(&y);
    return status == 0 ? Py_NewRef(Py_None) : NULL;
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

/* The independent rows 0..stop-1 off the GIL. What the lanes read is private to this call: the Program's own
 * copies of the index tables, and a copy of the store's neuron values and weights taken now, with the GIL
 * held; so another thread writing the store (a propagate, a new neuron, `connection.weight = w`) while the
 * lanes run reaches none of them: the whole batch sees the network as it was when it started. */
static int batch_off_gil(Program *self, const double *x, double *y, Py_ssize_t stop, Py_ssize_t threads) {
    Tables t = self->t;
    Py_ssize_t slots = self->n_slots + 1, n_values;
    threads = threads_for(&t, stop, threads);
    if (__builtin_mul_overflow(slots, threads * LANES, &n_values) ||
        n_values > PY_SSIZE_T_MAX / 8 - (N_NEURON_ARRAYS * slots + self->n_conn + 1)) /* slots are 8-byte items */
        return PyErr_NoMemory(), -1;
    double *values = PyMem_New(double, n_values + N_NEURON_ARRAYS * slots + self->n_conn + 1);
    if (values == NULL)
        return PyErr_NoMemory(), -1;
    double *copy = values + n_values;
#define MEMBER(field) &t.field,
    double **neuron[] = {PLAN_DOUBLE_ARRAYS(MEMBER)}; /* the first N_NEURON_ARRAYS are per neuron slot */
#undef MEMBER
    for (size_t k = 0; k < N_NEURON_ARRAYS; k++, copy += slots) {
        memcpy(copy, *neuron[k], sizeof(double) * self->n_slots);
        *neuron[k] = copy;
    }
    memcpy(copy, t.weight, sizeof(double) * self->n_conn);
    t.weight = copy;
    t.gain = t.eligibility = t.xtrace = t.aux = NULL; /* nothing gated, no trace: the lanes never read them */
    run_independent(&t, x, y, stop, values, self->n_slots, threads);
    PyMem_Free(values);
    return 0;
}

static PyObject *program_activate_batch(Program *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 && nargs != 4)
        return PyErr_Format(PyExc_TypeError, "activate_batch() takes 3 or 4 arguments (%zd given)", nargs), NULL;
    if (program_ready(self) < 0)
        return NULL;
    Py_ssize_t threads = default_threads();
    if (nargs == 4 && args[3] != Py_None) {
        int overflow = 0;
        long asked = PyLong_Check(args[3]) && !PyBool_Check(args[3]) ? PyLong_AsLongAndOverflow(args[3], &overflow) : 0;
        if (asked == -1 && PyErr_Occurred())
            return NULL;
        if (!PyLong_Check(args[3]) || PyBool_Check(args[3]) || overflow || asked < 1 || asked > MAX_THREADS)
            return raise_error("ArgumentError", "activate_batch: threads must be a whole number from 1 to %d, got %R",
                               MAX_THREADS, args[3]), NULL;
        threads = asked;
    }
    Py_ssize_t rows = PyLong_AsSsize_t(args[1]);
    if (rows == -1 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PyErr_Clear();
            raise_error("LimitError", "activate_batch: %R rows do not fit in memory", args[1]);
        }
        return NULL;
    }
    Py_buffer in, out;
    if (get_buffer(args[0], &in, 'd', 8, 0, "rows") < 0)
        return NULL;
    if (get_buffer(args[2], &out, 'd', 8, 1, "out") < 0) {
        PyBuffer_Release(&in);
        return NULL;
    }
    Tables *t = &self->t;
    PyObject *result = NULL;
    Gate *entered = NULL;
    if (rows < 0) {
        raise_error("ArgumentError", "activate_batch: n_rows must not be negative, got %zd", rows);
        goto done;
    }
    Py_ssize_t need_in = rows_times(rows, t->n_in, "activate_batch"), need_out = 0;
    if (need_in < 0 || (need_out = rows_times(rows, t->n_out, "activate_batch")) < 0)
        goto done;
    if (in.len / 8 < need_in || out.len / 8 < need_out) {
        raise_error("ArgumentError", "activate_batch: %zd rows need %zd input and %zd output doubles, got %zd and %zd",
                    rows, need_in, need_out, in.len / 8, out.len / 8);
        goto done;
    }
    if ((entered = program_enter(self)) == NULL)
        goto done;
    const double *x = in.buf;
    double *y = out.buf;
    Py_ssize_t row = 0;
    int lanes = self->independent && rows > 2 && no_self_weights(t);
    if (lanes) {
        /* No state between rows: the last two rows first, the ordinary way and with the GIL (the store ends as
         * activate() leaves it), then the others side by side off the GIL, on values copied at the same moment. */
        row = rows - 2;
    }
    for (; row < rows; row++) {
        if (program_step(self, x + row * t->n_in) < 0)
            goto done;
        for (Py_ssize_t k = 0; k < t->n_out; k++)
            y[row * t->n_out + k] = t->activation[t->order[t->n - t->n_out + k]];
    }
    if (lanes && batch_off_gil(self, x, y, rows - 2, threads) < 0)
        goto done;
    result = Py_NewRef(Py_None);
done:
    if (entered)
        program_exit(entered);
    PyBuffer_Release(&in);
    PyBuffer_Release(&out);
    return result;
}

#include "_kernel_train.inc"
#include "_kernel_json.inc"

static PyMethodDef program_methods[] = {
    {"activate", (PyCFunction)(void (*)(void))program_activate, METH_FASTCALL,
     "activate($self, inputs, /)\n--\n\nOne activation, as Network.activate (numbers only): the outputs."},
    {"propagate", (PyCFunction)(void (*)(void))program_propagate, METH_FASTCALL,
     "propagate($self, rate, targets, /)\n--\n\nOne back-propagation, as Network.propagate."},
    {"activate_batch", (PyCFunction)(void (*)(void))program_activate_batch, METH_FASTCALL,
     "activate_batch($self, rows, n_rows, out, threads=None, /)\n--\n\n"
     "Activate each row of a flat double buffer in turn; the outputs go into out.\n\n"
     "threads: at most this many threads for rows without state between them (None: the processors\n"
     "online, as os.cpu_count()); a batch too small to gain from more runs on fewer."},
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

#include "_kernel_core.inc"

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
